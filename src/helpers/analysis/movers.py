"""Movers: the subjects that moved most, in two rankings, each row saying whether the corrected
test backs it.

A signals table (:func:`helpers.analysis.signals.signals`) gives every term its share of papers
in the early and the late window (the first and last third of the papers by date), the
``shift`` between them in percentage points and the ``shrunk`` effect (late over early share,
pulled towards no change by empirical-Bayes shrinkage across all terms). Two questions, two
rankings:

- **biggest shifts** (``by="shift"``): which subjects gained or lost the most share of papers,
  ranked by the conservative end of the shift's 95% interval, so "agents: 8% -> 30%" leads;
- **fastest growth** (``by="growth"``): which grew or shrank by the largest factor, ranked by
  the shrunk effect, so a term in a handful of papers cannot lead on a lucky ratio.

Ranking never needs a significant test: on a few weeks of listings no term passes the corrected
test, and the leading movers are still worth reading. Each row's ``verdict`` says which it is:
"significant" (status new, rising or fading), "significant trend, change under the effect
threshold" (the corrected test passes, the effect interval does not clear x1.25) or "not
significant at this corpus size".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BY = ("shift", "growth")
DIRECTIONS = ("up", "down")
SIGNIFICANT = "significant"
SMALL_EFFECT = "significant trend, change under the effect threshold"
NOT_SIGNIFICANT = "not significant at this corpus size"
_CALLED = {"up": ("new", "rising"), "down": ("fading",)}


def movers(
    table: pd.DataFrame,
    by: str = "shift",
    direction: str = "up",
    top_n: int = 10,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The ``top_n`` rows of a signals table that moved most ``direction`` ("up" or "down"),
    ranked ``by`` "shift" (percentage points, conservative end of the interval) or "growth"
    (the shrunk effect), with a ``verdict`` column (significant; a significant trend whose
    change is under the effect threshold; or not significant at this corpus size, at ``alpha``).
    Only rows that moved that way are ranked (a shift above 0, or a shrunk effect above 1, for
    "up"); concept rows are ranked with the terms.

    >>> t = pd.DataFrame({"term": ["a", "b", "c"], "status": ["rising", "stable", "stable"],
    ...                   "shift": [0.2, 0.05, -0.1], "shift_lo": [0.15, -0.01, -0.2],
    ...                   "shift_hi": [0.25, 0.1, 0.0], "shrunk": [3.0, 1.5, 0.7],
    ...                   "p_adj": [0.001, 0.2, 0.3]})
    >>> movers(t, "shift", "up")[["term", "verdict"]].values.tolist()
    [['a', 'significant'], ['b', 'not significant at this corpus size']]
    """
    if by not in BY:
        raise ValueError(f"by must be one of {BY}, got {by!r}")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    sign = 1.0 if direction == "up" else -1.0
    if by == "shift":
        moved = sign * table["shift"] > 0
        score = sign * (table["shift_lo"] if direction == "up" else table["shift_hi"])
    else:  # the shrunk effect; where shrinkage leaves ties, the row's own z breaks them
        moved = sign * np.log(table["effect"]) > 0
        z = np.log(table["effect"]) / np.log(table["effect_hi"] / table["effect_lo"])
        score = sign * np.log(table["shrunk"]) + 1e-9 * sign * z
    called = table["status"].isin(_CALLED[direction])
    verdict = np.where(
        called, SIGNIFICANT, np.where(table["p_adj"] < alpha, SMALL_EFFECT, NOT_SIGNIFICANT)
    )
    return (
        table.assign(verdict=verdict, _score=score)[moved]
        .sort_values(["_score", "term"], ascending=[False, True], kind="stable")
        .drop(columns="_score")
        .head(top_n)
        .reset_index(drop=True)
    )


__all__ = ["BY", "DIRECTIONS", "NOT_SIGNIFICANT", "SIGNIFICANT", "SMALL_EFFECT", "movers"]
