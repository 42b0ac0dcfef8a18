"""Term frequencies, distinctive terms, collocations and word-cloud input
(helpers.analysis.terms)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
from scipy import stats as st

from helpers import load_dumps
from helpers.analysis.terms import (
    cloud_frequencies,
    collocations,
    distinctive_terms,
    field_text,
    term_frequencies,
    term_occurrences,
    term_shares_by_group,
)
from helpers.config import paths
from helpers.testing import synth
from helpers.text import counting, segments
from helpers.text import stopwords as default_stopwords


@pytest.fixture
def two_dumps(papers_factory):
    a = dict(dump_seq=0, dump_file="000_a.txt")
    b = dict(dump_seq=4, dump_file="004_b.txt", dump_date="2024-07-28")
    rows = [
        dict(title="Sequential models", abstract="Sequential graph models. Sequential data.", **a),
        dict(title="Sequential decoding", abstract="Sequential decoding of graph models.", **a),
        dict(title="On sequential RL", abstract="Sequential RL with graph models.", **a),
        dict(title="Iterative solvers", abstract="Iterative refinement of graph models.", **b),
        dict(title="Iterative LLMs", abstract="Iterative prompting of LLMs on graph data.", **b),
        dict(title="Iterative search", abstract="Iterative search over graph models.", **b),
        dict(title="Iterative nets", abstract="Iterative graph models, iterative again.", **b),
    ]
    return papers_factory(rows)


def test_field_text_picks_columns(two_dumps):
    assert field_text(two_dumps, "title").iloc[0] == "Sequential models"
    assert field_text(two_dumps, "both").iloc[0].startswith("Sequential models\nSequential")
    with pytest.raises(ValueError):
        field_text(two_dumps, "body")


def test_occurrences_map_terms_to_row_positions(two_dumps):
    occ = term_occurrences(two_dumps.iloc[:2])
    assert occ["term"].tolist() == [
        "sequential", "graph", "models", "sequential", "data",
        "sequential", "decoding", "graph", "models",
    ]  # fmt: skip
    assert occ["doc"].tolist() == [0] * 5 + [1] * 4


def test_term_frequencies_counts_tokens_and_papers(two_dumps):
    freq = term_frequencies(two_dumps).set_index("term")
    assert freq.loc["graph", "count"] == 7
    assert freq.loc["graph", "doc_count"] == 7
    assert freq.loc["iterative", "count"] == 5  # twice in the last abstract
    assert freq.loc["iterative", "doc_count"] == 4
    assert freq.loc["iterative", "share"] == pytest.approx(4 / 7)
    assert (freq["ci_low"] <= freq["share"]).all() and (freq["share"] <= freq["ci_high"]).all()
    assert "of" not in freq.index  # English stopword
    assert freq.loc["llm", "count"] == 1  # plural acronym folded


def test_term_frequencies_sorted_by_doc_count(two_dumps):
    freq = term_frequencies(two_dumps)
    assert freq["term"].iloc[0] in {"graph", "models"}
    assert freq["doc_count"].is_monotonic_decreasing


def test_term_frequencies_by_group_share_uses_group_size(two_dumps):
    freq = term_frequencies(two_dumps, by="dump_file")
    assert list(freq.columns[:2]) == ["dump_file", "term"]
    row = freq.set_index(["dump_file", "term"]).loc[("004_b.txt", "iterative")]
    assert (row["count"], row["doc_count"], row["n_papers"]) == (5, 4, 4)
    assert row["share"] == 1.0
    assert ("000_a.txt", "iterative") not in freq.set_index(["dump_file", "term"]).index


def test_term_frequencies_options_change_the_output(two_dumps):
    base = term_frequencies(two_dumps)
    assert term_frequencies(two_dumps, min_count=5)["count"].min() >= 5
    assert "graph" not in set(term_frequencies(two_dumps, stopwords={"graph"})["term"])
    titles = term_frequencies(two_dumps, field="title").set_index("term")
    assert titles.loc["iterative", "count"] == 4 and "graph" not in titles.index
    both = term_frequencies(two_dumps, field="both").set_index("term")
    assert both.loc["iterative", "count"] == 9
    bigrams = term_frequencies(two_dumps, ngram=2)
    assert "graph models" in set(bigrams["term"])
    assert not set(bigrams["term"]) & set(base["term"])


def test_term_frequencies_empty_frame(papers_factory):
    empty = papers_factory([dict(title="x", abstract="")]).iloc[:0]
    out = term_frequencies(empty)
    assert out.empty and "share" in out.columns


def test_term_frequencies_does_not_mutate_input(two_dumps):
    before = two_dumps.copy()
    term_frequencies(two_dumps, by="dump_file")
    distinctive_terms(two_dumps, min_count=1)
    pd.testing.assert_frame_equal(two_dumps, before)


def test_term_shares_by_group_fill_zeros_for_every_group(two_dumps):
    out = term_shares_by_group(two_dumps, ["iterative", "sequential", "absent"], by="dump_file")
    assert len(out) == 6
    row = out.set_index(["dump_file", "term"])
    assert row.loc[("000_a.txt", "iterative"), "doc_count"] == 0
    assert row.loc[("000_a.txt", "iterative"), "ci_high"] > 0  # an interval even at zero
    assert row.loc[("004_b.txt", "iterative"), "share"] == 1.0
    assert row.loc[("000_a.txt", "sequential"), "n_papers"] == 3
    assert (out.loc[out["term"] == "absent", "count"] == 0).all()


def test_share_intervals_contain_the_share_at_zero_and_one(papers_factory):
    # 3 papers: wilson_interval alone puts the lower bound ~1e-17 above a zero share there
    papers = papers_factory([dict(title=f"t{i}", abstract="graph nets") for i in range(3)])
    out = term_shares_by_group(papers, ["graph", "absent"], by="dump_file")
    assert (out["ci_low"] <= out["share"]).all() and (out["share"] <= out["ci_high"]).all()
    assert out.set_index("term").loc["absent", "ci_low"] == 0.0


def test_distinctive_terms_finds_each_dumps_search_word(two_dumps):
    out = distinctive_terms(two_dumps, min_count=2)
    top = out.groupby("group").head(1).set_index("group")["term"]
    assert top.to_dict() == {"000_a.txt": "sequential", "004_b.txt": "iterative"}
    assert (out["log_ratio"] > 0).all()
    assert "graph" not in set(out["term"])  # frequent everywhere -> not distinctive
    assert out.groupby("group")["g2"].apply(lambda s: s.is_monotonic_decreasing).all()


def test_distinctive_terms_matches_hand_computed_g2(two_dumps):
    out = distinctive_terms(two_dumps, min_count=2).set_index(["group", "term"])
    row = out.loc[("000_a.txt", "sequential")]
    a, n_a = row["count"], row["n_group"]
    b, n_b = row["count_rest"], row["n_rest"]
    table = np.array([[a, b], [n_a - a, n_b - b]])
    g2, p, _, _ = st.chi2_contingency(table, correction=False, lambda_="log-likelihood")
    assert row["g2"] == pytest.approx(g2)
    assert row["p_value"] == pytest.approx(p)
    assert row["log_ratio"] == pytest.approx(
        np.log2(((a + 0.5) / (n_a + 0.5)) / (0.5 / (n_b + 0.5)))
    )
    assert row["p_value"] <= row["p_adj"] <= 1


def test_distinctive_terms_papers_unit_and_min_count(two_dumps):
    papers = distinctive_terms(two_dumps, min_count=2, unit="papers").set_index(["group", "term"])
    assert papers.loc[("004_b.txt", "iterative"), "count"] == 4
    assert papers.loc[("004_b.txt", "iterative"), "n_group"] == 4
    assert distinctive_terms(two_dumps, min_count=4)["count"].min() >= 4
    with pytest.raises(ValueError):
        distinctive_terms(two_dumps, unit="words")


def test_distinctive_terms_needs_two_groups(two_dumps):
    one = two_dumps.loc[two_dumps["dump_file"] == "004_b.txt"]
    assert distinctive_terms(one, min_count=1).empty


def test_collocations_rank_bigrams_without_crossing_breaks(papers_factory):
    papers = papers_factory(
        [dict(title=f"t{i}", abstract="Neural networks learn. Graph data, neural networks.")
         for i in range(4)]
    )  # fmt: skip
    out = collocations(papers, min_count=2)
    assert out["bigram"].tolist()[0] == "neural networks"
    assert set(out["bigram"]) == {"neural networks", "networks learn", "graph data"}
    assert out.set_index("bigram").loc["neural networks", ["count", "doc_count"]].tolist() == [
        8,
        4,
    ]
    assert "learn graph" not in set(out["bigram"])
    assert "data neural" not in set(out["bigram"])
    assert out["rank"].tolist() == [1, 2, 3]
    assert out["score"].is_monotonic_decreasing


def test_collocations_measures_and_filters(two_dumps):
    lr = collocations(two_dumps, min_count=2, top_n=None)
    pmi = collocations(two_dumps, min_count=2, top_n=None, measure="pmi")
    assert set(lr["bigram"]) == set(pmi["bigram"])
    assert (lr["count"] >= 2).all()
    assert len(collocations(two_dumps, min_count=2, top_n=1)) == 1
    assert collocations(two_dumps, min_count=2, min_docs=99).empty
    with pytest.raises(ValueError):
        collocations(two_dumps, measure="magic")


def test_cloud_frequencies_from_counts(two_dumps):
    freq = term_frequencies(two_dumps)
    cloud = cloud_frequencies(freq, weight="count", top_n=3)
    assert len(cloud) == 3
    assert cloud == {t: float(c) for t, c in zip(freq["term"][:3], freq["count"][:3], strict=True)}
    with pytest.raises(ValueError):
        cloud_frequencies(term_frequencies(two_dumps, by="dump_file"))


def test_seed_dumps_rank_their_search_words_first():
    """Acceptance: the two seed pages are searches for "sequential" and "iterative"."""
    papers = load_dumps(paths().raw)
    out = distinctive_terms(papers, by="dump_file")
    top3 = out.groupby("group").head(3).groupby("group")["term"].apply(list)
    by_seq = {str(group)[:3]: terms for group, terms in top3.items()}
    assert "sequential" in by_seq["000"]
    assert "iterative" in by_seq["004"]


def reference_frequencies(df, ngram, field, by, stopwords, min_count):
    """term_frequencies the slow way: every occurrence from the reference tokeniser
    (term_occurrences), grouped and counted in pandas."""
    keys = [by] if isinstance(by, str) else list(by or [])
    occ = term_occurrences(df, ngram, field, stopwords)
    if keys:
        groups = df[keys].reset_index(drop=True)
        occ = pd.concat([groups.iloc[occ["doc"].to_numpy()].reset_index(drop=True), occ], axis=1)
        n_papers = groups.groupby(keys, observed=True).size().rename("n_papers").reset_index()
    counts = (
        occ.groupby([*keys, "term"], observed=True)
        .agg(count=("doc", "size"), doc_count=("doc", "nunique"))
        .reset_index()
    )
    counts = counts.merge(n_papers, on=keys) if keys else counts.assign(n_papers=len(df))
    return (
        counts[counts["count"] >= min_count]
        .sort_values(
            [*keys, "doc_count", "count", "term"],
            ascending=[True] * len(keys) + [False, False, True],
        )
        .reset_index(drop=True)
    )


@pytest.mark.parametrize(
    "options",
    [
        dict(),
        dict(by="dump_file", ngram=(1, 2)),
        dict(by=["dump_seq", "dump_file"], ngram=2, field="both", min_count=2),
        dict(field="title", stopwords={"models", "graph"}, ngram=(1, 3)),
    ],
)
def test_term_frequencies_equal_the_reference_tokeniser_counts(options):
    papers = load_dumps(paths().raw)
    # a dump with a missing group key, one text only the reference path can count, a repeat
    extra = papers.head(3).assign(abstract=["Greek αβγ models", "Émoji 😀 graph models", ""])
    extra.loc[extra.index[0], "dump_file"] = None
    frame = pd.concat([papers, extra], ignore_index=True)
    opts = dict(ngram=1, field="abstract", by=None, stopwords=None, min_count=1) | options
    fast = term_frequencies(frame, **opts)
    ref = reference_frequencies(frame, **opts)
    keys = [opts["by"]] if isinstance(opts["by"], str) else list(opts["by"] or [])
    assert len(fast) > 20
    pd.testing.assert_frame_equal(
        fast[[*keys, "term", "count", "doc_count", "n_papers"]].reset_index(drop=True),
        ref[[*keys, "term", "count", "doc_count", "n_papers"]],
        check_dtype=False,
    )


MEASURES = ("likelihood_ratio", "pmi", "chi_sq", "student_t", "poisson_stirling", "dice")


def reference_collocations(df, field, top_n, min_count, measure, stopwords, min_docs):
    """collocations the slow way, as it was built before the Polars engine: nltk's
    BigramCollocationFinder over the reference segments, documents counted in Python."""
    stop = default_stopwords() if stopwords is None else frozenset(stopwords)
    docs = [segments(text) for text in field_text(df, field)]
    finder = BigramCollocationFinder.from_documents(seg for doc in docs for seg in doc)
    finder.apply_freq_filter(min_count)
    finder.apply_word_filter(stop.__contains__)
    scored = finder.score_ngrams(getattr(BigramAssocMeasures, measure))
    in_docs = {}
    for doc in docs:
        for pair in {(s[i], s[i + 1]) for s in doc for i in range(len(s) - 1)}:
            in_docs[pair] = in_docs.get(pair, 0) + 1
    rows = [
        (f"{w1} {w2}", w1, w2, finder.ngram_fd[(w1, w2)], in_docs[(w1, w2)], score)
        for (w1, w2), score in scored
        if in_docs[(w1, w2)] >= min_docs
    ]
    out = (
        pd.DataFrame(rows, columns=["bigram", "first", "second", "count", "doc_count", "score"])
        .astype({"bigram": "str", "first": "str", "second": "str", "count": "int64"})
        .astype({"doc_count": "int64", "score": "float64"})
        .sort_values(["score", "count", "bigram"], ascending=[False, False, True], kind="stable")
        .head(top_n if top_n is not None else len(rows))
        .reset_index(drop=True)
    )
    out.insert(0, "rank", np.arange(1, len(out) + 1, dtype=np.int64))
    return out


def assert_same_collocations(df, **options):
    opts = dict(field="abstract", top_n=None, min_count=3, measure="likelihood_ratio")
    opts |= dict(stopwords=None, min_docs=1) | options
    try:
        expected = reference_collocations(df, **opts)
    except (ZeroDivisionError, ValueError) as error:  # degenerate tiny corpora: nltk fails
        with pytest.raises(type(error)):
            collocations(df, **opts)
        return None
    got = collocations(df, **opts)
    # same rows in the same order (ties included), same dtypes, scores to 1e-9 relative
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9, atol=0.0)
    # and in fact the same floats: nltk's operations in nltk's order, so near-ties break alike
    assert (got["score"].to_numpy() == expected["score"].to_numpy()).all()
    return got


@pytest.fixture(scope="module")
def seed_papers():
    papers = load_dumps(paths().raw)
    # texts only the reference path of the counting engine can count, and an empty one
    extra = papers.head(3).assign(
        abstract=["Greek αβγ graph models", "Émoji 😀 graph models, graph models", ""]
    )
    return pd.concat([papers, extra], ignore_index=True)


@pytest.fixture(scope="module")
def synth_papers():
    return synth.papers_frame(list(synth.iter_dumps(3, 60, seed=3)))


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize(
    "options",
    [
        dict(),
        dict(min_docs=2, min_count=2),
        dict(field="title", min_count=1),
        dict(field="both", stopwords={"models", "graph", "the"}, min_count=2, min_docs=2),
        dict(stopwords=(), min_count=1, top_n=40),
    ],
)
def test_collocations_equal_nltk_on_the_seeds(seed_papers, measure, options):
    got = assert_same_collocations(seed_papers, measure=measure, **options)
    assert len(got) > 10
    if options.get("top_n") is None:
        assert got["score"].duplicated().any()  # ties exist, so tie-breaking was compared


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("options", [dict(), dict(min_docs=2, field="both", min_count=2)])
def test_collocations_equal_nltk_on_synthetic_papers(synth_papers, measure, options):
    got = assert_same_collocations(synth_papers, measure=measure, **options)
    assert len(got) > 10


def test_collocation_marginals_count_stopwords(papers_factory):
    """The word counts in the score are over all tokens: adding stopwords around a bigram
    changes its PMI (more tokens) although no counted bigram changes."""
    plain = papers_factory([dict(title="t", abstract="Graph nets. Graph nets. Graph data.")])
    padded = papers_factory(
        [dict(title="t", abstract="The graph nets. The graph nets. Graph data of the the.")]
    )
    a = collocations(plain, min_count=2, measure="pmi").set_index("bigram")
    b = collocations(padded, min_count=2, measure="pmi").set_index("bigram")
    assert a.loc["graph nets", "count"] == b.loc["graph nets", "count"] == 2
    assert b.loc["graph nets", "score"] > a.loc["graph nets", "score"]
    assert_same_collocations(padded, min_count=2, measure="pmi")


_WORDS = ["graph", "nets", "model", "the", "of", "LLMs", "data", "x"]
_GLUE = [" ", " ", " ", ". ", ", ", " 3 ", "\n", " (", ") "]


@settings(max_examples=40, deadline=None)
@given(
    texts=hs.lists(
        hs.lists(hs.tuples(hs.sampled_from(_WORDS), hs.sampled_from(_GLUE)), max_size=30).map(
            lambda parts: "".join(w + g for w, g in parts)
        ),
        min_size=1,
        max_size=5,
    ),
    measure=hs.sampled_from(MEASURES),
    min_count=hs.integers(1, 3),
    min_docs=hs.integers(1, 2),
)
def test_collocations_equal_nltk_on_generated_text(texts, measure, min_count, min_docs):
    papers = pd.DataFrame({"title": ["t"] * len(texts), "abstract": texts})
    assert_same_collocations(
        papers, measure=measure, min_count=min_count, min_docs=min_docs, stopwords={"the", "of"}
    )


@pytest.mark.parametrize("top_n", [0, -1, 2, None])
def test_collocations_equal_nltk_on_edge_inputs(papers_factory, top_n):
    empty = pd.DataFrame({"title": [], "abstract": []}, dtype="str")
    assert assert_same_collocations(empty, top_n=top_n).empty
    papers = papers_factory(
        [dict(title="t", abstract="Graph neural networks work. Neural graph.")] * 3
    )
    got = assert_same_collocations(papers, top_n=top_n, min_count=1)
    assert len(got) == {0: 0, -1: 2, 2: 2, None: 3}[top_n]  # "work" is a stopword


def test_analyses_given_one_cache_count_once_and_agree_with_counting_afresh(
    two_dumps, monkeypatch
):
    calls = []
    real = counting._count_groups
    monkeypatch.setattr(counting, "_count_groups", lambda *a: calls.append(1) or real(*a))
    cache = counting.CountCache()
    shares = term_shares_by_group(two_dumps, ["graph", "nets"], by="dump_file", cache=cache)
    distinct = distinctive_terms(two_dumps, by="dump_file", min_count=1, cache=cache)
    colloc = collocations(two_dumps, min_count=1, cache=cache)
    pmi = collocations(two_dumps, min_count=1, measure="pmi", cache=cache)
    assert len(calls) == 2  # the per-dump counts once, the bigram counts once
    assert shares.equals(term_shares_by_group(two_dumps, ["graph", "nets"], by="dump_file"))
    assert distinct.equals(distinctive_terms(two_dumps, by="dump_file", min_count=1))
    assert colloc.equals(collocations(two_dumps, min_count=1))
    assert pmi.equals(collocations(two_dumps, min_count=1, measure="pmi"))
    assert len(calls) == 6  # without the cache, every call counts
