"""The term matrix the overview and themes reports share: built by the first report that asks,
read back (equal, neighbours included) by the next, rebuilt for other papers."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.analysis.similar import near_duplicates, nearest_papers
from helpers.report import notebook
from helpers.report.notebook import SHARED_KEEP, shared_matrix
from helpers.testing.topics import planted_topic_corpus


@pytest.fixture(scope="module")
def papers():
    return planted_topic_corpus(n_papers=120, n_themes=3, seed=4).papers


def test_a_second_report_reads_the_matrix_the_first_built(papers, tmp_path, monkeypatch):
    built = shared_matrix(papers, tmp_path)
    monkeypatch.setattr(
        "helpers.analysis.topic_model.term_matrix",
        lambda *a, **k: pytest.fail("the matrix was built again"),
    )
    read = shared_matrix(papers, tmp_path)
    assert list(read.paper_ids) == list(built.paper_ids)
    assert list(read.titles) == list(built.titles) and list(read.terms) == list(built.terms)
    assert (read.counts != built.counts).nnz == 0
    assert np.allclose(read.tfidf.toarray(), built.tfidf.toarray())
    for kept, fresh in zip(read.memo["neighbours"], built.memo["neighbours"], strict=True):
        assert np.array_equal(kept, fresh)
    # the tables made from it are the tables made without it
    assert nearest_papers(papers, matrix=read).equals(nearest_papers(papers))
    assert near_duplicates(papers, matrix=read).equals(near_duplicates(papers))


def test_other_papers_or_other_code_get_their_own_matrix(papers, tmp_path, monkeypatch):
    shared_matrix(papers, tmp_path)
    fewer = papers[papers["paper_id"].isin(papers["paper_id"].unique()[:60])]
    assert len(shared_matrix(fewer, tmp_path).paper_ids) == 60
    monkeypatch.setattr(notebook, "code_fingerprint", lambda: "edited code")
    shared_matrix(papers, tmp_path)
    assert len(list(tmp_path.glob("term-matrix-*.npz"))) == 3


def test_only_the_latest_matrices_are_kept(papers, tmp_path):
    ids = papers["paper_id"].unique()
    for n in range(20, 20 + 10 * (SHARED_KEEP + 2), 10):
        shared_matrix(papers[papers["paper_id"].isin(ids[:n])], tmp_path)
    assert len(list(tmp_path.glob("term-matrix-*.npz"))) == SHARED_KEEP


def test_one_paper_has_a_matrix_and_no_neighbours(papers, tmp_path):
    one = papers[papers["paper_id"] == papers["paper_id"].iloc[0]]
    shared_matrix(one, tmp_path)
    again = shared_matrix(one, tmp_path)
    assert len(again.paper_ids) == 1 and "neighbours" not in again.memo
    assert near_duplicates(one, matrix=again).empty
