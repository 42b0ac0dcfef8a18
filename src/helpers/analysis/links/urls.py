"""Links in titles and abstracts: find them, clean them, say where they point.

>>> clean_url("https://github.com/thuml/iTransformer).")
'https://github.com/thuml/iTransformer'
>>> classify_url("github.com/ekinakyurek/google-research/blob/master/incontext")[:3]
('github_repo', 'ekinakyurek', 'ekinakyurek/google-research')

Invariants (also in the README):

* ``url`` is the link as it was meant: trailing sentence punctuation, unbalanced closing brackets
  and quotes, ``{here}``-style template leftovers and a final ``/`` removed, line breaks inside the
  link joined, ``https://`` added when the text wrote no scheme, host lower-cased.
* ``repo`` is the normalised ``owner/name`` of a repository (GitHub, GitLab, Bitbucket, Hugging
  Face), so it identifies the repository on its own; ``owner`` is the user or organisation.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pandera.pandas as pa
import polars as pl
import pyarrow

KINDS: tuple[str, ...] = (
    "github_repo",
    "github_user",
    "github_pages",
    "huggingface_model",
    "huggingface_dataset",
    "huggingface_space",
    "huggingface_other",
    "anonymous_review",
    "gitlab",
    "bitbucket",
    "other",
)
"""Every link kind, in the order reports list them."""

CODE_KINDS: frozenset[str] = frozenset({"github_repo", "gitlab", "bitbucket", "anonymous_review"})
"""Kinds that on their own make a paper's code status ``linked``."""

# ---------------------------------------------------------------------------------------------
# finding candidates

# hosts recognised even when the text writes no scheme ("github.com/org/repo")
_BARE_HOSTS = (
    r"(?:www\.)?github\.com",
    r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.github\.io",
    r"(?:www\.)?gitlab\.com",
    r"(?:www\.)?bitbucket\.org",
    r"(?:www\.)?huggingface\.co",
    r"hf\.co",
    r"anonymous\.4open\.science",
    r"(?:www\.)?arxiv\.org",
    r"(?:www\.)?zenodo\.org",
    r"(?:www\.)?paperswithcode\.com",
    r"(?:www\.)?kaggle\.com",
    r"colab\.research\.google\.com",
    r"sites\.google\.com",
    r"drive\.google\.com",
    r"www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+",
)
# one character of a link body: anything but whitespace, quotes, angle brackets and backticks
_BODY = (
    r"[^\s<>\"`\u201c\u201d\u2018\u2019\u00ab\u00bb\u3002\uff0c\uff1b\uff08\uff09\u3010\u3011"
    r"\u200b\u200c\u200d\u2060\ufeff]"
)
_CANDIDATE = re.compile(
    rf"(?:(?<![A-Za-z0-9])https?://{_BODY}+|(?<![A-Za-z0-9_.@/-])(?:{'|'.join(_BARE_HOSTS)})(?:[/:]{_BODY}*)?(?![\w.-]*\w))",
    re.IGNORECASE,
)
# after a link ends at a line break, the next line continues it when the link clearly is not
# finished (ends in a connector) or the next line starts with a path
_CONNECTORS = "/-_=?&#~%+"
_NEXT_TOKEN = re.compile(rf"(\r?\n[ \t]*|[ \t])({_BODY}+)")
# a space inside a link happens where PDF text extraction split it: "github. com/x/y",
# "https://github.com/ x/y"; joined only in these two shapes
_SPACE_SPLIT_HOST = re.compile(r"(?:github|gitlab|huggingface|bitbucket|github\.io)\.$", re.I)
_BARE_ROOT = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co|bitbucket\.org)/$",
    re.IGNORECASE,
)
_TLD_START = re.compile(r"^(?:com|org|io|co|net|edu|ai|science|ac|dev)\b", re.IGNORECASE)
# "…/a,https://…/b" (two links written together), "[https://…](https://…)" (Markdown)
_GLUED = re.compile(r"(?:[,;|]|\]\()(?=https?://)")

_TRAILING = set(".,;:!?'\"*\\\u2026\u201d\u2019\u00bb\u3002\uff0c\uff1b")
_OPENERS = set("([{<")
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}
_TEMPLATE = re.compile(r"\{[^{}/]*\}")  # {here}, {this link}, {https…} is not removed
_HOST = re.compile(r"^(?:[\w-]+\.)+[a-z][\w-]*(?::\d+)?$", re.IGNORECASE)


