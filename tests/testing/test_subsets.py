"""helpers.testing.subsets: small corpora cut from real dumps stay valid dumps."""

from __future__ import annotations

import random

import pytest

from helpers.config import paths
from helpers.ingest.dumps import parse_file, parse_text
from helpers.testing.subsets import Draw, as_listing, cut_text, draw, write_draw

SEEDS = sorted(paths().raw.glob("*.txt"))
DAILY = next(s for s in SEEDS if parse_file(s).page_kind == "daily")


@pytest.mark.parametrize("k", [1, 2, 3])
def test_a_cut_dump_parses_to_its_first_papers_and_nothing_lost(k):
    whole = parse_file(DAILY)
    cut = parse_text(DAILY, cut_text(DAILY, DAILY.read_text(encoding="utf-8"), k))
    assert [p.title for p in cut.papers] == [p.title for p in whole.papers[:k]]
    assert [p.abstract for p in cut.papers] == [p.abstract for p in whole.papers[:k]]
    assert all(r.severity == "info" for r in cut.rejects)  # chrome and the date header only


def test_a_listing_page_is_the_daily_page_without_its_heading():
    text = DAILY.read_text(encoding="utf-8")
    listing = parse_text(DAILY, as_listing(text))
    assert listing.page_kind == "listing" and parse_text(DAILY, text).page_kind == "daily"
    assert len(listing.papers) == len(parse_file(DAILY).papers)


def test_draws_stay_within_the_folder_and_their_bounds(tmp_path):
    rng = random.Random(0)
    names = {s.name for s in SEEDS}
    draws = [draw(paths().raw, rng, max_dumps=2) for _ in range(30)]
    assert all(1 <= len(d.files) <= 2 and set(d.files) <= names for d in draws)
    assert {d.papers_per_dump for d in draws} == {None, 1, 2, 3}
    written = write_draw(paths().raw, Draw((DAILY.name,), 1, listing=True), tmp_path / "raw")
    (only,) = written.iterdir()
    parsed = parse_file(only)
    assert (len(parsed.papers), parsed.page_kind) == (1, "listing")
