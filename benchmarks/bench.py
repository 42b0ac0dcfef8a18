"""Benchmark: the project's counting pipeline against common ways of counting words.

``python benchmarks/bench.py --docs N [--seed S] [--subset M] [--out DIR] [--no-duckdb]``

1. Writes a synthetic corpus of about N abstracts in the dump format (:mod:`helpers.testing.synth`,
   Zipfian ML vocabulary, fixed seed; 1,000 papers per dump file) to a temporary folder.
2. Times each engine in a fresh process (``multiprocessing`` spawn), so every engine starts
   from a clean interpreter and its peak RSS (``resource.getrusage(RUSAGE_SELF).ru_maxrss`` read
   in that process at the end: imports, data and the counting itself) is its own:

   * ``project``: :func:`helpers.text.counting.count_dumps` on the whole corpus, unigrams + bigrams
     with the reference rules (URLs, numbers, stopwords, sentence breaks) -- reading and
     parsing the dump files is inside the timing;
   * ``project, texts in memory``: :func:`helpers.text.counting.count_texts` on the subset below,
     the same engine measured like the others (texts already in memory, no parsing);
   * ``reference (helpers.text)``: the project's Python reference tokeniser
     (:func:`helpers.text.doc_terms`) + ``collections.Counter`` (counts and doc counts);
   * ``sklearn CountVectorizer(1,2)``: ``fit_transform`` then column sums;
   * ``nltk word_tokenize + Counter``: what ``nltk.word_tokenize`` does (Punkt sentence
     splitting, then ``NLTKWordTokenizer`` on each sentence) on lowercased text, unigrams and
     bigrams into a ``Counter``. word_tokenize itself loads the trained english Punkt model,
     which is data that cannot be downloaded here, so an untrained ``PunktSentenceTokenizer``
     (the same algorithm with no learned abbreviations) stands in for it;
   * ``nltk Treebank + Counter``: ``TreebankWordTokenizer().tokenize`` alone on lowercased
     text (no sentence splitting), a lower bound for nltk's cost;
   * ``re + Counter``: ``re.findall(r"\\w+")`` on lowercased text, unigrams and bigrams;
   * ``duckdb``: ``regexp_extract_all`` + ``unnest`` + ``GROUP BY`` in SQL (optional).

   The engines after ``project`` get the texts already in memory (parsing is not timed for
   them) and run on the first M documents (``--subset``, default 20,000), because some would
   take hours on a large corpus; ``docs_timed`` says how many were timed and ``seconds_full``
   scales the time linearly to all documents. Their vocabularies on a subset are smaller, which
   flatters them, so the ratios are if anything conservative. Only the project rows and
   ``reference`` apply the project's rules; the others count rougher tokens.
3. Checks that the project engine and the reference give identical (term, count, doc_count)
   on the subset, prints the table and writes it to ``reports/benchmarks/bench-<N>.csv``.

Columns: ``engine, docs, docs_timed, mb_timed, seconds, seconds_full, docs_per_s, mb_per_s,
peak_rss_mb, speedup_vs_project, terms, notes``. MB are 10**6 bytes of abstract text (UTF-8),
the same measure for every engine. ``speedup_vs_project`` = the project's ``mb_per_s`` divided
by the engine's ``mb_per_s``: above 1 the project is that many times faster (1.0 on the project
row). Polars (project) and DuckDB use every core they are given; the other engines use one.
The machine (cores, Python, Polars version) is printed with the table.

``python benchmarks/bench.py --topics --docs N [--k K]`` times the topic model instead
(:func:`helpers.analysis.topics.fit_topics` on N synthetic abstracts with planted themes from
:mod:`helpers.testing.topics`, in a fresh process): the term matrix, the fit with K topics and
every table, and the choice of k by stability (on its sample), with the peak RSS of the
process and the purity of the planted themes; written to ``reports/benchmarks/topics-<N>.csv``.

>>> main(["--docs", "300", "--subset", "100", "--out", "/tmp/bench"])  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import itertools
import math
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

PAPERS_PER_DUMP = 1_000

COLUMNS = [
    "engine",
    "docs",
    "docs_timed",
    "mb_timed",
    "seconds",
    "seconds_full",
    "docs_per_s",
    "mb_per_s",
    "peak_rss_mb",
    "speedup_vs_project",
    "terms",
    "notes",
]


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _iter_texts(folder: str) -> Iterator[str]:
    """The abstract of each paper in the corpus, dump after dump, streamed."""
    from helpers.ingest.load import dump_order, resolve_sources
    from helpers.text.counting import iter_dump_texts

    return iter_dump_texts([p for _, p in dump_order(resolve_sources(folder))])


def _load_texts(folder: str, limit: int | None) -> tuple[list[str], int]:
    texts = list(itertools.islice(_iter_texts(folder), limit))
    return texts, sum(len(t.encode("utf-8")) for t in texts)


def _text_docs_bytes(folder: str) -> tuple[int, int]:
    """Documents and UTF-8 bytes of abstract text in the corpus, streamed (nothing kept)."""
    docs = nbytes = 0
    for text in _iter_texts(folder):
        docs += 1
        nbytes += len(text.encode("utf-8"))
    return docs, nbytes


# Each engine: (folder, subset) -> (docs timed, bytes timed, seconds, distinct terms, extra).
# They run in a fresh spawned process; imports happen inside so each pays only for its own.


_WARM_UP = "We fine-tune 2 LLMs (see https://x.org). It works."
"""Counted once before the project's timer starts: the first call imports pandera's validation
backends (~0.2 s), a one-time cost like the other engines' library imports, which also happen
before their timers."""


def _engine_project(folder: str, subset: int) -> tuple:
    from helpers.text.counting import count_dumps, count_texts

    count_texts([_WARM_UP], ngram=(1, 2))  # one-time set-up, like the others' imports
    start = time.perf_counter()
    counts = count_dumps(folder, ngram=(1, 2), progress=False)
    seconds = time.perf_counter() - start
    terms = len(counts)
    del counts
    docs, nbytes = _text_docs_bytes(folder)  # after the timing, streamed: only to measure
    return docs, nbytes, seconds, terms, None


def _engine_project_texts(folder: str, subset: int) -> tuple:
    from helpers.text.counting import count_texts

    texts, nbytes = _load_texts(folder, subset)
    count_texts([_WARM_UP], ngram=(1, 2))  # one-time set-up, like the others' imports
    start = time.perf_counter()
    counts = count_texts(texts, ngram=(1, 2))
    seconds = time.perf_counter() - start
    return len(texts), nbytes, seconds, len(counts), None


def _engine_reference(folder: str, subset: int) -> tuple:
    from helpers.text import stopwords
    from helpers.text.counting import reference_counters

    texts, nbytes = _load_texts(folder, subset)
    stop = stopwords()
    start = time.perf_counter()
    counts, docs = reference_counters(texts, (1, 2), stop)
    seconds = time.perf_counter() - start
    table = pd.DataFrame(
        {
            "term": list(counts),
            "n": [t.count(" ") + 1 for t in counts],
            "count": list(counts.values()),
            "doc_count": [docs[t] for t in counts],
        }
    )
    return len(texts), nbytes, seconds, len(counts), table


def _engine_sklearn(folder: str, subset: int) -> tuple:
    from sklearn.feature_extraction.text import CountVectorizer

    texts, nbytes = _load_texts(folder, subset)
    start = time.perf_counter()
    matrix = CountVectorizer(ngram_range=(1, 2)).fit_transform(texts)
    counts = matrix.sum(axis=0)
    seconds = time.perf_counter() - start
    return len(texts), nbytes, seconds, counts.shape[1], None


def _count_tokens(folder: str, subset: int, tokenize) -> tuple:
    """Unigram and bigram counts with collections.Counter over ``tokenize(text.lower())``."""
    from collections import Counter

    texts, nbytes = _load_texts(folder, subset)
    start = time.perf_counter()
    counts: Counter[str] = Counter()
    for text in texts:
        tokens = tokenize(text.lower())
        counts.update(tokens)
        counts.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    seconds = time.perf_counter() - start
    return len(texts), nbytes, seconds, len(counts), None


def _engine_nltk(folder: str, subset: int) -> tuple:
    from nltk.tokenize import TreebankWordTokenizer

    return _count_tokens(folder, subset, TreebankWordTokenizer().tokenize)


def _engine_nltk_word_tokenize(folder: str, subset: int) -> tuple:
    from nltk.tokenize import NLTKWordTokenizer, PunktSentenceTokenizer

    sentences = PunktSentenceTokenizer().tokenize  # untrained: the english model is data
    words = NLTKWordTokenizer().tokenize

    def word_tokenize(text: str) -> list[str]:  # nltk.word_tokenize's body
        return [token for sentence in sentences(text) for token in words(sentence)]

    return _count_tokens(folder, subset, word_tokenize)


def _engine_re(folder: str, subset: int) -> tuple:
    import re

    return _count_tokens(folder, subset, re.compile(r"\w+").findall)


def _engine_duckdb(folder: str, subset: int) -> tuple:
    import duckdb
    import pyarrow as pa

    texts, nbytes = _load_texts(folder, subset)
    docs = pa.table({"text": texts})
    con = duckdb.connect()
    con.register("docs", docs)
    start = time.perf_counter()
    terms = con.execute(
        r"""
        WITH t AS (SELECT regexp_extract_all(lower(text), '\w+') AS toks FROM docs),
        g AS (
            SELECT unnest(toks) AS term FROM t
            UNION ALL
            SELECT unnest(list_transform(range(1, len(toks)),
                                         lambda i: toks[i] || ' ' || toks[i + 1])) FROM t
        )
        SELECT count(*) FROM (SELECT term, count(*) AS n FROM g GROUP BY term)
        """
    ).fetchone()[0]
    seconds = time.perf_counter() - start
    con.close()
    return len(texts), nbytes, seconds, int(terms), None


ENGINES: dict[str, tuple[Callable[[str, int], tuple], bool, str]] = {
    "project": (_engine_project, True, "helpers.text.counting.count_dumps: parse dumps + Polars"),
    "project, texts in memory": (
        _engine_project_texts,
        False,
        "helpers.text.counting.count_texts on the subset, like the engines below",
    ),
    "reference (helpers.text)": (_engine_reference, False, "project rules in pure Python"),
    "sklearn CountVectorizer(1,2)": (_engine_sklearn, False, "fit_transform + column sums"),
    "nltk word_tokenize + Counter": (
        _engine_nltk_word_tokenize,
        False,
        "word_tokenize's steps: untrained Punkt sentences + NLTKWordTokenizer",
    ),
    "nltk Treebank + Counter": (
        _engine_nltk,
        False,
        "TreebankWordTokenizer alone, no sentence splitting",
    ),
    "re + Counter": (_engine_re, False, r"re.findall(\w+) + Counter"),
    "duckdb": (_engine_duckdb, False, "regexp_extract_all + unnest + GROUP BY"),
}
"""name -> (function, runs on the whole corpus, note)."""


def _run_engine(name: str, folder: str, subset: int) -> dict:
    """Body of the spawned process: run one engine, return its row and the peak RSS."""
    func = ENGINES[name][0]
    docs_timed, nbytes, seconds, terms, table = func(folder, subset)
    return {
        "docs_timed": docs_timed,
        "bytes": nbytes,
        "seconds": seconds,
        "terms": terms,
        "peak_rss_mb": _peak_rss_mb(),
        "table": table,
    }


def _machine() -> str:
    import platform

    import polars as pl

    return (
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, Polars {pl.__version__}"
    )


def _in_fresh_process(name: str, folder: str, subset: int) -> dict:
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(_run_engine, name, folder, subset).result()


def write_bench_corpus(folder: Path, docs: int, seed: int) -> list[Path]:
    """About ``docs`` synthetic abstracts (rounded up to whole dumps) written into ``folder``."""
    from helpers.testing import synth

    per_dump = min(docs, PAPERS_PER_DUMP)
    n_dumps = max(1, math.ceil(docs / per_dump))
    return synth.write_corpus(folder, n_dumps, per_dump, seed=seed, start_date="2024-01-01")


def check_counts(folder: str, subset: int, reference: pd.DataFrame) -> tuple[bool, int]:
    """The project engine's counts on the first ``subset`` documents vs the reference table:
    (identical?, number of terms)."""
    from helpers.text.counting import count_texts

    texts, _ = _load_texts(folder, subset)
    key = ["n", "term"]
    ours = count_texts(texts, ngram=(1, 2)).sort_values(key).reset_index(drop=True)
    ref = (
        reference[["term", "n", "count", "doc_count"]]
        .astype({"term": str, "n": "int64", "count": "int64", "doc_count": "int64"})
        .sort_values(key)
        .reset_index(drop=True)
    )
    return bool(ours.equals(ref)), len(ours)


def bench_table(rows: Sequence[dict], docs: int) -> pd.DataFrame:
    """Measured rows -> the benchmark table (project first, rates and ratios derived)."""
    table = pd.DataFrame(rows)
    table = table.assign(
        docs=docs,
        mb_timed=table["bytes"] / 1e6,
        seconds_full=table["seconds"] * docs / table["docs_timed"],
        docs_per_s=table["docs_timed"] / table["seconds"],
        mb_per_s=table["bytes"] / 1e6 / table["seconds"],
    )
    project = table.loc[table["engine"] == "project", "mb_per_s"].iloc[0]
    table = table.assign(speedup_vs_project=project / table["mb_per_s"])
    order = (table["engine"] != "project").astype(int)
    return table.assign(_o=order).sort_values("_o", kind="stable")[COLUMNS].reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/bench.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--docs", type=int, default=200_000, help="abstracts in the corpus")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpus")
    parser.add_argument(
        "--subset", type=int, default=20_000, help="documents timed for the slower engines"
    )
    parser.add_argument("--out", default=None, help="CSV folder (default reports/benchmarks)")
    parser.add_argument("--no-duckdb", action="store_true", help="leave DuckDB out")
    parser.add_argument("--topics", action="store_true", help="time the topic model instead")
    parser.add_argument("--k", type=int, default=20, help="topics (and planted themes), --topics")
    args = parser.parse_args(argv)
    if args.topics:
        return _bench_topics(args.docs, args.k, args.seed, args.out)
    if args.docs < 1 or args.subset < 1:
        parser.error("--docs and --subset must be >= 1")

    from tqdm import tqdm

    from helpers.config import paths

    out_dir = Path(args.out) if args.out else paths().reports / "benchmarks"
    names = [n for n in ENGINES if not (args.no_duckdb and n == "duckdb")]
    with tempfile.TemporaryDirectory(prefix="helpers-bench-") as tmp:
        t0 = time.perf_counter()
        files = write_bench_corpus(Path(tmp), args.docs, args.seed)
        docs = args.docs
        size = sum(f.stat().st_size for f in files) / 1e6
        print(
            f"corpus: {len(files)} dump files, {size:,.0f} MB, seed {args.seed}, "
            f"written in {time.perf_counter() - t0:,.0f} s; {_machine()}",
            flush=True,
        )
        rows, reference_table = [], None
        subset = min(args.subset, args.docs)
        # tqdm shows the bar only on a terminal (disable=None), quiet in logs
        for name in tqdm(names, desc="engines", unit="engine", disable=None, file=sys.stderr):
            result = _in_fresh_process(name, tmp, subset)
            table = result.pop("table")
            if table is not None:
                reference_table = table
            if name == "project":
                docs = result["docs_timed"]
            rows.append({"engine": name, "notes": ENGINES[name][2], **result})
            print(f"  {name}: {result['seconds']:.1f} s", file=sys.stderr, flush=True)
        same, n_terms = None, 0
        if reference_table is not None:
            same, n_terms = check_counts(tmp, subset, reference_table)
    table = bench_table(rows, int(docs))
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"bench-{args.docs}.csv"
    table.to_csv(out, index=False, float_format="%.4g")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.drop(columns="notes").to_string(index=False, float_format="{:,.3g}".format))
    if same is not None:
        verdict = "IDENTICAL" if same else "DIFFERENT"
        print(
            f"counts check on the first {subset:,} documents: project vs "
            f"reference (term, count, doc_count over {n_terms:,} terms): {verdict}"
        )
    print(
        "nltk: word_tokenize's steps with an untrained Punkt sentence splitter (the trained "
        "english model is data that cannot be downloaded here)"
    )
    print(f"written {out}")
    return 0 if same in (None, True) else 1


def _topics_run(docs: int, k: int, seed: int) -> dict:
    """In a fresh process: build the planted corpus (not timed), then time the topic model."""
    from helpers.analysis.topic_model import choose_k, term_matrix
    from helpers.analysis.topics import fit_topics
    from helpers.testing.topics import planted_topic_corpus

    corpus = planted_topic_corpus(
        n_papers=docs, n_themes=k, n_dumps=100, words_per_abstract=200, repeat=0.0, seed=seed
    )
    mb = corpus.papers["abstract"].str.len().sum() / 1e6

    def cpu() -> float:  # user + system seconds of this process, all threads
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    c0, t0 = cpu(), time.perf_counter()
    matrix = term_matrix(corpus.papers)
    c1, t1 = cpu(), time.perf_counter()
    model = fit_topics(corpus.papers, k=k, matrix=matrix)
    c2, t2 = cpu(), time.perf_counter()
    selection = choose_k(matrix)
    c3, t3 = cpu(), time.perf_counter()
    tagged = model.assignments.merge(corpus.truth, on="paper_id")
    table = pd.crosstab(tagged["theme"], tagged["topic"])
    return {
        "docs": docs,
        "mb": round(mb, 1),
        "k": k,
        "terms": matrix.tfidf.shape[1],
        "seconds_matrix": round(t1 - t0, 2),
        "seconds_fit": round(t2 - t1, 2),
        "seconds_total": round(t2 - t0, 2),
        "seconds_choose_k": round(t3 - t2, 2),
        "cpu_seconds_matrix": round(c1 - c0, 2),
        "cpu_seconds_total": round(c2 - c0, 2),
        "cpu_seconds_choose_k": round(c3 - c2, 2),
        "chosen_k": int(selection.loc[selection["chosen"], "k"].iloc[0]),
        "min_purity": round(float((table.max(axis=0) / table.sum(axis=0)).min()), 3),
        "themes_as_one_topic": int(table.idxmax(axis=1).nunique()),
        "peak_rss_mb": round(_peak_rss_mb(), 0),
    }


def _bench_topics(docs: int, k: int, seed: int, out: str | None) -> int:
    from helpers.config import paths

    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        row = pool.submit(_topics_run, docs, k, seed).result()
    table = pd.DataFrame([row])
    out_dir = Path(out) if out else paths().reports / "benchmarks"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"topics-{docs}.csv"
    table.to_csv(target, index=False)
    print(_machine())
    print(table.to_string(index=False))
    print(
        f"seconds_total: term matrix + fit_topics(k={k}) with every table; seconds_choose_k: "
        "stability of the candidate k on a sample (what k=None adds); cpu_seconds: user + "
        "system time of the process (all threads), which a busy machine does not inflate; "
        f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"written {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
