"""Signals: which subjects are new, rising, bursting, stable or fading, each with an effect size
and its interval, and a test that weighs every period by its papers.

The unit is a *term*: a word or a 2-3 word phrase of the project's tokeniser (counted by the
Polars engine, :func:`helpers.text.counting.count_groups`), or a user's *concept* (a group of
keywords, ``{"state space models": ["mamba", "state space model", "ssm"]}``); the units and their
counts per period are built in :mod:`helpers.analysis.signal_units`.

- Inflection variants are one term: forms whose words have the same Snowball stems ("agent",
  "agents", "agentic") are merged; the label is the form most papers use and ``variants`` lists
  the forms, most used first. A paper counts once for the term whichever forms it uses.
- A phrase is a term when its words go together more than chance (the likelihood-ratio G2 the
  project scores collocations with, p < 0.001) and enough papers use it.
- A word or phrase that almost only occurs inside one longer phrase (``ABSORB`` of its papers)
  is reported as that phrase: "splatting" is "gaussian splatting".
- Words of general English that papers use once each ("crucial", "remains") are how papers are
  written, not what they are about: ``register`` is "style" for them, "subject" otherwise, and
  :func:`signals` / :func:`style_signals` report the two apart.

The statuses come from :func:`trend_status`, which works on any table of per-period counts
(terms x periods) and papers per period. The invariant: ``effect`` is always the share of papers
mentioning the term in the late window over its share in the early window of the same periods,
with a 95% interval; no status is given on a p-value alone.

>>> table = signals(papers, freq="W", concepts={"ssm": ["mamba", "state space model"]})
...     # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import pandera.pandas as pa

from helpers.analysis import stats
from helpers.analysis.periods import add_period, paper_windows, period_sizes, window_spans
from helpers.analysis.signal_units import (
    ABSORB,
    GENERAL_ZIPF,
    ONCE_PER_PAPER,
    PHRASE_G2,
    concept_counts,
    count_matrix,
    period_counts,
    unit_counts,
)
from helpers.analysis.trends import Keywords, as_concepts
from helpers.text.counting import CountCache

__all__ = [  # the unit settings live in helpers.analysis.signal_units; importable from here too
    "ABSORB",
    "COMPARISON",
    "DISPERSION_BINS",
    "GENERAL_ZIPF",
    "MIN_EFFECT",
    "NEW_FLOOR",
    "ONCE_PER_PAPER",
    "PHRASE_G2",
    "SIGNALS_SCHEMA",
    "STATUSES",
    "STATUS_SCHEMA",
    "WINDOW",
    "signal_shares",
    "signal_windows",
    "signals",
    "style_signals",
    "top_signals",
    "trend_status",
]

STATUSES = ("new", "rising", "bursting", "stable", "fading")
KINDS = ("word", "phrase", "concept")
REGISTERS = ("subject", "style")
TEST_NAMES = {
    "cochran-armitage": "cochran-armitage",
    "mann-kendall": "mann-kendall on shares",
}
COMPARISON = "two-proportion z, last vs first period (a comparison, not a trend)"

MIN_EFFECT = 1.25
"""A rise is material when the 95% interval of late share / early share lies above 1.25 (a
fall: below 1 / 1.25), so the change is at least a quarter with 95% confidence. The interval of
a term in about a hundred papers spans roughly x0.7 to x1.4 around its ratio, so a bound above
1.25 means a point ratio near x1.8 or more: what a reader would call a trend, while a term in a
handful of papers cannot clear it. Measured on planted corpora (README, three seeds): a bound of
1.5 finds 0.92-0.96 of planted five- to eight-fold rises and falls, 1.25 finds 0.96-1.0 with
no more false calls."""
WINDOW = 1 / 3
"""Share of the periods in each of the early and late windows of the effect."""
NEW_FLOOR = 8
"""Papers a term absent from the early window must reach in the late window to be "new"."""
DISPERSION_BINS = 20
"""Bins of periods over which extra-binomial variation is estimated (see
:func:`helpers.analysis.stats.cochran_armitage_rows`)."""
SIGNALS_SCHEMA = pa.DataFrameSchema(
    {
        "term": pa.Column(str),
        "variants": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(KINDS)),
        "register": pa.Column(str, pa.Check.isin(REGISTERS)),
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
        "effect": pa.Column(float, pa.Check.gt(0)),
        "effect_lo": pa.Column(float, pa.Check.gt(0)),
        "effect_hi": pa.Column(float, pa.Check.gt(0)),
        "evidence": pa.Column(float, pa.Check.ge(0)),
        "p": pa.Column(float, pa.Check.in_range(0, 1)),
        "p_adj": pa.Column(float, pa.Check.in_range(0, 1)),
        "test": pa.Column(str),
        "papers": pa.Column(int, pa.Check.ge(0)),
        "early_share": pa.Column(float, pa.Check.in_range(0, 1)),
        "late_share": pa.Column(float, pa.Check.in_range(0, 1)),
        "shift": pa.Column(float, pa.Check.in_range(-1, 1)),
        "shift_lo": pa.Column(float, pa.Check.in_range(-1, 1)),
        "shift_hi": pa.Column(float, pa.Check.in_range(-1, 1)),
        "shrunk": pa.Column(float, pa.Check.gt(0)),
        "lfdr": pa.Column(float, pa.Check.in_range(0, 1)),
        "first_seen": pa.Column("datetime64[ns]", nullable=True),
        "last_seen": pa.Column("datetime64[ns]", nullable=True),
        "burst_start": pa.Column("datetime64[ns]", nullable=True),
        "burst_end": pa.Column("datetime64[ns]", nullable=True),
        "burst_ratio": pa.Column(float, nullable=True),
        "per_paper": pa.Column(float, pa.Check.ge(0)),
    },
    checks=[
        pa.Check(lambda d: (d["effect_lo"] <= d["effect"] * (1 + 1e-9)).all(), name="lo<=effect"),
        pa.Check(lambda d: (d["effect"] <= d["effect_hi"] * (1 + 1e-9)).all(), name="effect<=hi"),
        pa.Check(
            lambda d: ((d["first_seen"] <= d["last_seen"]) | d["first_seen"].isna()).all(),
            name="first<=last (unseen concepts: none)",
        ),
    ],
    unique=["term", "kind"],
    strict=True,
)

STATUS_SCHEMA = pa.DataFrameSchema(
    {
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
        "effect": pa.Column(float, pa.Check.gt(0)),
        "effect_lo": pa.Column(float, pa.Check.gt(0)),
        "effect_hi": pa.Column(float, pa.Check.gt(0)),
        "evidence": pa.Column(float, pa.Check.ge(0)),
        "early_share": pa.Column(float, pa.Check.in_range(0, 1)),
        "late_share": pa.Column(float, pa.Check.in_range(0, 1)),
        "shift": pa.Column(float, pa.Check.in_range(-1, 1)),
        "shift_lo": pa.Column(float, pa.Check.in_range(-1, 1)),
        "shift_hi": pa.Column(float, pa.Check.in_range(-1, 1)),
        "shrunk": pa.Column(float, pa.Check.gt(0)),
        "lfdr": pa.Column(float, pa.Check.in_range(0, 1)),
        "p": pa.Column(float, pa.Check.in_range(0, 1)),
        "p_adj": pa.Column(float, pa.Check.in_range(0, 1)),
        "test": pa.Column(str),
        "burst_first": pa.Column(float, nullable=True),
        "burst_last": pa.Column(float, nullable=True),
        "burst_ratio": pa.Column(float, nullable=True),
    },
    strict=True,
)


# --------------------------------------------------------------------------------------------
# the trend test and the statuses, on any count table


def trend_status(
    counts: pd.DataFrame | np.ndarray,
    totals: Sequence[float] | np.ndarray | pd.Series,
    test: str = "cochran-armitage",
    alpha: float = 0.05,
    min_effect: float = MIN_EFFECT,
    window: float = WINDOW,
    new_floor: int = NEW_FLOOR,
    dispersion_bins: int = DISPERSION_BINS,
    scores: Sequence[float] | None = None,
    windows: tuple[np.ndarray, float, np.ndarray, float] | None = None,
) -> pd.DataFrame:
    """Status, effect and test of every row of ``counts`` (papers mentioning a term in each
    period, periods in time order) over ``totals`` (papers in each period).

    Parameters
    ----------
    counts, totals
        Terms x periods counts (a DataFrame keeps its index) and the papers of each period.
    test
        "cochran-armitage" (default: trend in the share, each period weighed by its papers,
        quasi-binomial dispersion over ``dispersion_bins`` bins) or "mann-kendall" (on the raw
        per-period shares, every period equal). Two periods: a two-proportion z comparison.
    alpha
        Level of the Benjamini-Hochberg corrected p-value (``p_adj``, over the rows).
    min_effect
        Ratio the effect interval must clear: above it for rising, below its inverse for fading.
    window
        Share of the periods (at least one) in the early and in the late window.
    new_floor
        Late-window papers a term absent from the early window needs to be "new".
    scores
        Position of each period in time (default 0, 1, 2...; gaps allowed).
    windows
        ``(late, n_late, early, n_early)``: each row's papers in the late and early windows
        and the papers of each window, when the windows are cut by papers
        (:func:`helpers.analysis.periods.paper_windows`) rather than by periods; default: the
        first and last ``window`` of the periods.

    Statuses: ``new`` (significant rise, no papers in the early window, ``new_floor`` late),
    ``rising`` / ``fading`` (significant trend and effect interval beyond ``min_effect``),
    ``bursting`` (no significant trend, but a Kleinberg burst whose in-burst share is
    ``min_effect`` times the rest with 95% confidence, its G2 p-value multiplied by the number
    of possible windows and BH-corrected), ``stable`` (none of these). ``evidence`` is the
    conservative end of the effect interval as a log2 fold (0 when the interval holds 1);
    ``burst_first`` and ``burst_last`` are period numbers (0-based) of the strongest burst.
    ``shift`` is late minus early share (a fraction of papers) with Newcombe's interval;
    ``shrunk`` is the effect after empirical-Bayes shrinkage over the rows and ``lfdr`` the
    local false-discovery rate (:func:`helpers.analysis.stats.shrink_log_effects`): what ranks
    movers when few pass the corrected test.

    >>> table = trend_status([[0, 0, 1, 9, 20, 30], [5, 5, 5, 5, 5, 5]], [100] * 6)
    >>> table["status"].tolist()
    ['new', 'stable']
    """
    index = counts.index if isinstance(counts, pd.DataFrame) else None
    k = np.atleast_2d(np.asarray(counts, dtype=float))
    n = np.asarray(totals, dtype=float)
    m = k.shape[1]
    if test not in TEST_NAMES:
        raise ValueError(f"test must be one of {tuple(TEST_NAMES)}, got {test!r}")
    if m < 2 or len(n) != m:
        raise ValueError(
            f"need at least 2 periods and one total per period, got {k.shape}, {n.shape}"
        )
    if (n <= 0).any():
        raise ValueError("every period needs papers (totals > 0)")
    width = max(1, int(round(m * window))) if m > 2 else 1
    early, late = slice(0, width), slice(m - width, m)
    if windows is None:
        a, n_late = k[:, late].sum(axis=1), n[late].sum()
        b, n_early = k[:, early].sum(axis=1), n[early].sum()
    else:
        a, n_late, b, n_early = windows
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if m == 2:
        ca = stats.cochran_armitage_rows(k, n)
        p, sign, name, phi = ca["p"], np.sign(ca["z"]), COMPARISON, np.ones(len(k))
    else:
        ca = stats.cochran_armitage_rows(k, n, scores, dispersion_bins)
        phi = ca["phi"]
        if test == "cochran-armitage":
            p, sign, name = ca["p"], np.sign(ca["z"]), TEST_NAMES[test]
        else:
            mk = stats.mann_kendall_rows(k / n)
            p, sign, name = mk["p"], np.sign(mk["s"]), TEST_NAMES[test]
    effect, lo, hi = stats.share_ratio_interval(a, n_late, b, n_early, phi=phi)
    shift, shift_lo, shift_hi = stats.share_difference_interval(a, n_late, b, n_early, phi=phi)
    shrunk, lfdr = stats.shrink_log_effects(np.log(effect), np.log(hi / lo) / (2 * stats.Z95))
    p_adj = stats.bh_adjust(p)
    significant = p_adj < alpha
    up, down = significant & (sign > 0), significant & (sign < 0)
    new = up & (b == 0) & (a >= new_floor)
    rising = up & ~new & (lo > min_effect)
    fading = down & (hi < 1 / min_effect)
    status = np.where(new, "new", np.where(rising, "rising", np.where(fading, "fading", "")))
    burst = _bursts(k, n, alpha, min_effect) if m >= 3 else None
    if burst is not None:
        # a burst on top of a significant trend is the trend seen in a few periods, not a spike
        spike = burst["called"] & ~significant
        status = np.where((status == "") & spike, "bursting", status)
    status = np.where(status == "", "stable", status)
    evidence = np.maximum(0.0, np.maximum(np.log2(lo), -np.log2(hi)))
    if burst is not None:
        evidence = np.where(status == "bursting", np.log2(burst["lo"]), evidence)
    out = pd.DataFrame(
        {
            "status": status,
            "effect": effect,
            "effect_lo": lo,
            "effect_hi": hi,
            "evidence": np.maximum(evidence, 0.0),
            "early_share": b / n_early,
            "late_share": a / n_late,
            "shift": shift,
            "shift_lo": shift_lo,
            "shift_hi": shift_hi,
            "shrunk": np.exp(shrunk),
            "lfdr": lfdr,
            "p": np.clip(p, 0, 1),
            "p_adj": np.clip(p_adj, 0, 1),
            "test": name,
            "burst_first": np.nan if burst is None else burst["first"],
            "burst_last": np.nan if burst is None else burst["last"],
            "burst_ratio": np.nan if burst is None else burst["ratio"],
        },
        index=index,
    )
    return STATUS_SCHEMA.validate(out)


def _bursts(k: np.ndarray, n: np.ndarray, alpha: float, min_ratio: float) -> dict:
    """The strongest Kleinberg burst of each row (two states, s = 2, gamma = 1), its in/out
    share ratio with interval, and whether it is called (scan-corrected, BH, interval)."""
    m = k.shape[1]
    states, gain = stats.burst_states(k, n, 2.0, 1.0)
    first = np.full(len(k), np.nan)
    last = np.full(len(k), np.nan)
    inside = np.zeros_like(k, dtype=bool)
    for i in np.flatnonzero(states.any(axis=1)):  # only rows with a burst: few
        padded = np.concatenate([[0], states[i], [0]])
        starts = np.flatnonzero(np.diff(padded) == 1)
        ends = np.flatnonzero(np.diff(padded) == -1)
        weights = [gain[i, s:e].sum() for s, e in zip(starts, ends, strict=True)]
        best = int(np.argmax(weights))
        first[i], last[i] = starts[best], ends[best] - 1
        inside[i, starts[best] : ends[best]] = True
    a = (k * inside).sum(axis=1)
    n_in = (n * inside).sum(axis=1)
    b = k.sum(axis=1) - a
    n_out = n.sum() - n_in
    has = n_in > 0
    ratio, lo, _ = stats.share_ratio_interval(a, np.maximum(n_in, 1), b, np.maximum(n_out, 1))
    g2 = stats.g2_2x2(a, b, n_in - a, n_out - b)
    windows = m * (m + 1) / 2  # the window was chosen among this many: Bonferroni for the scan
    p = np.where(has & (ratio > 1), np.minimum(1.0, stats.g2_pvalue(g2) * windows), 1.0)
    called = has & (stats.bh_adjust(p) < alpha) & (lo > min_ratio)
    return {
        "called": called,
        "first": first,
        "last": last,
        "ratio": np.where(has, ratio, np.nan),
        "lo": np.where(has, lo, 1.0),
    }


# --------------------------------------------------------------------------------------------
# the table


def _seen(k: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    present = k > 0
    anyp = present.any(axis=1)
    first = np.where(anyp, starts[np.argmax(present, axis=1)], np.datetime64("NaT"))
    last_idx = k.shape[1] - 1 - np.argmax(present[:, ::-1], axis=1)
    last = np.where(anyp, starts[last_idx], np.datetime64("NaT"))
    return first.astype("datetime64[ns]"), last.astype("datetime64[ns]")


def signals(
    papers: pd.DataFrame,
    freq: str = "W",
    concepts: Keywords | None = None,
    register: str = "subject",
    min_papers: int = 10,
    test: str = "cochran-armitage",
    alpha: float = 0.05,
    min_effect: float = MIN_EFFECT,
    ngram: int | Iterable[int] = (1, 2, 3),
    stopwords: Iterable[str] | None = None,
    dispersion_bins: int = DISPERSION_BINS,
    cache: CountCache | None = None,
) -> pd.DataFrame:
    """One row per term (word or phrase) mentioned by at least ``min_papers`` papers, and per
    concept: its status, the late-vs-early effect with its interval, the corrected p-value of
    the named test, and when it was seen. Best evidence first: the rows with a status other
    than stable, then by ``evidence`` (the conservative end of the effect interval).

    Parameters
    ----------
    papers
        A papers frame (``load_dumps``); a paper counts once per period.
    freq
        Period: "D", "W", "M" or "dump". Two periods give a comparison, said in ``test`` and in
        ``attrs["note"]``; one period raises ValueError.
    concepts
        Keyword groups to follow (``{"agents": ["agent", "agentic"]}``), also plain keywords;
        reported with ``kind`` "concept" and corrected among themselves.
    register
        "subject" (what papers are about), "style" (general-English words said once per paper:
        how papers are written) or "all". Words and phrases are corrected as one family.
    min_papers, test, alpha, min_effect, dispersion_bins
        Support floor; trend test, level, material effect and dispersion bins (0: none) of
        :func:`trend_status`.
    ngram, stopwords
        Phrase lengths (1 = words) and stopwords (default: :func:`helpers.text.stopwords`).
    cache
        A :class:`helpers.text.counting.CountCache` held by the caller: the papers' terms are
        counted once for :func:`signals`, :func:`style_signals` and :func:`signal_shares`.
    """
    if register not in (*REGISTERS, "all"):
        raise ValueError(f"register must be one of {(*REGISTERS, 'all')}, got {register!r}")
    papers = papers.reset_index(drop=True)  # a new frame: positions are labels
    per = add_period(papers, freq)
    periods = period_sizes(per)
    if len(periods) < 2:
        raise ValueError(
            f"need at least 2 periods to compare, got {len(periods)} (freq={freq!r}); "
            "use a finer freq (freq='dump' compares the dumps themselves)"
        )
    positions = periods["position"].to_numpy()
    starts = periods["period_start"].to_numpy().astype("datetime64[ns]")
    totals = periods["n_papers"].to_numpy(dtype=float)
    sizes = tuple(sorted({ngram} if isinstance(ngram, int) else set(ngram)))
    cache = CountCache() if cache is None else cache  # the windows reuse the periods' counts
    by_window = per.assign(position=paper_windows(per))
    n_window = np.bincount(by_window["position"], minlength=3).astype(float)
    units, long = unit_counts(papers, per, min_papers, sizes, stopwords, cache)
    units = units.to_pandas()
    keys = units["key"].tolist()
    k = count_matrix(long.to_pandas(), keys, positions)
    _, w_long = unit_counts(papers, by_window, min_papers, sizes, stopwords, cache)
    w_k = count_matrix(w_long.to_pandas(), keys, np.arange(3))
    settings = (test, alpha, min_effect, dispersion_bins)
    parts = [_rows(units, k, totals, starts, _windows(w_k, n_window), *settings)]
    if concepts is not None:
        c_units, c_long = concept_counts(per, concepts)
        c_units = c_units.assign(kind="concept", register="subject", per_paper=np.nan)
        c_k = count_matrix(c_long, c_units["key"].tolist(), positions)
        _, c_w_long = concept_counts(by_window, concepts)
        c_w_k = count_matrix(c_w_long, c_units["key"].tolist(), np.arange(3))
        c_units["per_paper"] = 0.0
        parts.append(_rows(c_units, c_k, totals, starts, _windows(c_w_k, n_window), *settings))
    out = pd.concat(parts, ignore_index=True)
    if register != "all":
        out = out[(out["register"] == register) | (out["kind"] == "concept")]
    out = (
        out.assign(_called=out["status"] == "stable")
        .sort_values(["_called", "evidence", "p_adj", "term"], ascending=[True, False, True, True])
        .drop(columns="_called")
        .reset_index(drop=True)
    )
    text = {c: "str" for c in ("term", "variants", "kind", "register", "status", "test")}
    out = SIGNALS_SCHEMA.validate(out[list(SIGNALS_SCHEMA.columns)].astype(text))
    out.attrs["note"] = _note(len(periods), freq, test)
    return out


def _windows(w_k: np.ndarray, n_window: np.ndarray) -> tuple:
    """(late, n_late, early, n_early) of trend_status from counts per window (0, 1, 2)."""
    return w_k[:, 2], n_window[2], w_k[:, 0], n_window[0]


def _rows(units, k, totals, starts, windows, test, alpha, min_effect, bins) -> pd.DataFrame:
    status = trend_status(
        k,
        totals,
        test=test,
        alpha=alpha,
        min_effect=min_effect,
        dispersion_bins=bins,
        windows=windows,
    )
    first, last = _seen(k, starts)
    idx_first = status["burst_first"].to_numpy()
    idx_last = status["burst_last"].to_numpy()
    ok = ~np.isnan(idx_first) & (status["status"].to_numpy() == "bursting")
    b_start = np.full(len(status), np.datetime64("NaT"), dtype="datetime64[ns]")
    b_end = b_start.copy()
    b_start[ok] = starts[idx_first[ok].astype(int)]
    b_end[ok] = starts[idx_last[ok].astype(int)]
    return pd.DataFrame(
        {
            "term": units["term"].astype(str).to_numpy(),
            "variants": units["variants"].astype(str).to_numpy(),
            "kind": units["kind"].to_numpy(),
            "register": units["register"].to_numpy(),
            **{c: status[c].to_numpy() for c in ("status", "effect", "effect_lo", "effect_hi")},
            **{c: status[c].to_numpy() for c in ("evidence", "p", "p_adj", "test")},
            "papers": units["papers"].to_numpy().astype(int),
            "early_share": status["early_share"].to_numpy(),
            "late_share": status["late_share"].to_numpy(),
            **{
                c: status[c].to_numpy()
                for c in ("shift", "shift_lo", "shift_hi", "shrunk", "lfdr")
            },
            "first_seen": first,
            "last_seen": last,
            "burst_start": b_start,
            "burst_end": b_end,
            "burst_ratio": np.where(ok, status["burst_ratio"].to_numpy(), np.nan),
            "per_paper": units["per_paper"].to_numpy(dtype=float),
        }
    )


def _note(n_periods: int, freq: str, test: str) -> str:
    if n_periods == 2:
        return (
            f"Only 2 periods (freq={freq!r}): each term's share in the second period is compared "
            "with its share in the first (two-proportion z). This is a comparison of two "
            "moments, not a trend."
        )
    return (
        f"{n_periods} periods (freq={freq!r}): trend test {TEST_NAMES[test]}; effect = share in "
        "the last third of the papers (by listing date) over the first third, with a 95% "
        "interval; shift = the difference in percentage points."
    )


def signal_windows(papers: pd.DataFrame, freq: str = "W") -> pd.DataFrame:
    """The early and late windows that :func:`signals` compares (the first and last third of
    the papers by listing date): first and last date and papers of each, for charts and the
    sentences that quote a shift ("agents: 9% -> 32% of papers").

    >>> signal_windows(papers, "M")  # doctest: +SKIP
    """
    per = add_period(papers.reset_index(drop=True), freq)
    return window_spans(per, paper_windows(per))


def style_signals(papers: pd.DataFrame, freq: str = "W", **kwargs) -> pd.DataFrame:
    """How papers are written: :func:`signals` for the general-English words papers say about
    once each ("crucial", "remains"), apart from the research subjects.

    >>> style_signals(papers, freq="W").head()  # doctest: +SKIP
    """
    return signals(papers, freq=freq, register="style", **kwargs)


def signal_shares(
    papers: pd.DataFrame,
    terms: Sequence[str] | pd.DataFrame,
    freq: str = "W",
    concepts: Keywords | None = None,
    min_papers: int = 10,
    ngram: int | Iterable[int] = (1, 2, 3),
    stopwords: Iterable[str] | None = None,
    cache: CountCache | None = None,
) -> pd.DataFrame:
    """Share of papers mentioning each of ``terms`` (labels of :func:`signals`, or rows of its
    table) per period, with a 95% Wilson interval: the same units and counts as the table
    (columns of ``keyword_trends``: term, period, period_start, position, n_papers,
    n_mentioning, share, ci_low, ci_high). ``cache``: as for :func:`signals`."""
    from helpers.analysis.trends import TREND_SCHEMA

    if concepts is not None:  # labels of ``concepts`` are those concepts
        groups = as_concepts(concepts)
        wanted = terms["term"].tolist() if isinstance(terms, pd.DataFrame) else list(terms)
        terms = [{t: groups[t]} if t in groups else t for t in wanted]
    wanted, _, periods, k = period_counts(
        papers, freq, terms, min_papers, ngram, stopwords, cache=cache
    )
    positions = periods["position"].to_numpy()
    n = periods["n_papers"].to_numpy()
    lo, hi = stats.wilson_interval(k, n[None, :])
    share = k / n[None, :]
    out = pd.DataFrame(
        {
            "term": np.repeat(wanted, len(positions)),
            "period": np.tile(periods["period"].to_numpy(), len(wanted)),
            "period_start": np.tile(periods["period_start"].to_numpy(), len(wanted)),
            "position": np.tile(positions, len(wanted)).astype(int),
            "n_papers": np.tile(n, len(wanted)).astype(int),
            "n_mentioning": k.ravel().astype(int),
            "share": share.ravel(),
            "ci_low": np.minimum(lo.ravel(), share.ravel()),
            "ci_high": np.maximum(hi.ravel(), share.ravel()),
        }
    )
    return TREND_SCHEMA.validate(out)


def top_signals(table: pd.DataFrame, direction: str = "up", top_n: int = 10) -> pd.DataFrame:
    """The ``top_n`` strongest rises (new or rising) or falls (fading) of a signals table,
    best evidence first.

    >>> top_signals(signals(papers), "down", 5)  # doctest: +SKIP
    """
    wanted = {"up": ("new", "rising"), "down": ("fading",), "burst": ("bursting",)}
    if direction not in wanted:
        raise ValueError(f"direction must be one of {tuple(wanted)}, got {direction!r}")
    return (
        table[table["status"].isin(wanted[direction])]
        .sort_values(["evidence", "p_adj"], ascending=[False, True])
        .head(top_n)
        .reset_index(drop=True)
    )
