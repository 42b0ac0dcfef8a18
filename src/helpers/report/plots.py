"""Shared figure styling and the chart helpers more than one notebook uses.

Helpers here only draw: every number they show comes from a table computed elsewhere. Every
chart stays readable from two dumps to a thousand: bar charts with one bar per dump turn into
time series when there are many dumps, series with many points draw their interval as a band,
one small panel per group instead of overlapping lines, and date axes use matplotlib's concise
date labels so they never overlap. Figures are at most ``MAX_HEIGHT_IN`` inches tall.
"""

from __future__ import annotations

import html
import math

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as ticker
import pandas as pd

from helpers.report.figure_files import finish, save_figure  # noqa: F401 (notebooks: plots.finish)

WIDTH_IN = 9.0  # figure width in inches (at 100 dpi: 900 px, narrower than a 1280 px page)
MAX_HEIGHT_IN = 22.0  # tallest figure, in inches (2,200 px at 100 dpi)
MAX_BARS = 40  # more categories than this on one axis become a time series
MAX_POINTS_WITH_BARS = 24  # more points than this per series: the interval is a band


COLORBLIND = [
    "#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc",
    "#ca9161", "#fbafe4", "#949494", "#ece133", "#56b4e9",
]  # fmt: skip

# seaborn's "whitegrid" style in its "notebook" context with the colorblind palette, written
# out: importing seaborn imports scipy.stats, a second of every report's start-up
STYLE = {
    "axes.axisbelow": True,
    "axes.edgecolor": ".8",
    "axes.grid": True,
    "axes.labelcolor": ".15",
    "axes.labelsize": 12.0,
    "axes.linewidth": 1.25,
    "axes.titlesize": 12.0,
    "axes.titleweight": "bold",
    "font.size": 12.0,
    "grid.color": ".8",
    "grid.linewidth": 1.0,
    "legend.fontsize": 11.0,
    "legend.title_fontsize": 12.0,
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "text.color": ".15",
    "xtick.bottom": False,
    "xtick.color": ".15",
    "xtick.labelsize": 11.0,
    "ytick.color": ".15",
    "ytick.labelsize": 11.0,
    "ytick.left": False,
    "figure.figsize": (WIDTH_IN, 4.5),
    "figure.dpi": 100,
    "svg.fonttype": "none",  # text stays text in the SVG files
    # titles at the top of the axes, as they are: matplotlib otherwise measures the x axis of
    # every panel before placing each title (x ticks are off), 40% of a small-multiple draw
    "axes.titley": 1.0,
    "svg.hashsalt": "hf-papers",  # the same figure gives the same SVG file, run after run
}


def setup() -> None:
    """One look for every report: readable fonts, light grid, figures wide enough for labels."""
    from cycler import cycler

    plt.rcParams.update({**STYLE, "axes.prop_cycle": cycler(color=COLORBLIND)})


def say(message: str) -> None:
    """Show a sentence in place of a chart (for example when the data cannot support one).

    The text is HTML-escaped: data-derived words stay inert in the report.
    """
    from IPython.display import HTML, display

    display(HTML(f"<p><strong>Note:</strong> {html.escape(message)}</p>"))


def height(rows: int, per_row: float = 0.3, extra: float = 1.2, low: float = 2.5) -> float:
    """Figure height in inches for ``rows`` bars or panels, capped at ``MAX_HEIGHT_IN``."""
    return min(MAX_HEIGHT_IN, max(low, per_row * rows + extra))


def date_axis(ax: plt.Axes, axis: str = "x", maxticks: int = 8) -> None:
    """Concise, automatically spaced date labels: they never overlap, from days to years
    (``maxticks`` lower for narrow panels)."""
    locator = mdates.AutoDateLocator(minticks=2, maxticks=maxticks)
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(locator)
    target.set_major_formatter(mdates.ConciseDateFormatter(locator))


