"""Repository hygiene: notebooks, parameters, environment files."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path

import papermill as pm
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert any(nb.name == "00-overview.ipynb" for nb in NOTEBOOKS)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(notebook):
    nb = json.loads(notebook.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs", []) == [], f"{notebook.name} has outputs"
            assert cell.get("execution_count") is None, f"{notebook.name} has execution counts"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cells_have_unique_ids(notebook):
    # nbformat 4.5 requires them: a cell without one makes every build print a warning
    cells = json.loads(notebook.read_text())["cells"]
    ids = [c.get("id") for c in cells]
    assert None not in ids and len(set(ids)) == len(ids)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_that_papermill_can_read(notebook):
    nb = json.loads(notebook.read_text())
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{notebook.name}: {len(tagged)} cells tagged parameters"
    source = "".join(tagged[0]["source"])
    assignments = [
        line for line in source.splitlines() if line.strip() and not line.startswith("#")
    ]
    found = pm.inspect_notebook(str(notebook))
    names = {re.match(r"\s*(\w+)", line).group(1) for line in assignments}
    assert names == set(found), f"papermill could not read some parameters of {notebook.name}"
    for name, info in found.items():
        assert info["inferred_type_name"] != "None", f"{notebook.name}: {name} has no annotation"
        assert info["help"], f"{notebook.name}: {name} has no comment saying what it is"
    assert "tables_dir" in found


# a run-time download of nltk data (the download function of nltk, called or imported): offline
_NLTK_DOWNLOAD = re.compile(r"\bnltk\s*\.\s*download\b|\bfrom\s+nltk\s+import\b[^\n]*\bdownload\b")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_does_not_edit_sys_path_or_download(notebook):
    text = notebook.read_text()
    assert "sys.path" not in text
    assert not _NLTK_DOWNLOAD.search(text)


def test_helpers_never_download_nltk_data():
    for module in (ROOT / "src" / "helpers").rglob("*.py"):
        assert not _NLTK_DOWNLOAD.search(module.read_text()), module.name
    assert _NLTK_DOWNLOAD.search("import nltk\nnltk . download('punkt')")  # the pattern bites
    assert _NLTK_DOWNLOAD.search("from nltk import word_tokenize, download")


def _name(requirement: str) -> str:
    return re.split(r"[<>=!\[ ;]", requirement, maxsplit=1)[0].lower()


def test_environment_yml_lists_every_pyproject_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for r in project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {_name(d) for d in env["dependencies"] if isinstance(d, str)}
    missing = wanted - listed
    assert not missing, f"environment.yml lacks {sorted(missing)}"


def test_readme_starts_with_the_two_commands_and_make_has_them():
    readme = (ROOT / "README.md").read_text()
    head = readme[:1500]
    assert "make reports" in head and "make test" in head
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^reports:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_generated_files_are_ignored_by_git():
    ignore = (ROOT / ".gitignore").read_text()
    assert "/reports/*" in ignore and "/data/processed/*" in ignore


MAX_CELL_LINES = 12


def _code_cells(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def _statements(source: str) -> ast.Module:
    # IPython magics (%matplotlib inline) are not Python
    return ast.parse(
        "\n".join("" if ln.lstrip().startswith("%") else ln for ln in source.split("\n"))
    )


def _lines(source: str) -> int:
    """Non-blank lines, an import statement counting as one (the import sorter writes one
    imported name per line)."""
    tree = _statements(source)
    spans = {
        n.lineno: n.end_lineno for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)
    }
    skipped = {line for start, end in spans.items() for line in range(start + 1, end + 1)}
    lines = source.split("\n")
    return sum(1 for i, ln in enumerate(lines, 1) if ln.strip() and i not in skipped)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cells_are_short_calls_to_helpers(notebook):
    """Every code cell is at most ~12 lines, defines no function or class, and imports only in
    the first cell after the parameters: the logic lives in the helpers, where it is tested."""
    cells = _code_cells(notebook)
    for i, source in enumerate(cells):
        assert _lines(source) <= MAX_CELL_LINES, (
            f"{notebook.name}: code cell {i} has {_lines(source)} lines:\n{source}"
        )
        tree = _statements(source)
        defined = [
            n.name
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        ]
        assert defined == [], f"{notebook.name}: cell {i} defines {defined}"
        imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
        assert i == 1 or not imports, f"{notebook.name}: cell {i} imports mid-notebook"


def test_the_cell_rules_catch_a_long_cell_a_def_and_a_late_import():
    assert _lines("from helpers import (\n    a,\n    b,\n)\nx = 1\n") == 2
    assert _lines("\n".join(f"x{i} = {i}" for i in range(13))) == 13
    tree = _statements("%matplotlib inline\ndef f():\n    return 1\n")
    assert any(isinstance(n, ast.FunctionDef) for n in ast.walk(tree))