def _continue_across_lines(text: str, start: int, end: int) -> int:
    """Extend a candidate link that a line break cut in two; return the new end."""
    while True:
        match = _NEXT_TOKEN.match(text, end)
        if not match:
            return end
        so_far, gap, token = text[start:end], match.group(1), match.group(2)
        if "\n" in gap:
            joins = (
                so_far[-1] in _CONNECTORS
                or token.startswith("/")
                or (so_far[-1] == "." and ("/" in token or bool(_TLD_START.match(token))))
            )
        else:
            joins = bool(
                (_SPACE_SPLIT_HOST.search(so_far) and _TLD_START.match(token) and "/" in token)
                or (_BARE_ROOT.match(so_far) and re.match(r"[\w.-]+/[\w.-]+", token))
            )
        if not joins:
            return end
        end = match.end()


# Python's \s on ASCII text (str.isspace: also the separators \x1c-\x1f)
_ASCII_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


def needle_offsets(lower: str, needles: tuple[str, ...]) -> set[int]:
    """Every offset in ``lower`` where one of ``needles`` starts (overlaps included)."""
    found = set()
    for needle in needles:
        at = lower.find(needle)
        while at >= 0:
            found.add(at)
            at = lower.find(needle, at + 1)
    return found


def _candidate_matches(text: str) -> list[re.Match[str]]:
    """``_CANDIDATE.finditer(text)``, scanning only the words that hold a link anchor.

    A candidate never holds whitespace and its look-arounds stop at whitespace, so the matches
    in a text are the matches in its whitespace-separated words, and a word holding none of
    ``_LINK_ANCHORS`` holds no match. On ASCII text the anchors are found by ``str.find`` on the
    lower-cased text; other text is scanned whole (Python folds a few non-ASCII letters).
    """
    if not text.isascii():
        return list(_CANDIDATE.finditer(text))
    words = set()
    for at in needle_offsets(text.lower(), _LINK_ANCHORS):
        start = max(text.rfind(c, 0, at) for c in _ASCII_SPACE) + 1
        ends = [e for c in _ASCII_SPACE if (e := text.find(c, at)) >= 0]
        words.add((start, min(ends, default=len(text))))
    return [m for start, end in sorted(words) for m in _CANDIDATE.finditer(text, start, end)]


def _candidates(text: str) -> list[tuple[int, str]]:
    """(offset, raw text) of every link-like span in ``text``."""
    found: list[tuple[int, str]] = []
    for match in _candidate_matches(text):
        start = match.start()
        end = _continue_across_lines(text, start, match.end())
        raw = text[start:end]
        cuts = [(m.start(), m.end()) for m in _GLUED.finditer(raw)]
        bounds = [0] + [e for _, e in cuts], [s for s, _ in cuts] + [len(raw)]
        for lo, hi in zip(*bounds, strict=True):
            found.append((start + lo, raw[lo:hi]))
    return found


# ---------------------------------------------------------------------------------------------
# pre-filter: which texts can hold a link or a code phrase at all
#
# Every pattern here needs some literal text to match. A vectorised (Polars, Aho-Corasick) test
# for those literals over all texts at once skips the texts the per-text regexes would find
# nothing in; the rest go through the same per-text code as before, so results do not change.

# characters Python's case-insensitive matching folds onto an ASCII letter (the only four, checked
# over all of Unicode in the tests); Polars' ASCII case-insensitive search does not, so a text
# holding one always passes
_FOLD = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
# a link candidate (``_CANDIDATE``) holds "://" (``https?://``) or one of the bare hosts' literal
# parts, matched case-insensitively
_LINK_ANCHORS = (
    "://",
    "github.com",
    ".github.io",
    "gitlab.com",
    "bitbucket.org",
    "huggingface.co",
    "hf.co",
    "anonymous.4open.science",
    "arxiv.org",
    "zenodo.org",
    "paperswithcode.com",
    "kaggle.com",
    "colab.research.google.com",
    "sites.google.com",
    "drive.google.com",
    "www.",
)
# a code phrase (``_PROMISE``) holds a code noun at the start of a word (``\b{_CODE_NOUN}``) ...
CODE_NOUN_ANCHORS = (
    "code",
    "implementation",
    "software",
    "repo",
    "toolkit",
    "library",
    "package",
    "script",
)
# ... and a word of availability from ``_PROMISE_VERB`` or one of the other two patterns
_VERB_ANCHORS = (
    "avail",
    "releas",
    "open",
    "publ",
    "shar",
    "access",
    "coming",
    "hosted",
    "online",
    "found",
    "download",
    "obtain",
    "accept",
)


