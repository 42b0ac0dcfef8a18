"""The takeaway under a chart, worked out from the table the chart draws: a report built on
any folder says what its own charts show (the terms at the head of its list, the strongest
term of each of its dumps, its bursts), never what some other corpus showed. A takeaway for
a chart that was not drawn is the empty string, and :func:`tell` then shows nothing.
"""

from __future__ import annotations

import html

import pandas as pd

from helpers.wording import plural


def tell(text: str) -> None:
    """Show ``text`` as the report's takeaway (escaped), or nothing when it is empty."""
    from IPython.display import HTML, display

    if text:
        display(HTML(f"<p><strong>Takeaway:</strong> {html.escape(text)}</p>"))


def _quoted(terms) -> str:
    return ", ".join(f'"{t}"' for t in terms)


def about_top_terms(top: pd.DataFrame, n: int = 4) -> str:
    """The head of the most-used-terms chart, and the inflected pairs it holds apart.

    >>> text = about_top_terms(pd.DataFrame({"term": ["model", "data", "models", "training"]}))
    >>> text[:59]
    'the head of the list, "model", "data", "models", "training"'
    >>> text[-65:]
    '"model" and "models" stay two terms: the tokeniser does not stem.'
    """
    if top.empty:
        return ""
    terms = list(top["term"])
    pairs = [(t, t + "s") for t in terms if t + "s" in terms]
    text = (
        f"the head of the list, {_quoted(terms[:n])}, is the vocabulary these papers share; "
        "words that name a topic rank lower, and the next two sections show which terms set "
        "the dumps apart."
    )
    if pairs:
        one, many = pairs[0]
        text += f' "{one}" and "{many}" stay two terms: the tokeniser does not stem.'
    return text


def about_distinctive(table: pd.DataFrame, groups: list[str], alpha: float = 0.05) -> str:
    """Each drawn dump's strongest distinctive term (largest G2), and how many of the drawn
    terms are significant after the FDR correction."""
    drawn = table[table["group"].isin(groups)]
    if drawn.empty:
        return ""
    best = drawn.sort_values("g2", ascending=False, kind="stable").drop_duplicates("group")
    best = best.set_index("group").loc[[g for g in groups if g in set(best["group"])]]
    named = "; ".join(f'"{row.term}" for {group}' for group, row in best.head(6).iterrows())
    significant = int((drawn["p_adj"] < alpha).sum())
    if significant == 0:
        verdict = (
            "no drawn term is significant after the FDR correction (every bar is grey): "
            "the dumps do not differ beyond what chance gives"
        )
    else:
        verdict = (
            f"{plural(significant, 'drawn term is', 'drawn terms are')} significant after the "
            "FDR correction (red bars); grey bars are not"
        )
    verdict = verdict[0].upper() + verdict[1:]
    return f"the strongest term of each dump (largest G2): {named}. {verdict}."


def about_bursts(shown: pd.DataFrame, last: pd.Timestamp) -> str:
    """Which drawn bursts run to the last period (bursting now) and which ended before."""
    if shown.empty:
        return ""
    now = shown.loc[shown["end"] >= last, "term"]
    over = shown.loc[shown["end"] < last, "term"]
    parts = []
    if len(now):
        parts.append(f"bursting in the last period: {_quoted(now.head(5))}")
    if len(over):
        parts.append(f"bursts that ended before it: {_quoted(over.head(5))}")
    return "; ".join(parts) + ". A burst describes attention; it is not a significance test."


def about_trend_topics(topics: pd.DataFrame) -> str:
    """The terms whose papers come earliest and latest (median date) in the chart."""
    if topics.empty or topics["median"].nunique() < 2:
        return ""
    ordered = topics.sort_values(["median", "term"], kind="stable")
    early, late = ordered.iloc[0], ordered.iloc[-1]
    return (
        "terms lower in the chart are mentioned later: the earliest median is "
        f'"{early["term"]}" ({early["median"]:%Y-%m-%d}), the latest "{late["term"]}" '
        f"({late['median']:%Y-%m-%d})."
    )
