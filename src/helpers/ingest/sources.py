"""Which files are the dumps, in what order: a folder, glob, file or list of them, resolved
and sorted in time. Light on purpose (no pandas): a report rebuild with nothing changed checks
the dumps' fingerprints with this alone."""

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


def resolve_sources(source: str | os.PathLike | Sequence[str | os.PathLike]) -> list[Path]:
    """A folder (its ``*.txt``), a glob, a file or a list of those -> the dump files."""
    if isinstance(source, str | os.PathLike):
        items: Iterable = [source]
    else:
        items = source
    files: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not found:
                raise MissingInputError(f"{path}: folder holds no dump files (*.txt)")
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
