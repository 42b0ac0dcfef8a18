"""Power and false calls of the signals on planted corpora shaped like four months of real daily
listings, against the method before this one.

Each corpus: 95 weekday dumps of 2-15 papers (about 800 papers, as four months of saved daily
pages), one planted phrase whose share goes linearly from ``--start`` to ``--end`` (1% -> 5%),
day-to-day noise as in :mod:`helpers.testing.trends`; null corpora plant nothing. For each
corpus and method it records whether the planted phrase is called rising/new, its rank among
the leading risers (fastest growth, :func:`helpers.analysis.movers.movers`), and the rising
calls on terms that were not planted (false calls).

- "papers" (now): early and late windows are the first and last third of the papers.
- "periods" (before): the first and last third of the periods; only called statuses named.

    .venv/bin/python benchmarks/movers_power.py --corpora 40
    # writes reports/benchmarks/movers-power.csv and prints the summary
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.analysis.movers import movers
from helpers.analysis.signal_units import period_counts
from helpers.analysis.signals import signals, trend_status
from helpers.testing.trends import planted_trend_corpus

UP = ("new", "rising")


def _plan(start: float, end: float) -> pd.DataFrame:
    return pd.DataFrame(
        [("rising", start, end, 0.0)], columns=["planted", "start_share", "end_share", "burst"]
    )


def _periods_method(papers: pd.DataFrame, freq: str, min_papers: int) -> pd.DataFrame:
    """The statuses as computed before: effect windows are thirds of the periods."""
    labels, _, periods, k = period_counts(papers, freq, None, min_papers, register="subject")
    status = trend_status(k, periods["n_papers"].to_numpy(dtype=float))
    return status.assign(term=labels)


def one_corpus(seed: int, planted: bool, args) -> list[dict]:
    plan = _plan(args.start, args.end) if planted else _plan(0, 0).iloc[:0]
    papers, truth = planted_trend_corpus(
        n_dumps=args.dumps, papers_per_dump=(2, 15), plan=plan, seed=seed
    )
    term = truth["term"].iloc[0] if planted else None
    now = signals(papers, freq=args.freq, min_papers=args.min_papers, register="subject")
    before = _periods_method(papers, args.freq, args.min_papers)
    rows = []
    for method, table in (("papers", now), ("periods", before)):
        calls = table[table["status"].isin(UP)]
        row = {
            "seed": seed,
            "corpus": "planted" if planted else "null",
            "method": method,
            "papers": int(len(papers)),
            "called": bool(term is not None and term in set(calls["term"])),
            "false_calls": int((calls["term"] != term).sum()),
        }
        if method == "papers":
            leaders = movers(table, "growth", "up", args.top)
            ranked = movers(table, "growth", "up", len(table))["term"].tolist()
            row["rank"] = ranked.index(term) + 1 if term in ranked else np.nan
            row["named"] = bool(term is not None and term in set(leaders["term"]))
            row["leaders_labelled_ns"] = bool(
                (leaders["verdict"] != "significant").all() if len(calls) == 0 else True
            )
        else:
            row["rank"] = np.nan
            row["named"] = row["called"]  # before, only called statuses were named
            row["leaders_labelled_ns"] = True
        rows.append(row)
    return rows


def main(argv=None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=int, default=40, help="planted and null corpora each")
    parser.add_argument("--dumps", type=int, default=95)
    parser.add_argument("--start", type=float, default=0.01)
    parser.add_argument("--end", type=float, default=0.05)
    parser.add_argument("--freq", default="W")
    parser.add_argument("--min-papers", type=int, default=5)
    parser.add_argument("--top", type=int, default=5, help="leading risers named on the index")
    parser.add_argument("--out", default="reports/benchmarks/movers-power.csv")
    args = parser.parse_args(argv)
    rows = []
    for seed in range(args.corpora):
        for planted in (True, False):
            rows.extend(one_corpus(seed, planted, args))
        print(f"corpus {seed + 1}/{args.corpora}", flush=True)
    table = pd.DataFrame(rows)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    summary = table.groupby(["corpus", "method"]).agg(
        corpora=("seed", "size"),
        called=("called", "mean"),
        named=("named", "mean"),
        median_rank=("rank", "median"),
        corpora_with_false_calls=("false_calls", lambda s: float((s > 0).mean())),
        leaders_labelled_ns=("leaders_labelled_ns", "mean"),
    )
    print(summary.to_string())
    return summary


if __name__ == "__main__":
    main()
