"""Term counts of papers, texts and dump files: the public face of the fast counting path.

Every function here gives the counts of :func:`helpers.text.doc_terms` (term, n, count =
occurrences, doc_count = documents using it), computed by the Polars engine
(:mod:`helpers.text.engine`) batch by batch and added up by :mod:`helpers.text.totals`, so memory
is bounded by a batch and the vocabulary, not by the corpus. Speeds: the README's performance
section (``make bench``).

>>> import pandas as pd
>>> papers = pd.DataFrame({"abstract": ["We fine-tune LLMs.", "LLMs fine-tune fast."]})
>>> count_terms(papers, ngram=(1, 2))
            term  n  count  doc_count
0       finetune  1      2          2
1            llm  1      2          2
2           fast  1      1          1
3  finetune fast  2      1          1
4   finetune llm  2      1          1
5   llm finetune  2      1          1
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
import polars as pl

from helpers.text import field_text, ngram_sizes, paper_text, stopword_set
from helpers.text.engine import (
    count_batch,
    fast_path,
    merge_counts,
    normalize_expr,
    reference_counters,
    translate,
)
from helpers.text.totals import (
    COUNTS_SCHEMA,
    Accumulator,
    ordered_to_pandas,
    sort_counts,
    to_pandas,
)


def _threads() -> int:
    return pl.thread_pool_size()


def count_texts(
    texts: Iterable[str],
    ngram: int | Iterable[int] = (1, 2),
    stopwords: Iterable[str] | None = None,
    batch_docs: int = 50_000,
) -> pd.DataFrame:
    """Counts of n-grams over ``texts`` (one document each): term, n, count (occurrences),
    doc_count (documents using it). Identical to counting :func:`helpers.text.doc_terms`.

    >>> count_texts(["Graph nets.", "Graph models, graph nets."], ngram=1)
         term  n  count  doc_count
    0   graph  1      3          2
    1    nets  1      2          2
    2  models  1      1          1
    """
    totals = Accumulator(ngram_sizes(ngram), stopword_set(stopwords), grouped=False)
    for batch in _batches(texts, batch_docs):
        totals.add(pl.Series("text", batch, dtype=pl.String).fill_null(""), _threads())
    return ordered_to_pandas(totals.result(["n"]))


class CountCache:
    """Counts a caller has made, kept for its next analyses: a notebook makes one
    (``cache = CountCache()``) and passes it as ``cache=`` to every analysis that counts terms,
    so the same counts (term frequencies, per-dump shares and distinctive terms; per-period
    shares, emerging terms and bursts) are made once. Inputs are recognised by a hash of their
    content, not by identity. The object is the whole of the state: without it nothing is kept.

    >>> cache = CountCache()
    >>> first = count_groups(["Deep nets."], ngram=1, cache=cache)
    >>> count_groups(["Deep nets."], ngram=[1], cache=cache) is first, len(cache)
    (True, 1)
    """

    def __init__(self, keep: int = 16) -> None:
        self.keep = keep  # results kept, least recently used dropped first
        self._results: OrderedDict[tuple, object] = OrderedDict()

    def __len__(self) -> int:
        return len(self._results)

    def peek(self, key: tuple):
        """The result kept under ``key``, else None (nothing is counted)."""
        if key in self._results:
            self._results.move_to_end(key)
        return self._results.get(key)

    def get(self, key: tuple, count: Callable[[], object]):
        """The result kept under ``key``, else ``count()`` (kept). Results built from counts
        (signal units) are kept here too, under keys that say what they are."""
        if key in self._results:
            self._results.move_to_end(key)
            return self._results[key]
        result = self._results[key] = count()
        while len(self._results) > self.keep:
            self._results.popitem(last=False)
        return result


def count_groups(
    texts: Sequence[str] | pd.Series,
    groups: Sequence[int] | np.ndarray | None = None,
    docs: Sequence[int] | np.ndarray | None = None,
    ngram: int | Iterable[int] = (1, 2),
    stopwords: Iterable[str] | None = None,
    batch_docs: int = 200_000,
    min_count: int = 1,
    cache: CountCache | None = None,
) -> pl.DataFrame:
    """Polars counts (``group``, n, term, count, doc_count) of ``texts`` per group, sorted by
    group, then descending doc_count and count, then term (n is not a sort key).

    Parameters
    ----------
    texts : one text per row.
    groups : an integer group code per text (e.g. its period); None: no ``group`` column.
    docs : an integer document code per text; ``doc_count`` counts distinct codes. None: every
        text is a document.
    ngram, stopwords : n-gram sizes and stopwords (default: :func:`helpers.text.stopwords`).
    batch_docs : texts counted per batch (about; a document's texts always share a batch).
    min_count : n-grams of two or more words seen fewer times (in their group) are left out
        before their strings are built (most n-grams of a large corpus are seen once);
        unigrams are all kept.
    cache : a :class:`CountCache` the caller holds: counts of equal inputs are made once and
        the same frame is returned again (do not modify it in place). None: counted here.

    >>> count_groups(["Deep nets.", "Deep models.", "Deep nets."], groups=[0, 0, 1],
    ...              docs=[0, 1, 0], ngram=1).sort("group", "term").rows()[:2]
    [(0, 1, 'deep', 2, 2), (0, 1, 'models', 1, 1)]
    """
    texts = pl.Series("text", list(texts) if not isinstance(texts, pl.Series) else texts)
    ngram = tuple(ngram_sizes(ngram))
    stop = stopword_set(stopwords)

    def count() -> pl.DataFrame:
        return _count_groups(texts, groups, docs, ngram, stop, batch_docs, min_count)

    if cache is None:
        return count()
    key = (
        fingerprint(texts),
        None if groups is None else fingerprint(pl.Series(np.asarray(groups))),
        None if docs is None else fingerprint(pl.Series(np.asarray(docs))),
        ngram,
        stop,
        batch_docs,
        min_count,
    )
    return cache.get(key, count)


def fingerprint(values: pl.Series) -> tuple[int, int, int]:
    """Length and two 64-bit sums of row hashes (one weighted by position, so order counts):
    equal inputs give equal fingerprints; different ones collide with negligible chance."""
    h = values.hash(seed=0)
    weighted = h * pl.int_range(1, len(h) + 1, eager=True, dtype=pl.UInt64)
    return len(values), int(h.sum()), int(weighted.sum())


def _count_groups(
    texts: pl.Series,
    groups: Sequence[int] | np.ndarray | None,
    docs: Sequence[int] | np.ndarray | None,
    ngram: int | tuple[int, ...],
    stop: frozenset[str],
    batch_docs: int,
    min_count: int = 1,
) -> pl.DataFrame:
    texts = texts.cast(pl.String).fill_null("")
    order = np.arange(len(texts))
    if docs is not None:
        docs = np.asarray(docs)
        order = np.argsort(docs, kind="stable")  # a document's texts side by side
        ordered = docs[order]
    totals = Accumulator(ngram, stop, grouped=groups is not None)
    start = 0
    while start < len(texts):
        end = min(start + batch_docs, len(texts))
        if docs is not None:  # move the cut to where the next document starts
            end = int(np.searchsorted(ordered, ordered[end - 1], side="right"))
        rows = order[start:end]
        totals.add(
            texts.gather(rows),
            _threads(),
            groups=None if groups is None else pl.Series(np.asarray(groups)[rows]).cast(pl.UInt32),
            docs=None if docs is None else pl.Series(docs[rows]).cast(pl.UInt32),
        )
        start = end
    return totals.result(["group"] if groups is not None else [], min_count)


def count_terms(
    df: pd.DataFrame,
    ngram: int | Iterable[int] = (1, 2),
    field: str = "abstract",
    stopwords: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Counts of n-grams in the papers frame ``df`` (one document per row), the fast equivalent
    of the ``count``/``doc_count`` columns of :func:`helpers.analysis.terms.term_frequencies`.
    ``field`` is "abstract", "title" or "both" (title and abstract joined by a newline).

    >>> count_terms(pd.DataFrame({"title": ["Deep nets"], "abstract": ["Deep nets."]}), 1)
       term  n  count  doc_count
    0  deep  1      1          1
    1  nets  1      1          1
    """
    return count_texts(field_text(df, field).tolist(), ngram, stopwords)


def _batches(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def iter_dump_texts(files: Iterable[str | os.PathLike], field: str = "abstract") -> Iterator[str]:
    """The text of each paper of each dump file, one file parsed at a time (files that are not
    dumps are skipped with a warning, like ``ingest``)."""
    from helpers.ingest.daily import parse_source
    from helpers.ingest.dumps import DumpFormatError

    for path in files:
        try:
            parsed = parse_source(path)
        except DumpFormatError as exc:
            warnings.warn(f"not counted: {exc}", stacklevel=2)
            continue
        for paper in parsed.papers:
            yield paper_text(paper, field)
        del parsed


def _prefetch(items: Iterable, depth: int = 1) -> Iterator:
    """Iterate ``items`` in a background thread, at most ``depth`` items ahead, so reading
    and parsing the next dump file (Python) overlaps counting the current batch (Polars, which
    releases the GIL). Exceptions from ``items`` are re-raised here, in order."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def work() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        q.put((item, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put((end, None))
        except BaseException as exc:  # handed to the consumer
            q.put((end, exc))

    thread = threading.Thread(target=work, name="count-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item, exc = q.get()
            if item is end:
                if exc is not None:
                    raise exc
                return
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)


def count_files(
    files: Iterable[str | os.PathLike],
    ngram: int | Iterable[int] = (1, 2),
    field: str = "abstract",
    stopwords: Iterable[str] | None = None,
    batch_docs: int = 50_000,
    prefetch: bool = True,
) -> pl.DataFrame:
    """Partial counts (Polars) of the papers in some dump files, streamed in batches of at most
    ``batch_docs`` texts: files are parsed one at a time; with ``prefetch`` the next batch is
    read in a background thread while the current one is counted (at most three batches of text
    are held at once: one counted, one queued, one being read)."""
    totals = Accumulator(ngram_sizes(ngram), stopword_set(stopwords), grouped=False)
    batches = _batches(iter_dump_texts(files, field), batch_docs)
    for batch in _prefetch(batches) if prefetch else batches:
        totals.add(pl.Series("text", batch, dtype=pl.String), _threads())
    return totals.result(["n"])


def count_dumps(
    source: str | os.PathLike | Sequence[str | os.PathLike],
    ngram: int | Iterable[int] = (1, 2),
    field: str = "abstract",
    stopwords: Iterable[str] | None = None,
    batch_docs: int = 50_000,
    progress: bool | None = None,
    prefetch: bool = True,
) -> pd.DataFrame:
    """Count n-grams straight from dump files, streaming: one file is parsed at a time and at
    most ``batch_docs`` texts are held, so memory stays bounded by the batch and the
    vocabulary, not by the corpus. Every paper appearance is a document (as in the papers
    frame). Same table as :func:`count_terms` on the loaded papers.

    Parameters
    ----------
    source : a folder, a file or a list of them.
    ngram, field, stopwords : as in :func:`count_terms`.
    batch_docs : texts held and counted at once.
    progress : a progress bar; None shows it only on a terminal.
    prefetch : read the next batch in a background thread (see :func:`count_files`).

    >>> count_dumps(seeds, ngram=1, progress=False).equals(count_terms(papers, ngram=1))
    True
    """
    from helpers.ingest.load import dump_order, resolve_sources

    files = [p for _, p in dump_order(resolve_sources(source))]
    stop = stopword_set(stopwords)
    if progress is not False:
        from tqdm import tqdm

        # disable=None: tqdm shows the bar only when stderr is a terminal (quiet in CI logs)
        files = tqdm(
            files,
            desc="counting dumps",
            unit="file",
            disable=None if progress is None else not progress,
            file=sys.stderr,
        )
    return ordered_to_pandas(count_files(files, ngram, field, stop, batch_docs, prefetch))


__all__ = [
    "COUNTS_SCHEMA",
    "CountCache",
    "count_batch",
    "count_dumps",
    "count_files",
    "count_groups",
    "count_terms",
    "count_texts",
    "fast_path",
    "iter_dump_texts",
    "merge_counts",
    "normalize_expr",
    "reference_counters",
    "sort_counts",
    "translate",
    "to_pandas",
]
