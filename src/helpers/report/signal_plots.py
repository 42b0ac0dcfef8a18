"""Small charts for signals: one panel per term, its share of papers per period with the 95%
Wilson band, and the early and late window shares that the effect compares.

Draws only: the numbers come from :func:`helpers.analysis.signals.signal_shares` and
:func:`helpers.analysis.signals.signals`.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd

STATUS_COLOURS = {
    "new": "#1b7837",
    "rising": "#5aae61",
    "bursting": "#9970ab",
    "stable": "#878787",
    "fading": "#c51b7d",
}


def signal_panels(
    shares: pd.DataFrame,
    table: pd.DataFrame,
    ncols: int = 3,
    title: str = "",
    windows: pd.DataFrame | None = None,
) -> plt.Figure:
    """A grid of small charts, one per term of ``shares`` (in the order of ``table``): share
    per period (line), its 95% interval (band, cut at the 90th percentile of its upper ends so
    periods of one or two papers do not flatten the line), and the early and late window shares
    (dashed, over the dates of ``windows``, :func:`helpers.analysis.signals.signal_windows`; over
    the first and last third of the periods without it), titled with the term, its status and
    effect with interval.

    >>> fig = signal_panels(signal_shares(papers, top), top)  # doctest: +SKIP
    """
    from helpers.report.present import ratio

    terms = [t for t in table["term"] if t in set(shares["term"])]
    if not terms:
        raise ValueError("no term of the table is in the shares")
    rows = math.ceil(len(terms) / ncols)
    fig, axes = plt.subplots(
        rows, ncols, figsize=(3.6 * ncols, 2.5 * rows), sharex=True, squeeze=False
    )
    info = table.drop_duplicates("term").set_index("term")
    for ax, term in zip(axes.flat, terms, strict=False):
        part = shares[shares["term"] == term].sort_values("period_start")
        row = info.loc[term]
        colour = STATUS_COLOURS.get(row["status"], "#333333")
        x = part["period_start"]
        ax.fill_between(x, part["ci_low"], part["ci_high"], color=colour, alpha=0.2, lw=0)
        ax.plot(x, part["share"], color=colour, lw=1.2)
        # a window of one period (or one day) is a point: drawn a quarter-period wide each side
        half = (x.diff().median() if len(x) > 1 else pd.Timedelta(days=1)) / 4
        for share, (start, end) in zip(
            (row["early_share"], row["late_share"]), _window_dates(x, windows), strict=True
        ):
            ax.hlines(share, start - half, end + half, colors="k", linestyles="--")
        ax.set_title(
            f"{term}\n{row['status']}, {ratio(row['effect'], row['effect_lo'], row['effect_hi'])}",
            fontsize=9,
        )
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
        # weeks of one or two papers have bands up to 100%: keep the scale for the line
        top = max(part["share"].max(), part["ci_high"].quantile(0.9), row["late_share"])
        ax.set_ylim(0, max(top * 1.1, 1e-3))
        ax.tick_params(labelsize=7)
        ax.tick_params(axis="x", rotation=30)
    for ax in list(axes.flat)[len(terms) :]:
        ax.set_visible(False)
    for col in range(len(terms) % ncols or ncols, ncols):  # columns short of the last row
        if rows > 1:
            axes[rows - 2, col].tick_params(axis="x", labelbottom=True)
    for ax in axes[:, 0]:
        ax.set_ylabel("share of papers", fontsize=8)
    title = (
        title + "\n" if title else ""
    ) + "dashed: the early and late shares the effect compares"
    fig.suptitle(title, fontweight="bold")
    _grid_margins(fig, rows, ncols, title_lines=title.count("\n") + 1)
    return fig


def _window_dates(x: pd.Series, windows: pd.DataFrame | None) -> list[tuple]:
    """(start, end) on the chart's date axis of the early and late windows."""
    if windows is not None and len(windows) == 2:
        spans = windows.set_index("window")
        return [(spans.loc[w, "first_date"], spans.loc[w, "last_date"]) for w in ("early", "late")]
    third = max(1, round(len(x) / 3))
    return [(x.iloc[0], x.iloc[third - 1]), (x.iloc[-third], x.iloc[-1])]


def _grid_margins(fig: plt.Figure, rows: int, cols: int, title_lines: int) -> None:
    """Room for the panel titles (two lines), tick labels and the figure title, set in inches
    (tight_layout measures every text of the grid for the same result, at a second a chart)."""
    width, height = fig.get_size_inches()
    top_in = 0.45 + 0.3 * title_lines
    bottom_in, left_in, right_in = 0.55, 0.6, 0.1
    gap_h, gap_w = 0.55, 0.45
    axes_h = (height - top_in - bottom_in - (rows - 1) * gap_h) / rows
    axes_w = (width - left_in - right_in - (cols - 1) * gap_w) / cols
    fig.subplots_adjust(
        left=left_in / width,
        right=1 - right_in / width,
        bottom=bottom_in / height,
        top=1 - top_in / height,
        hspace=gap_h / axes_h,
        wspace=gap_w / axes_w,
    )


