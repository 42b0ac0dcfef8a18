"""``load_dumps``: many dump files -> one checked papers frame; ``dedupe``: one row per paper.

>>> papers = load_dumps("data/raw", first_year=2024)            # doctest: +SKIP
>>> papers[["dump_file", "dump_date", "rank", "title"]].head(2)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import pandas as pd
import pandera.pandas as pa

from helpers.ingest.daily import ParsedDay, parse_source
from helpers.ingest.dumps import DumpFormatError, ParsedDump
from helpers.ingest.enrich import (
    date_sections,
    day_row,
    days_policy,
    join_same_day,
    paper_row,
    recount_files,
    reject_row,
    typed_day_fields,
)
from helpers.ingest.ids import paper_id  # noqa: F401  (public here too: load.paper_id)
from helpers.ingest.sources import dump_order, not_read, resolve_sources
from helpers.ingest.years import assign_years

Errors = Literal["warn", "raise", "collect"]


class AttrTable(pd.DataFrame):
    """A read-only table kept in a frame's ``attrs``.

    pandas compares and copies ``attrs`` on most operations; a plain DataFrame there makes
    ``pd.concat`` fail ("truth value of a DataFrame is ambiguous"). This one compares as a whole,
    is shared instead of deep-copied, and anything derived from it is a plain DataFrame.
    """

    @property
    def _constructor(self):
        return pd.DataFrame

    def __eq__(self, other):  # whole-table equality, so dicts holding it compare cleanly
        return self is other or (isinstance(other, pd.DataFrame) and self.equals(other))

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = object.__hash__

    def __deepcopy__(self, memo=None):
        return self


def _lists_of_str(value) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(x, str) for x in value))


PAPERS_SCHEMA = pa.DataFrameSchema(
    {
        "dump_file": pa.Column(str),
        "dump_path": pa.Column(str),
        "dump_seq": pa.Column(int, pa.Check.ge(0)),
        "date_label": pa.Column(str),
        "dump_date": pa.Column("datetime64[ns]"),
        "page_kind": pa.Column(str, pa.Check.isin(["daily", "listing"])),
        "rank": pa.Column(int, pa.Check.ge(1)),
        "paper_id": pa.Column(str, pa.Check.str_length(16, 16)),
        "title": pa.Column(str, pa.Check.str_length(min_value=1)),
        "abstract": pa.Column(str, pa.Check.str_length(min_value=1)),
        "n_words": pa.Column(int, pa.Check.ge(1)),
        "truncated": pa.Column(bool),
        "line": pa.Column(int, pa.Check.ge(1)),
        "n_blocks": pa.Column(int, pa.Check.ge(1)),
        # what a daily_papers JSON day says about the paper; missing for text dumps
        "arxiv_id": pa.Column(str, nullable=True),
        "authors": pa.Column(object, pa.Check(_lists_of_str, element_wise=True), nullable=True),
        "n_authors": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "organization": pa.Column(str, nullable=True),
        "upvotes": pa.Column("Int64", nullable=True),
        "comments": pa.Column("Int64", nullable=True),
        "github_repo": pa.Column(str, nullable=True),
        "github_stars": pa.Column("Int64", nullable=True),
        "project_page": pa.Column(str, nullable=True),
        "hf_keywords": pa.Column(
            object, pa.Check(_lists_of_str, element_wise=True), nullable=True
        ),
        "published_at": pa.Column("datetime64[ns]", nullable=True),
        "submitted_at": pa.Column("datetime64[ns]", nullable=True),
    },
    unique=["dump_path", "rank"],
    strict=True,
    ordered=True,
)

REJECTS_SCHEMA = pa.DataFrameSchema(
    {
        "dump_file": pa.Column(str),
        "dump_path": pa.Column(str),
        "line": pa.Column(int, pa.Check.ge(0)),
        "n_blocks": pa.Column(int, pa.Check.ge(0)),
        "reason": pa.Column(str),
        "severity": pa.Column(str, pa.Check.isin(["info", "warning", "error"])),
        "text": pa.Column(str),
    },
    strict=True,
    ordered=True,
)

UNIQUE_SCHEMA = pa.DataFrameSchema(
    {
        "paper_id": pa.Column(str, unique=True),
        "title": pa.Column(str),
        "abstract": pa.Column(str),
        "n_words": pa.Column(int),
        "truncated": pa.Column(bool),
        "first_seen": pa.Column("datetime64[ns]"),
        "last_seen": pa.Column("datetime64[ns]"),
        "n_dumps": pa.Column(int, pa.Check.ge(1)),
        "first_dump": pa.Column(str),
    },
    strict=True,
    ordered=True,
)


def _collect_file_error(path: Path, exc: DumpFormatError) -> dict:
    return {
        "dump_file": path.name,
        "dump_path": str(path),
        "line": exc.line,
        "n_blocks": 0,
        "reason": f"file not loaded: {exc.reason}",
        "severity": "error",
        "text": "",
    }


def load_dumps(
    source: str | os.PathLike | Sequence[str | os.PathLike],
    first_year: int | None = None,
    errors: Errors = "warn",
    progress: bool | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Load dump files into one row per paper appearance, checked against PAPERS_SCHEMA.

    ``errors``: what happens to input that does not become a paper row. Everything is always
    accounted for in ``attrs["rejects"]`` (file, line, reason); then
    - ``"warn"`` (default): a file that is not a dump raises DumpFormatError naming the file and
      line; blocks that could not be read as papers give one warning per file;
    - ``"raise"``: any block lost as a warning-level reject raises DumpFormatError too;
    - ``"collect"``: nothing raises; a file that is not a dump is listed in the rejects.

    ``attrs`` also holds ``files`` (one row per file: encoding, blocks, papers, rejects) and
    ``year_policy`` and ``year_choice`` (how years were chosen for the month-day headers, a
    sentence and a :class:`~helpers.ingest.years.YearChoice`: see ``assign_years``; ``today``
    defaults to the clock).
    """
    if errors not in ("warn", "raise", "collect"):
        raise ValueError(f"errors must be 'warn', 'raise' or 'collect', not {errors!r}")
    files = dump_order(resolve_sources(source))
    parsed = parse_all(files, errors, progress)
    return build_papers(parsed, first_year, errors, today, skipped=not_read(source))


