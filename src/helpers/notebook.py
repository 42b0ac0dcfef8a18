"""Plumbing every notebook uses: load the processed tables, write CSV tables beside figures.

Notebooks call these so they never hard-code paths:

>>> papers = load_papers()                  # doctest: +SKIP
>>> save_table(papers.head(), "sample", table_dir("", "00-overview"))  # doctest: +SKIP
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from helpers.config import paths


def _processed_table(name: str, path: str | os.PathLike = "") -> pd.DataFrame:
    if path:
        return pd.read_parquet(path)
    from helpers.ingest import ingest

    result = ingest()  # cheap when data/raw has not changed: it only compares fingerprints
    return pd.read_parquet(result.outputs[name])


def load_papers(path: str | os.PathLike = "") -> pd.DataFrame:
    """The papers table: one row per paper appearance in a dump.

    With no path, reads the project's processed papers table, (re)building it from the dumps
    first when it is missing or out of date, with the years the last ingest chose (``ingest``).
    """
    return _processed_table("papers", path)


def load_rejects(path: str | os.PathLike = "") -> pd.DataFrame:
    """Blocks of the raw dumps that did not become paper rows, with file, line and reason."""
    return _processed_table("rejects", path)


def load_files(path: str | os.PathLike = "") -> pd.DataFrame:
    """One row per raw file: encoding, blocks read, papers and rejects, whether it loaded."""
    return _processed_table("files", path)


def table_dir(tables_dir: str | os.PathLike, notebook: str) -> Path:
    """Where a notebook writes its CSV tables: ``tables_dir`` if given, else
    reports/tables/<notebook>."""
    return Path(tables_dir) if tables_dir else paths().reports / "tables" / notebook


def save_table(df: pd.DataFrame, name: str, folder: str | os.PathLike) -> Path:
    """Write ``df`` as ``folder/name.csv`` atomically and return the path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.csv"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".csv.tmp")
    os.close(fd)
    try:
        df.to_csv(tmp, index=False)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
