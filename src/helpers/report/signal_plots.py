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
    shares: pd.DataFrame, table: pd.DataFrame, ncols: int = 3, title: str = ""
) -> plt.Figure:
    """A grid of small charts, one per term of ``shares`` (in the order of ``table``): share
    per period (line), its 95% interval (band, cut at the 90th percentile of its upper ends so
    periods of one or two papers do not flatten the line), and the early and late window shares
    (dashed), titled with the term, its status and effect with interval.

    >>> fig = signal_panels(signal_shares(papers, top), top)  # doctest: +SKIP
    """
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
        third = max(1, round(len(part) / 3))
        ax.hlines(row["early_share"], x.iloc[0], x.iloc[third - 1], colors="k", linestyles="--")
        ax.hlines(row["late_share"], x.iloc[-third], x.iloc[-1], colors="k", linestyles="--")
        ax.set_title(
            f"{term}\n{row['status']}, x{row['effect']:.1f} "
            f"[{row['effect_lo']:.1f}, {row['effect_hi']:.1f}]",
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
    for ax in axes[:, 0]:
        ax.set_ylabel("share of papers", fontsize=8)
    if title:
        fig.suptitle(title, fontweight="bold")
    fig.tight_layout()
    return fig
