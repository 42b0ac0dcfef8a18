"""Benchmark: how many windows of real listings each year rule dates right.

``python benchmarks/bench_years.py [--raw DIR] [--truth CSV] [--today 2026-12-07] [--after 30]
[--out CSV]``

The real corpus (``../shared/corpora/hf-daily-2024-2026``: ``raw/NNN_<hash>.txt`` dumps whose
headers have no year, and ``truth.csv`` with each file's listing date) is cut into every window
of 1, 3 and 6 calendar months that it covers (a window starts on the first of each month). Each
window is what a user would have as a folder of dumps named ``NNN_<hash>.txt`` with no
``first_year``: its dumps are parsed once and dated as :func:`helpers.ingest.load.build_papers`
dates them (the same labels and :func:`helpers.ingest.years.assign_years`), under four settings:

* ``old, fixed today``: the calendar alone ("the latest year not after today"), today =
  ``--today``;
* ``new, fixed today``: the years the papers name, then the calendar, today = ``--today``;
* ``old, today after``/``new, today after``: the same with today ``--after`` days after the
  window's last listing (users usually analyse the listings of the same year).

A window is ``right`` when every dump gets its true year, and it is counted as ``warned`` when
the choice says it is a guess (the build prints a warning then). ``silent_wrong`` (wrong years
with no warning) is what must be zero. Prints the table and writes it to ``--out`` (default
``reports/benchmarks/years.csv``).
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd

from helpers.ingest.enrich import date_sections
from helpers.ingest.load import parse_all
from helpers.ingest.sources import dump_order, resolve_sources
from helpers.ingest.years import assign_years

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "hf-daily-2024-2026"
COLUMNS = ["months", "rule", "today", "windows", "right", "warned", "wrong_warned", "silent_wrong"]


def windows(dates: pd.Series, months: int) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """[start, end) of every ``months``-month window starting on the first of a month, that
    lies inside the span of ``dates``(a window may start before the first date only by the days
    of its first month)."""
    first = dates.min().to_period("M").to_timestamp()
    last = dates.max()
    out = []
    start = first
    while start + pd.DateOffset(months=months) <= last + pd.DateOffset(days=1):
        out.append((start, start + pd.DateOffset(months=months)))
        start += pd.DateOffset(months=1)
    return out


def score(labels, truth_years: list[int], today: dt.date, with_text: bool) -> tuple[bool, bool]:
    """(all years right, the choice is a guess) for one window under one rule."""
    if not with_text:
        labels = [replace(x, named=()) for x in labels]
    choice = assign_years(labels, today=today)
    return choice.years == truth_years, choice.guess and with_text  # the old rule never warned


def table(raw: Path, truth_csv: Path, today: dt.date, after: int) -> pd.DataFrame:
    """One row per window length, rule and today (see the module docstring)."""
    truth = pd.read_csv(truth_csv).drop_duplicates("file").set_index("file")["date"]
    parsed = parse_all(dump_order(resolve_sources(raw)), errors="collect")
    labels, _ = date_sections(parsed)
    dates = pd.to_datetime(pd.Series([truth[Path(x.path).name] for x in labels]))
    rows = []
    for months in (1, 3, 6):
        counts: dict[tuple[str, str], list[int]] = {}
        for start, end in windows(dates, months):
            inside = ((dates >= start) & (dates < end)).to_numpy()
            window = [x for x, keep in zip(labels, inside, strict=True) if keep]
            years = dates[inside].dt.year.tolist()
            if not window:
                continue
            todays = {
                f"{today:%Y-%m-%d}": today,
                f"last + {after} d": (dates[inside].max() + pd.Timedelta(days=after)).date(),
            }
            for rule, with_text in (("old", False), ("new", True)):
                for name, day in todays.items():
                    right, guess = score(window, years, day, with_text)
                    c = counts.setdefault((rule, name), [0, 0, 0, 0, 0])
                    c[0] += 1
                    c[1] += right
                    c[2] += guess
                    c[3] += guess and not right
                    c[4] += not guess and not right
        rows += [[months, rule, name, *c] for (rule, name), c in counts.items()]
    return pd.DataFrame(rows, columns=COLUMNS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=CORPUS / "raw")
    parser.add_argument("--truth", type=Path, default=CORPUS / "truth.csv")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 12, 7))
    parser.add_argument("--after", type=int, default=30, help="days after a window's end")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "benchmarks" / "years.csv")
    args = parser.parse_args(argv)
    result = table(args.raw, args.truth, args.today, args.after)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result.to_csv(args.out, index=False)
    print(result.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
