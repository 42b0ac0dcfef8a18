"""Whether a paper links its code, only promises it, or says nothing.

A paper's code is ``linked`` when it links a code repository (GitHub repository, GitLab,
Bitbucket, an anonymous.4open.science review mirror) or when a sentence saying where the code
is also holds a link of any kind ("code and models: https://lab.example/proj"). It is
``promised`` when a sentence says the code will be released / is available / is released but
gives no link: future promises and present-tense claims without a link are one category,
because neither can be checked from the abstract. Otherwise ``none``. Hugging Face models,
datasets and spaces, and project pages alone do not count as code.

>>> abstracts = ["Code: https://github.com/a/b.", "Code will be released."]
>>> papers = pd.DataFrame({"paper_id": ["1", "2"], "title": ["A", "B"], "abstract": abstracts})
>>> code_status(papers)["status"].tolist()
['linked', 'promised']
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from helpers.analysis.links.urls import (
    CODE_KINDS,
    CODE_NOUN_ANCHORS,
    links_in_text,
    may_have_code_phrases,
    may_have_links,
    needle_offsets,
    once_per_text,
)

CODE_STATUSES: tuple[str, ...] = ("linked", "promised", "none")
# ---------------------------------------------------------------------------------------------
# code status

_CODE_NOUN = (
    r"(?:source[- ]?codes?|codes?|code[- ]?base|implementations?|software|repository|repo|"
    r"toolkit|library|package|scripts)"
    # "code generation", "code LLMs" … are topics, not the paper's code
    r"(?![- ](?:generation|completion|synthesis|search|review|repair|understanding|editing|"
    r"summari[sz]ation|translation|LLMs?|language|models?|tasks?|snippets?|benchmarks?|execution|"
    r"intelligence|agents?|reasoning|quality|data|corpus|corpora|domains?|tokens?|vectors?)\b)"
)
# no sentence end in between: a dot counts as an end only when a space or the text end follows
_SAME_SENTENCE = r"(?:[^.!?\n]|[.!?](?=\S)){0,80}?"
_PROMISE_VERB = (
    r"(?:will|would|shall|to)\s+be\s+(?:made\s+)?(?:publicly\s+|openly\s+|freely\s+)?"
    r"(?:available|released|open[- ]?sourced|public|shared|published)"
    r"|(?:is|are)\s+(?:made\s+)?(?:publicly\s+|openly\s+|freely\s+)?"
    r"(?:available|released|open[- ]?sourced|public|accessible)"
    r"|(?:is|are)\s+(?:coming\s+soon|forthcoming|hosted|online)"
    r"|(?:can|could|may)\s+be\s+(?:found|accessed|downloaded|obtained)"
    r"|available\s+(?:upon|on)\s+(?:request|acceptance|publication)"
    r"|(?:upon|after)\s+(?:acceptance|publication)"
)
_PROMISE_PATTERNS = (
    # "our code will be released", "codes will be available publicly", "code ... is available"
    rf"\b{_CODE_NOUN}\b{_SAME_SENTENCE}\b(?:{_PROMISE_VERB})",
    # "we will release our code", "we plan to open-source the implementation", "we release code"
    r"\bwe\s+(?:will\s+|plan\s+to\s+|intend\s+to\s+|are\s+going\s+to\s+|also\s+|publicly\s+)?"
    rf"(?:release|open[- ]?source|publish|share|make\s+public)(?:s|d|ed)?\b{_SAME_SENTENCE}"
    rf"\b{_CODE_NOUN}\b",
    # "code: coming soon", "code available", "code and data available at"
    rf"\b{_CODE_NOUN}\s*(?::\s*)?(?:(?:and|&)\s+\w+\s+)?(?:(?:are|is)\s+)?"
    r"(?:publicly\s+|openly\s+|freely\s+)?(?:available|coming\s+soon|released)\b",
)
_PROMISE = re.compile("|".join(f"(?:{p})" for p in _PROMISE_PATTERNS), re.IGNORECASE)
# phrases that mention code availability but are not about the paper's own code
_NOT_OURS = re.compile(
    r"\b(?:publicly|openly|freely)\s+available\s+(?:code|codes|implementations?|software)\b"
    r"|\b(?:error[- ]correcting|gradient|polar|linear|convolutional|hash)\s+codes?\s+are\b",
    re.IGNORECASE,
)


_HIDDEN_LINK = re.compile(r"\bthis\s+https?\s+URL\b", re.IGNORECASE)


# where a ``_PROMISE`` match can start: at a code noun (patterns 1 and 3) or at "we" (pattern 2)
_PROMISE_STARTS = ("source", *CODE_NOUN_ANCHORS, "we")


def _promise_matches(text: str) -> list[re.Match[str]]:
    """``_PROMISE.finditer(text)``, trying the pattern only where a match can start.

    On ASCII text the starts are found by ``str.find`` on the lower-cased text and the pattern
    is tried there in order, each search resuming after the last match, as ``finditer`` does
    (``\\b`` and look-behinds still see the text before the start). Other text is scanned whole.
    """
    if not text.isascii():
        return list(_PROMISE.finditer(text))
    found, resume = [], 0
    for start in sorted(needle_offsets(text.lower(), _PROMISE_STARTS)):
        if start >= resume and (match := _PROMISE.match(text, start)):
            found.append(match)
            resume = match.end()
    return found


def code_phrases(text: str) -> list[tuple[int, int, str]]:
    """(start, end, phrase) of each sentence part saying where the code is or will be.

    >>> [p for _, _, p in code_phrases("Our codes will be available publicly.")]
    ['codes will be available']
    """
    out = []
    for match in _promise_matches(text):
        if _NOT_OURS.search(match.group(0)):
            continue
        out.append((match.start(), match.end(), match.group(0)))
    return out


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the sentence around [start, end)."""
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s|$)|\n", text[:start])]
    left = ends[-1] if ends else 0
    right = re.search(r"[.!?](?=\s|$)|\n", text[end:])
    return left, (end + right.start() if right else len(text))


