"""Benchmark: a cold report build of the current tree against another revision, in turns.

``python benchmarks/bench_build.py --raw DIR [--against REV] [--runs N] [--only STEM] [--out CSV]``
``python benchmarks/bench_build.py --raw DIR --raw-before OTHER [--runs N] ...``

This machine is shared and its speed drifts by a factor of two from hour to hour, so a build
time is only worth comparing with another one taken at the same moment. The benchmark checks
out ``REV`` (default ``HEAD``: the last commit against the working tree) into a temporary git
worktree and builds the reports of ``DIR`` ``N`` times with each code, alternating (REV, then
the current tree, then REV, ...), each time into a new empty folder: ingest, every notebook
(or those of ``--only``), the HTML export and the index, as ``python -m helpers reports``
does. The build of REV runs REV's helpers and notebooks (``PYTHONPATH`` and
``HF_PAPERS_ROOT`` point into its worktree).

It prints one row per build (wall seconds and CPU seconds, user + system, of the build and
every process it started) and the ratios of the medians, current over REV: 0.8 means the
current tree takes 80% of REV's time. With ``--raw-before OTHER`` no revision is checked out:
the current tree builds ``OTHER`` ("before") and ``DIR`` ("now") in turns, to compare two
inputs (the daily_papers JSON of some days against their text dumps, say). The rows go to
``reports/benchmarks/build-<DIR name>.csv`` (columns ``code, revision, raw, run, wall_s,
cpu_s``) unless ``--out`` says where.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process waited for, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_once(raw: Path, out: Path, root: Path | None, only: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one cold build of ``raw`` into ``out``; with the helpers and
    notebooks of ``root`` (a checkout) when given, else those of this tree."""
    env = dict(os.environ)
    if root is not None:
        env["PYTHONPATH"] = str(root / "src")
        env["HF_PAPERS_ROOT"] = str(root)
    command = [sys.executable, "-m", "helpers", "reports", "--raw", str(raw), "--out", str(out)]
    for stem in only:
        command += ["--only", stem]
    cpu, started = children_cpu(), time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed ({' '.join(command)}):\n{done.stderr[-2000:]}")
    return wall, children_cpu() - cpu


def summary(rows: pd.DataFrame) -> pd.DataFrame:
    """Median wall and CPU seconds per code, and the current code's over the other's.

    >>> rows = pd.DataFrame({"code": ["before", "now", "before", "now"],
    ...                      "wall_s": [10.0, 8.0, 12.0, 9.0], "cpu_s": [20.0, 15.0, 22.0, 16.0]})
    >>> summary(rows).loc["now / before"].tolist()
    [0.773, 0.738]
    """
    medians = rows.groupby("code")[["wall_s", "cpu_s"]].median()
    ratio = (medians.loc["now"] / medians.loc["before"]).round(3)
    return pd.concat([medians, ratio.to_frame("now / before").T])


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--raw", type=Path, required=True, help="folder of dump files")
    parser.add_argument("--against", default="HEAD", help="revision to compare with")
    parser.add_argument("--runs", type=int, default=3, help="builds of each code")
    parser.add_argument("--only", action="append", default=[], help="notebook stem")
    parser.add_argument("--out", type=Path, help="CSV of the builds")
    parser.add_argument(
        "--raw-before", type=Path, help="compare two folders with the current tree instead"
    )
    args = parser.parse_args(argv)
    raw = args.raw.resolve()
    if args.raw_before is not None:
        inputs = [("before", args.raw_before.resolve()), ("now", raw)]
        return _report(_turns(args, inputs), raw, args)
    revision = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", args.against],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        checkout = Path(tmp) / "checkout"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(checkout), revision],
            check=True,
        )  # fmt: skip
        try:
            rows = _turns(args, [("before", raw), ("now", raw)], {"before": checkout})
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(checkout)],
                check=False,
            )  # fmt: skip
    return _report(rows, raw, args, revision)


def _turns(args, inputs: list[tuple[str, Path]], roots: dict | None = None) -> list[dict]:
    """Build each of ``inputs`` (code, folder) once per run, in turns; ``roots`` maps a code to
    the checkout whose helpers build it (default: this tree)."""
    roots = roots or {}
    rows = []
    for run in range(1, args.runs + 1):
        for code, folder in inputs:
            root = roots.get(code)
            with tempfile.TemporaryDirectory(prefix=f"bench-build-{code}-") as out:
                wall, cpu = build_once(folder, Path(out) / "reports", root, args.only)
            rows.append(
                {
                    "code": code,
                    "revision": root.name if root else "working tree",
                    "raw": str(folder),
                    "run": run,
                    "wall_s": round(wall, 2),
                    "cpu_s": round(cpu, 2),
                }
            )
            print(f"{code:6} run {run}: {wall:6.1f} s wall, {cpu:6.1f} s CPU", flush=True)
    return rows


def _report(rows: list[dict], raw: Path, args, revision: str = "") -> pd.DataFrame:
    table = pd.DataFrame(rows)
    if revision:
        table["revision"] = table["revision"].where(table["code"] == "now", revision)
    print(summary(table).to_string())
    target = args.out or ROOT / "reports" / "benchmarks" / f"build-{raw.name}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(target, index=False)
    print(f"wrote {target}")
    return table


if __name__ == "__main__":
    main()
