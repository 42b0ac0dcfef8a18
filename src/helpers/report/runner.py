"""Build the HTML reports: every notebook through papermill, then nbconvert, then an index.

- Notebooks run in ``jobs`` parallel lanes, each lane one kernel that runs its notebooks one
  after another (reset between them), into a private build folder; only when all of them
  succeed are the results moved into reports/, so a failed or killed run leaves the previous
  reports in place. A lock keeps two runs from interleaving.
- A notebook whose source, parameters, processed data and helpers code are unchanged since its
  last successful run is not executed again.
- HTML is exported with the code hidden and output HTML sanitised (no script from the data runs).

>>> build_reports()  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock

from helpers.config import ProjectPaths, paths
from helpers.errors import ReportError
from helpers.ingest.store import write_text
from helpers.ingest.years import YearChoice
from helpers.report.kernels import (
    TEMPLATES,
    run_lane,
    skip_slow_imports,
    warm_up,
)
from helpers.report.notebook import code_fingerprint, read_headline

CACHE_FILE = ".report-cache.json"


@dataclass
class ReportResult:
    index: Path
    executed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


def notebooks(project: ProjectPaths) -> list[Path]:
    """The report notebooks, in name order (NN- prefixes order them)."""
    return sorted(p for p in project.notebooks.glob("*.ipynb") if not p.name.startswith("."))


def _run_key(notebook: Path, parameters: dict, data_fingerprint: str, code: str) -> str:
    digest = hashlib.sha256()
    digest.update(notebook.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True, default=str).encode())
    digest.update(data_fingerprint.encode())
    digest.update(code.encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def build_reports(
    project: ProjectPaths | None = None,
    parameters: dict[str, dict] | None = None,
    jobs: int | None = None,
    force: bool = False,
    only: list[str] | None = None,
    first_year: int | str | None = None,
) -> ReportResult:
    """Ingest the dumps, run the notebooks, export HTML, write index.html.

    ``parameters`` maps a notebook stem (or ``"*"`` for all) to papermill parameters;
    ``first_year`` goes to ``ingest`` (None: the year choice recorded there or the settings').
    Raises :class:`helpers.errors.ReportError` (its notebook, cell and executed copy as
    attributes) when a notebook fails; the previous reports stay in place.
    """
    from helpers.ingest import ingest

    project = project or paths()
    parameters = parameters or {}
    reports = project.reports
    reports.mkdir(parents=True, exist_ok=True)

    with FileLock(str(reports / ".reports.lock")), contextlib.ExitStack() as stack:
        selected = [nb for nb in notebooks(project) if not only or nb.stem in only]
        if not selected:
            raise ReportError(f"no notebooks to run in {project.notebooks} (only={only})")
        cache_path = reports / CACHE_FILE
        cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(selected)))
        # a report that was never built will run: its kernels start while the dumps are read
        cold = force or any(
            nb.stem not in cache or not (reports / f"{nb.stem}.html").exists() for nb in selected
        )
        pool = stack.enter_context(_workers(project, jobs, warm=True)) if cold else None
        result = ingest(first_year=first_year, project=project)
        if result.years.warning:  # every build says so while the years are a guess
            print(f"warning: {result.years.warning}", file=sys.stderr)
        data_fp = (project.processed / "manifest.json").read_text()
        code_fp = code_fingerprint()
        _remove_stale_builds(reports)
        build = reports / f".build-{os.getpid()}-{int(time.time())}"
        build.mkdir()
        try:
            plan = []
            for nb in selected:
                params = {**parameters.get("*", {}), **parameters.get(nb.stem, {})}
                key = _run_key(nb, params, data_fp, code_fp)
                fresh = (reports / f"{nb.stem}.html").exists() and cache.get(nb.stem, {}).get(
                    "key"
                ) == key
                plan.append((nb, params, key, fresh and not force))

            to_run = [(nb, p) for nb, p, _, fresh in plan if not fresh]
            outcomes = _run_all(to_run, build, project, jobs, cache, pool)
            failures = [ReportError(**o["error"]) for o in outcomes.values() if "error" in o]
            if failures:
                first, *others = failures
                raise ReportError(
                    first.reason,
                    first.notebook,
                    first.cell,
                    first.executed,
                    first.cell_start,
                    others=tuple(others),
                    previous=any((reports / f"{nb.stem}.html").exists() for nb in selected),
                )
            for nb, params, key, fresh in plan:
                if fresh:
                    continue
                cache[nb.stem] = {
                    "key": key,
                    "title": outcomes[nb.stem]["title"],
                    "parameters": params,
                    "run_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                    "seconds": outcomes[nb.stem]["seconds"],
                }
            promoted = [nb.stem for nb, *_, fresh in plan if not fresh]
            # Forget the promoted reports first: a run killed half-way through the moves
            # leaves them unvouched for, so the next run rebuilds them instead of reusing a mix.
            on_disk = {k: v for k, v in cache.items() if k not in promoted}
            write_text(cache_path, json.dumps(on_disk, indent=2))
            _promote(build, reports, promoted)
            write_text(cache_path, json.dumps(cache, indent=2))
            index = write_index(
                project,
                cache,
                [nb.stem for nb in notebooks(project)],
                result.file_errors,
                result.years,
            )
        finally:
            shutil.rmtree(build, ignore_errors=True)
    return ReportResult(
        index=index,
        executed=[nb.stem for nb, *_, fresh in plan if not fresh],
        reused=[nb.stem for nb, *_, fresh in plan if fresh],
    )


def expected_cost(notebook: Path) -> float:
    """The run time a notebook declares in its metadata (``hf_papers.cost``: seconds on the
    580-dump real corpus, a guide for ordering only), 1 when it declares none."""
    skip_slow_imports()
    import nbformat

    meta = nbformat.read(notebook, as_version=4).metadata
    return float(meta.get("hf_papers", {}).get("cost", 1))


def _longest_first(
    to_run: list[tuple[Path, dict]], cache: dict
) -> list[tuple[tuple[Path, dict], float]]:
    """``to_run`` with the longest notebooks first (with two workers the long ones must not
    start last: the 580-dump build was 5 s slower in name order), each with its expected
    seconds: those of its last run when every notebook has run before, else
    :func:`expected_cost` (seconds and declared costs are not mixed)."""
    recorded = [cache.get(nb.stem, {}).get("seconds") for nb, _ in to_run]
    if all(s is not None for s in recorded):
        costs = recorded
    else:
        costs = [expected_cost(nb) for nb, _ in to_run]
    order = sorted(range(len(to_run)), key=lambda i: (-costs[i], to_run[i][0].name))
    return [(to_run[i], costs[i]) for i in order]


def lanes(
    to_run: list[tuple[Path, dict]], cache: dict, jobs: int
) -> list[list[tuple[Path, dict]]]:
    """``to_run`` split into at most ``jobs`` lanes, each run in one kernel: longest first,
    each onto the lane with the least expected time so far (costs as in :func:`_longest_first`);
    one lane holds them all in longest-first order.
    """
    out: list[list[tuple[Path, dict]]] = [[] for _ in range(max(1, jobs))]
    loads = [0.0] * len(out)
    for item, cost in _longest_first(to_run, cache):
        lightest = loads.index(min(loads))
        out[lightest].append(item)
        loads[lightest] += cost
    return [lane for lane in out if lane]


def _remove_stale_builds(reports: Path) -> None:
    """Build folders and temporary files of runs that were killed. Only called while holding
    the reports lock, so no other run is using them."""
    for item in reports.glob(".build-*"):
        shutil.rmtree(item, ignore_errors=True)
    for item in reports.glob(".*.tmp"):
        item.unlink(missing_ok=True)


def _workers(project: ProjectPaths, jobs: int, warm: bool = False) -> ProcessPoolExecutor:
    """The worker processes lanes run in, ``jobs`` of them; ``warm``: each starts its kernel
    at once (:func:`warm_up`). Kernels find the same project, dumps and processed tables
    through their environment, set in the worker processes only."""
    env = {"HF_PAPERS_ROOT": str(project.root)}
    if project.raw_dir:
        env["HF_PAPERS_RAW"] = str(project.raw_dir)
    if project.out_dir:
        env["HF_PAPERS_OUT"] = str(project.out_dir)
    env.update(thread_limits(jobs))
    env.update(allocator_settings())
    skip_slow_imports()
    import papermill  # noqa: F401  imported once here: forked workers inherit it

    pool = ProcessPoolExecutor(jobs, initializer=_set_environment, initargs=(env,))
    if warm:
        for _ in range(jobs):
            pool.submit(warm_up, str(project.notebooks))
    return pool


def _run_all(
    to_run,
    build: Path,
    project: ProjectPaths,
    jobs: int,
    cache: dict,
    pool: ProcessPoolExecutor | None = None,
) -> dict[str, dict]:
    if not to_run:
        return {}
    (build / "executed").mkdir()
    planned = lanes(to_run, cache, jobs)  # at most one lane per notebook: none is empty
    work = [
        [
            (
                str(nb),
                str(build / "executed" / f"{nb.stem}.ipynb"),
                {**params, "tables_dir": str(build / "tables" / nb.stem)},
                str(project.notebooks),
            )
            for nb, params in lane
        ]
        for lane in planned
    ]
    print(
        f"running {len(to_run)} notebook(s) in {len(planned)} kernel(s): "
        + "; ".join(", ".join(nb.stem for nb, _ in lane) for lane in planned),
        file=sys.stderr,
    )
    if pool is None:
        with _workers(project, len(work)) as own:
            results = list(own.map(run_lane, work))
    else:
        results = list(pool.map(run_lane, work))
    return {
        nb.stem: outcome
        for lane, lane_results in zip(planned, results, strict=True)
        for (nb, _), outcome in zip(lane, lane_results, strict=True)
    }


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def thread_limits(jobs: int, cpus: int | None = None) -> dict[str, str]:
    """Thread counts for the math libraries of kernels running ``jobs`` at a time: the cores
    shared between them, so parallel notebooks do not oversubscribe the machine (BLAS threads
    fighting over two cores made the 580-dump build 7 s slower). Variables the user has set
    are left as they are.

    >>> thread_limits(2, cpus=2)["OPENBLAS_NUM_THREADS"]
    '1'
    """
    cpus = cpus or os.cpu_count() or 1
    share = str(max(1, cpus // max(1, jobs)))
    return {name: share for name in THREAD_VARIABLES if not os.environ.get(name)}


ALLOCATOR = {
    # polars' jemalloc keeps the pages it freed instead of handing them back to the system
    # and faulting them in again for the next frame: half the page faults, a tenth less
    # time in the counting steps of the 580-dump build (kernels live for one build only)
    "_RJEM_MALLOC_CONF": "dirty_decay_ms:-1,muzzy_decay_ms:-1",
}


def allocator_settings() -> dict[str, str]:
    """Memory allocator settings for the report kernels (:data:`ALLOCATOR`), except those
    the user has set."""
    return {name: value for name, value in ALLOCATOR.items() if not os.environ.get(name)}


def _set_environment(env: dict[str, str]) -> None:
    """Worker process start (a child process: the caller's environment is never written):
    what its notebook kernels inherit. Figures are only embedded in the HTML with the inline
    backend, so a stray MPLBACKEND=Agg inherited from the caller is dropped here."""
    os.environ.pop("MPLBACKEND", None)
    os.environ.update(env)


def _promote(build: Path, reports: Path, stems: list[str]) -> None:
    """Move fresh outputs into reports/ (each a rename, so readers never see half a file)."""
    (reports / "executed").mkdir(exist_ok=True)
    (reports / "tables").mkdir(exist_ok=True)
    for stem in stems:
        os.replace(build / "executed" / f"{stem}.ipynb", reports / "executed" / f"{stem}.ipynb")
        os.replace(build / f"{stem}.html", reports / f"{stem}.html")
        new_tables = build / "tables" / stem
        old_tables = reports / "tables" / stem
        if old_tables.exists():
            trash = build / f"old-tables-{stem}"
            os.replace(old_tables, trash)
        if new_tables.exists():
            os.replace(new_tables, old_tables)


def write_index(
    project: ProjectPaths,
    cache: dict,
    stems: list[str],
    file_errors: list[str],
    years: YearChoice | None = None,
) -> Path:
    """reports/index.html from templates/index.html.j2: the corpus (from the overview's
    headline), then each report's headline lines linked to their sections, its run date,
    parameters and CSV tables."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    reports = project.reports
    entries = []
    corpus = {}
    for stem in stems:
        entry = cache.get(stem)
        if not entry or not (reports / f"{stem}.html").exists():
            continue
        headline = read_headline(reports / "tables" / stem)
        corpus = corpus or headline.get("corpus", {})
        params = entry.get("parameters") or {}
        entries.append(
            {
                "stem": stem,
                "title": entry["title"],
                "run_at": entry["run_at"],
                "seconds": entry["seconds"],
                "parameters": ", ".join(f"{k}={v!r}" for k, v in sorted(params.items()))
                or "notebook defaults",
                "lines": headline.get("lines", []),
                "tables": [t.name for t in sorted((reports / "tables" / stem).glob("*.csv"))],
                "figures": [f.name for f in sorted((reports / "tables" / stem).glob("*.svg"))],
            }
        )
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    page = env.get_template("index.html.j2").render(
        built=time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        raw=str(project.raw),
        corpus=corpus,
        reports=entries,
        file_errors=file_errors,
        years=years or YearChoice([], "", ""),
    )
    target = reports / "index.html"
    write_text(target, page)
    return target
