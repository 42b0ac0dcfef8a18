"""helpers.text.counting (Polars engine) gives exactly the counts of the reference tokeniser."""

from __future__ import annotations

import gc
import weakref
from collections import Counter
from collections.abc import Iterable

import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.ingest.load import load_dumps
from helpers.testing import synth
from helpers.text import counting, doc_terms, stopwords
from helpers.text import totals as totals_module
from helpers.text.counting import (
    COUNTS_SCHEMA,
    count_batch,
    count_dumps,
    count_terms,
    count_texts,
    fast_path,
    merge_counts,
    to_pandas,
)


def reference_counts(
    texts: Iterable[str], ngram=(1, 2), own_stopwords: Iterable[str] | None = None
) -> pd.DataFrame:
    """Counting with helpers.text.doc_terms, one document at a time (the reference)."""
    stop = stopwords() if own_stopwords is None else frozenset(own_stopwords)
    counts: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    for text in texts:
        terms = doc_terms(text, ngram, stop)
        counts.update(terms)
        docs.update(set(terms))
    rows = [(t, t.count(" ") + 1, counts[t], docs[t]) for t in counts]
    return _canon(pd.DataFrame(rows, columns=["term", "n", "count", "doc_count"]))


def _canon(df: pd.DataFrame) -> pd.DataFrame:
    return (
        df[["term", "n", "count", "doc_count"]]
        .astype({"term": str, "n": "int64", "count": "int64", "doc_count": "int64"})
        .sort_values(["n", "term"])
        .reset_index(drop=True)
    )


