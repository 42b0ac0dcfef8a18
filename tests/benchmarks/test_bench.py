"""benchmarks/bench.py: a tiny run writes the side-by-side table (no timing assertions)."""

from __future__ import annotations

import pandas as pd

from benchmarks import bench


def test_bench_writes_one_row_per_engine_project_first(tmp_path, capsys):
    assert bench.main(["--docs", "300", "--subset", "120", "--out", str(tmp_path)]) == 0
    table = pd.read_csv(tmp_path / "bench-300.csv")
    assert list(table.columns) == bench.COLUMNS
    assert table["engine"].tolist() == list(bench.ENGINES)  # one row each, project first
    assert table["engine"].iloc[0] == "project"
    assert (table["docs"] == 300).all()
    assert table["docs_timed"].tolist() == [300] + [120] * (len(bench.ENGINES) - 1)
    numeric = ["mb_timed", "seconds", "seconds_full", "docs_per_s", "mb_per_s", "peak_rss_mb"]
    assert (table[numeric] > 0).all().all()
    assert (table["terms"] > 0).all()
    # the ratio is the project's MB/s over the engine's
    ratio = table["mb_per_s"].iloc[0] / table["mb_per_s"]
    assert (abs(table["speedup_vs_project"] - ratio) < 1e-3 * ratio).all()
    assert table["speedup_vs_project"].iloc[0] == 1
    out = capsys.readouterr().out
    assert "project vs reference" in out and "IDENTICAL" in out
    assert "untrained Punkt" in out  # the nltk stand-in is named


def test_bench_table_derives_rates_and_puts_project_first():
    rows = [
        {"engine": "other", "docs_timed": 10, "bytes": 2e6, "seconds": 4.0, "terms": 5,
         "peak_rss_mb": 10.0, "notes": ""},
        {"engine": "project", "docs_timed": 40, "bytes": 8e6, "seconds": 2.0, "terms": 9,
         "peak_rss_mb": 20.0, "notes": ""},
    ]  # fmt: skip
    table = bench.bench_table(rows, docs=40)
    assert table["engine"].tolist() == ["project", "other"]
    assert table["mb_per_s"].tolist() == [4.0, 0.5]
    assert table["speedup_vs_project"].tolist() == [1.0, 8.0]
    assert table["seconds_full"].tolist() == [2.0, 16.0]