MAX_PERIODS = 40  # more periods than this and a signal chart shows months

SHOWN = [
    "term",
    "variants",
    "status",
    "effect",
    "early_share",
    "late_share",
    "p_adj",
    "papers",
    "first_seen",
]


def show_signals(
    papers: pd.DataFrame,
    table: pd.DataFrame,
    name: str,
    folder,
    *,
    title: str,
    freq: str = "W",
    min_papers: int = 10,
    concepts=None,
    n_evidence: int = 3,
    cache=None,
    windows: pd.DataFrame | None = None,
) -> None:
    """A block of a report for some rows of a signals table: the readable table
    (``present.show``, whole rows in ``name.csv``), one small chart per row (``signal_panels``,
    saved as ``name.svg|png``) and the papers behind the first ``n_evidence`` rows. ``cache``: the
    caller's :class:`helpers.text.counting.CountCache`, so the chart reuses the table's counts."""
    from helpers.analysis.periods import add_period
    from helpers.analysis.signals import signal_shares
    from helpers.report import plots, present

    n = min(n_evidence, len(table)) if concepts is None else 0
    present.show(
        table,
        name,
        folder,
        columns=[c for c in SHOWN if c in table.columns],
        row_links=present.evidence_links(name, n),
        labels={"status": "status"},
    )
    if table.empty:
        plots.say("No term has this status.")
        return
    # many short periods draw as noise: the chart shows months (the test keeps its periods)
    many = freq in ("D", "W") and add_period(papers, freq)["position"].nunique() > MAX_PERIODS
    shown = "M" if many else freq
    shares = signal_shares(
        papers, table, freq=shown, concepts=concepts, min_papers=min_papers, cache=cache
    )
    if many:
        title = f"{title}\nmonthly shares for the chart; tested on freq={freq!r} periods"
    plots.finish(signal_panels(shares, table, title=title, windows=windows), name, folder)
    if n:
        _papers_behind(papers, table["term"].head(n), name, folder)


def _signal_phrase(row) -> str:
    from helpers.report.present import percent, ratio

    return (
        f"{row.term} {ratio(row.effect, row.effect_lo, row.effect_hi)}, "
        f"{percent(row.early_share)} to {percent(row.late_share)} of papers"
    )


def signal_headline(rising: pd.DataFrame, fading: pd.DataFrame, n: int = 3) -> list:
    """Headline lines for the strongest rises and falls of a signals table (``top_signals``
    rows), each with its effect and interval, linked to its table; a sentence when none."""
    lines = []
    for rows, verb, name in (
        (rising, "Rising most", "signals_rising"),
        (fading, "Fading most", "signals_fading"),
    ):
        if rows.empty:
            lines.append(
                (
                    f"{verb}: no subject passes both the corrected test and the effect threshold.",
                    f"table-{name}",
                )
            )
            continue
        named = "; ".join(_signal_phrase(r) for r in rows.head(n).itertuples())
        lines.append(
            (
                f"{verb} (late / early share, 95% CI): {named}. Test: {rows['test'].iloc[0]}; "
                f"adjusted p {_p(rows['p_adj'].head(n).max())}.",
                f"table-{name}",
            )
        )
    return lines


def _p(p: float) -> str:
    from helpers.report.present import pvalue

    text = pvalue(p)
    return text if text.startswith("<") else f"≤ {text}"


def concept_line(concepts: pd.DataFrame) -> tuple[str, str] | None:
    """A headline line on the user's keywords (the concept rows of a signals table): each
    with its status and effect."""
    from helpers.report.present import ratio

    if concepts.empty:
        return None
    named = ", ".join(
        f"{r.term} {r.status} {ratio(r.effect, r.effect_lo, r.effect_hi)}"
        for r in concepts.itertuples()
    )
    return (f"Chosen keywords (late / early share, 95% CI): {named}.", "table-signals_concepts")


MOVER_COLUMNS = [
    "term",
    "verdict",
    "early_share",
    "late_share",
    "shift",
    "effect",
    "shrunk",
    "p",
    "p_adj",
    "lfdr",
    "papers",
]


