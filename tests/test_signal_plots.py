"""Signal panels: one visible panel per term, titled with its status and effect."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.signal_plots import signal_panels  # noqa: E402


def _shares(term: str, shares: list[float]) -> pd.DataFrame:
    n = len(shares)
    return pd.DataFrame(
        {
            "term": term,
            "period_start": pd.date_range("2024-01-01", periods=n, freq="W-MON"),
            "share": shares,
            "ci_low": [max(0.0, s - 0.01) for s in shares],
            "ci_high": [s + 0.01 for s in shares],
        }
    )


def test_one_panel_per_term_in_table_order():
    shares = pd.concat(
        [_shares("a b", [0.01] * 6), _shares("c", [0.05, 0.04, 0.03, 0.02, 0.01, 0])]
    )
    table = pd.DataFrame(
        {
            "term": ["c", "a b"],
            "status": ["fading", "stable"],
            "effect": [0.2, 1.0],
            "effect_lo": [0.1, 0.8],
            "effect_hi": [0.4, 1.2],
            "early_share": [0.045, 0.01],
            "late_share": [0.005, 0.01],
        }
    )
    fig = signal_panels(shares, table, ncols=3)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title().split("\n")[0] for ax in visible] == ["c", "a b"]
    assert "fading, ×0.20 (0.10-0.40)" in visible[0].get_title()
    assert len(fig.axes) == 3 and not fig.axes[2].get_visible()
    plt.close(fig)


def test_no_term_in_common_is_an_error():
    with pytest.raises(ValueError, match="no term"):
        signal_panels(_shares("x", [0.1, 0.2]), pd.DataFrame({"term": ["y"]}))
