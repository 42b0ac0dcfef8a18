"""Hugging Face's per-paper records (upvotes, organisation, authors, recorded repository,
keywords) added to a synthetic papers frame with planted answers, for the tests of
:mod:`helpers.analysis.attention` and its neighbours.

- Upvotes are Poisson with mean ``base`` times ``boost[phrase]`` for a paper whose title or
  abstract contains the phrase (the largest boost wins), so a boosted phrase's upvote share is
  about ``boost`` times its paper share.
- Organisations: ``rising`` is the organisation of a share of the papers growing linearly from 0
  at the first dump to ``rising_end`` at the last; the others rotate over ``orgs``; a share
  ``unknown`` of papers has none.
- A recorded GitHub repository (``owner/name`` in lower case, as the loader records it;
  ``lab/repo-<n>`` when made up) for papers whose abstract links it (as
  ``https://github.com/...``), and for ``recorded_only`` of the others.

>>> papers = with_records(make_papers(rows), boost={"mamba": 3.0})  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

_REPO = re.compile(r"https?://github\.com/([\w.-]+/[\w.-]+)", re.IGNORECASE)


def with_records(
    papers: pd.DataFrame,
    boost: Mapping[str, float] | None = None,
    base: float = 10.0,
    orgs: Sequence[str] = ("alpha lab", "beta lab", "gamma lab"),
    rising: str = "rising lab",
    rising_end: float = 0.5,
    unknown: float = 0.3,
    recorded_only: float = 0.1,
    seed: int = 0,
) -> pd.DataFrame:
    """``papers`` with the record columns of the JSON loader filled with planted values."""
    rng = np.random.default_rng(seed)
    n = len(papers)
    text = (papers["title"].fillna("") + " " + papers["abstract"].fillna("")).str.lower()
    mean = np.full(n, base)
    for phrase, factor in (boost or {}).items():
        has = text.str.contains(phrase.lower(), regex=False).to_numpy()
        mean = np.where(has, np.maximum(mean, base * factor), mean)
    seq = papers["dump_seq"].rank(method="dense").to_numpy() - 1
    span = max(seq.max(), 1) if n else 1
    p_rising = rising_end * seq / span
    draw = rng.random(n)
    org = np.where(
        draw < p_rising,
        rising,
        np.array([orgs[i % len(orgs)] for i in range(n)], dtype=object),
    ).astype(object)
    org[rng.random(n) < unknown] = None
    linked = (
        papers["abstract"]
        .fillna("")
        .map(lambda a: m.group(1).rstrip(".").lower() if (m := _REPO.search(a)) else None)
    )
    extra = pd.Series([f"lab/repo-{i}" for i in range(n)], index=papers.index)
    repo = linked.where(linked.notna(), extra.where(rng.random(n) < recorded_only))
    n_authors = rng.integers(1, 12, n)
    authors = [[f"Author {(i + j) % 40}" for j in range(k)] for i, k in enumerate(n_authors)]
    keywords = [_keywords(t) for t in text]
    return papers.assign(
        arxiv_id=[f"2501.{i:05d}" for i in range(n)],
        authors=authors,
        n_authors=pd.array(n_authors, dtype="Int64"),
        organization=pd.array(org, dtype=object),
        upvotes=pd.array(rng.poisson(mean), dtype="Int64"),
        comments=pd.array(rng.poisson(1.0, n), dtype="Int64"),
        github_repo=pd.array(repo.to_numpy(), dtype=object),
        github_stars=pd.array(
            np.where(repo.notna(), rng.poisson(50, n), np.nan), dtype="Float64"
        ).astype("Int64"),
        project_page=[None] * n,
        hf_keywords=keywords,
        published_at=pd.to_datetime(papers["dump_date"]) - pd.Timedelta(days=1),
        submitted_at=pd.to_datetime(papers["dump_date"]),
    )


def _keywords(text: str) -> list[str]:
    """The two-word phrases after "use " in a text, as HF-style keywords (planted subjects)."""
    return sorted({m.group(1) for m in re.finditer(r"use ([a-z]+ [a-z]+)", text)})