def show_movers(
    papers: pd.DataFrame,
    table: pd.DataFrame,
    by: str,
    direction: str,
    name: str,
    folder,
    top_n: int = 10,
    n_evidence: int = 0,
) -> pd.DataFrame:
    """The ``top_n`` movers of a signals table (:func:`helpers.analysis.movers.movers`) as a
    readable table with each row's verdict, unadjusted and adjusted p, and the papers behind
    the first ``n_evidence`` rows; returns the rows."""
    from helpers.analysis.movers import movers
    from helpers.report import plots, present

    rows = movers(table, by, direction, top_n)
    n = min(n_evidence, int((rows["kind"] != "concept").sum()) if len(rows) else 0)
    present.show(
        rows,
        name,
        folder,
        columns=MOVER_COLUMNS,
        row_links=present.evidence_links(name, n),
        labels={"p": "p (unadjusted)"},
    )
    if rows.empty:
        plots.say("No subject moved this way between the early and the late window.")
    elif n:
        _papers_behind(papers, rows["term"].head(n), name, folder)
    return rows


def _papers_behind(papers: pd.DataFrame, terms: pd.Series, name: str, folder) -> None:
    """The papers behind the first rows of a block's table, linked from those rows."""
    from helpers.report import present
    from helpers.report.evidence import papers_mentioning

    present.evidence(
        papers_mentioning(papers, terms, limit=100),
        terms,
        name,
        folder,
        what="Papers behind the first rows (newest first, with the sentence)",
    )


def _span(windows: pd.DataFrame, which: str) -> str:
    row = windows.set_index("window").loc[which]
    first, last = (pd.Timestamp(row[c]).strftime("%Y-%m-%d") for c in ("first_date", "last_date"))
    return first if first == last else f"{first} to {last}"


def _shift_phrase(row) -> str:
    from helpers.report.present import percent, points

    return (
        f"{row.term} {percent(row.early_share)} -> {percent(row.late_share)} of papers "
        f"({points(row.shift)} points, 95% CI {points(row.shift_lo)} to {points(row.shift_hi)})"
    )


def mover_headline(
    ups: pd.DataFrame, downs: pd.DataFrame, growth: pd.DataFrame, windows: pd.DataFrame, n=3
) -> list:
    """Headline lines leading with the largest shifts in share of papers (``ups``/``downs``:
    movers by "shift") between the dates of the early and late ``windows``; then, when some of
    the fastest growers (``growth``: movers by "growth") are not backed by the corrected test,
    those leading risers with their verdict and unadjusted and adjusted p."""
    from helpers.analysis.movers import SIGNIFICANT
    from helpers.report.present import ratio

    if len(windows) < 2 or (ups.empty and downs.empty):
        return [("No subject moved between the early and the late papers.", "table-shifts_up")]
    early, late = _span(windows, "early"), _span(windows, "late")
    parts = []
    for rows, verb in ((ups, "gains"), (downs, "losses")):
        if not rows.empty:
            named = "; ".join(_shift_phrase(r) for r in rows.head(n).itertuples())
            parts.append(f"{verb}: {named}")
    text = (
        f"Largest shifts between the first third of the papers ({early}) and the last third "
        f"({late}): " + ". Largest ".join(parts) + "."
    )
    lines = [(text, "table-shifts_up")]
    top = growth.head(n)
    if len(top) and (top["verdict"] != SIGNIFICANT).any():
        named = "; ".join(
            f"{r.term} {ratio(r.effect, r.effect_lo, r.effect_hi)}, "
            + (
                r.verdict
                if r.verdict == SIGNIFICANT
                else f"{r.verdict} (p {_p_plain(r.p)}, adjusted {_p_plain(r.p_adj)})"
            )
            for r in top.itertuples()
        )
        lines.append(
            (
                f"Leading risers (fastest growth after empirical-Bayes shrinkage): {named}.",
                "table-growth_up",
            )
        )
    return lines


def _p_plain(p: float) -> str:
    from helpers.report.present import pvalue

    return pvalue(p)


def burst_line(table: pd.DataFrame, kleinberg: pd.DataFrame | None = None, n: int = 3):
    """A headline line on bursts: the signals' *bursting* rows (a tested burst), else the
    strongest Kleinberg bursts (descriptive, said so); None when there is neither."""
    from helpers.report.present import ratio

    tested = table[table["status"] == "bursting"].sort_values("evidence", ascending=False)
    if len(tested):
        named = "; ".join(
            f"{r.term} {ratio(r.burst_ratio)} from {pd.Timestamp(r.burst_start):%Y-%m-%d}"
            for r in tested.head(n).itertuples()
        )
        return (f"Bursting (share in the burst / elsewhere): {named}.", "table-bursts")
    if kleinberg is not None and len(kleinberg):
        named = "; ".join(
            f"{r.term} from {pd.Timestamp(r.start):%Y-%m-%d}"
            for r in kleinberg.head(n).itertuples()
        )
        return (
            f"Strongest bursts of attention (Kleinberg, descriptive, not a test): {named}.",
            "table-bursts",
        )
    return None
