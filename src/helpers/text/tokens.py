"""Tokeniser, stopword lists and n-grams for ML paper titles and abstracts.

This is the reference tokeniser of the project: every analysis that counts terms (term
frequencies, keyword trends, benchmarks) goes through :func:`tokenize` / :func:`segments` so the
counts agree. Rules, in the order they are applied (all compiled regexes, no per-token Python
work in :func:`tokenize`):

1. Typographic variants: the Unicode hyphens U+2010/U+2011/U+2212 become ``-``, curly
   apostrophes become ``'``, soft hyphens vanish.
2. Plural acronyms, detected on the ORIGINAL casing: a word that starts with a capital, has at
   least two characters and ends in a capital or digit followed by a lowercase ``s`` loses the
   ``s`` ("LLMs" -> "LLM", "GNNs" -> "GNN", "ViTs" -> "ViT", "A100s" -> "A100"). Ordinary words
   ("process", "Papers") and all-caps words ("PRES") are left alone.
3. Lowercase.
4. Hyphen after a bound prefix is dropped, so spelling variants meet in the solid form:
   "multi-modal"/"multimodal" -> "multimodal", "pre-trained" -> "pretrained",
   "non-linear" -> "nonlinear", "fine-tuning" -> "finetuning" (``fine`` only before ``tun``).
   Prefixes: see ``JOINED_PREFIXES``. Other hyphenated terms stay whole: "zero-shot",
   "self-supervised", "state-of-the-art", "gpt-4", "1-bit".
5. Tokens are runs of letters/digits joined by ``-`` (and by ``.`` between digits: "gpt-3.5",
   "3.4x"); a possessive ``'s`` is dropped ("LARP's" -> "larp"). URLs ("https://...",
   "www....", "github.com/...") and bare numbers ("2024", "3.5", "1,000", "10-20", "95%") are
   dropped; so is punctuation.

For n-grams the text is cut into *segments* at sentence and punctuation breaks
(``. , ; : ! ? ( ) [ ] { } " | -- - — –`` and newlines) and at dropped URLs and numbers; an
n-gram never crosses a break and never starts or ends with a stopword.

>>> tokenize("We fine-tune LLMs on multi-modal data (see https://x.io), 3x faster than GPT-4.")
['we', 'finetune', 'llm', 'on', 'multimodal', 'data', 'see', '3x', 'faster', 'than', 'gpt-4']
>>> ngrams("Large language models (LLMs) are zero-shot reasoners.", 2, stopwords())
['large language', 'language models', 'zero-shot reasoners']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

JOINED_PREFIXES: tuple[str, ...] = (
    "anti", "auto", "bi", "co", "counter", "de", "hyper", "inter", "intra", "macro", "meta",
    "micro", "mini", "mono", "multi", "non", "omni", "over", "post", "pre", "re", "semi", "sub",
    "tri", "ultra", "un", "under", "uni",
)  # fmt: skip
"""Prefixes whose following hyphen is dropped (rule 4); ``fine`` is joined only before ``tun``."""

_TRANSLATE = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2212": "-", "\u2019": "'", "\u2018": "'", "\u00ad": None}
)
# Patterns start with a literal or a character class (not \b or a lookbehind), so the regex
# engine can skip ahead to candidate positions: several times faster than the obvious spelling.
# "\b before a capital" is written as [A-Z] then (?<!\w[A-Z]).
_ACRONYM_PLURAL = re.compile(r"([A-Z](?<!\w[A-Z])[A-Za-z0-9]*[A-Z0-9])s\b")
_PREFIX_HYPHEN = re.compile(
    "-(?:"
    + "|".join(rf"(?<=\b{p}-)" for p in JOINED_PREFIXES)
    + r"|(?<=\bfine-)(?=tun))(?=[^\W\d_])"
)

_TLD = r"\.(?:com|org|net|edu|gov|io|ai|co|dev|me|ly)\b"
_URL = r"(?:https?://|www\.)\S+"
# Bare domains (github.com/x) are costly to try at every word, so that branch is only compiled
# into the patterns used for texts where _HAS_DOMAIN finds a ".com"-like ending at all.
_DOMAIN_URL = rf"\b[\w.-]+{_TLD}(?:/\S*)?"
_HAS_DOMAIN = re.compile(_TLD)
_NUMBER = r"\d+(?:[.,]\d+)*(?:-\d+(?:[.,]\d+)*)*(?!\w|[-.,]\w)"
# what _WORD would match where it is digits only ("0" in "0.a", "1-2" in "1-2,x", "12" in
# "12_x"): a bare number too, so dropped like one (tried before _WORD, it takes the same span)
_DIGITS_WORD = r"\d+(?:[-.]\d+)*(?![^\W_]|-[^\W_]|\.\d)"
_WORD = r"[^\W_]+(?:(?:-|(?<=\d)\.(?=\d))[^\W_]+)*"
_POSSESSIVE = r"(?:'s\b)?"
_BREAK = r"[.!?;:,()\[\]{}\"\u201c\u201d\u2013\u2014|\n]|\s-+\s|--+"

# Tokens only: URL/number matches yield '' (no group), which is filtered out.
_TOKEN_RE = tuple(
    re.compile(rf"{url}|{_NUMBER}|{_DIGITS_WORD}|({_WORD}){_POSSESSIVE}")
    for url in (_URL, _URL + "|" + _DOMAIN_URL)
)
# Same branches in the same order (so the same tokens) plus break markers: (drop, token, break).
_SEGMENT_RE = tuple(
    re.compile(rf"({url}|{_NUMBER}|{_DIGITS_WORD})|({_WORD}){_POSSESSIVE}|({_BREAK})")
    for url in (_URL, _URL + "|" + _DOMAIN_URL)
)


@lru_cache(maxsize=1 << 15)  # analyses of one corpus normalise the same abstracts many times
def normalize(text: str) -> str:
    """Apply rules 1-4 (variants, plural acronyms, lowercase, prefix hyphens) to raw text.

    >>> normalize("Multi-Modal LLMs")
    'multimodal llm'
    """
    text = _ACRONYM_PLURAL.sub(r"\1", text.translate(_TRANSLATE)).lower()
    return _PREFIX_HYPHEN.sub("", text)


def tokenize(text: str) -> list[str]:
    """Lowercased terms of ``text`` by the module rules (stopwords are NOT removed).

    >>> tokenize("Zero-shot 3D detection with 1-bit GNNs in 2024.")
    ['zero-shot', '3d', 'detection', 'with', '1-bit', 'gnn', 'in']
    """
    text = normalize(text)
    pattern = _TOKEN_RE[_HAS_DOMAIN.search(text) is not None]
    return list(filter(None, pattern.findall(text)))


def segments(text: str) -> list[list[str]]:
    """Tokens of ``text`` cut at sentence/punctuation breaks and dropped URLs or numbers.

    Concatenated, the segments are exactly ``tokenize(text)``. Empty segments are omitted.

    >>> segments("Graph neural networks (GNNs) scale. We test 3 datasets")
    [['graph', 'neural', 'networks'], ['gnn'], ['scale'], ['we', 'test'], ['datasets']]
    """
    out: list[list[str]] = []
    current: list[str] = []
    text = normalize(text)
    pattern = _SEGMENT_RE[_HAS_DOMAIN.search(text) is not None]
    for _dropped, token, _brk in pattern.findall(text):
        if token:
            current.append(token)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


@lru_cache(maxsize=8)
def _shipped(name: str) -> frozenset[str]:
    raw = resources.files("helpers").joinpath("data", name).read_text(encoding="utf-8")
    words = (line.split("#", 1)[0].strip() for line in raw.splitlines())
    return frozenset(w for w in words if w)


def _normalise_words(words: Iterable[str], what: str) -> set[str]:
    out: set[str] = set()
    for word in words:
        tokens = tokenize(word)
        if len(tokens) != 1:
            raise ValueError(f"{what} must be single terms, got {word!r} -> {tokens}")
        out.add(tokens[0])
    return out


def stopwords(
    extra: Iterable[str] = (),
    domain: bool = True,
    english: bool = True,
    keep: Iterable[str] = (),
) -> frozenset[str]:
    """The stopword set: shipped English list + domain list + ``extra`` - ``keep``.

    Extra and kept words go through :func:`tokenize`, so "LLMs" means "llm"; each must be a
    single term. Lists live in ``helpers/data/stopwords_{en,domain}.txt``.

    >>> sw = stopwords(extra=["LLMs"], keep=["novel"])
    >>> "llm" in sw, "novel" in sw, "the" in sw
    (True, False, True)
    """
    words: set[str] = set()
    if english:
        words |= _shipped("stopwords_en.txt")
    if domain:
        words |= _shipped("stopwords_domain.txt")
    words |= _normalise_words(extra, "extra stopwords")
    words -= _normalise_words(keep, "kept words")
    return frozenset(words)


_default_stopwords = stopwords  # for functions whose ``stopwords`` parameter hides it


def _grams(seg: Sequence[str], n: int, stop: frozenset[str] | set[str]) -> list[str]:
    if n == 1:
        return [t for t in seg if t not in stop]
    return [
        " ".join(seg[i : i + n])
        for i in range(len(seg) - n + 1)
        if seg[i] not in stop and seg[i + n - 1] not in stop
    ]


def ngrams(text: str, n: int, stopwords: Iterable[str] = frozenset()) -> list[str]:
    """n-grams of ``text`` (words joined by one space) within segments, never starting or
    ending with a stopword; for n=1, the non-stopword tokens. Stopwords inside are kept.

    >>> ngrams("Chain of thought prompting, in context.", 3, {"of", "in"})
    ['chain of thought']
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    stop = stopwords if isinstance(stopwords, (set, frozenset)) else frozenset(stopwords)
    if n == 1:
        return [t for t in tokenize(text) if t not in stop]
    return [g for seg in segments(text) if len(seg) >= n for g in _grams(seg, n, stop)]


