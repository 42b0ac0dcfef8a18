"""Shared statistics: Wilson intervals, G2 log-likelihood, log-ratio, Benjamini-Hochberg,
Mann-Kendall with Sen's slope. Vectorised over numpy arrays where it matters.

>>> lo, hi = wilson_interval(5, 50)
>>> round(float(lo), 3), round(float(hi), 3)
(0.043, 0.214)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special as _special  # scipy.stats itself takes a second to import

Z95 = 1.959963984540054


def wilson_interval(successes, trials, z: float = Z95):
    """Wilson score interval for a binomial share; arrays broadcast. Empty trials give NaN."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        # rounding can leave the bound a hair inside the share at k = 0 or k = n
        lo = np.where(n > 0, np.clip(np.minimum(centre - half, p), 0, 1), np.nan)
        hi = np.where(n > 0, np.clip(np.maximum(centre + half, p), 0, 1), np.nan)
    return lo, hi


def _xlogx_over(a, e):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(a > 0, a * np.log(a / e), 0.0)


def g2_2x2(a, b, c, d):
    """Log-likelihood ratio G2 for 2x2 tables [[a, b], [c, d]] (arrays broadcast).

    a = term count in the target, b = term count elsewhere, c = other tokens in the target,
    d = other tokens elsewhere. Returns G2 (chi-square with 1 df under independence).
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = a + b + c + d
    r1, r2 = a + b, c + d
    c1, c2 = a + c, b + d
    with np.errstate(invalid="ignore", divide="ignore"):
        g2 = 2 * (
            _xlogx_over(a, r1 * c1 / n)
            + _xlogx_over(b, r1 * c2 / n)
            + _xlogx_over(c, r2 * c1 / n)
            + _xlogx_over(d, r2 * c2 / n)
        )
    return np.maximum(np.nan_to_num(g2, nan=0.0), 0.0)


def g2_pvalue(g2):
    """Upper-tail p-value of G2 against chi-square with one degree of freedom."""
    return _special.chdtrc(1, np.asarray(g2, dtype=float))


def log_ratio(a, n_a, b, n_b, smoothing: float = 0.5):
    """Hardie's log ratio effect size: log2 of the relative frequencies, with add-0.5
    smoothing so zero counts stay finite. Positive means more frequent in the target."""
    a, n_a, b, n_b = (np.asarray(x, dtype=float) for x in (a, n_a, b, n_b))
    return np.log2(((a + smoothing) / (n_a + smoothing)) / ((b + smoothing) / (n_b + smoothing)))


def bh_adjust(pvalues):
    """Benjamini-Hochberg adjusted p-values (false discovery rate). NaNs stay NaN."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = _bh(p[ok])
    return out


def _bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg step-up: p * m / rank, made monotone from the largest p down."""
    order = np.argsort(p, kind="stable")
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return out


@dataclass(frozen=True)
class MannKendall:
    s: float
    z: float
    p: float
    tau: float
    sen_slope: float
    n: int


def mann_kendall(values) -> MannKendall:
    """Mann-Kendall trend test (normal approximation with tie correction and continuity
    correction) and Sen's slope, for values at equally spaced periods. Needs n >= 3."""
    y = np.asarray(values, dtype=float)
    n = len(y)
    if n < 3:
        raise ValueError(f"Mann-Kendall needs at least 3 periods, got {n}")
    i, j = np.triu_indices(n, k=1)
    diffs = y[j] - y[i]
    s = float(np.sign(diffs).sum())
    _, counts = np.unique(y, return_counts=True)
    var_s = (n * (n - 1) * (2 * n + 5) - np.sum(counts * (counts - 1) * (2 * counts + 5))) / 18
    if var_s <= 0:
        z = 0.0
    elif s > 0:
        z = (s - 1) / math.sqrt(var_s)
    elif s < 0:
        z = (s + 1) / math.sqrt(var_s)
    else:
        z = 0.0
    p = float(2 * _special.ndtr(-abs(z)))
    tau = s / (n * (n - 1) / 2)
    slope = float(np.median(diffs / (j - i)))
    return MannKendall(s=s, z=float(z), p=p, tau=float(tau), sen_slope=slope, n=n)


