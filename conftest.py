"""Names the docstring examples of ``src/helpers`` may use (``make test`` runs them with
``--doctest-modules``): ``seeds``, the folder of the two seed dumps, and ``papers``, the papers
frame loaded from them."""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).parent / "data" / "raw"


@pytest.fixture(autouse=True)
def _doctest_names(request, doctest_namespace):
    if isinstance(request.node, pytest.DoctestItem):
        from helpers.ingest.load import load_dumps

        doctest_namespace["seeds"] = SEEDS
        doctest_namespace["papers"] = _seed_papers(load_dumps)


_CACHE: dict = {}


def _seed_papers(load_dumps):
    if "papers" not in _CACHE:
        _CACHE["papers"] = load_dumps(SEEDS, first_year=2024)
    return _CACHE["papers"].copy()
