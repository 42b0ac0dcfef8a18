"""Link and code-status summaries for the report: tables only (the notebook draws them).

Shares are papers with a value / papers in the period, with a Wilson interval; a paper counts
once per period.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from helpers.analysis.links.urls import KINDS
from helpers.analysis.periods import add_period
from helpers.analysis.stats import wilson_interval

# ---------------------------------------------------------------------------------------------
# summaries for the report (tables only; the notebook draws them)

PERIOD_SHARES_SCHEMA = pa.DataFrameSchema(
    {
        "period": pa.Column(str),
        "period_start": pa.Column("datetime64[ns]"),
        "value": pa.Column(str),
        "n_papers": pa.Column(int, pa.Check.gt(0)),
        "papers": pa.Column(int, pa.Check.ge(0)),
        "share": pa.Column(float, pa.Check.in_range(0, 1)),
        "ci_low": pa.Column(float, pa.Check.in_range(0, 1)),
        "ci_high": pa.Column(float, pa.Check.in_range(0, 1)),
    },
    checks=pa.Check(lambda d: (d["papers"] <= d["n_papers"]).all(), name="k <= n"),
    strict=True,
    ordered=True,
)


def shares_by_period(
    papers: pd.DataFrame,
    labels: pd.DataFrame,
    column: str,
    group_by: str = "dump",
    freq: str = "M",
    values: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Share of each period's papers per value of ``labels[column]``, with 95% Wilson
    intervals; a paper counts once per period (:func:`helpers.analysis.periods.add_period`).

    Parameters
    ----------
    papers : the papers frame.
    labels : one row per paper_id with the ``column`` to count.
    group_by : "dump" (one period per dump) or "period" (calendar periods of ``freq``).
    values : values listed in every period even when no paper has them (as text, e.g.
        ``("True", "False")``); every value seen is listed in every period too.

    >>> from helpers.analysis.links.code import code_status
    >>> shares = shares_by_period(papers, code_status(papers), "status")
    >>> shares[["period", "value", "n_papers", "papers"]].head(3)
               period     value  n_papers  papers
    0  000 2024-03-11    linked        35       6
    1  000 2024-03-11      none        35      28
    2  000 2024-03-11  promised        35       1
    """
    if group_by not in ("dump", "period"):
        raise ValueError(f'group_by must be "dump" or "period", got {group_by!r}')
    per = add_period(papers, "dump" if group_by == "dump" else freq)
    label_of = labels.assign(paper_id=labels["paper_id"].astype(str))[["paper_id", column]]
    tagged = per.assign(paper_id=per["paper_id"].astype(str)).merge(
        label_of, on="paper_id", how="left", validate="many_to_one"
    )
    tagged = tagged.assign(value=tagged[column].astype(str))
    periods = tagged.groupby("position").agg(
        period=("period", "first"),
        period_start=("period_start", "min"),
        n_papers=("paper_id", "size"),
    )
    counts = tagged.groupby(["position", "value"]).size().rename("papers")
    grid = pd.MultiIndex.from_product(
        [periods.index, sorted(set(tagged["value"]) | set(values))], names=["position", "value"]
    )
    out = (
        counts.reindex(grid, fill_value=0)
        .reset_index()
        .merge(periods.reset_index(), on="position")
        .sort_values(["position", "value"])
    )
    lo, hi = wilson_interval(out["papers"].to_numpy(), out["n_papers"].to_numpy())
    out = out.assign(
        share=out["papers"] / out["n_papers"],
        ci_low=lo,
        ci_high=hi,
        period_start=out["period_start"].astype("datetime64[ns]"),
    ).astype({"period": str, "value": str, "n_papers": int, "papers": int, "share": float})
    return PERIOD_SHARES_SCHEMA.validate(
        out[list(PERIOD_SHARES_SCHEMA.columns)].reset_index(drop=True)
    )


KIND_TABLE_SCHEMA = pa.DataFrameSchema(
    {
        "kind": pa.Column(str, pa.Check.isin(list(KINDS)), unique=True),
        "links": pa.Column(int, pa.Check.ge(0)),
        "papers": pa.Column(int, pa.Check.ge(0)),
        "share": pa.Column(float, pa.Check.in_range(0, 1)),
        "ci_low": pa.Column(float, pa.Check.in_range(0, 1)),
        "ci_high": pa.Column(float, pa.Check.in_range(0, 1)),
    },
    strict=True,
    ordered=True,
)


def kind_table(links: pd.DataFrame, n_papers: int) -> pd.DataFrame:
    """Per link kind (all kinds, in ``KINDS`` order): links, distinct papers with one, and the
    share of ``n_papers`` papers with one (95% Wilson interval).

    >>> from helpers.analysis.links.urls import extract_links
    >>> kind_table(extract_links(papers), papers["paper_id"].nunique()).head(2)
              kind  links  papers     share    ci_low   ci_high
    0  github_repo     20      20  0.194175  0.129363  0.280978
    1  github_user      0       0  0.000000  0.000000  0.035955
    """
    grouped = links.groupby("kind")
    out = pd.DataFrame({"kind": list(KINDS)}).assign(
        links=lambda d: d["kind"].map(grouped.size()).fillna(0).astype(int),
        papers=lambda d: d["kind"].map(grouped["paper_id"].nunique()).fillna(0).astype(int),
    )
    n = max(int(n_papers), 1)
    lo, hi = wilson_interval(out["papers"].to_numpy(), n)
    out = out.assign(share=out["papers"] / n, ci_low=lo, ci_high=hi).astype({"share": float})
    return KIND_TABLE_SCHEMA.validate(out)