def data_dates(ax: plt.Axes, dates: pd.Series, axis: str = "x", most: int = 8) -> None:
    """Date labels on ``axis``: at the dates themselves when there are at most ``most``
    distinct ones (two dumps: their two days, not days between them with no data), else
    :func:`date_axis`."""
    days = sorted(pd.to_datetime(dates).dropna().unique())
    if not 0 < len(days) <= most:
        date_axis(ax, axis, maxticks=most)
        return
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(ticker.FixedLocator(mdates.date2num(days)))
    target.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    target.set_minor_locator(ticker.FixedLocator([]))
    if axis == "x":
        ax.tick_params(axis="x", labelsize=9)
    low, high = mdates.date2num(days[0]), mdates.date2num(days[-1])
    pad = max((high - low) * 0.08, 0.5)
    (ax.set_xlim if axis == "x" else ax.set_ylim)(low - pad, high + pad)


def percent_axis(ax: plt.Axes, axis: str = "y") -> None:
    """Shares drawn as percentages."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))


def _whiskers(table: pd.DataFrame, share: str, lo: str, hi: str):
    return [
        (table[share] - table[lo]).clip(lower=0).to_numpy(),
        (table[hi] - table[share]).clip(lower=0).to_numpy(),
    ]


def share_bars(
    table: pd.DataFrame,
    *,
    label: str,
    share: str = "share",
    lo: str = "ci_low",
    hi: str = "ci_high",
    xlabel: str = "share of papers (95% Wilson interval)",
    ylabel: str = "",
    title: str = "",
    color: str = "C0",
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Horizontal bars of shares with their 95% interval as whiskers, first row on top."""
    if ax is None:
        _, ax = plt.subplots(figsize=(WIDTH_IN, height(len(table))))
    ax.barh(
        table[label].astype(str),
        table[share],
        xerr=_whiskers(table, share, lo, hi),
        capsize=2,
        color=color,
    )
    ax.invert_yaxis()
    percent_axis(ax, "x")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel or label)
    if title:
        ax.set_title(title)
    return ax


def counts_over_dumps(
    table: pd.DataFrame,
    *,
    label: str,
    date: str,
    series: dict[str, str],
    xlabel: str = "papers (count)",
    title: str = "",
) -> plt.Figure:
    """Counts per dump: one horizontal bar per dump (``series`` maps columns to legend
    labels, drawn over each other) while there are few dumps, a time series over ``date``
    with one point per dump and a 4-week rolling median when there are many."""
    table = table.sort_values(date)
    if len(table) <= MAX_BARS:
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height(len(table), 0.35)))
        for i, (column, name) in enumerate(series.items()):
            ax.barh(table[label].astype(str), table[column], color=f"C{i}", label=name)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.set_ylabel("dump")
    else:
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 4))
        dates = pd.to_datetime(table[date])
        for i, (column, name) in enumerate(series.items()):
            ax.plot(dates, table[column], ".", color=f"C{i}", alpha=0.35, markersize=4)
            smooth = table[column].rolling(20, min_periods=1, center=True).median()
            ax.plot(dates, smooth, "-", color=f"C{i}", label=f"{name} (median of 20 dumps)")
        date_axis(ax)
        ax.set_ylim(bottom=0)
        ax.set_ylabel(xlabel)
        ax.set_xlabel(f"dump date (one dot per dump, {len(table):,} dumps)")
    legend_outside(ax)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def legend_outside(ax: plt.Axes, **options) -> None:
    """The axes' legend to the right of the plotting area, where it can cover no data
    (``tight_layout`` makes room for it)."""
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0,
              **options)  # fmt: skip


