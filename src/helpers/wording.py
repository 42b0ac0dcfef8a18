"""How counts are said in the sentences of the reports: a number and its noun agree
("1 paper", "2 papers", "1,024 dumps"), whatever the data hold. Every generated sentence that
counts something goes through :func:`plural`, so no report says "1 papers".

>>> plural(1, "paper"), plural(0, "paper"), plural(2_500, "dump")
('1 paper', '0 papers', '2,500 dumps')
>>> plural(1, "pair", "pairs of papers"), plural(3, "pair", "pairs of papers")
('1 pair', '3 pairs of papers')
"""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``n`` with ``noun`` when it is 1, else with ``many`` (default: ``noun`` + "s"), the
    number with thousands separators."""
    word = noun if n == 1 else (many if many is not None else noun + "s")
    return f"{n:,} {word}"
