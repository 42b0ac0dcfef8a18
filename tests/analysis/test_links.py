"""Links: extraction and cleaning on the ways real abstracts write links, classification,
code status; property tests that extraction never crashes and cleaned links end cleanly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.analysis.links import (
    KINDS,
    classify_url,
    clean_url,
    code_phrases,
    code_status,
    extract_links,
    links_in_text,
)


def one(text: str) -> dict:
    found = links_in_text(text)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------------------------------------
# cleaning: the link as written in a sentence -> the link as meant


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (
            "Code is available at https://github.com/thuml/iTransformer.",
            "https://github.com/thuml/iTransformer",
        ),
        (
            "Codes are available at https://github.com/bytedance/HLLM.\n\nNext",
            "https://github.com/bytedance/HLLM",
        ),
        ("see https://github.com/a/b, and more", "https://github.com/a/b"),
        ("see https://github.com/c/d; and more", "https://github.com/c/d"),
        ("(code: https://github.com/a/b).", "https://github.com/a/b"),
        ("[https://github.com/a/b]", "https://github.com/a/b"),
        ('"https://github.com/a/b"', "https://github.com/a/b"),
        ("\u201chttps://github.com/a/b\u201d", "https://github.com/a/b"),
        ("'https://github.com/a/b'.", "https://github.com/a/b"),
        ("code at https://github.com/a/b:", "https://github.com/a/b"),
        ("code at https://github.com/a/b!", "https://github.com/a/b"),
        ("code at <https://github.com/a/b>.", "https://github.com/a/b"),
        ("[code](https://github.com/a/b).", "https://github.com/a/b"),
        ("\\url{https://github.com/a/b}.", "https://github.com/a/b"),
        ("\\href{https://github.com/a/b}{here}.", "https://github.com/a/b"),
        ("page https://x.github.io/Proj/{here}.", "https://x.github.io/Proj"),
        ("page https://x.github.io/Proj{this link}", "https://x.github.io/Proj"),
        (
            "https://anonymous.4open.science/r/Molar-8B06/.",
            "https://anonymous.4open.science/r/Molar-8B06",
        ),
        (
            "see https://en.wikipedia.org/wiki/Python_(programming_language).",
            "https://en.wikipedia.org/wiki/Python_(programming_language)",
        ),
        (
            "(see https://en.wikipedia.org/wiki/Python_(language)).",
            "https://en.wikipedia.org/wiki/Python_(language)",
        ),
        ("at https://github.com/a/b...", "https://github.com/a/b"),
        ("at https://github.com/a/b\u2026", "https://github.com/a/b"),
        ("at https://github.com/a/b\u3002", "https://github.com/a/b"),
        ("HTTPS://GitHub.com/Org/Repo.", "https://github.com/Org/Repo"),
        (
            "at http://www.cs.example.edu/~user/proj.html.",
            "http://www.cs.example.edu/~user/proj.html",
        ),
        ("at https://site.org/page?id=3&x=4#sec.", "https://site.org/page?id=3&x=4#sec"),
    ],
)
def test_trailing_junk_is_removed(text, url):
    assert one(text)["url"] == url


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Code: github.com/org/repo.", "https://github.com/org/repo"),
        ("weights at huggingface.co/org/model, and", "https://huggingface.co/org/model"),
        ("demo: hf.co/spaces/org/demo.", "https://hf.co/spaces/org/demo"),
        ("see www.example.com/data.", "https://www.example.com/data"),
        ("page at proj.github.io/site.", "https://proj.github.io/site"),
        (
            "under review: anonymous.4open.science/r/ABC-1234.",
            "https://anonymous.4open.science/r/ABC-1234",
        ),
        ("mirror gitlab.com/grp/sub/proj;", "https://gitlab.com/grp/sub/proj"),
    ],
)
def test_links_without_a_scheme(text, url):
    assert one(text)["url"] == url


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("at https://github.com/\nthuml/iTransformer.", "https://github.com/thuml/iTransformer"),
        ("at https://github.com/thuml\n/iTransformer.", "https://github.com/thuml/iTransformer"),
        ("at https://github.com/thuml/i-\nTransformer.", "https://github.com/thuml/i-Transformer"),
        ("at https://github.\ncom/thuml/iTransformer.", "https://github.com/thuml/iTransformer"),
        ("at https://github.com/a_\r\n  b/c.", "https://github.com/a_b/c"),
    ],
)
def test_links_broken_by_line_breaks_are_joined(text, url):
    assert one(text)["url"] == url


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("at https://github. com/thuml/iTransformer.", "https://github.com/thuml/iTransformer"),
        ("at https://github.com/ thuml/iTransformer.", "https://github.com/thuml/iTransformer"),
        ("at https://github.com/x/my\\_repo.", "https://github.com/x/my_repo"),
        ("page https://x.github.io/P/\\{here\\}.", "https://x.github.io/P"),
        ("at https://github.com/x/y\u200b.", "https://github.com/x/y"),
        ("\u89c1https://github.com/x/y\uff09\u3002", "https://github.com/x/y"),
    ],
)
def test_pdf_and_latex_artefacts(text, url):
    assert one(text)["url"] == url


def test_a_space_after_a_finished_link_is_a_boundary():
    found = links_in_text("at https://github.com/a/b and https://github.com/ more text")
    assert [f["url"] for f in found] == ["https://github.com/a/b", "https://github.com"]


def test_markdown_links_give_one_row_per_paper(papers_factory):
    papers = papers_factory(
        [{"title": "T", "abstract": "Code: [https://github.com/x/y](https://github.com/x/y)."}]
    )
    assert extract_links(papers)["url"].tolist() == ["https://github.com/x/y"]


def test_a_line_break_after_a_finished_link_is_a_boundary():
    found = links_in_text("at https://github.com/a/b.\nThe results follow. See https://x.org/y")
    assert [f["url"] for f in found] == ["https://github.com/a/b", "https://x.org/y"]


def test_url_raw_keeps_the_text_as_written_and_position_points_at_it():
    text = "Our project page is available https://anonymous0x233.github.io/ReuseAndDiffuse/{here}."
    link = one(text)
    assert link["url_raw"] == "https://anonymous0x233.github.io/ReuseAndDiffuse/{here}."
    assert text[link["position"] :].startswith("https://anonymous0x233")


def test_two_links_glued_by_a_comma_are_split():
    found = links_in_text("code https://github.com/a/b,https://github.com/c/d.")
    assert [f["repo"] for f in found] == ["a/b", "c/d"]


def test_web_archive_links_keep_their_inner_url():
    link = one("at https://web.archive.org/web/2020/https://example.org/x.")
    assert link["url"] == "https://web.archive.org/web/2020/https://example.org/x"


@pytest.mark.parametrize(
    "text",
    [
        "We evaluate on the GitHub dataset and githubusercontent files",
        "a prior e.g. x.y and i.e. the model",
        "email: someone@github.com",
        "version v1.1 of the model",
        "the github.community forum",
        "http:// alone, https:// too, and https://.",
        "",
    ],
)
def test_text_without_links_gives_none(text):
    assert links_in_text(text) == []


# ---------------------------------------------------------------------------------------------
# classification


@pytest.mark.parametrize(
    ("url", "kind", "owner", "repo"),
    [
        ("https://github.com/thuml/iTransformer", "github_repo", "thuml", "thuml/iTransformer"),
        (
            "https://github.com/ekinakyurek/google-research/blob/master/incontext",
            "github_repo",
            "ekinakyurek",
            "ekinakyurek/google-research",
        ),
        ("https://github.com/a/b/tree/main/src", "github_repo", "a", "a/b"),
        ("https://github.com/a/b.git", "github_repo", "a", "a/b"),
        ("https://github.com/a/b#readme", "github_repo", "a", "a/b"),
        ("https://www.github.com/a/b?tab=x", "github_repo", "a", "a/b"),
        ("https://github.com/microsoft", "github_user", "microsoft", None),
        ("https://github.com/orgs/microsoft/repositories", "github_user", "microsoft", None),
        ("https://github.com/topics/llm", "other", None, None),
        ("https://github.com", "other", None, None),
        (
            "https://microsoft.github.io/WindowsAgentArena",
            "github_pages",
            "microsoft",
            "microsoft/WindowsAgentArena",
        ),
        ("https://someone.github.io", "github_pages", "someone", None),
        (
            "https://huggingface.co/meta-llama/Llama-2-7b",
            "huggingface_model",
            "meta-llama",
            "meta-llama/Llama-2-7b",
        ),
        (
            "https://huggingface.co/datasets/org/data/viewer",
            "huggingface_dataset",
            "org",
            "org/data",
        ),
        ("https://huggingface.co/spaces/org/demo", "huggingface_space", "org", "org/demo"),
        ("https://hf.co/org/model", "huggingface_model", "org", "org/model"),
        ("https://huggingface.co/papers/2401.00001", "huggingface_other", None, None),
        ("https://huggingface.co/datasets", "huggingface_other", None, None),
        ("https://huggingface.co/org", "huggingface_other", "org", None),
        ("https://anonymous.4open.science/r/Molar-8B06", "anonymous_review", None, "Molar-8B06"),
        ("https://gitlab.com/grp/sub/proj/-/tree/main", "gitlab", "grp", "grp/sub/proj"),
        ("https://gitlab.inria.fr/team/tool.git", "gitlab", "team", "team/tool"),
        ("https://bitbucket.org/team/tool/src/master", "bitbucket", "team", "team/tool"),
        ("https://raw.githubusercontent.com/a/b/main/f.py", "github_repo", "a", "a/b"),
        ("https://gist.github.com/a/123", "other", None, None),
        ("https://arxiv.org/abs/2401.00001", "other", None, None),
    ],
)
def test_classify_url(url, kind, owner, repo):
    assert classify_url(url)[:3] == (kind, owner, repo)


# ---------------------------------------------------------------------------------------------
# the table and the seeds' acceptance cases

SEED_ABSTRACTS = {
    "Time series": "backbone of time series forecasting. Code is available at this repository: "
    "https://github.com/thuml/iTransformer.",
    "HLLM": "recommendation scenarios. Codes are available at https://github.com/bytedance/HLLM.",
    "Windows Agent Arena": "Webpage: https://microsoft.github.io/WindowsAgentArena Code: "
    "https://github.com/microsoft/WindowsAgentArena",
    "In-context": "Code and reference implementations are released at "
    "https://github.com/ekinakyurek/google-research/blob/master/incontext.",
    "Reuse and Diffuse": "Our project page is available "
    "https://anonymous0x233.github.io/ReuseAndDiffuse/{here}.",
    "Molar": "The source code is available at https://anonymous.4open.science/r/Molar-8B06/.",
    "Iterative Token Evaluation and Refinement for Real-World Super-Resolution": "performs well "
    "within just 8 iterative steps. Our codes will be available publicly.",
    "Plain": "We study sequential recommendation on three datasets.",
}


@pytest.fixture
def seeds(papers_factory):
    return papers_factory([{"title": t, "abstract": a} for t, a in SEED_ABSTRACTS.items()])


def test_extract_links_on_seed_abstracts(seeds):
    links = extract_links(seeds).merge(seeds[["paper_id", "title"]], on="paper_id")
    repos = links.query("kind == 'github_repo'").set_index("title")["repo"].to_dict()
    assert repos == {
        "Time series": "thuml/iTransformer",
        "HLLM": "bytedance/HLLM",
        "Windows Agent Arena": "microsoft/WindowsAgentArena",
        "In-context": "ekinakyurek/google-research",
    }
    pages = links.query("kind == 'github_pages'")["url"].tolist()
    assert sorted(pages) == [
        "https://anonymous0x233.github.io/ReuseAndDiffuse",
        "https://microsoft.github.io/WindowsAgentArena",
    ]
    anon = links.query("kind == 'anonymous_review'")
    assert anon["url"].tolist() == ["https://anonymous.4open.science/r/Molar-8B06"]
    assert not links["url"].str.contains(r"[{}]|[.,;:)]$", regex=True).any()


def test_extract_links_schema_and_one_row_per_paper_across_dumps(papers_factory):
    row = {"title": "P", "abstract": "Code: https://github.com/a/b. Again https://github.com/a/b."}
    papers = papers_factory([row | {"dump_seq": 0}, row | {"dump_seq": 4}])
    links = extract_links(papers)
    assert list(links.columns) == [
        "paper_id",
        "field",
        "position",
        "url_raw",
        "url",
        "host",
        "kind",
        "owner",
        "repo",
    ]
    assert len(links) == 1  # same link twice in the text and the paper in two dumps: one row
    assert links.loc[0, "field"] == "abstract"


def test_links_in_titles_are_found(papers_factory):
    papers = papers_factory([{"title": "Tool (github.com/a/tool)", "abstract": "No link."}])
    links = extract_links(papers)
    assert links[["field", "repo"]].values.tolist() == [["title", "a/tool"]]


def test_extract_links_on_no_links_gives_an_empty_valid_table(papers_factory):
    links = extract_links(papers_factory([{"title": "T", "abstract": "Nothing here."}]))
    assert links.empty and "url" in links.columns


def test_extract_links_does_not_mutate_its_input(seeds):
    before = seeds.copy()
    extract_links(seeds)
    code_status(seeds)
    pd.testing.assert_frame_equal(seeds, before)


# ---------------------------------------------------------------------------------------------
# code status


def test_code_status_on_seeds(seeds):
    status = code_status(seeds).merge(seeds[["paper_id", "title"]], on="paper_id")
    by_title = status.set_index("title")["status"].to_dict()
    sr = "Iterative Token Evaluation and Refinement for Real-World Super-Resolution"
    assert by_title[sr] == "promised"
    assert by_title["Molar"] == "linked"  # an anonymous review mirror is a code link
    assert by_title["HLLM"] == "linked"
    assert by_title["Reuse and Diffuse"] == "none"  # a project page alone is not code
    assert by_title["Plain"] == "none"
    assert status["paper_id"].is_unique and len(status) == len(SEED_ABSTRACTS)


@pytest.mark.parametrize(
    "sentence",
    [
        "Our codes will be available publicly.",
        "The code will be released.",
        "Code and models will be made publicly available.",
        "Our code and data will be made publicly available upon acceptance.",
        "The source code of our method will be available publicly soon.",
        "The implementation will be open-sourced.",
        "We will release our code and models.",
        "We plan to open-source the codebase.",
        "We release our code to facilitate future research.",
        "The source code is accessible online to facilitate replication.",
        "Code is available in the supplementary material.",
        "Code: coming soon.",
        "Code will be available upon publication.",
        "Codes are available upon request.",
    ],
)
def test_promised_phrases(papers_factory, sentence):
    papers = papers_factory([{"title": "T", "abstract": "We propose a model. " + sentence}])
    assert code_status(papers)["status"].tolist() == ["promised"]


@pytest.mark.parametrize(
    "sentence",
    [
        "We use publicly available vision encoders.",
        "Gradient coding uses error-correcting codes to distribute computation.",
        "The dataset of code generation tasks is available to practitioners.",
        "We study code generation, where test data is available.",
        "We evaluate code LLMs on repair tasks.",
        "The key-value codes are learnable. Our paradigm will be to encode.",
        "Results will be released in a later version of the leaderboard.",
        "It uses publicly available code from prior work.",
    ],
)
def test_not_promised(papers_factory, sentence):
    papers = papers_factory([{"title": "T", "abstract": "We propose a model. " + sentence}])
    assert code_status(papers)["status"].tolist() == ["none"]


@pytest.mark.parametrize(
    ("abstract", "status"),
    [
        ("Code is at https://gitlab.com/grp/proj.", "linked"),
        ("Code is at https://bitbucket.org/team/tool.", "linked"),
        ("Code and models are available at https://lab.example.org/proj.", "linked"),
        ("The code will be released at https://github.com/a/b.", "linked"),
        ("Weights: https://huggingface.co/org/model.", "none"),
        ("See https://github.com/someone for more.", "none"),
        ("Project page: https://a.github.io/p. Code will be released.", "promised"),
        ("Data at https://lab.example.org/data. Our code will be released.", "promised"),
        ("Code is available at this https URL.", "linked"),  # arXiv hides the link
    ],
)
def test_linked_needs_a_code_link_or_a_link_in_the_code_sentence(papers_factory, abstract, status):
    papers = papers_factory([{"title": "T", "abstract": abstract}])
    assert code_status(papers)["status"].tolist() == [status]


def test_code_status_flags(papers_factory):
    papers = papers_factory(
        [
            {
                "title": "T",
                "abstract": "Page https://a.github.io/p and https://huggingface.co/o/m and "
                "https://anonymous.4open.science/r/X-1.",
            }
        ]
    )
    row = code_status(papers).iloc[0]
    assert row["status"] == "linked"
    assert (row["n_links"], row["n_code_links"]) == (3, 1)
    assert row["has_project_page"] and row["has_huggingface"] and row["has_anonymous_review"]


def test_code_phrases_reports_the_phrase():
    phrases = code_phrases("We propose X. Code will be released upon acceptance.")
    assert phrases and phrases[0][2].lower().startswith("code will be released")


# ---------------------------------------------------------------------------------------------
# properties

_URLISH = st.text(
    alphabet=st.sampled_from(list("abcXY01/._-?=#&%~()[]{}<>'\",;:!*\\") + [" ", "\n", "\u2026"]),
    max_size=40,
)
_PREFIX = st.sampled_from(
    [
        "https://",
        "http://",
        "github.com/",
        "https://github.com/",
        "huggingface.co/",
        "x.github.io/",
        "",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_PREFIX, _URLISH), max_size=4))
def test_cleaned_links_never_end_in_punctuation(pieces):
    text = " ".join(p + s for p, s in pieces)
    for link in links_in_text(text):
        url = link["url"]
        assert url.startswith(("http://", "https://"))
        assert not url.endswith(tuple(".,;:'\"!?*/"))
        assert not any(ch.isspace() for ch in url)
        assert "{" not in url and "}" not in url
        for close, open_ in ((")", "("), ("]", "[")):
            if url.endswith(close):
                assert url.count(open_) >= url.count(close)
        assert link["kind"] in KINDS


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_extraction_never_crashes_on_arbitrary_text(text):
    for link in links_in_text(text):
        assert clean_url(link["url"]) == link["url"]  # cleaning is idempotent


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(abstracts=st.lists(st.text(max_size=80), min_size=1, max_size=4))
def test_tables_never_crash_on_arbitrary_abstracts(papers_factory, abstracts):
    papers = papers_factory([{"title": f"T{i}", "abstract": a} for i, a in enumerate(abstracts)])
    extract_links(papers)
    assert set(code_status(papers)["status"]) <= {"linked", "promised", "none"}


# ---------------------------------------------------------------------------------------------
# the vectorised pre-filter: a text it rejects yields nothing from the per-text path, and the
# tables equal the per-text tables


def _parametrized_texts(module) -> list[str]:
    """Every string argument of every parametrized test in ``module`` (the tricky texts)."""
    texts = []
    for test in vars(module).values():
        for mark in getattr(test, "pytestmark", []):
            if mark.name == "parametrize":
                for case in mark.args[1]:
                    values = case if isinstance(case, tuple) else (case,)
                    texts += [v for v in values if isinstance(v, str)]
    return texts


def _tricky_texts() -> list[str]:
    import sys

    hostile = sorted((Path(__file__).parents[1] / "hostile").iterdir())
    raw = [p.read_bytes() for p in hostile if p.is_file()]
    return (
        _parametrized_texts(sys.modules[__name__])
        + list(SEED_ABSTRACTS.values())
        + [b.decode("utf-8", errors="replace") for b in raw]
        + [b.decode("latin-1") for b in raw]
    )


def test_fold_table_lists_every_non_ascii_character_python_folds_onto_an_ascii_letter():
    import re

    from helpers.analysis.links.urls import _FOLD

    letter = re.compile("[a-z]", re.IGNORECASE)
    folded = {
        chr(cp): next(c for c in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(c, chr(cp), re.I))
        for cp in range(128, 0x110000)
        if not 0xD800 <= cp < 0xE000 and letter.fullmatch(chr(cp))
    }
    assert folded == _FOLD


def test_prefilter_rejects_only_texts_without_links_or_code_phrases():
    from helpers.analysis.links import may_have_code_phrases, may_have_links

    texts = _tricky_texts()
    with_links = [t for t in texts if links_in_text(t)]
    with_phrases = [t for t in texts if code_phrases(t)]
    assert len(with_links) > 50 and len(with_phrases) > 10  # the check below is not empty
    assert may_have_links(with_links).all()
    assert may_have_code_phrases(with_phrases).all()
    # and it does reject something: plain prose, "decoder", a link-free hostile file
    assert not may_have_links(["We decode it.", "e.g. the com. www"]).any()
    assert not may_have_code_phrases(["The decoder is available.", "Code generation"]).any()


# near misses of the anchors: other case, Python's non-ASCII case folds, broken spellings
_NEAR = st.sampled_from(
    [
        "HTTPS://", "http:/", "://", "GitHub.com/a/b", "G\u0130THUB.COM/x", "g\u0131thub.com/x",
        "github. com/a/b", "github .com", "x.GITHUB.IO", "hf.co/m", "HF.CO", "hf co", "www.",
        "WWW.a.org", "kaggle.com", "\u212aaggle.com/d", "anonymous.4open.science/r/x",
        "zenodo.org", "arxiv.org/abs/1", "huggingface.co/", "Code", "code will be released",
        "CODE IS AVAILABLE", "decode", "_code", "\u017foftware is available", "implementation",
        "repository", "scripts", "we release", "we will open-source the", "available",
        "upon acceptance", "can be found", "coming soon", "is public", "\n", " ", ".", "/",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_NEAR, st.text(max_size=6)), max_size=12))
def test_prefilter_never_rejects_a_text_the_per_text_path_reads_something_in(pieces):
    from helpers.analysis.links import may_have_code_phrases, may_have_links

    text = "".join(pieces)
    if links_in_text(text):
        assert may_have_links([text])[0]
    if code_phrases(text):
        assert may_have_code_phrases([text])[0]


def test_prefilter_reads_every_text_when_polars_cannot_take_them():
    from helpers.analysis.links import may_have_code_phrases, may_have_links

    texts = ["no link here", "lone surrogate \udcff"]
    assert may_have_links(texts).tolist() == [True, True]
    assert may_have_code_phrases(texts).tolist() == [True, True]


@pytest.fixture
def tricky_papers(papers_factory):
    from helpers.ingest.load import load_dumps

    from_seeds = load_dumps(Path(__file__).parents[2] / "data" / "raw")
    texts = _tricky_texts()
    tricky = papers_factory(
        [{"title": f"T{i} {t[:40]}", "abstract": t} for i, t in enumerate(texts)]
        # the same paper twice with a different abstract: the longest text is read
        + [{"title": "Twice", "abstract": "Short. Code will be released."}]
        + [{"title": "Twice", "abstract": "Short. Code: https://github.com/a/b", "dump_seq": 4}]
    )
    return pd.concat([from_seeds[tricky.columns], tricky], ignore_index=True)


def _reference_code_status(papers: pd.DataFrame) -> pd.DataFrame:
    """code_status the per-paper way: every paper's longest text through the per-text path."""
    from helpers.analysis.links.code import _code_row

    texts = papers.assign(text=papers["title"] + "\n" + papers["abstract"])
    rows = [
        {"paper_id": str(pid), **_code_row(max(group["text"], key=len))}
        for pid, group in texts.groupby(texts["paper_id"].astype(str), sort=True)
    ]
    return pd.DataFrame(rows)


