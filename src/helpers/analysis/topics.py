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

>>> from helpers.testing.topics import planted_topic_corpus
>>> model = fit_topics(planted_topic_corpus(n_papers=300, seed=1).papers, k=4)
>>> model.topics[["topic", "papers"]].shape
(4, 2)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field

import numpy as np
import pandas as pd
from scipy import sparse

from helpers.analysis.periods import add_period, paper_windows
from helpers.analysis.signals import MIN_EFFECT, trend_status
from helpers.analysis.signals import STATUSES as SIGNAL_STATUSES
from helpers.analysis.stats import wilson_interval
from helpers.analysis.topic_model import (
    MIN_PER_TOPIC,
    MIN_STABILITY,
    SEED,
    TermMatrix,
    TooFewPapers,
    choose_k,
    corpus_check,
    fit_nmf,
    term_matrix,
    unique_papers,
)
from helpers.wording import plural

__all__ = [  # the matrix and choice of k live in analysis.topic_model; importable from here too
    "ALPHA",
    "STATUSES",
    "TermMatrix",
    "TooFewPapers",
    "Topics",
    "choose_k",
    "corpus_check",
    "fit_topics",
    "headline",
    "selection_text",
    "term_matrix",
    "topic_trends",
    "unique_papers",
]

STATUSES = (*SIGNAL_STATUSES, "not tested")
"""The statuses of the term signals; "not tested" when the papers span fewer than 2 periods."""
ALPHA = 0.05


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
    ``trends`` (test, effect and status per topic, as the term signals), ``terms`` (top terms
    with weights), ``period_terms`` (each period's own top terms per topic), ``representative``
    (papers), ``dump_shares`` (per search or listing dump), ``selection`` (stability per k).
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
                                          "papers_used", "tried", "chosen"])  # fmt: skip
    w, h = fit_nmf(matrix.tfidf, k, seed=seed)
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
    per = _paper_periods(papers, freq)
    shares = _shares(per, assignments, topics)
    trends = topic_trends(shares, windows=_window_counts(per, assignments, topics))
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


def _paper_periods(papers: pd.DataFrame, freq: str) -> pd.DataFrame:
    """One row per paper and period (papers without dates give none)."""
    if "dump_date" not in papers.columns or papers["dump_date"].isna().all():
        return pd.DataFrame(columns=["paper_id", "period", "period_start", "position"])
    per = add_period(papers.dropna(subset=["dump_date"]), freq)
    return per.assign(window=paper_windows(per))[
        ["paper_id", "period", "period_start", "position", "window"]
    ].reset_index(drop=True)


def _window_counts(per: pd.DataFrame, assignments: pd.DataFrame, topics: pd.DataFrame):
    """(late, n_late, early, n_early) of :func:`helpers.analysis.signals.trend_status` for the
    topics in id order: each topic's papers (main topic) in the last and first third of the
    papers, and the papers of each third; None without dated papers."""
    if per.empty or "window" not in per.columns:
        return None
    tagged = per.merge(assignments[["paper_id", "topic"]], on="paper_id", how="left")
    ids = np.sort(topics["topic"].unique())
    k = (
        tagged.groupby(["topic", "window"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=ids, columns=[0, 1, 2], fill_value=0)
    )
    n = tagged["window"].value_counts().reindex([0, 1, 2], fill_value=0)
    return k[2].to_numpy(float), float(n[2]), k[0].to_numpy(float), float(n[0])


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


def topic_trends(
    shares: pd.DataFrame,
    alpha: float = ALPHA,
    test: str = "cochran-armitage",
    min_effect: float = MIN_EFFECT,
    windows: tuple | None = None,
) -> pd.DataFrame:
    """Per topic: the trend test, effect and status of
    :func:`helpers.analysis.signals.trend_status` (the same as the term signals) on its papers
    (main topic) per period over the period's papers, periods scored by their positions and
    p-values Benjamini-Hochberg adjusted over topics. Columns ``status``, ``effect``,
    ``effect_lo``, ``effect_hi``, ``evidence``, ``p``, ``p_adj`` and ``test`` mean what they mean
    in :func:`helpers.analysis.signals.signals`; ``windows`` (from the papers, as there) makes
    the effect compare the first and last third of the papers rather than of the periods.
    Empty with fewer than 2 periods (the topics' status is then "not tested")."""
    columns = ["topic", "label", "status", "effect", "effect_lo", "effect_hi", "evidence", "p",
               "p_adj", "test", "periods", "early_share", "late_share", "shift", "shift_lo",
               "shift_hi"]  # fmt: skip
    if shares.empty or shares["position"].nunique() < 2:
        return pd.DataFrame(columns=columns)
    counts = shares.pivot(index="topic", columns="position", values="papers").sort_index(axis=1)
    totals = shares.groupby("position")["n_papers"].first().loc[counts.columns]
    status = trend_status(
        counts,
        totals.to_numpy(dtype=float),
        test=test,
        alpha=alpha,
        min_effect=min_effect,
        scores=counts.columns.to_numpy(dtype=float),
        windows=windows,
    )
    labels = shares.drop_duplicates("topic").set_index("topic")["label"]
    return (
        status.assign(label=labels.loc[status.index], periods=counts.shape[1])
        .rename_axis("topic")
        .reset_index()[columns]
        .astype({"topic": int, "periods": int})
    )


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


def selection_text(selection: pd.DataFrame, min_stability: float = MIN_STABILITY) -> str:
    """How k was chosen, in a sentence, from :func:`choose_k`'s table: the chosen k, and when
    the search stopped at its peak, which k were tried."""
    chosen = int(selection.loc[selection["chosen"], "k"].iloc[0])
    reached = selection["stability"].max() >= min_stability
    text = (
        f"k={chosen} chosen: the largest k at a stability peak of at least {min_stability:g}."
        if reached
        else f"k={chosen} chosen: no k reaches a stability of {min_stability:g}; this is the "
        "most stable peak."
    )
    tried = selection.loc[selection["tried"], "k"]
    skipped = selection.loc[~selection["tried"], "k"]
    if len(skipped):
        text += (
            f" Candidates were tried from k={int(tried.max())} down; the search stopped at "
            f"k={int(tried.min())}, which shows that k={chosen} is a peak, so k "
            f"{', '.join(str(int(k)) for k in skipped)} were not tried: they cannot change "
            "the choice."
        )
    return text


def headline(model: Topics) -> str:
    """One sentence on the themes: how many, the largest, and which rise or fade (with their
    early and late shares)."""
    t = model.topics.sort_values("share", ascending=False)
    largest = t.iloc[0]
    parts = [
        f"{plural(model.k, 'theme')} in {plural(int(t['papers'].sum()), 'paper')}; the largest is "
        f"'{largest['label']}' ({largest['share']:.0%} of papers)"
    ]
    trends = model.trends.merge(t[["topic"]], on="topic")
    for status in ("new", "rising", "bursting", "fading"):
        rows = trends[trends["status"] == status].sort_values("evidence", ascending=False)
        if len(rows):
            named = ", ".join(
                f"'{r.label}' ({r.early_share:.0%} to {r.late_share:.0%}, x{r.effect:.1f})"
                for r in rows.head(3).itertuples()
            )
            parts.append(f"{status}: {named}")
    if trends.empty:
        parts.append("too few periods to test trends")
    return "; ".join(parts) + "."
