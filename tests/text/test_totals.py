"""helpers.text.totals: batch counts add up to the counts of the whole, in the final order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.testing import synth
from helpers.text import totals as totals_module
from helpers.text.counting import count_batch, count_texts, merge_counts, to_pandas
from helpers.text.totals import sort_counts


def test_batches_merge_to_the_whole():
    texts = synth.papers_frame(list(synth.iter_dumps(2, 30, seed=1)))["abstract"].tolist()
    parts = [count_batch(texts[i : i + 7]) for i in range(0, len(texts), 7)]
    pd.testing.assert_frame_equal(to_pandas(merge_counts(parts)), count_texts(texts))


def test_running_total_equals_one_merge_for_any_batch_size():
    texts = synth.papers_frame(list(synth.iter_dumps(3, 40, seed=2)))["abstract"].tolist()
    whole = count_texts(texts)
    for size in (1, 3, 10, 17, 200):
        pd.testing.assert_frame_equal(count_texts(texts, batch_docs=size), whole)
    totals = totals_module._RunningTotal()
    for i in range(0, len(texts), 5):
        totals.add(count_batch(texts[i : i + 5]))
    # partial totals are merged as they come: never more than log2(batches) + 1 held
    assert len(totals.parts) <= (len(texts) // 5).bit_length() + 1


def test_running_total_with_a_budget_merges_once_over_it():
    texts = synth.papers_frame(list(synth.iter_dumps(3, 40, seed=2)))["abstract"].tolist()
    parts = [count_batch(texts[i : i + 5]) for i in range(0, len(texts), 5)]
    size = max(p.estimated_size() for p in parts)
    totals = totals_module._RunningTotal(budget=3 * size)
    merges = 0
    for part in parts:
        before = len(totals.parts)
        totals.add(part)
        merges += len(totals.parts) < before + 1
        # what is held: the merged total, and since then at most max(budget, total) + a part
        assert totals.pending <= max(totals.budget, totals.merged) + size
    assert 0 < merges < len(parts) // 3
    pd.testing.assert_frame_equal(to_pandas(totals.result()), count_texts(texts))
    # the accumulator's budget gives the same counts whether it merges often or never
    for budget in (1, 10**12):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(totals_module, "MERGE_BUDGET", budget)
            pd.testing.assert_frame_equal(count_texts(texts, batch_docs=7), count_texts(texts))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 3), st.text("ab c", min_size=1, max_size=4), st.integers(1, 4)),
        max_size=40,
    )
)
def test_sort_counts_is_the_four_key_sort(rows):
    frame = pl.DataFrame(
        {
            "n": [r[0] for r in rows],
            "term": [r[1] for r in rows],
            "count": [r[2] for r in rows],
            "doc_count": [min(r[2], 1 + r[0] % 2) for r in rows],
        },
        schema={"n": pl.Int64, "term": pl.String, "count": pl.Int64, "doc_count": pl.Int64},
    ).unique(["n", "term"])
    expected = frame.sort(
        ["n", "doc_count", "count", "term"], descending=[False, True, True, False]
    )
    assert sort_counts(frame).equals(expected)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 300),
    st.lists(st.sampled_from([1, 2, 15, 16, 17, 30, 44, 63]), min_size=1, max_size=5),
    st.integers(0, 2**32 - 1),
)
def test_lexsort_is_numpys_lexsort(rows, bits, seed):
    # keys of every width: packed several to a word, 16 bits or less (radix sort), or too
    # wide to share a word with the row position (NumPy's stable argsort); few distinct
    # values, so ties must keep their order
    rng = np.random.default_rng(seed)
    keys = [
        rng.integers(0, 2**b, rows, dtype=np.uint64) >> np.uint64(rng.integers(0, b + 1))
        if k % 2
        else rng.integers(0, 3, rows, dtype=np.uint64) << np.uint64(b - 1)  # b bits, 3 values
        for k, b in enumerate(bits)
    ]
    assert totals_module._lexsort(keys).tolist() == np.lexsort(keys[::-1]).tolist()
