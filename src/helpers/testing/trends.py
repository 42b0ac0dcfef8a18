"""Synthetic daily corpora with planted rising, fading, bursting and flat phrases, built in
memory as a papers frame, to measure :func:`helpers.analysis.signals.signals` on known answers.

Shaped like the real daily listings: one dump per weekday, each of a random size (10-50 papers
by default), abstracts from the Zipfian vocabulary of :mod:`helpers.testing.synth`. Each planted
phrase is two invented words that occur nowhere else (so a word of it is reported as the phrase)
and is carried by a share of the papers of each dump: linear from a start share to an end share
(rising, fading; a start of 0 for part of the span makes a "new" phrase), flat, or flat with a
burst. Every dump's share is multiplied by log-normal noise (``jitter``), because real topics
come and go from day to day more than coin flips do.

>>> papers, truth = planted_trend_corpus(n_dumps=20, seed=1)  # doctest: +SKIP
>>> truth.columns.tolist()  # doctest: +SKIP
['term', 'planted', 'start_share', 'end_share']
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.testing import synth

_SYLLABLES = ("qua", "que", "qui", "quo", "qar", "qel", "qin", "qos", "qub", "qym")


def planted_words(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct invented words (never drawn by the background vocabulary: its syllables
    never contain a q).

    >>> planted_words(2)
    ['quaqua', 'quaque']
    """
    del seed  # the words are fixed; kept for symmetry with the other builders
    out = []
    for i in range(n):
        a, b, c = i // 100, (i // 10) % 10, i % 10
        out.append(_SYLLABLES[b] + _SYLLABLES[c] + (_SYLLABLES[a] if a else ""))
    return out


def default_plan(
    rng: np.random.Generator, n_each: int = 8, ratio: tuple[float, float] = (5, 8)
) -> pd.DataFrame:
    """A mix of planted shapes at realistic rates (0.5-5% of papers): ``n_each`` rising (end
    share ``ratio`` = 5-8 times the start), fading (the mirror), new (absent for the first
    40-50% of the dumps, then growing to 2-4%), bursting (flat 0.5-1%, six times that for
    4-6% of the dumps in the middle) and flat (0.5-5%) phrases. Columns: planted,
    start_share, end_share, burst."""
    rows = []
    for _ in range(n_each):
        end = rng.uniform(0.025, 0.05)
        start = end / rng.uniform(*ratio)
        rows.append(("rising", start, end, 0.0))
        rows.append(("fading", end, start, 0.0))
        rows.append(("new", 0.0, rng.uniform(0.02, 0.04), rng.uniform(0.4, 0.5)))
        base = rng.uniform(0.005, 0.01)
        rows.append(("bursting", base, base, rng.uniform(0.04, 0.06)))
        flat = rng.uniform(0.005, 0.05)
        rows.append(("flat", flat, flat, 0.0))
    return pd.DataFrame(rows, columns=["planted", "start_share", "end_share", "burst"])


def _shares(row: pd.Series, n_dumps: int) -> np.ndarray:
    x = np.linspace(0, 1, n_dumps)
    if row["planted"] == "new":
        onset = row["burst"]  # the share of the span before it appears
        return np.where(x < onset, 0.0, row["end_share"] * (x - onset) / (1 - onset))
    share = row["start_share"] + (row["end_share"] - row["start_share"]) * x
    if row["planted"] == "bursting":
        width = max(2, int(round(row["burst"] * n_dumps)))
        first = (n_dumps - width) // 2
        share = share.copy()
        share[first : first + width] *= 6
    return share


