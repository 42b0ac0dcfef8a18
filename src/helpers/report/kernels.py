"""Running report notebooks in kernels, inside the report builder's worker processes: a
lane of notebooks in one kernel, reset between them, each executed by papermill and exported
to HTML with its headline on top. The builder (:mod:`helpers.report.runner`) plans the lanes.
"""

from __future__ import annotations

import html
import os
import sys
import time
from pathlib import Path

from helpers.report.notebook import read_headline

TEMPLATES = Path(__file__).resolve().parent / "templates"


def skip_slow_imports() -> None:
    """jsonschema (under nbformat, under papermill and nbconvert) imports rfc3987_syntax when
    it is installed, only to check "iri" string formats that notebooks never use; building
    its grammar takes seconds in every process. Marking it absent makes jsonschema skip it."""
    sys.modules.setdefault("rfc3987_syntax", None)


# Run in the kernel before each notebook of a lane: the user namespace emptied, then what the
# previous notebook changed put back (helpers.report.notebook.session_checkpoint), then what
# is alive set aside from garbage collection (quiet_collector).
SESSION_RESET = """%matplotlib inline
%reset -f
import helpers.report.notebook as _hf_session
_hf_session.session_checkpoint()
_hf_session.quiet_collector()
del _hf_session
"""


def run_lane(lane: list[tuple[str, str, dict, str]]) -> list[dict]:
    """Run the notebooks of one worker one after another in one kernel (in a worker process):
    a kernel start and the imports of pandas, matplotlib, scikit-learn and the helpers cost
    2-5 s, paid once per worker instead of once per report. Between two notebooks the kernel
    is reset to how a new one starts (:data:`SESSION_RESET`); a kernel that died is replaced."""
    from jupyter_core.utils import run_sync

    global _KERNEL, _KERNEL_READY
    km, _KERNEL = _KERNEL, None  # warmed up while the dumps were read, or None
    ready, _KERNEL_READY = _KERNEL_READY, False  # reset by the warm-up, nothing run since
    outcomes = []
    try:
        for notebook, output, parameters, cwd in lane:
            if km is None or not run_sync(km.is_alive)():
                if km is not None:
                    run_sync(km.shutdown_kernel)(now=True)
                km, ready = _start_kernel(cwd), False
            problem = None if ready else _reset_session(km)
            ready = False
            if problem:
                outcomes.append({"error": {"reason": problem, "notebook": notebook}})
                continue
            outcomes.append(_execute(notebook, output, parameters, cwd, km))
            print(f"  {Path(notebook).stem}: {_outcome_text(outcomes[-1])}", file=sys.stderr)
    finally:
        if km is not None:
            run_sync(km.shutdown_kernel)(now=True)
    return outcomes


_KERNEL = None  # a worker's kernel, started by warm_up before its lane is known
_KERNEL_READY = False  # ... and reset there (SESSION_RESET) without an error


def _start_kernel(cwd: str):
    """A kernel that talks to this process over Unix sockets (IPC) under the temporary folder:
    over TCP, ipykernel warns on every start that the traffic is not encrypted. Its socket
    files are named for this process and removed when the kernel is shut down."""
    import tempfile
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    name = f"hf-papers-kernel-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    sockets = Path(tempfile.gettempdir()) / name
    km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(sockets))
    run_sync(km.start_kernel)(cwd=cwd, extra_arguments=["--HistoryManager.hist_file=:memory:"])
    return km


def warm_up(cwd: str) -> None:
    """In a worker, while the parent still reads the dumps (one core is free then): start the
    kernel its lane will use, import pandas and matplotlib in it (:data:`SESSION_RESET`) and
    nbconvert here. A kernel no lane takes is shut down when the worker exits."""
    global _KERNEL, _KERNEL_READY
    if _KERNEL is None:
        from multiprocessing.util import Finalize

        _KERNEL = _start_kernel(cwd)
        # not raised here: after a failure the lane resets the kernel again and reports why
        _KERNEL_READY = _reset_session(_KERNEL) is None
        Finalize(None, _stop_warm_kernel, exitpriority=10)
    skip_slow_imports()
    from nbconvert import HTMLExporter  # noqa: F401


def _stop_warm_kernel() -> None:
    global _KERNEL
    if _KERNEL is not None:
        from jupyter_core.utils import run_sync

        run_sync(_KERNEL.shutdown_kernel)(now=True)
        _KERNEL = None


def _outcome_text(outcome: dict) -> str:
    if "error" in outcome:
        return "failed: " + outcome["error"]["reason"].splitlines()[0][:100]
    return f"{outcome['seconds']} s"


