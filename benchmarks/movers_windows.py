"""How well the leading risers of short corpora recover what really rose: every four-month window
of the real corpus (sliding by a month), taken alone.

Truth, computed from the window itself with the signals' units (words and 2-3 word phrases,
variants merged; subject terms): a term whose share of papers in the window's last month is
at least three times its share in the first month, and which

- "loose": is named by at least 15 papers in the window, or
- "strict": is named by at least 15 papers in the last month alone.

For each window it records the recall of that truth among the top 5, 15 and 25 rows of the two
rankings of :func:`helpers.analysis.movers.movers` (fastest growth, biggest shift) and among the
terms called rising or new.

    .venv/bin/python benchmarks/movers_windows.py --freq W
    # writes reports/benchmarks/movers-windows-W.csv and prints the means
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import load_dumps
from helpers.analysis.movers import movers
from helpers.analysis.signal_units import period_counts
from helpers.analysis.signals import signals
from helpers.text.counting import CountCache

REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "hf-daily-2024-2026"
TOPS = (5, 15, 25)


def truths(window: pd.DataFrame, cache: CountCache) -> dict[str, set[str]]:
    labels, support, periods, k = period_counts(
        window, "M", None, 15, cache=cache, register="subject"
    )
    share = k / periods["n_papers"].to_numpy()[None, :]
    tripled = share[:, -1] >= 3 * share[:, 0]
    return {
        "loose": {t for t, s, up in zip(labels, support, tripled, strict=True) if up and s >= 15},
        "strict": {t for t, kk, up in zip(labels, k, tripled, strict=True) if up and kk[-1] >= 15},
    }


def one_window(window: pd.DataFrame, freq: str) -> dict:
    cache = CountCache()
    truth = truths(window, cache)
    table = signals(window, freq=freq, min_papers=5, cache=cache)
    table = table[table["kind"] != "concept"]
    found = {"called": set(table.loc[table["status"].isin(["new", "rising"]), "term"])}
    for by in ("growth", "shift"):
        for n in TOPS:
            found[f"{by}_{n}"] = set(movers(table, by, "up", n)["term"])
    row = {"papers": len(window), **{f"truth_{k}": len(v) for k, v in truth.items()}}
    for name, terms in truth.items():
        for method, got in found.items():
            row[f"{name}:{method}"] = len(terms & got) / len(terms) if terms else np.nan
    row["strict_terms"] = ", ".join(sorted(truth["strict"]))
    return row


def main(argv=None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", default=str(REAL / "raw"))
    parser.add_argument("--freq", default="W", help="period of the signals (the test)")
    parser.add_argument("--months", type=int, default=4)
    parser.add_argument("--out", default="reports/benchmarks/movers-windows-{freq}.csv")
    args = parser.parse_args(argv)
    papers = load_dumps(args.raw, first_year=2024)
    month = pd.to_datetime(papers["dump_date"]).dt.to_period("M")
    months = pd.period_range(month.min() + 1, month.max(), freq="M")  # whole months only
    rows = []
    for i in range(len(months) - args.months + 1):
        span = months[i : i + args.months]
        window = papers[month.isin(span)].reset_index(drop=True)
        rows.append({"window": f"{span[0]}..{span[-1]}", **one_window(window, args.freq)})
        print(rows[-1]["window"], flush=True)
    table = pd.DataFrame(rows)
    out = Path(args.out.format(freq=args.freq))
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False)
    print(table.drop(columns=["window", "strict_terms"]).mean().round(2).to_string())
    return table


if __name__ == "__main__":
    main()
