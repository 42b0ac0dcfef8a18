"""Reading one daily_papers JSON file: the answer of Hugging Face's ``daily_papers`` API for one
listing day, saved as ``YYYY-MM-DD.json``.

A day is a list of items, each ``{"paper": {...}, "numComments": ..., ...}``. Real files have
flaws, and each is read as data: an item saved as a Python-repr string (single quotes,
``True``) is parsed with :func:`ast.literal_eval` (never ``eval``); a wrapper object
``{"status", "date", "count", "data"}`` is unwrapped; fields absent from older answers are
missing values. Every item is accounted for: it becomes a paper or a reject with its item
number (in the ``line`` column) and a reason. A file that is not JSON raises
:class:`DumpFormatError` naming the file, line and column.

The day's date comes from the file name; without one, from the items' ``submittedOnDailyAt``
(or the wrapper's ``date``). No year is ever guessed for a JSON day.

>>> text = '[{"paper": {"id": "2401.1", "title": "A Title", "summary": "Works.", "upvotes": 3}}]'
>>> day = parse_day_text("2024-01-05.json", text)
>>> day.day, [(p.title, p.arxiv_id, p.upvotes) for p in day.papers]
(datetime.date(2024, 1, 5), [('A Title', '2401.1', 3)])
"""

from __future__ import annotations

import ast
import collections
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from helpers.errors import DumpFormatError
from helpers.ingest import dumps
from helpers.ingest.dumps import Reject, name_date

JSON_SUFFIX = ".json"
_GITHUB = re.compile(r"github\.com/+([^/\s?#]+)(?:/+([^/\s?#]+))?", re.I)


@dataclass
class DayPaper:
    """One paper of a JSON day, with what the API says about it (None where it says nothing)."""

    title: str
    abstract: str
    item: int  # 1-based position of the item in the file
    arxiv_id: str | None = None
    authors: list[str] | None = None
    organization: str | None = None
    upvotes: int | None = None
    comments: int | None = None
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    hf_keywords: list[str] | None = None
    published_at: str | None = None  # ISO 8601 as the API wrote it
    submitted_at: str | None = None


@dataclass
class ParsedDay:
    path: str
    day: dt.date
    n_items: int
    date_source: str  # "file name", "submittedOnDailyAt" or "wrapper date"
    papers: list[DayPaper] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    encoding: str = "utf-8"
    page_kind: str = "daily"

    @property
    def n_blocks(self) -> int:  # the unit accounted for in a JSON day is the item
        return self.n_items


def is_json_day(path: str | Path) -> bool:
    """True for a file read as a JSON day (by its suffix)."""
    return Path(path).suffix.lower() == JSON_SUFFIX


def parse_source(path: str | Path) -> dumps.ParsedDump | ParsedDay:
    """One input file, a text dump or a JSON day (by suffix), parsed."""
    return parse_day(path) if is_json_day(path) else dumps.parse_file(path)


def parse_day(path: str | Path) -> ParsedDay:
    """Read and parse one JSON day file (never writes to it)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise DumpFormatError(path, 0, "is a folder, not a JSON file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DumpFormatError(path, line, "not a JSON file: its bytes are not UTF-8") from None
    return parse_day_text(path, text)


def parse_day_text(path: str | Path, text: str) -> ParsedDay:
    """Parse the text of a JSON day; raises DumpFormatError when it is not JSON, not a list of
    items (or a wrapper around one), or has no date."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DumpFormatError(
            path,
            exc.lineno,
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
        ) from None
    notes: list[Reject] = []
    wrapper_date = None
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        wrapper_date = _iso_date(data.get("date"))
        count = data.get("count")
        notes.append(
            Reject(0, 0, "wrapper object: its 'data' list read as the day's items", "info", "")
        )
        if isinstance(count, int) and count != len(data["data"]):
            reason = f"the wrapper says count={count} but its 'data' holds {len(data['data'])}"
            notes.append(Reject(0, 0, reason, "warning", ""))
        data = data["data"]
    if not isinstance(data, list):
        raise DumpFormatError(
            path,
            1,
            f"JSON but not a daily_papers answer: expected a list of papers (or an object "
            f"with a 'data' list), found {type(data).__name__}",
        )
    papers: list[DayPaper] = []
    for number, item in enumerate(data, start=1):
        paper = _paper(number, item)
        if isinstance(paper, Reject):
            notes.append(paper)
        else:
            papers.append(paper)
    day, source = _day(path, papers, wrapper_date)
    return ParsedDay(str(path), day, len(data), source, papers, notes)


