"""Hostile titles and abstracts are inert text in every HTML report, checked in a real browser.

Every notebook in notebooks/ is built once (module fixture, ~30-60 s) into a temporary project
whose data/raw holds one real seed dump and a hostile dump (script tags, event handlers,
javascript: links, Markdown, LaTeX and template syntax). Each report and reports/index.html is
then opened in headless Chromium (the system's Debian package, driven by Playwright; no browser
download). Without Chromium the browser tests are skipped; the plain HTML checks still run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from helpers.config import ProjectPaths, paths

MAIN = paths()
SEED = MAIN.raw / "000_bf51bc8f353d52b5.txt"

# markers: a script from the data that runs sets window.__pwned
PWN_IMG = '<img src=x onerror="window.__pwned=1">'
HEAD = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
    "byAK and the research community\n\nApr 20\n\n"
)
# (title, abstract); every abstract but the last links code, so each title is listed in the
# links table of 03-venues-and-repo-links
HOSTILE_PAPERS = [
    (
        "<script>alert(1)</script> Scripted Title",
        f"An abstract with {PWN_IMG} inside and <script>window.__pwned=1</script> again. "
        "Code is at https://github.com/hostile/scripted and we were accepted at NeurIPS 2024.",
    ),
    (
        f"{PWN_IMG} Image Title <img src=x onerror=alert(1)>",
        "See [click](javascript:alert(1)) and javascript:alert(1) and "
        '<a href="javascript:window.__pwned=1">this</a>. Code at https://github.com/hostile/image.',
    ),
    (
        "Click [click](javascript:alert(1)) or javascript:alert(1) Now",
        "A bare javascript:alert(1) link and data:text/html,<script>window.__pwned=1</script> "
        "too. Project page https://hostile.github.io/links/ and code "
        "https://github.com/hostile/links.",
    ),
    (
        "# Heading ** bold __ under _ x | pipe | [ ] brackets",
        "Markdown | a | b | with **bold** and [ref] [x](#) and # hash and > quote. "
        "Code at https://github.com/hostile/markdown.",
    ),
    (
        r"Math $x^2$ and \begin{equation} E=mc^2 \end{equation} Title",
        r"LaTeX $$\int_0^1 f(x) dx$$ and \begin{equation} y \end{equation} with \(z\). "
        "Code at https://github.com/hostile/latex.",
    ),
    (
        "Template {{ 7*7 }} and {% raw %} Title",
        "Jinja {{ 7*7 }} and {% raw %} and {% endraw %} and ${7*7}. "
        "Code at https://github.com/hostile/template?q=<script>window.__pwned=1</script>.",
    ),
    (
        '<svg onload="window.__pwned=1"> Vector Title',
        '<iframe src="javascript:window.__pwned=1"></iframe><style>body{display:none}</style>. '
        "We will release the code.",
    ),
]
HOSTILE_DUMP = HEAD + "".join(f"{t}\n\n{a}\n\n" for t, a in HOSTILE_PAPERS)
LINKED_TITLES = [t for t, a in HOSTILE_PAPERS if "https://github.com/hostile/" in a]

# elements or attributes that only exist if markup from the data became live HTML
INJECTED = (
    'img[src="x"], svg[onload], iframe, [onerror], [onload], '
    'a[href^="javascript:" i], a[href^="data:" i], script'
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> ProjectPaths:
    """All notebooks built into a temporary project from the seed and the hostile dump."""
    root = tmp_path_factory.mktemp("browser") / "proj"
    (root / "data" / "raw").mkdir(parents=True)
    shutil.copytree(MAIN.notebooks, root / "notebooks")
    shutil.copy(SEED, root / "data" / "raw" / SEED.name)
    (root / "data" / "raw" / "001_hostile.txt").write_text(HOSTILE_DUMP, encoding="utf-8")
    return _build_reports(root, timeout=900)


def _build_reports(root: Path, timeout: int) -> ProjectPaths:
    """``hf-papers reports`` run on the project at ``root`` in a fresh process, as a user would."""
    env = {**os.environ, "HF_PAPERS_ROOT": str(root)}
    env.pop("MPLBACKEND", None)
    run = subprocess.run(
        [sys.executable, "-m", "helpers", "reports", "--jobs", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    return ProjectPaths(root)


def _pages(project: ProjectPaths) -> list[Path]:
    stems = sorted(nb.stem for nb in project.notebooks.glob("*.ipynb"))
    pages = [project.reports / f"{stem}.html" for stem in stems]
    assert stems and all(p.exists() for p in pages), sorted(project.reports.iterdir())
    return [*pages, project.reports / "index.html"]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip(
            "no Chromium on this machine: install Debian's chromium (`apt-get install "
            "chromium`) to run the browser tests (.ci/run does this in CI)"
        )
    return found


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


class Visit:
    """One page opened in the browser with everything it reported."""

    def __init__(self, browser, path: Path | None = None, html: str | None = None):
        self.dialogs: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.page = browser.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        if path is not None:
            self.page.goto(path.as_uri(), wait_until="load")
        else:
            self.page.set_content(html, wait_until="load")
        self.page.wait_for_timeout(300)  # let any onerror/onload handler fire before asserting

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def assert_inert(self, label: str) -> None:
        assert self.dialogs == [], f"{label}: a dialog opened: {self.dialogs}"
        assert self.errors == [], f"{label}: page errors: {self.errors}"
        from_data = [
            text
            for kind, text in self.console
            if kind == "error" and re.search(r"alert|script|pwned", text, re.I)
        ]
        assert from_data == [], f"{label}: console errors caused by the data: {from_data}"
        assert self.page.evaluate("window.__pwned === undefined"), f"{label}: data script ran"
        live = self.page.eval_on_selector_all(INJECTED, "els => els.map(e => e.outerHTML)")
        assert live == [], f"{label}: markup from the data became live HTML: {live[:3]}"


def test_every_report_is_inert_in_a_browser(built, browser):
    for path in _pages(built):
        visit = Visit(browser, path)
        try:
            visit.assert_inert(path.name)
            assert visit.page.inner_text("body").strip(), f"{path.name} shows nothing"
        finally:
            visit.page.close()


def test_reports_stay_inert_without_their_content_security_policy(built, browser):
    """Escaping alone keeps the data inert: the CSP is a second layer, not the only one."""
    csp = re.compile(r"<meta[^>]*Content-Security-Policy[^>]*>", re.I | re.S)
    for path in _pages(built):
        text = path.read_text(encoding="utf-8")
        stripped, n = csp.subn("", text)
        assert n == 1, f"{path.name} has {n} Content-Security-Policy meta tags"
        visit = Visit(browser, html=stripped)
        try:
            visit.assert_inert(f"{path.name} without CSP")
        finally:
            visit.page.close()


def test_hostile_titles_are_shown_as_literal_text(built, browser):
    page_path = built.reports / "03-venues-and-repo-links.html"
    visit = Visit(browser, page_path)
    try:
        body = visit.page.inner_text("body")
    finally:
        visit.page.close()
    missing = [t for t in LINKED_TITLES if t not in body]
    assert missing == [], f"titles not shown literally in {page_path.name}: {missing}"
    assert "<script>alert(1)</script> Scripted Title" in body
    assert "Template {{ 7*7 }} and {% raw %} Title" in body
    assert "Template 49" not in body  # no template engine evaluated the title
    assert "$x^2$" in body  # no math typesetting either


def test_every_link_is_http_or_a_local_report_file(built, browser):
    seen_external = set()
    for path in _pages(built):
        visit = Visit(browser, path)
        try:
            hrefs = visit.page.eval_on_selector_all(
                "a[href]", "els => els.map(e => e.getAttribute('href'))"
            )
            sources = visit.page.eval_on_selector_all(
                "[src]", "els => els.map(e => e.getAttribute('src'))"
            )
        finally:
            visit.page.close()
        for href in hrefs:
            scheme = urlparse(href).scheme.lower()
            if scheme:
                assert scheme in {"http", "https"}, f"{path.name}: link {href!r}"
                seen_external.add(href)
            elif href.startswith("#"):
                continue  # heading anchor inside the same page
            else:
                file, _, fragment = href.partition("#")
                target = (path.parent / file).resolve()
                assert target.suffix in {".html", ".csv", ".png"}, f"{path.name}: link {href!r}"
                assert target.is_relative_to(built.reports.resolve()), href
                assert target.exists(), f"{path.name}: broken link {href!r}"
                if fragment:
                    assert fragment in _ids(target), f"{path.name}: {href!r} leads nowhere"
        bad = [s for s in sources if not s.startswith("data:image/")]
        assert bad == [], f"{path.name}: external or scripted sources {bad}"
    # the links table does make the data's https links clickable (so the check above has teeth)
    assert any(h.startswith("https://github.com/hostile/") for h in seen_external)


def test_report_html_has_no_script_tags_and_escapes_the_data(built):
    for path in _pages(built):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<\s*script", text, re.I), f"{path.name} contains a <script> tag"
        assert not re.search(r"""href\s*=\s*["']?\s*(javascript|data|vbscript):""", text, re.I)
        assert not re.search(r"<(img|svg|iframe)\b[^>]*\son\w+\s*=", text, re.I), path.name
    links = (built.reports / "03-venues-and-repo-links.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Scripted Title" in links


# --------------------------------------------------------------------------------------------
# budgets: every report stays readable at real scale (seeds and the 580-dump real corpus)

REAL_CORPUS = MAIN.root.parent / "shared" / "corpora" / "hf-daily-2024-2026" / "raw"
PAGE_WIDTH = 1280
MAX_PAGE_HEIGHT = 15_000
MAX_IMAGE_HEIGHT = 2_500
MAX_HTML_BYTES = 3_000_000


def _real_corpus() -> Path | None:
    if REAL_CORPUS.is_dir() and any(REAL_CORPUS.glob("*.txt")):
        return REAL_CORPUS.resolve()
    return None


REAL_JSON = REAL_CORPUS.parent / "json"
JSON_QUARTER = ("2025-10-01", "2025-12-31")  # organisations, repositories, keywords recorded


@pytest.fixture(
    scope="module", params=["seeds", "synthetic-100", "hf-daily-2024-2026", "json-quarter"]
)
def corpus_built(request, tmp_path_factory) -> ProjectPaths:
    """Every report built in a temporary project from the seeds, from 100 synthetic dumps
    (planted rise and fall, repeats, no links), from the 580 real daily dumps of
    ../shared/corpora, or from a quarter of its daily_papers JSON (the attention report with
    its data; the last two skipped, saying why, when that folder is absent)."""
    root = tmp_path_factory.mktemp(f"budget-{request.param}") / "proj"
    (root / "data").mkdir(parents=True)
    shutil.copytree(MAIN.notebooks, root / "notebooks")
    if request.param == "seeds":
        shutil.copytree(MAIN.raw, root / "data" / "raw")
    elif request.param == "synthetic-100":
        from helpers.testing.synth import write_corpus

        write_corpus(
            root / "data" / "raw",
            100,
            papers_per_dump=(30, 90),
            start_date="2025-03-03",
            freq_days=2,
            planted={"mamba": (0.02, 0.3), "diffusion": (0.3, 0.1)},
            repeat_share=0.1,
            seed=1,
        )
    elif request.param == "json-quarter":
        first, last = JSON_QUARTER
        days = [p for p in sorted(REAL_JSON.glob("*.json")) if first <= p.stem <= last]
        if not days:
            pytest.skip(f"the real JSON days are absent ({REAL_JSON}): no budgets on JSON")
        (root / "data" / "raw").mkdir()
        for day in days:
            shutil.copy(day, root / "data" / "raw" / day.name)
    else:
        real = _real_corpus()
        if real is None:
            pytest.skip(
                f"the real corpus is absent ({REAL_CORPUS} has no dumps): the budgets are "
                "checked on the seeds only"
            )
        (root / "data" / "raw").symlink_to(real, target_is_directory=True)
    return _build_reports(root, timeout=1800)


MEASURE = """() => ({
  height: document.documentElement.scrollHeight,
  width: window.innerWidth,
  images: [...document.images].map(i => ({
    src: (i.getAttribute('src') || '').slice(0, 40), complete: i.complete,
    natural: i.naturalHeight, shown: i.getBoundingClientRect().height})),
  tables: [...document.querySelectorAll('table')].map(t => {
    const r = t.getBoundingClientRect();
    return {left: r.left, right: r.right, text: t.innerText.slice(0, 60)};
  }),
  fragments: [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href'))
    .filter(h => h.length > 1 && !document.getElementById(decodeURIComponent(h.slice(1)))),
})"""


def _ids(path: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))