def _polars_texts(texts: list[str] | pd.Series) -> pl.Series | None:
    """The texts as a Polars series (a pandas Arrow string column without copying), or None when
    one cannot be UTF-8 (a lone surrogate)."""
    try:
        if isinstance(texts, pd.Series):
            return pl.from_arrow(pyarrow.array(texts, type=pyarrow.large_string()))
        return pl.Series(list(texts), dtype=pl.String)
    except (UnicodeError, pyarrow.ArrowException):
        return None


def _contains_any(
    texts: list[str] | pd.Series,
    literals: tuple[str, ...],
    ignore_case: bool,
    word_start: bool = False,
) -> np.ndarray:
    """Boolean mask: which texts contain one of ``literals`` (a superset of the texts a Python
    regex needing one of them matches, with the same case rule; ``word_start``: only where no
    ASCII letter, digit or underscore precedes it). With ``ignore_case``, a text holding one of
    the non-ASCII letters Python folds onto ASCII (``_FOLD``) always passes. True for every text
    when Polars cannot read them, so a True never skips work it should not.

    >>> _contains_any(["see GitHub.com/x", "no link"], ("github.com",), True).tolist()
    [True, False]
    """
    series = _polars_texts(texts)
    if series is None:
        return np.ones(len(texts), dtype=bool)
    found = series.str.contains_any(list(literals), ascii_case_insensitive=ignore_case)
    found = found.fill_null(False).to_numpy().astype(bool)
    if word_start:  # the regex runs only on the texts the literal search kept
        keep = np.flatnonzero(found)
        words = "|".join(re.escape(w) for w in literals)
        rule = rf"{'(?i)' if ignore_case else ''}(?:^|[^A-Za-z0-9_])(?:{words})"
        at_start = series.gather(keep).str.contains(rule).fill_null(False).to_numpy()
        found[keep] = at_start.astype(bool)
    if ignore_case:
        folds = series.str.contains(f"[{''.join(_FOLD)}]").fill_null(False).to_numpy()
        found |= folds.astype(bool)
    return found


def may_have_links(texts: list[str] | pd.Series) -> np.ndarray:
    """Boolean mask over ``texts``: False where ``links_in_text`` surely finds nothing.

    >>> may_have_links(["Code: github.com/x/y", "We train a model."]).tolist()
    [True, False]
    """
    return _contains_any(texts, _LINK_ANCHORS, ignore_case=True)


def may_have_code_phrases(texts: list[str] | pd.Series) -> np.ndarray:
    """Boolean mask over ``texts``: False where ``code_phrases`` surely finds nothing.

    >>> may_have_code_phrases(["Our code will be released.", "We decode images."]).tolist()
    [True, False]
    """
    found = _contains_any(texts, CODE_NOUN_ANCHORS, ignore_case=True, word_start=True)
    keep = np.flatnonzero(found)  # the verbs are looked for only where a noun is
    subset = texts.iloc[keep] if isinstance(texts, pd.Series) else [texts[i] for i in keep]
    found[keep] = _contains_any(subset, _VERB_ANCHORS, ignore_case=True)
    return found


# ---------------------------------------------------------------------------------------------
# cleaning


def _strip_tail(url: str) -> str:
    """Drop sentence punctuation, quotes and unbalanced closing brackets from the end."""
    while url:
        last = url[-1]
        unbalanced = last in _PAIRS and url.count(_PAIRS[last]) < url.count(last)
        if last in _TRAILING or last in _OPENERS or last.isspace() or unbalanced:
            url = url[:-1]
        elif last == "/" and url.count("/") > 2:
            url = url[:-1]  # a final slash changes nothing for the hosts seen here
        else:
            return url
    return url


