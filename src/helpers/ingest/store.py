"""Files written whole or not at all: every file the package writes goes through here.

A file is written to a temporary file beside its target (same folder, so the same file system)
and renamed onto it with :func:`os.replace`, which is atomic: a reader sees the old file or the
new one, never a half-written one, and a killed run leaves at most a temporary file named
``.<target name>.<random>.tmp`` (``TEMPORARY_GLOB``) that the next run can remove.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_text(folder / "a.json", "{}").read_text(), sorted(p.name for p in folder.iterdir())
('{}', ['a.json'])
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

TEMPORARY_GLOB = ".*.tmp"
"""What the temporary files of this module look like (for removing those of a killed run)."""


def temporary_beside(target: str | os.PathLike) -> Path:
    """A new, empty temporary file in the folder of ``target`` (created with the folder); the
    caller renames it onto ``target`` with :func:`os.replace` or removes it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    return Path(tmp)


def atomic_write(target: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary path)``, then rename the temporary file onto ``target``; if
    ``write`` fails, ``target`` is untouched and the temporary file removed. Returns ``target``.
    """
    target = Path(target)
    tmp = temporary_beside(target)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def write_bytes(target: str | os.PathLike, data: bytes) -> Path:
    """``data`` into ``target``, atomically."""
    return atomic_write(target, lambda tmp: tmp.write_bytes(data))


def write_text(target: str | os.PathLike, text: str) -> Path:
    """``text`` into ``target`` as UTF-8, atomically."""
    return atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


__all__ = ["TEMPORARY_GLOB", "atomic_write", "temporary_beside", "write_bytes", "write_text"]
