"""The command line: ``hf-papers`` options, one documented function per command, one root
error caught once. (The README's own commands run end to end in
``tests/scenarios/test_readme_commands.py``.)"""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pytest
from support import DATED, write_dumps

from helpers.__main__ import main
from helpers.cli import COMMANDS
from helpers.errors import (
    DumpFormatError,
    HFPapersError,
    MissingInputError,
    ReportError,
    SettingsError,
)

VENV_BIN = Path(sys.executable).parent
HF_PAPERS = VENV_BIN / "hf-papers"


def test_version_from_the_module_and_the_installed_console_script(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    expected = f"hf-papers {version('hf-papers-helpers')}"
    assert capsys.readouterr().out.strip() == expected
    assert HF_PAPERS.exists(), "the console script is installed with the package"
    run = subprocess.run([HF_PAPERS, "--version"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == expected


def test_ingest_raw_out_builds_tables_beside_the_output_and_nothing_else(project, tmp_path):
    dumps, out = tmp_path / "dumps", tmp_path / "out"
    truth = write_dumps(dumps, 12, DATED, dated=True)
    before = {p.name: p.read_bytes() for p in dumps.iterdir()}
    assert main(["ingest", "--raw", str(dumps), "--out", str(out)]) == 0
    papers = pd.read_parquet(out / "processed" / "papers.parquet")
    shown = papers.drop_duplicates("dump_file").set_index("dump_file")["dump_date"]
    assert shown.dt.strftime("%Y-%m-%d").to_dict() == truth
    assert {p.name: p.read_bytes() for p in dumps.iterdir()} == before  # dumps only read
    assert not project.processed.exists()  # the project's own tables were not touched


def test_the_script_ends_with_the_commands_code_and_all_of_its_output(tmp_path):
    # the script ends its process without tearing the modules down: nothing may be lost
    dumps, out = tmp_path / "dumps", tmp_path / "out"
    write_dumps(dumps, 3, DATED, dated=True)
    args = ["ingest", "--raw", str(dumps), "--out", str(out)]
    done = subprocess.run([HF_PAPERS, *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"ingest: parsed 3 file(s); tables in {out / 'processed'}"
    assert lines[-1].startswith("dates: ")  # the last line printed is there too
    assert (out / "processed" / "papers.parquet").exists()
    again = subprocess.run([HF_PAPERS, *args], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "unchanged, nothing to do" in again.stdout
    missing = [HF_PAPERS, "ingest", "--raw", str(tmp_path / "none"), "--out", str(out)]
    failed = subprocess.run(missing, capture_output=True, text=True, timeout=300)
    assert failed.returncode == MissingInputError.exit_code
    assert failed.stderr.startswith(f"error: {tmp_path / 'none'}")


def test_ingest_prints_how_the_years_were_chosen_and_keeps_a_given_year(project, capsys):
    assert main(["ingest", "--first-year", "2020"]) == 0
    assert "dates: first_year=2020 (given with --first-year)" in capsys.readouterr().out
    assert main(["ingest"]) == 0
    out = capsys.readouterr().out
    assert "unchanged, nothing to do" in out and "first_year=2020" in out


def test_a_year_that_cannot_be_is_one_error_naming_file_line_and_label(project, capsys):
    seed = sorted(project.raw.glob("*.txt"))[0].read_text(encoding="utf-8")
    leap = project.raw / "009_leap.txt"  # after Jul 28: the year rolls over
    leap.write_text(seed.replace("Mar 11", "Feb 29", 1), encoding="utf-8")
    line = seed.splitlines().index("Mar 11") + 1
    assert main(["ingest", "--first-year", "2022"]) == 2
    err = capsys.readouterr().err
    assert f"error: {leap}:{line}: 'Feb 29' is not a real date in 2023" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "--first-year", "soon"], "expected a year or 'auto'"),
        (["reports", "--unknown"], "unrecognised arguments"),
        (["reports", "-p", "first_year=2023"], "use --first-year"),
    ],
)
def test_bad_options_are_usage_errors(project, capsys, args, message):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2 and message in capsys.readouterr().err


def test_a_bad_settings_file_stops_the_command_naming_it(project, capsys):
    (project.root / "hf-papers.toml").write_text("first_year = 'next'\n", encoding="utf-8")
    assert main(["ingest"]) == 2
    assert f"{project.root / 'hf-papers.toml'}: first_year = 'next'" in capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_one_documented_function_with_an_example(command, capsys):
    function = COMMANDS[command][0]
    assert function.__name__ == f"{command}_command"
    assert "example: hf-papers " + command in function.__doc__
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert function.__doc__.splitlines()[0][:30] in capsys.readouterr().out


def test_every_deliberate_error_shares_one_root_and_keeps_its_details():
    error = DumpFormatError("x.txt", 3, "looks binary")
    assert isinstance(error, HFPapersError) and isinstance(SettingsError("s"), HFPapersError)
    assert (error.path, error.line, error.reason, str(error)) == (
        "x.txt",
        3,
        "looks binary",
        "x.txt:3: looks binary",
    )
    assert pickle.loads(pickle.dumps(error)).reason == "looks binary"


def test_the_report_error_carries_notebook_cell_and_executed_copy():
    error = ReportError("ValueError: boom", "01.ipynb", 3, "reports/failed/01.ipynb", "x = 1")
    other = ReportError("KeyError: 'k'", "02.ipynb")
    both = ReportError(*pickle.loads(pickle.dumps(error)).args[:5], others=(other,))
    assert isinstance(error, HFPapersError) and error.exit_code == 1
    assert (both.notebook, both.cell, both.executed) == ("01.ipynb", 3, "reports/failed/01.ipynb")
    assert str(both).splitlines() == [
        "2 notebook(s) failed; previous reports left in place:",
        "01.ipynb: cell 3 failed with ValueError: boom",
        "    cell starts: x = 1",
        "    executed copy with the traceback: reports/failed/01.ipynb",
        "02.ipynb: could not run: KeyError: 'k'",
    ]
    assert str(ReportError("no notebooks to run")) == "no notebooks to run"


def test_a_failed_first_build_does_not_claim_previous_reports_were_kept():
    error = ReportError("ValueError: boom", "01.ipynb", 3, previous=False)
    assert str(error).splitlines()[0] == "1 notebook(s) failed; no report was written:"
    assert pickle.loads(pickle.dumps(error)).previous is False


def test_a_missing_dump_folder_is_an_error_of_the_package(project, tmp_path, capsys):
    assert issubclass(MissingInputError, HFPapersError)
    assert issubclass(MissingInputError, FileNotFoundError)  # callers catching that still do
    assert main(["ingest", "--raw", str(tmp_path / "nowhere")]) == MissingInputError.exit_code
    assert "nowhere" in capsys.readouterr().err


def test_the_command_line_catches_the_root_error_once(project, capsys, monkeypatch):
    def broken(args):
        raise HFPapersError("a problem the user can fix")

    monkeypatch.setitem(COMMANDS, "ingest", (broken, None, True))
    assert main(["ingest"]) == HFPapersError.exit_code
    assert "error: a problem the user can fix" in capsys.readouterr().err


HOSTILE = Path(__file__).parent / "hostile"


@pytest.fixture
def refused(tmp_path):
    """A folder where every file is refused: empty, whitespace only, binary."""
    folder = tmp_path / "refused"
    folder.mkdir()
    for seq, name in enumerate(["empty.txt", "whitespace_only.txt", "binary.txt"]):
        (folder / f"{seq:03d}_{name}").write_bytes((HOSTILE / name).read_bytes())
    return folder


@pytest.mark.parametrize("command", ["ingest", "reports"])
def test_a_folder_where_nothing_loads_stops_with_one_error_line(
    project, refused, tmp_path, capsys, command
):
    shutil.copy(HOSTILE.parents[1] / "notebooks" / "00-overview.ipynb", project.notebooks)
    out = tmp_path / "out"
    assert main([command, "--raw", str(refused), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if line.startswith("error:")] == [
        f"error: {refused}: no paper could be read: 3 of 3 file(s) refused "
        "(000_empty.txt:1: file is empty (no text at all); "
        "001_whitespace_only.txt:1: file is empty (no text at all); 1 more)"
    ]
    assert "Traceback" not in err and "left in place" not in err
    assert not (out / "processed" / "papers.parquet").exists()
    assert not list(out.glob("*.html")) and not (out / "executed").exists()  # nothing ran


def test_files_that_load_but_hold_no_paper_are_named_with_their_lost_blocks(
    project, tmp_path, capsys
):
    folder = tmp_path / "chrome"
    folder.mkdir()
    (folder / "000_a.txt").write_text("Daily Papers\n\nMar 11\n", encoding="utf-8")
    (folder / "001_b.txt").write_text("Daily Papers\n\nMar 12\n\nA title alone\n")
    assert main(["ingest", "--raw", str(folder), "--out", str(tmp_path / "out")]) == 2
    (line,) = [x for x in capsys.readouterr().err.splitlines() if x.startswith("error:")]
    assert line.startswith(f"error: {folder}: no paper could be read: 1 block(s) not read")
    assert "001_b.txt:5: " in line and "refused" not in line


def test_a_folder_that_held_no_paper_is_read_again_not_skipped(project, refused, tmp_path):
    out = tmp_path / "out"
    assert main(["ingest", "--raw", str(refused), "--out", str(out)]) == 2
    assert main(["ingest", "--raw", str(refused), "--out", str(out)]) == 2
    assert not (out / "processed" / "manifest.json").exists()
