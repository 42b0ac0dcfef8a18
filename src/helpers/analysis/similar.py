"""Similar papers and near-duplicates, from the TF-IDF matrix of the topic model.

Similarity is the cosine of two papers' TF-IDF rows (title and abstract, the project's terms;
:func:`helpers.analysis.topic_model.term_matrix`): 1 for the same terms in the same
proportions, 0 for no term in common. A near-duplicate is a pair of DIFFERENT ``paper_id``
values (a retitled or re-listed paper) whose texts are nearly the same (cosine at least
``threshold``) or whose titles are nearly the same (rapidfuzz token-sort ratio at least
``title_threshold``) with texts that agree at least half-way. Pairs are looked for among each
paper's nearest neighbours, so the cost grows with the number of papers, not its square.

>>> from helpers.testing.topics import planted_topic_corpus
>>> papers = planted_topic_corpus(n_papers=100, seed=2).papers
>>> near_duplicates(papers).empty
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from helpers.analysis.topic_model import TermMatrix, term_matrix
from helpers.ingest.load import merge_papers

_BLOCK = 512  # rows of the similarity matrix held at once
NEIGHBOURS = 10  # nearest papers compared for near-duplicates


def _matrix(papers: pd.DataFrame, matrix: TermMatrix | None) -> TermMatrix:
    return matrix if matrix is not None else term_matrix(papers)


def _neighbours(x: sparse.csr_matrix, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(indices, cosines) of each row's ``n`` most similar other rows, most similar first,
    ties by row order. Rows are unit length, so the dot product is the cosine.

    The similarity matrix is symmetric, so only its upper half is multiplied out, a block of
    rows at a time: a block's products with the rows after it are candidates for both sides.
    """
    m = x.shape[0]
    n = min(n, m - 1)
    best_idx = np.zeros((m, n), dtype=np.int64)
    best_sim = np.full((m, n), -np.inf)
    for start in range(0, m, _BLOCK):
        end = min(start + _BLOCK, m)
        block = (x[start:end] @ x[start:].T).toarray()  # rows start:end x rows start:m
        block[np.arange(end - start), np.arange(end - start)] = -np.inf  # not itself
        _keep_best(best_idx, best_sim, slice(start, end), np.arange(start, m), block)
        if end < m:  # the same products seen from the later rows
            _keep_best(best_idx, best_sim, slice(end, m), np.arange(start, end),
                       block[:, end - start :].T)  # fmt: skip
    order = np.lexsort((best_idx, -best_sim), axis=1)
    idx = np.take_along_axis(best_idx, order, axis=1)
    sim = np.take_along_axis(best_sim, order, axis=1)
    return idx, np.clip(sim, 0, 1)


def _keep_best(best_idx, best_sim, rows: slice, columns: np.ndarray, values: np.ndarray) -> None:
    """Merge candidate ``columns`` (their similarities ``values``, one row per row of
    ``rows``) into the rows' kept best ``n``, in place."""
    n = best_idx.shape[1]
    if values.shape[1] > n:  # the rows' own best n candidates are all that can get in
        keep = np.argpartition(-values, n - 1, axis=1)[:, :n]
        values = np.take_along_axis(values, keep, axis=1)
        columns = columns[keep]
    else:
        columns = np.broadcast_to(columns, values.shape)
    sims = np.concatenate([best_sim[rows], values], axis=1)
    idxs = np.concatenate([best_idx[rows], columns], axis=1)
    top = np.argpartition(-sims, n - 1, axis=1)[:, :n]
    best_idx[rows] = np.take_along_axis(idxs, top, axis=1)
    best_sim[rows] = np.take_along_axis(sims, top, axis=1)


