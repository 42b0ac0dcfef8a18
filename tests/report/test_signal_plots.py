"""Signal panels: one visible panel per term, titled with its status and effect."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.report.signal_plots import signal_panels  # noqa: E402


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


def test_headlines_name_the_strongest_changes_with_their_intervals():
    from types import SimpleNamespace

    from helpers.report.signal_plots import signal_headline
    from helpers.report.topic_plots import topic_headline

    rising = pd.DataFrame(
        {"term": ["agentic"], "effect": [3.14], "effect_lo": [2.5], "effect_hi": [3.9],
         "early_share": [0.02], "late_share": [0.07], "test": ["cochran-armitage"],
         "p_adj": [1e-9]}
    )  # fmt: skip
    lines = signal_headline(rising, rising.iloc[:0])
    assert lines[0] == (
        "Rising most (late / early share, 95% CI): agentic ×3.1 (2.5-3.9), 2% to 7% of papers. "
        "Test: cochran-armitage; adjusted p < 0.001.",
        "table-signals_rising",
    )
    assert lines[1][0].startswith("Fading most: no subject passes")
    topics = pd.DataFrame(
        {"topic": [0, 1], "label": ["agents", "video"], "papers": [60, 40], "share": [0.6, 0.4],
         "ci_low": [0.5, 0.3], "ci_high": [0.7, 0.5]}
    )  # fmt: skip
    trends = pd.DataFrame(
        {"topic": [0, 1], "label": ["agents", "video"], "status": ["rising", "stable"],
         "evidence": [1.0, 0.0], "early_share": [0.4, 0.4], "late_share": [0.8, 0.4]}
    )  # fmt: skip
    text = [t for t, _ in topic_headline(SimpleNamespace(k=2, topics=topics, trends=trends))]
    assert text == [
        "2 themes in 100 papers; the largest (share of papers, 95% CI): agents 60% (50-70%), "
        "video 40% (30-50%).",
        "Rising themes (early to late share of papers): agents (40% to 80%).",
    ]


def test_with_two_periods_the_dashed_early_and_late_shares_are_drawn_and_named():
    """Two dumps: each window is one period, and its dashed line had zero length."""
    table = pd.DataFrame(
        {"term": ["a"], "status": ["rising"], "effect": [2.0], "effect_lo": [1.5],
         "effect_hi": [3.0], "early_share": [0.1], "late_share": [0.2]}
    )  # fmt: skip
    fig = signal_panels(_shares("a", [0.1, 0.2]), table, title="Top rising subjects")
    ax = fig.axes[0]
    dashed = [c for c in ax.collections if c.get_linestyle()[0][1] is not None]
    lengths = [abs(seg[1][0] - seg[0][0]) for c in dashed for seg in c.get_segments()]
    assert len(lengths) == 2 and min(lengths) > 0
    assert "dashed: the early and late shares" in fig._suptitle.get_text()
    plt.close(fig)