def doc_terms(
    text: str, ngram: int | Iterable[int] = 1, stopwords: Iterable[str] | None = None
) -> list[str]:
    """All terms of one document used for counting: n-grams of each size in ``ngram``
    (an int or several, e.g. ``(1, 2)``), with ``stopwords`` (default: :func:`stopwords`)
    applied.

    >>> doc_terms("Sequential recommendation with LLMs.", ngram=(1, 2))
    ['sequential', 'recommendation', 'llm', 'sequential recommendation']
    """
    stop = _default_stopwords() if stopwords is None else stopwords
    sizes = [ngram] if isinstance(ngram, int) else list(ngram)
    if not isinstance(stop, (set, frozenset)):
        stop = frozenset(stop)
    if sizes == [1]:
        return [t for t in tokenize(text) if t not in stop]
    segs = segments(text)
    return [g for n in sizes for seg in segs if len(seg) >= n for g in _grams(seg, n, stop)]


Field = Literal["abstract", "title", "both"]
FIELDS: dict[str, tuple[str, ...]] = {
    "abstract": ("abstract",),
    "title": ("title",),
    "both": ("title", "abstract"),
}
"""The text analysed per paper: which parts, joined by a newline (an n-gram break)."""


def field_parts(field: str) -> tuple[str, ...]:
    """The parts of a paper that ``field`` analyses (see ``FIELDS``); anything else is an error.

    >>> field_parts("both")
    ('title', 'abstract')
    """
    if field not in FIELDS:
        raise ValueError(f"field must be 'abstract', 'title' or 'both', got {field!r}")
    return FIELDS[field]


