"""The counting stage on Dask (dask.distributed), partitioned by dump file.

:func:`count_terms_distributed` gives exactly the table of
:func:`helpers.text.counting.count_dumps`
(term, n, count, doc_count), but each dump file is parsed and counted by a Dask task
(:func:`helpers.ingest.dumps.parse_file` + :func:`helpers.text.engine.count_batch`) and the partial
counts are added up on the workers in a tree of :func:`helpers.text.engine.merge_counts` tasks,
so the client only receives the final table.

Without ``scheduler`` a small in-process ``LocalCluster`` is started and closed again (threads,
no extra processes: fine for a laptop and for tests). With a scheduler address the work goes to
that cluster; its workers need the ``helpers`` package installed (same version) and must see the
dump files at the same paths (a shared file system or the same mount everywhere)::

    count_terms_distributed("/shared/dumps", scheduler="tcp://10.0.0.5:8786")

On a real cluster: ``dask scheduler`` on one machine, ``dask worker tcp://10.0.0.5:8786`` on
each of the others (in the project's environment), then pass that address.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
import polars as pl

from helpers.text import ngram_sizes, paper_text, stopword_set
from helpers.text.engine import count_batch, merge_counts
from helpers.text.totals import to_pandas

MERGE_FANIN = 16
"""Partial tables added up per merge task."""


def count_file(
    path: str,
    ngram: Sequence[int] = (1, 2),
    field: str = "abstract",
    stopwords: frozenset[str] | None = None,
) -> tuple[pl.DataFrame, str | None]:
    """Partial counts of one dump file (one Dask task), and the reason if it is not a dump.

    >>> counts, problem = count_file(str(seeds / "000_bf51bc8f353d52b5.txt"))
    >>> counts.columns, problem
    (['n', 'term', 'count', 'doc_count'], None)
    """
    from helpers.ingest.daily import parse_source
    from helpers.ingest.dumps import DumpFormatError

    try:
        parsed = parse_source(path)
    except DumpFormatError as exc:
        return merge_counts([]), f"not counted: {exc}"
    texts = [paper_text(p, field) for p in parsed.papers]
    del parsed
    # one thread per task: Dask already runs tasks side by side
    return count_batch(texts, ngram, stopwords, threads=1), None


def _merge(parts: list) -> pl.DataFrame:
    return merge_counts(p[0] if isinstance(p, tuple) else p for p in parts)


def _problems(results: list[tuple[pl.DataFrame, str | None]]) -> list[str]:
    return [msg for _, msg in results if msg]


def count_terms_distributed(
    source: str | os.PathLike | Sequence[str | os.PathLike],
    scheduler: str | None = None,
    ngram: int | Iterable[int] = (1, 2),
    field: str = "abstract",
    stopwords: Iterable[str] | None = None,
    n_workers: int = 1,
    threads_per_worker: int = 2,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Count n-grams of dump files with Dask: one task per file, partial counts merged on the
    workers. Same result as :func:`helpers.text.counting.count_dumps`; files that are not dumps are
    skipped with a warning.

    Parameters
    ----------
    source : a folder, a file, a glob or a list of them.
    scheduler : address of a running Dask scheduler (``"tcp://host:8786"``); None starts a
        ``LocalCluster`` of ``n_workers`` in-process workers with ``threads_per_worker``
        threads, closed on return.
    ngram, field, stopwords : as in :func:`helpers.text.counting.count_terms`.
    progress : a progress bar; None shows it only on a terminal.
    """
    from distributed import Client, LocalCluster, as_completed

    from helpers.ingest.load import dump_order, resolve_sources

    sizes, stop = ngram_sizes(ngram), stopword_set(stopwords)
    files = [str(Path(p).resolve()) for _, p in dump_order(resolve_sources(source))]
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=threads_per_worker,
            processes=False,
            dashboard_address=None,
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = client.map(
            count_file, files, ngram=sizes, field=field, stopwords=stop, pure=False
        )
        if progress is not False:
            from tqdm import tqdm

            # disable=None: the bar shows only when stderr is a terminal
            for _ in tqdm(
                as_completed(futures),
                total=len(futures),
                desc="counting dumps (dask)",
                unit="file",
                disable=None if progress is None else not progress,
                file=sys.stderr,
            ):
                pass
        problems = client.submit(_problems, futures, pure=False)
        level = futures
        while len(level) > 1:  # tree of merges on the workers
            level = [
                client.submit(_merge, level[i : i + MERGE_FANIN], pure=False)
                for i in range(0, len(level), MERGE_FANIN)
            ]
        total = level[0].result() if level else merge_counts([])
        if isinstance(total, tuple):  # a single file: its (partial, problem) pair
            total = total[0]
        for message in problems.result():
            warnings.warn(message, stacklevel=2)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return to_pandas(total)


__all__ = ["MERGE_FANIN", "count_file", "count_terms_distributed"]
