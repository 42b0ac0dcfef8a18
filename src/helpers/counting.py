"""Fast unigram/bigram counting with the exact rules of the reference tokeniser.

:mod:`helpers.text` is the reference: Python regexes, one document at a time. This module gives
the SAME counts (term, occurrences, documents) by running the rules as Polars string
expressions (Rust regex, no per-token Python work) over a batch of documents. Measured on the
2-core machine here (``python -m helpers.bench``, synthetic abstracts; figures and where the
time goes in the README's performance section): ``count_texts`` 27-32 MB/s on text in
memory, ``count_dumps`` 23-27 MB/s including reading and parsing the dumps, on 200,000 and on
a million abstracts; CountVectorizer(1, 2) about 2.2 MB/s, nltk's word_tokenize 0.5 MB/s.

1. a split on spaces into chunks (cheap: no regex), each distinct chunk an integer code
   (:func:`_split_encode`);
2. per DISTINCT chunk, between two spaces: the typographic variants (literal replacements),
   the fast-path test, plural acronyms on the original casing, lowercase, ``fine-tun`` and
   the bound-prefix hyphens -- the reference's rules 1-4, in order -- and one ``extract_all``
   with the reference's alternatives in the reference's order (URL | number | word +
   possessive | break). None of them looks across a space (see ``_count_fast``);
3. each match gets an integer term id (none for URLs, numbers and breaks; a word and its
   possessive share one) and each chunk the list of its ids, gathered for every chunk of every
   text and exploded: the ids of the text's matches in order. Regex and per-token work thus
   run once per distinct chunk, not once per occurrence;
4. n-grams by shifting the id column: an n-gram is n consecutive word matches of one
   document (a break, URL or number match in between is a row without an id, so n-grams
   never cross it), whose first and last words are not stopwords;
5. ``group_by`` on id tuples: occurrences and the number of documents using the term; ids
   become strings only in the aggregated table.

Rust regexes have no look-around, which the reference uses in three places. Each is rewritten
into an equivalent form (``tests/test_counting.py`` proves equality on the seeds and on
hypothesis-generated text):

* ``-(?=letter)`` after a prefix: hyphens NOT followed by a letter are first swapped for a
  private-use placeholder, then ``\\b(prefix)-`` is removed, then the placeholder is restored;
* ``(?<=\\d)\\.(?=\\d)`` inside words and numbers: such dots become a private-use joiner (two
  passes, as neighbouring matches overlap by one digit) and back to ``.`` in the terms;
* the number's ``(?!\\w|[-.,]\\w)``: the number match also consumes the one or two characters
  that prove it ends (never word characters, so nothing a word could use is lost; a URL could
  start there only after ``digit[.-][.-]``, which sends the document to the fallback).

A document whose characters fall outside a set on which Python's and Rust's Unicode classes
(``\\w``, ``\\d``, ``\\s``, ``\\b``, lowercasing) provably agree -- ASCII, Latin-1 letters,
Greek letters, common typographic symbols -- or that contains the URL hazard above, is counted
by the reference tokeniser itself (:func:`helpers.text.doc_terms`); real abstracts rarely need it.

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
import uuid
import warnings
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pandera.pandas as pa
import polars as pl

from helpers.text import JOINED_PREFIXES, doc_terms
from helpers.text import stopwords as default_stopwords

_MIN_SLICE = 2_000  # documents per thread below which one thread counts the batch
_HOLD = "\ue000"  # placeholder for a hyphen that must keep (not followed by a letter)
_JOIN = "\ue001"  # placeholder for a dot between two digits
_HIGH = 1 << 32  # bigram key: first id * _HIGH + second id
_PAIR_KEY = pl.col("t0").cast(pl.UInt64) * _HIGH + pl.col("t1")  # see _packed and _unpacked

# Characters on which Python's re (Unicode str patterns) and Rust's regex agree for \w \d \s \b
# and on which str.lower and Polars to_lowercase agree: ASCII (no control characters but tab,
# newline, carriage return), Latin-1 without the superscript/fraction digits, Greek letters
# without capital sigma (final-sigma lowercasing), the characters the reference translates and
# the quote/dash breaks, and common typographic and math symbols.
_SAFE_CLASS = (
    "\t\n\r\x20-\x7e\xa0-\xb1\xb4-\xb8\xba\xbb\xbf-\xff"
    "\u0391-\u03a1\u03a4-\u03a9\u03b1-\u03c9"
    "\u2010\u2011\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026"
    "\u2192\u2212\u223c\u2248\u2264\u2265"
)
_UNSAFE = f"[^{_SAFE_CLASS}]"
_HAZARD = r"\d[.\-][.\-]"  # a URL could start inside the characters a number match consumes

_TRANSLATE_FROM = ["\u2010", "\u2011", "\u2212", "\u2019", "\u2018", "\u00ad"]
_TRANSLATE_TO = ["-", "-", "-", "'", "'", ""]
_ACRONYM_PLURAL = r"\b([A-Z][A-Za-z0-9]*[A-Z0-9])s\b"
_FINE_TUN = r"\bfine-tun"
_HOLD_HYPHEN = r"-([\W\d_]|$)"  # hyphen followed by no letter: keep it
_PREFIX = r"\b(" + "|".join(JOINED_PREFIXES) + r")-"
_DIGIT_DOT = r"(\d)\.(\d)"

_TLD = r"(?:com|org|net|edu|gov|io|ai|co|dev|me|ly)"
_URL = rf"(?:https?://|www\.)\S+|\b[\w.{_JOIN}-]+\.{_TLD}\b(?:/\S*)?"
_NUMBER = (
    rf"\d+(?:[{_JOIN},]\d+)*(?:-\d+(?:[{_JOIN},]\d+)*)*"
    rf"(?:[^\w.,{_JOIN}-]|[.,-](?:\W|$)|$)"  # what proves the number ends (consumed)
)
_WORD = rf"[^\W_]+(?:[-{_JOIN}][^\W_]+)*(?:'s\b)?"
_BREAK = r"""[.!?;:,()\[\]{}"\u201c\u201d\u2013\u2014|\n]|\s-+\s|--+"""
_MATCH = f"{_URL}|{_NUMBER}|{_WORD}|{_BREAK}"
_IS_WORD = rf"^[^\W_]+(?:[-{_JOIN}][^\W_]+)*(?:'s)?$"
_DIGITS_WORD = rf"^\d+(?:[-{_JOIN}]\d+)*$"  # a word match that is a bare number

COUNTS_SCHEMA = pa.DataFrameSchema(
    {
        "term": pa.Column(str, nullable=False),
        "n": pa.Column(int, pa.Check.ge(1)),
        "count": pa.Column(int, pa.Check.ge(1)),
        "doc_count": pa.Column(int, pa.Check.ge(1)),
    },
    checks=[pa.Check(lambda d: d["doc_count"] <= d["count"], error="doc_count <= count")],
    strict=True,
)

_PARTIAL = {"n": pl.Int64, "term": pl.String, "count": pl.Int64, "doc_count": pl.Int64}


def _sizes(ngram: int | Iterable[int]) -> list[int]:
    sizes = [ngram] if isinstance(ngram, int) else sorted(set(ngram))
    if not sizes or min(sizes) < 1:
        raise ValueError(f"n-gram sizes must be >= 1, got {ngram!r}")
    return sizes


def _stop(stopwords: Iterable[str] | None) -> frozenset[str]:
    return default_stopwords() if stopwords is None else frozenset(stopwords)


def normalised_expr(text: pl.Expr, translated: bool = False, newline: bool = True) -> pl.Expr:
    """The reference's rules 1-4 (variants, plural acronyms, lowercase, prefix hyphens) as one
    Polars expression, plus the digit-dot joiner and a final newline (a break) for matching.
    ``translated``: rule 1 (:func:`translate`) was already applied to ``text``; ``newline``:
    append the newline.

    >>> pl.select(normalised_expr(pl.lit("Multi-Modal LLMs v1.5"))).item()
    'multimodal llm v1\\ue0015\\n'
    """
    out = (
        (text if translated else text.str.replace_many(_TRANSLATE_FROM, _TRANSLATE_TO))
        .str.replace_all(_ACRONYM_PLURAL, "${1}")
        .str.to_lowercase()
        .str.replace_all(_FINE_TUN, "finetun")
        .str.replace_all(_HOLD_HYPHEN, _HOLD + "${1}")
        .str.replace_all(_PREFIX, "${1}")
        .str.replace_all(_HOLD, "-", literal=True)
    )
    for _ in range(2):  # neighbouring digit dots share a digit: the second pass gets the rest
        out = out.str.replace_all(_DIGIT_DOT, "${1}" + _JOIN + "${2}")
    return out + "\n" if newline else out


def translate(texts: pl.Series) -> pl.Series:
    """Rule 1 of the reference: typographic hyphens and apostrophes to ASCII, soft hyphens out.

    >>> translate(pl.Series(["non\u2010linear LLM\u2019s"])).item()
    "non-linear LLM's"
    """
    return texts.str.replace_many(_TRANSLATE_FROM, _TRANSLATE_TO)


def fast_path(texts: pl.Series, translated: bool = False) -> pl.Series:
    """True where a text can be counted by the Polars engine (False: the reference counts it).
    ``translated``: :func:`translate` was already applied (every character it replaces is in
    the safe set and becomes one, so the safe-set test gives the same answer before and after).

    >>> fast_path(pl.Series(["LLMs in 2024.", "emoji \\U0001f600", "see 5.-x.com"])).to_list()
    [True, False, False]
    """
    texts = texts if translated else translate(texts)
    return ~texts.str.contains(f"{_UNSAFE}|{_HAZARD}").fill_null(False)


def _split_encode(texts: pl.Series, threads: int) -> tuple[pl.Series, pl.Series, pl.Series]:
    """(number of chunks of each text, code of each chunk in text order, distinct chunks
    indexed by code), the chunks being the space-separated pieces of each text with a newline
    appended: the per-token work is then done once per distinct chunk instead of once per
    occurrence. Where Polars has ``Categories``, each thread splits its slice of the texts
    and casts the chunks to one Categorical with a private mapping (freed with the data),
    which numbers distinct strings 0..k-1 as it meets them (measured: 1.6x faster than a
    group_by, and the cast runs on every core); else :func:`_encode` numbers them.

    >>> lens, codes, distinct = _split_encode(pl.Series(["b a", "b"]), 1)
    >>> lens.to_list(), distinct.gather(codes).to_list()
    ([2, 1], ['b', 'a\\n', 'b\\n'])
    """
    if not hasattr(pl, "Categories"):
        split = _in_slices(lambda t: (t + "\n").str.split(" "), texts, threads, _MIN_SLICE)
        codes, distinct = _encode(split.explode())
        return split.list.len(), codes, distinct
    cats = pl.Categories(f"helpers-counting-{uuid.uuid4().hex}")

    def split_cast(part: pl.Series) -> tuple[pl.Series, pl.Series]:
        split = (part + "\n").str.split(" ")
        return split.list.len(), split.explode().cast(pl.Categorical(cats))

    lens, encoded = _in_slices(split_cast, texts, threads, _MIN_SLICE)
    distinct = cats.to_series()  # every code assigned by now; `encoded` keeps the mapping alive
    return lens, encoded.to_physical().cast(pl.UInt32), distinct


def _encode(matches: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(code of each string, distinct strings indexed by code), by one hash group_by whose
    group numbers are scattered back to the rows (for Polars without ``Categories``).

    >>> codes, distinct = _encode(pl.Series(["b", "a", "b"]))
    >>> distinct.gather(codes).to_list()
    ['b', 'a', 'b']
    """
    groups = (
        pl.DataFrame({"s": matches})
        .with_row_index("row")
        .group_by("s")
        .agg("row")
        .with_row_index("code")
    )
    rows = groups.select("code", "row").explode("row")
    codes = pl.zeros(len(matches), dtype=pl.UInt32, eager=True).scatter(rows["row"], rows["code"])
    return codes, groups["s"]


def _in_slices(fn, series: pl.Series, threads: int, min_rows: int):
    """``fn`` applied to ``threads`` consecutive slices of ``series`` in parallel threads and
    the results concatenated in order (Series, or tuples of Series). Polars runs one string
    kernel of one column on one core and releases the GIL, so this is how the regex work of a
    batch uses every core; hash group_bys, joins and sorts are parallel inside Polars."""
    k = max(1, min(threads, len(series) // min_rows))
    if k == 1:
        return fn(series)
    step = -(-len(series) // k)
    with ThreadPoolExecutor(max_workers=k) as pool:
        results = list(pool.map(lambda i: fn(series.slice(i, step)), range(0, len(series), step)))
    if isinstance(results[0], tuple):
        return tuple(pl.concat(list(col)) for col in zip(*results, strict=True))
    return pl.concat(results)


def _chunk_matches(distinct: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Per distinct chunk: is it unsafe for the fast path, and its matches (rules 1-4, then
    the reference's alternatives), the chunk seen between two spaces as in the text."""
    distinct = translate(distinct)
    unsafe = ~fast_path(distinct, translated=True)
    padded = pl.select(normalised_expr(" " + pl.lit(distinct) + " ", True, False)).to_series()
    return unsafe, padded.str.extract_all(_MATCH)


def _match_terms(match: pl.Series, stop_list: pl.Series) -> tuple[pl.Series, ...]:
    """Per match: is it a word, its term (possessive dropped), is that a non-stopword word.
    A word match of digits only ("0" in "0.a") is a bare number, as in the reference."""
    term = match.str.strip_suffix("'s")
    word = (match.str.contains(_IS_WORD) & ~term.str.contains(_DIGITS_WORD)).fill_null(False)
    keep = (word & ~term.is_in(stop_list.implode())).fill_null(False)
    return word, term, keep


def _count_fast(
    texts: pl.Series,
    sizes: Sequence[int],
    stop: frozenset[str],
    threads: int = 1,
    groups: pl.Series | None = None,
    docs: pl.Series | None = None,
) -> tuple[pl.DataFrame, pl.Series]:
    """(counts, positions of the texts left to the reference) of raw texts: the counts of
    :func:`_count_ids` with their n-grams as strings."""
    parts, names, slow = _count_ids(texts, sizes, stop, threads, groups, docs)
    out = [_with_terms(part, n, names) for n, part in zip(sizes, parts, strict=True)]
    return pl.concat(out), slow


def _with_terms(part: pl.DataFrame, n: int, names: pl.Series) -> pl.DataFrame:
    """Id-keyed counts of n-grams (``t0``..``t{n-1}``) -> (``group``), n, term, count,
    doc_count, the term being the words of ``names`` joined by spaces."""
    words = [names.gather(part[f"t{k}"]) for k in range(n)]
    joined = pl.DataFrame({f"w{k}": w for k, w in enumerate(words)}).select(
        pl.concat_str(pl.all(), separator=" ")
    )
    return pl.DataFrame(
        {
            **({"group": part["g"]} if "g" in part.columns else {}),
            "n": pl.Series([n] * part.height, dtype=pl.Int64),
            "term": joined.to_series(),
            "count": part["count"],
            "doc_count": part["doc_count"],
        }
    )


def _count_ids(
    texts: pl.Series,
    sizes: Sequence[int],
    stop: frozenset[str],
    threads: int = 1,
    groups: pl.Series | None = None,
    docs: pl.Series | None = None,
) -> tuple[list[pl.DataFrame], pl.Series, pl.Series]:
    """(counts per n-gram size keyed by term ids, the word of each term id, positions of the
    texts left to the reference) of raw texts.

    Rules 1-4 never match across a space and see a space like the start or end of the text
    (they neither add nor remove spaces), and so does the :func:`fast_path` test, so each
    space-separated chunk of the text is tested and normalised on its own, between two
    spaces, once per distinct chunk. Matching each chunk on its own likewise gives the text's
    matches except for runs of non-words (which only break n-grams, as one does): a
    match never spans a space but ``\\s-+\\s`` and a number's end proof, which ends on it;
    what a match needs to see of its neighbours (``\\b``, the end proof, ``\\s``) is a space
    on each side of the chunk; if the text's space before a chunk was consumed, a number or a
    break matched just before, so the extra ``\\s-+\\s`` break the lone chunk may give
    changes nothing. Chunks without matches (empty, ``%``) add no row, as in the text.

    Matches become integer term ids (a possessive and its word share an id; non-words have
    none), n-grams are counted as tuples of ids and turned back into strings only on the
    aggregated table. Every document's last match is a non-word (the newline appended to the
    text, or a number consuming it), so an n-gram of consecutive words never spans two
    documents and no document check is needed.

    ``groups`` (a UInt32 code per text) counts per group: the result gets a ``group`` column.
    ``docs`` (a UInt32 code per text) says which texts are the same document for
    ``doc_count`` (default: every text is one); all texts of a document with an unsafe chunk
    are left to the reference together, so a document is never counted by both.
    """
    # 1. one row per space-separated chunk of each text (a newline, a break, ends the text);
    # each distinct chunk gets a code
    lens, codes, distinct = _split_encode(texts, threads)
    rows = pl.Series(np.repeat(np.arange(len(texts), dtype=np.uint32), lens.to_numpy()))
    chunks = pl.DataFrame(
        {
            "doc": rows,
            "d": rows if docs is None else docs.gather(rows),
            **({} if groups is None else {"g": groups.gather(rows)}),
        }
    )
    lead = [] if groups is None else ["g"]
    # 2. per distinct chunk: rule 1 and the fast-path test (a text with an unsafe chunk is left
    # to the reference), then rules 2-4 and the matches, between spaces as in the text
    unsafe, matches = _in_slices(_chunk_matches, distinct, threads, 20 * _MIN_SLICE)
    slow = pl.Series("doc", [], dtype=pl.UInt32)
    if unsafe.any():
        slow_docs = chunks["d"].filter(unsafe.gather(codes)).unique()
        fast_rows = ~chunks["d"].is_in(slow_docs.implode())
        slow = chunks["doc"].filter(~fast_rows).unique().sort()
        chunks, codes = chunks.filter(fast_rows), codes.filter(fast_rows)
    # 3. one row per match of each distinct chunk: is it a word, its term, keep (a word and not
    # a stopword; stopwords compared in the matched form, a dot between digits the joiner)
    found = (
        pl.DataFrame(
            {"chunk": pl.int_range(len(distinct), eager=True, dtype=pl.UInt32), "m": matches}
        )
        .explode("m")
        .drop_nulls("m")
    )
    stop_list = pl.Series([w.replace(".", _JOIN) for w in sorted(stop)], dtype=pl.String)
    word, term, keep = _in_slices(
        lambda m: _match_terms(m, stop_list), found["m"], threads, 20 * _MIN_SLICE
    )
    found = found.with_columns(
        keep=keep,
        t0=pl.select(
            pl.when(word).then(term.rank("dense").cast(pl.UInt32))  # same term, same id
        ).to_series(),
        term=term,
    )
    # 4. each chunk's list of (term id, keep), gathered for every chunk row and exploded: the
    # matches of every text in order (a chunk without matches adds no row)
    lists = pl.DataFrame({"chunk": pl.int_range(len(distinct), eager=True, dtype=pl.UInt32)}).join(
        found.group_by("chunk").agg("t0", "keep"),  # order within a group is kept
        on="chunk",
        how="left",
        maintain_order="left",
    )
    tok = (
        pl.DataFrame(
            {
                "doc": chunks["d"],
                **({} if groups is None else {"g": chunks["g"]}),
                "t0": lists["t0"].gather(codes),
                "keep": lists["keep"].gather(codes),
            }
        )
        .drop_nulls("t0")
        .explode("t0", "keep")
        .with_columns(pl.col("keep").fill_null(False))
    )
    parts = []
    for n in sizes:
        keys = [f"t{k}" for k in range(n)]
        # first and last words not stopwords, words (stopwords allowed) in between
        ok = pl.col("keep")
        if n > 1:
            ok = ok & pl.col("keep").shift(-(n - 1)).fill_null(False)
        for k in range(1, n - 1):
            ok = ok & pl.col("t0").shift(-k).is_not_null()
        grams = tok.with_columns(
            *[pl.col("t0").shift(-k).alias(f"t{k}") for k in range(1, n)]
        ).filter(ok)
        if n == 2:  # the two ids as one 64-bit key: a single-column hash group_by
            grams = grams.select("doc", *lead, key=_PAIR_KEY)
        counted = grams.group_by(*lead, *(["key"] if n == 2 else keys)).agg(
            count=pl.len().cast(pl.Int64), doc_count=pl.col("doc").n_unique().cast(pl.Int64)
        )
        parts.append(_unpacked(counted, n))
    # term id -> word (joiner back to a dot)
    ids = found.filter(pl.col("t0").is_not_null()).unique("t0")
    names = pl.Series(
        [None] * (int(ids["t0"].max()) + 1 if ids.height else 1), dtype=pl.String
    ).scatter(ids["t0"], ids["term"].str.replace_all(_JOIN, ".", literal=True))
    return parts, names, slow


def reference_counters(
    texts: Iterable[str], sizes: Sequence[int], stop: frozenset[str]
) -> tuple[Counter[str], Counter[str]]:
    """Occurrences and documents per term with the reference tokeniser, one text at a time
    (the fallback here, and the pure-Python engine of the benchmark)."""
    counts: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    for text in texts:
        terms = doc_terms(text, sizes, stop)
        counts.update(terms)
        docs.update(set(terms))
    return counts, docs


def _count_reference(
    texts: Sequence[str],
    sizes: Sequence[int],
    stop: frozenset[str],
    groups: Sequence[int] | None = None,
    docs: Sequence[int] | None = None,
) -> pl.DataFrame:
    """Partial counts of ``texts`` by the reference tokeniser (the fast path's fallback), per
    group and with documents identified by ``docs`` as in :func:`_count_fast`."""
    if groups is None and docs is None:
        counts, doc_counts = reference_counters(texts, sizes, stop)
        keys = list(counts)
        return pl.DataFrame(
            {
                "n": [k.count(" ") + 1 for k in keys],
                "term": keys,
                "count": [counts[k] for k in keys],
                "doc_count": [doc_counts[k] for k in keys],
            },
            schema=_PARTIAL,
        )
    occurrences: Counter[tuple[int, str]] = Counter()
    users: dict[tuple[int, str], set[int]] = {}
    for i, text in enumerate(texts):
        group = 0 if groups is None else groups[i]
        doc = i if docs is None else docs[i]
        for term in doc_terms(text, sizes, stop):
            occurrences[group, term] += 1
            users.setdefault((group, term), set()).add(doc)
    keys = list(occurrences)
    frame = pl.DataFrame(
        {
            "group": pl.Series([g for g, _ in keys], dtype=pl.UInt32),
            "n": [t.count(" ") + 1 for _, t in keys],
            "term": [t for _, t in keys],
            "count": [occurrences[k] for k in keys],
            "doc_count": [len(users[k]) for k in keys],
        },
        schema={"group": pl.UInt32, **_PARTIAL},
    )
    return frame if groups is not None else frame.drop("group")


def count_batch(
    texts: Sequence[str] | pd.Series | pl.Series,
    ngram: int | Iterable[int] = (1, 2),
    stopwords: Iterable[str] | None = None,
    threads: int | None = None,
    groups: Sequence[int] | pl.Series | None = None,
    docs: Sequence[int] | pl.Series | None = None,
) -> pl.DataFrame:
    """Partial counts of one batch of documents as a Polars frame (n, term, count, doc_count),
    unsorted: the building block that :func:`merge_counts` adds up (batches, dump files, Dask
    partitions). Documents in different batches must be different documents.

    ``groups``: an integer code per text (e.g. its period); counts are then per group, in a
    leading ``group`` column. ``docs``: an integer code per text naming the document it
    belongs to (e.g. a paper listed in two dumps): ``doc_count`` then counts distinct codes,
    and all texts of one code must be in the same batch.

    Polars runs each string kernel of one column on one core, so the regex work is cut into
    ``threads`` slices (default: Polars' thread pool size) run in parallel threads; the batch
    keeps one term-id space, so nothing is merged by strings.

    >>> count_batch(["Deep nets.", "Deep models."], ngram=1).sort("term").to_dicts()[0]
    {'n': 1, 'term': 'deep', 'count': 2, 'doc_count': 2}
    """
    sizes, stop = _sizes(ngram), _stop(stopwords)
    series = pl.Series("text", list(texts) if not isinstance(texts, pl.Series) else texts)
    series = series.cast(pl.String).fill_null("")
    codes = {
        name: None if values is None else pl.Series(name, values).cast(pl.UInt32)
        for name, values in (("groups", groups), ("docs", docs))
    }
    for name, values in codes.items():
        if values is not None and len(values) != len(series):
            raise ValueError(f"{name}: {len(values)} codes for {len(series)} texts")
    counts, slow = _count_fast(series, sizes, stop, threads or pl.thread_pool_size(), **codes)
    if len(slow):
        picked = {k: None if v is None else v.gather(slow).to_list() for k, v in codes.items()}
        fallback = _count_reference(series.gather(slow).to_list(), sizes, stop, **picked)
        return merge_counts([counts, fallback])
    return counts.select(_columns(counts))


def _threads() -> int:
    return pl.thread_pool_size()


def _columns(counts: pl.DataFrame) -> list[str]:
    return (["group"] if "group" in counts.columns else []) + list(_PARTIAL)


def merge_counts(parts: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """Add up partial counts (of disjoint sets of documents; per group if they have one)."""
    frames = [p.select(_columns(p)) for p in parts]
    if not frames:
        return pl.DataFrame(schema=_PARTIAL)
    if len(frames) == 1:
        return frames[0]
    return _summed(frames, _columns(frames[0])[:-2])


def _summed(frames: Sequence[pl.DataFrame], keys: list[str]) -> pl.DataFrame:
    """Rows of ``frames`` (same columns) with equal ``keys`` added up (count, doc_count), in one
    lazy query: concatenating the frames eagerly first copies them all into one (measured 2.3x
    slower on 20 parts, 36 million rows, shaped like a million abstracts' bigram batches)."""
    return (
        pl.concat([frame.lazy() for frame in frames])
        .group_by(keys)
        .agg(pl.col("count").sum(), pl.col("doc_count").sum())
        .select(frames[0].columns)
        .collect()
    )


def sort_counts(counts: pl.DataFrame, lead: Sequence[str] = ("n",)) -> pl.DataFrame:
    """Counts sorted by the ``lead`` columns, then descending doc_count and count, then term.

    Most n-grams of a large corpus occur once (count 1, hence doc_count 1): they all tie on
    the numbers and end each ``lead`` block, ordered by term alone. A sort on all the keys
    would order them through its string tie-break (measured: 2.7 s for 2 million terms);
    sorting them by term alone, the few repeated terms on all the keys, and then both by the
    ``lead`` columns (a stable sort on integers) gives the same order in about a third of the
    time.

    >>> sort_counts(pl.DataFrame({"n": [1, 1, 1], "term": ["b", "c", "a"], "count": [1, 2, 1],
    ...                           "doc_count": [1, 1, 1]}))["term"].to_list()
    ['c', 'a', 'b']
    """
    lead = list(lead)
    once = pl.col("count") == 1
    repeated = counts.filter(~once).sort(
        [*lead, "doc_count", "count", "term"],
        descending=[False] * len(lead) + [True, True, False],
    )
    singles = counts.filter(once).sort("term")
    if not lead:
        return pl.concat([repeated, singles])
    return (
        pl.concat([repeated.with_columns(_last=False), singles.with_columns(_last=True)])
        .sort([*lead, "_last"], maintain_order=True)
        .drop("_last")
    )


def to_pandas(counts: pl.DataFrame) -> pd.DataFrame:
    """Partial/merged Polars counts -> the checked pandas table (term, n, count, doc_count),
    sorted by n, then descending doc_count and count, then term."""
    return _as_pandas(sort_counts(counts.select(list(_PARTIAL))))


def _as_pandas(ordered: pl.DataFrame) -> pd.DataFrame:
    """Counts already in their order -> the checked pandas table."""
    out = (
        ordered.select("term", "n", "count", "doc_count")
        .to_pandas()
        .astype({"term": "str", "n": "int64", "count": "int64", "doc_count": "int64"})
    )
    return COUNTS_SCHEMA.validate(out, inplace=True)  # no copy: the frame is new, not coerced


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
    totals = _Accumulator(_sizes(ngram), _stop(stopwords), grouped=False)
    for batch in _batches(texts, batch_docs):
        totals.add(pl.Series("text", batch, dtype=pl.String).fill_null(""), _threads())
    return _as_pandas(totals.result(["n"]))


def count_groups(
    texts: Sequence[str] | pd.Series,
    groups: Sequence[int] | np.ndarray | None = None,
    docs: Sequence[int] | np.ndarray | None = None,
    ngram: int | Iterable[int] = (1, 2),
    stopwords: Iterable[str] | None = None,
    batch_docs: int = 200_000,
    min_count: int = 1,
) -> pl.DataFrame:
    """Polars counts (``group``, n, term, count, doc_count) of ``texts`` per integer group code
    (``groups``; no ``group`` column when None), with ``doc_count`` counting distinct ``docs``
    codes (default: every text is a document), sorted by group, then descending doc_count and
    count, then term (n is not a sort key). Texts are counted in batches
    of about ``batch_docs``; the texts of one document always share a batch. N-grams of two or
    more words seen fewer than ``min_count`` times (in their group) are left out before their
    strings are built, which saves most of the time and memory of the output on a large
    corpus, where most of them are seen once; unigrams are all kept. The last
    ``RECENT_COUNTS`` results are kept and returned again for the same inputs (recognised by a
    hash of their content, not by identity), so do not modify the returned frame in place.

    >>> count_groups(["Deep nets.", "Deep models.", "Deep nets."], groups=[0, 0, 1],
    ...              docs=[0, 1, 0], ngram=1).sort("group", "term").rows()[:2]
    [(0, 1, 'deep', 2, 2), (0, 1, 'models', 1, 1)]
    """
    texts = pl.Series("text", list(texts) if not isinstance(texts, pl.Series) else texts)
    ngram = tuple(_sizes(ngram))
    stop = _stop(stopwords)
    # notebooks ask for the same counts several times (term shares, distinctive terms,
    # emerging terms, bursts): a fingerprint of the inputs finds them again
    key = (
        _fingerprint(texts),
        None if groups is None else _fingerprint(pl.Series(np.asarray(groups))),
        None if docs is None else _fingerprint(pl.Series(np.asarray(docs))),
        ngram,
        stop,
        batch_docs,
        min_count,
    )
    if key in _RECENT:
        _RECENT.move_to_end(key)
        return _RECENT[key]
    counted = _count_groups(texts, groups, docs, ngram, stop, batch_docs, min_count)
    _RECENT[key] = counted
    while len(_RECENT) > RECENT_COUNTS:
        _RECENT.popitem(last=False)
    return counted


MERGE_BUDGET = 1 << 30
"""Bytes of batch counts held unmerged (per n-gram size) before they are added up: see
:class:`_RunningTotal`. Lower it to trade speed for memory on a small machine."""
RECENT_COUNTS = 4  # results of count_groups kept for reuse (0: none)
_RECENT: OrderedDict[tuple, pl.DataFrame] = OrderedDict()


def _fingerprint(values: pl.Series) -> tuple[int, int, int]:
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
    totals = _Accumulator(ngram, stop, grouped=groups is not None)
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
    of the ``count``/``doc_count`` columns of :func:`helpers.terms.term_frequencies`.
    ``field`` is "abstract", "title" or "both" (title and abstract joined by a newline).

    >>> count_terms(pd.DataFrame({"title": ["Deep nets"], "abstract": ["Deep nets."]}), 1)
       term  n  count  doc_count
    0  deep  1      1          1
    1  nets  1      1          1
    """
    from helpers.terms import field_text

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


def _paper_text(title: str, abstract: str, field: str) -> str:
    if field == "abstract":
        return abstract
    if field == "title":
        return title
    if field == "both":
        return f"{title}\n{abstract}"
    raise ValueError(f"field must be 'abstract', 'title' or 'both', got {field!r}")


def iter_dump_texts(files: Iterable[str | os.PathLike], field: str = "abstract") -> Iterator[str]:
    """The text of each paper of each dump file, one file parsed at a time (files that are not
    dumps are skipped with a warning, like ``ingest``)."""
    from helpers.dumps import DumpFormatError, parse_file

    for path in files:
        try:
            parsed = parse_file(path)
        except DumpFormatError as exc:
            warnings.warn(f"not counted: {exc}", stacklevel=2)
            continue
        for paper in parsed.papers:
            yield _paper_text(paper.title, paper.abstract, field)
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
    totals = _Accumulator(_sizes(ngram), _stop(stopwords), grouped=False)
    batches = _batches(iter_dump_texts(files, field), batch_docs)
    for batch in _prefetch(batches) if prefetch else batches:
        totals.add(pl.Series("text", batch, dtype=pl.String), _threads())
    return totals.result(["n"])


class _RunningTotal:
    """Adds up batch counts without re-grouping the whole running total at every batch.

    Merging each batch into one total costs (batches x vocabulary) hashing, which dominates
    when the vocabulary runs into millions of n-grams. Without a ``budget``, partial totals
    are kept like the digits of a binary counter: a new part is merged with the newest kept
    part while that one is no larger than it, so every row is re-grouped only about
    log2(batches) times and at most log2(batches) + 1 parts are held.

    With a ``budget`` (bytes), parts are held unmerged until those added since the last merge
    exceed both the budget and the merged total, and then everything is merged at once: every
    row is grouped about twice at most, and memory stays within the merged total plus
    max(budget, merged total) plus one part. On a million abstracts (bigram parts keyed by
    one integer) this halved the merge time of the binary counter.
    """

    def __init__(self, merge=None, budget: int = 0) -> None:
        self.parts: list[pl.DataFrame] = []
        self.merge = merge or merge_counts
        self.budget = budget
        self.merged = 0  # estimated bytes of parts[0] when it is a merged total
        self.pending = 0  # estimated bytes of the parts added since

    def add(self, part: pl.DataFrame) -> None:
        if self.budget:
            self.parts.append(part)
            self.pending += part.estimated_size()
            if self.pending > max(self.budget, self.merged):
                self.parts = [self.merge(self.parts)]
                self.merged, self.pending = self.parts[0].estimated_size(), 0
            return
        while self.parts and self.parts[-1].height <= part.height:
            part = self.merge([self.parts.pop(), part])
        self.parts.append(part)

    def result(self) -> pl.DataFrame:
        return self.merge(self.parts)


def _merge_ids(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Add up id-keyed partial counts (every column but count and doc_count is a key)."""
    if len(parts) == 1:
        return parts[0]
    return _summed(parts, [c for c in parts[0].columns if c not in ("count", "doc_count")])


def _lexsort(keys: Sequence[np.ndarray]) -> np.ndarray:
    """Row order sorting by ``keys`` (most significant first, each ascending; non-negative
    integers). One pass per group of keys, least significant group first: the group's keys,
    bit-packed into one 64-bit word with each row's current position in the low bits, are
    sorted by Polars, so rows are ordered by those keys and ties keep their order (a stable
    sort). A word of 16 bits or less gets NumPy's stable argsort (a radix sort), and so does
    a key too wide to share a word with the position. One stable NumPy argsort per key was
    4x faster than Polars' multi-column sort; this, with the terms seen once sorted apart
    (:meth:`_Accumulator.result`), took the final step on a million abstracts (16.5 million
    terms) from about 10 s to 7.4 s.

    >>> _lexsort([np.array([1, 0, 1, 0]), np.array([5, 7, 2, 7])]).tolist()
    [1, 3, 2, 0]
    """
    rows = len(keys[0]) if keys else 0
    order = np.arange(rows)
    if rows < 2:
        return order
    position = int(rows - 1).bit_length()
    widths = [max(1, int(key.max()).bit_length()) for key in keys]
    end = len(keys)
    while end > 0:
        start, used = end - 1, widths[end - 1]
        while start > 0 and used + widths[start - 1] <= 64 - position:
            start -= 1
            used += widths[start]
        word = np.zeros(rows, dtype=np.uint64)
        for k in range(start, end):  # the first pass needs no reordering
            key = keys[k] if end == len(keys) else keys[k][order]
            word = (word << np.uint64(widths[k])) | key.astype(np.uint64)
        if used <= 16:  # NumPy's stable sort of 16-bit integers is a radix sort
            ranked = np.argsort(word.astype(np.uint16), kind="stable")
        elif used <= 64 - position:
            word = (word << np.uint64(position)) | np.arange(rows, dtype=np.uint64)
            ranked = (pl.Series(word).sort().to_numpy() & np.uint64((1 << position) - 1)).astype(
                np.intp
            )
        else:  # one key too wide to share a word with the position
            ranked = np.argsort(word, kind="stable")
        order = order[ranked]
        end = start
    return order


def _packed(part: pl.DataFrame, n: int) -> pl.DataFrame:
    """Id-keyed bigram counts stored with their two word ids as one 64-bit ``key``: batch
    totals are then added up by a single-column integer group_by (measured 2x faster than
    grouping on two id columns; the merges were a third of the time on a million
    abstracts). Other sizes are kept as they are."""
    if n != 2:
        return part
    return part.select(
        pl.exclude("t0", "t1", "count", "doc_count"),
        key=_PAIR_KEY,
        count="count",
        doc_count="doc_count",
    )


def _unpacked(part: pl.DataFrame, n: int) -> pl.DataFrame:
    """The inverse of :func:`_packed`: ``t0``, ``t1`` back from ``key``."""
    if n != 2:
        return part
    return part.with_columns(
        t0=(pl.col("key") // _HIGH).cast(pl.UInt32), t1=(pl.col("key") % _HIGH).cast(pl.UInt32)
    ).drop("key")


class _Accumulator:
    """Counts batch after batch with ONE vocabulary of words for the whole run.

    Each batch's term ids become global word ids (new words get the next ids), so batch
    totals are added up on integer keys and n-gram strings are built once, at the end. The
    order needs no string sort either: words are ranked once, and as every character of a word
    sorts after the space, ordering terms by the ranks of their words (a shorter term first
    where one is the other's start) is exactly ordering them as strings (tested).
    """

    def __init__(self, sizes: Sequence[int], stop: frozenset[str], grouped: bool) -> None:
        self.sizes, self.stop, self.grouped = list(sizes), stop, grouped
        self.words = pl.Series("word", [], dtype=pl.String)  # index = global id
        self.totals = {n: _RunningTotal(_merge_ids, MERGE_BUDGET) for n in self.sizes}

    def _ids(self, words: pl.Series) -> pl.Series:
        """The global id of each word (nulls stay null), adding unseen words."""
        seen = words.is_in(self.words.implode()).fill_null(True)
        new = words.filter(~seen).unique(maintain_order=True)
        self.words = pl.concat([self.words, new.rename("word")])
        lookup = pl.DataFrame({"word": self.words}).with_row_index("id")
        return (
            pl.DataFrame({"word": words})
            .join(lookup, on="word", how="left", maintain_order="left")["id"]
            .cast(pl.UInt32)
        )

    def _add(self, n: int, part: pl.DataFrame) -> None:
        """Id-keyed counts of n-grams of size ``n`` into the running total (stored packed)."""
        self.totals[n].add(_packed(part, n))

    def add(
        self,
        texts: pl.Series,
        threads: int,
        groups: pl.Series | None = None,
        docs: pl.Series | None = None,
    ) -> None:
        parts, names, slow = _count_ids(texts, self.sizes, self.stop, threads, groups, docs)
        ids = self._ids(names)
        for n, part in zip(self.sizes, parts, strict=True):
            self._add(
                n, part.with_columns(*[ids.gather(part[f"t{k}"]).alias(f"t{k}") for k in range(n)])
            )
        if len(slow):
            picked = {
                "groups": None if groups is None else groups.gather(slow).to_list(),
                "docs": None if docs is None else docs.gather(slow).to_list(),
            }
            counted = _count_reference(
                texts.gather(slow).to_list(), self.sizes, self.stop, **picked
            )
            for n in self.sizes:
                rows = counted.filter(pl.col("n") == n)
                words = rows["term"].str.split(" ")
                self._add(
                    n,
                    pl.DataFrame(
                        {
                            **({"g": rows["group"]} if "group" in rows.columns else {}),
                            **{f"t{k}": self._ids(words.list.get(k)) for k in range(n)},
                            "count": rows["count"].cast(pl.Int64),
                            "doc_count": rows["doc_count"].cast(pl.Int64),
                        }
                    ),
                )

    def result(self, lead: Sequence[str], min_count: int = 1) -> pl.DataFrame:
        """All counts: ``group`` (if grouped), n, term, count, doc_count, sorted by the
        ``lead`` columns ("group", "n"), then descending doc_count and count, then term;
        n-grams of two or more words seen fewer than ``min_count`` times left out."""
        rank = self.words.rank("dense").cast(pl.UInt32)  # words are distinct
        longest = max(self.sizes)
        frames = []
        for n in self.sizes:
            part = self.totals[n].result() if self.totals[n].parts else None
            if part is not None and n > 1 and min_count > 1:
                part = part.filter(pl.col("count") >= min_count)
            if part is None or not part.height:
                continue
            frames.append(
                _unpacked(part, n)
                .select(
                    *([pl.col("g").alias("group")] if self.grouped else []),
                    n=pl.lit(n, dtype=pl.Int64),
                    count=pl.col("count").cast(pl.Int64),
                    doc_count=pl.col("doc_count").cast(pl.Int64),
                    **{f"t{k}": pl.col(f"t{k}") for k in range(n)},
                )
                .with_columns(
                    *[pl.lit(None, dtype=pl.UInt32).alias(f"t{k}") for k in range(n, longest)]
                )
            )
        columns = (["group"] if self.grouped else []) + list(_PARTIAL)
        if not frames:
            schema = {"group": pl.UInt32, **_PARTIAL} if self.grouped else _PARTIAL
            return pl.DataFrame(schema=schema).select(columns)
        every = pl.concat(frames)
        # sort keys, most significant first: the lead columns; doc_count and count descending
        # (complemented); the ranks + 1 of the words (0 after a term's end, so a term comes
        # before the longer terms it starts)
        lead_keys = [every[c].to_numpy() for c in lead]
        numbers = [
            np.uint64(every[c].max()) - every[c].to_numpy().astype(np.uint64)
            for c in ("doc_count", "count")
        ]
        ranks = [
            (rank.gather(every[f"t{k}"]).cast(pl.UInt64) + 1).fill_null(0).to_numpy()
            for k in range(longest)
        ]
        # terms seen once (count 1, so doc_count 1: most of them) end each lead block, ordered
        # by their words alone: only the others need the numbers as sort keys
        once = every["count"].to_numpy() == 1
        repeated, single = np.flatnonzero(~once), np.flatnonzero(once)
        order = np.concatenate(
            [
                repeated[_lexsort([key[repeated] for key in (*lead_keys, *numbers, *ranks)])],
                single[_lexsort([key[single] for key in (*lead_keys, *ranks)])],
            ]
        )
        if lead_keys:  # the two runs merged by the lead columns (a stable sort)
            order = order[_lexsort([key[order] for key in lead_keys])]
        every = every[order]
        words = [self.words.gather(every[f"t{k}"]) for k in range(longest)]
        term = pl.DataFrame({f"w{k}": w for k, w in enumerate(words)}).select(
            pl.concat_str(pl.all(), separator=" ", ignore_nulls=True)
        )
        return every.with_columns(term=term.to_series()).select(columns)


def count_dumps(
    source: str | os.PathLike | Sequence[str | os.PathLike],
    ngram: int | Iterable[int] = (1, 2),
    field: str = "abstract",
    stopwords: Iterable[str] | None = None,
    batch_docs: int = 50_000,
    progress: bool | None = None,
    prefetch: bool = True,
) -> pd.DataFrame:
    """Count n-grams straight from dump files (a folder, a file or a list), streaming: one file
    is parsed at a time and at most ``batch_docs`` texts are held, so memory stays bounded by
    the batch and the vocabulary, not by the corpus (``prefetch``: see :func:`count_files`).
    Every paper appearance is a document (as in
    the papers frame). A progress bar shows on a terminal (``progress=None``).

    >>> count_dumps("data/raw", ngram=1).head(2)  # doctest: +SKIP
    """
    from helpers.load import dump_order, resolve_sources

    files = [p for _, p in dump_order(resolve_sources(source))]
    stop = _stop(stopwords)
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
    return _as_pandas(count_files(files, ngram, field, stop, batch_docs, prefetch))


__all__ = [
    "COUNTS_SCHEMA",
    "count_batch",
    "count_dumps",
    "count_files",
    "count_groups",
    "count_terms",
    "count_texts",
    "fast_path",
    "iter_dump_texts",
    "merge_counts",
    "normalised_expr",
    "sort_counts",
    "translate",
    "to_pandas",
]
