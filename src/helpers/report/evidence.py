"""The papers behind a number: which papers mention a term, and the sentence that does.

A term matches as a whole word or phrase after the project's normalisation (the keyword rule
of ``helpers.analysis.trends``: "LLMs" matches "llm", "state-space" matches "state space"), so the
papers listed are the papers a keyword share counts. Each paper is listed once (its first
listing), with the first sentence of its title or abstract that matches, as written.

>>> papers_mentioning(papers, "mamba")  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from helpers.analysis.trends import as_terms, keyword_pattern

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")

EVIDENCE_COLUMNS = ["term", "title", "dump_date", "dump_file", "field", "sentence", "paper_id"]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(" ".join(str(text).split())) if s.strip()]


def papers_mentioning(
    papers: pd.DataFrame, terms: str | Iterable[str], *, limit: int | None = None
) -> pd.DataFrame:
    """Papers whose title or abstract mentions each term, newest first, with the matching
    sentence: columns ``term, title, dump_date, dump_file, field, sentence, paper_id``.

    ``limit`` keeps at most that many papers per term.

    >>> df = pd.DataFrame({"paper_id": ["a", "b"], "title": ["Mamba-2 Goes Fast", "Other"],
    ...     "abstract": ["We study it. It is fast.", "Not a snake. Mamba layers help."],
    ...     "dump_date": pd.to_datetime(["2024-03-11", "2024-03-12"]),
    ...     "dump_file": ["000_a.txt", "001_b.txt"]})
    >>> papers_mentioning(df, "mamba")[["title", "sentence"]].values.tolist()
    [['Other', 'Mamba layers help.'], ['Mamba-2 Goes Fast', 'Mamba-2 Goes Fast']]
    """
    from helpers.text import normalize

    needed = {"paper_id", "title", "abstract", "dump_date", "dump_file"}
    missing = sorted(needed - set(papers.columns))
    if missing:
        raise ValueError(
            f"papers_mentioning needs the papers table (one row per listing, as load_papers "
            f"returns it); missing columns: {', '.join(missing)}"
        )
    unique = (
        papers.sort_values("dump_date", kind="stable")
        .drop_duplicates("paper_id")
        .sort_values("dump_date", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    norm = {f: unique[f].fillna("").astype(str).map(normalize) for f in ("title", "abstract")}
    rows = []
    for term in as_terms(terms):
        pattern = keyword_pattern(term)
        first = normalize(term).split()[0]
        # a literal look for the first word first: the regex only runs where it can match,
        # newest paper first, until ``limit`` papers are found
        maybe = {
            f: texts.str.contains(first, regex=False).to_numpy(bool) for f, texts in norm.items()
        }
        found: list[tuple[int, str]] = []
        for i in np.flatnonzero(maybe["title"] | maybe["abstract"]):
            field = next(
                (
                    f
                    for f in ("title", "abstract")
                    if maybe[f][i] and pattern.search(norm[f].iat[i])
                ),
                None,
            )
            if field is not None:
                found.append((i, field))
                if limit is not None and len(found) >= limit:
                    break
        for i, field in found:
            paper = unique.iloc[i]
            text = str(getattr(paper, field))
            candidates = [text] if field == "title" else _sentences(text)
            sentence = next((s for s in candidates if pattern.search(normalize(s))), candidates[0])
            rows.append(
                {
                    "term": term,
                    "title": paper.title,
                    "dump_date": paper.dump_date,
                    "dump_file": paper.dump_file,
                    "field": field,
                    "sentence": sentence,
                    "paper_id": str(paper.paper_id),
                }
            )
    out = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS).astype({"dump_date": "datetime64[ns]"})
    return with_arxiv_ids(out, papers)


def with_arxiv_ids(found: pd.DataFrame, papers: pd.DataFrame) -> pd.DataFrame:
    """``found`` (rows with ``paper_id``) with the paper's ``arxiv_id`` when the papers table
    records any (corpora of daily_papers JSON); unchanged otherwise, so text-only corpora give
    the same evidence tables as before.

    >>> found = pd.DataFrame({"paper_id": ["a"]})
    >>> with_arxiv_ids(found, pd.DataFrame({"paper_id": ["a"], "arxiv_id": ["2506.08007"]}))
      paper_id    arxiv_id
    0        a  2506.08007
    >>> with_arxiv_ids(found, pd.DataFrame({"paper_id": ["a"]})).columns.tolist()
    ['paper_id']
    """
    if "arxiv_id" not in papers.columns or not papers["arxiv_id"].notna().any():
        return found
    ids = papers.dropna(subset=["arxiv_id"]).drop_duplicates("paper_id")
    ids = ids.set_index(ids["paper_id"].astype(str))["arxiv_id"]
    return found.assign(arxiv_id=found["paper_id"].astype(str).map(ids))


def sentence_with(text: str, snippet: str) -> str:
    """The sentence of ``text`` that contains ``snippet`` (whitespace-insensitive), else the
    snippet itself.

    >>> sentence_with("We study it. Code: https://x.org/a now. Done.", "https://x.org/a")
    'Code: https://x.org/a now.'
    """
    snippet = " ".join(str(snippet).split())
    for sentence in _sentences(text if isinstance(text, str) else ""):
        if snippet and snippet in sentence:
            return sentence
    return snippet


def with_sentences(found: pd.DataFrame, papers: pd.DataFrame, snippet: str) -> pd.DataFrame:
    """``found`` (rows with ``paper_id`` and a ``snippet`` column, e.g. a link or a venue
    mention) with ``sentence``: the sentence of the paper's title or abstract holding it."""
    texts = papers.drop_duplicates("paper_id").set_index("paper_id")
    title = found["paper_id"].map(texts["title"]).fillna("")
    abstract = found["paper_id"].map(texts["abstract"]).fillna("")
    sentences = [
        t if s and s in " ".join(t.split()) else sentence_with(a, s)
        for t, a, s in zip(title, abstract, found[snippet].astype(str), strict=True)
    ]
    return found.assign(sentence=sentences)


def papers_behind(
    found: pd.DataFrame, papers: pd.DataFrame, snippet: str, key: str
) -> pd.DataFrame:
    """The papers behind rows keyed by ``key`` (an owner, a venue): ``found`` rows (with
    ``paper_id`` and the matched text in ``snippet``) with the sentence holding it, the paper's
    title and first listing, one row per key and paper, newest first: the input of
    ``present.evidence``."""
    first = papers.sort_values("dump_date").drop_duplicates("paper_id")
    return (
        found.pipe(with_sentences, papers, snippet)
        .merge(first[["paper_id", "title", "dump_date", "dump_file"]], on="paper_id")
        .drop_duplicates([key, "paper_id"])
        .sort_values("dump_date", ascending=False)[
            [key, "title", "dump_date", "dump_file", "sentence", "paper_id"]
        ]
        .reset_index(drop=True)
        .pipe(with_arxiv_ids, papers)
    )
