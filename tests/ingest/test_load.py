"""The loader on the seed dumps and on the edge cases the format's mess produces."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import dedupe, load_dumps
from helpers.config import paths
from helpers.ingest.dumps import (
    _DATE_RE,
    CHROME,
    DumpFormatError,
    looks_cut_off,
    parse_text,
    split_blocks,
)
from helpers.ingest.load import paper_id
from helpers.ingest.years import assign_years

RAW = paths().raw
SEED_000 = RAW / "000_bf51bc8f353d52b5.txt"
SEED_004 = RAW / "004_aaee0d138d5b459c.txt"
HEAD = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def dump_text(date: str, pairs: list[tuple[str, str]], daily: bool = True) -> str:
    chrome = HEAD + ("Daily Papers\n\n" if daily else "") + "byAK and the research community\n\n"
    body = "".join(f"{t}\n\n{a}\n\n" for t, a in pairs)
    return f"{chrome}{date}\n\n{body}"


ABS1 = "We study a thing. It works well on every benchmark we tried."
ABS2 = "Second abstract about diffusion models. Code: https://github.com/a/b."


def blocks_in(papers: pd.DataFrame) -> int:
    return int(papers["n_blocks"].sum() + papers.attrs["rejects"]["n_blocks"].sum())


# --- the seeds -------------------------------------------------------------------------------


def test_seeds_load_as_35_and_72_papers():
    papers = load_dumps(RAW, first_year=2024)
    counts = papers.groupby("dump_file").size().to_dict()
    assert counts == {SEED_000.name: 35, SEED_004.name: 72}
    assert set(papers["date_label"]) == {"Mar 11", "Jul 28"}
    assert papers.loc[papers["dump_seq"] == 4, "dump_date"].iloc[0] == pd.Timestamp("2024-07-28")
    assert (
        papers.groupby("dump_file")["rank"]
        .apply(lambda r: list(r) == list(range(1, len(r) + 1)))
        .all()
    )
    assert dict(zip(papers["dump_file"], papers["page_kind"], strict=False)) == {
        SEED_000.name: "listing",
        SEED_004.name: "daily",
    }


@pytest.mark.parametrize("seed", [SEED_000, SEED_004])
def test_seed_titles_and_abstracts_are_exactly_as_in_the_file(seed):
    # independent reading: after the date header, blocks alternate title / abstract
    blocks = seed.read_text(encoding="utf-8").split("\n\n")
    blocks = [b.strip() for b in blocks if b.strip()]
    start = next(i for i, b in enumerate(blocks) if b in ("Mar 11", "Jul 28")) + 1
    expected = list(zip(blocks[start::2], blocks[start + 1 :: 2], strict=True))
    papers = load_dumps(seed)
    assert list(zip(papers["title"], papers["abstract"], strict=True)) == expected


def test_every_seed_block_is_accounted_for():
    papers = load_dumps(RAW)
    files = papers.attrs["files"]
    assert blocks_in(papers) == files["n_blocks"].sum() == 75 + 150
    rejects = papers.attrs["rejects"]
    assert set(rejects["reason"]) == {"page chrome", "date header"}


def test_papers_seen_in_both_seeds_share_an_id_and_dedupe_to_one_row():
    papers = load_dumps(RAW, first_year=2024)
    unique = dedupe(papers)
    assert len(unique) == papers["paper_id"].nunique() < len(papers)
    both = unique[unique["n_dumps"] == 2]
    assert "Order Matters: Sequence to sequence for sets" in set(both["title"])
    row = both.set_index("title").loc["Order Matters: Sequence to sequence for sets"]
    assert row["first_seen"] == pd.Timestamp("2024-03-11")
    assert row["last_seen"] == pd.Timestamp("2024-07-28")


def test_loading_does_not_write_to_raw_files():
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in RAW.iterdir()}
    load_dumps(RAW)
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in RAW.iterdir()} == before


def test_sources_folder_glob_file_and_list_agree():
    by_folder = load_dumps(RAW, first_year=2024)
    by_glob = load_dumps(str(RAW / "*.txt"), first_year=2024)
    by_list = load_dumps([SEED_000, SEED_004], first_year=2024)
    pd.testing.assert_frame_equal(by_folder, by_glob)
    pd.testing.assert_frame_equal(by_folder, by_list)
    assert len(load_dumps(SEED_000)) == 35


def test_loaded_frames_concatenate_despite_attrs():
    papers = load_dumps(RAW)
    both = pd.concat([papers, papers.head(3)])
    assert len(both) == len(papers) + 3


# --- encodings and line ends -----------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding, newline",
    [
        ("utf-8", "\n"),
        ("utf-8-sig", "\n"),
        ("utf-16", "\n"),
        ("utf-16-le", "\r\n"),
        ("cp1252", "\r\n"),
        ("latin-1", "\r"),
        ("utf-32", "\n"),
    ],
)
def test_encodings_and_line_ends_load_like_clean_utf8(tmp_path, encoding, newline):
    text = dump_text("Mar 11", [("Caf\u00e9 na\u00efve attention", ABS1), ("Second", ABS2)])
    clean = load_dumps(write(tmp_path, "000_clean.txt", text), first_year=2024)
    other = load_dumps(
        write(tmp_path, "001_other.txt", text.replace("\n", newline), encoding), first_year=2024
    )
    cols = ["title", "abstract", "date_label", "dump_date", "rank", "paper_id", "line"]
    pd.testing.assert_frame_equal(clean[cols], other[cols])


# --- files that are not dumps ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n\n  \n", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"# README\n\nThis project does things.\n\nInstall it.\n", "no date header"),
        (b"title,abstract\nA,B\nC,D\n", "no date header"),
        (HEAD.encode() + b"Feb 30\n\nTitle\n\nAbstract text here.\n", "not a real date"),
    ],
)
def test_non_dumps_raise_a_clear_error_naming_file_and_line(tmp_path, content, message):
    path = tmp_path / "007_bad.txt"
    path.write_bytes(content)
    with pytest.raises(DumpFormatError, match=message) as info:
        load_dumps(path)
    assert str(path) in str(info.value)
    assert info.value.line >= 1


def test_collect_mode_lists_a_bad_file_and_keeps_the_good_ones(tmp_path):
    good = write(tmp_path, "000_good.txt", dump_text("Mar 11", [("T", ABS1)]))
    bad = tmp_path / "001_bad.txt"
    bad.write_bytes(b"")
    papers = load_dumps([good, bad], errors="collect")
    assert len(papers) == 1
    rejects = papers.attrs["rejects"]
    row = rejects[rejects["severity"] == "error"].iloc[0]
    assert row["dump_file"] == "001_bad.txt" and "empty" in row["reason"]


def test_missing_source_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        load_dumps(tmp_path / "nope")


def test_feb_29_in_a_non_leap_year_is_an_error_naming_the_line(tmp_path):
    path = write(tmp_path, "000_leap.txt", dump_text("Feb 29", [("T", ABS1)]))
    assert load_dumps(path, first_year=2024)["dump_date"].iloc[0] == pd.Timestamp("2024-02-29")
    with pytest.raises(DumpFormatError, match="not a real date in 2023") as info:
        load_dumps(path, first_year=2023)
    assert info.value.line == 11


# --- messy structure ------------------------------------------------------------------------


def test_title_with_no_abstract_at_the_end_is_rejected_with_its_line(tmp_path):
    text = dump_text("Mar 11", [("T1", ABS1)]) + "Orphan title at the end\n"
    path = write(tmp_path, "000_cut.txt", text)
    with pytest.warns(UserWarning, match="1 block"):
        papers = load_dumps(path)
    assert list(papers["title"]) == ["T1"]
    rejects = papers.attrs["rejects"]
    lost = rejects[rejects["severity"] == "warning"].iloc[0]
    assert lost["reason"] == "title with no abstract at the end of the file"
    assert lost["line"] == text.splitlines().index("Orphan title at the end") + 1
    assert blocks_in(papers) == papers.attrs["files"]["n_blocks"].sum()
    with pytest.raises(DumpFormatError, match="title with no abstract"):
        load_dumps(path, errors="raise")


def test_title_with_no_abstract_in_the_middle_does_not_shift_the_pairs(tmp_path):
    text = dump_text("Mar 11", [("T1", ABS1)]) + "Lonely title\n\n" + "T2\n\n" + ABS2 + "\n"
    with pytest.warns(UserWarning):
        papers = load_dumps(write(tmp_path, "000_mid.txt", text))
    assert list(zip(papers["title"], papers["abstract"], strict=True)) == [
        ("T1", ABS1),
        ("T2", ABS2),
    ]


def test_abstract_split_by_a_blank_line_is_joined(tmp_path):
    text = dump_text("Mar 11", [("T1", ABS1 + "\n\nA second paragraph. It ends."), ("T2", ABS2)])
    papers = load_dumps(write(tmp_path, "000_split.txt", text))
    assert list(papers["title"]) == ["T1", "T2"]
    assert papers["abstract"].iloc[0] == ABS1 + "\n\nA second paragraph. It ends."
    assert papers["n_blocks"].tolist() == [3, 2]
    assert blocks_in(papers) == papers.attrs["files"]["n_blocks"].sum()


def test_truncated_abstract_at_end_of_scrape_is_kept_and_flagged(tmp_path):
    cut = "We propose a new method for learning representations of graphs that scale to"
    papers = load_dumps(
        write(tmp_path, "000_t.txt", dump_text("Mar 11", [("T1", ABS1), ("T2", cut)]))
    )
    assert papers["truncated"].tolist() == [False, True]


@pytest.mark.parametrize(
    "abstract, cut",
    [
        ("It works.", False),
        ("Is it?", False),
        ("Code: https://github.com/x/y", False),
        ("Available at github.com/x/y", False),
        ("We use (LoRA)", False),
        ('He said "done."', False),
        ("We propose a method for", True),
        ("The results show that the", True),
    ],
)
def test_looks_cut_off(abstract, cut):
    assert looks_cut_off(abstract) is cut


def test_page_without_daily_papers_is_a_listing_and_chrome_inside_is_accounted(tmp_path):
    text = dump_text("Jul 28", [("T1", ABS1)], daily=False) + "Subscribe\n\nT2\n\n" + ABS2 + "\n"
    papers = load_dumps(write(tmp_path, "000_l.txt", text))
    assert set(papers["page_kind"]) == {"listing"}
    assert len(papers) == 2
    assert "page chrome inside the listing" in set(papers.attrs["rejects"]["reason"])


def test_several_date_sections_in_one_file(tmp_path):
    text = dump_text("Dec 30", [("T1", ABS1)]) + "Jan 2\n\nT2\n\n" + ABS2 + "\n"
    papers = load_dumps(write(tmp_path, "000_two.txt", text), first_year=2023)
    assert papers["dump_date"].tolist() == [pd.Timestamp("2023-12-30"), pd.Timestamp("2024-01-02")]


# --- years ---------------------------------------------------------------------------------


def test_years_roll_over_when_the_month_goes_backwards():
    choice = assign_years([(11, 2), (12, 30), (1, 3), (3, 1), (2, 1)], first_year=2023)
    years, policy = choice.years, choice.policy
    assert years == [2023, 2023, 2024, 2024, 2025]
    assert "first_year=2023" in policy


def test_without_first_year_the_last_dump_is_never_in_the_future():
    today = dt.date(2026, 11, 25)
    assert assign_years([(3, 11), (7, 28)], today=today).years == [2026, 2026]
    assert assign_years([(12, 24)], today=today).years == [2025]
    assert assign_years([(12, 1), (1, 5)], today=today).years == [2025, 2026]


def test_year_policy_is_recorded_in_attrs(tmp_path):
    papers = load_dumps(RAW)
    assert "no first_year given" in papers.attrs["year_policy"]


def test_dump_files_are_ordered_by_their_number_not_by_name(tmp_path):
    write(tmp_path, "010_b.txt", dump_text("Jan 5", [("Later", ABS1)]))
    write(tmp_path, "9_a.txt", dump_text("Dec 20", [("Earlier", ABS2)]))
    papers = load_dumps(tmp_path, first_year=2023)
    assert papers["title"].tolist() == ["Earlier", "Later"]
    assert papers["dump_date"].dt.year.tolist() == [2023, 2024]


def test_paper_id_ignores_case_and_punctuation_only():
    assert paper_id("Order Matters: Sequence to Sequence") == paper_id(
        "order matters sequence to sequence"
    )
    assert paper_id("Order Matters") != paper_id("Order Matters 2")


def test_dedupe_keeps_the_fullest_abstract(tmp_path):
    short = "We propose a new method for"
    write(tmp_path, "000_a.txt", dump_text("Mar 1", [("Same Paper", short)]))
    write(tmp_path, "001_b.txt", dump_text("Mar 2", [("Same paper", ABS1)]))
    unique = dedupe(load_dumps(tmp_path, first_year=2024))
    assert len(unique) == 1
    assert unique["abstract"].iloc[0] == ABS1 and not unique["truncated"].iloc[0]
    assert unique["n_dumps"].iloc[0] == 2


def test_duplicate_file_names_in_two_folders_warn_and_both_load(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        write(tmp_path / sub, "000_x.txt", dump_text("Mar 1", [(f"Paper {sub}", ABS1)]))
    with pytest.warns(UserWarning, match="share the file name"):
        papers = load_dumps([tmp_path / "a", tmp_path / "b"])
    assert papers["dump_path"].nunique() == 2


# --- property tests ------------------------------------------------------------------------

_word = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=12
)
_title = (
    st.lists(_word, min_size=1, max_size=12)
    .map(" ".join)
    .filter(lambda t: t.casefold() not in CHROME and not _DATE_RE.fullmatch(t))
)
_abstract = st.lists(_word, min_size=3, max_size=60).map(lambda ws: " ".join(ws) + ".")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_title, _abstract), min_size=1, max_size=8))
def test_parser_round_trips_generated_dumps(pairs):
    text = dump_text("Sep 9", pairs)
    parsed = parse_text("gen.txt", text)
    assert [(p.title, p.abstract) for p in parsed.papers] == pairs
    n_blocks = sum(1 for b in text.split("\n\n") if b.strip())
    assert (
        sum(p.n_blocks for p in parsed.papers) + sum(r.n_blocks for r in parsed.rejects)
        == n_blocks
    )


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=400))
def test_parser_never_loses_a_block_on_arbitrary_text(body):
    text = dump_text("Sep 9", []) + body
    try:
        parsed = parse_text("any.txt", text)
    except DumpFormatError as exc:  # an impossible date header in the body, say
        assert "not a real date" in str(exc)
        return
    n_blocks = len(split_blocks(text))
    accounted = sum(p.n_blocks for p in parsed.papers) + sum(r.n_blocks for r in parsed.rejects)
    assert accounted == n_blocks


def test_no_warning_for_clean_seeds():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_dumps(RAW)
