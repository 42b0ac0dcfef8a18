"""Ingest and report runner on small temporary projects."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.config import paths
from helpers.ingest import ingest
from helpers.report.runner import ReportError, build_reports

SEEDS = sorted(paths().raw.glob("*.txt"))


def test_ingest_writes_tables_then_skips_until_raw_changes(project):
    first = ingest(project.raw, project.processed)
    assert not first.skipped and len(first.parsed) == 2
    papers = pd.read_parquet(first.outputs["papers"])
    assert len(papers) == 107
    assert len(pd.read_parquet(first.outputs["papers_unique"])) == papers["paper_id"].nunique()

    again = ingest(project.raw, project.processed)
    assert again.skipped and again.parsed == []

    # a new dump re-parses only itself
    extra = project.raw / "005_extra.txt"
    extra.write_text(SEEDS[0].read_text().replace("Mar 11", "Aug 2"))
    third = ingest(project.raw, project.processed)
    assert not third.skipped and third.parsed == [str(extra)]
    assert len(pd.read_parquet(third.outputs["papers"])) == 107 + 35


def test_ingest_lists_a_file_that_is_not_a_dump_and_keeps_the_rest(project, capsys):
    (project.raw / "009_notes.txt").write_text("just some notes\n")
    result = ingest(project.raw, project.processed)
    assert len(result.file_errors) == 1 and "009_notes.txt" in result.file_errors[0]
    assert "no date header" in capsys.readouterr().err
    rejects = pd.read_parquet(result.outputs["rejects"])
    assert (rejects["severity"] == "error").sum() == 1
    assert len(pd.read_parquet(result.outputs["papers"])) == 107


def _notebook(path, body: str, title: str = "# Tiny report") -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'tables_dir: str = ""  # folder for CSV tables\nfactor: int = 2  # a multiplier',
        metadata={"tags": ["parameters"]},
    )
    nb.cells = [nbformat.v4.new_markdown_cell(title), params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


GOOD = """from helpers import load_papers, save_table, table_dir
papers = load_papers()
save_table(papers.groupby("dump_file").size().mul(factor).reset_index(name="n"), "sizes",
           table_dir(tables_dir, "10-tiny"))