def test_reports_hold_their_size_budgets(corpus_built, browser):
    """At 1280 px: pages at most 15,000 px tall, no image taller than 2,500 px, every image
    loaded, no table wider than the window, every in-page link resolving, HTML at most 3 MB."""
    problems = []
    for path in _pages(corpus_built):
        size = path.stat().st_size
        if size > MAX_HTML_BYTES:
            problems.append(f"{path.name}: {size:,} bytes of HTML")
        page = browser.new_page(viewport={"width": PAGE_WIDTH, "height": 900})
        try:
            page.goto(path.as_uri(), wait_until="load")
            seen = page.evaluate(MEASURE)
        finally:
            page.close()
        if seen["height"] > MAX_PAGE_HEIGHT:
            problems.append(f"{path.name}: page {seen['height']:,} px tall")
        for image in seen["images"]:
            if not image["complete"] or image["natural"] == 0:
                problems.append(f"{path.name}: image not loaded {image['src']}")
            if max(image["natural"], image["shown"]) > MAX_IMAGE_HEIGHT:
                problems.append(f"{path.name}: image {image['shown']:.0f} px tall")
        for table in seen["tables"]:
            if table["left"] < 0 or table["right"] > seen["width"]:
                problems.append(
                    f"{path.name}: table wider than the window ({table['right']:.0f} px): "
                    f"{table['text']!r}"
                )
        problems += [f"{path.name}: in-page link {h} leads nowhere" for h in seen["fragments"]]
    assert problems == [], "\n".join(problems)