def clean_url(raw: str) -> str:
    """The link ``raw`` was meant to be: joined across line breaks, template leftovers and
    trailing punctuation removed, a scheme added when missing, host lower-cased.
    Returns "" when nothing link-like is left.

    >>> clean_url("https://anonymous0x233.github.io/ReuseAndDiffuse/{here}.")
    'https://anonymous0x233.github.io/ReuseAndDiffuse'
    >>> clean_url("GitHub.com/bytedance/HLLM;")
    'https://github.com/bytedance/HLLM'
    """
    url = re.sub(r"\s+", "", raw)
    url = re.sub(r"\\([_~%#&$])", r"\1", url)  # LaTeX escapes: my\_repo -> my_repo
    url = re.sub(r"\}\{.*$", "", url)  # \href{url}{text}: keep the url only
    url = _TEMPLATE.sub("", url)
    cut = re.search(r"[{}]", url)  # a stray brace never belongs to a link
    if cut:
        url = url[: cut.start()]
    url = _strip_tail(url)
    if not url:
        return ""
    if not re.match(r"https?://", url, re.IGNORECASE):
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed "[" where an IPv6 address would go
        return ""
    if not _HOST.match(parts.netloc):
        return ""
    rest = url[len(parts.scheme) + 3 + len(parts.netloc) :]
    return _strip_tail(f"{parts.scheme.lower()}://{parts.netloc.lower()}{rest}")


# ---------------------------------------------------------------------------------------------
# classifying

_GITHUB_RESERVED = frozenset(
    "about apps collections contact customer-stories enterprise explore features issues login "
    "marketplace new notifications orgs pricing pulls search security settings site sponsors "
    "team topics trending join readme".split()
)
_HF_RESERVED = frozenset(
    "blog chat collections docs join learn login models organizations papers posts pricing "
    "settings tasks".split()
)


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _repo_name(name: str) -> str:
    return re.sub(r"\.git$", "", name, flags=re.IGNORECASE)


def classify_url(url: str) -> tuple[str, str | None, str | None, str]:
    """(kind, owner, repo, host) of a link; ``repo`` is ``owner/name`` when the link points into
    a repository.

    >>> classify_url("https://huggingface.co/datasets/org/data")
    ('huggingface_dataset', 'org', 'org/data', 'huggingface.co')
    >>> classify_url("https://github.com/microsoft")
    ('github_user', 'microsoft', None, 'github.com')
    """
    if not re.match(r"https?://", url, re.IGNORECASE):
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "other", None, None, ""
    host = parts.netloc.lower().split("@")[-1].split(":")[0]
    host = host[4:] if host.startswith("www.") else host
    seg = _segments(parts.path)
    if host == "github.com":
        if seg and seg[0].lower() in ("orgs", "users") and len(seg) > 1:
            return "github_user", seg[1], None, host
        if not seg or seg[0].lower() in _GITHUB_RESERVED:
            return "other", None, None, host
        if len(seg) == 1:
            return "github_user", seg[0], None, host
        return "github_repo", seg[0], f"{seg[0]}/{_repo_name(seg[1])}", host
    if host == "raw.githubusercontent.com" and len(seg) >= 2:
        return "github_repo", seg[0], f"{seg[0]}/{_repo_name(seg[1])}", host
    if host.endswith(".github.io"):
        owner = host[: -len(".github.io")]
        return "github_pages", owner, (f"{owner}/{seg[0]}" if seg else None), host
    if host in ("huggingface.co", "hf.co"):
        kinds = {"datasets": "huggingface_dataset", "spaces": "huggingface_space"}
        if seg and seg[0].lower() in kinds:
            kind = kinds[seg[0].lower()]
            if len(seg) >= 3:
                return kind, seg[1], f"{seg[1]}/{seg[2]}", host
            return "huggingface_other", (seg[1] if len(seg) == 2 else None), None, host
        if not seg or seg[0].lower() in _HF_RESERVED:
            return "huggingface_other", None, None, host
        if len(seg) == 1:
            return "huggingface_other", seg[0], None, host
        return "huggingface_model", seg[0], f"{seg[0]}/{seg[1]}", host
    if host == "anonymous.4open.science":
        name = seg[1] if len(seg) >= 2 and seg[0].lower() == "r" else (seg[0] if seg else None)
        return "anonymous_review", None, name, host
    if host == "gitlab.com" or host.startswith("gitlab."):
        cut = seg.index("-") if "-" in seg else len(seg)  # /-/tree/…, /-/blob/… follow the repo
        repo_path = seg[:cut]
        owner = repo_path[0] if repo_path else None
        repo = (
            "/".join(repo_path[:-1] + [_repo_name(repo_path[-1])]) if len(repo_path) > 1 else None
        )
        return "gitlab", owner, repo, host
    if host == "bitbucket.org":
        owner = seg[0] if seg else None
        repo = f"{seg[0]}/{_repo_name(seg[1])}" if len(seg) > 1 else None
        return "bitbucket", owner, repo, host
    return "other", None, None, host