CODE_STATUS_SCHEMA = pa.DataFrameSchema(
    {
        "paper_id": pa.Column(str, unique=True),
        "status": pa.Column(str, pa.Check.isin(list(CODE_STATUSES))),
        "n_links": pa.Column(int, pa.Check.ge(0)),
        "n_code_links": pa.Column(int, pa.Check.ge(0)),
        "has_project_page": pa.Column(bool),
        "has_huggingface": pa.Column(bool),
        "has_anonymous_review": pa.Column(bool),
        "phrase": pa.Column(str, nullable=True),
    },
    strict=True,
    ordered=True,
)


def _status_of(
    text: str, links: list[dict], phrases: list[tuple[int, int, str]] | None = None
) -> tuple[str, str | None]:
    phrases = code_phrases(text) if phrases is None else phrases
    if any(link["kind"] in CODE_KINDS for link in links):
        return "linked", (phrases[0][2] if phrases else None)
    for start, end, phrase in phrases:
        left, right = _sentence_span(text, start, end)
        if any(left <= link["position"] <= right for link in links):
            return "linked", phrase
        if _HIDDEN_LINK.search(text, left, right):  # arXiv's "this https URL"
            return "linked", phrase
    if phrases:
        return "promised", phrases[0][2]
    return "none", None


_NO_CODE = {
    "status": "none",
    "n_links": 0,
    "n_code_links": 0,
    "has_project_page": False,
    "has_huggingface": False,
    "has_anonymous_review": False,
    "phrase": None,
}


def _code_row(text: str, may_link: bool = True, may_phrase: bool = True) -> dict:
    """Code status, link counts and flags of one paper's title and abstract; ``may_link`` and
    ``may_phrase`` False skip looking for what the pre-filter showed cannot be there."""
    found = links_in_text(text) if may_link else []
    status, phrase = _status_of(text, found, None if may_phrase else [])
    kinds = {link["kind"] for link in found}
    return {
        "status": status,
        "n_links": len({link["url"] for link in found}),
        "n_code_links": len({link["url"] for link in found if link["kind"] in CODE_KINDS}),
        "has_project_page": "github_pages" in kinds,
        "has_huggingface": any(k.startswith("huggingface") for k in kinds),
        "has_anonymous_review": "anonymous_review" in kinds,
        "phrase": phrase,
    }


def code_status(df: pd.DataFrame) -> pd.DataFrame:
    """Each paper's code status: ``linked``, ``promised`` (said, no link) or ``none``.

    One row per paper_id, with how many links and code links it has, whether it links a project
    page, Hugging Face or an anonymous review mirror, and the phrase that spoke about the code.

    >>> papers = pd.DataFrame({"paper_id": ["a", "b", "c"], "title": ["A", "B", "C"],
    ...     "abstract": ["Code: https://github.com/x/y.", "Code will be released.", "No code."]})
    >>> code_status(papers)["status"].tolist()
    ['linked', 'promised', 'none']
    """
    texts = (
        df[["paper_id", "title", "abstract"]]
        .assign(paper_id=lambda d: d["paper_id"].astype(str))
        .assign(
            text=lambda d: (
                d["title"].fillna("").astype(str) + "\n" + d["abstract"].fillna("").astype(str)
            )
        )
        .drop_duplicates(subset=["paper_id", "text"])
        .reset_index(drop=True)
    )
    # a paper whose abstract differs between dumps (one truncated): read the longest text (the
    # first of the longest, in row order)
    lengths = texts["text"].str.len()
    longest = texts.loc[lengths.groupby(texts["paper_id"], sort=True).idxmax()]
    text_list = longest["text"].tolist()
    may_link = may_have_links(longest["text"])
    may_phrase = may_have_code_phrases(longest["text"])
    cache: dict[str, dict] = {}
    rows = [
        {"paper_id": pid, **once_per_text(cache, _code_row, text, link, phrase)}
        if link or phrase
        else {"paper_id": pid, **_NO_CODE}
        for pid, text, link, phrase in zip(
            longest["paper_id"].tolist(), text_list, may_link, may_phrase, strict=True
        )
    ]
    out = pd.DataFrame(rows, columns=list(CODE_STATUS_SCHEMA.columns)).astype(
        {"paper_id": str, "status": str, "n_links": int, "n_code_links": int}
    )
    out = out.astype(
        {"has_project_page": bool, "has_huggingface": bool, "has_anonymous_review": bool}
    ).astype({"phrase": str})
    return CODE_STATUS_SCHEMA.validate(out)
