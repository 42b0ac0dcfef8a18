"""Shared test fixtures: small papers frames with the loader's columns, a temporary project
holding the seed dumps, and the real corpus loaded once for the whole run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import make_papers


@pytest.fixture
def papers_factory():
    return make_papers


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A temporary project root with the seed dumps in data/raw and an empty notebooks/;
    HF_PAPERS_ROOT points at it for the test."""
    from helpers.config import ProjectPaths, paths

    root = tmp_path / "proj"
    (root / "data" / "raw").mkdir(parents=True)
    (root / "notebooks").mkdir()
    for seed in sorted(paths().raw.glob("*.txt")):
        shutil.copy(seed, root / "data" / "raw" / seed.name)
    monkeypatch.setenv("HF_PAPERS_ROOT", str(root))
    return ProjectPaths(root)


REAL_RAW = (
    Path(__file__).resolve().parents[2] / "shared" / "corpora" / "hf-daily-2024-2026" / "raw"
)


@pytest.fixture(scope="session")
def real_papers():
    """The 580 real daily dumps of ../shared/corpora, loaded once for every test that reads
    them (tests must not change the frame); skipped, saying why, when the folder is absent."""
    if not REAL_RAW.is_dir():
        pytest.skip(f"real corpus absent: {REAL_RAW}")
    from helpers import load_dumps

    return load_dumps(REAL_RAW, first_year=2024, progress=False)
