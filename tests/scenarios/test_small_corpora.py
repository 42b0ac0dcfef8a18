"""Every notebook runs on corpora too small for some of its charts, and says so in words."""

from __future__ import annotations

import html
import re
import shutil

import pytest

from helpers.config import ProjectPaths, paths
from helpers.report.runner import build_reports

SEEDS = sorted(paths().raw.glob("*.txt"))


def _visible_text(report) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", report.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def one_week(tmp_path_factory):
    """The two seeds, the second re-dated to the day after the first: one week, one month."""
    root = tmp_path_factory.mktemp("one_week")
    (root / "data" / "raw").mkdir(parents=True)
    shutil.copytree(paths().notebooks, root / "notebooks")
    first, second = SEEDS
    shutil.copy(first, root / "data" / "raw" / first.name)
    text = second.read_text(encoding="utf-8")
    assert "\nJul 28\n" in text
    (root / "data" / "raw" / second.name).write_text(
        text.replace("\nJul 28\n", "\nMar 12\n", 1), encoding="utf-8"
    )
    project = ProjectPaths(root)
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_PAPERS_ROOT", str(root))
    try:
        result = build_reports(project, jobs=2)
    finally:
        mp.undo()
    return project, result


def test_every_notebook_runs_when_all_dumps_fall_in_one_period(one_week):
    project, result = one_week
    expected = sorted(nb.stem for nb in paths().notebooks.glob("*.ipynb"))
    assert sorted(result.executed) == expected
    for stem in expected:
        assert (project.reports / f"{stem}.html").exists()


def test_trends_report_says_one_period_cannot_show_a_trend(one_week):
    project, _ = one_week
    text = _visible_text(project.reports / "02-keyword-trends.html")
    assert "All dumps fall into one period with freq='W': no term can rise or fall" in text
    assert "Only one period: there is nothing to compare over time." in text
