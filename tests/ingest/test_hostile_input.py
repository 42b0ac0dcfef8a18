"""Broken and hostile dumps: each one loads, loads with a warning and a reject row, or raises one
clear error naming the file, and every block read is accounted for.

The small corpus is in tests/hostile/ (one file per case). The big cases (a 200 MB dump, 10,000
tiny dumps, 200 dumps sharing a paper, a 20,000-character title) are generated into tmp_path.
Run with ``-s`` to see the time and memory the big cases take.
"""

from __future__ import annotations

import resource
import shutil
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import dedupe, load_dumps
from helpers.ingest import ingest
from helpers.ingest.dumps import DumpFormatError, split_blocks

HOSTILE = Path(__file__).parents[1] / "hostile"
HEAD = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
    "byAK and the research community\n\n"
)
ABSTRACT = "We study attention in small transformers. It works on every benchmark we tried."
# the titles of the two papers in the clean variants (latin1, utf16_bom, crlf, ...)
CLEAN_TITLES = ["Attention Is Cheap", "Na\u00efve Diffusion for Caf\u00e9 Menus"]
NO_PREFIX = "ignore:.*no NNN_ prefix:UserWarning"  # fixtures are named by case, not NNN_


def dump_text(date: str, pairs: list[tuple[str, str]]) -> str:
    return HEAD + date + "\n\n" + "".join(f"{t}\n\n{a}\n\n" for t, a in pairs)


def assert_blocks_balance(papers: pd.DataFrame) -> None:
    """Blocks in = blocks in paper rows + blocks in rejects, overall and for every file."""
    files = papers.attrs["files"].set_index("dump_path")["n_blocks"]
    in_papers = papers.groupby("dump_path")["n_blocks"].sum()
    in_rejects = papers.attrs["rejects"].groupby("dump_path")["n_blocks"].sum()
    accounted = in_papers.add(in_rejects, fill_value=0).reindex(files.index, fill_value=0)
    pd.testing.assert_series_equal(
        accounted.astype(int), files.astype(int), check_names=False, check_index_type=False
    )
    assert int(papers["n_blocks"].sum() + papers.attrs["rejects"]["n_blocks"].sum()) == int(
        files.sum()
    )


