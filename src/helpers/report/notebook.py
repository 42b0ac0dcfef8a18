"""Plumbing every notebook uses: load the processed tables, write CSV tables beside figures.

Notebooks call these so they never hard-code paths:

>>> papers = load_papers()                  # doctest: +SKIP
>>> save_table(papers.head(), "sample", table_dir("", "00-overview"))  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.config import paths
from helpers.ingest.store import atomic_write, write_text

if TYPE_CHECKING:  # pandas is imported on use: the report builder reads headlines without it
    import pandas as pd

    from helpers.analysis.topic_model import TermMatrix


def _processed_table(name: str, path: str | os.PathLike = "") -> pd.DataFrame:
    import pandas as pd

    if path:
        return pd.read_parquet(path)
    from helpers.ingest import ingest

    result = ingest()  # cheap when data/raw has not changed: it only compares fingerprints
    return pd.read_parquet(result.outputs[name])


def load_papers(path: str | os.PathLike = "") -> pd.DataFrame:
    """The papers table: one row per paper appearance in a dump.

    With no path, reads the project's processed papers table, (re)building it from the dumps
    first when it is missing or out of date, with the years the last ingest chose (``ingest``).
    The list columns (``authors``, ``hf_keywords``) come back as lists, as ingest made them.
    """
    from helpers.ingest.enrich import lists_restored

    return lists_restored(_processed_table("papers", path))


def load_rejects(path: str | os.PathLike = "") -> pd.DataFrame:
    """Blocks of the raw dumps that did not become paper rows, with file, line and reason."""
    return _processed_table("rejects", path)


def load_files(path: str | os.PathLike = "") -> pd.DataFrame:
    """One row per raw file: encoding, blocks read, papers and rejects, whether it loaded."""
    return _processed_table("files", path)


def code_fingerprint(package: Path | None = None) -> str:
    """A hash of the code and data reports use: the package, minus its test support (the
    report cache and the shared matrix are keyed by it)."""
    digest = hashlib.sha256()
    package = package or Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.relative_to(package).parts[0] == "testing":
            continue
        if path.is_file() and path.suffix in {".py", ".txt", ".csv", ".json", ".j2"}:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


_BASELINE: dict = {}


def session_checkpoint() -> None:
    """The state of a new report kernel, recorded on the first call and restored on every
    later one. The report builder runs several notebooks in one kernel, one after another;
    before each it empties the namespace (``%reset -f``) and calls this, so a report never
    sees what the report before it set: matplotlib settings (after ``%matplotlib inline``),
    open figures, warning filters, pandas options and the cell counter. Modules stay
    imported, which is the point: imports are paid once per kernel."""
    import warnings

    import matplotlib
    import matplotlib.pyplot as plt
    import pandas as pd

    if not _BASELINE:
        _BASELINE["rc"] = matplotlib.rcParams.copy()
        _BASELINE["warnings"] = list(warnings.filters)
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(_BASELINE["rc"])
        pd.reset_option("all")
    warnings.filters[:] = _BASELINE["warnings"]
    try:
        from IPython import get_ipython
    except ImportError:  # run outside IPython (tests): no cell counter to reset
        return
    shell = get_ipython()
    if shell is not None:
        shell.execution_count = 1


COLLECTOR_THRESHOLD = (10_000, 20, 20)
"""Garbage collector thresholds of the report kernels (Python's default: 700, 10, 10)."""


def quiet_collector() -> None:
    """In a report kernel, before each notebook: what is alive now (the modules imported so
    far, their caches) is moved out of the garbage collector's sight (``gc.freeze``) and
    collections are made rarer (:data:`COLLECTOR_THRESHOLD`). Otherwise every collection walks
    the objects of pandas, matplotlib and scikit-learn again: 8-10% of the time of the trends
    and term reports on the 580-dump corpus. Objects frozen here are never freed, which a
    kernel living for one build can afford. Results do not change: nothing the reports do
    depends on when garbage is collected."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*COLLECTOR_THRESHOLD)


SHARED_KEEP = 3  # shared matrices kept (of the latest papers sets asked for)


def shared_matrix(papers: pd.DataFrame, folder: str | os.PathLike = "") -> TermMatrix:
    """The papers' term matrix (:func:`helpers.analysis.topic_model.term_matrix`, default
    settings) with each paper's nearest neighbours, built by the first report that asks and
    read back by the others: the overview's near-duplicates and the themes report use one
    matrix, built once per corpus (3 s of the 580-dump build). Kept in ``folder`` (default:
    ``shared/`` in the processed folder) under a key made of the papers' texts and
    :func:`code_fingerprint`, so other papers or edited code build a new one; a lock makes a second
    report wait for the first rather than build it too.
    """
    from filelock import FileLock

    from helpers.analysis.similar import NEIGHBOURS, neighbours_of
    from helpers.analysis.topic_model import term_matrix, unique_papers

    folder = Path(folder) if folder else paths().processed / "shared"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(code_fingerprint().encode())
    unique = unique_papers(papers)
    for column in ("paper_id", "title", "abstract"):
        for value in unique[column].fillna("").astype(str):
            digest.update(value.encode("utf-8", "surrogatepass") + b"\x00")
    target = folder / f"term-matrix-{digest.hexdigest()[:24]}.npz"
    with FileLock(str(folder / ".term-matrix.lock")):
        if target.exists():
            return _read_matrix(target)
        matrix = term_matrix(papers)
        if len(matrix.paper_ids) > 1:
            neighbours_of(matrix, NEIGHBOURS)
        atomic_write(target, lambda tmp: _write_matrix(matrix, tmp))
        older = sorted(folder.glob("term-matrix-*.npz"), key=lambda p: p.stat().st_mtime)
        for stale in older[:-SHARED_KEEP]:
            stale.unlink(missing_ok=True)
    return matrix


def _write_matrix(matrix: TermMatrix, target: Path) -> None:
    import numpy as np

    idx, sim = matrix.memo.get("neighbours", (np.zeros((0, 0), np.int64), np.zeros((0, 0))))
    with open(target, "wb") as handle:
        np.savez(
            handle,
            paper_ids=matrix.paper_ids.astype(str),
            titles=matrix.titles.astype(str),
            terms=matrix.terms.astype(str),
            data=matrix.counts.data,
            indices=matrix.counts.indices,
            indptr=matrix.counts.indptr,
            shape=np.asarray(matrix.counts.shape),
            neighbour_idx=idx,
            neighbour_sim=sim,
        )


def _read_matrix(path: Path) -> TermMatrix:
    import numpy as np
    from scipy import sparse

    from helpers.analysis.topic_model import TermMatrix, tfidf_of

    with np.load(path, allow_pickle=False) as saved:
        counts = sparse.csr_matrix(
            (saved["data"], saved["indices"], saved["indptr"]), shape=tuple(saved["shape"])
        )
        matrix = TermMatrix(
            paper_ids=saved["paper_ids"].astype(object),
            titles=saved["titles"].astype(object),
            terms=saved["terms"].astype(object),
            counts=counts,
            tfidf=tfidf_of(counts),
        )
        if saved["neighbour_idx"].size:
            matrix.memo["neighbours"] = (saved["neighbour_idx"], saved["neighbour_sim"])
    return matrix


def table_dir(tables_dir: str | os.PathLike, notebook: str) -> Path:
    """Where a notebook writes its CSV tables: ``tables_dir`` if given, else
    reports/tables/<notebook>."""
    return Path(tables_dir) if tables_dir else paths().reports / "tables" / notebook


def save_table(df: pd.DataFrame, name: str, folder: str | os.PathLike) -> Path:
    """Write ``df`` as ``folder/name.csv`` atomically and return the path."""
    return atomic_write(Path(folder) / f"{name}.csv", lambda tmp: df.to_csv(tmp, index=False))


HEADLINE_FILE = "headline.json"


def save_headline(
    lines: list[str | tuple[str, str]],
    folder: str | os.PathLike,
    *,
    corpus: dict | None = None,
) -> None:
    """Record a report's findings in a few lines, for the top of the report and the index.

    ``lines`` are sentences computed from the data; a ``(text, anchor)`` pair links the line
    to an element of the report (``"table-<name>"`` for a table shown with ``present.show``,
    ``"evidence-<name>"`` for an evidence section). Written as ``folder/headline.json`` next
    to the CSV tables; the report builder puts the lines at the top of the report and on
    reports/index.html. ``corpus`` (the overview's facts: papers, dumps, dates, ...) describes
    the corpus on the index.

    >>> save_headline(["Most used term: model (81% of papers)."], tables)  # doctest: +SKIP
    """
    import json

    items = []
    for line in lines:
        text, anchor = (line, "") if isinstance(line, str) else line
        items.append({"text": str(text), "anchor": str(anchor)})
    payload = {"lines": items}
    if corpus is not None:
        payload["corpus"] = {str(k): v for k, v in corpus.items()}
    write_text(Path(folder) / HEADLINE_FILE, json.dumps(payload, indent=1, default=str))


def read_headline(folder: str | os.PathLike) -> dict:
    """The headline a notebook recorded in ``folder`` (empty when it recorded none)."""
    import json

    target = Path(folder) / HEADLINE_FILE
    if not target.exists():
        return {}
    return json.loads(target.read_text(encoding="utf-8"))


def as_list(value) -> list | dict:
    """A list parameter as papermill may pass it: a list (or a dict of concept groups) as is,
    text ("mamba, state space model") split at commas, stripped, empties dropped.

    >>> as_list(" mamba, state space model,")
    ['mamba', 'state space model']
    >>> as_list(["agent"]), as_list({"ssm": ["mamba"]})
    (['agent'], {'ssm': ['mamba']})
    """
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value)
