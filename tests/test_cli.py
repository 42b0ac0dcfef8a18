"""The command line: ``hf-papers`` options, and the README's own commands run end to end in a
temporary copy of the project (``make reports`` on dumps with no year, ``hf-papers reports
--raw ... --out ...`` on a folder of dated files), checking every date the reports show."""

from __future__ import annotations

import html
import os
import pickle
import re
import shlex
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pytest

from helpers.__main__ import main
from helpers.cli import COMMANDS, build_parser
from helpers.config import paths
from helpers.errors import DumpFormatError, HFPapersError, SettingsError
from helpers.synth import iter_dumps, write_corpus

MAIN = paths(raw=None, out=None)
VENV_BIN = Path(sys.executable).parent
HF_PAPERS = VENV_BIN / "hf-papers"
ISO = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")
TIMEOUT = 900
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


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_PAPERS_")}
    env.pop("MPLBACKEND", None)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


# --- options -------------------------------------------------------------------------------


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
        main([command, "--help"]) if command != "bench" else build_parser().parse_args(["-h"])
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


def test_the_command_line_catches_the_root_error_once(project, capsys, monkeypatch):
    def broken(args):
        raise HFPapersError("a problem the user can fix")

    monkeypatch.setitem(COMMANDS, "ingest", (broken, None, True))
    assert main(["ingest"]) == HFPapersError.exit_code
    assert "error: a problem the user can fix" in capsys.readouterr().err


# --- the README's commands, end to end -----------------------------------------------------


def readme_commands() -> dict[str, list[str]]:
    """The commands of the README's "Your own data" section, by their first words."""
    text = (MAIN.root / "README.md").read_text(encoding="utf-8")
    section = text.split("## Your own data", 1)[1].split("\n## ", 1)[0]
    lines = [
        line.split("#", 1)[0].strip()
        for block in re.findall(r"```bash\n(.*?)```", section, re.S)
        for line in block.splitlines()
    ]
    found = {}
    for line in filter(None, lines):
        words = shlex.split(line)
        found[f"{Path(words[0]).name} {words[1]}"] = words
    return found


def temporary_copy(root: Path) -> Path:
    """The project as a user has it (Makefile, README, notebooks, src, an installed .venv), with
    the worktree's .venv linked in so ``make`` finds it set up."""
    stamp = Path(sys.prefix) / ".installed-stamp"
    if not stamp.exists() or not shutil.which("make"):
        pytest.skip(f"needs make and a .venv set up by make ({stamp} absent)")
    root.mkdir(parents=True)
    for name in ("Makefile", "README.md", "pyproject.toml"):
        shutil.copy2(MAIN.root / name, root / name)
    shutil.copytree(MAIN.notebooks, root / "notebooks")
    shutil.copytree(MAIN.root / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "data" / "raw").mkdir(parents=True)
    (root / ".venv").symlink_to(sys.prefix)
    # the set-up stamp must be newer than pyproject.toml, as it is in the checkout after setup
    older = stamp.stat().st_mtime - 60
    os.utime(root / "pyproject.toml", (older, older))
    dry = subprocess.run(
        ["make", "-n", "reports"], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert dry.returncode == 0 and "pip" not in dry.stdout and "venv " not in dry.stdout, dry
    return root


def run(command: list[str], cwd: Path) -> str:
    done = subprocess.run(
        command, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-4000:])
    return done.stdout


def check_every_date(out: Path, processed: Path, truth: dict[str, str]) -> None:
    """Every dump date in papers.parquet, the CSV tables and the HTML equals the true date; every
    other date shown (periods, quartiles) lies within the corpus (or is today's build stamp)."""
    papers = pd.read_parquet(processed / "papers.parquet")
    assert set(papers["dump_file"]) == set(truth)
    assert (papers["dump_date"].dt.strftime("%Y-%m-%d") == papers["dump_file"].map(truth)).all()
    start = pd.Timestamp(min(truth.values()))
    first = min(start - pd.Timedelta(days=6), start.replace(day=1))  # a week's or month's start
    last, today = max(truth.values()), pd.Timestamp.today().strftime("%Y-%m-%d")

    def within(dates) -> bool:
        return all(d == today or first.strftime("%Y-%m-%d") <= d <= last for d in dates)

    tables = sorted((out / "tables").rglob("*.csv"))
    assert tables
    n_dated_rows = 0
    for path in tables:
        table = pd.read_csv(path)
        assert within(ISO.findall(path.read_text(encoding="utf-8"))), path
        for column in {"dump_date", "first_seen"} & set(table.columns):
            if "dump_file" in table.columns and not table.empty:
                shown = table[column].astype(str).str[:10]
                assert (shown == table["dump_file"].map(truth)).all(), (path, column)
                n_dated_rows += len(table)
    assert n_dated_rows >= len(truth)  # papers_per_dump.csv alone has one row per dump

    pages = sorted(out.glob("*.html"))
    assert len(pages) == len(list(MAIN.notebooks.glob("*.ipynb"))) + 1  # reports and index
    n_rows = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert within(ISO.findall(text)), page
        for row in re.findall(r"<tr.*?</tr>", text, re.S):
            files = [name for name in re.findall(r"[\w.-]+\.txt", row) if name in truth]
            dates = ISO.findall(row)
            if len(set(files)) == 1 and dates:
                assert set(dates) == {truth[files[0]]}, (page.name, row[:300])
                n_rows += 1
    assert n_rows >= 5, "the overview lists dumps with their dates"


def test_readme_commands_build_every_report_with_the_true_dates(tmp_path):
    commands = readme_commands()
    assert {"make reports", "hf-papers reports"} <= set(commands), commands
    project = temporary_copy(tmp_path / "copy")

    # 1. dumps with no year anywhere, one a day across Feb 29, no settings: `make reports`
    truth = write_dumps(project / "data" / "raw", N_LEAP, LEAP)
    assert commands["make reports"] == ["make", "reports"]
    run(commands["make reports"], project)
    check_every_date(project / "reports", project / "data" / "processed", truth)
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "allows only leap years: 2024" in index
    overview = (project / "reports" / "00-overview.html").read_text(encoding="utf-8")
    assert "allows only leap years: 2024" in overview

    # the same dumps with first_year = 2023 in the settings file: re-ingested, the same dates
    (project / "hf-papers.toml").write_text("first_year = 2023\n", encoding="utf-8")
    said = run([".venv/bin/hf-papers", "ingest"], project)
    assert "unchanged" not in said and "first_year=2023 (set in hf-papers.toml)" in said
    check_every_date(project / "reports", project / "data" / "processed", truth)

    # 2. any folder of dumps named by date (no Feb 29): `hf-papers reports --raw ... --out ...`
    dumps, out = tmp_path / "my dumps", tmp_path / "my reports"
    dated = write_dumps(dumps, N_DATED, DATED, dated=True)
    words = list(commands["hf-papers reports"])  # .venv/bin/hf-papers, run in the copy
    words[words.index("--raw") + 1] = str(dumps)
    words[words.index("--out") + 1] = str(out)
    before = (project / "reports" / "index.html").read_bytes()
    said = run(words, project)
    assert f"open {out / 'index.html'}" in said
    check_every_date(out, out / "processed", dated)
    index = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert "every dump's year comes from the date in its file name" in index
    assert (project / "reports" / "index.html").read_bytes() == before  # the project's untouched
    assert sorted(p.name for p in (project / "data" / "raw").iterdir()) == sorted(truth)
