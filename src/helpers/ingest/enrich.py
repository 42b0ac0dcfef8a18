"""JSON days in the papers table: the columns they add, the years they pin on text dumps of
the same day, and the join of a paper that both list (one row: the text dump's, with the JSON
fields added; the JSON item is an info reject naming that row, so it stays accounted for)."""

from __future__ import annotations

import collections
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from helpers.ingest.daily import DayPaper, ParsedDay
from helpers.ingest.dumps import ParsedDump, looks_cut_off
from helpers.ingest.ids import paper_id
from helpers.ingest.year_mentions import named_years
from helpers.ingest.years import DateLabel, YearChoice


def date_sections(parsed: Sequence[tuple], days: list[ParsedDay] = ()):
    """The text dumps' date headers in order, for ``assign_years``, each with the newest year
    each of its papers names (``named_years``), and how many of them the JSON days pinned: a
    dump whose first header is the month and day of a JSON day that lists one of its papers
    takes that day's year (the name's date, if it has one, wins)."""
    known: dict[tuple[int, int], list[tuple[int, set[str]]]] = {}
    for day in days:
        ids = {paper_id(p.title) for p in day.papers}
        known.setdefault((day.day.month, day.day.day), []).append((day.day.year, ids))
    sections: list[DateLabel] = []  # one per run of papers under the same date header
    pinned_paths: set[str] = set()
    for _, path, dump in parsed:
        if not isinstance(dump, ParsedDump):
            continue
        head = [paper_id(p.title) for p in dump.papers if p.date_line == dump.header_line]
        pinned = dump.name_date.year if dump.name_date else None
        if pinned is None and head and known:
            m, d = dump.papers[0].month, dump.papers[0].day
            overlap = [(len(ids.intersection(head)), y) for y, ids in known.get((m, d), [])]
            best = max(overlap, default=(0, None))
            if best[0]:
                pinned = best[1]
                pinned_paths.add(str(path))
        for p in dump.papers:
            if not sections or sections[-1].line != p.date_line or sections[-1].path != str(path):
                year = pinned if p.date_line == dump.header_line else None
                sections.append(
                    DateLabel(p.month, p.day, p.date_label, str(path), p.date_line, year)
                )
            named = named_years(f"{p.title}\n{p.abstract}")
            if named:  # the newest year each paper names: evidence for the year choice
                mention = (paper_id(p.title), max(named))
                sections[-1] = replace(sections[-1], named=(*sections[-1].named, mention))
    return sections, len(pinned_paths)


def days_policy(choice: YearChoice, days: list[ParsedDay], n_pinned: int, n_text: int):
    """The year choice with its sentence saying what the JSON days decided (``choice`` is that
    of the ``n_text`` text dumps, ``n_pinned`` of which took the year of a JSON day). JSON days
    carry their full date, so a folder of JSON days alone is never a guess."""
    if not days:
        return choice
    sources = sorted({d.date_source for d in days})
    own = (
        f"{len(days)} JSON day(s) carry their full date (from the {' or '.join(sources)}); "
        "no year is guessed for them"
    )
    if not n_text:
        return replace(choice, policy=own, basis="JSON dates", guess=False)
    same = "the JSON day of the same month and day that lists the same papers"
    if n_pinned == n_text:
        return replace(
            choice, policy=f"{own}; each of the {n_text} text dump(s) takes the year of {same}"
        )
    if n_pinned:
        return replace(
            choice,
            policy=f"{own}; {n_pinned} of {n_text} text dump(s) take the year of {same} (below, "
            f"counted as dates in file names); text dumps: {choice.policy}",
        )
    return replace(choice, policy=f"{own}; text dumps: {choice.policy}")


DAY_FIELDS = [
    "arxiv_id",
    "authors",
    "n_authors",
    "organization",
    "upvotes",
    "comments",
    "github_repo",
    "github_stars",
    "project_page",
    "hf_keywords",
    "published_at",
    "submitted_at",
]
"""The papers table's columns from a JSON day (missing on rows of text dumps)."""


