"""Charts and headline lines of the attention-and-code report (notebook 05): attention ratios
with their bootstrap intervals, team sizes over time. Thin wrappers over the tables of
:mod:`helpers.analysis.attention`, :mod:`helpers.analysis.authors` and
:mod:`helpers.analysis.links.recorded`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.report.plots import WIDTH_IN, date_axis, height

COLOURS = {"more": "C2", "less": "C3", "as many": "0.5"}


def ratio_dots(table: pd.DataFrame, *, ylabel: str, title: str = "") -> plt.Figure:
    """One row per unit (first on top): its upvote share over its paper share as a dot with
    the bootstrap interval, on a log axis with a line at 1 (as many upvotes as papers);
    green when the interval is above 1, red below."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height(len(table), 0.32)))
    y = np.arange(len(table))
    for state, colour in COLOURS.items():
        part = table["attention"].eq(state).to_numpy()
        if part.any():
            rows = table[part]
            ax.errorbar(
                rows["ratio"],
                y[part],
                xerr=[
                    (rows["ratio"] - rows["ratio_lo"]).clip(lower=0),
                    (rows["ratio_hi"] - rows["ratio"]).clip(lower=0),
                ],
                fmt="o",
                color=colour,
                capsize=2,
                label=f"{state} upvotes than papers" if state != "as many" else "no clear gap",
            )
    ax.axvline(1, color="0.3", lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_yticks(y, [str(u)[:45] for u in table["unit"]])
    ax.invert_yaxis()
    ax.set_xlabel("share of upvotes / share of papers (log scale; 95% bootstrap interval)")
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def team_size_band(sizes: pd.DataFrame, title: str = "Authors per paper") -> plt.Figure:
    """Median authors per paper per period with the interquartile band."""
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.2))
    x = sizes["period_start"]
    ax.fill_between(x, sizes["q1"], sizes["q3"], color="C0", alpha=0.25, label="middle half")
    ax.plot(x, sizes["median"], color="C0", marker="o", ms=3, label="median")
    ax.set_ylabel("authors per paper")
    ax.set_xlabel("period of first listing")
    date_axis(ax)
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def attention_lines(themes: pd.DataFrame, subjects: pd.DataFrame, lead_sentence: str) -> list:
    """Headline lines: the theme and the subject drawing the most attention beyond their
    share of papers (interval above 1), and the lagged comparison."""
    lines = []
    for table, what, anchor in (
        (themes, "theme", "table-theme_attention"),
        (subjects, "subject", "table-subject_attention"),
    ):
        more = table[table["attention"] == "more"]
        if not more.empty:
            top = more.iloc[0]
            lines.append(
                (
                    f"The {what} drawing most attention for its size: {top['unit']} "
                    f"({top['upvote_share']:.1%} of upvotes for {top['paper_share']:.1%} of "
                    f"papers, x{top['ratio']:.2f}, interval {top['ratio_lo']:.2f}-"
                    f"{top['ratio_hi']:.2f}).",
                    anchor,
                )
            )
    lines.append((lead_sentence, "table-attention_lead"))
    return lines


def recall_line(table: pd.DataFrame) -> tuple[str, str]:
    """Headline line on the extractor against the recorded repositories."""
    recall, precision = table.iloc[0], table.iloc[3]
    return (
        f"The abstract-link extractor finds the recorded repository for "
        f"{recall['papers']:,} of {recall['of_papers']:,} papers with one "
        f"({recall['share']:.0%} recall); {precision['share']:.0%} of the repositories it "
        "finds are the recorded one.",
        "table-extractor_vs_recorded",
    )
