"""Charts that scale: the same helpers draw 2 dumps and 1,000 within the height budget."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402

from helpers.report import plots  # noqa: E402

MAX_PX = 2500


def _shares(n_periods: int, terms: list[str]) -> pd.DataFrame:
    rows = []
    for t in terms:
        for i, start in enumerate(pd.date_range("2024-05-27", periods=n_periods, freq="D")):
            share = 0.1 + 0.05 * np.sin(i / 10)
            rows.append(
                {
                    "term": t,
                    "period": f"p{i:04d}",
                    "period_start": start,
                    "share": share,
                    "ci_low": share - 0.03,
                    "ci_high": share + 0.03,
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("n", [2, 30, 1000])
def test_share_series_keeps_one_panel_per_group_within_the_budget(n):
    fig = plots.share_series(_shares(n, ["a", "b", "c", "d", "e"]), x="period_start", hue="term")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 5
    assert fig.get_size_inches()[1] * fig.dpi <= MAX_PX
    # many points: the interval is a band (a filled area), few points: error bars
    has_band = any(isinstance(c, PolyCollection) for ax in visible for c in ax.collections)
    assert has_band == (n > plots.MAX_POINTS_WITH_BARS)
    plots.plt.close(fig)


@pytest.mark.parametrize("n", [2, 1000])
def test_counts_over_dumps_turns_into_a_time_series(n):
    dates = pd.date_range("2024-05-27", periods=n, freq="D")
    table = pd.DataFrame(
        {"label": [f"{i:03d}" for i in range(n)], "date": dates, "papers": np.arange(n) % 30 + 1}
    )
    fig = plots.counts_over_dumps(table, label="label", date="date", series={"papers": "papers"})
    ax = fig.axes[0]
    assert fig.get_size_inches()[1] * fig.dpi <= MAX_PX
    assert (len(ax.patches) == n) == (n <= plots.MAX_BARS)  # bars only for few dumps
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) <= 10 if n > plots.MAX_BARS else True
    plots.plt.close(fig)


def test_save_figure_writes_svg_and_png(tmp_path):
    fig = plots.share_series(_shares(3, ["a"]), x="period_start")
    written = plots.save_figure(fig, "keyword_shares", tmp_path)
    assert [p.name for p in written] == ["keyword_shares.svg", "keyword_shares.png"]
    assert written[0].read_text().lstrip().startswith("<?xml")
    assert written[1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob(".*.tmp"))
    plots.plt.close(fig)


def test_share_series_of_an_empty_table_says_so():
    empty = _shares(3, ["a"]).iloc[0:0]
    fig = plots.share_series(empty, x="period_start", hue="term")
    assert "nothing to draw" in fig.axes[0].texts[0].get_text()
    plots.plt.close(fig)


@pytest.mark.parametrize("n", [2, 500])
def test_share_heatmap_labels_at_most_ten_periods(n):
    grid = pd.DataFrame(
        np.linspace(0, 0.9, 20 * n).reshape(20, n),
        index=[f"term{i}" for i in range(20)],
        columns=[f"2025-{i:04d}" for i in range(n)],
    )
    fig = plots.share_heatmap(grid)
    ax = fig.axes[0]
    assert len(ax.get_xticklabels()) <= 10 and len(ax.get_yticklabels()) == 20
    assert bool(ax.texts) == (n <= 8)  # percentages written in the cells only when few
    assert fig.get_size_inches()[1] * fig.dpi <= MAX_PX
    plots.plt.close(fig)


@pytest.mark.parametrize("n", [2, 300])
def test_bar_helpers_draw_one_bar_per_row_within_the_budget(n):
    table = pd.DataFrame(
        {"name": [f"owner{i}" for i in range(n)], "papers": np.arange(n, 0, -1), "half": n // 2}
    )
    fig = plots.value_bars(
        table, label="name", value="papers", xlabel="papers", overlay=("half", "accepted")
    )
    ax = fig.axes[0]
    assert len(ax.patches) == 2 * n  # the count and its overlay
    assert ax.get_yticklabels()[0].get_text() == "owner0"  # first row on top
    assert fig.get_size_inches()[1] * fig.dpi <= MAX_PX


def test_burst_bars_and_date_spans_put_terms_on_a_date_axis():
    starts = pd.Series(pd.date_range("2024-01-01", periods=20, freq="W-MON"))
    bursts = pd.DataFrame(
        {"term": ["agent", "mamba"], "start": starts[[3, 10]].to_numpy(),
         "end": starts[[6, 12]].to_numpy()}
    )  # fmt: skip
    ax = plots.burst_bars(bursts, starts).axes[0]
    assert [p.get_width() for p in ax.patches] == [28.0, 21.0]  # days: 4 and 3 weeks
    spans = pd.DataFrame(
        {"term": ["a", "b"], "q1": starts[[1, 5]].to_numpy(), "median": starts[[2, 8]].to_numpy(),
         "q3": starts[[4, 9]].to_numpy(), "n_papers": [5, 50]}
    )  # fmt: skip
    ax = plots.date_spans(spans).axes[0]
    sizes = ax.collections[-1].get_sizes()
    assert sizes[1] > sizes[0]  # dot size follows the papers


def test_g2_panels_one_panel_per_group_red_when_significant():
    table = pd.DataFrame(
        {"group": ["d1", "d1", "d2"], "term": ["x", "y", "z"], "g2": [30.0, 5.0, 12.0],
         "log_ratio": [2.0, 0.5, 1.0], "p_adj": [0.001, 0.3, 0.01]}
    )  # fmt: skip
    fig = plots.g2_panels(table, ["d1", "d2"])
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["d1", "d2"]
    colours = [p.get_facecolor() for p in visible[0].patches]
    assert colours[0] != colours[1]  # significant and not, told apart


def _overlaps(legend_box, patches, renderer) -> list[str]:
    return [
        str(p.get_label())
        for p in patches
        if p.get_width() > 0 and legend_box.overlaps(p.get_window_extent(renderer))
    ]


@pytest.mark.parametrize("n", [1, 2, 12])
def test_legends_sit_beside_the_bars_never_over_them(n):
    """Few bars filled the axes under the legend (2 dumps, 1 venue): it now sits outside."""
    table = pd.DataFrame(
        {
            "label": [f"{i:03d}_e2ba913a (2026-10-{14 + i % 10})" for i in range(n)],
            "date": pd.date_range("2026-10-14", periods=n, freq="D"),
            "papers": [16 + 3 * i for i in range(n)],
            "seen_elsewhere": [i % 3 for i in range(n)],
        }
    )
    figures = [
        plots.counts_over_dumps(
            table, label="label", date="date", title="Papers per dump",
            series={"papers": "papers", "seen_elsewhere": "also in another dump"},
        ),
        plots.value_bars(
            table, label="label", value="papers", xlabel="papers (count)",
            legend="papers naming the venue",
            overlay=("seen_elsewhere", "... saying they were accepted or published there"),
        ),
    ]  # fmt: skip
    for fig in figures:
        renderer = fig.canvas.get_renderer()
        fig.canvas.draw()
        ax = fig.axes[0]
        legend = ax.get_legend().get_window_extent(renderer)
        assert _overlaps(legend, ax.patches, renderer) == []
        assert not legend.overlaps(ax.get_window_extent(renderer))
        plt.close(fig)


@pytest.mark.parametrize(
    "days", [["2026-10-14", "2026-10-15"], ["2026-10-14", "2026-10-16", "2026-10-21"]]
)
def test_trend_topic_dates_and_their_ticks_are_dates_of_the_dumps(days):
    """Quartiles fell between two dumps (2026-10-14 12:00 rounded to a day with no dump) and
    ticks on days with no data: both are dump dates now."""
    from support import make_papers

    from helpers.analysis.trend_views import trend_topics

    rows = [
        {"title": f"Paper {i}", "abstract": "An agent plans.", "dump_seq": i % len(days),
         "dump_date": days[i % len(days)]}
        for i in range(2 * len(days))
    ]  # fmt: skip
    papers = make_papers(rows)
    topics = trend_topics(papers, ["agent"])
    dumps = set(pd.to_datetime(days))
    for column in ("first", "q1", "median", "q3", "last"):
        assert set(topics[column]) <= dumps, column
    fig = plots.date_spans(topics)
    fig.canvas.draw()
    ticks = {pd.Timestamp(matplotlib.dates.num2date(t)).tz_localize(None).normalize()
             for t in fig.axes[0].get_xticks()}  # fmt: skip
    assert ticks and ticks <= dumps
    plt.close(fig)


@pytest.mark.parametrize("n", [30, 300])
def test_a_few_wide_intervals_do_not_flatten_shares_near_zero(n):
    """Truncated abstracts per dump: most shares 0-3% with intervals to ~20%, a few dumps of
    one paper with intervals to 79%. The axis follows the shares, and the title says that
    some intervals run past its top."""
    dates = pd.date_range("2024-05-27", periods=n, freq="D")
    share = pd.Series([0.03 if i % 7 == 0 else 0.0 for i in range(n)])
    high = pd.Series([0.79 if i % 5 == 0 else 0.2 for i in range(n)])
    table = pd.DataFrame({"date": dates, "share": share, "ci_low": 0.0, "ci_high": high})
    fig = plots.share_series(table, x="date", title="Truncated abstracts per dump")
    top = fig.axes[0].get_ylim()[1]
    assert share.max() < top < 0.5
    assert "past the top" in fig._suptitle.get_text()
    plt.close(fig)


def test_a_few_points_keep_their_whole_whiskers():
    table = pd.DataFrame(
        {"dump": ["000", "004"], "share": [0.03, 0.01], "ci_low": [0.005, 0.002],
         "ci_high": [0.15, 0.07]}
    )  # fmt: skip
    fig = plots.share_series(table, x="dump", title="Papers linking review mirrors")
    assert fig.axes[0].get_ylim()[1] >= 0.15
    assert "past the top" not in fig._suptitle.get_text()
    plt.close(fig)


def test_a_histogram_of_few_papers_ticks_whole_counts():
    fig = plots.histogram(pd.Series([126, 134, 134, 140, 160, 233]), xlabel="words")
    fig.canvas.draw()
    assert all(float(t).is_integer() for t in fig.axes[0].get_yticks())
    plt.close(fig)