def paper_text(paper: object, field: str = "abstract") -> str:
    """The analysed text of one parsed paper (anything with ``title`` and ``abstract``).

    >>> from types import SimpleNamespace
    >>> paper_text(SimpleNamespace(title="T", abstract="A."), "both")
    'T\\nA.'
    """
    return "\n".join(getattr(paper, part) for part in field_parts(field))


def field_text(df: pd.DataFrame, field: str = "abstract") -> pd.Series:
    """The analysed text of each row of a papers frame, by the same rule as :func:`paper_text`
    (missing values are empty strings).

    >>> import pandas as pd
    >>> field_text(pd.DataFrame({"title": ["T"], "abstract": ["A."]}), "both").tolist()
    ['T\\nA.']
    """
    first, *rest = (df[part].fillna("").astype(str) for part in field_parts(field))
    for part in rest:
        first = first + "\n" + part
    return first


def ngram_sizes(ngram: int | Iterable[int]) -> list[int]:
    """The n-gram sizes asked for, sorted and distinct: ``2`` or ``(1, 2)``; each >= 1.

    >>> ngram_sizes((2, 1, 2))
    [1, 2]
    """
    sizes = [ngram] if isinstance(ngram, int) else sorted(set(ngram))
    if not sizes or min(sizes) < 1:
        raise ValueError(f"n-gram sizes must be >= 1, got {ngram!r}")
    return sizes


def stopword_set(stopwords: Iterable[str] | None) -> frozenset[str]:
    """The stopwords to apply: the given words, or the default :func:`stopwords` for None.

    >>> stopword_set(["a", "b"]) == frozenset({"a", "b"}), "the" in stopword_set(None)
    (True, True)
    """
    return _default_stopwords() if stopwords is None else frozenset(stopwords)
