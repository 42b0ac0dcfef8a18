"""Which files are the dumps, in what order: a folder, glob, file or list of them, resolved
and sorted in time; and which files of a folder are not read, with why (:func:`not_read`).
Light on purpose (no pandas): a report rebuild with nothing changed checks the dumps'
fingerprints with this alone.

A folder's dumps are its ``*.txt`` page-text dumps and its ``*.json`` daily_papers days.
Hidden entries (``.DS_Store``, ``.ipynb_checkpoints``) are ignored quietly; every other entry
is listed by :func:`not_read`.
"""

from __future__ import annotations

import glob
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

from helpers.errors import MissingInputError
from helpers.ingest.dumps import name_date

_SEQ_RE = re.compile(r"^(\d+)_")
DUMP_SUFFIXES = (".txt", ".json")  # text dumps and daily_papers JSON days
_WEB_PAGES = {".html", ".htm", ".mhtml", ".mht", ".webarchive"}


def _is_dump(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in DUMP_SUFFIXES and not _hidden(path)


def _hidden(path: Path) -> bool:
    return path.name.startswith(".")


def not_read(
    source: str | os.PathLike | Sequence[str | os.PathLike],
) -> list[tuple[Path, str, str]]:
    """(path, reason, severity) of each entry of the given folders that is neither a dump nor
    hidden: other files (a saved web page or a PDF is a ``warning``: it may hold papers) and
    sub-folders (``info``). Globs and files named one by one are read as given.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("001_a.txt", "notes.md", ".DS_Store"):
    ...     _ = (folder / name).write_text("x")
    >>> [(p.name, severity) for p, _, severity in not_read(folder)]
    [('notes.md', 'info')]
    """
    items = [source] if isinstance(source, str | os.PathLike) else list(source)
    out: list[tuple[Path, str, str]] = []
    for item in items:
        folder = Path(item)
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if _hidden(path) or _is_dump(path):
                continue
            out.append((path, *_why_not(path)))
    return out


def _why_not(path: Path) -> tuple[str, str]:
    suffix = path.suffix.lower()
    if path.is_dir():
        return "a sub-folder: only the files at the top of the folder are read", "info"
    if suffix in _WEB_PAGES:
        return (
            "a saved web page, not read: save the page as text (.txt) or keep the "
            "daily_papers JSON (.json) instead",
            "warning",
        )
    if suffix == ".pdf":
        return "a PDF, not read: dumps are page text (.txt) or daily_papers JSON (.json)", (
            "warning"
        )
    kind = f"a {suffix} file" if suffix else "a file with no extension"
    return f"{kind}, not a dump: only .txt page dumps and .json daily_papers days are read", (
        "info"
    )


def resolve_sources(source: str | os.PathLike | Sequence[str | os.PathLike]) -> list[Path]:
    """A folder (its ``*.txt`` and ``*.json``), a glob, a file or a list of those -> the dump
    files."""
    if isinstance(source, str | os.PathLike):
        items: Iterable = [source]
    else:
        items = source
    files: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if _is_dump(p))
            if not found:
                others = [p.name for p, _, _ in not_read(path)]
                listed = f"; it holds {', '.join(others[:5])}" if others else ""
                raise MissingInputError(
                    f"{path}: folder holds no dump files (*.txt page dumps or *.json "
                    f"daily_papers days){listed}"
                )
            files.extend(found)
        elif path.exists():
            files.append(path)
        elif glob.has_magic(str(item)):
            found = sorted(Path(p) for p in glob.glob(str(item)))
            if not found:
                raise MissingInputError(f"{item}: no file matches this pattern")
            files.extend(found)
        else:
            raise MissingInputError(f"{path}: no such dump file or folder")
    return files


def dump_order(files: Sequence[Path]) -> list[tuple[int, Path]]:
    """(dump_seq, path) in time order. ``NNN_`` prefixes give the order; files without one
    come after the numbered ones: those with a date in their name by that date, then the rest
    by name, with a warning."""
    numbered, dated, unnumbered = [], [], []
    for f in files:
        m = _SEQ_RE.match(f.name)
        if m:
            numbered.append((int(m[1]), f))
        elif (day := name_date(f)) is not None:
            dated.append((day, f))
        else:
            unnumbered.append(f)
    numbered.sort(key=lambda t: (t[0], t[1].name, str(t[1])))
    if unnumbered:
        warnings.warn(
            f"{len(unnumbered)} file(s) have no NNN_ prefix or date in their name to order them "
            f"in time (first: {unnumbered[0]}); they are placed after the others by name",
            stacklevel=3,
        )
    start = numbered[-1][0] + 1 if numbered else 0
    rest = [f for _, f in sorted(dated, key=lambda t: (t[0], t[1].name))] + sorted(unnumbered)
    return numbered + [(start + k, f) for k, f in enumerate(rest)]
