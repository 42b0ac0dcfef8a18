"""Killed and concurrent runs: data/processed and reports/ are never left half-written, the next
run finishes the job, and data/raw is only ever read.

Runs are real subprocesses (``python -m helpers ingest|reports``) on a temporary project
(HF_PAPERS_ROOT), killed with SIGKILL at a point found by polling the files they write, never by
a fixed sleep. Reports use two tiny notebooks so each build takes seconds.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.config import ProjectPaths, paths
from helpers.ingest import TABLES, ingest
from helpers.report.runner import build_reports
from helpers.testing.synth import iter_dumps, papers_frame, write_corpus

SEEDS = sorted(paths().raw.glob("*.txt"))
TIMEOUT = 240  # seconds: generous; only a hung run reaches it


def _env(project: ProjectPaths) -> dict[str, str]:
    env = {**os.environ, "HF_PAPERS_ROOT": str(project.root)}
    env.pop("MPLBACKEND", None)
    return env


def _start(project: ProjectPaths, *args: str) -> subprocess.Popen:
    """``python -m helpers ARGS`` in its own process group (so a kill reaches its workers)."""
    return subprocess.Popen(
        [sys.executable, "-m", "helpers", *args],
        env=_env(project),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, err = proc.communicate(timeout=TIMEOUT)
    return proc.returncode, out + err


def _run(project: ProjectPaths, *args: str) -> str:
    code, output = _finish(_start(project, *args))
    assert code == 0, output[-4000:]
    return output


def _kill_when(proc: subprocess.Popen, ready, what: str) -> bool:
    """SIGKILL the process group as soon as ``ready()`` is true. Returns False when the run
    ended first (then there was nothing to interrupt)."""
    deadline = time.monotonic() + TIMEOUT
    while not ready():
        if proc.poll() is not None:
            return False
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.005)
    with contextlib.suppress(ProcessLookupError):  # it ended between the last two looks
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=TIMEOUT)
    return proc.returncode == -signal.SIGKILL


def _snapshot(folder: Path, pattern: str = "*") -> dict[str, bytes]:
    """Bytes of the visible files in ``folder`` (not locks, caches or temporary files)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.glob(pattern))
        if p.is_file() and not p.name.startswith(".")
    }


def _add_synthetic_dumps(project: ProjectPaths, n_dumps: int) -> int:
    """Synthetic dumps dated after the seeds, numbered 100 upwards; returns their papers."""
    settings = {"papers_per_dump": 60, "start_date": "2025-08-01", "seed": 3}
    written = write_corpus(project.root / "staging", n_dumps, **settings)
    for i, path in enumerate(written):
        os.replace(path, project.raw / f"{100 + i:03d}_{path.name.split('_', 1)[1]}")
    return len(papers_frame(iter_dumps(n_dumps, **settings)))


def _check_consistent(processed: Path, raw: Path) -> pd.DataFrame:
    """data/processed is one complete ingest of exactly the files in ``raw``: manifest present,
    every table readable, tables agree with each other and with the manifest."""
    manifest = json.loads((processed / "manifest.json").read_text())
    tables = {name: pd.read_parquet(processed / f"{name}.parquet") for name in TABLES}
    listed = sorted(Path(f["path"]).name for f in manifest["manifest"]["files"])
    assert listed == sorted(p.name for p in raw.glob("*.txt"))
    papers = tables["papers"]
    assert sorted(tables["files"]["dump_file"]) == listed
    assert set(papers["dump_file"]) <= set(listed)
    assert len(tables["papers_unique"]) == papers["paper_id"].nunique()
    assert not list(processed.glob(".*.tmp"))
    return papers


# --- (a) ingest ----------------------------------------------------------------------------


@pytest.mark.parametrize("moment", ["parsing", "writing tables"])
def test_killed_ingest_leaves_processed_whole_and_the_next_run_finishes(project, moment):
    ingest(project.raw, project.processed)
    before = _snapshot(project.processed)
    n_seed_rows = len(pd.read_parquet(project.processed / "papers.parquet"))
    n_new = _add_synthetic_dumps(project, 200)
    cache = project.processed / "cache"
    n_cached = len(list(cache.glob("*.pickle")))

    if moment == "parsing":  # a new dump has been parsed and cached, the tables are not written

        def ready():
            return len(list(cache.glob("*.pickle"))) > n_cached + 5
    else:  # a table is being staged next to the old one

        def ready():
            return any(project.processed.glob(".papers.parquet.*.tmp"))

    proc = _start(project, "ingest", "--force")
    killed = _kill_when(proc, ready, f"ingest to reach {moment}")
    # parsing 200 dumps takes far longer than one poll, so that kill always lands; staging
    # the tables may be over before a poll sees it (then the run simply completed)
    assert killed or moment == "writing tables"

    after = _snapshot(project.processed)
    if moment == "parsing":  # nothing is written next to the tables before parsing ends
        assert after == before
    if after != before and "manifest.json" not in after:
        # killed inside the few renames between dropping the old manifest and writing the new
        # one: ingest() (which load_papers always goes through) sees no manifest and rebuilds,
        # checked by the next run below
        assert killed
    elif after != before:
        # not the old state, so it must be one complete new ingest, never a mix
        assert set(after) >= {f"{t}.parquet" for t in TABLES}, sorted(after)
        assert len(_check_consistent(project.processed, project.raw)) == n_seed_rows + n_new
    else:
        assert killed, "the run ended but data/processed did not change"
        manifest = json.loads(after["manifest.json"])
        assert len(manifest["manifest"]["files"]) == len(SEEDS)
        assert len(pd.read_parquet(project.processed / "papers.parquet")) == n_seed_rows

    output = _run(project, "ingest")
    assert "ingest:" in output
    papers = _check_consistent(project.processed, project.raw)
    assert len(papers) == n_seed_rows + n_new
    assert papers.groupby("dump_file").size().min() > 0