# ---------------------------------------------------------------------------------------------
# tables

LINKS_SCHEMA = pa.DataFrameSchema(
    {
        "paper_id": pa.Column(str),
        "field": pa.Column(str, pa.Check.isin(["title", "abstract"])),
        "position": pa.Column(int, pa.Check.ge(0)),
        "url_raw": pa.Column(str),
        "url": pa.Column(str, pa.Check.str_matches(r"^https?://[^\s]+$")),
        "host": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(list(KINDS))),
        "owner": pa.Column(str, nullable=True),
        "repo": pa.Column(str, nullable=True),
    },
    strict=True,
    ordered=True,
)

_LINK_COLUMNS = list(LINKS_SCHEMA.columns)


def _unique_texts(df: pd.DataFrame) -> pd.DataFrame:
    """One row per paper and field text (a paper listed in several dumps is read once)."""
    return (
        df[["paper_id", "title", "abstract"]]
        .melt(id_vars="paper_id", var_name="field", value_name="text")
        .assign(text=lambda d: d["text"].fillna("").astype(str))
        .drop_duplicates()
        .reset_index(drop=True)
    )


def once_per_text(cache: dict, function, text: str, *args):
    """``function(text, *args)``, computed once per distinct text (``args`` must depend on the
    text only)."""
    if text not in cache:
        cache[text] = function(text, *args)
    return cache[text]


def links_in_text(text: str) -> list[dict]:
    """Every link in one piece of text as dicts with position, url_raw, url, kind, owner, repo,
    host. Never raises on any string.

    >>> [d["repo"] for d in links_in_text("Code: github.com/x/y. Data: huggingface.co/d")]
    ['x/y', None]
    """
    rows = []
    for position, raw in _candidates(text):
        url = clean_url(raw)
        if not url:
            continue
        kind, owner, repo, host = classify_url(url)
        rows.append(
            {
                "position": position,
                "url_raw": raw,
                "url": url,
                "host": host,
                "kind": kind,
                "owner": owner,
                "repo": repo,
            }
        )
    return rows


def extract_links(df: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct link in each paper's title and abstract.

    Columns: paper_id, field ("title"/"abstract"), position (character offset in the field),
    url_raw (as written), url (cleaned), host, kind (see ``KINDS``), owner, repo (``owner/name``).
    A paper listed in several dumps contributes its links once.

    >>> papers = pd.DataFrame({"paper_id": ["p1"], "title": ["T"],
    ...     "abstract": ["Code is available at https://github.com/thuml/iTransformer."]})
    >>> extract_links(papers)[["url", "kind", "repo"]].iloc[0].tolist()
    ['https://github.com/thuml/iTransformer', 'github_repo', 'thuml/iTransformer']
    """
    texts = _unique_texts(df)
    texts = texts[may_have_links(texts["text"])]
    cache: dict[str, list[dict]] = {}
    rows = [
        {"paper_id": str(pid), "field": field, **link}
        for pid, field, text in texts.itertuples(index=False)
        for link in once_per_text(cache, links_in_text, text)
    ]
    out = (
        pd.DataFrame(rows, columns=_LINK_COLUMNS)
        .drop_duplicates(subset=["paper_id", "field", "position"])
        .drop_duplicates(subset=["paper_id", "field", "url"])
        .sort_values(["paper_id", "field", "position"], kind="stable")
        .reset_index(drop=True)
        .astype({"paper_id": str, "field": str, "position": int, "url_raw": str, "url": str})
        .astype({"host": str, "kind": str, "owner": str, "repo": str})
    )
    return LINKS_SCHEMA.validate(out)