def _is_dates(values: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(values)


def _draw_series(ax, part, x, share, lo, hi, color, label=None, order=None) -> None:
    part = part.sort_values(x)
    dates = _is_dates(part[x])
    if dates:
        xs = part[x]
    else:
        lookup = {v: i for i, v in enumerate(order if order is not None else part[x])}
        xs = part[x].map(lookup)
    if len(part) > MAX_POINTS_WITH_BARS:
        ax.fill_between(xs, part[lo], part[hi], color=color, alpha=0.25, linewidth=0)
        ax.plot(xs, part[share], "-", color=color, linewidth=1.4, label=label)
    else:
        ax.errorbar(
            xs,
            part[share],
            yerr=_whiskers(part, share, lo, hi),
            fmt="o-" if dates else "o",
            capsize=3,
            color=color,
            label=label,
        )


def share_series(
    table: pd.DataFrame,
    *,
    x: str,
    share: str = "share",
    lo: str = "ci_low",
    hi: str = "ci_high",
    hue: str | None = None,
    xlabel: str = "",
    ylabel: str = "share of papers",
    title: str = "",
    columns: int = 2,
) -> plt.Figure:
    """Shares over time (or over dumps) with their 95% interval: one small panel per ``hue``
    group, bars on few points, a band on many; dates labelled concisely. Panels share one
    y scale unless their highest values differ more than fourfold (the title then says so)."""
    groups = list(table.groupby(hue, sort=False)) if hue else [("", table)]
    groups = [(name, part) for name, part in groups if len(part)]
    if not groups:
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 1.5))
        ax.set_axis_off()
        ax.text(0.5, 0.5, "nothing to draw: no shares in the table", ha="center", va="center")
        return fig
    n = len(groups)
    cols = 1 if n == 1 else min(columns, n)
    rows = math.ceil(n / cols)
    panel_h = 3.2 if n > 1 else 4.0
    tops = [
        _share_top(part[share], part[hi])
        if len(part) > MAX_POINTS_WITH_BARS  # a band; a few whiskers are drawn whole
        else float(part[hi].max())
        for _, part in groups
    ]
    cut = any((part[hi] > top * 1.08).any() for (_, part), top in zip(groups, tops, strict=True))
    # one scale for all panels unless it would flatten the small ones
    shared = min(tops) > 0 and max(tops) / min(tops) <= 4
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(WIDTH_IN, min(MAX_HEIGHT_IN, panel_h * rows + 0.6)),
        sharex=True,
        sharey=shared,
        squeeze=False,
    )
    dates = _is_dates(table[x])
    ticks = sorted(table[x].unique())
    for i, (ax, (name, part)) in enumerate(zip(axes.flat, groups, strict=False)):
        _draw_series(ax, part, x, share, lo, hi, f"C{i % 10}", order=ticks)
        ax.margins(x=0.04)
        if n > 1:
            ax.set_title(str(name), fontsize=11)
        percent_axis(ax)
        top = max(tops) if shared else tops[i]
        ax.set_ylim(0, (top if top > 0 else 0.01) * 1.08)
        if dates:
            date_axis(ax, maxticks=8 if cols == 1 else 9 - 2 * cols)
        else:
            step = max(1, math.ceil(len(ticks) / (8 if cols == 1 else 4)))
            ax.set_xticks(range(0, len(ticks), step), [str(t) for t in ticks[::step]])
            ax.tick_params(axis="x", rotation=30, labelsize=8)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    for ax in axes[-1, :]:
        ax.set_xlabel(xlabel or x)
    if title:
        scale = "" if shared or n == 1 else "\n(each panel on its own scale)"
        scale += "\n(intervals of small dumps or periods run past the top)" if cut else ""
        fig.suptitle(title + scale, fontweight="bold")
    fig.tight_layout()
    return fig


def _share_top(shares: pd.Series, highs: pd.Series) -> float:
    """The top of a share axis: room above the largest share and at least the median upper
    end of the intervals, never beyond the largest upper end. The intervals of a few tiny
    groups (a dump of one paper: 0% to 79%) then run past the top instead of flattening every
    share near 0% against the bottom."""
    most = float(highs.max()) if len(highs) else 0.0
    if most <= 0:
        return 0.0
    return min(most, max(1.5 * float(shares.max()), float(highs.median()), 0.01))


