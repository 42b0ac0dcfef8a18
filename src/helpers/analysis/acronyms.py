"""Acronyms a corpus defines: "Group Relative Policy Optimization (GRPO)" or "GRPO (Group
Relative Policy Optimization)" links the short form "grpo" to its expansion, found in the texts
themselves, so a new acronym needs no list.

The detector follows the idea of Schwartz & Hearst (2003, "A simple algorithm for identifying
abbreviation definitions in biomedical text"): a short form in parentheses (or before them) is
matched letter by letter, from its end, against the words next to it; its first letter must
start a word (a hyphen starts one too: "Vision-Language-Action (VLA)"). Here, in addition, every
content word of the expansion must give the short form a letter, and trailing words that give
none are left out ("Vision-Language-Action models (VLAs)" defines "vision-language-action").

The invariant: a definition's ``short`` is one token of the project's tokeniser (plural
acronyms are folded by it: "LLMs" is "llm") and its ``long`` is the tokens of the expansion
joined by spaces, as :func:`helpers.text.tokenize` gives them.

>>> defs = definitions(["We use Group Relative Policy Optimization (GRPO) here."])
>>> defs.select("row", "short", "display", "long").rows()
[(0, 'grpo', 'GRPO', 'group relative policy optimization')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import accumulate

import polars as pl

from helpers.text import stopwords as default_stopwords
from helpers.text import tokenize

_STOP = default_stopwords()

DEFINITIONS_SCHEMA = {"row": pl.Int64, "short": pl.String, "display": pl.String, "long": pl.String}

# a parenthesis and what it holds up to its end or first separator: "(GRPO)", "(GRPO; ...)",
# "(Group Relative Policy Optimization)"; the regex starts at a literal, so it scans fast
_PAREN = re.compile(r"\(\s*([^();,\n]{2,120}?)\s*[);,]")
_SHORT = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{1,9}")
_LAST_WORD = re.compile(r"([A-Za-z0-9][A-Za-z0-9-]{1,9})\s*$")
# where the words before a parenthesis stop: a sentence or clause break
_CLAUSE = re.compile(r"[.!?;:,()\[\]{}\"\n]|\s-+\s")
_PLURAL = re.compile(r"(?<=[A-Z0-9])s$")


def _is_short(raw: str) -> bool:
    """Two capitals or more and a letter: "GRPO", "NeRF", "LLMs", "3DGS"; not "Table"."""
    return _SHORT.fullmatch(raw) is not None and sum(c.isupper() for c in raw) >= 2


def match_expansion(short: str, words: Sequence[str]) -> list[str] | None:
    """The words (a tail of ``words``) that ``short`` abbreviates, else None: the letters of
    ``short`` are found in order in the words, its first letter at the start of the first
    word, and every word that is not a stopword gives a letter; words after the last letter
    used are dropped. Of the tails that fit, the one with most letters at word starts (after a
    space or a hyphen) is kept, then the shortest: "Proximal Policy Optimization (PPO)" is all
    three words, not "policy optimization" with the second p inside "optimization".

    >>> match_expansion("nerf", ["we", "train", "neural", "radiance", "fields"])
    ['neural', 'radiance', 'fields']
    >>> match_expansion("grpo", ["group", "relative", "policy", "optimization"])
    ['group', 'relative', 'policy', 'optimization']
    >>> match_expansion("vla", ["vision-language-action", "models"])
    ['vision-language-action']
    >>> match_expansion("sota", ["a", "novel", "method"]) is None
    True
    """
    short = short.lower()
    best = None
    for first in range(len(words) - 1, -1, -1):
        if words[first][:1].lower() == short[:1]:
            found = _match(short, " ".join(words[first:]))
            if found is not None and (best is None or found[0] > best[0]):
                best = found
    return None if best is None else list(best[1])


@lru_cache(maxsize=1 << 14)  # "Large Language Models (LLMs)" is met thousands of times
def _match(short: str, raw: str) -> tuple[int, tuple[str, ...]] | None:
    """(letters at word starts, words) of the expansion of ``short`` that starts at the
    first word of ``raw`` (tokenised here), else None."""
    letters = [c for c in short if c.isalnum()]
    words = tokenize(raw)
    text = " ".join(words)
    if len(letters) < 2 or not words or not text.startswith(letters[0]):
        return None
    if not _in_order(letters, text):
        return None
    word_of = list(accumulate((c == " " for c in text), initial=0))[:-1]
    at_start = [True, *(c in " -" for c in text[:-1])]
    content = [word not in _STOP for word in words]
    memo: dict[tuple[int, int, int], int | None] = {}

    def place(k: int, pos: int, leftmost: int) -> int | None:
        """Most letters at word starts of a placement of letters[:k+1] at or before
        ``pos``, the first at position 0, whose words up to ``leftmost`` (the leftmost word
        used so far) each give a letter; None when there is none."""
        if (k, pos, leftmost) in memo:
            return memo[k, pos, leftmost]
        best = None
        for p in range(0 if k == 0 else pos, -1, -1):
            if text[p] != letters[k] or p > pos:
                continue
            wp = word_of[p]
            if any(content[j] for j in range(wp + 1, leftmost)):
                break  # a content word skipped: further left only skips more
            found = 0 if k == 0 else place(k - 1, p - 1, wp)
            if found is not None and (best is None or found + at_start[p] > best):
                best = found + at_start[p]
        memo[k, pos, leftmost] = best
        return best

    best: tuple[int, int] | None = None
    for end in range(len(text) - 1, 0, -1):  # the last letter, from the end backwards
        if text[end] == letters[-1]:
            found = place(len(letters) - 2, end - 1, word_of[end])
            if found is not None and (best is None or found + at_start[end] > best[0]):
                best = (found + at_start[end], word_of[end])
    if best is None:
        return None
    chosen = tuple(words[: best[1] + 1])
    if len(chosen) < 2 and "-" not in chosen[0]:
        return None  # one plain word is not an expansion
    if "".join(chosen).replace("-", "") == "".join(letters):
        return None
    return best[0], chosen


def _in_order(letters: list[str], text: str) -> bool:
    """Whether ``letters`` occur in ``text`` in that order (a cheap test before the search)."""
    at = 0
    for c in letters:
        at = text.find(c, at) + 1
        if not at:
            return False
    return True


def _words_before(text: str, end: int, limit: int) -> list[str]:
    """Up to ``limit`` words (split at spaces, not tokenised) of the clause that ends at
    ``end`` in ``text``."""
    head = text[max(0, end - 12 * limit) : end]
    breaks = list(_CLAUSE.finditer(head))
    clause = head[breaks[-1].end() :] if breaks else head
    return clause.split()[-limit:]


@lru_cache(maxsize=1 << 14)
def _one_token(raw: str) -> str | None:
    tokens = tokenize(raw)
    return tokens[0] if len(tokens) == 1 else None


def definitions(texts: Sequence[str]) -> pl.DataFrame:
    """Every acronym definition in ``texts``: one row per (text position ``row``, short form)
    with ``short`` (its token), ``display`` (as written, a plural "s" dropped) and ``long``
    (the expansion's tokens); a text defining one short form twice keeps the first.

    >>> definitions(["GRPO (Group Relative Policy Optimization) and Large Language Models "
    ...              "(LLMs) meet."]).select("short", "long").rows()
    [('grpo', 'group relative policy optimization'), ('llm', 'large language models')]
    """
    rows: list[tuple[int, str, str, str]] = []
    for row, text in enumerate(texts):
        found: dict[str, tuple[str, str]] = {}
        for m in _PAREN.finditer(text):
            inside = m.group(1)
            if _is_short(inside):  # "Long Form (SF)"
                raw = inside
                n = sum(c.isalnum() for c in raw)
                words = _words_before(text, m.start(), min(n + 5, 2 * n))
            else:  # "SF (Long Form)"
                before = _LAST_WORD.search(text, max(0, m.start() - 12), m.start())
                if before is None or not _is_short(before.group(1)) or " " not in inside:
                    continue
                raw = before.group(1)
                words = None
            display = _PLURAL.sub("", raw)
            short = _one_token(raw)
            if not short or short in found:
                continue
            if words is None:  # the expansion is the whole parenthesis
                fit = _match(display.lower(), inside)
                long = list(fit[1]) if fit and len(fit[1]) * 2 >= len(inside.split()) else None
            else:
                long = match_expansion(display, words)
            if long:
                found[short] = (display, " ".join(long))
        rows.extend((row, s, d, lf) for s, (d, lf) in found.items())
    return pl.DataFrame(rows, schema=DEFINITIONS_SCHEMA, orient="row")


def expansions(defs: pl.DataFrame, phrase_key: Callable[[str], str]) -> pl.DataFrame:
    """One row per short form defined in ``defs``: its expansion is the one most texts give
    (compared by ``phrase_key``, so "large language model" and "... models" are one; ties go
    to the alphabetically first key), written as most of them write it. Columns: ``short``,
    ``display`` (the casing most used), ``long``, ``long_key``, ``defined`` (texts giving that
    expansion), ``surfaces`` (every spelling of it met, most used first).

    >>> defs = definitions(["Group Relative Policy Optimization (GRPO).",
    ...                     "Group Relative Policy Optimization (GRPO).",
    ...                     "Generalized Reward Policy Optimization (GRPO)."])
    >>> expansions(defs, str).select("short", "long", "defined").rows()
    [('grpo', 'group relative policy optimization', 2)]
    """
    if defs.is_empty():
        return pl.DataFrame(
            schema={
                "short": pl.String,
                "display": pl.String,
                "long": pl.String,
                "long_key": pl.String,
                "defined": pl.UInt32,
                "surfaces": pl.List(pl.String),
            }
        )
    longs = defs["long"].unique().to_list()
    keys = dict(zip(longs, map(phrase_key, longs), strict=True))
    defs = defs.with_columns(long_key=pl.col("long").replace_strict(keys))
    display = (
        defs.group_by("short", "display")
        .len()
        .sort(["short", "len", "display"], descending=[False, True, False])
        .group_by("short", maintain_order=True)
        .agg(pl.col("display").first())
    )
    surfaces = (
        defs.group_by("short", "long_key", "long")
        .len()
        .sort(["short", "long_key", "len", "long"], descending=[False, False, True, False])
        .group_by("short", "long_key", maintain_order=True)
        .agg(pl.col("long").first(), pl.col("long").alias("surfaces"), pl.col("len").sum())
    )
    return (
        surfaces.sort(["short", "len", "long_key"], descending=[False, True, False])
        .group_by("short", maintain_order=True)
        .agg(pl.all().first())
        .rename({"len": "defined"})
        .join(display, on="short")
        .select("short", "display", "long", "long_key", "defined", "surfaces")
        .sort("short")
    )


def phrase_mentions(texts: Sequence[str], phrases: Sequence[str]) -> pl.DataFrame:
    """(``row``, ``term``, ``count``): how often each of ``phrases`` (tokens joined by spaces)
    occurs, as whole words, in each text lowercased (any run of spaces between its words; the
    tokeniser's other rewrites, such as "multi-modal" -> "multimodal", are not made). One pass
    of one regex over all texts (Polars): where two phrases overlap in a text, the longer one is
    found.

    >>> phrase_mentions(["We use Group Relative Policy\\nOptimization twice: group relative "
    ...                  "policy optimization."], ["group relative policy optimization"]).rows()
    [(0, 'group relative policy optimization', 2)]
    """
    schema = {"row": pl.Int64, "term": pl.String, "count": pl.UInt32}
    phrases = sorted(set(phrases), key=lambda p: (-len(p), p))
    if not phrases or not len(texts):
        return pl.DataFrame(schema=schema)
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split(" "))) for p in phrases)
    found = (
        pl.DataFrame({"text": list(texts)}, schema={"text": pl.String})
        .with_row_index("row")
        .select(
            pl.col("row").cast(pl.Int64),
            pl.col("text")
            .str.to_lowercase()
            .str.replace_all("[\u2010\u2011\u2212]", "-")
            .str.extract_all(rf"\b(?:{alternatives})\b"),
        )
        .explode("text")
        .drop_nulls("text")
        .select(
            "row",
            term=pl.col("text")
            .str.strip_chars()
            .str.replace_all(r"^[^\w]+|[^\w]+$", "")
            .str.replace_all(r"\s+", " "),
        )
    )
    return found.group_by("row", "term").agg(pl.len().alias("count")).sort("row", "term")
