"""Years that a paper's title and abstract name: evidence for the year of its listing.

A four-digit 19xx/20xx number is a year only in a context that makes it one, because most
such numbers in abstracts are not years (2048 tokens, 2000 frames, 1024x1024 pixels, a GitHub
user name ``zsh2000``, a CodeForces rating of 2088). The contexts kept:

- a name with two capitals, then a space or hyphen: a venue or benchmark (CVPR 2024, AIME 2025,
  SemEval-2024);
- a capitalised event word: Challenge 2024, Cup 2025, Report 2026;
- a preposition of time: in/since/from/until/through/during/early/late/mid 2023, or a month
  (March 2024, May 24, 2024), or ``the 2025 International ...`` (a year before a capitalised
  name);
- a citation: ``et al., 2024``, ``et al. (2025a)``, a parenthesised year ``(2023)``;
- a range or pair of years: 2019-2023, 2018 to 2023, AIME 2024/2025 (both ends).

A number glued to letters or digits (SG2042, zsh2000), followed by a unit-like ``x``/``times``,
a decimal or thousands separator, or ``by 2030`` (a forecast) is not a year here. On the
580-dump real corpus this rule names no year after the listing's own (docs/years.md).

>>> sorted(named_years("Accepted at CVPR 2024; data from 2019-2021, up to 2048 tokens."))
[2019, 2021, 2024]
>>> sorted(named_years("Resolution 2048x2048, code at github.com/zsh2000, by 2030."))
[]
"""

from __future__ import annotations

import re

_Y = r"(?:19|20)\d\d"
# a year ends where no word character, decimal, hyphenated word or size multiplier follows
_END = rf"(?![\w%]|[.,]\d|-(?!{_Y})\w|\s*(?:x|×|times|\\times)\b)"
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_RANGE = rf"\b({_Y})\s*(?:-{{1,2}}|–|/|\bto\b|\band\b)\s*(?:[A-Z]+\s*)?({_Y}){_END}"
_SINGLE = "|".join(
    [
        rf"(?<![\w/.])[A-Z][A-Za-z]*[A-Z][A-Za-z]*[- ~]'?({_Y})[a-z]?{_END}",
        rf"\b(?:Challenge|Cup|Report|Olympiad|Main|Putnam|Conference|Workshop)[- ]({_Y}){_END}",
        rf"\b(?:[Ii]n|[Ss]ince|[Ff]rom|until|till|through|during|early|late|mid)[- ]({_Y}){_END}",
        rf"\b(?:{_MONTHS})\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?({_Y}){_END}",
        rf"\b[Tt]he\s+({_Y})\s+(?=[A-Z])",
        rf"\bet al\.?,?\s*\(?({_Y})[a-z]?\b",
        rf"\(\s*({_Y})[a-z]?\s*\)",
    ]
)
_PATTERNS = (re.compile(_RANGE), re.compile(_SINGLE))  # apart: a range may start inside a single


def named_years(text: str) -> set[int]:
    """The years ``text`` names in a context that makes a number a year (module docstring)."""
    return {
        int(y)
        for pattern in _PATTERNS
        for match in pattern.finditer(text)
        for y in match.groups()
        if y
    }