def assert_same_counts(fast: pd.DataFrame, reference: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(_canon(fast), reference)


TRICKY = [
    "We fine-tune LLMs on multi-modal data (see https://x.io), 3x faster than GPT-4.",
    "Code: github.com/org/repo-name and huggingface.co/spaces/demo; www.example.com/page.",
    "Numbers 1,000 and 3.5 and 10-20 and 95% and (42) and 0.001. v1.2.3 and 1.2.3.4 GPT-3.5",
    "A100s, ViTs, GNNs, MLLMs' and LLMs-based models; PRES, process, Papers.",
    "Pre-trained non-linear fine-tuning re-ranking self-supervised state-of-the-art zero-shot",
    "pre-3d multi-2x anti--x re- un-", "x - y -- z \u2014 w \u2013 v | q",
    "LARP's model's users' \u2019s GPT\u20114 non\u2010linear \u22121 soft\u00adhyphen",
    "e.g. i.e. U.S.A. et al. 5.com 12.io x2.ai a.b.c",
    "Модели языка (LLMs) 大规模 model",
    "naïve café Straße ǅ İstanbul ﬁne-tuning ΣΑΣ λ-calculus",
    "emoji \U0001f600 text, LLM\u00b2 x\u00b9 \u00bd-shot", "5.-x.com 3..4 7-.com end",
    "", "   ", "2024", "\n\nline\nbreaks\tand\ttabs\r\nhere",
    " 5 - x 5. - y a - - b a  b  x -y 12,5a b z's  w 7 -- q 3 -  - r 1-bit 2024, x- y ",
    "0.Graph nets, 1-2,graph nets and graph 12_nets 1.5.a: bare numbers a word match took",
]  # fmt: skip


def test_seeds_same_counts_as_reference():
    papers = load_dumps("data/raw")
    for field, texts in [
        ("abstract", papers["abstract"]),
        ("both", papers["title"] + "\n" + papers["abstract"]),
    ]:
        fast = count_terms(papers, ngram=(1, 2), field=field)
        assert_same_counts(fast, reference_counts(texts.tolist()))
        assert len(fast) > 1000  # the seeds are real text, not a trivial case


def test_seeds_count_dumps_equals_count_terms():
    papers = load_dumps("data/raw")
    pd.testing.assert_frame_equal(count_dumps("data/raw", progress=False), count_terms(papers))


@pytest.mark.parametrize("ngram", [1, 2, (1, 2), (1, 2, 3)])
def test_synthetic_corpus_same_counts(tmp_path, ngram):
    planted = {"mamba": (0.1, 0.6), "state space models": 0.3, "LLMs": 0.2}
    dumps = list(synth.iter_dumps(4, 40, planted=planted, seed=3, repeat_share=0.25))
    synth.write_corpus(tmp_path, 4, 40, planted=planted, seed=3, repeat_share=0.25)
    texts = synth.papers_frame(dumps)["abstract"].tolist()
    expected = reference_counts(texts, ngram)
    assert_same_counts(count_dumps(tmp_path, ngram=ngram, progress=False), expected)
    assert_same_counts(count_texts(texts, ngram=ngram, batch_docs=17), expected)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_strings_same_counts(text):
    for ngram in (1, (1, 2), 3):
        assert_same_counts(count_texts([text], ngram), reference_counts([text], ngram))


def test_tricky_strings_together_and_with_own_stopwords():
    assert_same_counts(count_texts(TRICKY), reference_counts(TRICKY))
    own = {"we", "and", "model", "the"}
    assert_same_counts(
        count_texts(TRICKY, stopwords=own, batch_docs=4),
        reference_counts(TRICKY, own_stopwords=own),
    )


def test_fallback_is_used_for_non_latin_text_only():
    mask = fast_path(pl.Series(TRICKY)).to_list()
    by_text = dict(zip(TRICKY, mask, strict=True))
    assert by_text[TRICKY[0]] and by_text[TRICKY[1]] and by_text[TRICKY[2]]
    assert not by_text[TRICKY[9]]  # Cyrillic and CJK
    assert not by_text[TRICKY[11]]  # emoji, superscripts
    assert not by_text["5.-x.com 3..4 7-.com end"]  # URL could start inside a number's end
    # a batch mixing both paths still counts exactly
    mixed = [TRICKY[9], "Large language models (LLMs) scale.", TRICKY[11]] * 3
    assert_same_counts(count_texts(mixed), reference_counts(mixed))


_FRAGMENTS = [
    "LLMs", "GNNs", "ViT", "A100s", "model", "the", "of", "fine-tune", "multi-modal", "pre",
    "-", "--", " - ", ".", ",", "'s", "\u2019", "3", "3.5", "1,000", "10-20", "x", "v2",
    "https://a.io/b", "www.", "github.com/x", ".com", "io", "(", ")", "\n", " ", " ", " ",
    "\u00e9", "\u03b1", "\u2013", "\u2014", "\u2011", "%", "_", "Zero-Shot", "state-of-the-art",
]  # fmt: skip

# text built from fragments that stress the rules, or any text at all
_TEXT = st.one_of(
    st.lists(st.sampled_from(_FRAGMENTS), max_size=25).map("".join),
    st.text(max_size=40),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=4))
def test_generated_text_same_counts(texts):
    assert_same_counts(count_texts(texts, (1, 2)), reference_counts(texts, (1, 2)))


def test_output_is_sorted_and_checked():
    out = count_texts(["Graph nets.", "Graph models, graph nets.", "Graph nets scale."], (1, 2))
    COUNTS_SCHEMA.validate(out)
    assert list(out.columns) == ["term", "n", "count", "doc_count"]
    assert out["n"].is_monotonic_increasing
    uni = out[out["n"] == 1]
    assert uni["term"].tolist()[:2] == ["graph", "nets"]
    assert uni.iloc[0][["count", "doc_count"]].tolist() == [4, 3]
    empty = count_texts([])
    assert empty.empty and list(empty.columns) == ["term", "n", "count", "doc_count"]


def test_count_terms_does_not_mutate_input():
    papers = pd.DataFrame({"title": ["T"], "abstract": ["Deep nets scale."]})
    before = papers.copy()
    count_terms(papers)
    pd.testing.assert_frame_equal(papers, before)