def _day(path, papers: list[DayPaper], wrapper_date: dt.date | None) -> tuple[dt.date, str]:
    named = name_date(path)
    if named is not None:
        return named, "file name"
    submitted = collections.Counter(
        d for p in papers if (d := _iso_date(p.submitted_at)) is not None
    )
    if submitted:
        return submitted.most_common(1)[0][0], "submittedOnDailyAt"
    if wrapper_date is not None:
        return wrapper_date, "wrapper date"
    raise DumpFormatError(
        path,
        0,
        "no date for this JSON day: the file name holds none (name it YYYY-MM-DD.json) and "
        "no item has submittedOnDailyAt",
    )


def _iso_date(value) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _item(number: int, item) -> dict | Reject:
    """The item as a dict, a repr string parsed as a literal; a reject when it is neither."""
    if isinstance(item, str):
        try:
            item = ast.literal_eval(item)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            try:
                item = json.loads(item)
            except json.JSONDecodeError:
                text = item[: dumps.MAX_REJECT_TEXT]
                reason = "item is a string that is neither a Python literal nor JSON"
                return Reject(number, 1, reason, "warning", text)
    if not isinstance(item, dict):
        reason = f"item is not an object ({type(item).__name__})"
        return Reject(number, 1, reason, "warning", str(item)[: dumps.MAX_REJECT_TEXT])
    return item


def _paper(number: int, item) -> DayPaper | Reject:
    item = _item(number, item)
    if isinstance(item, Reject):
        return item
    inner = item.get("paper")
    paper = inner if isinstance(inner, dict) else item  # a bare paper object is read too
    title = _clean(paper.get("title") or item.get("title"))
    abstract = _clean(paper.get("summary") or item.get("summary"))
    if not title:
        return Reject(number, 1, "item has no title", "warning", abstract or "")
    if not abstract:
        return Reject(number, 1, "item has no summary (abstract)", "warning", title)
    authors = paper.get("authors")
    keywords = paper.get("ai_keywords")
    return DayPaper(
        title=title,
        abstract=abstract,
        item=number,
        arxiv_id=_text(paper.get("id")),
        authors=[
            a["name"].strip() for a in authors if isinstance(a, dict) and _text(a.get("name"))
        ]
        if isinstance(authors, list)
        else None,
        organization=_organization(paper.get("organization") or item.get("organization")),
        upvotes=_int(paper.get("upvotes")),
        comments=_int(item.get("numComments")),
        github_repo=github_repo(paper.get("githubRepo")),
        github_stars=_int(paper.get("githubStars")),
        project_page=_text(paper.get("projectPage")),
        hf_keywords=[_clean(k) for k in keywords if isinstance(k, str) and k.strip()]
        if isinstance(keywords, list)
        else None,
        published_at=_text(paper.get("publishedAt") or item.get("publishedAt")),
        submitted_at=_text(paper.get("submittedOnDailyAt")),
    )


def github_repo(url) -> str | None:
    """``owner/name`` of a GitHub URL, lower-cased (GitHub ignores case), without ``.git``,
    spaces or a path inside the repository; ``owner`` alone when the URL names no repository;
    None when there is no GitHub URL. ``https://github.com/`` + the value opens it.

    >>> github_repo("https://github.com/RED-Search/Qilin/"), github_repo("github.com/A/b.git")
    ('red-search/qilin', 'a/b')
    >>> github_repo("https://github.com/microsoft/LMOps/tree/main/opo"), github_repo("")
    ('microsoft/lmops', None)
    """
    if not isinstance(url, str) or not (m := _GITHUB.search("".join(url.split()))):
        return None
    owner, name = m[1], m[2]
    if name and name.lower().endswith(".git"):
        name = name[:-4]
    return (f"{owner}/{name}" if name else owner).lower()


def _organization(org) -> str | None:
    if isinstance(org, dict):
        return _text(org.get("fullname")) or _text(org.get("name"))
    return _text(org)


def _clean(value) -> str:
    """Text with its whitespace runs (the API's hard line breaks) made single spaces."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def _text(value) -> str | None:
    return _clean(value) or None if isinstance(value, str) else None


def _int(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)