# --- (b, c) reports ------------------------------------------------------------------------

TINY = """import os
import time
from pathlib import Path

from helpers import load_papers, save_table, table_dir

papers = load_papers()
sizes = papers.groupby("dump_file").size().reset_index(name="n")
save_table(sizes, "sizes", table_dir(tables_dir, "{stem}"))
if marker:
    (Path(marker) / "{stem}.pid").write_text(str(os.getpid()))
    time.sleep(pause)
print("papers", len(papers), "label", label)
if marker:
    (Path(marker) / "{stem}.done").write_text("")"""


def _tiny_notebooks(project: ProjectPaths) -> list[str]:
    stems = ["10-alpha", "20-beta"]
    for stem in stems:
        nb = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell(
            'tables_dir: str = ""  # folder for CSV tables\n'
            'marker: str = ""  # folder for a pid file written while running (tests)\n'
            "pause: float = 0.0  # seconds to wait after writing the marker\n"
            'label: str = "first"  # printed, to tell runs apart',
            metadata={"tags": ["parameters"]},
        )
        nb.cells = [
            nbformat.v4.new_markdown_cell(f"# Report {stem}"),
            params,
            nbformat.v4.new_code_cell(TINY.replace("{stem}", stem)),
        ]
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nbformat.write(nb, project.notebooks / f"{stem}.ipynb")
    return stems


def _check_reports(project: ProjectPaths, stems: list[str], label: str) -> None:
    """Every report present and readable, from the same run; the index links only to files
    that exist; no build folder or temporary file left behind."""
    reports = project.reports
    n_rows = len(pd.read_parquet(project.processed / "papers.parquet"))
    for stem in stems:
        text = (reports / f"{stem}.html").read_text(encoding="utf-8")
        assert text.rstrip().endswith("</html>"), f"{stem}.html is cut short"
        assert f"papers {n_rows} label {label}" in text, f"{stem}.html is from another run"
        sizes = pd.read_csv(reports / "tables" / stem / "sizes.csv")
        assert sizes["n"].sum() == n_rows
    index = (reports / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)"', index)
    assert {f"{stem}.html" for stem in stems} <= set(hrefs)
    assert all((reports / href).is_file() for href in hrefs), hrefs
    cache = json.loads((reports / ".report-cache.json").read_text())
    assert set(stems) <= set(cache)
    assert not list(reports.glob(".build-*")) and not list(reports.glob(".*.tmp"))