def row_blocks(n_rows: int, per_row: int, budget: int = 4_000_000) -> list[slice]:
    """Slices cutting ``n_rows`` rows into blocks of at most ``budget`` elements when each row
    needs ``per_row`` elements of scratch space (memory stays bounded for long series).

    >>> row_blocks(5, 2_000_000)
    [slice(0, 2, None), slice(2, 4, None), slice(4, 5, None)]
    """
    step = max(1, budget // max(per_row, 1))
    return [slice(k, min(k + step, n_rows)) for k in range(0, n_rows, step)]


def mann_kendall_rows(values) -> dict[str, np.ndarray]:
    """:func:`mann_kendall` for every row of a 2-D array at once (one series per row, e.g. a
    term's share in each period): arrays ``s``, ``z``, ``p``, ``tau``, the same numbers as
    calling :func:`mann_kendall` row by row (tested), without a Python loop over rows. Sen's
    slope is left out: callers with uneven period spacing compute it themselves.

    >>> mann_kendall_rows([[0.0, 0.1, 0.2], [0.2, 0.2, 0.2]])["s"].tolist()
    [3.0, 0.0]
    """
    y = np.asarray(values, dtype=float)
    if y.ndim != 2 or y.shape[1] < 3:
        raise ValueError(f"need a 2-D array with at least 3 periods per row, got {y.shape}")
    n = y.shape[1]
    i, j = np.triu_indices(n, k=1)
    s, ties = np.empty(len(y)), np.empty(len(y))
    for rows in row_blocks(len(y), n * n):
        block = y[rows]
        s[rows] = np.sign(block[:, j] - block[:, i]).sum(axis=1)
        # tie correction: an element with c equal values in its row (itself included) is in a
        # tie group of size c, so summing (c - 1)(2c + 5) over elements gives sum t(t-1)(2t+5)
        c = (block[:, :, None] == block[:, None, :]).sum(axis=2)
        ties[rows] = ((c - 1) * (2 * c + 5)).sum(axis=1)
    var_s = (n * (n - 1) * (2 * n + 5) - ties) / 18
    root = np.sqrt(np.where(var_s > 0, var_s, 1.0))
    z = np.where(var_s > 0, (s - np.sign(s)) / root, 0.0)
    return {
        "s": s.astype(float),
        "z": z,
        "p": 2 * _special.ndtr(-np.abs(z)),
        "tau": s / (n * (n - 1) / 2),
    }


POOLED_DISPERSION_ROWS = 50
"""From this many rows on, :func:`cochran_armitage_rows` pools the dispersion over rows."""


def cochran_armitage_rows(counts, totals, scores=None, dispersion_bins: int = 0):
    """Cochran-Armitage test for a linear trend in a binomial share, one series per row of
    ``counts`` (papers mentioning a term in each period) over ``totals`` (papers in each
    period, shared by the rows) at period ``scores`` (default 0, 1, 2...). Each period weighs by
    its papers: a week of 2 papers counts for 2, a week of 66 for 66.

    The statistic is the score test of a logistic (and of a linear) trend in the share:
    ``T = sum_i k_i (t_i - tbar)`` with ``tbar`` the paper-weighted mean score, and under no
    trend ``Var T = p (1 - p) sum_i n_i (t_i - tbar)^2`` (p = the row's overall share).
    ``dispersion_bins`` > 2 guards against extra-binomial variation (topics come and go by week
    more than coin flips do): the periods are cut into that many consecutive bins of about
    equal papers, the Pearson chi-square of the binned counts around the fitted line over its
    degrees of freedom estimates the dispersion (Armitage's partition of the binned homogeneity
    chi-square into trend and departure), and ``z`` is divided by ``sqrt(phi)`` (a
    quasi-binomial correction). With ``POOLED_DISPERSION_ROWS`` rows or more, ``phi = 1 + c *
    (mean binned count)`` with one ``c >= 0`` for all rows (the median over rows): a single
    row's estimate on a few bins is too noisy and, floored at 1, costs power; with fewer rows
    each row's own estimate is used, never below 1. Returns arrays ``z``, ``p`` (two-sided),
    ``slope`` (change in share per unit of score, the weighted least-squares slope) and ``phi``.

    >>> out = cochran_armitage_rows([[1, 2, 3, 4], [3, 3, 3, 3]], [10, 10, 10, 10])
    >>> out["z"].round(2).tolist(), float(out["p"][1])
    ([1.63, 0.0], 1.0)
    """
    k = np.atleast_2d(np.asarray(counts, dtype=float))
    n = np.asarray(totals, dtype=float)
    if k.shape[1] != len(n):
        raise ValueError(f"counts have {k.shape[1]} periods, totals {len(n)}")
    if k.shape[1] < 2:
        raise ValueError("a trend needs at least 2 periods")
    t = np.arange(len(n), dtype=float) if scores is None else np.asarray(scores, dtype=float)
    big_n = n.sum()
    share = k.sum(axis=1) / big_n
    centred = t - (n * t).sum() / big_n
    spread = (n * centred**2).sum()
    stat = k @ centred
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(share * (1 - share) > 0, stat / np.sqrt(share * (1 - share) * spread), 0.0)
    slope = stat / spread
    phi = np.ones(len(k))
    if dispersion_bins > 2 and len(n) > dispersion_bins:
        cuts = np.searchsorted(
            np.cumsum(n) / big_n, np.arange(1, dispersion_bins) / dispersion_bins
        )
        bins = np.zeros(len(n), dtype=int)
        bins[np.clip(cuts, 0, len(n) - 1)] += 1
        bins = np.cumsum(bins)
        n_b = np.bincount(bins, weights=n)
        used = n_b > 0
        n_b = n_b[used]
        k_b = np.zeros((len(k), len(n_b)))
        for b in range(len(n_b)):  # few bins: sum each bin's columns for all rows at once
            k_b[:, b] = k[:, np.flatnonzero(bins == np.flatnonzero(used)[b])].sum(axis=1)
        t_b = np.bincount(bins, weights=n * centred)[used] / n_b
        t_b = t_b - (n_b * t_b).sum() / big_n
        var = np.where(share * (1 - share) > 0, share * (1 - share), 1.0)[:, None]
        # Armitage's partition: homogeneity chi-square = trend part + departure from the line
        homogeneity = ((k_b - n_b * share[:, None]) ** 2 / (n_b * var)).sum(axis=1)
        trend = (k_b @ t_b) ** 2 / (var[:, 0] * (n_b * t_b**2).sum())
        df = len(n_b) - 2
        if df > 0:
            raw = (homogeneity - trend) / df
            # a term's own estimate is noisy (df is small); extra variation grows with the
            # counts (Var = mu (1 + c mu)), so c is estimated over all rows and each row gets
            # 1 + c * its mean binned count: rare terms near 1, common ones more
            mean_count = k_b.mean(axis=1)
            if len(k) >= POOLED_DISPERSION_ROWS:
                ok = mean_count > 0
                slope_c = np.median((raw[ok] - 1) / mean_count[ok]) if ok.any() else 0.0
                phi = 1.0 + max(float(slope_c), 0.0) * mean_count
            else:
                phi = np.maximum(1.0, raw)
    z = z / np.sqrt(phi)
    return {"z": z, "p": 2 * _special.ndtr(-np.abs(z)), "slope": slope, "phi": phi}


def share_ratio_interval(a, n_a, b, n_b, z: float = Z95, smoothing: float = 0.5, phi=1.0):
    """Ratio of two shares, ``(a / n_a) / (b / n_b)`` (late over early), with its log-normal
    (Katz) interval; counts get ``smoothing`` added so a zero stays finite, and the variance is
    multiplied by ``phi`` (the dispersion of :func:`cochran_armitage_rows`). Arrays broadcast.

    >>> r, lo, hi = share_ratio_interval(40, 1000, 10, 1000)
    >>> round(float(r), 2), round(float(lo), 2), round(float(hi), 2)
    (3.86, 1.97, 7.56)
    """
    a, n_a, b, n_b = (np.asarray(x, dtype=float) for x in (a, n_a, b, n_b))
    a_s, b_s = a + smoothing, b + smoothing
    ratio = (a_s / (n_a + smoothing)) / (b_s / (n_b + smoothing))
    var = 1 / a_s - 1 / (n_a + smoothing) + 1 / b_s - 1 / (n_b + smoothing)
    half = z * np.sqrt(np.maximum(var, 0) * np.asarray(phi, dtype=float))
    return ratio, ratio * np.exp(-half), ratio * np.exp(half)


def share_difference_interval(a, n_a, b, n_b, z: float = Z95, phi=1.0):
    """Difference of two shares, ``a / n_a - b / n_b`` (late minus early, as a fraction: 0.22 is
    22 percentage points), with Newcombe's hybrid score interval (his method 10: the Wilson
    intervals of the two shares combined), its half-widths widened by ``sqrt(phi)`` for
    extra-binomial dispersion. Arrays broadcast.

    >>> d, lo, hi = share_difference_interval(56, 70, 48, 80)
    >>> round(float(d), 3), round(float(lo), 3), round(float(hi), 3)
    (0.2, 0.052, 0.334)
    """
    a, n_a, b, n_b = (np.asarray(x, dtype=float) for x in (a, n_a, b, n_b))
    p1, p2 = a / n_a, b / n_b
    l1, u1 = wilson_interval(a, n_a, z)
    l2, u2 = wilson_interval(b, n_b, z)
    widen = np.sqrt(np.asarray(phi, dtype=float))
    d = p1 - p2
    lo = d - widen * np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + widen * np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, np.clip(lo, -1, 1), np.clip(hi, -1, 1)


def shrink_log_effects(log_effect, se):
    """Empirical-Bayes shrinkage of log effects towards no change, for rows of which most did
    not change. Each ``log_effect`` (standard error ``se``) is modelled as its true value plus
    N(0, se^2) noise, the true values as a mixture: 0 with probability ``pi0``, N(0, tau^2)
    otherwise (tau at least log 1.25, a material change); ``pi0`` and ``tau^2`` are the values
    that make all rows most likely together (marginal likelihood on a grid).

    Returns the posterior means (each row's effect times its posterior chance of being real
    times tau^2 / (tau^2 + se^2)) and each row's local false discovery rate (the posterior
    chance that it did not change). A row with a wide interval (a term in a handful of papers)
    is pulled strongly towards 0, a tight one hardly at all, so the rows rank by what the data
    support across all of them.

    >>> effects, errors = [2.0, 2.0, 0.0, -0.1, 0.1, 0.0], [0.2, 2.0, 0.2, 0.2, 0.2, 0.2]
    >>> m, lfdr = shrink_log_effects(effects, errors)
    >>> [round(float(x), 2) for x in m], [round(float(x), 2) for x in lfdr][:3]
    ([1.98, 0.17, 0.0, -0.0, 0.0, 0.0], [0.0, 0.81, 0.97])
    """
    x = np.asarray(log_effect, dtype=float)
    s2 = np.asarray(se, dtype=float) ** 2
    ok = np.isfinite(x) & np.isfinite(s2) & (s2 > 0)
    if not ok.any():
        return np.zeros_like(x), np.ones_like(x)
    xo, so = x[ok], s2[ok]
    null = np.exp(-0.5 * xo**2 / so) / np.sqrt(so)  # normal densities without the 2 pi
    # a real change is at least of the size of the material effect (x1.25): smaller spreads
    # cannot be told from "no change" and would let pi0 -> 0 fit null data as well
    tau2s = np.geomspace(np.log(1.25) ** 2, 25.0, 50)
    alt = np.exp(-0.5 * xo**2 / (tau2s[:, None] + so)) / np.sqrt(tau2s[:, None] + so)
    pi0s = np.concatenate([np.linspace(0.0, 0.95, 20), [0.98, 0.99, 0.995, 0.999]])
    mix = pi0s[:, None, None] * null + (1 - pi0s[:, None, None]) * alt  # pi0 x tau2 x rows
    loglik = np.log(np.maximum(mix, 1e-300)).sum(axis=2)
    i, j = np.unravel_index(int(np.argmax(loglik)), loglik.shape)
    pi0, tau2 = pi0s[i], tau2s[j]
    lfdr = np.ones_like(x)
    lfdr[ok] = pi0 * null / np.maximum(mix[i, j], 1e-300)
    mean = np.zeros_like(x)
    mean[ok] = (1 - lfdr[ok]) * tau2 / (tau2 + so) * xo
    return mean, lfdr


def burst_states(k: np.ndarray, n: np.ndarray, s: float, gamma: float):
    """Two-state Kleinberg automaton over periods for many terms at once (rows of ``k``).

    State 0 emits mentions at the term's overall share p0, state 1 at ``s * p0``; entering
    state 1 costs ``gamma * ln(n_periods)``. Returns the cheapest state path (Viterbi) and the
    per-period gain of state 1 over state 0 (how much better the burst state explains it)."""
    n_terms, n_periods = k.shape
    p0 = np.clip(k.sum(axis=1) / n.sum(), 1e-12, None)[:, None]
    p1 = np.clip(s * p0, None, 0.9999)
    with np.errstate(divide="ignore", invalid="ignore"):
        cost0 = -(k * np.log(p0) + (n - k) * np.log1p(-p0))
        cost1 = -(k * np.log(p1) + (n - k) * np.log1p(-p1))
    up = gamma * np.log(max(n_periods, 2))
    total = np.stack([cost0[:, 0], cost1[:, 0] + up], axis=1)
    back = np.zeros((n_terms, n_periods, 2), dtype=int)
    for t in range(1, n_periods):
        stay0, from1to0 = total[:, 0], total[:, 1]
        to1_from0, stay1 = total[:, 0] + up, total[:, 1]
        back[:, t, 0] = np.where(from1to0 < stay0, 1, 0)
        back[:, t, 1] = np.where(to1_from0 < stay1, 0, 1)
        total = np.stack(
            [
                np.minimum(stay0, from1to0) + cost0[:, t],
                np.minimum(to1_from0, stay1) + cost1[:, t],
            ],
            axis=1,
        )
    states = np.zeros((n_terms, n_periods), dtype=int)
    states[:, -1] = np.argmin(total, axis=1)
    rows = np.arange(n_terms)
    for t in range(n_periods - 1, 0, -1):
        states[:, t - 1] = back[rows, t, states[:, t]]
    return states, cost0 - cost1