def test_index_opens_with_the_corpus_and_every_reports_headline(corpus_built):
    """The index says what the corpus is and gives each report's headline lines, whose links
    land on an element of that report."""
    index = corpus_built.reports / "index.html"
    text = index.read_text(encoding="utf-8")
    assert "The corpus" in text and "distinct" in text
    stems = sorted(nb.stem for nb in corpus_built.notebooks.glob("*.ipynb"))
    for stem in stems:
        headline = corpus_built.reports / "tables" / stem / "headline.json"
        assert headline.exists(), f"{stem} recorded no headline"
        assert f'href="{stem}.html"' in text
    links = re.findall(r'href="([0-9][^"#]*\.html)#([^"]+)"', text)
    assert len(links) >= len(stems), links
    for page, fragment in links:
        assert fragment in _ids(corpus_built.reports / page), f"index -> {page}#{fragment}"
    # the report itself opens with the same lines, before its first section
    overview = (corpus_built.reports / "00-overview.html").read_text(encoding="utf-8")
    assert overview.index("What this shows") < overview.index('id="Papers-per-dump"')


# every text piece between two break opportunities (spaces, <wbr>) of every table cell, each
# wrapped in a span: a piece drawn on two lines has two client rectangles
SPLIT_PIECES = """() => {
  const split = [];
  for (const cell of document.querySelectorAll('.hf-table td, .hf-table th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const parts = node.textContent.split(/(\\s+)/);
      const frag = document.createDocumentFragment();
      const spans = [];
      for (const part of parts) {
        if (!part.trim()) { frag.appendChild(document.createTextNode(part)); continue; }
        const span = document.createElement('span');
        span.textContent = part;
        frag.appendChild(span);
        spans.push(span);
      }
      node.replaceWith(frag);
      for (const span of spans) {
        if (span.getClientRects().length > 1) split.push(span.textContent);
      }
    }
  }
  return split;
}"""


def test_table_cells_wrap_between_words_and_path_parts_never_inside(browser, tmp_path):
    import pandas as pd

    from helpers.report import present

    long_path = "/work/shared/corpora/hf-daily-2024-2026/raw/100_e2ba913acedba418.txt"
    df = pd.DataFrame(
        {
            "dump_file": ["000_bf51bc8f353d52b5.txt"] * 3,
            "file": [long_path] * 3,
            "line": [1, 3, 9],
            "title": ["A title long enough to wrap over several lines of a narrow column"] * 3,
            "abstract_ends": ["the abstract stops mid sentence without a full stop"] * 3,
            "url": ["https://github.com/some-organisation/a-very-long-repository-name"] * 3,
        }
    )
    page = browser.new_page(viewport={"width": 640, "height": 800})
    try:
        page.set_content(present.STYLE + present.table_html(df, "narrow", tmp_path, links=["url"]))
        split = page.evaluate(SPLIT_PIECES)
    finally:
        page.close()
    assert split == [], f"words broken across lines: {split}"
