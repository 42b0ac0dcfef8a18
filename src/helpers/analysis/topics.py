"""Themes: a topic model of the papers, how each topic's share moves, and what it is made of.

A topic is a non-negative weighting of the project's terms (words and phrases of
:mod:`helpers.text`, stopwords removed, variants merged) learned by NMF on the TF-IDF matrix
of the papers (one row per ``paper_id``: a paper listed in several dumps counts once). Each
paper's main topic is its largest weight. Invariants:

* deterministic: the initialisation is NNDSVD (an SVD, seeded) and every random choice has a
  fixed seed, so two runs on the same papers give identical tables;
* shares, not counts: a topic's size and its per-period values are shares of papers (main
  topic) with 95% Wilson intervals;
* a period's words of a topic come from that period's papers only.

>>> from helpers.testing.topics import planted_corpus
>>> model = fit_topics(planted_corpus(n_papers=300, seed=1).papers, k=4)
>>> model.topics[["topic", "papers"]].shape
(4, 2)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field

import numpy as np
import pandas as pd
import polars as pl
from scipy import sparse
from scipy import stats as _st
from scipy.optimize import linear_sum_assignment

from helpers.analysis.stats import bh_adjust, log_ratio, wilson_interval

SEED = 0
MIN_PER_TOPIC = 5
"""Fewer papers than this per topic (on average) and no model is fitted."""
CANDIDATE_K: tuple[int, ...] = (*range(2, 11), 12, 15, 20, 25)
MINIBATCH_FROM = 20_000
"""From this many papers on, the model is MiniBatchNMF (bounded memory and time)."""
STATUSES = ("rising", "fading", "new", "gone", "stable", "not tested")
ALPHA = 0.05


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
    # 1. the vocabulary, from document frequencies over all papers
    totals = count_texts(texts, ngram, stopwords)
    upper = max(min_df, math.floor(max_df * n)) if n >= 10 else n
    vocab = (
        pl.from_pandas(totals[["term", "doc_count"]])
        .filter((pl.col("doc_count") >= min_df) & (pl.col("doc_count") <= upper))
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
        cells = (
            count_groups(part, groups=np.arange(len(part)), ngram=ngram, stopwords=stopwords)
            .select("group", "term", "count")
            .join(vocab, on="term", how="inner")
        )
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
        tfidf=_tfidf(counts),
    )


def _tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
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


def _nmf(
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
    min_stability: float = 0.8,
    seed: int = SEED,
) -> pd.DataFrame:
    """Stability of the topics for each candidate number of topics ``k``.

    For each k, NMF is fitted ``restarts`` times from different random starts (fixed seeds) on
    the same papers (at most ``sample``, drawn with a fixed seed; the ``max_terms`` terms used
    by most papers); stability is the mean agreement of the top-10 terms of every pair of runs
    (topics matched one to one, Jaccard), 1 meaning every restart finds the same topics. The
    chosen k (``chosen``) is the largest k at a peak of stability (at least as stable as the
    candidates on either side) that reaches ``min_stability`` (the most stable k if none
    does): merging real themes into one topic is stable too, so the most stable k is often
    the coarsest, while splitting a real theme is not stable.
    """
    x = matrix.tfidf
    n = x.shape[0]
    if candidates is None:
        candidates = [k for k in CANDIDATE_K if k * min_per_topic <= n]
    candidates = sorted({int(k) for k in candidates if 2 <= k <= min(n, x.shape[1])})
    if not candidates:
        raise TooFewPapers(_too_few_message(n, None, min_per_topic))
    if n > sample:
        rows = np.sort(np.random.default_rng(seed).choice(n, sample, replace=False))
        x = x[rows]
    doc_freq = np.asarray((x > 0).sum(axis=0)).ravel()
    x = x[:, np.sort(np.argsort(-doc_freq, kind="stable")[:max_terms])]
    x = x[np.asarray(x.sum(axis=1)).ravel() > 0]
    out = []
    for k in candidates:
        runs = [
            _top_sets(_nmf(x, k, seed=seed + r, init="random", max_iter=100, tol=1e-3)[1])
            for r in range(restarts)
        ]
        pairs = [_agreement(a, b) for a, b in itertools.combinations(runs, 2)]
        out.append(
            {
                "k": k,
                "stability": float(np.mean(pairs)),
                "stability_min": float(np.min(pairs)),
                "restarts": restarts,
                "papers_used": x.shape[0],
            }
        )
    table = pd.DataFrame(out)
    st = table["stability"].to_numpy()
    before = np.r_[-np.inf, st[:-1]]
    after = np.r_[st[1:], -np.inf]
    peak = (st >= before) & (st >= after) & (st >= min(min_stability, st.max()))
    chosen = table.loc[peak, "k"].max()
    return table.assign(chosen=table["k"] == chosen)


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


# --------------------------------------------------------------------------------------------
# the result


@dataclass
class Topics:
    """A fitted topic model and its tables (see :func:`fit_topics`)."""

    k: int
    freq: str
    topics: pd.DataFrame
    assignments: pd.DataFrame
    shares: pd.DataFrame
    trends: pd.DataFrame
    terms: pd.DataFrame
    period_terms: pd.DataFrame
    representative: pd.DataFrame
    dump_shares: pd.DataFrame
    selection: pd.DataFrame
    matrix: TermMatrix = dc_field(repr=False)
    weights: np.ndarray = dc_field(repr=False)

    def papers_of(self, topic: int, period: str | None = None) -> pd.DataFrame:
        """The papers whose main topic is ``topic`` (in ``period`` if given), by weight."""
        rows = self.assignments[self.assignments["topic"] == topic]
        if period is not None:
            rows = rows[rows["paper_id"].isin(self._period_ids.get(period, ()))]
        return rows.sort_values(["weight", "paper_id"], ascending=[False, True])

    _period_ids: dict = dc_field(default_factory=dict, repr=False)


def _label(h_row: np.ndarray, terms: np.ndarray, n: int = 3) -> tuple[str, list[str]]:
    """A label of up to ``n`` top terms, skipping a term whose words are all in the label."""
    order = np.argsort(-h_row, kind="stable")
    chosen: list[str] = []
    words: set[str] = set()
    for j in order[:30]:
        if h_row[j] <= 0:
            break
        term = str(terms[j])
        parts = set(term.split())
        if parts <= words:
            continue
        # a phrase replaces the single words it contains
        chosen = [c for c in chosen if not set(c.split()) < parts]
        chosen.append(term)
        words = set(itertools.chain.from_iterable(c.split() for c in chosen))
        if len(chosen) == n:
            break
    return " / ".join(chosen), [str(terms[j]) for j in order[:10] if h_row[j] > 0]


def fit_topics(
    papers: pd.DataFrame,
    k: int | None = None,
    *,
    freq: str = "M",
    field: str = "both",
    stopwords: Iterable[str] | None = None,
    candidates: Sequence[int] | None = None,
    min_per_topic: int = MIN_PER_TOPIC,
    n_terms: int = 15,
    n_papers: int = 5,
    seed: int = SEED,
    matrix: TermMatrix | None = None,
) -> Topics:
    """Fit an NMF topic model on the papers' TF-IDF and describe it.

    Parameters
    ----------
    papers : the papers frame (one row per listing; deduplicated by ``paper_id`` here).
    k : number of topics; None chooses it by stability (:func:`choose_k`, table ``selection``).
    freq : period of the ``shares`` and ``trends`` tables ("D", "W", "M" or "dump").
    field : text modelled: "both" (title and abstract), "abstract" or "title".
    stopwords : the stopword set (default: the project's lists).
    min_per_topic : fewer papers per topic than this and :class:`TooFewPapers` is raised.
    n_terms, n_papers : top terms and representative papers kept per topic.
    matrix : a :class:`TermMatrix` of these papers, to reuse one already built.

    Tables: ``topics`` (topic, label, top_terms, papers, share, ci_low, ci_high, status),
    ``assignments`` (paper_id, title, topic, weight), ``shares`` (per topic and period),
    ``trends`` (Cochran-Armitage per topic), ``terms`` (top terms with weights),
    ``period_terms`` (each period's own top terms per topic), ``representative`` (papers),
    ``dump_shares`` (per search or listing dump), ``selection`` (stability per candidate k).
    """
    n_unique = papers["paper_id"].nunique()
    reason = corpus_check(papers, k, min_per_topic)
    if reason:
        raise TooFewPapers(reason)
    matrix = matrix if matrix is not None else term_matrix(papers, field, stopwords=stopwords)
    if len(matrix.paper_ids) != n_unique:
        raise ValueError("matrix was built from other papers than these")
    if matrix.tfidf.shape[1] < 2:
        raise TooFewPapers(
            f"the {n_unique} papers share fewer than two terms: there is nothing to model"
        )
    if k is None:
        selection = choose_k(matrix, candidates, min_per_topic=min_per_topic, seed=seed)
        k = int(selection.loc[selection["chosen"], "k"].iloc[0])
    else:
        selection = pd.DataFrame(columns=["k", "stability", "stability_min", "restarts",
                                          "papers_used", "chosen"])  # fmt: skip
    w, h = _nmf(matrix.tfidf, k, seed=seed)
    # topics numbered by size (largest first), ties by the model's order
    main = np.where(w.sum(axis=1) > 0, w.argmax(axis=1), -1)
    sizes = np.bincount(main[main >= 0], minlength=k)
    order = np.lexsort((np.arange(k), -sizes))
    w, h = w[:, order], h[order]
    main = np.where(w.sum(axis=1) > 0, w.argmax(axis=1), -1)
    totals = w.sum(axis=1)
    weight = np.where(totals > 0, w.max(axis=1) / np.where(totals > 0, totals, 1), 0.0)
    assignments = pd.DataFrame(
        {
            "paper_id": matrix.paper_ids.astype(str),
            "title": matrix.titles.astype(str),
            "topic": main.astype(int),
            "weight": weight.round(6),
        }
    )
    labels, tops = zip(*(_label(h[t], matrix.terms) for t in range(k)), strict=True)
    counts = np.bincount(main[main >= 0], minlength=k)
    lo, hi = wilson_interval(counts, len(main))
    topics = pd.DataFrame(
        {
            "topic": np.arange(k),
            "label": labels,
            "top_terms": [", ".join(t) for t in tops],
            "papers": counts.astype(int),
            "share": counts / len(main),
            "ci_low": lo,
            "ci_high": hi,
        }
    )
    terms = _terms_table(h, matrix.terms, n_terms)
    representative = _representative(assignments, n_papers).merge(
        topics[["topic", "label"]], on="topic"
    )[["topic", "label", "rank", "paper_id", "title", "weight"]]
    per = _periods(papers, freq)
    shares = _shares(per, assignments, topics)
    trends = topic_trends(shares, topics)
    topics = topics.merge(trends[["topic", "status"]], on="topic", how="left").fillna(
        {"status": "not tested"}
    )
    period_terms = _period_terms(per, assignments, matrix)
    dump_shares = _dump_shares(papers, assignments, topics)
    return Topics(
        k=k,
        freq=freq,
        topics=topics,
        assignments=assignments,
        shares=shares,
        trends=trends,
        terms=terms,
        period_terms=period_terms,
        representative=representative,
        dump_shares=dump_shares,
        selection=selection,
        matrix=matrix,
        weights=w,
        _period_ids=(
            per.groupby("period")["paper_id"].apply(frozenset).to_dict() if len(per) else {}
        ),
    )


def _terms_table(h: np.ndarray, terms: np.ndarray, n: int) -> pd.DataFrame:
    rows = []
    for t, row in enumerate(h):
        total = row.sum() or 1.0
        for rank, j in enumerate(np.argsort(-row, kind="stable")[:n], start=1):
            if row[j] > 0:
                rows.append((t, rank, str(terms[j]), round(float(row[j] / total), 6)))
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


def _representative(assignments: pd.DataFrame, n: int) -> pd.DataFrame:
    return (
        assignments[assignments["topic"] >= 0]
        .sort_values(["topic", "weight", "paper_id"], ascending=[True, False, True])
        .groupby("topic", sort=True)
        .head(n)
        .assign(rank=lambda d: d.groupby("topic").cumcount() + 1)[
            ["topic", "rank", "paper_id", "title", "weight"]
        ]
        .reset_index(drop=True)
    )


# --------------------------------------------------------------------------------------------
# over time


def _periods(papers: pd.DataFrame, freq: str) -> pd.DataFrame:
    """One row per paper and period (papers without dates give none)."""
    if "dump_date" not in papers.columns or papers["dump_date"].isna().all():
        return pd.DataFrame(columns=["paper_id", "period", "period_start", "position"])
    from helpers.analysis.trends import add_period

    return add_period(papers.dropna(subset=["dump_date"]), freq)[
        ["paper_id", "period", "period_start", "position"]
    ].reset_index(drop=True)


def _shares(per: pd.DataFrame, assignments: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    columns = ["topic", "label", "period", "period_start", "position", "papers", "n_papers",
               "share", "ci_low", "ci_high"]  # fmt: skip
    if per.empty:
        return pd.DataFrame(columns=columns)
    tagged = per.merge(assignments[["paper_id", "topic"]], on="paper_id", how="left")
    periods = tagged.groupby("position", as_index=False).agg(
        period=("period", "first"),
        period_start=("period_start", "min"),
        n_papers=("paper_id", "size"),
    )
    grid = periods.merge(topics[["topic", "label"]], how="cross")
    found = tagged.groupby(["position", "topic"]).size().rename("papers").reset_index()
    out = grid.merge(found, on=["position", "topic"], how="left").fillna({"papers": 0})
    lo, hi = wilson_interval(out["papers"], out["n_papers"])
    return (
        out.assign(
            papers=lambda d: d["papers"].astype(int),
            share=lambda d: d["papers"] / d["n_papers"],
            ci_low=lo,
            ci_high=hi,
        )[columns]
        .sort_values(["topic", "position"])
        .reset_index(drop=True)
    )


def _trend(counts, totals, scores=None) -> tuple[float, float, float]:
    """Cochran-Armitage test for a linear trend in proportions ``counts / totals`` over ordered
    groups (``scores``, default 0, 1, 2...): (z, two-sided p-value, slope of the share per
    unit of score by weighted least squares). z is NaN when there is nothing to test (every
    share 0 or 1, or one group)."""
    k = np.asarray(counts, dtype=float)
    n = np.asarray(totals, dtype=float)
    s = np.arange(len(k), dtype=float) if scores is None else np.asarray(scores, dtype=float)
    big_n = n.sum()
    if big_n == 0:
        return math.nan, math.nan, math.nan
    p = k.sum() / big_n
    s_bar = (n * s).sum() / big_n
    sxx = (n * (s - s_bar) ** 2).sum()
    if sxx == 0:
        return math.nan, math.nan, math.nan
    t = (s * (k - n * p)).sum()
    slope = t / sxx
    var = p * (1 - p) * sxx
    if var <= 0:
        return math.nan, math.nan, float(slope)
    z = t / math.sqrt(var)
    return float(z), float(2 * _st.norm.sf(abs(z))), float(slope)


def topic_trends(shares: pd.DataFrame, topics: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Per topic: Cochran-Armitage trend test on its papers per period (scores: period
    positions), Benjamini-Hochberg adjusted over topics, with two effect sizes (slope in share
    per period, log2 ratio of the late half's share to the early half's) and a status:
    rising / fading (significant), new / gone (significant, and absent from the first / last
    third of the periods), stable (not significant) or not tested (fewer than 3 periods)."""
    columns = ["topic", "label", "test", "periods", "z", "p_value", "p_adj", "slope_per_period",
               "log2_ratio", "early_share", "late_share", "status"]  # fmt: skip
    if shares.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for topic, part in shares.sort_values("position").groupby("topic", sort=True):
        m = len(part)
        k, n = part["papers"].to_numpy(), part["n_papers"].to_numpy()
        half = m // 2
        early_k, early_n = k[:half].sum(), n[:half].sum()
        late_k, late_n = k[m - half :].sum(), n[m - half :].sum()
        z, p, slope = _trend(k, n, part["position"].to_numpy()) if m >= 3 else (math.nan,) * 3
        third = max(1, m // 3)
        rows.append(
            {
                "topic": topic,
                "label": part["label"].iloc[0],
                "test": "cochran-armitage" if m >= 3 else "none (fewer than 3 periods)",
                "periods": m,
                "z": z,
                "p_value": p,
                "slope_per_period": slope,
                "log2_ratio": float(log_ratio(late_k, late_n, early_k, early_n))
                if half
                else np.nan,
                "early_share": early_k / early_n if early_n else np.nan,
                "late_share": late_k / late_n if late_n else np.nan,
                "_first_empty": k[:third].sum() == 0,
                "_last_empty": k[m - third :].sum() == 0,
            }
        )
    out = pd.DataFrame(rows)
    out["p_adj"] = bh_adjust(out["p_value"])
    sig = out["p_adj"] < alpha
    status = np.select(
        [
            out["p_value"].isna(),
            sig & (out["z"] > 0) & out["_first_empty"],
            sig & (out["z"] > 0),
            sig & (out["z"] < 0) & out["_last_empty"],
            sig & (out["z"] < 0),
        ],
        ["not tested", "new", "rising", "gone", "fading"],
        default="stable",
    )
    return out.assign(status=status)[columns]


def _period_terms(
    per: pd.DataFrame, assignments: pd.DataFrame, matrix: TermMatrix, n: int = 5
) -> pd.DataFrame:
    """Each topic's top terms in each period, from the TF-IDF rows of that period's papers of
    the topic only."""
    columns = ["topic", "period", "position", "rank", "term", "weight", "papers"]
    if per.empty:
        return pd.DataFrame(columns=columns)
    row_of = pd.Series(np.arange(len(matrix.paper_ids)), index=matrix.paper_ids.astype(str))
    tagged = per.merge(assignments[["paper_id", "topic"]], on="paper_id").query("topic >= 0")
    groups = tagged.groupby(["topic", "position"], sort=True)
    keys = list(groups.groups)
    codes = groups.ngroup().to_numpy()
    rows = row_of.loc[tagged["paper_id"]].to_numpy()
    indicator = sparse.csr_matrix(
        (np.ones(len(rows)), (codes, rows)), shape=(len(keys), len(matrix.paper_ids))
    )
    summed = sparse.csr_matrix(indicator @ matrix.tfidf)
    sizes = np.bincount(codes, minlength=len(keys))
    labels = tagged.groupby("position")["period"].first()
    out = []
    for g, (topic, position) in enumerate(keys):
        start, end = summed.indptr[g], summed.indptr[g + 1]
        idx, vals = summed.indices[start:end], summed.data[start:end]
        top = np.lexsort((matrix.terms[idx].astype(str), -vals))[:n]
        for rank, j in enumerate(top, start=1):
            out.append(
                (
                    topic,
                    labels[position],
                    position,
                    rank,
                    str(matrix.terms[idx[j]]),
                    round(float(vals[j] / sizes[g]), 6),
                    int(sizes[g]),
                )  # fmt: skip
            )
    return pd.DataFrame(out, columns=columns)


def _dump_shares(
    papers: pd.DataFrame, assignments: pd.DataFrame, topics: pd.DataFrame
) -> pd.DataFrame:
    """Topic shares per dump for dumps that are not daily listings (search pages choose their
    papers by a query, so they are shown apart)."""
    columns = ["dump_file", "page_kind", "topic", "label", "papers", "n_papers", "share",
               "ci_low", "ci_high"]  # fmt: skip
    if "page_kind" not in papers.columns:
        return pd.DataFrame(columns=columns)
    search = papers[papers["page_kind"] != "daily"].drop_duplicates(["dump_file", "paper_id"])
    if search.empty:
        return pd.DataFrame(columns=columns)
    tagged = search.merge(assignments[["paper_id", "topic"]], on="paper_id", how="left")
    dumps = tagged.groupby("dump_file", as_index=False).agg(
        page_kind=("page_kind", "first"), n_papers=("paper_id", "size")
    )
    found = tagged.groupby(["dump_file", "topic"]).size().rename("papers").reset_index()
    out = (
        dumps.merge(topics[["topic", "label"]], how="cross")
        .merge(found, on=["dump_file", "topic"], how="left")
        .fillna({"papers": 0})
    )
    lo, hi = wilson_interval(out["papers"], out["n_papers"])
    return out.assign(
        papers=lambda d: d["papers"].astype(int),
        share=lambda d: d["papers"] / d["n_papers"],
        ci_low=lo,
        ci_high=hi,
    )[columns].reset_index(drop=True)


def headline(model: Topics) -> str:
    """One sentence on the themes: how many, the largest, and which rise or fade (with their
    early and late shares)."""
    t = model.topics.sort_values("share", ascending=False)
    largest = t.iloc[0]
    parts = [
        f"{model.k} themes in {int(t['papers'].sum())} papers; the largest is "
        f"'{largest['label']}' ({largest['share']:.0%} of papers)"
    ]
    trends = model.trends.merge(t[["topic"]], on="topic")
    for status in ("rising", "new", "fading", "gone"):
        rows = trends[trends["status"] == status].sort_values("z", key=abs, ascending=False)
        if len(rows):
            named = ", ".join(
                f"'{r.label}' ({r.early_share:.0%} to {r.late_share:.0%})"
                for r in rows.head(3).itertuples()
            )
            parts.append(f"{status}: {named}")
    if trends.empty or (trends["status"] == "not tested").all():
        parts.append("too few periods to test trends")
    return "; ".join(parts) + "."
