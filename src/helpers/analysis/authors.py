"""Authors: team size (``n_authors``) over time and the most frequent authors, from the author
lists Hugging Face records. A paper counts once (its first listing); names are compared as
written (whitespace collapsed), so two people with one name are one row and one person with
two spellings is two.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from helpers.analysis.periods import add_period
from helpers.analysis.records import paper_records

TEAM_SCHEMA = pa.DataFrameSchema(
    {
        "period": pa.Column(str),
        "period_start": pa.Column("datetime64[ns]"),
        "papers": pa.Column(int, pa.Check.gt(0)),
        "median": pa.Column(float),
        "q1": pa.Column(float),
        "q3": pa.Column(float),
        "solo_share": pa.Column(float, pa.Check.in_range(0, 1)),
        "ten_plus_share": pa.Column(float, pa.Check.in_range(0, 1)),
    },
    strict=True,
)


def team_sizes(papers: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """Per period: papers with a known author count, the median and quartiles of authors per
    paper, and the shares of single-author papers and of papers with 10 or more authors."""
    records = paper_records(papers)
    records = records[records["n_authors"].notna() & (records["n_authors"] > 0)]
    if records.empty:
        return TEAM_SCHEMA.validate(
            pd.DataFrame({c: [] for c in TEAM_SCHEMA.columns}).astype(
                {"period": str, "period_start": "datetime64[ns]", "papers": int}
                | {c: float for c in ("median", "q1", "q3", "solo_share", "ten_plus_share")}
            )
        )
    per = add_period(records.assign(size=records["n_authors"].astype(float)), freq)
    out = (
        per.groupby("position")
        .agg(
            period=("period", "first"),
            period_start=("period_start", "min"),
            papers=("paper_id", "size"),
            median=("size", "median"),
            q1=("size", lambda s: s.quantile(0.25)),
            q3=("size", lambda s: s.quantile(0.75)),
            solo_share=("size", lambda s: float((s == 1).mean())),
            ten_plus_share=("size", lambda s: float((s >= 10).mean())),
        )
        .reset_index(drop=True)
        .astype({"period": str, "papers": int})
    )
    out = out.assign(period_start=out["period_start"].astype("datetime64[ns]"))
    return TEAM_SCHEMA.validate(out)


def top_authors(papers: pd.DataFrame, top_n: int = 20) -> pd.DataFrame:
    """Authors by papers (each paper once): papers, median upvotes of those papers, the
    organisation most of them record, and the latest title."""
    records = paper_records(papers)
    rows = records[["paper_id", "title", "dump_date", "upvotes", "organization", "authors"]]
    long = rows.explode("authors").dropna(subset=["authors"])
    long = long.assign(upvotes=long["upvotes"].astype("Float64"))
    long = long.assign(author=long["authors"].map(lambda v: " ".join(str(v).split())))
    long = long[long["author"] != ""].drop_duplicates(["author", "paper_id"])
    if long.empty:
        return pd.DataFrame(
            {"author": [], "papers": [], "upvotes_median": [], "organization": [], "latest": []}
        ).astype({"author": str, "papers": int, "upvotes_median": float})
    counts = long.groupby("author").size().rename("papers").reset_index()
    top = counts.sort_values(["papers", "author"], ascending=[False, True]).head(top_n)
    chosen = long[long["author"].isin(top["author"])].sort_values("dump_date", kind="stable")
    grouped = chosen.groupby("author")
    org = (
        chosen.dropna(subset=["organization"])
        .groupby(["author", "organization"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["author", "n", "organization"], ascending=[True, False, True])
        .drop_duplicates("author")
        .set_index("author")["organization"]
    )
    out = top.assign(
        upvotes_median=top["author"].map(grouped["upvotes"].median()),
        organization=top["author"].map(org).fillna(""),
        latest=top["author"].map(grouped["title"].last()),
    ).reset_index(drop=True)
    return out.astype({"author": str, "papers": int, "upvotes_median": float})
