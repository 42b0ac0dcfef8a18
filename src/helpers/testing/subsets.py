"""Small corpora cut from a folder of real dumps: what a user who saved a few pages has.

A draw is a set of dump files (1 to ``max_dumps``, consecutive days or scattered over the whole
folder) and, for some draws, a number of papers each dump is cut to. A cut keeps the page's
chrome and date header and the first ``k`` papers: the text up to the line of paper ``k + 1``'s
title, so the cut file parses to exactly those papers (see :mod:`helpers.ingest.dumps`).

>>> cut_text("c.txt", "Mar 11\\n\\nA\\n\\nAn abstract.\\n\\nB\\n\\nAnother one.\\n", 1)
'Mar 11\\n\\nA\\n\\nAn abstract.\\n'
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from helpers.ingest.dumps import DAILY_MARKER, decode, parse_text


@dataclass(frozen=True)
class Draw:
    """One small corpus: which files of the folder, and how many papers each keeps (None: all)."""

    files: tuple[str, ...]
    papers_per_dump: int | None = None
    kind: str = "scattered"
    listing: bool = False  # pages without the "Daily Papers" heading (page_kind "listing")

    def describe(self) -> str:
        cut = f", cut to {self.papers_per_dump} paper(s)" if self.papers_per_dump else ""
        cut += ", listing pages" if self.listing else ""
        first, last = self.files[0].split("_")[0], self.files[-1].split("_")[0]
        return f"{len(self.files)} {self.kind} dump(s) {first}..{last}{cut}"


def cut_text(path: str | Path, text: str, papers: int) -> str:
    """``text`` up to (not including) the title of its paper number ``papers + 1``."""
    parsed = parse_text(path, text)
    if len(parsed.papers) <= papers:
        return text
    stop = parsed.papers[papers].line - 1  # lines before the next title
    return "".join(text.splitlines(keepends=True)[:stop]).rstrip("\n") + "\n"


def as_listing(text: str) -> str:
    """The page without its "Daily Papers" heading: what a saved listing page looks like.

    >>> as_listing("new\\n\\nDaily Papers\\n\\nMar 11\\n")
    'new\\n\\nMar 11\\n'
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip().casefold() == DAILY_MARKER:
            return "\n".join(lines[:i] + lines[i + 2 :])
    return text


def draw(folder: str | Path, rng: random.Random, max_dumps: int = 30) -> Draw:
    """A random small corpus of ``folder``'s ``*.txt`` dumps (name order is day order):
    1 to ``max_dumps`` files (half the draws 1 to 4, where too little data shows), consecutive
    or scattered; half the draws cut to 1-3 papers, a fifth made listing pages."""
    names = sorted(p.name for p in Path(folder).glob("*.txt"))
    n = rng.randint(1, min(4 if rng.random() < 0.5 else max_dumps, len(names)))
    if rng.random() < 0.5:
        start = rng.randrange(len(names) - n + 1)
        files, kind = names[start : start + n], "consecutive"
    else:
        files, kind = sorted(rng.sample(names, n)), "scattered"
    cut = rng.randint(1, 3) if rng.random() < 0.5 else None
    return Draw(tuple(files), cut, kind, listing=rng.random() < 0.2)


def write_draw(folder: str | Path, chosen: Draw, target: str | Path) -> Path:
    """Write the draw's files (cut when it says so) into ``target``; returns ``target``."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for name in chosen.files:
        source = Path(folder) / name
        if chosen.papers_per_dump is None and not chosen.listing:
            (target / name).write_bytes(source.read_bytes())
            continue
        text, _ = decode(source.read_bytes(), source)
        if chosen.papers_per_dump is not None:
            text = cut_text(source, text, chosen.papers_per_dump)
        (target / name).write_text(as_listing(text) if chosen.listing else text, encoding="utf-8")
    return target


@dataclass(frozen=True)
class Build:
    """What one ``python -m helpers reports`` run left: its exit code, output and pages."""

    returncode: int
    output: str
    pages: tuple[str, ...]  # HTML files written into the output folder

    def failed_notebooks(self) -> list[str]:
        """The ``stem: error`` of each notebook the build reported as failed."""
        marker = ": failed: "
        return [line.strip() for line in self.output.splitlines() if marker in line]

    def problems(self, stems: list[str]) -> list[str]:
        """What is wrong with a build that should have produced every report: empty if none."""
        out = [] if self.returncode == 0 else [f"exit code {self.returncode}"]
        out += [f"no {stem}.html" for stem in stems if f"{stem}.html" not in self.pages]
        out += [] if "index.html" in self.pages else ["no index.html"]
        out += ["a traceback in the output"] if "Traceback" in self.output else []
        return out


def build(raw: Path, out: Path, root: Path, extra: tuple[str, ...] = ()) -> Build:
    """Run the real build command from the checkout ``root`` (its helpers and notebooks) on
    ``raw``, into ``out``."""
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "HF_PAPERS_ROOT": str(root)}
    for name in ("MPLBACKEND", "HF_PAPERS_RAW", "HF_PAPERS_OUT"):
        env.pop(name, None)
    command = [sys.executable, "-m", "helpers", "reports", "--raw", str(raw), "--out", str(out)]
    done = subprocess.run(
        [*command, *extra], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    pages = tuple(sorted(p.name for p in out.glob("*.html"))) if out.exists() else ()
    return Build(done.returncode, done.stdout + done.stderr, pages)


__all__ = ["Build", "Draw", "as_listing", "build", "cut_text", "draw", "write_draw"]