def share_heatmap(
    grid: pd.DataFrame, *, xlabel: str = "", title: str = "", max_labels: int = 10
) -> plt.Figure:
    """Shares as colours: one row per ``grid`` row, one column per column (periods), with
    percentages written in the cells when there are few columns, and at most ``max_labels``
    column labels."""
    import numpy as np

    fig, ax = plt.subplots(figsize=(WIDTH_IN, height(len(grid), 0.32, 1.8)))
    values = grid.to_numpy(dtype=float)
    image = ax.imshow(values, aspect="auto", cmap="viridis", interpolation="nearest")
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("share of papers")
    bar.ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_yticks(range(len(grid)), [str(i) for i in grid.index])
    step = max(1, math.ceil(grid.shape[1] / max_labels))
    ax.set_xticks(
        range(0, grid.shape[1], step), [str(c) for c in grid.columns[::step]], rotation=45,
        ha="right", fontsize=8,
    )  # fmt: skip
    ax.grid(False)
    if grid.shape[1] <= 8:
        middle = np.nanmean(values) if np.isfinite(values).any() else 0
        for (row, col), value in np.ndenumerate(values):
            if np.isfinite(value):
                color = "black" if value > middle else "white"
                ax.text(col, row, f"{value:.0%}", ha="center", va="center", fontsize=8,
                        color=color)  # fmt: skip
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def term_heatmap(shares: pd.DataFrame, freq: str = "") -> plt.Figure:
    """``share_heatmap`` of a per-period shares table (term, period_start, share): one row per
    term in the table's order, one column per period."""
    grid = shares.pivot(index="term", columns="period_start", values="share")
    grid = grid.loc[shares["term"].unique()]
    grid.columns = [f"{c:%Y-%m-%d}" for c in grid.columns]
    return share_heatmap(
        grid,
        xlabel=f"period start (freq={freq}; {grid.shape[1]:,} periods)",
        title="Share of papers mentioning the most common terms",
    )


def burst_bars(bursts: pd.DataFrame, starts: pd.Series, title: str = "Strongest bursts"):
    """Each burst (term, start, end) as a bar over the dates of its periods; ``starts`` are
    the period starts of the corpus (they set the axis and a period's width)."""
    step = pd.Series(sorted(pd.to_datetime(starts).unique()))
    width = step.diff().median() if len(step) > 1 else pd.Timedelta(days=1)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height(len(bursts), 0.35, 1.5)))
    labels = bursts["term"] + "  (" + bursts["start"].dt.strftime("%Y-%m-%d") + ")"
    ax.barh(labels, bursts["end"] + width - bursts["start"], left=bursts["start"], color="C3")
    ax.invert_yaxis()
    ax.set_xlim(step.min(), step.max() + width)
    date_axis(ax)
    ax.set_xlabel("date (bar: periods of the burst)")
    ax.set_ylabel("term (burst start)")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def date_spans(table: pd.DataFrame, title: str = "Trend topics") -> plt.Figure:
    """Per term, the quartiles of its papers' dates (q1-q3 line) and the median (dot sized by
    ``n_papers``), first row on top."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height(len(table), 0.35, 1.5)))
    ax.hlines(table["term"], table["q1"], table["q3"], color="C0", linewidth=2)
    size = 20 + 200 * table["n_papers"] / max(table["n_papers"].max(), 1)
    ax.scatter(table["median"], table["term"], s=size, color="C1", zorder=3)
    drawn = [c for c in ("first", "q1", "median", "q3", "last") if c in table.columns]
    data_dates(ax, table[drawn].stack())
    ax.set_xlabel("date of the papers mentioning the term (line: quartiles, dot: median)")
    ax.set_ylabel("term")
    ax.invert_yaxis()
    ax.set_title(title)
    fig.tight_layout()
    return fig


def value_bars(
    table: pd.DataFrame,
    *,
    label: str,
    value: str,
    xlabel: str,
    title: str = "",
    color: str = "C0",
    overlay: tuple[str, str] | None = None,
    legend: str = "",
) -> plt.Figure:
    """Horizontal bars of a count or score per row, first row on top; ``overlay`` (column,
    legend label) draws a second, smaller count over the first."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height(len(table), 0.35)))
    ax.barh(table[label].astype(str), table[value], color=color, label=legend or None)
    if overlay is not None:
        ax.barh(table[label].astype(str), table[overlay[0]], color="C1", label=overlay[1])
    if pd.api.types.is_integer_dtype(table[value]):
        ax.xaxis.get_major_locator().set_params(integer=True)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(label)
    if title:
        ax.set_title(title)
    if overlay is not None:
        legend_outside(ax)
    fig.tight_layout()
    return fig


