"""sources.py: which files of a folder are read, and every other file named with a reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.analysis.overview import dump_summary, duplicates_table, overview_headline
from helpers.errors import MissingInputError
from helpers.ingest.load import load_dumps
from helpers.ingest.sources import not_read, resolve_sources

SEEDS = Path("data/raw")


def mixed_folder(folder: Path) -> Path:
    """The seed dumps with what a user's folder also holds: a saved web page and its files, a
    PDF, notes, and hidden entries."""
    for dump in SEEDS.glob("*.txt"):
        shutil.copy(dump, folder)
    (folder / "Daily Papers - Hugging Face.html").write_text("<html></html>")
    (folder / "Daily Papers - Hugging Face_files").mkdir()
    (folder / "paper.pdf").write_bytes(b"%PDF-1.4")
    (folder / "notes.md").write_text("to read")
    (folder / ".DS_Store").write_bytes(b"\0\0")
    (folder / ".ipynb_checkpoints").mkdir()
    return folder


def test_files_that_are_not_dumps_are_named_with_a_reason_and_hidden_ones_ignored(tmp_path):
    folder = mixed_folder(tmp_path)
    assert [p.name for p in resolve_sources(folder)] == sorted(p.name for p in SEEDS.glob("*.txt"))
    listed = {p.name: (reason, severity) for p, reason, severity in not_read(folder)}
    assert sorted(listed) == [
        "Daily Papers - Hugging Face.html",
        "Daily Papers - Hugging Face_files",
        "notes.md",
        "paper.pdf",
    ]
    assert listed["Daily Papers - Hugging Face.html"][1] == "warning"
    assert "saved web page" in listed["Daily Papers - Hugging Face.html"][0]
    assert listed["paper.pdf"][1] == "warning"
    assert listed["Daily Papers - Hugging Face_files"] == (
        "a sub-folder: only the files at the top of the folder are read",
        "info",
    )
    assert listed["notes.md"][1] == "info"


def test_the_overview_says_which_files_of_the_folder_were_not_read(tmp_path):
    papers = load_dumps(mixed_folder(tmp_path))
    rejects, files = papers.attrs["rejects"], papers.attrs["files"]
    outside = rejects[rejects["line"].eq(0) & rejects["reason"].str.startswith("not read: ")]
    assert len(outside) == 4 and outside["n_blocks"].eq(0).all()
    seeds_only = load_dumps(SEEDS)
    lines, corpus = overview_headline(
        papers, dump_summary(papers), duplicates_table(papers), rejects, files
    )
    base_lines, base = overview_headline(
        seeds_only,
        dump_summary(seeds_only),
        duplicates_table(seeds_only),
        seeds_only.attrs["rejects"],
        seeds_only.attrs["files"],
    )
    assert lines[:-1] == base_lines  # the files not read are not counted as lost text
    assert lines[-1][0].startswith("4 files in the folder are not dumps and were not read: ")
    assert "paper.pdf" in lines[-1][0] and ".DS_Store" not in lines[-1][0]
    assert corpus["files_not_read"] == 4 and base["files_not_read"] == 0
    assert corpus["rejects_to_check"] == base["rejects_to_check"]


def test_a_folder_with_no_dump_names_what_it_holds(tmp_path):
    (tmp_path / "Daily Papers - Hugging Face.html").write_text("<html></html>")
    with pytest.raises(MissingInputError, match=r"\*\.json daily_papers .* it holds Daily Papers"):
        resolve_sources(tmp_path)
