"""Shared test fixtures: small papers frames with the loader's columns, and a temporary project
holding the seed dumps."""

from __future__ import annotations

import shutil

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
