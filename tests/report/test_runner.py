"""The report cache's code fingerprint: the package's code and data that reports use, not its
test support (editing the synthetic corpus generator re-runs no report)."""

from __future__ import annotations

import shutil
from pathlib import Path

import helpers
from helpers.report.runner import _helpers_fingerprint

PACKAGE = Path(helpers.__file__).resolve().parent


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "helpers"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_the_fingerprint_is_the_installed_package_by_default(tmp_path):
    assert _helpers_fingerprint() == _helpers_fingerprint(_copy(tmp_path))


def test_editing_test_support_keeps_the_fingerprint(tmp_path):
    package = _copy(tmp_path)
    before = _helpers_fingerprint(package)
    synth = package / "testing" / "synth.py"
    synth.write_text(synth.read_text() + "\n# edited\n")
    (package / "testing" / "new_corpus.py").write_text("X = 1\n")
    assert _helpers_fingerprint(package) == before


def test_editing_code_data_or_a_template_changes_the_fingerprint(tmp_path):
    package = _copy(tmp_path)
    seen = {_helpers_fingerprint(package)}
    for path in (
        package / "analysis" / "terms.py",
        package / "data" / "venues.csv",
        package / "report" / "templates" / "index.html.j2",
    ):
        path.write_text(path.read_text() + "\n")
        seen.add(_helpers_fingerprint(package))
    assert len(seen) == 4