def _wait_gone(pid: int) -> None:
    """The killed run's kernel exits on its own when its parent dies; make sure of it."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (ProcessLookupError, FileNotFoundError):
            return
        if state == "Z":  # exited, waiting to be reaped by its new parent
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def test_killed_report_run_leaves_previous_reports_and_the_next_run_finishes(project, tmp_path):
    stems = _tiny_notebooks(project)
    _run(project, "reports", "--jobs", "2")
    _check_reports(project, stems, "first")
    before = _snapshot(project.reports, "*.html")
    tables_before = {s: (project.reports / "tables" / s / "sizes.csv").read_bytes() for s in stems}

    marker = tmp_path / "running"
    marker.mkdir()
    proc = _start(
        project,
        "reports",
        "--force",
        "--jobs",
        "2",
        "-p",
        f"marker={marker}",
        "-p",
        "20-beta:pause=600",
        "-p",
        "label=killed",
    )
    # kill once 10-alpha has finished and 20-beta is running: a run that promoted each report
    # as soon as it was ready would have replaced 10-alpha.html by now
    assert _kill_when(
        proc,
        lambda: (marker / "10-alpha.done").exists() and (marker / "20-beta.pid").exists(),
        "10-alpha to finish and 20-beta to start",
    )
    for pid_file in marker.glob("*.pid"):
        if pid_file.read_text():
            _wait_gone(int(pid_file.read_text()))

    assert _snapshot(project.reports, "*.html") == before
    for stem in stems:
        assert (project.reports / "tables" / stem / "sizes.csv").read_bytes() == tables_before[
            stem
        ]

    _run(project, "reports", "--force", "--jobs", "2", "-p", "label=third")
    _check_reports(project, stems, "third")
    assert not (project.reports / "failed").exists()


def test_two_report_runs_at_once_both_succeed_and_leave_consistent_reports(project):
    stems = _tiny_notebooks(project)
    runs = [
        _start(project, "reports", "--force", "--jobs", "1", "-p", "label=same") for _ in range(2)
    ]
    results = [_finish(run) for run in runs]
    for code, output in results:
        assert code == 0, output[-4000:]
    # the lock made them take turns: both built every notebook, one after the other
    assert all("executed ['10-alpha', '20-beta']" in output for _, output in results)
    _check_reports(project, stems, "same")
    _check_consistent(project.processed, project.raw)


# --- (d) raw data --------------------------------------------------------------------------


def _raw_state(raw: Path) -> dict[str, tuple[int, str]]:
    """Modification time and content hash of everything under data/raw (folders: time only)."""
    return {
        p.relative_to(raw).as_posix(): (
            p.stat().st_mtime_ns,
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder",
        )
        for p in sorted(raw.rglob("*"))
    }


def test_ingest_and_reports_never_write_raw_data(project):
    stems = _tiny_notebooks(project)
    (project.raw / "sub").mkdir()
    (project.raw / "sub" / "009_notes.txt").write_text("just notes, not a dump\n")
    before = _raw_state(project.raw)
    dir_mtime = project.raw.stat().st_mtime_ns

    _run(project, "ingest")
    _run(project, "reports", "--force", "--jobs", "2")
    _check_reports(project, stems, "first")

    assert _raw_state(project.raw) == before
    assert project.raw.stat().st_mtime_ns == dir_mtime  # nothing created or removed in it


# --- crashes at each rename (fault injection, in-process) -----------------------------------
# A SIGKILL lands at a random point; these tests stop a run exactly at the k-th rename that
# moves a finished file into place, where the window between two renames is too short to hit
# with a signal. ``Killed`` is a BaseException, so no ``except Exception`` in the code catches it.


class Killed(BaseException):
    """Stands for the process dying at this point."""


def _crash_at_rename(monkeypatch, k: int, counts) -> list[str]:
    """Make the k-th ``os.replace`` for which ``counts(src, dst)`` is true die instead."""
    real = os.replace
    seen: list[str] = []

    def replace(src, dst, *args, **kwargs):
        if counts(str(src), str(dst)):
            seen.append(str(dst))
            if len(seen) == k:
                raise Killed(f"killed before renaming onto {dst}")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return seen


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_ingest_killed_between_table_renames_is_never_trusted_and_is_rebuilt(
    project, monkeypatch, k
):
    ingest(project.raw, project.processed)
    before = _snapshot(project.processed)
    extra = project.raw / "005_extra.txt"
    extra.write_text(SEEDS[0].read_text().replace("Mar 11", "Aug 2"))

    with monkeypatch.context() as m:
        _crash_at_rename(m, k, lambda src, dst: dst.endswith(".parquet"))
        with pytest.raises(Killed):
            ingest(project.raw, project.processed)

    after = _snapshot(project.processed)
    for name in TABLES:  # every table file is whole (old or new), never half-written
        pd.read_parquet(project.processed / f"{name}.parquet")
    # k=1: no table replaced yet, but the old manifest is already gone; k>1: old and new
    # tables are mixed. In both cases no manifest vouches for them, so nothing reuses them.
    assert "manifest.json" not in after
    assert after != before or k == 1

    result = ingest(project.raw, project.processed)
    assert not result.skipped
    papers = _check_consistent(project.processed, project.raw)
    assert len(papers) == 107 + 35


def test_report_run_killed_between_promote_renames_is_repaired_by_the_next_run(
    project, monkeypatch
):
    monkeypatch.setattr("helpers.report.runner.code_fingerprint", lambda: "fixed")
    stems = _tiny_notebooks(project)
    build_reports(project, jobs=1)
    _check_reports(project, stems, "first")

    # the second run (other parameters) dies after moving 10-alpha's executed notebook and HTML
    # into place and its old tables out, before moving its new tables in
    with monkeypatch.context() as m:
        moved = _crash_at_rename(m, 4, lambda src, dst: "/.build-" in src + dst)
        with pytest.raises(Killed):
            build_reports(project, parameters={"*": {"label": "second"}}, jobs=1)
    assert moved[-1].endswith("tables/10-alpha")
    for stem in stems:  # each report file is whole, whichever run it comes from
        assert (project.reports / f"{stem}.html").read_text().rstrip().endswith("</html>")

    build_reports(project, jobs=1)  # the previous parameters again
    _check_reports(project, stems, "first")
