"""Project paths, in one place.

The project root is, in order: the ``HF_PAPERS_ROOT`` environment variable, the nearest folder
above the current directory that holds both ``data/raw`` and ``notebooks``, or the checkout this
package was installed from (editable install).

>>> paths().raw.name
'raw'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProjectPaths:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"


def _looks_like_root(path: Path) -> bool:
    return (path / "data" / "raw").is_dir() and (path / "notebooks").is_dir()


def find_root(start: Path | None = None) -> Path:
    """Return the project root (see the module docstring for the search order)."""
    env = os.environ.get("HF_PAPERS_ROOT")
    if env:
        return Path(env).expanduser().resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _looks_like_root(candidate):
            return candidate
    installed_from = Path(__file__).resolve().parents[2]
    if _looks_like_root(installed_from):
        return installed_from
    raise FileNotFoundError(
        f"cannot find the project root from {here}: no folder above it holds data/raw and "
        "notebooks/. Run from inside the project or set HF_PAPERS_ROOT."
    )


def paths(start: Path | None = None) -> ProjectPaths:
    """The project's standard folders."""
    return ProjectPaths(find_root(start))
