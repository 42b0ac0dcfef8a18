"""Batch counts added up into one table, and the table's final order.

A run counts batch after batch (:class:`Accumulator`) with ONE vocabulary of words: each
batch's term ids become global word ids, totals are added up on integer keys
(:class:`_RunningTotal`), and n-gram strings are built once, at the end. Invariant: the result
is exactly the counts of all texts at once, sorted by the lead columns, then descending
doc_count and count, then term (as a string).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pandera.pandas as pa
import polars as pl

from helpers.text.engine import (
    PARTIAL,
    count_ids,
    count_reference,
    merge_counts,
    pack_pairs,
    sum_counts,
    unpack_pairs,
)

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

MERGE_BUDGET = 1 << 30
"""Bytes of batch counts held unmerged (per n-gram size) before they are added up: see
:class:`_RunningTotal`. Lower it to trade speed for memory on a small machine."""


def sort_counts(counts: pl.DataFrame, lead: Sequence[str] = ("n",)) -> pl.DataFrame:
    """Counts sorted by the ``lead`` columns, then descending doc_count and count, then term.

    Most n-grams of a large corpus occur once (count 1, hence doc_count 1): they all tie on
    the numbers and end each ``lead`` block, ordered by term alone. A sort on all the keys
    would order them through its slow string tie-break; sorting them by term alone, the few
    repeated terms on all the keys, and then both by the ``lead`` columns (a stable sort on
    integers) gives the same order in a fraction of the time.

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
    return ordered_to_pandas(sort_counts(counts.select(list(PARTIAL))))


def ordered_to_pandas(ordered: pl.DataFrame) -> pd.DataFrame:
    """Counts already in their order -> the checked pandas table."""
    out = (
        ordered.select("term", "n", "count", "doc_count")
        .to_pandas()
        .astype({"term": "str", "n": "int64", "count": "int64", "doc_count": "int64"})
    )
    return COUNTS_SCHEMA.validate(out, inplace=True)  # no copy: the frame is new, not coerced


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
    max(budget, merged total) plus one part.
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
    return sum_counts(parts, [c for c in parts[0].columns if c not in ("count", "doc_count")])


def _lexsort(keys: Sequence[np.ndarray]) -> np.ndarray:
    """Row order sorting by ``keys`` (most significant first, each ascending; non-negative
    integers). One pass per group of keys, least significant group first: the group's keys,
    bit-packed into one 64-bit word with each row's current position in the low bits, are
    sorted by Polars, so rows are ordered by those keys and ties keep their order (a stable
    sort). A word of 16 bits or less gets NumPy's stable argsort (a radix sort), and so does
    a key too wide to share a word with the position (faster than Polars' multi-column sort
    or one NumPy argsort per key).

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


class Accumulator:
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
        self.totals[n].add(pack_pairs(part, n))

    def add(
        self,
        texts: pl.Series,
        threads: int,
        groups: pl.Series | None = None,
        docs: pl.Series | None = None,
    ) -> None:
        parts, names, slow = count_ids(texts, self.sizes, self.stop, threads, groups, docs)
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
            counted = count_reference(
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
                unpack_pairs(part, n)
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
        columns = (["group"] if self.grouped else []) + list(PARTIAL)
        if not frames:
            schema = {"group": pl.UInt32, **PARTIAL} if self.grouped else PARTIAL
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


__all__ = [
    "Accumulator",
    "COUNTS_SCHEMA",
    "MERGE_BUDGET",
    "ordered_to_pandas",
    "sort_counts",
    "to_pandas",
]
