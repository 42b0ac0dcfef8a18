"""One root for every error the package raises on purpose: callers (the command line first)
catch :class:`HFPapersError` once. Each error's message names what to fix: the file and line of
a dump, the setting of the settings file.
"""

from __future__ import annotations

from pathlib import Path


class HFPapersError(Exception):
    """The root error: a problem with the input or the settings, not a bug."""

    exit_code = 2
    """What the command line returns when it stops on this error."""


class DumpFormatError(HFPapersError, ValueError):
    """A file that cannot be read as a dump. Says which file and line, and why.

    >>> str(DumpFormatError("data/raw/x.txt", 3, "title with no abstract"))
    'data/raw/x.txt:3: title with no abstract'
    """

    def __init__(self, path: str | Path, line: int, reason: str):
        self.path = str(path)
        self.line = line
        self.reason = reason
        super().__init__(f"{self.path}:{line}: {reason}")

    def __reduce__(self):  # picklable (ingest caches parse results, errors included)
        return type(self), (self.path, self.line, self.reason)


class SettingsError(HFPapersError, ValueError):
    """The settings file cannot be used; the message names the file and the setting."""


class MissingInputError(HFPapersError, FileNotFoundError):
    """A dump folder, dump file or the project root that is not there; the message names it."""


class NothingLoadedError(HFPapersError):
    """A dump folder in which not one paper could be read: every file refused, or no block read
    as a title with its abstract. Names the folder, the counts and the first reasons.

    >>> print(NothingLoadedError("dumps", 1, ["dumps/a.txt:1: file is empty"]))
    dumps: no paper could be read: 1 of 1 file(s) refused (a.txt:1: file is empty)
    """

    FIRST = 2  # reasons quoted of each kind

    def __init__(self, folder, n_files: int, refused=(), lost=(), n_lost: int | None = None):
        self.folder, self.n_files = str(folder), n_files
        self.refused, self.lost = list(refused), list(lost)
        self.n_lost = len(self.lost) if n_lost is None else n_lost
        super().__init__(self.folder, n_files, self.refused, self.lost, self.n_lost)

    def _first(self, items: list[str]) -> str:
        shown = [Path(item).name if ":" not in item else _short(item) for item in items]
        more = len(items) - self.FIRST
        return "; ".join(shown[: self.FIRST]) + (f"; {more} more" if more > 0 else "")

    def __str__(self) -> str:
        parts = []
        if self.refused:
            parts.append(
                f"{len(self.refused)} of {self.n_files} file(s) refused "
                f"({self._first(self.refused)})"
            )
        if self.n_lost:
            parts.append(f"{self.n_lost} block(s) not read as papers ({self._first(self.lost)})")
        if len(self.refused) < self.n_files and not self.n_lost:
            parts.append("the other file(s) hold no title followed by an abstract")
        return f"{self.folder}: no paper could be read: " + "; ".join(parts)


def _short(message: str) -> str:
    """``folder/file.txt:3: reason`` -> ``file.txt:3: reason``."""
    path, sep, rest = message.partition(".txt:")
    return Path(path).name + sep + rest if sep else message


class ReportError(HFPapersError):
    """A report could not be built. Says which notebook, which cell (1-based, Markdown cells
    counted) failed and why, and where the executed copy with the traceback was kept; the
    fields that do not apply (no notebook ran) are None. ``others`` are the failures of the
    other notebooks of the same run; ``previous`` says whether reports of an earlier build
    were there to keep.

    >>> print(ReportError("ValueError: bad", "01.ipynb", 3, "reports/failed/01.ipynb"))
    1 notebook(s) failed; previous reports left in place:
    01.ipynb: cell 3 failed with ValueError: bad
        executed copy with the traceback: reports/failed/01.ipynb
    """

    exit_code = 1

    def __init__(
        self,
        reason: str,
        notebook: str | None = None,
        cell: int | None = None,
        executed: str | None = None,
        cell_start: str = "",
        others: tuple[ReportError, ...] = (),
        previous: bool = True,
    ):
        self.reason, self.notebook, self.cell, self.executed = reason, notebook, cell, executed
        self.cell_start, self.others = cell_start, tuple(others)
        self.previous = previous  # reports of an earlier build were there (and are kept)
        super().__init__(reason, notebook, cell, executed, cell_start, self.others, previous)

    def _one(self) -> str:
        if self.cell is None:
            return f"{self.notebook}: could not run: {self.reason}"
        lines = [f"{self.notebook}: cell {self.cell} failed with {self.reason}"]
        if self.cell_start:
            lines.append(f"    cell starts: {self.cell_start}")
        if self.executed:
            lines.append(f"    executed copy with the traceback: {self.executed}")
        return "\n".join(lines)

    def __str__(self) -> str:
        if self.notebook is None:
            return self.reason
        failures = [self, *self.others]
        kept = "previous reports left in place" if self.previous else "no report was written"
        return f"{len(failures)} notebook(s) failed; {kept}:\n" + (
            "\n".join(f._one() for f in failures)
        )


__all__ = [
    "DumpFormatError",
    "HFPapersError",
    "MissingInputError",
    "NothingLoadedError",
    "ReportError",
    "SettingsError",
]
