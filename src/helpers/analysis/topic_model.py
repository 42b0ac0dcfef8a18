"""The term matrix and the NMF fit behind :mod:`helpers.analysis.topics`, and how many topics
to fit.

One row per ``paper_id`` (a paper listed in several dumps counts once), one column per term of
the project's tokeniser (words and phrases, stopwords removed), sublinear TF-IDF scaled to unit
rows. The invariant: everything here is deterministic (NNDSVD initialisation, fixed seeds), so
the same papers give the same matrix, the same topics and the same choice of k.

>>> from helpers.testing.topics import planted_topic_corpus
>>> matrix = term_matrix(planted_topic_corpus(n_papers=100, seed=1).papers)
>>> matrix.tfidf.shape[0]
100
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import polars as pl
from scipy import sparse
from scipy.optimize import linear_sum_assignment

SEED = 0
MIN_PER_TOPIC = 5
"""Fewer papers than this per topic (on average) and no model is fitted."""
CANDIDATE_K: tuple[int, ...] = (*range(2, 11), 12, 15, 20, 25)
MIN_STABILITY = 0.8
"""The stability a peak must reach for choose_k to take it as the number of topics."""
MINIBATCH_FROM = 20_000
"""From this many papers on, the model is MiniBatchNMF (bounded memory and time)."""
LARGE_K_FROM = {25: MINIBATCH_FROM}
"""Candidate k tried only from this many papers on: on the 9,881 real papers k=25 was the
least stable candidate and a third of the time choose_k took."""


class TooFewPapers(ValueError):
    """The corpus is too small for the topics asked for; the message says why in words."""


# --------------------------------------------------------------------------------------------
# the matrix


@dataclass(frozen=True)
class TermMatrix:
    """One row per paper (``paper_id``, ``title``), one column per term: raw counts and the
    l2-normalised sublinear TF-IDF built from them."""

    paper_ids: np.ndarray
    titles: np.ndarray
    terms: np.ndarray
    counts: sparse.csr_matrix
    tfidf: sparse.csr_matrix
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    """Results derived from this matrix alone (e.g. each paper's nearest neighbours), kept
    for the next analysis that needs them."""

    def row(self, paper_id: str) -> int:
        hits = np.flatnonzero(self.paper_ids == paper_id)
        if not len(hits):
            raise KeyError(paper_id)
        return int(hits[0])


def unique_papers(papers: pd.DataFrame) -> pd.DataFrame:
    """One row per ``paper_id`` (the row with the longest abstract, first listed on ties), in
    the order papers were first listed."""
    length = papers["abstract"].fillna("").astype(str).str.len()
    return (
        papers.assign(_len=length, _order=np.arange(len(papers)))
        .sort_values(["_len", "_order"], ascending=[False, True], kind="stable")
        .drop_duplicates("paper_id")
        .sort_values("_order")
        .drop(columns=["_len", "_order"])
        .reset_index(drop=True)
    )


def term_matrix(
    papers: pd.DataFrame,
    field: str = "both",
    ngram: int | Iterable[int] = (1, 2),
    stopwords: Iterable[str] | None = None,
    min_df: int = 2,
    max_df: float = 0.5,
    max_terms: int = 20_000,
    batch_docs: int = 20_000,
) -> TermMatrix:
    """The papers' term matrix (papers deduplicated by ``paper_id`` first).

    Terms are counted by the project's counting engine (same tokens as :mod:`helpers.text`);
    kept when used by at least ``min_df`` papers and at most a ``max_df`` share of them (the
    ``max_terms`` most used if more remain). Papers are counted ``batch_docs`` at a time, so
    the per-paper counts never hold more than a batch's terms as strings.
    """
    from helpers.analysis.terms import field_text
    from helpers.text.counting import count_groups, count_texts

    unique = unique_papers(papers)
    n = len(unique)
    texts = field_text(unique, field).tolist()
    # 1. the vocabulary, from document frequencies over all papers (when the papers are one
    # batch, from the per-paper counts of step 2: a term's papers are its rows there)
    one_batch = None
    if n <= batch_docs:
        one_batch = count_groups(
            texts, groups=np.arange(n), ngram=ngram, stopwords=stopwords
        ).select("group", "term", "count")
        doc_freq = one_batch.group_by("term").agg(pl.len().cast(pl.Int64).alias("doc_count"))
    else:
        doc_freq = pl.from_pandas(count_texts(texts, ngram, stopwords)[["term", "doc_count"]])
    upper = max(min_df, math.floor(max_df * n)) if n >= 10 else n
    vocab = (
        doc_freq.filter((pl.col("doc_count") >= min_df) & (pl.col("doc_count") <= upper))
        .sort(["doc_count", "term"], descending=[True, False])
        .head(max_terms)
        .sort("term")
        .with_row_index("col")
        .select("term", pl.col("col").cast(pl.Int32))
    )
    # 2. per paper, batch by batch: (row, column, count) of the vocabulary's terms
    rows, cols, values = [], [], []
    for start in range(0, n, batch_docs):
        part = texts[start : start + batch_docs]
        counted = (
            one_batch
            if one_batch is not None
            else count_groups(part, groups=np.arange(len(part)), ngram=ngram, stopwords=stopwords)
        )
        cells = counted.select("group", "term", "count").join(vocab, on="term", how="inner")
        rows.append(cells["group"].to_numpy().astype(np.int32) + start)
        cols.append(cells["col"].to_numpy())
        values.append(cells["count"].to_numpy().astype(np.float32))
    counts = sparse.csr_matrix(
        (
            np.concatenate(values) if values else np.zeros(0, np.float32),
            (
                np.concatenate(rows) if rows else np.zeros(0, np.int32),
                np.concatenate(cols) if cols else np.zeros(0, np.int32),
            ),
        ),
        shape=(n, vocab.height),
        dtype=np.float32,
    )
    counts.sort_indices()
    return TermMatrix(
        paper_ids=unique["paper_id"].to_numpy(dtype=object),
        titles=unique["title"].fillna("").astype(str).to_numpy(dtype=object),
        terms=vocab["term"].to_numpy().astype(object),
        counts=counts,
        tfidf=tfidf_of(counts),
    )


def tfidf_of(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Sublinear tf (1 + log count) times smoothed idf, rows scaled to unit length."""
    n = counts.shape[0]
    doc_freq = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = (np.log((1 + n) / (1 + doc_freq)) + 1).astype(np.float32)
    out = counts.astype(np.float32, copy=True)
    out.data = (1 + np.log(out.data)) * idf[out.indices]
    lengths = np.diff(out.indptr)
    row = np.repeat(np.arange(n), lengths)
    norms = np.sqrt(np.bincount(row, weights=out.data.astype(np.float64) ** 2, minlength=n))
    out.data /= norms[row].astype(np.float32)
    return out


# --------------------------------------------------------------------------------------------
# the model


def fit_nmf(
    x: sparse.csr_matrix,
    k: int,
    seed: int = SEED,
    init: str = "nndsvd",
    max_iter: int = 300,
    tol: float = 1e-4,
):
    """(W, H) of an NMF of ``x``: full coordinate descent up to MINIBATCH_FROM rows, then
    MiniBatchNMF. Deterministic for a given seed."""
    import warnings

    from sklearn.decomposition import NMF, MiniBatchNMF
    from sklearn.exceptions import ConvergenceWarning

    if x.shape[0] >= MINIBATCH_FROM:
        model = MiniBatchNMF(
            n_components=k,
            init="nndsvda" if init == "nndsvd" else init,
            batch_size=2048,
            max_iter=max_iter if max_iter < 300 else 5,
            random_state=seed,
            tol=tol,
        )
    else:
        model = NMF(n_components=k, init=init, random_state=seed, max_iter=max_iter, tol=tol)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        w = model.fit_transform(x)
    return w, model.components_


def _top_sets(h: np.ndarray, n: int = 10) -> list[frozenset[int]]:
    return [frozenset(np.argsort(-row, kind="stable")[:n].tolist()) for row in h]


def _agreement(a: list[frozenset[int]], b: list[frozenset[int]]) -> float:
    """Mean Jaccard similarity of the top terms of two topic sets, topics matched one to one
    to maximise it (Hungarian algorithm)."""
    sim = np.array([[len(s & t) / len(s | t) for t in b] for s in a])
    rows, cols = linear_sum_assignment(-sim)
    return float(sim[rows, cols].mean())


def choose_k(
    matrix: TermMatrix,
    candidates: Sequence[int] | None = None,
    restarts: int = 4,
    sample: int = 3_000,
    max_terms: int = 4_000,
    min_per_topic: int = MIN_PER_TOPIC,
    min_stability: float = MIN_STABILITY,
    seed: int = SEED,
    every_k: bool = False,
) -> pd.DataFrame:
    """Stability of the topics for each candidate number of topics ``k``.

    For each k, NMF is fitted ``restarts`` times from different random starts (fixed seeds) on
    the same papers (at most ``sample``, drawn with a fixed seed; the ``max_terms`` terms used
    by most papers); stability is the mean agreement of the top-10 terms of every pair of runs
    (topics matched one to one, Jaccard), 1 meaning every restart finds the same topics. The
    chosen k (``chosen``) is the largest k at a peak of stability (at least as stable as the
    candidates on either side) that reaches ``min_stability`` (the most stable k if none
    does): merging real themes into one topic is stable too, so the most stable k is often
    the coarsest, while splitting a real theme is not stable. ``candidates`` None: the k of
    ``CANDIDATE_K`` with ``min_per_topic`` papers per topic, each from its ``LARGE_K_FROM``.

    The candidates are tried from the largest down, and the search stops at the first peak
    that reaches ``min_stability``: that peak is the chosen k whatever the smaller k give (on
    the 580-dump corpus, 4 of 12 candidates instead of all, half the fitting). The table has
    a row per candidate; those not tried have ``tried`` False and no stability. ``every_k``
    tries them all (same choice, the whole curve).
    """
    x = matrix.tfidf
    n = x.shape[0]
    if candidates is None:
        candidates = [
            k for k in CANDIDATE_K if k * min_per_topic <= n and n >= LARGE_K_FROM.get(k, 0)
        ]
    candidates = sorted({int(k) for k in candidates if 2 <= k <= min(n, x.shape[1])})
    if not candidates:
        raise TooFewPapers(_too_few_message(n, None, min_per_topic))
    if n > sample:
        rows = np.sort(np.random.default_rng(seed).choice(n, sample, replace=False))
        x = x[rows]
    doc_freq = np.asarray((x > 0).sum(axis=0)).ravel()
    x = x[:, np.sort(np.argsort(-doc_freq, kind="stable")[:max_terms])]
    x = x[np.asarray(x.sum(axis=1)).ravel() > 0]
    tried: list[dict] = []  # largest k first
    chosen = None
    for k in sorted(candidates, reverse=True):
        runs = [
            _top_sets(fit_nmf(x, k, seed=seed + r, init="random", max_iter=100, tol=1e-3)[1])
            for r in range(restarts)
        ]
        pairs = [_agreement(a, b) for a, b in itertools.combinations(runs, 2)]
        tried.append(
            {
                "k": k,
                "stability": float(np.mean(pairs)),
                "stability_min": float(np.min(pairs)),
                "restarts": restarts,
                "papers_used": x.shape[0],
            }
        )
        # the k tried before this one is a peak once both its neighbours are known
        if not every_k and len(tried) >= 2 and _is_peak(tried, len(tried) - 2, min_stability):
            chosen = tried[-2]["k"]
            break
    table = (
        pd.DataFrame(tried)
        .set_index("k")
        .reindex(candidates)  # a row per candidate, empty where it was not tried
        .reset_index()
        .astype({"restarts": "Int64", "papers_used": "Int64"})
    )
    table["tried"] = table["stability"].notna()
    if chosen is None:  # every k tried: the largest peak, as the docstring says
        floor = min(min_stability, max(t["stability"] for t in tried))
        chosen = next(t["k"] for i, t in enumerate(tried) if _is_peak(tried, i, floor))
    return table.assign(chosen=table["k"] == chosen)


def _is_peak(tried: list[dict], i: int, min_stability: float) -> bool:
    """Whether ``tried[i]`` (candidates from the largest k down) is a peak reaching
    ``min_stability``: at least as stable as the k on either side (the ends have one)."""
    st = tried[i]["stability"]
    larger = tried[i - 1]["stability"] if i > 0 else -np.inf
    smaller = tried[i + 1]["stability"] if i + 1 < len(tried) else -np.inf
    return st >= min_stability and st >= larger and st >= smaller


def _too_few_message(n: int, k: int | None, min_per_topic: int) -> str:
    if k is None:
        return (
            f"{n} distinct papers are too few for a topic model: even two topics need at least "
            f"{2 * min_per_topic} papers ({min_per_topic} per topic on average)."
        )
    return (
        f"{n} distinct papers are too few for {k} topics: that needs at least "
        f"{k * min_per_topic} papers ({min_per_topic} per topic on average). Ask for fewer "
        "topics (k) or add dumps."
    )


def corpus_check(
    papers: pd.DataFrame, k: int | None = None, min_per_topic: int = MIN_PER_TOPIC
) -> str | None:
    """None when ``papers`` can support ``k`` topics (or two, when k is to be chosen), else a
    sentence saying why not."""
    n = papers["paper_id"].nunique()
    need = (k or 2) * min_per_topic
    return None if n >= need else _too_few_message(n, k, min_per_topic)
