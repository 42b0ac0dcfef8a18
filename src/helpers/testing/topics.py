"""Synthetic papers with planted themes, for known answers about topics (test support).

Each theme has a vocabulary of its own (generated words no other theme uses) and a planted
trend: its share of the papers rises, fades or stays stable across the dates. Every paper is
about one theme: about half of its abstract words come from that theme's vocabulary and the
rest from a background shared by all themes. The frame has the columns of
:func:`helpers.ingest.load.load_dumps` (one row per listing; a few papers are listed twice), built
in memory with a fixed seed: the same arguments give the same frame.

>>> corpus = planted_topic_corpus(n_papers=60, n_themes=3, seed=0)
>>> len(corpus.truth), sorted(corpus.themes["trend"].unique())
(60, ['fading', 'rising', 'stable'])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

TRENDS = ("rising", "fading", "stable")
_BACKGROUND = (
    "model method results approach performance training data framework evaluation benchmark "
    "experiments analysis task learning accuracy baseline dataset propose show significant "
    "improvements existing prior work study design efficient robust simple effective large "
    "scale setting problem solution demonstrate outperform comprehensive extensive novel "
    "strong competitive various across different multiple standard public release open source"
).split()
_ONSETS = "b c d f g h k l m n p r s t v z br kr pl st tr".split()
_VOWELS = "a e i o u ai ou".split()
_CODAS = ("", "n", "r", "s", "x", "l", "m")


@dataclass(frozen=True)
class PlantedCorpus:
    """``papers`` (the loader's columns), ``truth`` (paper_id, theme) and ``themes`` (theme,
    trend, start_share, end_share, words: the theme's most used words)."""

    papers: pd.DataFrame
    truth: pd.DataFrame
    themes: pd.DataFrame


def _vocabularies(n_themes: int, size: int, rng: np.random.Generator) -> list[list[str]]:
    """``n_themes`` disjoint lists of ``size`` pronounceable made-up words."""
    seen: set[str] = set(_BACKGROUND)
    out: list[list[str]] = []
    for _ in range(n_themes):
        words: list[str] = []
        while len(words) < size:
            n_syll = int(rng.integers(2, 4))
            word = "".join(
                str(rng.choice(_ONSETS)) + str(rng.choice(_VOWELS)) for _ in range(n_syll)
            ) + str(rng.choice(_CODAS))
            if word not in seen:
                seen.add(word)
                words.append(word)
        out.append(words)
    return out


def _trajectory(trend: str, n_periods: int) -> np.ndarray:
    x = np.linspace(0, 1, n_periods)
    if trend == "rising":
        return 0.5 + 2.5 * x
    if trend == "fading":
        return 3.0 - 2.5 * x
    return np.full(n_periods, 1.5)


def planted_topic_corpus(
    n_papers: int = 1_000,
    n_themes: int = 5,
    n_dumps: int = 24,
    words_per_abstract: int = 120,
    theme_fraction: float = 0.5,
    vocabulary: int = 60,
    repeat: float = 0.05,
    seed: int = 0,
    start: str = "2024-01-01",
) -> PlantedCorpus:
    """Papers in ``n_dumps`` weekly dumps; theme ``i`` has trend ``TRENDS[i % 3]``.

    ``theme_fraction`` of each abstract's words come from its theme (Zipf-weighted within the
    theme's ``vocabulary`` words), the rest from the shared background; ``repeat`` of the
    papers are listed again in the next dump (same title, same paper_id).
    """
    from helpers.ingest.load import paper_id

    rng = np.random.default_rng(seed)
    vocab = _vocabularies(n_themes, vocabulary, rng)
    trends = [TRENDS[i % len(TRENDS)] for i in range(n_themes)]
    weights = np.stack([_trajectory(t, n_dumps) for t in trends], axis=1)
    shares = weights / weights.sum(axis=1, keepdims=True)
    dump_of = np.sort(rng.integers(0, n_dumps, n_papers))
    theme_of = np.array([rng.choice(n_themes, p=shares[d]) for d in dump_of])
    zipf = 1 / np.arange(1, vocabulary + 1)
    zipf /= zipf.sum()
    n_theme = int(round(words_per_abstract * theme_fraction))
    n_back = words_per_abstract - n_theme
    theme_words = rng.choice(vocabulary, size=(n_papers, n_theme), p=zipf)
    back_words = rng.integers(0, len(_BACKGROUND), size=(n_papers, n_back))
    mixed = rng.permuted(np.concatenate([theme_words, back_words + vocabulary], axis=1), axis=1)
    background = np.array(_BACKGROUND, dtype=object)
    abstracts, titles = [], []
    for i in range(n_papers):
        words = np.array(vocab[theme_of[i]], dtype=object)
        row = mixed[i]
        tokens = np.where(row < vocabulary, words[np.minimum(row, vocabulary - 1)],
                          background[np.maximum(row - vocabulary, 0)])  # fmt: skip
        sentences = [" ".join(tokens[j : j + 12]) for j in range(0, len(tokens), 12)]
        abstracts.append(". ".join(s.capitalize() for s in sentences) + ".")
        title_words = words[rng.choice(vocabulary, 4, replace=False, p=zipf)]
        titles.append(f"{' '.join(title_words).title()} for {_BACKGROUND[i % 20]} {i}")
    dates = pd.Timestamp(start) + pd.to_timedelta(7 * np.arange(n_dumps), unit="D")
    base = pd.DataFrame(
        {
            "dump_seq": dump_of,
            "title": titles,
            "abstract": abstracts,
            "theme": theme_of,
        }
    )
    again = base[(rng.random(n_papers) < repeat) & (base["dump_seq"] < n_dumps - 1)]
    rows = pd.concat([base, again.assign(dump_seq=again["dump_seq"] + 1)], ignore_index=True)
    rows = rows.sort_values("dump_seq", kind="stable").reset_index(drop=True)
    rank = rows.groupby("dump_seq").cumcount() + 1
    dump_file = rows["dump_seq"].map("{:03d}_synthetic.txt".format)
    papers = pd.DataFrame(
        {
            "dump_file": dump_file,
            "dump_path": "synthetic/" + dump_file,
            "dump_seq": rows["dump_seq"].astype(int),
            "date_label": dates[rows["dump_seq"]].strftime("%b %d").to_numpy(),
            "dump_date": dates[rows["dump_seq"]].to_numpy().astype("datetime64[ns]"),
            "page_kind": "daily",
            "rank": rank.astype(int),
            "paper_id": rows["title"].map(paper_id),
            "title": rows["title"],
            "abstract": rows["abstract"],
            "n_words": rows["abstract"].str.split().str.len().astype(int),
            "truncated": False,
            "line": (3 * rank).astype(int),
            "n_blocks": 2,
        }
    )
    truth = pd.DataFrame({"paper_id": base["title"].map(paper_id), "theme": base["theme"]})
    themes = pd.DataFrame(
        {
            "theme": np.arange(n_themes),
            "trend": trends,
            "start_share": shares[0],
            "end_share": shares[-1],
            "words": [", ".join(v[:5]) for v in vocab],
        }
    )
    return PlantedCorpus(papers=papers, truth=truth, themes=themes)
