"""Shared figure styling and the chart helpers more than one notebook uses.

Helpers here only draw: every number they show comes from a table computed elsewhere.
"""

from __future__ import annotations

import html

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns


def setup() -> None:
    """One look for every report: readable fonts, light grid, figures wide enough for labels."""
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind")
    plt.rcParams.update(
        {"figure.figsize": (9, 4.5), "figure.dpi": 100, "axes.titleweight": "bold"}
    )


def say(message: str) -> None:
    """Show a sentence in place of a chart (for example when the data cannot support one).

    The text is HTML-escaped: data-derived words stay inert in the report.
    """
    from IPython.display import HTML, display

    display(HTML(f"<p><strong>Note:</strong> {html.escape(message)}</p>"))


def share_with_interval(
    table: pd.DataFrame,
    *,
    x: str,
    share: str = "share",
    lo: str = "ci_low",
    hi: str = "ci_high",
    hue: str | None = None,
    ax: plt.Axes | None = None,
    xlabel: str = "",
    ylabel: str = "share of papers",
    title: str = "",
) -> plt.Axes:
    """Points with 95% interval bars (one line per ``hue`` group), shares shown as percent."""
    ax = ax or plt.subplots()[1]
    groups = table.groupby(hue, sort=False) if hue else [("", table)]
    n_groups = table[hue].nunique() if hue else 1
    for i, (name, part) in enumerate(groups):
        part = part.sort_values(x)
        # dodge groups sideways a little so their bars do not hide each other
        xs = part[x]
        if n_groups > 1 and not pd.api.types.is_datetime64_any_dtype(xs):
            positions = pd.factorize(table[x].sort_values().unique())[0]
            lookup = dict(zip(table[x].sort_values().unique(), positions, strict=True))
            xs = part[x].map(lookup) + (i - (n_groups - 1) / 2) * 0.08
        ax.errorbar(
            xs,
            part[share],
            yerr=[(part[share] - part[lo]).clip(lower=0), (part[hi] - part[share]).clip(lower=0)],
            fmt="o-",
            capsize=3,
            label=str(name) if hue else None,
        )
    if n_groups > 1 and not pd.api.types.is_datetime64_any_dtype(table[x]):
        ticks = table[x].sort_values().unique()
        ax.set_xticks(range(len(ticks)), [str(t) for t in ticks], rotation=30, ha="right")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_ylim(bottom=0)
    ax.set_xlabel(xlabel or x)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if hue:
        ax.legend(title=hue, frameon=False)
    return ax
