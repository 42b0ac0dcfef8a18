"""Attention: which subjects and themes get more of the upvotes than of the papers.

A unit (a subject term of the signals, a theme of the topic model, an organisation) has a
*paper share* (its papers over all papers with a known upvote count) and an *upvote share* (the
upvotes of its papers over all upvotes). Their ratio is the unit's attention: 2 means its papers
draw twice the upvotes of an average paper. The interval is a percentile bootstrap over papers
(papers resampled with replacement, both shares recomputed in each replicate), so one very
upvoted paper widens it instead of deciding it.

Upvotes are those of the paper's first listing, counted when that day's file was saved (early in
the listing day): they measure early attention, not final popularity.

The invariant: a paper counts once (its first listing), in every unit it belongs to; papers
without an upvote count are left out of both shares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from scipy import sparse

from helpers.analysis.periods import add_period
from helpers.analysis.records import paper_records

N_BOOT = 400
"""Bootstrap replicates of the attention intervals."""
SEED = 0

MEMBERSHIP_SCHEMA = pa.DataFrameSchema(
    {"paper_id": pa.Column(str), "unit": pa.Column(str)}, strict=True
)

ATTENTION_SCHEMA = pa.DataFrameSchema(
    {
        "unit": pa.Column(str),
        "papers": pa.Column(int, pa.Check.ge(0)),
        "paper_share": pa.Column(float),
        "upvotes": pa.Column(int, pa.Check.ge(0)),
        "upvote_share": pa.Column(float),
        "ratio": pa.Column(float, nullable=True),
        "ratio_lo": pa.Column(float, nullable=True),
        "ratio_hi": pa.Column(float, nullable=True),
        "attention": pa.Column(str, pa.Check.isin(["more", "less", "as many"])),
    },
    strict=True,
)

BY_PERIOD_SCHEMA = pa.DataFrameSchema(
    {
        "unit": pa.Column(str),
        "period": pa.Column(str),
        "period_start": pa.Column("datetime64[ns]"),
        "position": pa.Column(int),
        "papers": pa.Column(int, pa.Check.ge(0)),
        "period_papers": pa.Column(int, pa.Check.gt(0)),
        "upvotes": pa.Column(int, pa.Check.ge(0)),
        "period_upvotes": pa.Column(int, pa.Check.ge(0)),
        "paper_share": pa.Column(float),
        "upvote_share": pa.Column(float, nullable=True),
    },
    strict=True,
)

LEAD_SCHEMA = pa.DataFrameSchema(
    {
        "comparison": pa.Column(str),
        "pairs": pa.Column(int, pa.Check.ge(0)),
        "units": pa.Column(int, pa.Check.ge(0)),
        "rho": pa.Column(float, nullable=True),
        "rho_lo": pa.Column(float, nullable=True),
        "rho_hi": pa.Column(float, nullable=True),
    },
    strict=True,
)

LEADS = "attention now vs paper-share growth next period"
FOLLOWS = "attention now vs paper-share growth into this period"


def _voted(papers: pd.DataFrame) -> pd.DataFrame:
    records = paper_records(papers)
    return records[records["upvotes"].notna()].reset_index(drop=True)


def subject_membership(
    papers: pd.DataFrame, min_papers: int = 20, cache=None, register: str = "subject"
) -> pd.DataFrame:
    """(paper_id, unit) for every subject term of the signals (the units of
    :func:`helpers.analysis.signals.signals`: words and phrases, variants merged) that at least
    ``min_papers`` distinct papers mention; each paper once, by its first listing."""
    from helpers.analysis.signal_units import NGRAM, unit_counts

    first = (
        papers.sort_values("dump_date", kind="stable")
        .drop_duplicates("paper_id")
        .reset_index(drop=True)
    )
    if first.empty:
        return MEMBERSHIP_SCHEMA.validate(pd.DataFrame({"paper_id": [], "unit": []}).astype(str))
    per = first.assign(position=np.arange(len(first)))  # one "period" per paper
    units, long = unit_counts(first, per, min_papers, NGRAM, None, cache)
    units = units.to_pandas()
    units = units[units["register"] == register] if register != "all" else units
    long = long.to_pandas()
    long = long[long["key"].isin(units["key"])]
    label = dict(zip(units["key"], units["term"], strict=True))
    out = pd.DataFrame(
        {
            "paper_id": first["paper_id"].astype(str).to_numpy()[long["position"].to_numpy()],
            "unit": long["key"].map(label).to_numpy(),
        }
    ).astype(str)
    return MEMBERSHIP_SCHEMA.validate(out.sort_values(["unit", "paper_id"], ignore_index=True))


def _matrix(voted: pd.DataFrame, membership: pd.DataFrame) -> tuple[sparse.csr_matrix, list]:
    units = sorted(membership["unit"].astype(str).unique())
    rows = pd.Index(voted["paper_id"].astype(str)).get_indexer(membership["paper_id"].astype(str))
    cols = pd.Index(units).get_indexer(membership["unit"].astype(str))
    ok = rows >= 0
    m = sparse.csr_matrix(
        (np.ones(ok.sum()), (rows[ok], cols[ok])), shape=(len(voted), len(units))
    )
    m.data[:] = 1.0  # a paper listed twice under one unit still counts once
    m.sum_duplicates()
    m.data[:] = 1.0
    return m, units


def attention_shares(
    papers: pd.DataFrame,
    membership: pd.DataFrame,
    n_boot: int = N_BOOT,
    seed: int = SEED,
) -> pd.DataFrame:
    """Each unit's share of papers and of upvotes, their ratio with a 95% percentile-bootstrap
    interval over papers, and ``attention``: "more" (interval above 1), "less" (below 1) or
    "as many". Most attention first.

    Parameters
    ----------
    papers
        The papers table (upvotes of each paper's first listing).
    membership
        (paper_id, unit) rows: :func:`subject_membership`, a topic model's main topics, ...
    n_boot, seed
        Bootstrap replicates and random seed (same seed, same intervals).
    """
    voted = _voted(papers)
    m, units = _matrix(voted, membership)
    u = voted["upvotes"].to_numpy(dtype=float)
    k = np.asarray(m.sum(axis=0)).ravel()
    votes = m.T @ u
    n, total = len(voted), u.sum()
    paper_share = k / n if n else np.full(len(units), np.nan)
    upvote_share = votes / total if total > 0 else np.full(len(units), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = upvote_share / paper_share
    lo, hi = _boot_interval(m, u, n_boot, seed)
    attention = np.where(lo > 1, "more", np.where(hi < 1, "less", "as many"))
    out = pd.DataFrame(
        {
            "unit": units,
            "papers": k.astype(int),
            "paper_share": paper_share.astype(float),
            "upvotes": votes.astype(int),
            "upvote_share": upvote_share.astype(float),
            "ratio": ratio,
            "ratio_lo": lo,
            "ratio_hi": hi,
            "attention": attention,
        }
    ).astype({"unit": str, "attention": str})
    out = out.sort_values(["ratio", "papers"], ascending=False, ignore_index=True)
    return ATTENTION_SCHEMA.validate(out)


def _boot_interval(
    m: sparse.csr_matrix, u: np.ndarray, n_boot: int, seed: int, block: int = 50
) -> tuple[np.ndarray, np.ndarray]:
    """2.5th and 97.5th percentiles of the ratio over ``n_boot`` resamplings of the papers."""
    n, n_units = m.shape
    if n == 0 or n_units == 0 or u.sum() <= 0:
        return np.full(n_units, np.nan), np.full(n_units, np.nan)
    rng = np.random.default_rng(seed)
    draws = []
    mt = m.T.tocsr()
    for start in range(0, n_boot, block):
        size = min(block, n_boot - start)
        w = rng.multinomial(n, np.full(n, 1.0 / n), size=size).astype(float)  # size x n
        wu = w * u
        with np.errstate(divide="ignore", invalid="ignore"):
            mean_unit = (mt @ wu.T) / (mt @ w.T)  # units x size
            mean_all = wu.sum(axis=1) / w.sum(axis=1)
            draws.append(mean_unit / mean_all)
    ratios = np.concatenate(draws, axis=1)
    ratios[~np.isfinite(ratios)] = np.nan
    with np.errstate(all="ignore"):
        empty = np.isnan(ratios).all(axis=1)
        filled = np.where(empty[:, None], 0.0, ratios)
        lo = np.nanpercentile(filled, 2.5, axis=1)
        hi = np.nanpercentile(filled, 97.5, axis=1)
    return np.where(empty, np.nan, lo), np.where(empty, np.nan, hi)


def attention_by_period(
    papers: pd.DataFrame, membership: pd.DataFrame, freq: str = "M"
) -> pd.DataFrame:
    """Per unit and period (of each paper's first listing): the unit's papers and upvotes, the
    period's totals, and both shares (upvote share empty when the period has no upvotes)."""
    voted = _voted(papers)
    per = add_period(voted, freq)
    totals = per.groupby("position").agg(
        period=("period", "first"),
        period_start=("period_start", "min"),
        period_papers=("paper_id", "size"),
        period_upvotes=("upvotes", "sum"),
    )
    hits = membership.merge(per[["paper_id", "position", "upvotes"]], on="paper_id")
    hits = hits.drop_duplicates(["unit", "paper_id"])
    grid = pd.MultiIndex.from_product(
        [sorted(membership["unit"].astype(str).unique()), totals.index],
        names=["unit", "position"],
    )
    counts = (
        hits.groupby(["unit", "position"])
        .agg(papers=("paper_id", "size"), upvotes=("upvotes", "sum"))
        .reindex(grid, fill_value=0)
        .reset_index()
        .join(totals, on="position")
    )
    up_total = counts["period_upvotes"].astype(float)
    out = counts.assign(
        paper_share=counts["papers"] / counts["period_papers"],
        upvote_share=(counts["upvotes"] / up_total.where(up_total > 0)).astype(float),
        period_start=pd.to_datetime(counts["period_start"]).astype("datetime64[ns]"),
    ).astype(
        {
            "papers": int,
            "upvotes": int,
            "period_papers": int,
            "period_upvotes": int,
            "unit": str,
            "period": str,
        }
    )
    columns = list(BY_PERIOD_SCHEMA.columns)
    return BY_PERIOD_SCHEMA.validate(out[columns].reset_index(drop=True))


def attention_lead(
    by_period: pd.DataFrame, n_boot: int = N_BOOT, seed: int = SEED
) -> pd.DataFrame:
    """Does attention lead publication? From :func:`attention_by_period`, the Spearman
    correlation between a unit's attention in a period (log of upvote share over paper share,
    both smoothed by half a paper) and the growth of its paper share (log ratio) into the
    *next* period, beside the same correlation with the growth into *this* period (attention
    that follows papers). Intervals: percentile bootstrap over units (a unit's periods are
    resampled together). A lead shows as a positive first row whose interval excludes 0."""
    frame = by_period.sort_values(["unit", "position"])
    n_p = frame["period_papers"].astype(float)
    n_u = frame["period_upvotes"].astype(float)
    p = (frame["papers"] + 0.5) / (n_p + 1)
    v = (frame["upvotes"] + 0.5 * n_u / n_p.clip(lower=1)) / (n_u + n_u / n_p.clip(lower=1))
    frame = frame.assign(attn=np.log(v / p), logp=np.log(p))
    grouped = frame.groupby("unit", sort=False)["logp"]
    frame = frame.assign(
        grow_next=grouped.shift(-1) - frame["logp"], grow_into=frame["logp"] - grouped.shift(1)
    )
    frame = frame[frame["period_upvotes"] > 0]
    rows = []
    for name, column in ((LEADS, "grow_next"), (FOLLOWS, "grow_into")):
        pairs = frame.dropna(subset=[column])[["unit", "attn", column]]
        rho, lo, hi = _spearman_by_unit(pairs, column, n_boot, seed)
        rows.append(
            {
                "comparison": name,
                "pairs": len(pairs),
                "units": pairs["unit"].nunique(),
                "rho": rho,
                "rho_lo": lo,
                "rho_hi": hi,
            }
        )
    return LEAD_SCHEMA.validate(pd.DataFrame(rows).astype({"comparison": str}))


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 3:
        return np.nan
    rx, ry = pd.Series(x).rank().to_numpy(), pd.Series(y).rank().to_numpy()
    if rx.std() == 0 or ry.std() == 0:
        return np.nan
    return float(np.corrcoef(rx, ry)[0, 1])


def _spearman_by_unit(
    pairs: pd.DataFrame, column: str, n_boot: int, seed: int
) -> tuple[float, float, float]:
    rho = _spearman(pairs["attn"].to_numpy(), pairs[column].to_numpy())
    units = pairs["unit"].unique()
    if len(units) < 3 or np.isnan(rho):
        return rho, np.nan, np.nan
    rng = np.random.default_rng(seed)
    parts = {u: g[["attn", column]].to_numpy() for u, g in pairs.groupby("unit", sort=False)}
    draws = []
    for _ in range(n_boot):
        chosen = np.concatenate([parts[u] for u in rng.choice(units, size=len(units))])
        draws.append(_spearman(chosen[:, 0], chosen[:, 1]))
    lo, hi = np.nanpercentile(draws, [2.5, 97.5])
    return rho, float(lo), float(hi)


def lead_text(lead: pd.DataFrame) -> str:
    """One honest sentence on the lagged comparison of :func:`attention_lead`."""
    row = lead.set_index("comparison").loc[LEADS]
    if np.isnan(row["rho"]) or np.isnan(row["rho_lo"]):
        return "Too few periods and units to say whether attention leads publication."
    span = f"Spearman {row['rho']:+.2f}, 95% interval {row['rho_lo']:+.2f} to {row['rho_hi']:+.2f}"
    if row["rho_lo"] > 0:
        return (
            f"Units with more upvotes than papers in a period tend to grow in paper share the "
            f"next period ({span}): attention leads publication here, modestly."
        )
    if row["rho_hi"] < 0:
        return (
            f"Units with more upvotes than papers tend to shrink in paper share the next period "
            f"({span}): attention does not lead publication here."
        )
    return (
        f"Inconclusive: attention in a period says nothing clear about next period's paper "
        f"share ({span}, the interval holds 0)."
    )


def top_upvoted(
    papers: pd.DataFrame, membership: pd.DataFrame, freq: str = "M", n: int = 3
) -> pd.DataFrame:
    """The ``n`` most upvoted papers of each unit and period (of the first listing): unit,
    period, rank, title, upvotes, dump_date, paper_id, arxiv_id."""
    voted = add_period(_voted(papers), freq)
    out = (
        membership.merge(voted, on="paper_id")
        .drop_duplicates(["unit", "paper_id"])
        .sort_values(["unit", "position", "upvotes", "title"], ascending=[True, True, False, True])
        .assign(rank=lambda d: d.groupby(["unit", "position"]).cumcount() + 1)
        .query("rank <= @n")
    )
    columns = ["unit", "period", "rank", "title", "upvotes", "dump_date", "paper_id", "arxiv_id"]
    return out[columns].astype({"upvotes": int, "rank": int}).reset_index(drop=True)


def theme_membership(assignments: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """(paper_id, unit) of a topic model (``Topics.assignments`` and ``Topics.topics``): each
    paper in its main theme, named by the theme's label; papers with no topic are left out."""
    labels = topics.set_index("topic")["label"]
    kept = assignments[assignments["topic"] >= 0]
    out = pd.DataFrame(
        {"paper_id": kept["paper_id"].to_numpy(), "unit": kept["topic"].map(labels).to_numpy()}
    ).astype(str)
    return MEMBERSHIP_SCHEMA.validate(out)


def attention_extremes(table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` units with the most attention and the ``n`` with the least among those whose
    interval clears 1 (rows of :func:`attention_shares`, most attention first)."""
    called = table[table["attention"] != "as many"]
    more = called[called["attention"] == "more"].head(n)
    less = called[called["attention"] == "less"].tail(n)
    return pd.concat([more, less]).drop_duplicates("unit").reset_index(drop=True)