ParseResult = tuple[int, Path, "ParsedDump | DumpFormatError"]


def parse_all(
    files: Sequence[tuple[int, Path]],
    errors: Errors = "warn",
    progress: bool | None = None,
    parse=parse_source,
) -> list[ParseResult]:
    """Parse each (dump_seq, path); a file-level error is kept in place of its result when
    ``errors="collect"`` and raised otherwise."""
    _warn_duplicate_names(files)
    out: list[ParseResult] = []
    for seq, path in _progress(files, progress):
        try:
            out.append((seq, path, parse(path)))
        except DumpFormatError as exc:
            if errors != "collect":
                raise
            out.append((seq, path, exc))
    return out


def build_papers(
    parsed: Sequence[ParseResult],
    first_year: int | None = None,
    errors: Errors = "warn",
    today: dt.date | None = None,
    year_source: str = "given",
    skipped: Sequence[tuple[Path, str, str]] = (),
) -> pd.DataFrame:
    """Parsed dumps and JSON days -> the checked papers frame with rejects, files and
    year_policy attrs.

    ``today`` (default: the clock) bounds the inferred years; ``year_source`` says where
    ``first_year`` came from, for the year-policy sentence; ``skipped`` are the files of the
    folder that were not read (:func:`helpers.ingest.sources.not_read`), listed in the rejects.
    A paper listed by a text dump and by the JSON day of the same date is one row: the text
    dump's, with the JSON fields added (:func:`join_same_day`)."""
    days = [d for _, _, d in parsed if isinstance(d, ParsedDay)]
    sections, n_pinned = date_sections(parsed, days)
    choice = assign_years(sections, first_year, today, year_source)
    n_text = sum(isinstance(d, ParsedDump) and bool(d.papers) for _, _, d in parsed)
    choice = days_policy(choice, days, n_pinned, n_text)
    years = choice.years
    year_iter = iter(zip(sections, years, strict=True))
    section, year = None, 0

    rows: list[dict] = []
    reject_rows: list[dict] = []
    file_rows: list[dict] = []
    for seq, path, dump in parsed:
        if isinstance(dump, DumpFormatError):
            reject_rows.append(_collect_file_error(path, dump))
            file_rows.append(_file_row(seq, path, None, 0, 1))
            continue
        if isinstance(dump, ParsedDay):
            rows.extend(day_row(seq, path, dump, rank, p) for rank, p in enumerate(dump.papers, 1))
        for rank, paper in enumerate(dump.papers if isinstance(dump, ParsedDump) else [], 1):
            if section is None or section.line != paper.date_line or section.path != str(path):
                section, year = next(year_iter)
            rows.append(
                paper_row(
                    path,
                    seq,
                    rank,
                    paper.title,
                    paper.abstract,
                    date_label=paper.date_label,
                    dump_date=dt.date(year, paper.month, paper.day),
                    page_kind=dump.page_kind,
                    line=paper.line,
                    n_blocks=paper.n_blocks,
                )
            )
        lost = [r for r in dump.rejects if r.severity != "info"]
        unit = "item(s)" if isinstance(dump, ParsedDay) else "block(s)"
        if lost and errors == "raise":
            raise DumpFormatError(path, lost[0].line, lost[0].reason)
        if lost and errors == "warn":
            warnings.warn(
                f"{path}: {len(lost)} {unit} not read as papers (first at line "
                f"{lost[0].line}: {lost[0].reason}); see attrs['rejects']",
                stacklevel=3,
            )
        reject_rows.extend(
            reject_row(path, r.line, r.n_blocks, r.reason, r.severity, r.text)
            for r in dump.rejects
        )
        file_rows.append(_file_row(seq, path, dump, len(dump.papers), len(dump.rejects)))
    rows, joined = join_same_day(rows)
    reject_rows.extend(joined)
    reject_rows.extend(
        reject_row(path, 0, 0, f"not read: {reason}", severity, "")
        for path, reason, severity in skipped
    )
    file_rows = recount_files(file_rows, rows, joined)

    papers = _papers_frame(rows)
    rejects = REJECTS_SCHEMA.validate(
        pd.DataFrame(reject_rows, columns=list(REJECTS_SCHEMA.columns)).astype(
            {"line": int, "n_blocks": int, "text": str, "reason": str}
            | dict.fromkeys(["dump_file", "dump_path", "severity"], str)
        )
    )
    papers.attrs = {
        "rejects": AttrTable(rejects),
        "files": AttrTable(pd.DataFrame(file_rows, columns=_FILE_COLUMNS)),
        "year_policy": choice.policy,
        "year_choice": choice,
    }
    return papers


