"""benchmarks/bench_build.py: builds in turns with two revisions (no timing assertions)."""

from __future__ import annotations

import subprocess

import pandas as pd
from support import DATED, write_dumps

from benchmarks import bench_build


def test_builds_alternate_between_the_revision_and_the_tree_and_leave_no_checkout(tmp_path):
    dumps = tmp_path / "dumps"
    write_dumps(dumps, 2, DATED, dated=True)
    csv = tmp_path / "builds.csv"
    args = ["--raw", str(dumps), "--runs", "1", "--only", "00-overview", "--out", str(csv)]
    bench_build.main(args)
    table = pd.read_csv(csv)
    assert table["code"].tolist() == ["before", "now"]  # the revision first, then the tree
    assert table["revision"].iloc[1] == "working tree"
    # the CPU of the build's own processes (kernels included) is counted, not the caller's
    assert (table[["wall_s", "cpu_s"]] > 0).all().all()
    listed = subprocess.run(
        ["git", "-C", str(bench_build.ROOT), "worktree", "list"], capture_output=True, text=True
    ).stdout
    assert "bench-build-" not in listed


def test_two_folders_are_built_in_turns_with_the_current_tree(tmp_path):
    text, other = tmp_path / "text", tmp_path / "other"
    write_dumps(text, 2, DATED, dated=True)
    write_dumps(other, 3, DATED, dated=True)
    csv = tmp_path / "builds.csv"
    args = ["--raw", str(text), "--raw-before", str(other), "--runs", "1"]
    bench_build.main([*args, "--only", "00-overview", "--out", str(csv)])
    table = pd.read_csv(csv)
    assert table["code"].tolist() == ["before", "now"]
    assert table["raw"].tolist() == [str(other), str(text)]
    assert (table["revision"] == "working tree").all()


def test_the_summary_is_medians_and_their_ratio_now_over_before():
    rows = pd.DataFrame(
        {
            "code": ["before", "now"] * 3,
            "wall_s": [10.0, 5.0, 30.0, 6.0, 20.0, 100.0],
            "cpu_s": [1.0, 1.0, 2.0, 2.0, 3.0, 3.0],
        }
    )
    table = bench_build.summary(rows)
    assert table.loc["before"].tolist() == [20.0, 2.0]
    assert table.loc["now"].tolist() == [6.0, 2.0]
    assert table.loc["now / before"].tolist() == [0.3, 1.0]
