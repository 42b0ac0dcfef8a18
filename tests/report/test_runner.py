"""The report runner: the cache's code fingerprint (the package's code and data that reports
use, not its test support: editing the synthetic corpus generator re-runs no report), the order
notebooks start in, and the threads their kernels may use."""

from __future__ import annotations

import shutil
from pathlib import Path

import helpers
from helpers.report.notebook import code_fingerprint

PACKAGE = Path(helpers.__file__).resolve().parent


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "helpers"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_the_fingerprint_is_the_installed_package_by_default(tmp_path):
    assert code_fingerprint() == code_fingerprint(_copy(tmp_path))


def test_editing_test_support_keeps_the_fingerprint(tmp_path):
    package = _copy(tmp_path)
    before = code_fingerprint(package)
    synth = package / "testing" / "synth.py"
    synth.write_text(synth.read_text() + "\n# edited\n")
    (package / "testing" / "new_corpus.py").write_text("X = 1\n")
    assert code_fingerprint(package) == before


def test_editing_code_data_or_a_template_changes_the_fingerprint(tmp_path):
    package = _copy(tmp_path)
    seen = {code_fingerprint(package)}
    for path in (
        package / "analysis" / "terms.py",
        package / "data" / "venues.csv",
        package / "report" / "templates" / "index.html.j2",
    ):
        path.write_text(path.read_text() + "\n")
        seen.add(code_fingerprint(package))
    assert len(seen) == 4


# --------------------------------------------------------------------------------------------
# scheduling: with two workers, the long notebooks must not start last


def _notebook(folder: Path, stem: str, cost: float | None) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    if cost is not None:
        nb.metadata["hf_papers"] = {"cost": cost}
    path = folder / f"{stem}.ipynb"
    nbformat.write(nb, path)
    return path


def test_notebooks_run_longest_first_by_declared_cost(tmp_path):
    from helpers.report.runner import expected_cost, lanes

    runs = [(_notebook(tmp_path, s, c), {}) for s, c in (("a", 5), ("b", None), ("c", 20))]
    assert [expected_cost(nb) for nb, _ in runs] == [5.0, 1.0, 20.0]
    (lane,) = lanes(runs, cache={}, jobs=1)  # one lane: every notebook, in running order
    assert [nb.stem for nb, _ in lane] == ["c", "a", "b"]


def test_recorded_seconds_replace_declared_costs_only_when_every_notebook_has_them(tmp_path):
    from helpers.report.runner import lanes

    runs = [(_notebook(tmp_path, s, c), {}) for s, c in (("a", 5), ("b", 1), ("c", 20))]
    timed = {"a": {"seconds": 3.0}, "b": {"seconds": 9.0}, "c": {"seconds": 4.0}}
    assert [nb.stem for nb, _ in lanes(runs, timed, jobs=1)[0]] == ["b", "c", "a"]
    partly = {"b": {"seconds": 99.0}}  # seconds and relative costs are not mixed
    assert [nb.stem for nb, _ in lanes(runs, partly, jobs=1)[0]] == ["c", "a", "b"]


def test_the_shipped_notebooks_declare_their_cost():
    from helpers.report.runner import expected_cost

    shipped = sorted((PACKAGE.parents[1] / "notebooks").glob("[0-9]*.ipynb"))
    assert shipped and all(expected_cost(nb) > 1 for nb in shipped)


def test_parallel_kernels_share_the_cores_unless_the_user_chose(monkeypatch):
    from helpers.report.runner import THREAD_VARIABLES, thread_limits

    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert set(thread_limits(2, cpus=8).values()) == {"4"}
    assert set(thread_limits(5, cpus=2).values()) == {"1"}
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert "OMP_NUM_THREADS" not in thread_limits(2, cpus=8)


def test_lanes_put_the_long_notebooks_apart_and_fill_the_lightest_lane(tmp_path):
    from helpers.report.runner import lanes

    costs = (("a", 19), ("b", 16), ("c", 10), ("d", 5), ("e", 3.5))
    runs = [(_notebook(tmp_path, s, c), {}) for s, c in costs]
    planned = [[nb.stem for nb, _ in lane] for lane in lanes(runs, {}, jobs=2)]
    assert planned == [["a", "d", "e"], ["b", "c"]]
    assert [[nb.stem for nb, _ in lane] for lane in lanes(runs, {}, jobs=9)] == [
        [s] for s, _ in costs
    ]
    assert len(lanes(runs[:1], {}, jobs=2)) == 1


def test_kernels_keep_freed_memory_unless_the_user_set_the_allocator(monkeypatch):
    from helpers.report.runner import ALLOCATOR, allocator_settings

    monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    assert allocator_settings() == ALLOCATOR
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "dirty_decay_ms:1000")
    assert allocator_settings() == {}


def _index(project, years):
    from helpers.report.notebook import save_headline
    from helpers.report.runner import write_index

    reports = project.reports
    (reports / "tables" / "00-overview").mkdir(parents=True)
    (reports / "00-overview.html").write_text("<html></html>", encoding="utf-8")
    corpus = {"papers": 3, "paper_rows": 3, "dumps": 1, "rejects_to_check": 0, "files_refused": 0}
    save_headline(["3 papers."], reports / "tables" / "00-overview", corpus=corpus)
    cache = {"00-overview": {"title": "Overview", "run_at": "now", "seconds": 1}}
    return write_index(project, cache, ["00-overview"], [], years).read_text(encoding="utf-8")


def test_the_index_shows_a_guessed_year_in_the_warning_colour_and_a_decided_one_plainly(project):
    from helpers.ingest.years import YearChoice

    guess = YearChoice([2026], "the latest year not after today; set first_year", "calendar", True)
    page = _index(project, guess)
    assert '<dd class="warn">the latest year not after today; set first_year</dd>' in page
    shutil.rmtree(project.reports)
    decided = YearChoice([2024], "the years the papers name decided", "text")
    assert "<dd>the years the papers name decided</dd>" in _index(project, decided)
