"""Sweep: build every report on random small corpora cut from a folder of real dumps.

``python benchmarks/sweep_small.py [--draws N] [--seed S] [--max-dumps M] [--corpus DIR]
[--root CHECKOUT] [--out CSV]``

Each draw (:func:`helpers.testing.subsets.draw`) is 1 to M dumps of ``--corpus`` (default the
real corpus beside the project), consecutive or scattered, in about half the draws each cut to
its first 1-3 papers, in a fifth made listing pages. Each is built with the real command
(``python -m helpers reports --raw --out``) of ``--root`` (default this tree; give a checkout
of an older revision to see what failed before). A draw passes when the build exits 0 with an
index and every report's HTML and no traceback in its output. One row per draw goes to the
CSV (default ``reports/benchmarks/sweep-small.csv``): draw, what it is, seconds, problems, the
notebooks that failed with their error. Exits 1 when any draw failed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from helpers.testing.subsets import build, draw, write_draw

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "hf-daily-2024-2026" / "raw"


def sweep(corpus: Path, draws: int, seed: int, max_dumps: int, root: Path) -> pd.DataFrame:
    """One row per draw: its number, description, build seconds, problems and failures."""
    rng = random.Random(seed)
    stems = sorted(p.stem for p in (root / "notebooks").glob("*.ipynb"))
    rows = []
    for number in range(draws):
        chosen = draw(corpus, rng, max_dumps)
        with tempfile.TemporaryDirectory(prefix="sweep-small-") as tmp:
            raw = write_draw(corpus, chosen, Path(tmp) / "raw")
            started = time.perf_counter()
            done = build(raw, Path(tmp) / "out", root)
            seconds = time.perf_counter() - started
        problems = done.problems(stems)
        rows.append(
            {
                "draw": number,
                "corpus": chosen.describe(),
                "seconds": round(seconds, 1),
                "ok": not problems,
                "problems": "; ".join(problems),
                "failed": " | ".join(done.failed_notebooks()),
            }
        )
        print(f"{number:3d} {'ok  ' if not problems else 'FAIL'} {chosen.describe()}", flush=True)
        for line in done.failed_notebooks() or problems:
            print(f"      {line}", flush=True)
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-dumps", type=int, default=30)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose code builds")
    parser.add_argument("--out", type=Path, default=ROOT / "reports/benchmarks/sweep-small.csv")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"error: no corpus folder {args.corpus}", file=sys.stderr)
        return 2
    table = sweep(args.corpus, args.draws, args.seed, args.max_dumps, args.root.resolve())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    print(f"{int(table['ok'].sum())}/{len(table)} draws built every report; rows in {args.out}")
    return 0 if table["ok"].all() else 1


if __name__ == "__main__":
    raise SystemExit(main())
