"""daily.py and enrich.py: daily_papers JSON days as input, alone and beside text dumps."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from helpers.errors import DumpFormatError
from helpers.ingest import ingest
from helpers.ingest.daily import parse_day, parse_day_text
from helpers.ingest.load import PAPERS_SCHEMA, dedupe, load_dumps, paper_id
from helpers.report.notebook import load_papers

REAL = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "hf-daily-2024-2026"
needs_real = pytest.mark.skipif(
    not (REAL / "json").is_dir(), reason=f"the real corpus is not at {REAL} (JSON days)"
)
NEW_COLUMNS = [
    "arxiv_id",
    "authors",
    "n_authors",
    "organization",
    "upvotes",
    "comments",
    "github_repo",
    "github_stars",
    "project_page",
    "hf_keywords",
    "published_at",
    "submitted_at",
]


def item(title: str, summary: str = "An abstract that ends.", **paper) -> dict:
    """One daily_papers item, the way the API nests it."""
    return {"paper": {"title": title, "summary": summary, **paper}, "numComments": 2}


def write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def accounted(papers: pd.DataFrame) -> pd.DataFrame:
    """Per file read: items (or blocks) read against those in paper rows and in rejects."""
    files, rejects = papers.attrs["files"], papers.attrs["rejects"]
    in_rows = papers.groupby("dump_path")["n_blocks"].sum()
    in_rejects = rejects.groupby("dump_path")["n_blocks"].sum()
    return files.assign(
        in_rows=files["dump_path"].map(in_rows).fillna(0).astype(int),
        in_rejects=files["dump_path"].map(in_rejects).fillna(0).astype(int),
    )


def test_new_columns_come_last_in_the_schema_and_are_missing_for_text_dumps():
    assert list(PAPERS_SCHEMA.columns)[-len(NEW_COLUMNS) :] == NEW_COLUMNS
    papers = load_dumps("data/raw")
    assert papers[NEW_COLUMNS].isna().all().all()
    assert str(papers["upvotes"].dtype) == "Int64"
    assert str(papers["published_at"].dtype) == "datetime64[ns]"


def test_a_day_fills_every_new_column_from_the_api_fields(tmp_path):
    full = item(
        "A  Title\n split",
        "First line\nsecond line.",
        id="2506.08007",
        authors=[{"name": "Ann Lee", "hidden": False}, {"name": "Bo Li"}],
        organization={"name": "ByteDance-Seed", "fullname": "ByteDance Seed"},
        upvotes=97,
        githubRepo="https://github.com/OpenBMB/MiniCPM/tree/main",
        githubStars=12,
        projectPage="https://example.org/p",
        ai_keywords=["reinforcement learning", "scaling"],
        publishedAt="2025-06-09T17:59:53.000Z",
        submittedOnDailyAt="2025-06-10T00:43:01.816Z",
    )
    write(tmp_path, "2025-06-10.json", [full])
    row = load_dumps(tmp_path).iloc[0]
    assert (row["title"], row["abstract"]) == ("A Title split", "First line second line.")
    assert row["paper_id"] == paper_id("A Title split")
    assert row["dump_date"] == pd.Timestamp("2025-06-10") and row["date_label"] == "2025-06-10"
    assert row["arxiv_id"] == "2506.08007" and row["authors"] == ["Ann Lee", "Bo Li"]
    assert row["n_authors"] == 2 and row["organization"] == "ByteDance Seed"
    assert (row["upvotes"], row["comments"], row["github_stars"]) == (97, 2, 12)
    assert row["github_repo"] == "openbmb/minicpm"
    assert row["project_page"] == "https://example.org/p"
    assert row["hf_keywords"] == ["reinforcement learning", "scaling"]
    assert row["published_at"] == pd.Timestamp("2025-06-09 17:59:53")  # UTC, no time zone
    assert row["submitted_at"] == pd.Timestamp("2025-06-10 00:43:01.816")


def test_items_saved_as_python_repr_strings_are_read_as_data(tmp_path):
    repr_item = repr(item("Repr Paper", upvotes=5, authors=[{"name": "X", "hidden": True}]))
    assert "True" in repr_item and "'paper'" in repr_item
    hostile = "__import__('os').system('echo hacked')"
    write(tmp_path, "2024-12-20.json", [repr_item, item("Plain Paper"), hostile])
    papers = load_dumps(tmp_path, errors="collect")
    assert papers["title"].tolist() == ["Repr Paper", "Plain Paper"]
    assert papers["upvotes"].tolist()[0] == 5
    (reject,) = papers.attrs["rejects"].itertuples()
    assert (reject.line, reject.severity) == (3, "warning")
    assert "neither a Python literal nor JSON" in reject.reason


def test_the_wrapper_object_is_unwrapped_and_its_count_checked(tmp_path):
    wrapped = {"status": "success", "date": "2025-01-10", "count": 3, "data": [item("Only One")]}
    write(tmp_path, "2025-01-10.json", wrapped)
    papers = load_dumps(tmp_path, errors="collect")
    assert papers["title"].tolist() == ["Only One"]
    reasons = papers.attrs["rejects"].set_index("reason")["severity"].to_dict()
    assert reasons["wrapper object: its 'data' list read as the day's items"] == "info"
    assert reasons["the wrapper says count=3 but its 'data' holds 1"] == "warning"


def test_every_item_is_a_row_or_a_reject_with_its_number_and_reason(tmp_path):
    items = [
        item("Good"),
        {"paper": {"summary": "No title here."}},
        item("No Summary", summary=""),
        42,
        {"title": "Bare Paper Object", "summary": "Read too."},
    ]
    write(tmp_path, "2024-06-03.json", items)
    with pytest.warns(UserWarning, match=r"3 item\(s\) not read as papers"):
        papers = load_dumps(tmp_path)
    assert papers["title"].tolist() == ["Good", "Bare Paper Object"]
    assert papers["line"].tolist() == [1, 5]
    rejects = papers.attrs["rejects"].set_index("line")["reason"].to_dict()
    assert rejects == {
        2: "item has no title",
        3: "item has no summary (abstract)",
        4: "item is not an object (int)",
    }
    counts = accounted(papers).iloc[0]
    assert counts["n_blocks"] == 5 == counts["in_rows"] + counts["in_rejects"]
    # fields the API did not send are missing, not zero
    assert papers[NEW_COLUMNS].drop(columns="comments").iloc[0].isna().all()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[\n  {"paper": {"title": "A",}}\n]', r"x\.json:2: not valid JSON \(line 2, column 27"),
        ("May 27\n\nA title\n\nAn abstract.", r"not valid JSON \(line 1, column 1"),
        ('{"status": "error"}', "expected a list of papers .* found dict"),
        ('"just a string"', "expected a list of papers .* found str"),
    ],
)
def test_a_file_that_is_not_a_daily_papers_answer_is_refused_naming_file_and_place(
    tmp_path, text, message
):
    path = write(tmp_path, "x.json", text)
    with pytest.raises(DumpFormatError, match=message):
        parse_day(path)


def test_a_binary_json_file_is_refused_and_collected_with_the_others_read(tmp_path):
    (tmp_path / "2024-06-04.json").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    write(tmp_path, "2024-06-05.json", [item("Kept")])
    papers = load_dumps(tmp_path, errors="collect")
    assert papers["title"].tolist() == ["Kept"]
    (reject,) = papers.attrs["rejects"].itertuples()
    assert reject.dump_file == "2024-06-04.json" and reject.severity == "error"
    assert "not UTF-8" in reject.reason
    with pytest.raises(DumpFormatError, match="2024-06-04.json"):
        load_dumps(tmp_path)


def test_the_date_comes_from_the_name_else_submitted_on_daily_at_never_a_guess():
    dated = [item("A", submittedOnDailyAt="2025-03-04T01:00:00.000Z")]
    assert parse_day_text("saved.json", json.dumps(dated)).day.isoformat() == "2025-03-04"
    assert parse_day_text("saved.json", json.dumps(dated)).date_source == "submittedOnDailyAt"
    named = parse_day_text("2025-03-05.json", json.dumps(dated))
    assert (named.day.isoformat(), named.date_source) == ("2025-03-05", "file name")
    with pytest.raises(DumpFormatError, match="no date for this JSON day"):
        parse_day_text("saved.json", json.dumps([item("B")]))


def test_parquet_round_trip_keeps_lists_and_types(tmp_path):
    write(tmp_path, "2025-06-10.json", [item("A", authors=[{"name": "Z"}]), item("B")])
    papers = load_dumps(tmp_path)
    target = tmp_path / "papers.parquet"
    plain = papers.assign()
    plain.attrs = {}  # the rejects and files tables are written apart by ingest
    plain.to_parquet(target, index=False)
    back = load_papers(target)
    PAPERS_SCHEMA.validate(back)
    assert back["authors"].tolist() == [["Z"], None]
    pd.testing.assert_frame_equal(back, papers.reset_index(drop=True), check_like=False)
    assert len(dedupe(back)) == 2


def test_ingest_of_json_days_is_incremental_and_lists_files_not_read(tmp_path, capsys):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    for day in ("2025-06-09", "2025-06-10"):
        write(raw, f"{day}.json", [item(f"Paper of {day}", upvotes=1)])
    first = ingest(raw, processed)
    assert sorted(Path(p).name for p in first.parsed) == ["2025-06-09.json", "2025-06-10.json"]
    assert ingest(raw, processed).skipped
    write(raw, "2025-06-10.json", [item("Paper of 2025-06-10", upvotes=9)])
    again = ingest(raw, processed)
    assert [Path(p).name for p in again.parsed] == ["2025-06-10.json"]
    assert load_papers(again.outputs["papers"])["upvotes"].tolist() == [1, 9]
    capsys.readouterr()
    write(raw, "notes.md", "my notes")
    noted = ingest(raw, processed)
    assert not noted.skipped and noted.parsed == []  # the folder changed, no dump re-read
    assert "1 file(s) in" in capsys.readouterr().err
    rejects = pd.read_parquet(noted.outputs["rejects"])
    assert rejects["dump_file"].tolist() == ["notes.md"]


@needs_real
def test_the_580_real_json_days_load_as_9881_papers_matching_the_truth_table():
    start = time.perf_counter()
    papers = load_dumps(REAL / "json", errors="collect")
    seconds = time.perf_counter() - start
    print(f"580 JSON days loaded in {seconds:.1f} s")  # for the record, not asserted
    truth = pd.read_csv(REAL / "truth.csv", dtype={"arxiv_id": str}, keep_default_na=False)
    assert len(papers) == len(truth) == 9881
    counts = accounted(papers)
    assert counts["loaded"].all()
    assert (counts["n_blocks"] == counts["in_rows"] + counts["in_rejects"]).all()
    assert counts["n_blocks"].sum() == 9881 and counts["in_rows"].sum() == 9881
    rows = papers.sort_values(["dump_date", "rank"])
    assert rows["dump_date"].dt.strftime("%Y-%m-%d").tolist() == truth["date"].tolist()
    assert rows["title"].tolist() == truth["title"].tolist()
    assert rows["arxiv_id"].tolist() == truth["arxiv_id"].tolist()
    assert rows["upvotes"].tolist() == truth["upvotes"].tolist()
    # the URL as recorded is github.com/ + github_repo, then its end or a path inside the
    # repository (/tree/main, ?tab=, .git); no URL, no repo
    urls = truth["github"].str.replace(r"\s", "", regex=True).str.lower()
    urls = urls.str.replace(r"/+", "/", regex=True).str.removeprefix("https:/github.com/")
    for url, repo in zip(urls, rows["github_repo"], strict=True):
        assert (url == "") == pd.isna(repo)
        if url:
            assert url.startswith(repo) and url[len(repo) : len(repo) + 1] in (
                "",
                "/",
                "?",
                ".",
            ), url
    assert (truth["github"] != "").sum() == rows["github_repo"].notna().sum()


@needs_real
def test_text_dumps_and_json_of_the_same_days_give_one_row_per_paper(tmp_path):
    truth = pd.read_csv(REAL / "truth.csv", keep_default_na=False)
    # the turn of 2024: repr-string days, then the wrapper object of 2025-01-10
    window = truth[truth["date"].between("2024-12-30", "2025-01-10")]
    files = window["file"].unique().tolist()
    days = window["date"].unique().tolist()
    for name in files:
        shutil.copy(REAL / "raw" / name, tmp_path)
    for day in days:
        shutil.copy(REAL / "json" / f"{day}.json", tmp_path)
    papers = load_dumps(tmp_path, errors="collect")
    expected = truth[truth["file"].isin(files)]
    assert len(papers) == len(expected)
    assert set(papers["dump_file"]) == set(files)  # the text rows are kept, enriched
    assert papers["dump_date"].dt.strftime("%Y-%m-%d").tolist() == expected["date"].tolist()
    assert papers["upvotes"].tolist() == expected["upvotes"].tolist()
    joined = papers.attrs["rejects"].query("reason.str.startswith('same paper as')")
    assert len(joined) == len(expected) and set(joined["severity"]) == {"info"}
    counts = accounted(papers)
    assert (counts["n_blocks"] == counts["in_rows"] + counts["in_rejects"]).all()
    assert "takes the year of the JSON day" in papers.attrs["year_policy"]