def _papers_frame(rows: list[dict]) -> pd.DataFrame:
    columns = list(PAPERS_SCHEMA.columns)
    frame = pd.DataFrame(rows, columns=columns).astype(
        {
            "dump_seq": int,
            "rank": int,
            "n_words": int,
            "line": int,
            "n_blocks": int,
            "truncated": bool,
            "dump_date": "datetime64[ns]",
        }
    )
    for col in (
        "dump_file",
        "dump_path",
        "date_label",
        "page_kind",
        "paper_id",
        "title",
        "abstract",
    ):
        frame[col] = frame[col].astype(str)
    return PAPERS_SCHEMA.validate(frame.pipe(typed_day_fields))


_FILE_COLUMNS = [
    "dump_file",
    "dump_path",
    "dump_seq",
    "encoding",
    "page_kind",
    "n_blocks",
    "n_papers",
    "n_rejects",
    "loaded",
]


def _file_row(seq: int, path: Path, dump: ParsedDump | None, n_papers: int, n_rejects: int):
    return {
        "dump_file": path.name,
        "dump_path": str(path),
        "dump_seq": seq,
        "encoding": dump.encoding if dump else "",
        "page_kind": dump.page_kind if dump else "",
        "n_blocks": dump.n_blocks if dump else 0,
        "n_papers": n_papers,
        "n_rejects": n_rejects,
        "loaded": dump is not None,
    }


def _warn_duplicate_names(files: Sequence[tuple[int, Path]]) -> None:
    seen: dict[str, Path] = {}
    for _, path in files:
        other = seen.setdefault(path.name, path)
        if other != path:
            warnings.warn(
                f"two dumps share the file name {path.name!r} ({other} and {path}); both are "
                "loaded, tell them apart by the dump_path column",
                stacklevel=3,
            )