def test_fast_tables_equal_the_per_text_tables(tricky_papers, monkeypatch):
    import numpy as np

    import helpers.analysis.links.code as code_module
    import helpers.analysis.links.urls as urls_module

    fast_links, fast_status = extract_links(tricky_papers), code_status(tricky_papers)
    assert len(fast_links) > 50
    assert set(fast_status["status"]) == {"linked", "promised", "none"}
    calls = []

    def every(texts):
        calls.append(len(texts))
        return np.ones(len(texts), dtype=bool)

    # the pre-filters are looked up where extract_links and code_status are defined
    monkeypatch.setattr(urls_module, "may_have_links", every)
    monkeypatch.setattr(code_module, "may_have_links", every)
    monkeypatch.setattr(code_module, "may_have_code_phrases", every)
    pd.testing.assert_frame_equal(fast_links, extract_links(tricky_papers), check_exact=True)
    slow_status = code_status(tricky_papers)
    assert len(calls) >= 3  # the per-text path really ran, for both tables
    pd.testing.assert_frame_equal(fast_status, slow_status, check_exact=True)
    reference = _reference_code_status(tricky_papers)
    pd.testing.assert_frame_equal(
        fast_status.astype(object), reference.astype(object), check_exact=True
    )
    assert (
        fast_status.set_index("paper_id").loc[
            tricky_papers.query("title == 'Twice'")["paper_id"].iloc[0], "status"
        ]
        == "linked"
    )


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def test_word_scan_finds_the_candidates_a_whole_text_scan_finds():
    from helpers.analysis.links.urls import _CANDIDATE, _candidate_matches

    texts = _tricky_texts()
    spread = [t.replace(" ", sep) for t in texts for sep in ("\x1c", "\x0b", "  \n")]
    checked = [t for t in texts + spread if t.isascii()]
    assert sum(bool(_CANDIDATE.search(t)) for t in checked) > 100
    for text in checked:
        assert _spans(_candidate_matches(text)) == _spans(_CANDIDATE.finditer(text)), text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(_NEAR, st.sampled_from(["\t", "\x1f", "\r\n", "(", "@", "-", "_", "a1"])),
        max_size=14,
    )
)
def test_word_scan_equals_whole_text_scan_on_near_misses(pieces):
    from helpers.analysis.links.urls import _CANDIDATE, _candidate_matches

    text = "".join(pieces)
    assert _spans(_candidate_matches(text)) == _spans(_CANDIDATE.finditer(text))


def test_promise_starts_give_the_matches_a_whole_text_scan_gives():
    from helpers.analysis.links.code import _PROMISE, _promise_matches

    texts = _tricky_texts()
    checked = [t for t in texts + [t.upper() for t in texts] if t.isascii()]
    assert sum(bool(_PROMISE.search(t)) for t in checked) > 30
    for text in checked:
        assert _spans(_promise_matches(text)) == _spans(_PROMISE.finditer(text)), text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            _NEAR,
            st.sampled_from(
                ["we ", "WE will release ", "source code", "repo", "toolkit", "the ", "is ", "x"]
            ),
        ),
        max_size=14,
    )
)
def test_promise_starts_equal_whole_text_scan_on_near_misses(pieces):
    from helpers.analysis.links.code import _PROMISE, _promise_matches

    text = "".join(pieces)
    assert _spans(_promise_matches(text)) == _spans(_PROMISE.finditer(text))