def planted_trend_corpus(
    n_dumps: int = 300,
    papers_per_dump: tuple[int, int] = (10, 50),
    plan: pd.DataFrame | None = None,
    seed: int = 0,
    jitter: float = 0.3,
    words_per_abstract: tuple[int, int] = (60, 120),
    start_date: str = "2024-05-27",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A papers frame (the loader's columns that the analyses use: dump_file, dump_seq,
    dump_date, paper_id, title, abstract, n_words) and its truth table (term, planted,
    start_share, end_share). ``plan`` is a table like :func:`default_plan`'s (its default);
    an empty plan plants nothing. Dumps fall on weekdays from ``start_date``.
    """
    rng = np.random.default_rng([seed, 7])
    plan = default_plan(rng) if plan is None else plan.reset_index(drop=True)
    words = planted_words(2 * len(plan))
    terms = [f"{words[2 * i]} {words[2 * i + 1]}" for i in range(len(plan))]
    noise = rng.lognormal(-(jitter**2) / 2, jitter, size=(len(plan), n_dumps)) if jitter else 1
    shares = np.array([_shares(row, n_dumps) for _, row in plan.iterrows()]).reshape(
        len(plan), n_dumps
    )
    shares = np.clip(shares * noise, 0, 1)
    planted = {t: shares[i].tolist() for i, t in enumerate(terms)}
    dumps = synth.iter_dumps(
        n_dumps,
        papers_per_dump=papers_per_dump,
        planted=planted,
        seed=seed,
        words_per_abstract=words_per_abstract,
    )
    frame = synth.papers_frame(dumps)
    dates = pd.bdate_range(start_date, periods=n_dumps)
    papers = frame.assign(
        dump_date=dates[frame["dump_seq"].to_numpy()].astype("datetime64[ns]"),
        paper_id=[
            hashlib.blake2b(t.lower().encode(), digest_size=8).hexdigest() for t in frame["title"]
        ],
        n_words=frame["abstract"].str.split().str.len(),
    )
    truth = plan.assign(term=terms)[["term", "planted", "start_share", "end_share"]]
    return papers, truth


def score_calls(table: pd.DataFrame, truth: pd.DataFrame) -> dict[str, float]:
    """Recall of planted rises (rising or new called new/rising) and falls (called fading), and
    the false share of the rising/new/fading calls (a call on a term not planted that way).

    >>> score_calls(pd.DataFrame({"term": ["a b"], "status": ["rising"]}),
    ...             pd.DataFrame({"term": ["a b"], "planted": ["rising"]}))["recall"]
    1.0
    """
    status = table.set_index("term")["status"]
    planted = truth.set_index("term")["planted"]
    up = planted.index[planted.isin(["rising", "new"])]
    down = planted.index[planted == "fading"]
    got = status.reindex(planted.index).fillna("absent")
    hits = got.loc[up].isin(["rising", "new"]).sum() + (got.loc[down] == "fading").sum()
    calls = status[status.isin(["rising", "new", "fading"])]
    expected = planted.reindex(calls.index).fillna("none")
    right = ((calls != "fading") & expected.isin(["rising", "new"])) | (
        (calls == "fading") & (expected == "fading")
    )
    n_planted = len(up) + len(down)
    return {
        "recall": float(hits / n_planted) if n_planted else float("nan"),
        "calls": int(len(calls)),
        "false_calls": int((~right).sum()),
        "false_share": float((~right).mean()) if len(calls) else 0.0,
    }


def compare_tests(
    seeds: Sequence[int] = (0, 1),
    freqs: Sequence[str] = ("D", "W"),
    tests: Sequence[str] = ("cochran-armitage", "mann-kendall"),
    n_dumps: int = 300,
    ratio: tuple[float, float] = (5, 8),
    papers_per_dump: tuple[int, int] = (10, 50),
) -> pd.DataFrame:
    """Power and false-positive rate of the trend tests on planted corpora: ``power`` is the
    share of planted rising/fading/new phrases whose trend is significant after correction
    (p_adj < 0.05, before any effect bound), ``fpr`` the share of unplanted terms (background
    and flat phrases) with an uncorrected p < 0.05 (5% when the test is calibrated), and
    ``recall``/``false_share`` those of the statuses (:func:`score_calls`). One row per seed,
    freq and test; ``ratio`` is the planted end/start ratio of the rising and fading phrases.

    >>> compare_tests(seeds=(0,))  # doctest: +SKIP
    """
    from helpers.analysis.signals import signals

    rows = []
    for seed in seeds:
        plan = default_plan(np.random.default_rng([seed, 7]), ratio=ratio)
        papers, truth = planted_trend_corpus(
            n_dumps=n_dumps, seed=seed, plan=plan, papers_per_dump=papers_per_dump
        )
        trending = truth.loc[truth["planted"].isin(["rising", "fading", "new"]), "term"]
        others = set(
            truth.loc[truth["planted"].isin(["rising", "fading", "new", "bursting"]), "term"]
        )
        for freq in freqs:
            for test in tests:
                table = signals(papers, freq=freq, register="all", test=test)
                hit = table["term"].isin(trending)
                rest = ~table["term"].isin(others)
                rows.append(
                    {
                        "seed": seed,
                        "freq": freq,
                        "test": test,
                        "power": float((table.loc[hit, "p_adj"] < 0.05).mean()),
                        "fpr": float((table.loc[rest, "p"] < 0.05).mean()),
                        **score_calls(table, truth),
                    }
                )
    return pd.DataFrame(rows)
