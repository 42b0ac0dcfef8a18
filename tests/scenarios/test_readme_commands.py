"""The README's own commands run end to end in a temporary copy of the project (``make
reports`` on dumps with no year, ``hf-papers reports --raw ... --out ...`` on a folder of dated
files), checking every date the reports show."""

from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from support import DATED, LEAP, N_DATED, N_LEAP, write_dumps

from helpers.config import paths

MAIN = paths(raw=None, out=None)
VENV_BIN = Path(sys.executable).parent
ISO = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")
TIMEOUT = 900


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_PAPERS_")}
    env.pop("MPLBACKEND", None)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


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
    # the first day of a period holding the first dump: its week (6 days back) or its month
    start = pd.Timestamp(min(truth.values()))
    first = min(start - pd.Timedelta(days=6), start.replace(day=1))
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
    notebooks = sorted(p.stem for p in MAIN.notebooks.glob("*.ipynb"))
    assert [p.stem for p in pages] == [*notebooks, "index"]  # every report and the index
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
