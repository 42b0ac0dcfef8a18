"""Helpers that tests in any folder import (``from support import make_papers``; pytest puts
``tests/`` on the path, see ``[tool.pytest.ini_options]``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from helpers.testing.synth import iter_dumps, write_corpus


def make_papers(rows: list[dict]) -> pd.DataFrame:
    """Build a papers frame with the loader's columns from a few dicts.

    Each dict needs ``title`` and ``abstract``; ``dump_file``/``dump_seq``/``dump_date`` default to
    one dump on 2024-03-11. ``paper_id`` is derived from the title like the loader does.
    """
    out = []
    for i, row in enumerate(rows):
        title = row["title"]
        abstract = row.get("abstract", "")
        seq = row.get("dump_seq", 0)
        date = pd.Timestamp(row.get("dump_date", "2024-03-11"))
        out.append(
            {
                "dump_file": row.get("dump_file", f"{seq:03d}_test.txt"),
                "dump_seq": seq,
                "date_label": row.get("date_label", date.strftime("%b %-d")),
                "dump_date": date,
                "page_kind": row.get("page_kind", "daily"),
                "rank": row.get("rank", i + 1),
                "paper_id": row.get(
                    "paper_id", hashlib.blake2b(title.lower().encode(), digest_size=8).hexdigest()
                ),
                "title": title,
                "abstract": abstract,
                "n_words": len(abstract.split()),
                "truncated": not abstract.rstrip().endswith((".", "!", "?")),
                "line": row.get("line", 1 + 4 * i),
            }
        )
    return pd.DataFrame(out).astype({"dump_date": "datetime64[ns]"})


# one dump a day from 2023-12-01 to 2024-04-05, in the seed format (no year in any file)
LEAP = {
    "start_date": "2023-12-01",
    "papers_per_dump": 2,
    "words_per_abstract": (40, 60),
    "tail_size": 2000,
    "seed": 11,
}
N_LEAP = (pd.Timestamp("2024-04-05") - pd.Timestamp("2023-12-01")).days + 1
# two winters ago, no Feb 29, files named by date
DATED = {**LEAP, "start_date": "2021-12-10", "seed": 12}
N_DATED = 60


def write_dumps(folder: Path, n: int, spec: dict, dated: bool = False) -> dict[str, str]:
    """Write the dumps; returns each file's true date (ISO)."""
    write_corpus(folder, n, **spec)
    truth = {}
    for dump in iter_dumps(n, **spec):
        name = dump.name
        if dated:
            name = f"hf-{dump.date:%Y-%m-%d}.txt"
            (folder / dump.name).rename(folder / name)
        truth[name] = f"{dump.date:%Y-%m-%d}"
    return truth