def _progress(items, progress: bool | None):
    if progress is False or (progress is None and len(items) < 50):
        return items
    from tqdm.auto import tqdm

    # tqdm turns itself off when stderr is not a terminal (CI logs) unless asked explicitly
    return tqdm(items, desc="reading dumps", unit="file", disable=None if not progress else False)


def merge_papers(df: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """The papers frame with the second paper of every pair given the ``paper_id`` of the first
    (groups joined transitively; a group keeps the id listed first).

    ``pairs`` has ``paper_id_a``, ``paper_id_b``, ``title_a``, ``similarity`` and ``reason``
    (the table of :func:`helpers.analysis.similar.near_duplicates`). Each listing that changes id
    is an ``info`` row of ``attrs["rejects"]`` naming both papers, so nothing merges silently.
    """
    order = df["paper_id"].drop_duplicates().tolist()
    position = {pid: i for i, pid in enumerate(order)}
    parent = {pid: pid for pid in order}

    def root(pid: str) -> str:
        while parent[pid] != pid:
            parent[pid] = parent[parent[pid]]
            pid = parent[pid]
        return pid

    note = {}
    for row in pairs.itertuples(index=False):
        ra, rb = root(row.paper_id_a), root(row.paper_id_b)
        if ra != rb:
            keep, drop = sorted((ra, rb), key=position.__getitem__)
            parent[drop] = keep
        note[row.paper_id_b] = (row.paper_id_a, row.title_a, row.similarity, row.reason)
        note.setdefault(row.paper_id_a, (row.paper_id_b, row.title_b, row.similarity, row.reason))
    target = df["paper_id"].map(lambda pid: root(pid) if pid in parent else pid)
    moved = df[target != df["paper_id"]]
    rows = []
    for r, new in zip(moved.itertuples(index=False), target[moved.index], strict=True):
        other, other_title, sim, reason = note[r.paper_id]
        rows.append(
            {
                "dump_file": r.dump_file,
                "dump_path": r.dump_path,
                "line": int(r.line),
                "n_blocks": int(r.n_blocks),
                "reason": (
                    f"near-duplicate merged into paper {new} ({reason}: cosine {sim:.2f} with "
                    f"{other} {other_title!r})"
                ),
                "severity": "info",
                "text": str(r.title),
            }
        )
    previous = df.attrs.get("rejects")
    merged = pd.DataFrame(rows, columns=list(REJECTS_SCHEMA.columns))
    rejects = merged if previous is None else pd.concat([pd.DataFrame(previous), merged])
    out = df.assign(paper_id=target)
    out.attrs = {**df.attrs, "rejects": AttrTable(rejects.reset_index(drop=True))}
    return out


def dedupe(df: pd.DataFrame, merge: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per paper: the fullest abstract seen, first and last dump date, number of dumps.

    When a paper's abstract differs between dumps (a scrape cut one short), the longest one is
    kept. ``merge`` (pairs of papers, e.g. ``near_duplicates(papers)``) first merges each pair
    into one paper (:func:`merge_papers`); each merge is an info row of ``attrs["rejects"]`` of
    the result.

    >>> dedupe(papers)[["paper_id", "first_seen", "last_seen", "n_dumps"]]  # doctest: +SKIP
    """
    if merge is not None:
        df = merge_papers(df, merge)
    ordered = df.sort_values(["dump_date", "dump_seq", "rank"], kind="stable")
    spans = ordered.groupby("paper_id", sort=False).agg(
        first_seen=("dump_date", "min"),
        last_seen=("dump_date", "max"),
        n_dumps=("dump_path", "nunique"),
        first_dump=("dump_file", "first"),
    )
    fullest = (
        ordered.assign(_order=range(len(ordered)))
        .sort_values(["n_words", "_order"], ascending=[False, True], kind="stable")
        .drop_duplicates("paper_id")
        .sort_values("_order")
        .set_index("paper_id")[["title", "abstract", "n_words", "truncated"]]
    )
    out = fullest.join(spans).reset_index().astype({"n_dumps": int})
    out.attrs = {} if merge is None else {"rejects": df.attrs["rejects"]}
    return UNIQUE_SCHEMA.validate(out[list(UNIQUE_SCHEMA.columns)])