def neighbours_of(m: TermMatrix, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(indices, cosines) of each paper's ``n`` nearest papers in the matrix (most similar
    first), worked out once per matrix for the largest ``n`` asked (the first ``n`` of a
    longer list are the same) and kept in ``m.memo``."""
    kept = m.memo.get("neighbours")
    if kept is None or kept[0].shape[1] < min(n, m.tfidf.shape[0] - 1):
        kept = m.memo["neighbours"] = _neighbours(m.tfidf, max(n, NEIGHBOURS))
    return kept[0][:, :n], kept[1][:, :n]


def nearest_papers(
    papers: pd.DataFrame, n: int = 5, matrix: TermMatrix | None = None
) -> pd.DataFrame:
    """For every paper its ``n`` most similar papers: paper_id, title, rank, similar_id,
    similar_title, similarity (cosine of TF-IDF rows)."""
    m = _matrix(papers, matrix)
    if len(m.paper_ids) < 2:
        return pd.DataFrame(
            columns=["paper_id", "title", "rank", "similar_id", "similar_title", "similarity"]
        )
    idx, sim = neighbours_of(m, n)
    k = idx.shape[1]
    rows = np.repeat(np.arange(len(m.paper_ids)), k)
    return pd.DataFrame(
        {
            "paper_id": m.paper_ids[rows].astype(str),
            "title": m.titles[rows].astype(str),
            "rank": np.tile(np.arange(1, k + 1), len(m.paper_ids)),
            "similar_id": m.paper_ids[idx.ravel()].astype(str),
            "similar_title": m.titles[idx.ravel()].astype(str),
            "similarity": sim.ravel().round(6),
        }
    )


def _find(m: TermMatrix, title_or_id: str) -> int:
    """The row of a paper given by its id, its exact title (any case) or, failing both, the
    closest title (rapidfuzz ratio at least 80)."""
    from rapidfuzz import fuzz, process

    hits = np.flatnonzero(m.paper_ids == title_or_id)
    if not len(hits):
        lowered = np.char.lower(m.titles.astype(str))
        hits = np.flatnonzero(lowered == title_or_id.strip().lower())
    if len(hits):
        return int(hits[0])
    best = process.extractOne(
        title_or_id, list(m.titles), scorer=fuzz.token_sort_ratio, score_cutoff=80
    )
    if best is None:
        raise KeyError(f"no paper with id or title like {title_or_id!r}")
    return int(best[2])


def similar_papers(
    papers: pd.DataFrame, title_or_id: str, n: int = 5, matrix: TermMatrix | None = None
) -> pd.DataFrame:
    """The ``n`` papers most similar to one paper (given by ``paper_id`` or title): rank,
    paper_id, title, similarity.

    >>> from helpers.testing.topics import planted_topic_corpus
    >>> papers = planted_topic_corpus(n_papers=50, seed=2).papers
    >>> len(similar_papers(papers, papers["title"].iloc[0], n=3))
    3
    """
    m = _matrix(papers, matrix)
    row = _find(m, title_or_id)
    sims = (m.tfidf @ m.tfidf[row].T).toarray().ravel()
    sims[row] = -np.inf
    order = np.lexsort((np.arange(len(sims)), -sims))[: min(n, len(sims) - 1)]
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(order) + 1),
            "paper_id": m.paper_ids[order].astype(str),
            "title": m.titles[order].astype(str),
            "similarity": np.clip(sims[order], 0, 1).round(6),
        }
    )


def near_duplicates(
    papers: pd.DataFrame,
    threshold: float = 0.8,
    title_threshold: float = 90.0,
    neighbours: int = NEIGHBOURS,
    matrix: TermMatrix | None = None,
) -> pd.DataFrame:
    """Pairs of different papers that look like one paper, for review: paper_id_a, title_a,
    paper_id_b, title_b (a listed first), similarity (text cosine), title_similarity (0-100)
    and reason ("same text" or "same title").

    Only each paper's ``neighbours`` nearest papers are compared; a pair is kept when its text
    cosine is at least ``threshold``, or its titles score at least ``title_threshold`` and its
    text cosine at least 0.5.
    """
    from rapidfuzz import fuzz

    columns = ["paper_id_a", "title_a", "paper_id_b", "title_b", "similarity",
               "title_similarity", "reason"]  # fmt: skip
    m = _matrix(papers, matrix)
    if len(m.paper_ids) < 2:
        return pd.DataFrame(columns=columns)
    idx, sim = neighbours_of(m, neighbours)
    a = np.repeat(np.arange(len(m.paper_ids)), idx.shape[1])
    b = idx.ravel()
    cos = sim.ravel()
    keep = cos >= 0.5
    a, b, cos = np.minimum(a, b)[keep], np.maximum(a, b)[keep], cos[keep]
    pairs = pd.DataFrame({"a": a, "b": b, "similarity": cos}).drop_duplicates(["a", "b"])
    titles = m.titles.astype(str)
    pairs["title_similarity"] = [
        fuzz.token_sort_ratio(titles[i].lower(), titles[j].lower())
        for i, j in zip(pairs["a"], pairs["b"], strict=True)
    ]
    same_text = pairs["similarity"] >= threshold
    same_title = pairs["title_similarity"] >= title_threshold
    found = pairs[same_text | same_title].sort_values(["a", "b"])
    return pd.DataFrame(
        {
            "paper_id_a": m.paper_ids[found["a"]].astype(str),
            "title_a": titles[found["a"]],
            "paper_id_b": m.paper_ids[found["b"]].astype(str),
            "title_b": titles[found["b"]],
            "similarity": found["similarity"].round(6).to_numpy(),
            "title_similarity": found["title_similarity"].round(2).to_numpy(),
            "reason": np.where(found["similarity"] >= threshold, "same text", "same title"),
        },
        columns=columns,
    ).reset_index(drop=True)


def merge_near_duplicates(
    papers: pd.DataFrame, threshold: float = 0.8, pairs: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The papers frame with every near-duplicate given the ``paper_id`` of the paper it
    duplicates (see :func:`helpers.ingest.load.merge_papers`, which records each merge as an
    ``info`` row of ``attrs["rejects"]``).

    ``pairs`` (from :func:`near_duplicates`) chooses what is merged; by default all pairs found
    at ``threshold``.
    """
    pairs = near_duplicates(papers, threshold=threshold) if pairs is None else pairs
    return merge_papers(papers, pairs)