def load_quietly(source, **kwargs) -> pd.DataFrame:
    """load_dumps, failing on any warning except the one about missing NNN_ prefixes."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", message=".*no NNN_ prefix", category=UserWarning)
        return load_dumps(source, **kwargs)


# --- the small corpus, one case per file ------------------------------------------------------

LOADS = {  # file -> titles read
    "latin1.txt": CLEAN_TITLES,
    "cp1252.txt": ["\u201cQuoted\u201d Attention \u2013 a Study"],
    "utf16_bom.txt": CLEAN_TITLES,
    "utf16le_no_bom.txt": CLEAN_TITLES,
    "utf8_bom.txt": CLEAN_TITLES,
    "crlf.txt": CLEAN_TITLES,
    "lone_cr.txt": CLEAN_TITLES,
    "abstract_with_blank_lines.txt": ["Split Abstract", "Next Paper"],
    "hostile_text.txt": [
        "<script>alert(1)</script> Scripted Title",
        "Click javascript:alert(1) Now",
        "Costs $5 and $x^2$ *bold* _under_ # hash",
        "Template {{ 7*7 }} and {% raw %} {#",
        "<svg onload=alert(1)>",
    ],
}
WARNS = {  # file -> (reasons of the warning rejects, titles read)
    "nul_bytes.txt": (  # the NUL bytes are removed from the abstract, the paper kept
        ["3 NUL byte(s) removed (first on this line)"],
        ["Attention Is Cheap", "Broken Scrape", "Third Paper"],
    ),
    "title_no_abstract_at_end.txt": (
        ["title with no abstract at the end of the file"],
        CLEAN_TITLES,
    ),
    "utf8_cut_mid_character.txt": (
        ["1 byte(s) not valid UTF-8, replaced by U+FFFD (first on this line)"],
        [*CLEAN_TITLES, "\u00c9t\u00e9 Models"],
    ),
}
FAILS = {  # file -> words of the error
    "empty.txt": "file is empty",
    "whitespace_only.txt": "file is empty",
    "binary.txt": "looks binary",
    "readme.txt": "no date header",
    "table.csv": "no date header",
    "no_date_header.txt": "no date header",
    "impossible_date.txt": "'Feb 30' is not a real date",
}


def test_every_fixture_has_an_expected_outcome():
    assert {p.name for p in HOSTILE.iterdir()} == set(LOADS) | set(WARNS) | set(FAILS)


@pytest.mark.parametrize("name", sorted(LOADS))
def test_loads_cleanly(name):
    papers = load_quietly(HOSTILE / name)
    assert papers["title"].tolist() == LOADS[name]
    assert set(papers.attrs["rejects"]["severity"]) == {"info"}
    assert_blocks_balance(papers)


@pytest.mark.parametrize("name", ["latin1.txt", "utf16_bom.txt", "crlf.txt", "lone_cr.txt"])
def test_encodings_and_line_ends_give_the_same_rows_as_utf8(name):
    reference = load_quietly(HOSTILE / "utf8_bom.txt", first_year=2024)
    other = load_quietly(HOSTILE / name, first_year=2024)
    cols = ["title", "abstract", "date_label", "dump_date", "rank", "paper_id", "line", "n_blocks"]
    pd.testing.assert_frame_equal(reference[cols], other[cols])


def test_abstract_with_internal_blank_lines_is_one_abstract():
    papers = load_quietly(HOSTILE / "abstract_with_blank_lines.txt")
    first = papers.iloc[0]
    assert first["abstract"] == (
        ABSTRACT + "\n\nSecond paragraph of the same abstract. It ends.\n\nThird paragraph."
    )
    assert first["n_blocks"] == 4  # title + three paragraphs


def test_hostile_text_is_kept_exactly_as_written():
    papers = load_quietly(HOSTILE / "hostile_text.txt")
    raw = (HOSTILE / "hostile_text.txt").read_text(encoding="utf-8")
    for title, abstract in zip(papers["title"], papers["abstract"], strict=True):
        assert f"\n\n{title}\n\n{abstract}\n\n" in raw


@pytest.mark.filterwarnings(NO_PREFIX)
@pytest.mark.parametrize("name", sorted(WARNS))
def test_loads_with_a_warning_and_a_reject_row(name):
    path = HOSTILE / name
    reasons, titles = WARNS[name]
    with pytest.warns(UserWarning, match=rf"{name}: {len(reasons)} block\(s\) not read"):
        papers = load_dumps(path)
    assert papers["title"].tolist() == titles
    rejects = papers.attrs["rejects"]
    lost = rejects[rejects["severity"] == "warning"]
    assert lost["reason"].tolist() == reasons
    assert (lost["dump_file"] == name).all() and (lost["line"] >= 1).all()
    # the reject's line really is where the problem is
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    for line, reason in zip(lost["line"], lost["reason"], strict=True):
        text = lines[line - 1]
        if "NUL" in reason:
            assert "\x00" in text
        elif "UTF-8" in reason:
            assert "\ufffd" in text
        else:
            assert text.strip() in set(rejects["text"])
    assert_blocks_balance(papers)
    with pytest.raises(DumpFormatError, match=name):
        load_dumps(path, errors="raise")


@pytest.mark.filterwarnings(NO_PREFIX)
@pytest.mark.parametrize("name", sorted(FAILS))
def test_not_a_dump_raises_one_clear_error_naming_the_file(name):
    path = HOSTILE / name
    with pytest.raises(DumpFormatError, match=FAILS[name]) as info:
        load_dumps(path)
    assert str(info.value).startswith(f"{path}:")
    assert info.value.path == str(path) and info.value.line >= 1
    # collected instead: one error row, no block lost or invented
    papers = load_dumps(path, errors="collect")
    rejects = papers.attrs["rejects"]
    assert papers.empty and rejects["severity"].tolist() == ["error"]
    assert FAILS[name] in rejects["reason"].iloc[0]
    assert_blocks_balance(papers)


def test_a_folder_of_everything_loads_the_good_and_lists_the_bad(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    names = sorted(p.name for p in HOSTILE.iterdir())
    for seq, name in enumerate(names):
        shutil.copy(HOSTILE / name, folder / f"{seq:03d}_{name}")
    # a folder is read as its *.txt files: the stray CSV is not taken for a dump
    with pytest.raises(DumpFormatError, match="001_binary.txt:2: looks binary"):
        load_dumps(folder)
    papers = load_quietly(folder, errors="collect", first_year=2024)  # collect: no warning
    files = papers.attrs["files"]
    assert len(files) == len(names) - 1 and not files["dump_file"].str.endswith(".csv").any()
    failed = set(files.loc[~files["loaded"], "dump_file"].str[4:])
    assert failed == set(FAILS) - {"table.csv"}
    assert len(papers) == sum(len(v) for v in LOADS.values()) + sum(
        len(t) for _, t in WARNS.values()
    )
    assert_blocks_balance(papers)


def test_ingest_of_a_hostile_folder_survives_a_second_run(tmp_path):
    # a file-level error is cached between runs; it must come back as the same error
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    shutil.copy(HOSTILE / "binary.txt", raw / "000_binary.txt")
    shutil.copy(HOSTILE / "crlf.txt", raw / "001_crlf.txt")
    first = ingest(raw, processed)
    shutil.copy(HOSTILE / "hostile_text.txt", raw / "002_hostile.txt")
    second = ingest(raw, processed)
    assert second.parsed == [str(raw / "002_hostile.txt")]  # the others came from the cache
    assert second.file_errors == first.file_errors and "looks binary" in first.file_errors[0]
    papers = pd.read_parquet(second.outputs["papers"])
    assert papers["dump_file"].value_counts().to_dict() == {
        "002_hostile.txt": 5,
        "001_crlf.txt": 2,
    }


def test_a_subfolder_named_like_a_dump_is_not_read_as_one(tmp_path):
    shutil.copy(HOSTILE / "crlf.txt", tmp_path / "000_crlf.txt")
    (tmp_path / "001_dir.txt").mkdir()
    papers = load_quietly(tmp_path)
    assert papers.attrs["files"]["dump_file"].tolist() == ["000_crlf.txt"]
    assert papers["title"].tolist() == CLEAN_TITLES


# --- generated cases --------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["word " * 3999 + "final", "x" * 20_000])
def test_a_20000_character_title_is_kept_whole(tmp_path, title):
    assert len(title) == 20_000
    text = dump_text("Mar 11", [("Before", ABSTRACT), (title, ABSTRACT), ("After", ABSTRACT)])
    path = tmp_path / "000_long.txt"
    path.write_text(text, encoding="utf-8")
    papers = load_quietly(path)
    assert papers["title"].tolist() == ["Before", title, "After"]
    assert papers["abstract"].tolist() == [ABSTRACT] * 3
    assert_blocks_balance(papers)


def test_a_runaway_block_is_reported_but_not_copied_whole(tmp_path):
    text = dump_text("Mar 11", [("Only", ABSTRACT)]) + "Subscribe\n\n" + "z" * 50_000 + "\n"
    path = tmp_path / "000_runaway.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.warns(UserWarning, match="1 block"):
        papers = load_dumps(path)
    lost = papers.attrs["rejects"].query("severity == 'warning'").iloc[0]
    assert lost["reason"] == "text with no title"
    assert len(lost["text"]) < 2_100 and lost["text"].endswith("[... 48000 more characters]")
    assert_blocks_balance(papers)


def test_the_same_paper_in_200_dumps_is_one_paper(tmp_path):
    for seq in range(200):
        month, day = divmod(seq, 28)
        pairs = [("Order Matters: Sets", ABSTRACT), (f"Only in dump {seq}", ABSTRACT)]
        (tmp_path / f"{seq:03d}_d.txt").write_text(
            dump_text(
                f"{('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug')[month]} {day + 1}",
                pairs,
            ),
            encoding="utf-8",
        )
    papers = load_quietly(tmp_path, first_year=2024)
    assert len(papers) == 400
    unique = dedupe(papers)
    assert len(unique) == 201
    shared = unique.set_index("title").loc["Order Matters: Sets"]
    assert shared["n_dumps"] == 200
    assert shared["first_seen"] == pd.Timestamp("2024-01-01")
    assert shared["last_seen"] == pd.Timestamp("2024-08-04")
    assert_blocks_balance(papers)


def test_duplicate_file_names_in_two_folders_both_load_and_balance(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        text = dump_text("Mar 1", [(f"Paper {sub}", ABSTRACT), ("Shared", ABSTRACT)])
        (tmp_path / sub / "000_x.txt").write_text(text, encoding="utf-8")
    with pytest.warns(UserWarning, match="share the file name '000_x.txt'"):
        papers = load_dumps([tmp_path / "a", tmp_path / "b"])
    assert papers.groupby("dump_path").size().tolist() == [2, 2]
    assert dedupe(papers).set_index("title").loc["Shared", "n_dumps"] == 2
    assert_blocks_balance(papers)


def _timed(label: str, load):
    """Run ``load()`` and print its wall time and the process's peak memory (not asserted)."""
    started = time.perf_counter()
    result = load()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\n{label}: {time.perf_counter() - started:.1f} s, process max RSS so far {rss} MiB")
    return result


