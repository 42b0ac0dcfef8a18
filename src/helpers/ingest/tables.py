"""``ingest``: data/raw -> data/processed/*.parquet, atomically and only when inputs changed.

Each raw file is fingerprinted by path, size and modification time. When the fingerprints (and
the parser version and the year choice) match the manifest of the last run, nothing is read.
The year choice is recorded in the manifest and kept: a ``first_year`` given once is used by
every later run on the same dump folder (``load_papers()`` in a notebook included) until another
is given or the settings file's ``first_year`` changes. Parsed
dumps are cached one file each, so adding a dump parses only that dump. Tables are written to a
temporary file and renamed into place, so a run that is killed leaves the previous tables whole;
a lock file keeps two runs from writing at once. Raw files are only ever read.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock

from helpers.config import ProjectPaths, Settings, paths
from helpers.errors import NothingLoadedError
from helpers.ingest.daily import ParsedDay, parse_source
from helpers.ingest.dumps import DumpFormatError, ParsedDump
from helpers.ingest.sources import dump_order, not_read, resolve_sources
from helpers.ingest.store import TEMPORARY_GLOB, temporary_beside, write_bytes, write_text
from helpers.ingest.years import YearChoice

if TYPE_CHECKING:  # pandas and the parsing stack are imported only when dumps changed
    import pandas as pd

PARSER_VERSION = "4"  # bump when parsing changes, so cached parses are not reused
YEAR_RULE = "2"  # bump when the year choice changes (2: the years papers name), to re-ingest
TABLES = ("papers", "papers_unique", "rejects", "files")
AUTO = "auto"  # first_year value: infer the years, forgetting a year given before


@dataclass
class IngestResult:
    outputs: dict[str, Path]
    skipped: bool
    parsed: list[str] = field(default_factory=list)  # files parsed this run (not from cache)
    file_errors: list[str] = field(default_factory=list)  # "file:line: reason" not loaded
    years: YearChoice = field(default_factory=lambda: YearChoice([], "", ""))

    @property
    def year_policy(self) -> str:
        """How the years of the dates were chosen, in a sentence."""
        return self.years.policy


_SOURCES = {
    "given": "given with --first-year",
    "kept": "given with --first-year to an earlier ingest, kept until changed",
    "settings": "set in hf-papers.toml",
}


def choose_first_year(
    first_year: int | str | None, settings: Settings, previous: dict | None, raw: Path
) -> tuple[int | None, str]:
    """(first_year to load with, how it was chosen: given, auto, kept, settings or inferred).

    A year given (or ``"auto"``) wins; else the choice given to the last ingest of the same
    dump folder, unless the settings file's first_year changed since; else the settings file;
    else None (the years are inferred)."""
    configured = settings.first_year
    if first_year == AUTO:
        return None, "auto"
    if first_year is not None:
        return int(first_year), "given"
    if (
        previous
        and previous.get("raw") == str(raw.resolve())
        and previous.get("mode") in ("given", "kept", "auto")
        and previous.get("settings_first_year") == configured
    ):
        mode = previous["mode"]
        return previous["first_year"], "auto" if mode == "auto" else "kept"
    if configured is not None:
        return configured, "settings"
    return None, "inferred"


def _fingerprint(path: Path) -> dict:
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _cache_key(fp: dict) -> str:
    text = json.dumps([fp, PARSER_VERSION], sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()


def _cached_parser(cache_dir: Path, fingerprints: dict[str, dict], parsed_now: list[str]):
    def parse(path: Path) -> ParsedDump | ParsedDay:
        fp = fingerprints[str(path)]
        cached = cache_dir / f"{_cache_key(fp)}.pickle"
        if cached.exists():
            result = pickle.loads(cached.read_bytes())
        else:
            try:
                result = parse_source(path)
            except DumpFormatError as exc:
                result = exc
            parsed_now.append(str(path))
            write_bytes(cached, pickle.dumps(result))
        if isinstance(result, DumpFormatError):
            raise result
        return result

    return parse


def ingest(
    raw: str | os.PathLike | None = None,
    processed: str | os.PathLike | None = None,
    first_year: int | str | None = None,
    force: bool = False,
    progress: bool | None = None,
    project: ProjectPaths | None = None,
) -> IngestResult:
    """Bring the processed tables up to date with the dumps; returns where the tables are.

    Parameters
    ----------
    raw, processed : the dump folder and the tables' folder; default the project's
        (``project`` or ``paths()``), whose settings file is read too (its first_year only
        when ``raw`` is its dump folder).
    first_year : a year, ``"auto"`` to infer the years, or None for the choice recorded by
        the last ingest or the settings file (``choose_first_year``).
    force : rebuild even when nothing changed.
    progress : a progress bar; None shows it only on a terminal.
    project : the project's folders (default: ``paths()``).
    """
    if project is None and (raw is None or processed is None):
        project = paths()
    raw = Path(raw) if raw is not None else project.raw
    processed = Path(processed) if processed is not None else project.processed
    settings = project.settings if project is not None else Settings()
    own_raw = settings.raw or (project.root / "data" / "raw" if project is not None else None)
    if own_raw is None or own_raw.resolve() != raw.resolve():
        settings = Settings()  # the settings' first_year is about their own dump folder
    processed.mkdir(parents=True, exist_ok=True)
    outputs = {name: processed / f"{name}.parquet" for name in TABLES}
    manifest_path = processed / "manifest.json"

    with FileLock(str(processed / ".ingest.lock")):
        _remove_stale_temporaries(processed)
        files = dump_order(resolve_sources(raw))
        fingerprints = {str(p): _fingerprint(p) for _, p in files}
        skipped = not_read(raw)
        previous = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
        year, mode = choose_first_year(first_year, settings, previous.get("years"), raw)
        manifest = {
            "parser_version": PARSER_VERSION,
            "year_rule": YEAR_RULE,
            "first_year": year,
            "year_mode": "given" if mode == "kept" else mode,
            "files": [fingerprints[str(p)] for _, p in files],
            "not_read": [[str(p), reason, severity] for p, reason, severity in skipped],
        }
        if (
            not force
            and previous.get("manifest") == manifest
            and all(p.exists() for p in outputs.values())
            # an older run that refused every file wrote tables with no paper: read again
            and len(previous.get("file_errors", [])) < len(files)
        ):
            years = YearChoice.from_json(previous.get("year_choice"))
            return IngestResult(outputs, True, [], previous.get("file_errors", []), years)

        import pandas as pd

        from helpers.ingest.load import build_papers, dedupe, parse_all

        parsed_now: list[str] = []
        parse = _cached_parser(processed / "cache", fingerprints, parsed_now)
        parsed = parse_all(files, errors="collect", progress=progress, parse=parse)
        papers = build_papers(
            parsed, year, "collect", year_source=_SOURCES.get(mode, mode), skipped=skipped
        )
        years: YearChoice = papers.attrs["year_choice"]
        file_errors = [str(d) for _, _, d in parsed if isinstance(d, DumpFormatError)]
        read = papers.attrs["rejects"]["dump_path"].isin({str(p) for _, p in files})
        lost = papers.attrs["rejects"][read].query("severity != 'info'")
        if papers.empty:  # nothing to analyse: say why once, write no tables
            blocks = lost[~lost["reason"].str.startswith("file not loaded")]
            raise NothingLoadedError(
                raw,
                len(files),
                file_errors,
                [f"{r.dump_path}:{r.line}: {r.reason}" for r in blocks.head(3).itertuples()],
                len(blocks),
            )
        for message in file_errors:
            print(f"warning: not loaded: {message}", file=sys.stderr)
        if skipped:
            names = ", ".join(p.name for p, _, _ in skipped[:5])
            more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
            print(
                f"note: {len(skipped)} file(s) in {raw} are not dumps and were not read: "
                f"{names}{more}; why is listed in the rejects and on the overview",
                file=sys.stderr,
            )
        if len(lost):
            print(
                f"warning: {len(lost)} block(s) in {lost['dump_path'].nunique()} file(s) not read"
                f" as papers (first: {lost['dump_path'].iloc[0]}, line {lost['line'].iloc[0]}:"
                f" {lost['reason'].iloc[0]}); all are listed in {processed / 'rejects.parquet'}"
                " and in the overview report",
                file=sys.stderr,
            )

        tables = {
            "papers": papers,
            "papers_unique": dedupe(papers),
            "rejects": pd.DataFrame(papers.attrs["rejects"]),
            "files": pd.DataFrame(papers.attrs["files"]),
        }
        _write_tables(tables, outputs, manifest_path, years.policy)
        body = {
            "manifest": manifest,
            "file_errors": file_errors,
            "year_choice": years.to_json(),
            "years": {
                "raw": str(raw.resolve()),
                "first_year": year,
                "mode": mode,
                "settings_first_year": settings.first_year,
            },
        }
        write_text(manifest_path, json.dumps(body))
        _prune_cache(processed / "cache", {_cache_key(fp) for fp in fingerprints.values()})
        return IngestResult(outputs, False, parsed_now, file_errors, years)


def _write_tables(
    tables: dict[str, pd.DataFrame], outputs: dict[str, Path], manifest_path: Path, policy: str
) -> None:
    """Write every table to a temporary file first (the slow part), then drop the manifest and
    rename the tables into place. A run killed before the renames leaves the old tables and
    manifest untouched; one killed during them leaves no manifest, so the next run rebuilds
    instead of trusting a mixed set of tables."""
    staged: dict[str, Path] = {}
    try:
        for name, table in tables.items():
            staged[name] = temporary_beside(outputs[name])
            _with_policy(table, policy).to_parquet(staged[name], index=False)
        manifest_path.unlink(missing_ok=True)
        for name, tmp in staged.items():
            os.replace(tmp, outputs[name])
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)


def _with_policy(table: pd.DataFrame, policy: str) -> pd.DataFrame:
    """A new frame: ``table`` with the year policy recorded in its attrs (kept by Parquet)."""
    out = table.assign()
    out.attrs = {"year_policy": policy}
    return out


def _remove_stale_temporaries(processed: Path) -> None:
    """Temporary files left by a killed run (only called while holding the ingest lock)."""
    for folder in (processed, processed / "cache"):
        if folder.exists():
            for item in folder.glob(TEMPORARY_GLOB):
                item.unlink(missing_ok=True)


def _prune_cache(cache_dir: Path, keep: set[str]) -> None:
    if not cache_dir.exists():
        return
    for item in cache_dir.glob("*.pickle"):
        if item.stem not in keep:
            item.unlink(missing_ok=True)
