"""Venues: mentions with years and context, true and false positives, coverage with intervals."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.analysis.stats import wilson_interval
from helpers.analysis.venues import (
    CONTEXTS,
    find_venues,
    venue_coverage,
    venue_lexicon,
    venue_table,
    venues_in_text,
)


def mentions(text: str) -> list[tuple]:
    return [(m["venue"], m["year"], m["context"]) for m in venues_in_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This paper was accepted at NeurIPS 2023.", [("NeurIPS", 2023, "accepted")]),
        ("Accepted to ICLR 2024 as an oral.", [("ICLR", 2024, "accepted")]),
        ("Our work (NeurIPS'23) shows", [("NeurIPS", 2023, "mention")]),
        ("Our work (NeurIPS\u201923) shows", [("NeurIPS", 2023, "mention")]),
        ("at ICLR-2024 we", [("ICLR", 2024, "mention")]),
        ("results (CVPR 2024).", [("CVPR", 2024, "mention")]),
        ("as in ICCV, 2023.", [("ICCV", 2023, "mention")]),
        ("at NeurIPS2023.", [("NeurIPS", 2023, "mention")]),
        ("the NIPS 2017 paper", [("NeurIPS", 2017, "mention")]),
        ("Published in IEEE TPAMI.", [("TPAMI", None, "published")]),
        ("To appear in T-PAMI.", [("TPAMI", None, "accepted")]),
        ("This paper has been accepted by TMLR.", [("TMLR", None, "accepted")]),
        (
            "Presented at the ICML 2024 Workshop on Foundation Models.",
            [("ICML", 2024, "workshop")],
        ),
        ("A workshop paper at EMNLP 2023.", [("EMNLP", 2023, "workshop")]),
        ("Unlike prior ECCV work, we", [("ECCV", None, "mention")]),
        ("Accepted to SIGGRAPH Asia 2023.", [("SIGGRAPH Asia", 2023, "accepted")]),
        ("Accepted to SIGGRAPH 2024.", [("SIGGRAPH", 2024, "accepted")]),
        ("In KDD '24 we", [("KDD", 2024, "mention")]),
        ("Accepted at The Web Conference 2024.", [("WWW", 2024, "accepted")]),
        ("Accepted at WWW 2024.", [("WWW", 2024, "accepted")]),
        ("accepted to ACL 2024 Findings", [("ACL", 2024, "accepted")]),
        ("Accepted to the ACL main conference.", [("ACL", None, "accepted")]),
        ("at RSS 2023 we", [("RSS", 2023, "mention")]),
        ("UAI 2022 paper", [("UAI", 2022, "mention")]),
        ("accepted at RecSys 2023", [("RecSys", 2023, "accepted")]),
        (
            "Interspeech 2023 and ICASSP 2024",
            [("INTERSPEECH", 2023, "mention"), ("ICASSP", 2024, "mention")],
        ),
        (
            "Proceedings of the 2023 Conference on Empirical Methods in Natural Language "
            "Processing",
            [("EMNLP", 2023, "published")],
        ),
        ("In MICCAI 2024.", [("MICCAI", 2024, "mention")]),
        ("accepted to AAAI-25.", [("AAAI", 2025, "accepted")]),
        ("the ICML-2 variant", [("ICML", None, "mention")]),
    ],
)
def test_true_positives(text, expected):
    assert mentions(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We detect ACL tears in knee MRI scans.",
        "Entries in the ACL Anthology corpus.",
        "an access-control list (ACL) grants rights",
        "News arrives via RSS feeds.",
        "Pages on the WWW are crawled; see www.example.org.",
        "In WWW.Example.org we",
        "The UAI model family is new.",
        "LLM-based RecSys are popular.",
        "CVPR-style figures.",
        "We use the neurips dataset loader.",
        "The NAACLE protein.",
        "computer vision and pattern recognition tasks",
        "",
    ],
)
def test_false_positives_are_not_venues(text):
    assert mentions(text) == []


def test_implausible_years_are_missing_not_wrong():
    assert mentions("CVPR 3000 is far away") == [("CVPR", None, "mention")]


def test_snippet_is_the_matched_text():
    found = venues_in_text("Accepted at NeurIPS'23, main track.")
    assert [m["text"] for m in found] == ["NeurIPS'23"]


def test_lexicon_is_well_formed():
    lex = venue_lexicon()
    assert lex["venue"].is_unique
    assert {"NeurIPS", "ICML", "ICLR", "CVPR", "ACL", "WWW", "TPAMI", "JMLR", "TMLR"} <= set(
        lex["venue"]
    )
    assert set(lex.loc[lex["needs_context"], "venue"]) >= {"ACL", "WWW", "RSS", "UAI"}
    aliases = [
        a for col in ("acronyms", "names") for cell in lex[col] for a in cell.split("|") if a
    ]
    assert len(aliases) == len(set(aliases)), "an alias belongs to one venue only"


@pytest.fixture
def papers(papers_factory):
    return papers_factory(
        [
            {"title": "A", "abstract": "Accepted at NeurIPS 2023. Better than ICML'22 work."},
            {"title": "B (CVPR 2024)", "abstract": "No venue in the abstract.", "dump_seq": 0},
            {"title": "B (CVPR 2024)", "abstract": "No venue in the abstract.", "dump_seq": 4},
            {"title": "C", "abstract": "A plain abstract.", "dump_seq": 4},
        ]
    )


def test_find_venues_table(papers):
    found = find_venues(papers).merge(
        papers[["paper_id", "title"]].drop_duplicates(), on="paper_id"
    )
    assert sorted(found[["title", "field", "venue", "context"]].values.tolist()) == [
        ["A", "abstract", "ICML", "mention"],
        ["A", "abstract", "NeurIPS", "accepted"],
        ["B (CVPR 2024)", "title", "CVPR", "mention"],
    ]
    assert str(found["year"].dtype) == "Int64"
    assert set(found["context"]) <= set(CONTEXTS)


def test_find_venues_year_is_missing_when_not_given(papers_factory):
    found = find_venues(papers_factory([{"title": "T", "abstract": "Unlike ECCV papers, we"}]))
    assert found["year"].isna().all() and len(found) == 1


def test_find_venues_does_not_mutate_input(papers):
    before = papers.copy()
    find_venues(papers)
    pd.testing.assert_frame_equal(papers, before)


def test_venue_table(papers):
    table = venue_table(find_venues(papers)).set_index("venue")
    assert table.loc["NeurIPS", "accepted_or_published"] == 1
    assert table.loc["CVPR", "accepted_or_published"] == 0
    assert table.loc["ICML", "first_year"] == 2022
    assert (table["papers"] == 1).all()


def test_venue_coverage_counts_each_paper_once(papers):
    cov = venue_coverage(papers, find_venues(papers))
    assert cov[["papers", "papers_with_venue"]].values.tolist() == [[3, 2]]
    lo, hi = wilson_interval(2, 3)
    assert cov.loc[0, "share"] == pytest.approx(2 / 3)
    assert (cov.loc[0, "ci_low"], cov.loc[0, "ci_high"]) == pytest.approx((float(lo), float(hi)))


def test_venue_coverage_by_group(papers):
    cov = venue_coverage(papers, find_venues(papers), by="dump_seq").set_index("dump_seq")
    assert cov.loc[0, ["papers", "papers_with_venue"]].tolist() == [2, 2]
    assert cov.loc[4, ["papers", "papers_with_venue"]].tolist() == [2, 1]


def test_venue_coverage_with_no_mentions_is_zero_not_empty(papers_factory):
    papers = papers_factory([{"title": "T", "abstract": "Nothing."}])
    cov = venue_coverage(papers, find_venues(papers))
    assert cov[["papers", "papers_with_venue", "share"]].values.tolist() == [[1, 0, 0.0]]
    assert cov.loc[0, "ci_high"] > 0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_never_crashes_and_years_are_plausible(text):
    for m in venues_in_text(text):
        assert m["year"] is None or 1980 <= m["year"] <= 2039
        assert m["context"] in CONTEXTS
        assert text[m["position"] :].startswith(m["text"].split()[0])


@pytest.mark.parametrize(
    ("text", "venue", "year"),
    [
        ("Accepted to EMNLP Findings 2023.", "EMNLP", 2023),
        ("To appear at the NeurIPS Datasets and Benchmarks 2024 track.", "NeurIPS", 2024),
        ("Presented at the ICLR Workshops 2021.", "ICLR", 2021),
    ],
)
def test_a_track_name_between_venue_and_year_keeps_the_year(text, venue, year):
    found = [(m["venue"], m["year"]) for m in venues_in_text(text)]
    assert found == [(venue, year)]


# ---------------------------------------------------------------------------------------------
# the vectorised pre-filter: a text it rejects yields no mention, and the table is unchanged


def _tricky_texts() -> list[str]:
    import sys
    from pathlib import Path

    texts = []
    for test in vars(sys.modules[__name__]).values():
        for mark in getattr(test, "pytestmark", []):
            if mark.name == "parametrize":
                for case in mark.args[1]:
                    values = case if isinstance(case, tuple) else (case,)
                    texts += [v for v in values if isinstance(v, str)]
    hostile = sorted((Path(__file__).parents[1] / "hostile").iterdir())
    return texts + [p.read_bytes().decode("utf-8", errors="replace") for p in hostile]


def _aliases() -> list[str]:
    lexicon = venue_lexicon()
    return [a for col in ("acronyms", "names") for v in lexicon[col] for a in v.split("|") if a]


def test_prefilter_keeps_every_text_with_a_mention():
    from helpers.analysis.venues import may_have_venues

    texts = _tricky_texts()
    named = [t for t in texts if venues_in_text(t)]
    assert len(named) > 20
    assert may_have_venues(named).all()
    # every alias of the lexicon, alone and spread over a line break, passes
    aliases = _aliases()
    spread = [a.replace(" ", " \n\t") + " 2024" for a in aliases]
    assert all(venues_in_text(t) for t in spread)
    assert may_have_venues(spread).all()
    assert not may_have_venues(["We study neurips-like icml data.", "Feeds"]).any()
    assert may_have_venues(["surrogate \udcff"]).tolist() == [True]  # Polars cannot read it


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_aliases()),
            st.sampled_from(["accepted at ", " 2024", "'23", "(", ")", " ", "\n", "-", "Conf"]),
            st.text(max_size=5),
        ),
        max_size=8,
    )
)
def test_prefilter_never_rejects_a_text_with_a_mention(pieces):
    from helpers.analysis.venues import may_have_venues

    text = "".join(pieces)
    if venues_in_text(text):
        assert may_have_venues([text])[0]


def test_fast_table_equals_the_per_text_table(papers_factory, monkeypatch):
    import numpy as np

    import helpers.analysis.venues as venues_module

    papers = papers_factory(
        [{"title": f"T{i}", "abstract": t} for i, t in enumerate(_tricky_texts())]
    )
    fast = find_venues(papers)
    assert len(fast) > 20
    monkeypatch.setattr(venues_module, "may_have_venues", lambda t: np.ones(len(t), dtype=bool))
    pd.testing.assert_frame_equal(fast, find_venues(papers), check_exact=True)


def test_polars_space_class_takes_every_character_python_calls_whitespace():
    import re

    import polars as pl

    from helpers.analysis.venues import _ANY_SPACE

    spaces = [
        chr(cp)
        for cp in range(0x110000)
        if not 0xD800 <= cp < 0xE000 and re.fullmatch(r"\s", chr(cp))
    ]
    assert len(spaces) > 20
    matched = pl.Series(spaces).str.contains(rf"^{_ANY_SPACE}$")
    assert matched.all(), [hex(ord(c)) for c, m in zip(spaces, matched, strict=True) if not m]