print("papers", len(papers))"""


def test_reports_build_index_and_reuse_unchanged_notebooks(project, monkeypatch):
    # other work may edit src/helpers meanwhile; hold the code fingerprint still for this test
    monkeypatch.setattr("helpers.report.runner.code_fingerprint", lambda: "fixed")
    _notebook(project.notebooks / "10-tiny.ipynb", GOOD)
    first = build_reports(project, jobs=1)
    assert first.executed == ["10-tiny"]
    html = (project.reports / "10-tiny.html").read_text()
    assert "papers 107" in html
    assert "factor=" not in html  # code is hidden
    index = first.index.read_text()
    assert 'href="10-tiny.html"' in index and "Tiny report" in index
    assert 'href="tables/10-tiny/sizes.csv"' in index
    sizes = pd.read_csv(project.reports / "tables" / "10-tiny" / "sizes.csv")
    assert sorted(sizes["n"]) == [70, 144]

    second = build_reports(project, jobs=1)
    assert second.executed == [] and second.reused == ["10-tiny"]

    third = build_reports(project, parameters={"10-tiny": {"factor": 3}}, jobs=1)
    assert third.executed == ["10-tiny"]
    assert sorted(pd.read_csv(project.reports / "tables" / "10-tiny" / "sizes.csv")["n"]) == [
        105,
        216,
    ]
    assert "factor=3" in third.index.read_text()


def test_a_failing_notebook_names_the_cell_and_leaves_previous_reports(project):
    _notebook(project.notebooks / "10-tiny.ipynb", GOOD)
    build_reports(project, jobs=1)
    before = (project.reports / "10-tiny.html").read_bytes()

    _notebook(project.notebooks / "10-tiny.ipynb", "raise ValueError('planted failure')")
    with pytest.raises(ReportError) as info:
        build_reports(project, jobs=1)
    message = str(info.value)
    assert "10-tiny.ipynb: cell 3 failed" in message and "planted failure" in message
    assert info.value.notebook.endswith("10-tiny.ipynb") and info.value.cell == 3
    assert info.value.executed == str(project.reports / "failed" / "10-tiny.ipynb")
    assert (project.reports / "failed" / "10-tiny.ipynb").exists()
    assert (project.reports / "10-tiny.html").read_bytes() == before
    assert not list(project.reports.glob(".build-*"))


LEAKY = """import os, warnings
import matplotlib.pyplot as plt
import pandas as pd
leaked = 1
plt.rcParams["lines.linewidth"] = 9
pd.set_option("display.max_rows", 3)
warnings.simplefilter("error")
plt.figure()
print("pid", os.getpid())"""

CLEAN = """import os, warnings
import matplotlib.pyplot as plt
import pandas as pd
print("pid", os.getpid())
print("leaked" in globals(), plt.rcParams["lines.linewidth"], pd.get_option("display.max_rows"),
      len(plt.get_fignums()), warnings.filters[0][0] == "error")"""


def _printed(project, stem: str) -> list[str]:
    nb = nbformat.read(project.reports / "executed" / f"{stem}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    return "".join(o.get("text", "") for o in code[-1].outputs).split("\n"), code[-1]


def test_reports_sharing_a_kernel_do_not_see_each_other(project):
    _notebook(project.notebooks / "10-leaky.ipynb", LEAKY)
    _notebook(project.notebooks / "11-clean.ipynb", CLEAN)
    result = build_reports(project, jobs=1)  # one worker: both notebooks in one kernel
    assert sorted(result.executed) == ["10-leaky", "11-clean"]
    leaky, _ = _printed(project, "10-leaky")
    clean, cell = _printed(project, "11-clean")
    assert leaky[0] == clean[0]  # the same kernel process ran both
    assert clean[1] == "False 1.5 60 0 False"  # no variable, setting, figure or filter leaked
    assert cell.execution_count <= 3  # cells counted from 1 again, as in a new kernel


TUNED = """import gc, os
print(gc.get_threshold(), gc.get_freeze_count() > 1000, os.environ.get("_RJEM_MALLOC_CONF"))"""


def test_report_kernels_collect_garbage_rarely_and_keep_freed_memory(project, monkeypatch):
    from helpers.report.notebook import COLLECTOR_THRESHOLD
    from helpers.report.runner import ALLOCATOR

    monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    _notebook(project.notebooks / "10-tuned.ipynb", TUNED)
    build_reports(project, jobs=1)
    printed, _ = _printed(project, "10-tuned")
    # the imports made before the notebook are frozen out of the collector's walks
    assert printed[0] == f"{COLLECTOR_THRESHOLD} True {ALLOCATOR['_RJEM_MALLOC_CONF']}"


def test_a_kernel_that_dies_is_replaced_for_the_next_report(project):
    _notebook(project.notebooks / "10-dies.ipynb", "import os\nos._exit(1)")
    _notebook(project.notebooks / "11-tiny.ipynb", GOOD)
    with pytest.raises(ReportError) as info:
        build_reports(project, jobs=1)
    assert info.value.notebook.endswith("10-dies.ipynb") and not info.value.others


def _kernel_processes() -> set[int]:
    found = set()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if b"ipykernel_launcher" in (proc / "cmdline").read_bytes():
                found.add(int(proc.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="counts kernels through /proc (Linux)")
def test_kernels_started_ahead_of_a_cold_build_are_all_stopped(project):
    _notebook(project.notebooks / "10-tiny.ipynb", GOOD)
    _notebook(project.notebooks / "11-clean.ipynb", CLEAN)
    before = _kernel_processes()
    build_reports(project, jobs=2)
    (project.reports / "11-clean.html").unlink()  # a cold build again: two kernels warm up
    again = build_reports(project, jobs=2)
    assert again.executed == ["11-clean"]  # one lane: the other warm kernel had no work
    assert _kernel_processes() <= before
