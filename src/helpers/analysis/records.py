"""What Hugging Face records per paper beside its text: the daily_papers JSON fields of the
papers table (upvotes, comments, organisation, authors, recorded GitHub repository and stars,
keywords, arXiv id), one row per paper, and how many papers have each.

The loader always adds these columns (:data:`RECORD_COLUMNS`); a corpus of text dumps has them
all missing. The invariant: a paper is counted once, at its first listing, with the values of
that listing (upvotes were counted when the day's file was saved, early in the listing day).

>>> paper_records(papers)  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from helpers.analysis.stats import wilson_interval
from helpers.ingest.enrich import DAY_FIELDS, LIST_COLUMNS

RECORD_COLUMNS = tuple(DAY_FIELDS)
"""The columns the JSON loader adds to the papers table (all missing for text dumps)."""


COVERAGE_SCHEMA = pa.DataFrameSchema(
    {
        "field": pa.Column(str),
        "papers_known": pa.Column(int, pa.Check.ge(0)),
        "papers": pa.Column(int, pa.Check.ge(0)),
        "share": pa.Column(float, nullable=True),
        "ci_low": pa.Column(float, nullable=True),
        "ci_high": pa.Column(float, nullable=True),
    },
    strict=True,
)


def known_mask(values: pd.Series) -> pd.Series:
    """True where a record value is present (a non-empty list for list columns, a non-empty
    text for text columns)."""
    if pd.api.types.is_string_dtype(values) and not pd.api.types.is_object_dtype(values):
        return values.notna() & values.fillna("").str.strip().ne("")
    if not pd.api.types.is_object_dtype(values):
        return values.notna()

    def known(v) -> bool:
        if isinstance(v, (list, tuple, np.ndarray)):
            return len(v) > 0
        if isinstance(v, str):
            return v.strip() != ""
        return v is not None and not pd.isna(v)

    return values.map(known).astype(bool)


def paper_records(papers: pd.DataFrame) -> pd.DataFrame:
    """One row per paper (its first listing): ``paper_id, title, abstract, dump_date,
    dump_file`` and
    the record columns present in ``papers`` (missing ones are added empty), in that order.

    >>> df = pd.DataFrame({"paper_id": ["a", "a", "b"], "title": ["A", "A", "B"],
    ...     "dump_date": pd.to_datetime(["2025-01-02", "2025-01-01", "2025-01-03"]),
    ...     "abstract": "", "dump_file": ["2", "1", "3"], "upvotes": [9, 5, 1]})
    >>> paper_records(df)[["paper_id", "upvotes"]].values.tolist()
    [['a', 5], ['b', 1]]
    """
    base = ["paper_id", "title", "abstract", "dump_date", "dump_file"]
    first = papers.sort_values("dump_date", kind="stable").drop_duplicates("paper_id")
    out = first.reset_index(drop=True)
    for column in RECORD_COLUMNS:
        if column not in out.columns:
            out[column] = [[] for _ in range(len(out))] if column in LIST_COLUMNS else pd.NA
    for column in LIST_COLUMNS:
        out[column] = out[column].map(
            lambda v: list(v) if isinstance(v, (list, tuple, np.ndarray)) else []
        )
    for column in ("n_authors", "upvotes", "comments", "github_stars"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Int64")
    return out[base + list(RECORD_COLUMNS)]


def has_field(papers: pd.DataFrame, column: str) -> bool:
    """Whether any paper has a value in record column ``column`` (False when it is absent)."""
    return column in papers.columns and bool(known_mask(papers[column]).any())


def record_coverage(
    papers: pd.DataFrame, fields: tuple[str, ...] = RECORD_COLUMNS
) -> pd.DataFrame:
    """For each record field: distinct papers with a value, of all distinct papers, with a 95%
    Wilson interval of the share ("organization known for 2,912 of 9,881 papers").

    >>> df = pd.DataFrame({"paper_id": ["a", "b"], "title": ["A", "B"], "abstract": "",
    ...     "dump_file": ["1", "1"], "dump_date": pd.to_datetime(["2025-01-01"] * 2),
    ...     "organization": ["meta", None]})
    >>> record_coverage(df, ("organization",))[["field", "papers_known", "papers"]].values.tolist()
    [['organization', 1, 2]]
    """
    records = paper_records(papers)
    n = len(records)
    known = np.array([int(known_mask(records[f]).sum()) for f in fields])
    lo, hi = wilson_interval(known, n) if n else (np.full(len(fields), np.nan),) * 2
    out = pd.DataFrame(
        {
            "field": list(fields),
            "papers_known": known.astype(int),
            "papers": np.full(len(fields), n, dtype=int),
            "share": known / n if n else np.nan,
            "ci_low": np.asarray(lo, dtype=float),
            "ci_high": np.asarray(hi, dtype=float),
        }
    )
    return COVERAGE_SCHEMA.validate(out)


def coverage_text(table: pd.DataFrame, field: str, what: str) -> str:
    """One sentence from a :func:`record_coverage` table: "organisation known for 2,912 of 9,881
    papers (29%)"."""
    row = table.set_index("field").loc[field]
    known, n = int(row["papers_known"]), int(row["papers"])
    share = f" ({known / n:.0%})" if n else ""
    return f"{what} known for {known:,} of {n:,} papers{share}"
