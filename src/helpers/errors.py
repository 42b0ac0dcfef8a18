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


__all__ = ["DumpFormatError", "HFPapersError", "SettingsError"]
