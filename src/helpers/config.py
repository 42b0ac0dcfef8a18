"""Project paths and the settings file, in one place.

The project root is, in order: the ``HF_PAPERS_ROOT`` environment variable, the nearest folder
above the current directory that holds both ``data/raw`` and ``notebooks``, or the checkout this
package was installed from (editable install).

Settings live in ``hf-papers.toml`` at the root (read with ``tomllib``; every key optional)::

    first_year = 2023        # year of the first dump, when neither headers nor names say it
    raw = "data/raw"         # folder of dumps, relative to the root
    out = "reports"          # where reports go; processed tables then go to <out>/processed

The dump folder and the output folder are, in order: the arguments of ``paths`` (the command
line's ``--raw`` and ``--out``), ``HF_PAPERS_RAW`` / ``HF_PAPERS_OUT`` (set by the report runner
for its notebook kernels), the settings file, then ``data/raw`` and ``reports`` (with processed
tables in ``data/processed``).

>>> paths().raw.name
'raw'
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from helpers.errors import MissingInputError, SettingsError

SETTINGS_FILE = "hf-papers.toml"
_KEYS = {"first_year": int, "raw": str, "out": str}


@dataclass(frozen=True)
class Settings:
    """What ``hf-papers.toml`` says (None for what it leaves out, or when there is no file)."""

    first_year: int | None = None
    raw: Path | None = None
    out: Path | None = None
    path: Path | None = None  # the file read


def read_settings(root: str | os.PathLike) -> Settings:
    """The settings in ``root/hf-papers.toml``; empty settings when there is no such file."""
    path = Path(root) / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise SettingsError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(_KEYS)}"
        )
    for key, kind in _KEYS.items():
        value = data.get(key)
        if value is not None and (type(value) is not kind or value == ""):
            raise SettingsError(
                f"{path}: {key} = {value!r} should be {'a year' if kind is int else 'a path'}"
            )
    first_year = data.get("first_year")
    if first_year is not None and not 1900 <= first_year <= 2200:
        raise SettingsError(f"{path}: first_year = {first_year} is not a plausible year")

    def folder(key: str) -> Path | None:
        value = data.get(key)
        return (Path(root) / Path(value).expanduser()).resolve() if value else None

    return Settings(first_year, folder("raw"), folder("out"), path)


@dataclass(frozen=True)
class ProjectPaths:
    root: Path
    raw_dir: Path | None = None  # dumps read instead of data/raw
    out_dir: Path | None = None  # reports written here instead of reports/, tables in processed/

    @property
    def raw(self) -> Path:
        return self.raw_dir or self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.out_dir / "processed" if self.out_dir else self.root / "data" / "processed"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.out_dir or self.root / "reports"

    @property
    def settings(self) -> Settings:
        """The settings file, read now (edits take effect on the next call)."""
        return read_settings(self.root)


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
    raise MissingInputError(
        f"cannot find the project root from {here}: no folder above it holds data/raw and "
        "notebooks/. Run from inside the project or set HF_PAPERS_ROOT."
    )


def paths(
    start: Path | None = None,
    raw: str | os.PathLike | None = None,
    out: str | os.PathLike | None = None,
) -> ProjectPaths:
    """The project's folders: ``raw`` and ``out`` (relative to the current directory) override
    the environment and the settings file (see the module docstring)."""
    root = find_root(start)
    settings = read_settings(root)

    def pick(given, env: str, configured: Path | None) -> Path | None:
        if given:
            return Path(given).expanduser().resolve()
        if os.environ.get(env):
            return Path(os.environ[env]).expanduser().resolve()
        return configured

    return ProjectPaths(
        root,
        pick(raw, "HF_PAPERS_RAW", settings.raw),
        pick(out, "HF_PAPERS_OUT", settings.out),
    )