def _reset_session(km) -> str | None:
    """Run :data:`SESSION_RESET` in ``km``'s kernel; None, or why it failed."""
    client = km.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        reply = client.execute_interactive(
            SESSION_RESET, store_history=False, timeout=120, output_hook=lambda msg: None
        )
    except Exception as exc:  # the kernel did not answer
        return f"the report kernel could not be prepared: {type(exc).__name__}: {exc}"
    finally:
        client.stop_channels()
    content = reply["content"]
    if content["status"] != "ok":
        return (
            "the report kernel could not be prepared: "
            f"{content.get('ename')}: {content.get('evalue')}"
        )
    return None


def _execute(notebook: str, output: str, parameters: dict, cwd: str, km) -> dict:
    """Run one notebook (in a worker process, in the lane's kernel ``km``) and export
    its HTML next to the executed folder, with the headline its run recorded in its tables
    folder at the top. Returns timing and title, or the failure as text."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    started = time.time()
    try:
        pm.execute_notebook(
            notebook,
            output,
            parameters=parameters,
            cwd=cwd,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            km=km,
            # written once at the end: papermill's save before and after every cell
            # serialised the notebook, images and all, 2 x cells times (2-3 s a report)
            request_save_on_cell_execute=False,
            shutdown_kernel="immediate",  # every output is in by then; a polite stop takes ~1 s
        )
    except PapermillExecutionError as exc:
        source = exc.source.strip().splitlines()
        return {
            "error": {
                "reason": f"{exc.ename}: {exc.evalue}",
                "notebook": notebook,
                "cell": _source_cell_number(notebook, exc.source, exc.cell_index),
                "executed": _keep_failed(output),
                "cell_start": (source[0] if source else "")[:120],
            }
        }
    except Exception as exc:  # the kernel could not start, a parameter is malformed, ...
        return {"error": {"reason": f"{type(exc).__name__}: {exc}", "notebook": notebook}}
    seconds = round(time.time() - started, 1)
    # exported here, in the worker, so the reports' exports run in parallel too
    title = notebook_title(Path(notebook))
    executed = Path(output)
    headline = read_headline(parameters.get("tables_dir") or "")
    _export_html(executed, executed.parents[1] / f"{executed.stem}.html", title, headline)
    return {"seconds": seconds, "title": title}


def _source_cell_number(notebook: str, source: str, fallback: int) -> int:
    """1-based position (Markdown cells counted) of the failed cell in the source notebook;
    papermill's own index also counts the cells it injects."""
    import nbformat

    cells = nbformat.read(notebook, as_version=4).cells
    for number, cell in enumerate(cells, start=1):
        if cell.cell_type == "code" and cell.source.strip() == source.strip():
            return number
    return fallback + 1


def _keep_failed(executed: str) -> str | None:
    """Move a failed executed notebook to reports/failed/ so its traceback outlives the build;
    its new path, or None when none was written."""
    source = Path(executed)
    if not source.exists():
        return None
    failed = source.parents[2] / "failed"
    failed.mkdir(exist_ok=True)
    target = failed / source.name
    os.replace(source, target)
    return str(target)


def _summary_cell(headline: dict):
    """A cell showing a report's headline lines at its top ("what this shows"), each linked to
    its section; escaped like every other output."""
    import nbformat

    from helpers.report.present import STYLE

    items = []
    for line in headline.get("lines", []):
        text = html.escape(line["text"])
        if line.get("anchor"):
            text += f' <a href="#{html.escape(line["anchor"], quote=True)}">(see)</a>'
        items.append(f"<li>{text}</li>")
    body = (
        f'{STYLE}<div class="hf-summary"><strong>What this shows</strong>'
        f"<ul>{''.join(items)}</ul></div>"
    )
    return nbformat.v4.new_code_cell(
        source="",
        outputs=[nbformat.v4.new_output("display_data", data={"text/html": body})],
    )


def _export_html(executed: Path, target: Path, title: str, headline: dict | None = None) -> None:
    skip_slow_imports()
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name="offline",  # lab without CDN scripts, with a no-script CSP
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        # nbconvert's sanitiser escapes whole HTML outputs (tables, notes) into visible tags.
        # Data reaches the HTML only escaped (pandas to_html, plots.say, links.link_table) and
        # the template's Content-Security-Policy forbids every script, so it is not needed.
        sanitize_html=False,
    )
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    nb.metadata["title"] = title
    if headline and headline.get("lines"):
        first = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"), -1)
        nb.cells.insert(first + 1, _summary_cell(headline))
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    target.write_text(body, encoding="utf-8")


def notebook_title(notebook: Path) -> str:
    """The first Markdown heading of a notebook, else its file name."""
    skip_slow_imports()
    import nbformat  # imported on use: it takes seconds (jsonschema), a no-op run needs none

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return notebook.stem
