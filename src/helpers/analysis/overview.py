"""Tables for the overview report: papers per dump, duplicates across dumps, rejects.

>>> dump_summary(papers)[["dump_date", "page_kind", "papers", "seen_elsewhere"]]
   dump_date page_kind  papers  seen_elsewhere
0 2024-03-11   listing      35               4
1 2024-07-28     daily      72               4
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from helpers.analysis.stats import wilson_interval
from helpers.wording import plural

DUMP_SUMMARY_SCHEMA = pa.DataFrameSchema(
    {
        "dump_seq": pa.Column(int),
        "dump_file": pa.Column(str),
        "dump_date": pa.Column("datetime64[ns]"),
        "page_kind": pa.Column(str),
        "papers": pa.Column(int, pa.Check.ge(0)),
        "seen_elsewhere": pa.Column(int, pa.Check.ge(0)),
        "truncated": pa.Column(int, pa.Check.ge(0)),
        "truncated_share": pa.Column(float, pa.Check.in_range(0, 1)),
        "truncated_ci_low": pa.Column(float, nullable=True),
        "truncated_ci_high": pa.Column(float, nullable=True),
        "median_words": pa.Column(float),
    },
    strict=True,
)


def dump_summary(papers: pd.DataFrame) -> pd.DataFrame:
    """One row per dump: date, kind, papers, how many also appear in another dump, truncated
    abstracts with a 95% Wilson interval, median abstract length in words."""
    dumps_per_paper = papers.groupby("paper_id")["dump_path"].nunique()
    out = (
        papers.assign(seen_elsewhere=papers["paper_id"].map(dumps_per_paper).gt(1))
        .groupby(["dump_seq", "dump_file", "dump_path"], as_index=False)
        .agg(
            dump_date=("dump_date", "min"),
            page_kind=("page_kind", "first"),
            papers=("paper_id", "size"),
            seen_elsewhere=("seen_elsewhere", "sum"),
            truncated=("truncated", "sum"),
            median_words=("n_words", "median"),
        )
        .astype({"seen_elsewhere": int, "truncated": int, "median_words": float})
        .assign(truncated_share=lambda d: d["truncated"] / d["papers"])
    )
    lo, hi = wilson_interval(out["truncated"], out["papers"])
    out = out.assign(truncated_ci_low=lo, truncated_ci_high=hi).drop(columns="dump_path")
    return DUMP_SUMMARY_SCHEMA.validate(out[list(DUMP_SUMMARY_SCHEMA.columns)])


def duplicates_table(papers: pd.DataFrame) -> pd.DataFrame:
    """Papers that appear in more than one dump, with the dumps they appear in."""
    return (
        papers.groupby("paper_id")
        .agg(
            title=("title", "first"),
            n_dumps=("dump_path", "nunique"),
            dumps=("dump_file", lambda s: ", ".join(sorted(set(s)))),
            first_seen=("dump_date", "min"),
            last_seen=("dump_date", "max"),
        )
        .query("n_dumps > 1")
        .sort_values(["n_dumps", "first_seen"], ascending=[False, True])
        .reset_index()
    )


def reject_summary(rejects: pd.DataFrame) -> pd.DataFrame:
    """Rejected blocks counted by file, severity and reason."""
    return (
        rejects.groupby(["dump_file", "severity", "reason"], as_index=False)
        .agg(blocks=("n_blocks", "sum"), first_line=("line", "min"))
        .sort_values(["severity", "dump_file", "first_line"], ascending=[False, True, True])
        .reset_index(drop=True)
    )


def block_accounting(papers: pd.DataFrame, rejects: pd.DataFrame, files: pd.DataFrame):
    """Per file: blocks read, blocks in paper rows, blocks in rejects, and whether they add up."""
    in_papers = papers.groupby("dump_path")["n_blocks"].sum()
    in_rejects = rejects.groupby("dump_path")["n_blocks"].sum()
    return files[["dump_file", "dump_path", "n_blocks"]].assign(
        in_papers=lambda d: d["dump_path"].map(in_papers).fillna(0).astype(int),
        in_rejects=lambda d: d["dump_path"].map(in_rejects).fillna(0).astype(int),
        balanced=lambda d: d["n_blocks"] == d["in_papers"] + d["in_rejects"],
    )


def overview_headline(
    papers: pd.DataFrame,
    summary: pd.DataFrame,
    dups: pd.DataFrame,
    rejects: pd.DataFrame,
    files: pd.DataFrame,
) -> tuple[list[tuple[str, str]], dict]:
    """The overview's headline lines and the corpus facts the index shows first (papers, dumps,
    dates, how years were chosen, rejects to check, files refused)."""
    dates = papers["dump_date"]
    n_dumps = int(papers["dump_path"].nunique())
    outside = not_read_files(rejects, files)
    warnings = int((rejects["severity"] != "info").sum()) - int(
        (outside["severity"] != "info").sum()
    )
    refused = int((~files["loaded"]).sum()) if "loaded" in files.columns else 0
    lines = [
        (f"{plural(papers['paper_id'].nunique(), 'distinct paper')} in "
         f"{plural(n_dumps, 'dump')} ({dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}), median "
         f"{plural(round(summary['papers'].median()), 'paper')} per dump.",
         "table-papers_per_dump"),
        (f"{plural(len(dups), 'paper appears', 'papers appear')} in more than one dump; "
         f"{plural(int(summary['truncated'].sum()), 'abstract looks', 'abstracts look')} cut off.",
         "table-duplicates" if len(dups) else "table-truncated_abstracts"),
        (f"{plural(warnings, 'block of text needs', 'blocks of text need')} a look (rejects of "
         f"severity warning or error); {plural(refused, 'file')} could not be read.",
         "table-rejects_by_reason"),
    ]  # fmt: skip
    if len(outside):
        lines.append((f"{_not_dumps(outside)}.", "table-rejects_by_reason"))
    corpus = {
        "papers": int(papers["paper_id"].nunique()),
        "paper_rows": len(papers),
        "dumps": n_dumps,
        "first_date": f"{dates.min():%Y-%m-%d}",
        "last_date": f"{dates.max():%Y-%m-%d}",
        "year_policy": str(papers.attrs.get("year_policy", "not recorded")),
        "rejects_to_check": warnings,
        "files_refused": refused,
        "files_not_read": len(outside),
        "not_read": _not_dumps(outside) if len(outside) else "",
    }
    return lines, corpus


def not_read_files(rejects: pd.DataFrame, files: pd.DataFrame) -> pd.DataFrame:
    """The rejects that are whole files of the folder not read as dumps (a saved web page, a
    PDF, notes, a sub-folder): those whose file is not in the files table."""
    return rejects[~rejects["dump_path"].isin(files["dump_path"])]


def _not_dumps(outside: pd.DataFrame, shown: int = 5) -> str:
    """'3 files in the folder are not dumps and were not read: a.html, b.pdf, notes.md'."""
    names = outside["dump_file"].tolist()
    more = f" and {len(names) - shown:,} more" if len(names) > shown else ""
    noun = (
        "file in the folder is not a dump and was"
        if len(names) == 1
        else ("files in the folder are not dumps and were")
    )
    return f"{len(names):,} {noun} not read: {', '.join(names[:shown])}{more}"
