"""helpers.text.distributed: the Dask path gives exactly the in-process counts."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.testing import synth
from helpers.text.counting import count_dumps
from helpers.text.distributed import count_file, count_terms_distributed


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dumps")
    planted = {"mamba": (0.0, 0.5), "state space models": 0.3}
    synth.write_corpus(folder, 20, 15, planted=planted, seed=7, repeat_share=0.2)
    # a non-Latin abstract exercises the reference fallback inside a task
    extra = synth.render(pd.Timestamp("2024-02-01"), [("Multilingual LLMs", "Модели (LLMs).")])
    (folder / "020_ffffffffffffffff.txt").write_text(extra, encoding="utf-8")
    return folder


def test_local_cluster_counts_equal_in_process_counts(corpus):
    expected = count_dumps(corpus, progress=False)
    assert len(expected) > 100
    got = count_terms_distributed(corpus, progress=False)
    pd.testing.assert_frame_equal(got, expected)
    for ngram in (1, (1, 2, 3)):
        pd.testing.assert_frame_equal(
            count_terms_distributed(corpus, ngram=ngram, field="both", progress=False),
            count_dumps(corpus, ngram=ngram, field="both", progress=False),
        )


def test_scheduler_address_is_used_and_cluster_left_running(corpus):
    from distributed import Client, LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        got = count_terms_distributed(corpus, scheduler=cluster.scheduler_address, progress=False)
        # the caller's cluster still works after the call (only our client was closed)
        with Client(cluster) as client:
            assert client.submit(sum, [1, 2]).result() == 3
    pd.testing.assert_frame_equal(got, count_dumps(corpus, progress=False))


def test_files_that_are_not_dumps_are_skipped_with_a_warning(corpus, tmp_path):
    bad = tmp_path / "999_notes.txt"
    bad.write_text("just a note\n\nnot a dump", encoding="utf-8")
    files = sorted(corpus.glob("*.txt"))[:3] + [bad]
    with pytest.warns(UserWarning, match="not counted"):
        got = count_terms_distributed(files, progress=False)
    pd.testing.assert_frame_equal(got, count_dumps(files[:3], progress=False))
    partial, problem = count_file(str(bad))
    assert partial.height == 0 and "not counted" in problem