def test_count_dumps_streams_one_file_at_a_time(tmp_path, monkeypatch):
    import helpers.ingest.dumps

    synth.write_corpus(tmp_path, 5, 12, seed=2)
    events: list[str] = []
    alive: list[weakref.ref] = []
    real_parse, real_batch = helpers.ingest.dumps.parse_file, totals_module.count_ids

    def parse(path):
        gc.collect()
        # every earlier parsed file has been released before the next one is read
        assert all(ref() is None for ref in alive)
        parsed = real_parse(path)
        alive.append(weakref.ref(parsed))
        events.append("parse")
        return parsed

    def batch(texts, *args, **kwargs):
        events.append(f"count {len(texts)}")
        return real_batch(texts, *args, **kwargs)

    monkeypatch.setattr(helpers.ingest.dumps, "parse_file", parse)
    monkeypatch.setattr(totals_module, "count_ids", batch)
    out = count_dumps(tmp_path, batch_docs=12, progress=False, prefetch=False)
    # counting of each file's papers happens before the next file is parsed
    assert events == ["parse", "count 12"] * 5
    texts = synth.papers_frame(list(synth.iter_dumps(5, 12, seed=2)))["abstract"]
    assert_same_counts(out, reference_counts(texts.tolist()))

    # with prefetch the next file is read while a batch is counted, still one file at a time
    events.clear()
    alive.clear()
    out = count_dumps(tmp_path, batch_docs=12, progress=False, prefetch=True)
    assert sorted(events) == sorted(["parse", "count 12"] * 5)
    last_parse = len(events) - 1 - events[::-1].index("parse")
    assert events.index("count 12") < last_parse
    assert_same_counts(out, reference_counts(texts.tolist()))


def test_prefetch_passes_errors_through(tmp_path):
    def broken():
        yield "Graph nets."
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError, match="disk gone"):
        list(counting._prefetch(broken()))
    assert list(counting._prefetch(iter(range(5)))) == list(range(5))


def test_threads_give_the_same_counts():
    texts = synth.papers_frame(list(synth.iter_dumps(1, 4100, seed=5, words_per_abstract=20)))
    texts = texts["abstract"].tolist() + [TRICKY[9]]
    one = to_pandas(count_batch(texts, threads=1))
    assert_same_counts(to_pandas(count_batch(texts, threads=2)), _canon(one))
    assert_same_counts(one, reference_counts(texts))


def test_progress_bar_only_on_a_terminal(tmp_path, capsys):
    synth.write_corpus(tmp_path, 2, 5, seed=0)
    count_dumps(tmp_path)  # stderr is captured by pytest: not a terminal
    assert capsys.readouterr().err == ""
    count_dumps(tmp_path, progress=True)
    assert "counting dumps" in capsys.readouterr().err


def test_non_dump_files_are_skipped_with_a_warning(tmp_path):
    synth.write_corpus(tmp_path, 2, 5, seed=0)
    (tmp_path / "999_notes.txt").write_text("just a note\n\nnot a dump", encoding="utf-8")
    with pytest.warns(UserWarning, match="not counted"):
        out = count_dumps(tmp_path, progress=False)
    texts = synth.papers_frame(list(synth.iter_dumps(2, 5, seed=0)))["abstract"].tolist()
    assert_same_counts(out, reference_counts(texts))


