"""benchmarks/bench_years.py: windows of a small planted corpus, with known answers."""

from __future__ import annotations

import pandas as pd

from benchmarks import bench_years

DAYS = ["2024-03-05", "2024-04-10", "2024-06-12", "2024-09-20"]  # each names 2024 twice


def planted(folder):
    folder.mkdir()
    rows = []
    for n, day in enumerate(DAYS):
        date = pd.Timestamp(day)
        name = f"{n:03d}_{n:016x}.txt"
        papers = [(f"Paper {n}a", "Accepted at CVPR 2024."), (f"Paper {n}b", "Data from 2024.")]
        body = "".join(f"{t}\n\n{a}\n\n" for t, a in papers)
        (folder / name).write_text(f"Subscribe\n\n{date:%b} {date.day}\n\n{body}", "utf-8")
        rows += [{"file": name, "date": day, "title": t} for t, _ in papers]
    pd.DataFrame(rows).to_csv(folder.parent / "truth.csv", index=False)


def test_every_window_is_counted_under_each_rule_and_today(tmp_path, capsys):
    planted(tmp_path / "raw")
    out = tmp_path / "years.csv"
    args = ["--raw", str(tmp_path / "raw"), "--truth", str(tmp_path / "truth.csv")]
    assert bench_years.main([*args, "--out", str(out)]) == 0
    table = pd.read_csv(out).set_index(["months", "rule", "today"])
    assert list(table.reset_index().columns) == bench_years.COLUMNS
    # calendar months inside Mar 5 - Sep 20 that hold a dump: Mar, Apr, Jun; 4 of 3 months; 1 of 6
    assert table.xs("new", level="rule")["windows"].groupby("months").first().to_dict() == {
        1: 3,
        3: 4,
        6: 1,
    }
    new, old = table.xs("new", level="rule"), table.xs("old", level="rule")
    assert (new["right"] == new["windows"]).all() and (new["silent_wrong"] == 0).all()
    # the calendar alone two years later dates every window 2026, silently
    late = old.xs("2026-12-07", level="today")
    assert (late["right"] == 0).all() and (late["silent_wrong"] == late["windows"]).all()
    soon = old.xs("last + 30 d", level="today")
    assert (soon["right"] == soon["windows"]).all()
    assert "silent_wrong" in capsys.readouterr().out
