"""Repository hygiene: notebooks, parameters, environment files."""

from __future__ import annotations

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
