"""Periods of a papers frame: a day, an ISO week (Monday start), a calendar month or one dump.

A paper counts once per period: rows with the same ``paper_id`` in one period collapse to the
one with the longest abstract, so a paper listed in three daily dumps of one month counts once
for that month (and once for each day with ``freq="D"``). ``position`` numbers the periods so
that consecutive periods differ by one (for "dump": the dump's rank).
"""

from __future__ import annotations

import numpy as np
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


WINDOWS_SCHEMA = pa.DataFrameSchema(
    {
        "window": pa.Column(str, pa.Check.isin(["early", "late"])),
        "first_date": pa.Column("datetime64[ns]"),
        "last_date": pa.Column("datetime64[ns]"),
        "n_papers": pa.Column(int, pa.Check.gt(0)),
    },
    strict=True,
)


def paper_windows(per: pd.DataFrame, window: float = 1 / 3) -> pd.Series:
    """Which window each row of ``per`` (a frame from :func:`add_period`) falls in: 0 for the
    first ``window`` of the papers in time order (by listing date, then dump and rank), 2 for
    the last ``window``, 1 between. Windows are cut by papers, not by periods, so a thin first
    month cannot decide an effect alone; each window holds at least one paper. With exactly two
    periods the windows are those two periods (a comparison of two moments).

    >>> per = pd.DataFrame({"dump_date": pd.to_datetime(["2024-01-05"] * 2 + ["2024-03-01"] * 7),
    ...                     "dump_seq": [0, 0] + [1] * 7, "rank": [1, 2, *range(1, 8)]})
    >>> paper_windows(per).tolist()
    [0, 0, 0, 1, 1, 1, 2, 2, 2]
    """
    if "position" in per.columns and per["position"].nunique() == 2:  # two periods: those
        first = per["position"] == per["position"].min()
        return pd.Series(np.where(first, 0, 2), index=per.index, name="window")
    keys = [c for c in ("dump_date", "dump_seq", "rank") if c in per.columns]
    order = per.reset_index(drop=True).sort_values(keys, kind="stable").index.to_numpy()
    n = len(per)
    width = max(1, int(round(n * window)))
    code = np.ones(n, dtype=int)
    code[order[:width]] = 0
    code[order[max(n - width, width) :]] = 2
    return pd.Series(code, index=per.index, name="window")


def window_spans(per: pd.DataFrame, windows: pd.Series) -> pd.DataFrame:
    """The early and late windows of :func:`paper_windows`: first and last listing date and
    papers of each (the dates a sentence such as "8% -> 30%, 2024-05 to 2026-08" spans)."""
    dates = pd.to_datetime(per["dump_date"]).astype("datetime64[ns]")
    rows = [
        {
            "window": name,
            "first_date": dates[windows == code].min(),
            "last_date": dates[windows == code].max(),
            "n_papers": int((windows == code).sum()),
        }
        for code, name in ((0, "early"), (2, "late"))
        if (windows == code).any()
    ]
    return WINDOWS_SCHEMA.validate(pd.DataFrame(rows, columns=list(WINDOWS_SCHEMA.columns)))


__all__ = [
    "FREQS",
    "PERIODS_SCHEMA",
    "WINDOWS_SCHEMA",
    "add_period",
    "paper_windows",
    "period_sizes",
    "window_spans",
]