def test_count_groups_reuses_results_only_through_the_callers_cache(monkeypatch):
    calls = []
    real = counting._count_groups
    monkeypatch.setattr(counting, "_count_groups", lambda *a: calls.append(1) or real(*a))
    texts = ["Graph nets.", "Graph models.", "Graph nets."]
    # no cache: nothing is kept anywhere, equal inputs are counted again
    counting.count_groups(texts, groups=[0, 1, 1], ngram=1)
    counting.count_groups(texts, groups=[0, 1, 1], ngram=1)
    assert len(calls) == 2
    calls.clear()
    cache = counting.CountCache(keep=4)
    first = counting.count_groups(texts, groups=[0, 1, 1], ngram=1, cache=cache)
    again = counting.count_groups(pd.Series(list(texts)), groups=[0, 1, 1], ngram=[1], cache=cache)
    assert again.equals(first) and len(calls) == 1
    # any change of text, order, groups, documents or options counts again
    counting.count_groups(texts[1:] + texts[:1], groups=[0, 1, 1], ngram=1, cache=cache)
    counting.count_groups(texts, groups=[1, 1, 0], ngram=1, cache=cache)
    counting.count_groups(texts, groups=[0, 1, 1], docs=[0, 1, 0], ngram=1, cache=cache)
    counting.count_groups(texts, groups=[0, 1, 1], ngram=(1, 2), cache=cache)
    counting.count_groups(texts, groups=[0, 1, 1], ngram=1, stopwords={"graph"}, cache=cache)
    assert len(calls) == 6
    changed = counting.count_groups(
        ["Graph nets.", "Graph models.", "Graph nots."], [0, 1, 1], cache=cache
    )
    assert "nots" in changed["term"].to_list()
    assert len(cache) == 4  # the least recently used results were dropped
    # another cache (another notebook) shares nothing with this one
    counting.count_groups(texts, groups=[0, 1, 1], ngram=1, cache=counting.CountCache())
    assert len(calls) == 8


@settings(max_examples=40, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=8), st.integers(1, 3))
def test_streamed_batches_are_ordered_like_a_string_sort(texts, batch_docs):
    # terms are ordered by the ranks of their words, not by a string sort: the order must
    # still be the string order (n, doc_count desc, count desc, term), across batches, with
    # grouped counting too
    ordered = count_texts(texts, (1, 2, 3), batch_docs=batch_docs)
    pd.testing.assert_frame_equal(ordered, to_pandas(count_batch(texts, (1, 2, 3))))
    grouped = counting.count_groups(texts, [k % 2 for k in range(len(texts))], ngram=(1, 2))
    expected = merge_counts(
        [count_batch(texts, (1, 2), groups=[k % 2 for k in range(len(texts))])]
    )
    expected = counting.sort_counts(expected, lead=["group"])
    assert grouped.equals(expected.select(grouped.columns))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(_TEXT, st.integers(1, 4)), min_size=1, max_size=5), st.integers(2, 4))
def test_min_count_leaves_out_rare_ngrams_only(drawn, min_count):
    texts = [text for text, copies in drawn for _ in range(copies)]  # n-grams seen 1-4+ times
    groups = [k % 2 for k in range(len(texts))]
    for codes in (None, groups):
        every = counting.count_groups(texts, codes, ngram=(1, 2, 3))
        kept = counting.count_groups(texts, codes, ngram=(1, 2, 3), min_count=min_count)
        expected = every.filter((pl.col("n") == 1) | (pl.col("count") >= min_count))
        assert kept.equals(expected)


def test_min_count_keeps_an_ngram_seen_exactly_that_often():
    texts = ["Graph neural nets.", "Graph neural nets.", "Graph neural models."]
    kept = counting.count_groups(texts, ngram=(1, 2), min_count=2)
    bigrams = kept.filter(pl.col("n") == 2)["term"].sort().to_list()
    assert bigrams == ["graph neural", "neural nets"]
    assert "models" in kept["term"].to_list()  # unigrams are all kept


def test_same_counts_without_polars_categories(monkeypatch):
    # Polars without pl.Categories: the group_by encoding must count the same
    texts = [*TRICKY[:9], "Graph nets.", "Graph models, graph nets's graph."]
    with_categories = count_texts(texts)
    monkeypatch.delattr(pl, "Categories", raising=False)
    pd.testing.assert_frame_equal(count_texts(texts), with_categories)
    assert_same_counts(with_categories, reference_counts(texts))