def paper_row(path: Path, seq: int, rank: int, title: str, abstract: str, **where) -> dict:
    """One row of the papers table for a paper of a text dump or a JSON day: the columns both
    share, computed the same way, and ``where`` (date_label, dump_date, page_kind, line,
    n_blocks and, for JSON days, their fields)."""
    return {
        "dump_file": path.name,
        "dump_path": str(path),
        "dump_seq": seq,
        "rank": rank,
        "paper_id": paper_id(title),
        "title": title,
        "abstract": abstract,
        "n_words": len(abstract.split()),
        "truncated": looks_cut_off(abstract),
        **where,
    }


def day_row(seq: int, path: Path, day: ParsedDay, rank: int, paper: DayPaper) -> dict:
    fields = {name: getattr(paper, name, None) for name in DAY_FIELDS}
    fields["n_authors"] = None if paper.authors is None else len(paper.authors)
    return paper_row(
        path,
        seq,
        rank,
        paper.title,
        paper.abstract,
        date_label=day.day.isoformat(),
        dump_date=day.day,
        page_kind=day.page_kind,
        line=paper.item,
        n_blocks=1,
        **fields,
    )


def join_same_day(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(rows, reject rows): a paper of a JSON day that a text dump lists on the same date
    becomes one row, the text dump's, with the JSON day's fields added; the JSON item is then
    an info reject naming that row. Rows of JSON days have ``DAY_FIELDS`` keys, text rows none."""
    text_rows = {}
    for i, row in enumerate(rows):
        if "upvotes" not in row:
            text_rows.setdefault((row["paper_id"], row["dump_date"]), i)
    if not text_rows:
        return rows, []
    out = [dict(r) for r in rows]
    drop, notes = set(), []
    for i, row in enumerate(rows):
        target = text_rows.get((row["paper_id"], row["dump_date"])) if "upvotes" in row else None
        if target is None:
            continue
        kept = out[target]
        for name in DAY_FIELDS:
            if kept.get(name) is None:
                kept[name] = row[name]
        drop.add(i)
        reason = (
            f"same paper as {kept['dump_file']} line {kept['line']} on the same day: one row, "
            "the JSON fields added to it"
        )
        notes.append(
            reject_row(Path(row["dump_path"]), row["line"], 1, reason, "info", row["title"])
        )
    return [r for i, r in enumerate(out) if i not in drop], notes


def recount_files(file_rows: list[dict], rows: list[dict], joined: list[dict]) -> list[dict]:
    """File rows with n_papers and n_rejects after the same-day join."""
    moved = collections.Counter(r["dump_path"] for r in joined)
    return [
        {
            **f,
            "n_papers": f["n_papers"] - moved[f["dump_path"]],
            "n_rejects": f["n_rejects"] + moved[f["dump_path"]],
        }
        for f in file_rows
    ]


def typed_day_fields(frame: pd.DataFrame) -> pd.DataFrame:
    """The JSON-day columns in their schema types: text (missing as NaN), Int64, lists of
    text (None when unknown) and naive UTC datetimes."""
    text = ["arxiv_id", "organization", "github_repo", "project_page"]
    ints = ["n_authors", "upvotes", "comments", "github_stars"]
    return frame.assign(
        **{c: frame[c].astype(object).astype(str) for c in text},
        **{
            c: pd.array(frame[c].astype(object).where(frame[c].notna(), None), dtype="Int64")
            for c in ints
        },
        **{c: frame[c].astype(object).where(frame[c].notna(), None) for c in LIST_COLUMNS},
        **{c: naive_utc(frame[c]) for c in ("published_at", "submitted_at")},
    )


def naive_utc(values) -> pd.Series:
    """ISO 8601 stamps (any offset) as UTC datetimes without a time zone; NaT where missing."""
    return (
        pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")
        .dt.tz_convert(None)
        .astype("datetime64[ns]")
    )


def reject_row(path: Path, line: int, n_blocks: int, reason: str, severity: str, text: str):
    return {
        "dump_file": path.name,
        "dump_path": str(path),
        "line": line,
        "n_blocks": n_blocks,
        "reason": reason,
        "severity": severity,
        "text": text,
    }


LIST_COLUMNS = ("authors", "hf_keywords")


def lists_restored(frame: pd.DataFrame) -> pd.DataFrame:
    """A new frame: the list columns read back from Parquet (arrays) as lists of str again."""
    present = [c for c in LIST_COLUMNS if c in frame.columns]
    return frame.assign(
        **{c: frame[c].map(lambda v: None if v is None else [str(x) for x in v]) for c in present}
    )
