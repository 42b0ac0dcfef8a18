"""The Polars counting engine: the reference tokeniser's counts, one batch of texts at a time.

:mod:`helpers.text` is the reference: Python regexes, one document at a time. This module gives
the SAME counts (term, occurrences, documents) by running its rules as Polars string
expressions (Rust regex, no per-token Python work) over a batch of documents:

1. a split on spaces into chunks (cheap: no regex), each distinct chunk an integer code
   (:func:`_split_encode`);
2. per DISTINCT chunk, between two spaces: the typographic variants (literal replacements),
   the fast-path test, plural acronyms on the original casing, lowercase, ``fine-tun`` and
   the bound-prefix hyphens -- the reference's rules 1-4, in order -- and one ``extract_all``
   with the reference's alternatives in the reference's order (URL | number | word +
   possessive | break). None of them looks across a space (see :func:`count_ids`);
3. each match gets an integer term id (none for URLs, numbers and breaks; a word and its
   possessive share one) and each chunk the list of its ids, gathered for every chunk of every
   text and exploded: the ids of the text's matches in order;
4. n-grams by shifting the id column: an n-gram is n consecutive word matches of one
   document (a break, URL or number in between is a row without an id, so n-grams never
   cross it), whose first and last words are not stopwords;
5. ``group_by`` on id tuples: occurrences and the number of documents using the term.

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

Invariant: a document whose characters fall outside a set on which Python's and Rust's Unicode
classes (``\\w``, ``\\d``, ``\\s``, ``\\b``, lowercasing) provably agree, or that contains the URL
hazard above, is counted by the reference tokeniser itself (:func:`helpers.text.doc_terms`).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import polars as pl

from helpers.text import JOINED_PREFIXES, doc_terms, ngram_sizes, stopword_set

_MIN_SLICE = 2_000  # documents per thread below which one thread counts the batch
_HOLD = "\ue000"  # placeholder for a hyphen that must keep (not followed by a letter)
_JOIN = "\ue001"  # placeholder for a dot between two digits
_HIGH = 1 << 32  # bigram key: first id * _HIGH + second id
_PAIR_KEY = pl.col("t0").cast(pl.UInt64) * _HIGH + pl.col("t1")  # see pack_pairs and unpack_pairs

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

PARTIAL = {"n": pl.Int64, "term": pl.String, "count": pl.Int64, "doc_count": pl.Int64}


def normalize_expr(text: pl.Expr, translated: bool = False, newline: bool = True) -> pl.Expr:
    """The reference's rules 1-4 (variants, plural acronyms, lowercase, prefix hyphens) as one
    Polars expression, plus the digit-dot joiner and a final newline (a break) for matching.
    ``translated``: rule 1 (:func:`translate`) was already applied to ``text``; ``newline``:
    append the newline.

    >>> pl.select(normalize_expr(pl.lit("Multi-Modal LLMs v1.5"))).item()
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
    which numbers distinct strings 0..k-1 as it meets them (faster than a group_by, and the
    cast runs on every core); else :func:`_encode` numbers them.

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
    padded = pl.select(normalize_expr(" " + pl.lit(distinct) + " ", True, False)).to_series()
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
    :func:`count_ids` with their n-grams as strings."""
    parts, names, slow = count_ids(texts, sizes, stop, threads, groups, docs)
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


def count_ids(
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
        parts.append(unpack_pairs(counted, n))
    # term id -> word (joiner back to a dot)
    ids = found.filter(pl.col("t0").is_not_null()).unique("t0")
    names = pl.Series(
        [None] * (int(ids["t0"].max()) + 1 if ids.height else 1), dtype=pl.String
    ).scatter(ids["t0"], ids["term"].str.replace_all(_JOIN, ".", literal=True))
    return parts, names, slow


def reference_counters(
    texts: Iterable[str], sizes: Sequence[int], stopwords: frozenset[str]
) -> tuple[Counter[str], Counter[str]]:
    """Occurrences and documents per term with the reference tokeniser, one text at a time
    (the fallback here, and the pure-Python engine of the benchmark)."""
    counts: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    for text in texts:
        terms = doc_terms(text, sizes, stopwords)
        counts.update(terms)
        docs.update(set(terms))
    return counts, docs


def count_reference(
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
            schema=PARTIAL,
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
        schema={"group": pl.UInt32, **PARTIAL},
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

    Parameters
    ----------
    texts : one text per row.
    ngram, stopwords : n-gram sizes and stopwords (default: :func:`helpers.text.stopwords`).
    threads : slices of the batch whose regex work runs in parallel threads (Polars runs one
        string kernel of one column on one core); default: Polars' thread pool size.
    groups : an integer code per text (e.g. its period); counts are then per group, in a
        leading ``group`` column.
    docs : an integer code per text naming its document (e.g. a paper listed in two dumps):
        ``doc_count`` then counts distinct codes; a document's texts must share the batch.

    >>> count_batch(["Deep nets.", "Deep models."], ngram=1).sort("term").to_dicts()[0]
    {'n': 1, 'term': 'deep', 'count': 2, 'doc_count': 2}
    """
    sizes, stop = ngram_sizes(ngram), stopword_set(stopwords)
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
        fallback = count_reference(series.gather(slow).to_list(), sizes, stop, **picked)
        return merge_counts([counts, fallback])
    return counts.select(_columns(counts))


def _columns(counts: pl.DataFrame) -> list[str]:
    return (["group"] if "group" in counts.columns else []) + list(PARTIAL)


def merge_counts(parts: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """Add up partial counts (of disjoint sets of documents; per group if they have one)."""
    frames = [p.select(_columns(p)) for p in parts]
    if not frames:
        return pl.DataFrame(schema=PARTIAL)
    if len(frames) == 1:
        return frames[0]
    return sum_counts(frames, _columns(frames[0])[:-2])


def sum_counts(frames: Sequence[pl.DataFrame], keys: list[str]) -> pl.DataFrame:
    """Rows of ``frames`` (same columns) with equal ``keys`` added up (count, doc_count), in one
    lazy query (concatenating the frames eagerly first would copy them all into one)."""
    return (
        pl.concat([frame.lazy() for frame in frames])
        .group_by(keys)
        .agg(pl.col("count").sum(), pl.col("doc_count").sum())
        .select(frames[0].columns)
        .collect()
    )


def pack_pairs(part: pl.DataFrame, n: int) -> pl.DataFrame:
    """Id-keyed bigram counts stored with their two word ids as one 64-bit ``key``: batch
    totals are then added up by a single-column integer group_by, much faster than grouping
    on two id columns. Other sizes are kept as they are."""
    if n != 2:
        return part
    return part.select(
        pl.exclude("t0", "t1", "count", "doc_count"),
        key=_PAIR_KEY,
        count="count",
        doc_count="doc_count",
    )


def unpack_pairs(part: pl.DataFrame, n: int) -> pl.DataFrame:
    """The inverse of :func:`pack_pairs`: ``t0``, ``t1`` back from ``key``."""
    if n != 2:
        return part
    return part.with_columns(
        t0=(pl.col("key") // _HIGH).cast(pl.UInt32), t1=(pl.col("key") % _HIGH).cast(pl.UInt32)
    ).drop("key")


__all__ = [
    "PARTIAL",
    "count_batch",
    "count_ids",
    "count_reference",
    "fast_path",
    "merge_counts",
    "normalize_expr",
    "pack_pairs",
    "reference_counters",
    "sum_counts",
    "translate",
    "unpack_pairs",
]
