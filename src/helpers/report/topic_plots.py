"""Charts of the topic model: stability per k, topic sizes, topic shares over time.

Helpers here only draw tables computed by :mod:`helpers.analysis.topics`.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.report.plots import date_axis, legend_outside
from helpers.wording import plural

STATUS_COLOURS = {
    "new": "C2",
    "rising": "C2",
    "bursting": "C4",
    "fading": "C3",
    "stable": "C7",
    "not tested": "C7",
}


def plot_selection(selection: pd.DataFrame) -> plt.Axes:
    """Stability of the topics for each candidate k; the chosen k is marked."""
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot(selection["k"], selection["stability"], "o-", label="mean over pairs of restarts")
    ax.plot(selection["k"], selection["stability_min"], ".--", color="C7", label="worst pair")
    chosen = selection[selection["chosen"]]
    ax.scatter(chosen["k"], chosen["stability"], s=160, facecolors="none", edgecolors="C3",
               linewidths=2, label="chosen k", zorder=3)  # fmt: skip
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("number of topics k")
    ax.set_ylabel("stability (top-10 terms agreement)")
    ax.set_title("How stable the topics are for each k")
    legend_outside(ax)
    fig.tight_layout()
    return ax


def plot_sizes(topics: pd.DataFrame) -> plt.Axes:
    """Each topic's share of papers (main topic) with its 95% interval, coloured by status."""
    shown = topics.sort_values("share")
    fig, ax = plt.subplots(figsize=(9, 0.4 * len(shown) + 1.5))
    ax.barh(
        shown["label"],
        shown["share"],
        xerr=[shown["share"] - shown["ci_low"], shown["ci_high"] - shown["share"]],
        color=shown["status"].map(STATUS_COLOURS).fillna("C7"),
        capsize=3,
    )
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel("share of papers whose main topic it is (bars: 95% Wilson interval)")
    ax.set_ylabel("topic")
    ax.set_title(
        "Themes by size (green: new or rising, red: fading, purple: bursting, grey: stable)"
    )
    return ax


def plot_shares(shares: pd.DataFrame, topics: pd.DataFrame, columns: int = 3) -> plt.Figure:
    """One small chart per topic: its share of each period's papers with 95% intervals."""
    order = topics.sort_values("topic")
    rows = int(np.ceil(len(order) / columns))
    fig, axes = plt.subplots(
        rows, columns, figsize=(4 * columns, 2.6 * rows), sharex=True, sharey=True, squeeze=False
    )
    for ax, topic in zip(axes.ravel(), order.itertuples(index=False), strict=False):
        part = shares[shares["topic"] == topic.topic].sort_values("period_start")
        colour = STATUS_COLOURS.get(topic.status, "C7")
        ax.fill_between(part["period_start"], part["ci_low"], part["ci_high"], color=colour,
                        alpha=0.25, linewidth=0)  # fmt: skip
        ax.plot(part["period_start"], part["share"], "-", color=colour)
        ax.set_title(
            textwrap.fill(f"{topic.label} ({topic.status})", 34, break_long_words=False),
            fontsize=9,
        )
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
        date_axis(ax, maxticks=4)
        ax.tick_params(labelsize=8)
    for ax in axes.ravel()[len(order) :]:
        ax.set_visible(False)
    fig.supylabel("share of the period's papers")
    fig.supxlabel("period start (band: 95% Wilson interval)")
    fig.tight_layout()
    return fig


def topic_headline(model) -> list[tuple[str, str]]:
    """Headline lines for a fitted topic model: how many themes and the largest with their
    sizes (share and interval), then which rise and which fade (early to late share), or, when
    none passes the test, the two that moved most, said to be not significant."""
    from helpers.report.present import percent, pvalue, ratio

    t = model.topics.sort_values("share", ascending=False)
    largest = ", ".join(
        f"{r.label} {percent(r.share, r.ci_low, r.ci_high)}" for r in t.head(3).itertuples()
    )
    lines = [
        (
            f"{plural(model.k, 'theme')} in {plural(int(t['papers'].sum()), 'paper')}; the "
            "largest (share of "
            f"papers, 95% CI): {largest}.",
            "table-topics",
        )
    ]
    trends = model.trends.merge(t[["topic"]], on="topic")
    for statuses, verb in (
        (("new", "rising"), "Rising"),
        (("bursting",), "Bursting"),
        (("fading",), "Fading"),
    ):
        rows = trends[trends["status"].isin(statuses)].sort_values("evidence", ascending=False)
        if len(rows):
            named = ", ".join(
                f"{r.label} ({percent(r.early_share)} to {percent(r.late_share)})"
                for r in rows.head(3).itertuples()
            )
            lines.append((f"{verb} themes (early to late share of papers): {named}.",
                          "table-topic_trends"))  # fmt: skip
    if trends.empty or (trends["status"] == "not tested").all():
        lines.append(("Too few periods to test the themes for trends.", "table-topic_trends"))
    elif not trends["status"].isin(["new", "rising", "bursting", "fading"]).any():
        moved = trends.reindex(trends["shift"].abs().sort_values(ascending=False).index)
        named = ", ".join(
            f"{r.label} ({percent(r.early_share)} to {percent(r.late_share)}, "
            f"{ratio(r.effect, r.effect_lo, r.effect_hi)}; p {pvalue(r.p)}, adjusted "
            f"{pvalue(r.p_adj)})"
            for r in moved.head(2).itertuples()
        )
        lines.append(
            (
                f"Largest theme movements, not significant at this corpus size (first to last "
                f"third of the papers): {named}.",
                "table-topic_trends",
            )
        )
    return lines