def test_a_200_mb_dump_loads_and_balances(tmp_path):
    path = tmp_path / "000_big.txt"
    abstract = ("We scale attention to long inputs and measure what breaks. " * 25).strip()
    n = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD + "Jul 28\n\n")
        while out.tell() < 200 * 2**20:
            out.write(
                "".join(f"Paper {n + k}: Scaling Study\n\n{abstract}\n\n" for k in range(500))
            )
            n += 500
    size = path.stat().st_size
    papers = _timed(
        f"{size / 2**20:.0f} MiB dump", lambda: load_quietly(path, first_year=2024, progress=False)
    )
    assert len(papers) == n
    assert (
        papers["rank"].iloc[-1] == n
        and papers["title"].iloc[-1] == f"Paper {n - 1}: Scaling Study"
    )
    assert_blocks_balance(papers)


def test_10000_tiny_dumps_load_and_balance(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    for seq in range(10_000):
        (folder / f"{seq:05d}_t.txt").write_text(
            f"Subscribe\n\nMar 11\n\nPaper {seq}\n\n{ABSTRACT}\n", encoding="utf-8"
        )
    papers = _timed(
        "10,000 tiny dumps", lambda: load_quietly(folder, first_year=2024, progress=False)
    )
    assert len(papers) == 10_000 and papers["dump_seq"].tolist() == list(range(10_000))
    assert_blocks_balance(papers)


# --- the block splitter against a line-by-line reference ----------------------------------------


def _reference_blocks(text: str) -> list[tuple[int, str, int]]:
    out, current, start = [], [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            start = start if current else number
            current.append(line)
        elif current:
            out.append((start, "\n".join(current).strip(), len(current)))
            current = []
    if current:
        out.append((start, "\n".join(current).strip(), len(current)))
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab \n\n\t\x0c\x1c\xa0\u2028\u3000\x00é")), max_size=60)
)
def test_split_blocks_matches_a_line_by_line_reading(text):
    assert [(b.line, b.text, b.n_lines) for b in split_blocks(text)] == _reference_blocks(text)
