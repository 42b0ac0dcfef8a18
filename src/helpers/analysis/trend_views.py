"""When terms are talked about: the "trend topics" view (quartiles of the dates of the papers
that mention a term, as bibliometrix draws it) and bursts of attention (Kleinberg).

Both count papers, never raw mentions, and both work on either unit of the project: the
tokeniser's terms or keywords and concepts (``units="tokens"``, the default), or the units of
the signals table (``units="signals"``: words and phrases with inflection variants merged,
concepts; see :mod:`helpers.analysis.signal_units`). Periods are those of
:func:`helpers.analysis.periods.add_period`; ``cache`` is a caller's
:class:`helpers.text.counting.CountCache`.

>>> bursts(papers, freq="W", units="signals")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pandera.pandas as pa

from helpers.analysis import stats
from helpers.analysis.periods import add_period, period_sizes
from helpers.analysis.trends import (
    Keywords,
    empty_frame,
    keyword_counts,
    keyword_mentions,
    paper_counts,
    supported_counts,
)
from helpers.text.counting import CountCache

TOPICS_SCHEMA = pa.DataFrameSchema(
    {
        "term": pa.Column(str, unique=True),
        "n_papers": pa.Column(int, pa.Check.gt(0)),
        "first": pa.Column("datetime64[ns]"),
        "q1": pa.Column("datetime64[ns]"),
        "median": pa.Column("datetime64[ns]"),
        "q3": pa.Column("datetime64[ns]"),
        "last": pa.Column("datetime64[ns]"),
    },
    checks=pa.Check(
        lambda d: (
            (d["first"] <= d["q1"])
            & (d["q1"] <= d["median"])
            & (d["median"] <= d["q3"])
            & (d["q3"] <= d["last"])
        ).all(),
        name="quartiles ordered",
    ),
    strict=True,
)


# --------------------------------------------------------------------------------------------
# units of bursts and trend topics

UNITS = ("tokens", "signals")
NGRAM_SIGNALS = (1, 2, 3)


def _units_of(units: str | None, terms) -> str:
    """The units asked for: a signals table as ``terms`` means signal units."""
    if units is None:
        units = "signals" if isinstance(terms, pd.DataFrame) else "tokens"
    if units not in UNITS:
        raise ValueError(f"units must be one of {UNITS}, got {units!r}")
    if units == "tokens" and isinstance(terms, pd.DataFrame):
        raise ValueError("a table of terms is a signals table: use units='signals'")
    return units


def _subject_unit_counts(df, freq, terms, min_papers, ngram, stopwords, cache=None):
    """The signal units of subject (style left out) counted per period: labels, support,
    periods and the terms x periods count matrix of ``signal_units.period_counts``."""
    from helpers.analysis.signal_units import period_counts

    return period_counts(
        df,
        freq,
        terms,
        min_papers,
        ngram or NGRAM_SIGNALS,
        stopwords,
        register="subject",
        cache=cache,
    )


def _signal_counts(df, freq, terms, min_papers, ngram, stopwords, cache=None) -> pd.DataFrame:
    """Long table (term, period_start, n) of papers mentioning each signal unit per period."""
    labels, _, periods, k = _subject_unit_counts(
        df, freq, terms, min_papers, ngram, stopwords, cache
    )
    rows, cols = np.nonzero(k)  # the matrix is mostly zeros (units x days for trend_topics)
    return pd.DataFrame(
        {
            "term": np.asarray(labels, dtype=object)[rows],
            "period_start": periods["period_start"].to_numpy()[cols],
            "n": k[rows, cols].astype(int),
        }
    )


# --------------------------------------------------------------------------------------------
# trend topics


def trend_topics(
    df: pd.DataFrame,
    terms: Keywords | pd.DataFrame | None = None,
    top_n: int = 15,
    min_papers: int = 5,
    ngram: int | Iterable[int] | None = None,
    stopwords: Iterable[str] | None = None,
    units: str | None = None,
    cache: CountCache | None = None,
) -> pd.DataFrame:
    """First date, quartiles and last date of the papers mentioning each term (bibliometrix
    "trend topics"), each a date of one of those papers (the lower one where a quartile falls
    between two). Each paper counts once, at the date of its first listing. With ``terms``
    None, the ``top_n`` terms mentioned by most papers (at least ``min_papers``) are used.
    Sorted by median date, oldest first. ``units`` says what a term is (see :func:`bursts`):
    "tokens" (default; ``ngram`` 1) or "signals" (the units of the signals table; ``ngram``
    (1, 2, 3)); a signals table as ``terms`` means its rows, in signal units.

    >>> trend_topics(papers, ["mamba", "diffusion"])  # doctest: +SKIP
        term  n_papers      first         q1     median         q3       last
    """
    first = (
        df.assign(dump_date=pd.to_datetime(df["dump_date"]).astype("datetime64[ns]"))
        .sort_values(["dump_date", "dump_seq"], kind="stable")
        .drop_duplicates("paper_id")
    )
    units = _units_of(units, terms)
    if units == "signals":
        counted = _signal_counts(first, "D", terms, min_papers, ngram, stopwords, cache)
        counted = counted.rename(columns={"period_start": "dump_date"})
    elif terms is not None:
        counted = keyword_counts(first, keyword_mentions(first, terms), "dump_date")
    else:  # one row per paper: papers per (term, date)
        counted = paper_counts(first, ngram or 1, stopwords, by="dump_date", cache=cache)
    size = counted.groupby("term")["n"].sum()
    size = size[size >= (1 if terms is not None else min_papers)]
    if terms is None:
        size = size.sort_index().sort_values(ascending=False, kind="stable").head(top_n)
    kept = counted[counted["term"].isin(size.index)]
    # one row per paper and term again (only for the kept terms), for the quartiles
    dated = pd.DataFrame(
        {
            "term": np.repeat(kept["term"].to_numpy(), kept["n"].to_numpy()),
            "date": np.repeat(kept["dump_date"].to_numpy(), kept["n"].to_numpy()),
        }
    )
    grouped = dated.groupby("term")["date"]
    out = (
        pd.DataFrame(
            {
                "n_papers": size.astype(int),
                "first": grouped.min(),
                # a quartile between two papers' dates is the earlier one: every date shown
                # is a date the data has, never a day with no listing in between
                "q1": grouped.quantile(0.25, interpolation="lower"),
                "median": grouped.quantile(0.5, interpolation="lower"),
                "q3": grouped.quantile(0.75, interpolation="lower"),
                "last": grouped.max(),
            }
        )
        .rename_axis("term")
        .reset_index()
        .astype({"term": str})  # no term kept: an empty index has no string type of its own
    )
    for col in ("first", "q1", "median", "q3", "last"):
        out[col] = out[col].astype("datetime64[ns]")
    out = out.sort_values(["median", "term"], kind="stable").reset_index(drop=True)
    return TOPICS_SCHEMA.validate(out[list(TOPICS_SCHEMA.columns)])


# --------------------------------------------------------------------------------------------
# bursts (Kleinberg)

BURSTS_SCHEMA = pa.DataFrameSchema(
    {
        "term": pa.Column(str),
        "start": pa.Column("datetime64[ns]"),
        "end": pa.Column("datetime64[ns]"),
        "first_period": pa.Column(str),
        "last_period": pa.Column(str),
        "n_periods": pa.Column(int, pa.Check.ge(1)),
        "burst_share": pa.Column(float, pa.Check.in_range(0, 1)),
        "base_share": pa.Column(float, pa.Check.in_range(0, 1)),
        "weight": pa.Column(float, pa.Check.gt(0)),
    },
    checks=pa.Check(lambda d: (d["start"] <= d["end"]).all(), name="start<=end"),
    strict=True,
)


def bursts(
    df: pd.DataFrame,
    freq: str = "W",
    terms: Keywords | pd.DataFrame | None = None,
    min_papers: int = 5,
    s: float = 2.0,
    gamma: float = 1.0,
    ngram: int | Iterable[int] | None = None,
    stopwords: Iterable[str] | None = None,
    units: str | None = None,
    cache: CountCache | None = None,
) -> pd.DataFrame:
    """Bursts of attention (Kleinberg 2002, batched two-state version): runs of periods in which
    a term's share is better explained by ``s`` times its overall share than by the overall
    share, after paying ``gamma * ln(number of periods)`` to enter the burst. One row per burst,
    strongest first; ``weight`` is the total gain of the burst state over the base state.

    ``units`` says what a term is. "tokens" (the default): the tokeniser's terms of length
    ``ngram`` (default 1), or ``terms`` matched as keywords and concepts. "signals": the units
    of :func:`helpers.analysis.signals.signals`, words and 2-3 word phrases (``ngram`` default
    (1, 2, 3)) with inflection variants merged under the most used form and a word that lives
    inside one phrase reported as the phrase; with ``terms`` None, the subject units (as the
    signals table: general-English words said once per paper are style, left out); ``terms``
    picks units by their label and may add concepts. A signals table as ``terms`` means its
    rows, in signal units (``bursts(papers, terms=style_signals(papers))`` for style).

    >>> bursts(papers, freq="W", terms=["mamba"])  # doctest: +SKIP
        term      start        end  ...  n_periods  burst_share  base_share  weight
    """
    if _units_of(units, terms) == "signals":
        labels, support, periods, counts = _subject_unit_counts(
            df, freq, terms, min_papers, ngram, stopwords, cache
        )
        enough = support >= min_papers
        kept, counts = [t for t, ok in zip(labels, enough, strict=True) if ok], counts[enough]
        n = periods["n_papers"].to_numpy(dtype=float)
    else:
        per = add_period(df, freq)
        periods = period_sizes(per)
        support, _, counts, n = supported_counts(
            per, periods, terms, ngram or 1, stopwords, min_papers, cache
        )
        kept = support.index.tolist()
    columns = list(BURSTS_SCHEMA.columns)
    if not kept or len(periods) < 2:
        return BURSTS_SCHEMA.validate(empty_frame(BURSTS_SCHEMA))
    states, gain = stats.burst_states(counts, n, s, gamma)
    rows = []
    for i, term in enumerate(kept):
        padded = np.concatenate([[0], states[i], [0]])
        starts = np.flatnonzero(np.diff(padded) == 1)
        ends = np.flatnonzero(np.diff(padded) == -1) - 1
        for a, b in zip(starts, ends, strict=True):
            window = slice(a, b + 1)
            rows.append(
                {
                    "term": term,
                    "start": periods["period_start"].iloc[a],
                    "end": periods["period_start"].iloc[b],
                    "first_period": periods["period"].iloc[a],
                    "last_period": periods["period"].iloc[b],
                    "n_periods": int(b - a + 1),
                    "burst_share": counts[i, window].sum() / n[window].sum(),
                    "base_share": counts[i].sum() / n.sum(),
                    "weight": float(gain[i, window].sum()),
                }
            )
    out = pd.DataFrame(rows, columns=columns)
    if out.empty:
        out = empty_frame(BURSTS_SCHEMA)
    out = out[out["weight"] > 0].sort_values(["weight", "term"], ascending=[False, True])
    return BURSTS_SCHEMA.validate(out.reset_index(drop=True).astype({"n_periods": int}))
