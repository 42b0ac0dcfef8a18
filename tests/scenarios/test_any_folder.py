"""Every folder a user can have builds every report, or stops with one clear sentence.

Small corpora are cut from the real corpus (``helpers.testing.subsets``): a few dumps, a few
papers each, listing pages; each is built with the real command (``python -m helpers reports
--raw --out``). The fixed cases are those of issue 22; the random draws here are few and small
(``HF_PAPERS_SWEEP_DRAWS``, default 1, sets how many); ``benchmarks/sweep_small.py --draws 40``
is the long sweep. Skipped, saying why, when the real corpus is absent.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from helpers.config import paths
from helpers.testing.subsets import Draw, build, draw, write_draw

ROOT = paths().root
CORPUS = ROOT.parent / "shared" / "corpora" / "hf-daily-2024-2026" / "raw"
STEMS = sorted(p.stem for p in paths().notebooks.glob("*.ipynb"))
DRAWS = int(os.environ.get("HF_PAPERS_SWEEP_DRAWS", "1"))

pytestmark = pytest.mark.skipif(
    not (CORPUS.is_dir() and any(CORPUS.glob("*.txt"))),
    reason=f"the real corpus is absent ({CORPUS} has no dumps): small folders cut from it "
    "cannot be drawn",
)

FIXED = {
    # issue 22: two consecutive real days, 2 papers each: 02-keyword-trends failed in
    # trend_topics (an empty table whose term column had no string type)
    "dec-29-30-two-papers-each": Draw(
        ("412_52c85857115746ae.txt", "413_32412b84cf880b8c.txt"), 2, "consecutive"
    ),
    # one paper on one listing page (no "Daily Papers" heading, like the seeds)
    "one-paper-listing": Draw(("100_e2ba913acedba418.txt",), 1, "consecutive", listing=True),
}


def _built(tmp_path: Path, chosen: Draw):
    raw = write_draw(CORPUS, chosen, tmp_path / "raw")
    return build(raw, tmp_path / "out", ROOT)


@pytest.mark.parametrize("name", sorted(FIXED))
def test_a_small_real_folder_builds_every_report(tmp_path, name):
    done = _built(tmp_path, FIXED[name])
    assert done.problems(STEMS) == [], done.output[-3000:]
    assert set(done.pages) == {"index.html", *(f"{stem}.html" for stem in STEMS)}


@pytest.mark.parametrize("number", range(DRAWS))
def test_a_random_small_folder_of_real_dumps_builds_every_report(tmp_path, number):
    chosen = draw(CORPUS, random.Random(22 + number), max_dumps=6)
    done = _built(tmp_path, chosen)
    assert done.problems(STEMS) == [], f"{chosen.describe()}\n{done.output[-3000:]}"


def test_a_folder_where_every_file_is_refused_stops_before_any_notebook(tmp_path):
    hostile = ROOT / "tests" / "hostile"
    raw = tmp_path / "raw"
    raw.mkdir()
    for seq, name in enumerate(["readme.txt", "no_date_header.txt", "binary.txt"]):
        (raw / f"{seq:03d}_{name}").write_bytes((hostile / name).read_bytes())
    done = build(raw, tmp_path / "out", ROOT)
    errors = [line for line in done.output.splitlines() if line.startswith("error:")]
    assert done.returncode == 2 and len(errors) == 1, done.output
    assert errors[0].startswith(f"error: {raw}: no paper could be read: 3 of 3 file(s) refused")
    assert "Traceback" not in done.output and "left in place" not in done.output
    assert done.pages == () and "notebook(s) in" not in done.output  # none ran, no index
