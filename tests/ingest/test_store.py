"""store.py: a file is replaced whole or not at all, and no temporary file outlives a write."""

from __future__ import annotations

import pytest

from helpers.ingest.store import (
    TEMPORARY_GLOB,
    atomic_write,
    temporary_beside,
    write_bytes,
    write_text,
)


def test_a_write_replaces_the_file_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "deep" / "table.json"
    assert write_text(target, "old") == target
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["table.json"]


def test_a_failed_write_keeps_the_old_file_and_removes_its_temporary(tmp_path):
    target = write_text(tmp_path / "table.csv", "old")

    def half_then_fail(tmp):
        tmp.write_text("ha")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, half_then_fail)
    assert target.read_text() == "old"
    assert list(tmp_path.glob(TEMPORARY_GLOB)) == []


def test_temporaries_sit_beside_the_target_and_match_the_cleanup_glob(tmp_path):
    tmp = temporary_beside(tmp_path / "papers.parquet")
    assert tmp.parent == tmp_path and tmp.exists()
    assert list(tmp_path.glob(TEMPORARY_GLOB)) == [tmp]
