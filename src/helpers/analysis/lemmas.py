"""Which word forms are one word: "rollout" and "rollouts", "reason", "reasons" and "reasoning"
are; "reasoning" and "reasonable" are not, though Snowball stems both to "reason".

A word's key is its Snowball stem plus what is left of the word past the stem once an
inflectional ending (-s, -es, -ies, -ed, -ing, a doubled consonant, a silent e) is taken off:
"reasoning" -> "reason", "reasonable" -> "reason~abl", "modelling" -> "model", "studies" ->
"studi~y" like "study". Forms with the same key are one word. So a derivational suffix that
Snowball strips (-able, -ation, -al, -ic, -ive, -ment, -er ...) keeps its word apart: "terminal"
is not "terminate", "optimal" not "optimization", "critical" not "critic".

The invariant: two words share a key only if both reduce, by inflectional endings alone, to the
same base (up to Snowball's spelling of that base). :func:`adjective_merges` then joins a few
adjectives to their nouns on evidence from the corpus ("agentic" to "agent").
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

ADJECTIVE_TAILS = ("ic", "al", "ical")
"""Adjective endings that may join their noun ("agent" -> "agentic"), see
:func:`adjective_merges`."""
ADJECTIVE_WITH_NOUN = 0.5
"""...when at least this share of the papers using the adjective also use the noun."""

_VOWELS = set("aeiouy")


@lru_cache(maxsize=1)
def _stemmer():
    """The Snowball English stemmer of PyStemmer (C, current Snowball rules: "organization"
    and "organ", "internal" and "intern" stay apart); NLTK's takes a second to import."""
    import Stemmer

    return Stemmer.Stemmer("english")


_STEMS: dict[str, str] = {}  # Snowball is pure: a word's stem never changes
_KEYS: dict[str, str] = {}


def stems(words: Iterable[str]) -> dict[str, str]:
    """Snowball stem of each word (remembered across calls).

    >>> stems(["reasoning", "reasonable"])["reasonable"]
    'reason'
    """
    words = set(words)
    new = sorted(w for w in words if w not in _STEMS)
    _STEMS.update(zip(new, _stemmer().stemWords(new), strict=True))
    return {w: _STEMS[w] for w in words}


def _base(word: str) -> str:
    """``word`` without one inflectional ending (plural or 3rd person -s, -ed, -ing)."""
    n = len(word)
    if n > 4 and word.endswith(("ies", "ied")):
        return word[:-3] + "y"
    if n > 4 and word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if n > 5 and word.endswith("ing") and any(c in _VOWELS for c in word[:-3]):
        return word[:-3]
    if n > 4 and word.endswith("ed") and any(c in _VOWELS for c in word[:-2]):
        return word[:-2]
    return word


def _key(word: str, stem: str) -> str:
    base = _base(word)
    if base != word and word.endswith("s"):
        base = _base(base)  # "settings" -> "setting" -> "sett", like "setting"
    shared = 0
    for a, b in zip(base, stem, strict=False):
        if a != b:
            break
        shared += 1
    tail = base[shared:]
    if tail.endswith("e"):
        tail = tail[:-1]  # "terminate", "terminating": the same tail
    if len(tail) == 1 and shared and tail == base[shared - 1] and tail not in _VOWELS:
        tail = ""  # "modelling" -> "modell": a doubled consonant
    if stem[shared:] in ("i", "e") and tail == "y":
        tail = ""  # "studi": "study", "studies", "studied"
    return stem if not tail else f"{stem}~{tail}"


def word_keys(words: Iterable[str]) -> dict[str, str]:
    """The key of each word: forms with one key are inflections of one word.

    >>> keys = word_keys(["reasoning", "reasons", "reasonable", "rollout", "rollouts",
    ...                   "modeling", "modelling", "model", "terminal", "terminate"])
    >>> keys["reasoning"] == keys["reasons"], keys["reasonable"]
    (True, 'reason~abl')
    >>> keys["modelling"] == keys["modeling"] == keys["model"]
    True
    >>> keys["terminal"] == keys["terminate"]
    False
    """
    words = set(words)
    new = [w for w in words if w not in _KEYS]
    if new:
        stem = stems(new)
        _KEYS.update((w, _key(w, stem[w])) for w in new)
    return {w: _KEYS[w] for w in words}


def adjective_merges(papers_of: dict[str, set[int]]) -> dict[str, str]:
    """Adjective keys to join to their noun's key: "agent~ic" -> "agent" when at least
    ``ADJECTIVE_WITH_NOUN`` of the papers using the adjective also use the noun (``papers_of``:
    the papers of each word key). "critic~al" stays apart from "critic" (few papers use both).

    >>> adjective_merges({"agent": {1, 2, 3}, "agent~ic": {2, 3}, "critic": {1},
    ...                   "critic~al": {2, 3, 4}})
    {'agent~ic': 'agent'}
    """
    out = {}
    for key, rows in papers_of.items():
        stem, _, tail = key.partition("~")
        if (
            tail in ADJECTIVE_TAILS
            and stem in papers_of
            and rows
            and len(rows & papers_of[stem]) >= ADJECTIVE_WITH_NOUN * len(rows)
        ):
            out[key] = stem
    return out
