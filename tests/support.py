"""Helpers that tests in any folder import (``from support import make_papers``; pytest puts
``tests/`` on the path, see ``[tool.pytest.ini_options]``)."""

from __future__ import annotations

import hashlib

import pandas as pd


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
