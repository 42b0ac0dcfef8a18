"""Periods of a papers frame: a day, an ISO week (Monday start), a calendar month or one dump.

A paper counts once per period: rows with the same ``paper_id`` in one period collapse to the
one with the longest abstract, so a paper listed in three daily dumps of one month counts once
for that month (and once for each day with ``freq="D"``). ``position`` numbers the periods so
that consecutive periods differ by one (for "dump": the dump's rank).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

FREQS = ("D", "W", "M", "dump")

PERIODS_SCHEMA = pa.DataFrameSchema(
    {
        "period": pa.Column(str),
        "period_start": pa.Column("datetime64[ns]"),
        "position": pa.Column(int),
        "n_papers": pa.Column(int, pa.Check.gt(0)),
    },
    strict=True,
)


def add_period(df: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """Add ``period`` (label), ``period_start`` and ``position`` (the period's number in
    ``freq`` units: days, weeks or months since the epoch, or the dump's rank for "dump") and
    keep one row per paper and period (the one with the longest abstract).

    >>> papers = pd.DataFrame({"paper_id": ["a", "a", "b"], "abstract": ["x", "longer", "y"],
    ...                        "dump_date": ["2024-03-11", "2024-03-12", "2024-04-01"]})
    >>> add_period(papers, "M")[["abstract", "period", "position"]]
      abstract   period  position
    1   longer  2024-03       650
    2        y  2024-04       651
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS}, got {freq!r}")
    dates = pd.to_datetime(df["dump_date"]).astype("datetime64[ns]")
    if freq == "dump":
        seq = df["dump_seq"].astype(int)
        position = seq.rank(method="dense").astype(int) - 1
        label = seq.map("{:03d}".format) + " " + dates.dt.strftime("%Y-%m-%d")
        start = dates.groupby(seq).transform("min")
    else:
        alias = {"D": "D", "W": "W-SUN", "M": "M"}[freq]
        per = dates.dt.to_period(alias)
        position = pd.Series([p.ordinal for p in per], index=df.index, dtype=int)
        start = per.dt.start_time.astype("datetime64[ns]")
        label = per.dt.start_time.dt.strftime("%Y-%m-%d") if freq != "M" else per.astype(str)
        if freq == "W":
            label = "week of " + label
    length = df["n_words"] if "n_words" in df.columns else df["abstract"].fillna("").str.len()
    return (
        df.assign(period=label.astype(str), period_start=start, position=position, _len=length)
        .sort_values(["position", "_len"], ascending=[True, False], kind="stable")
        .drop_duplicates(["position", "paper_id"])
        .drop(columns="_len")
        .sort_index()
    )


def period_sizes(per: pd.DataFrame) -> pd.DataFrame:
    """One row per period of ``per`` (a frame from :func:`add_period`), in position order:
    its label, start, position and number of papers."""
    out = (
        per.groupby("position", as_index=False)
        .agg(
            period=("period", "first"),
            period_start=("period_start", "min"),
            n_papers=("paper_id", "size"),
        )
        .astype({"position": int, "n_papers": int})[
            ["period", "period_start", "position", "n_papers"]
        ]
    )
    return PERIODS_SCHEMA.validate(out)


__all__ = ["FREQS", "PERIODS_SCHEMA", "add_period", "period_sizes"]
