"""Counts said in sentences agree with their noun: the helper, a headline built on a corpus of
one of everything, and the notebooks' code (no "paper(s)", no bare "{n:,} papers")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from support import make_papers

from helpers.analysis.overview import dump_summary, duplicates_table, overview_headline
from helpers.wording import plural

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
WRONG = re.compile(r"\b1 (?:distinct )?(?:papers|dumps|blocks|files|abstracts|pairs|periods)\b")


def test_one_thing_is_singular_and_many_are_plural():
    assert [plural(n, "paper") for n in (0, 1, 2, 1234)] == [
        "0 papers", "1 paper", "2 papers", "1,234 papers",
    ]  # fmt: skip
    assert plural(1, "block needs", "blocks need") == "1 block needs"


def test_a_headline_on_one_of_everything_says_it_in_the_singular():
    papers = make_papers(
        [
            {"title": "A", "abstract": "Cut off mid", "dump_seq": 0},
            {"title": "A", "abstract": "Cut off mid", "dump_seq": 1, "dump_date": "2024-03-12"},
        ]
    ).assign(dump_path=lambda d: "/raw/" + d["dump_file"])
    rejects = pd.DataFrame(
        {
            "dump_file": ["000_test.txt"],
            "dump_path": ["/raw/000_test.txt"],
            "severity": ["warning"],
            "reason": ["lone title"],
        }
    )
    files = pd.DataFrame(
        {"loaded": [True, False], "dump_path": ["/raw/000_test.txt", "/raw/001_test.txt"]}
    )
    lines, _ = overview_headline(
        papers, dump_summary(papers), duplicates_table(papers), rejects, files
    )
    text = " ".join(line for line, _ in lines)
    assert "1 distinct paper in 2 dumps" in text
    assert "1 paper appears in more than one dump" in text
    assert "1 block of text needs a look" in text and "1 file could not" in text
    assert not WRONG.search(text), text


def test_notebook_code_counts_with_plural_not_by_hand():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            # "{n} paper(s)" in a sentence, or "{n:,} papers" that reads "1 papers" for one
            assert not re.search(r"\}\s*\w+\(s\)", source), (path.name, source)
            assert not re.search(r":,\} (?:papers|pairs)\b", source), (
                path.name,
                source,
            )


SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw"
CORPUS_LITERALS = re.compile(
    r"\bseeds?\b"  # "on the seed dumps"
    r"|\b\d{3}_[0-9a-f]{6,}"  # a dump file name
    r"|\bfor \d{3}\b"  # a dump by its number ("'sequential' for 000")
    r"|\b(?:19|20)\d\d-\d\d-\d\d\b",  # a date of some corpus
    re.IGNORECASE,
)


def test_notebook_prose_names_no_corpus():
    """Markdown is the same on every folder: what depends on the data is computed (takeaways,
    notes) and shown by helpers. The seeds' names and dump numbers never appear in it."""
    seeds = [p.stem for p in SEEDS.glob("*.txt")]
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            text = "".join(cell["source"])
            assert not CORPUS_LITERALS.search(text), (path.name, text)
            assert not [s for s in seeds if s[:3] in text or s[4:] in text], (path.name, text)