OWNER_TABLE_SCHEMA = pa.DataFrameSchema(
    {
        "owner": pa.Column(str, unique=True),
        "papers": pa.Column(int, pa.Check.ge(1)),
        "repos": pa.Column(int, pa.Check.ge(0)),
        "repo_names": pa.Column(str),
        "titles": pa.Column(str),
    },
    strict=True,
    ordered=True,
)


def owner_table(links: pd.DataFrame, papers: pd.DataFrame, top_n: int = 20) -> pd.DataFrame:
    """GitHub owners (users and organisations) by the number of papers linking their
    repositories, user pages or GitHub Pages sites; with their repositories and paper titles
    ("; "-joined). Owners compare case-insensitively (GitHub names do); the most common
    spelling is shown.
    """
    gh = links[links["kind"].isin(["github_repo", "github_user", "github_pages"])]
    gh = gh[gh["owner"].notna()].assign(_key=lambda d: d["owner"].str.lower())
    spelling = (  # the most common spelling of each owner, the first in order on ties
        gh.groupby(["_key", "owner"]).size().rename("n").reset_index()
        .sort_values(["_key", "n", "owner"], ascending=[True, False, True])
        .drop_duplicates("_key").set_index("_key")["owner"]
    )  # fmt: skip
    repo_rows = gh[gh["kind"].eq("github_repo") & gh["repo"].notna()]
    counts = pd.DataFrame(
        {
            "owner": spelling,
            "papers": gh.groupby("_key")["paper_id"].nunique(),
            "repos": repo_rows.groupby("_key")["repo"].nunique(),
        }
    ).fillna({"repos": 0})
    top = counts.sort_values(["papers", "repos", "owner"], ascending=[False, False, True]).head(
        top_n
    )
    # names and titles only for the owners shown (joining them for thousands took seconds)
    titles = papers.assign(paper_id=papers["paper_id"].astype(str)).drop_duplicates("paper_id")
    shown = gh[gh["_key"].isin(top.index)].merge(
        titles[["paper_id", "title"]], on="paper_id", how="left"
    )
    repos_shown = shown[shown["kind"].eq("github_repo")].dropna(subset=["repo"])
    joined = pd.DataFrame(
        {
            "repo_names": repos_shown.groupby("_key")["repo"].agg(_joined),
            "titles": shown.dropna(subset=["title"]).groupby("_key")["title"].agg(_joined),
        }
    )
    out = (
        top.join(joined)
        .reset_index(drop=True)
        .reindex(columns=list(OWNER_TABLE_SCHEMA.columns))
        .fillna({"repo_names": "", "titles": ""})
        .astype({"owner": str, "papers": int, "repos": int, "repo_names": str, "titles": str})
    )
    return OWNER_TABLE_SCHEMA.validate(out)


def _joined(values: pd.Series) -> str:
    """Distinct values, sorted, "; "-joined."""
    return "; ".join(sorted(set(values.astype(str))))


def _safe_link(escaped_url: str) -> str:
    """An anchor for an already HTML-escaped http(s) URL; anything else stays plain text."""
    if re.match(r"https?://[^\s]+$", escaped_url, re.IGNORECASE):
        return (
            f'<a href="{escaped_url}" target="_blank" rel="noopener noreferrer">{escaped_url}</a>'
        )
    return escaped_url


def link_table(df: pd.DataFrame, url_columns: tuple[str, ...] = ("url",)):
    """A pandas Styler showing ``df`` with every cell HTML-escaped and the ``url_columns`` as
    clickable links when (and only when) they are http(s) URLs.

    >>> html = link_table(pd.DataFrame({"url": ["https://a.org/x?b=1&c=2", "javascript:x"],
    ...     "t": ["<b>"]*2})).to_html()
    >>> 'href="https://a.org/x?b=1&amp;c=2"' in html, "javascript:x</a>" in html, "<b>" in html
    (True, False, False)
    """
    present = [c for c in url_columns if c in df.columns]
    return df.style.format(escape="html").format(
        {c: _safe_link for c in present}, escape="html", na_rep=""
    )


FLAG_NAMES = {
    "has_anonymous_review": "anonymous review mirror",
    "has_project_page": "project page",
    "has_huggingface": "Hugging Face link",
}


def flag_shares(
    papers: pd.DataFrame, status: pd.DataFrame, group_by: str = "dump", freq: str = "M"
) -> pd.DataFrame:
    """Share of papers per dump or period with each link flag of ``code_status`` (anonymous
    review mirror, project page, Hugging Face), one row per flag and period, named in
    ``link``."""
    return pd.concat(
        [
            shares_by_period(papers, status, column, group_by=group_by, freq=freq)
            .query("value == 'True'")
            .drop(columns="value")
            .assign(link=name)
            for column, name in FLAG_NAMES.items()
        ],
        ignore_index=True,
    )
