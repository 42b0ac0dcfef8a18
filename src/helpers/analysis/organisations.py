"""Organisations: who publishes most, in which themes, and who is rising.

The organisation is the one Hugging Face records for the paper (``organization``, a page on the
Hub that claimed the paper): known for a minority of papers, so every count here is of papers
with a known organisation, and its coverage goes beside it. An organisation is treated as a
"term" of the trend statuses (:func:`helpers.analysis.signals.trend_status`): its count per period
over the papers with a known organisation in that period, tested and labelled exactly as the
subject terms are.

The invariant: a paper counts once (its first listing), for its one recorded organisation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from helpers.analysis.periods import add_period, period_sizes
from helpers.analysis.records import paper_records
from helpers.analysis.signals import trend_status
from helpers.analysis.stats import wilson_interval

ORG_TABLE_SCHEMA = pa.DataFrameSchema(
    {
        "organization": pa.Column(str, unique=True),
        "papers": pa.Column(int, pa.Check.ge(1)),
        "share": pa.Column(float, pa.Check.in_range(0, 1)),
        "ci_low": pa.Column(float),
        "ci_high": pa.Column(float),
        "upvotes_median": pa.Column(float, nullable=True),
        "with_code": pa.Column(int, pa.Check.ge(0)),
        "first_listed": pa.Column("datetime64[ns]"),
    },
    strict=True,
)


def _known(papers: pd.DataFrame) -> pd.DataFrame:
    records = paper_records(papers)
    name = records["organization"].astype(object).where(records["organization"].notna())
    name = name.map(lambda v: " ".join(str(v).split()) if isinstance(v, str) else None)
    return records.assign(organization=name).dropna(subset=["organization"])


def organisation_table(papers: pd.DataFrame, top_n: int | None = None) -> pd.DataFrame:
    """Organisations by papers: their share of the papers with a known organisation (95%
    Wilson interval), median upvotes, papers with a recorded repository, first listing."""
    known = _known(papers)
    n = len(known)
    out = (
        known.assign(has_repo=known["github_repo"].notna())
        .groupby("organization")
        .agg(
            papers=("paper_id", "size"),
            upvotes_median=("upvotes", lambda s: s.dropna().astype(float).median()),
            with_code=("has_repo", "sum"),
            first_listed=("dump_date", "min"),
        )
        .reset_index()
        .sort_values(["papers", "organization"], ascending=[False, True], ignore_index=True)
    )
    lo, hi = wilson_interval(out["papers"].to_numpy(), max(n, 1))
    out = out.assign(share=out["papers"] / max(n, 1), ci_low=lo, ci_high=hi).astype(
        {"organization": str, "papers": int, "with_code": int, "upvotes_median": float}
    )
    out = out.assign(first_listed=out["first_listed"].astype("datetime64[ns]"))
    out = out[list(ORG_TABLE_SCHEMA.columns)]
    return ORG_TABLE_SCHEMA.validate(out.head(top_n) if top_n else out)


def organisation_themes(
    papers: pd.DataFrame, themes: pd.DataFrame, organisations: list[str]
) -> pd.DataFrame:
    """For each of ``organisations``: its papers per theme (``themes``: paper_id, unit), the
    share of its papers in each, and its main theme first."""
    known = _known(papers)
    known = known[known["organization"].isin(organisations)]
    joined = known[["paper_id", "organization"]].merge(
        themes.assign(paper_id=themes["paper_id"].astype(str)), on="paper_id"
    )
    counts = joined.groupby(["organization", "unit"]).size().rename("papers").reset_index()
    totals = counts.groupby("organization")["papers"].transform("sum")
    out = counts.assign(share=counts["papers"] / totals).astype(
        {"organization": str, "unit": str, "papers": int}
    )
    order = {name: i for i, name in enumerate(organisations)}
    return (
        out.assign(_o=out["organization"].map(order))
        .sort_values(["_o", "papers", "unit"], ascending=[True, False, True])
        .drop(columns="_o")
        .rename(columns={"unit": "theme"})
        .reset_index(drop=True)
    )


def organisation_trends(
    papers: pd.DataFrame, freq: str = "M", min_papers: int = 10, top_n: int = 40
) -> pd.DataFrame:
    """Trend status of the ``top_n`` organisations with at least ``min_papers`` papers (called
    ones first, then by evidence), from
    their count per period over the papers with a known organisation (periods where none is
    known are left out): columns of ``trend_status`` with ``organization`` and ``papers``.
    Empty when fewer than 2 such periods or no organisation qualifies."""
    known = _known(papers)
    table = organisation_table(papers)
    chosen = table[table["papers"] >= min_papers].head(top_n)["organization"].tolist()
    per = add_period(known, freq) if len(known) else known
    periods = period_sizes(per) if len(known) else pd.DataFrame()
    if len(chosen) == 0 or len(periods) < 2:
        return pd.DataFrame(columns=["organization", "papers", "status", "effect"])
    counts = (
        per[per["organization"].isin(chosen)]
        .groupby(["organization", "position"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=chosen, columns=periods["position"], fill_value=0)
    )
    status = trend_status(counts, periods["n_papers"].to_numpy(), scores=periods["position"])
    out = status.reset_index(names="organization").assign(
        papers=np.asarray(counts.sum(axis=1), dtype=int)
    )
    first = ["organization", "papers"]
    rest = [c for c in out.columns if c not in first]
    return (
        out.assign(_stable=out["status"] == "stable")[first + rest + ["_stable"]]
        .sort_values(["_stable", "evidence", "papers"], ascending=[True, False, False])
        .drop(columns="_stable")
        .reset_index(drop=True)
    )