def histogram(values: pd.Series, *, xlabel: str, title: str = "", bins: int = 30):
    """A histogram of counts, one colour."""
    fig, ax = plt.subplots()
    ax.hist(values, bins=bins, color="C0")
    ax.yaxis.get_major_locator().set_params(integer=True)  # counts: no "1.5 papers" tick
    ax.set_xlabel(xlabel)
    ax.set_ylabel("papers (count)")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def group_intervals(
    shares: pd.DataFrame, terms: list[str], *, group: str, groups: list[str], title: str = ""
) -> plt.Figure:
    """Per term (one row each, in ``terms`` order), the share of each of ``groups`` (a dot
    with its 95% whiskers, groups side by side): shares with ``share``, ``ci_low`` and
    ``ci_high`` (``term_shares_by_group``)."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height(len(terms), 0.35)))
    drawn = shares[shares[group].isin(groups)]
    for i, (name, part) in enumerate(drawn.groupby(group, sort=True)):
        part = part.set_index("term").loc[terms]
        offset = (i - (len(groups) - 1) / 2) * 0.8 / max(len(groups), 1)
        ax.errorbar(
            part["share"],
            [k + offset for k in range(len(terms))],
            fmt="o",
            capsize=2,
            label=name,
            xerr=_whiskers(part, "share", "ci_low", "ci_high"),
        )
    ax.set_yticks(range(len(terms)), terms)
    ax.invert_yaxis()
    percent_axis(ax, "x")
    name = {"dump_file": "dump", "group": "group"}.get(group, group.replace("_", " "))
    ax.set_xlabel(f"share of each {name}'s papers using the term (95% Wilson interval)")
    ax.set_ylabel("term")
    ax.set_title(title)
    legend_outside(ax, title=name, fontsize=8)
    fig.tight_layout()
    return fig


def g2_panels(table: pd.DataFrame, groups: list[str], title: str = "") -> plt.Figure:
    """Distinctive terms: per group of ``groups`` a panel of G2 bars (red: adjusted p < 0.05,
    grey: not), labelled with the log2 ratio; two panels per row."""
    parts = [(g, table[table["group"] == g]) for g in groups]
    parts = [(g, p) for g, p in parts if len(p)]
    cols = max(1, min(2, len(parts)))
    rows = math.ceil(len(parts) / cols)
    longest = max((len(p) for _, p in parts), default=1)
    fig, axes = plt.subplots(
        rows, cols, figsize=(WIDTH_IN, height(rows * longest, 0.24)), squeeze=False
    )
    for ax, (name, part) in zip(axes.flat, parts, strict=False):
        ax.barh(
            part["term"], part["g2"], color=["C3" if p < 0.05 else "C7" for p in part["p_adj"]]
        )
        for y, (g2, lr) in enumerate(zip(part["g2"], part["log_ratio"], strict=True)):
            ax.text(g2, y, f" {lr:.1f}", va="center", fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("G2 (red: FDR-adjusted p < 0.05)", fontsize=9)
        ax.set_title(str(name)[:24], fontsize=10)
    for ax in axes.flat[len(parts) :]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def wordclouds(table: pd.DataFrame, main: str = "all papers", columns: int = 3) -> plt.Figure:
    """Word clouds from a table of (cloud, term, share) rows: the ``main`` cloud across the
    top, one small panel per other cloud below; word size follows the share of papers."""
    from wordcloud import WordCloud

    from helpers.analysis.terms import cloud_frequencies

    names = [n for n in dict.fromkeys(table["cloud"]) if n != main]
    rows = math.ceil(len(names) / columns)
    fig = plt.figure(figsize=(WIDTH_IN, 4.2 + 1.6 * rows))
    grid = fig.add_gridspec(1 + rows, columns, height_ratios=[4.2] + [1.6] * rows)
    panels = [(main, fig.add_subplot(grid[0, :]), 900, 400)] + [
        (name, fig.add_subplot(grid[1 + i // columns, i % columns]), 450, 250)
        for i, name in enumerate(names)
    ]
    for name, ax, width, high in panels:
        weights = cloud_frequencies(table.loc[table["cloud"] == name])
        cloud = WordCloud(width=width, height=high, background_color="white", random_state=0)
        ax.imshow(cloud.generate_from_frequencies(weights), interpolation="bilinear")
        ax.set_axis_off()
        suffix = ": word size ~ papers using the term" if name == main else ""
        ax.set_title(f"{name[:24]}{suffix}", fontsize=10)
    fig.tight_layout()
    return fig
