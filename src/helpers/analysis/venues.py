"""Publication venues named in titles and abstracts ("accepted at NeurIPS 2023", "(CVPR'24)").

The lexicon lives in ``helpers/data/venues.csv``: one row per venue with its canonical name, its
kind (conference/journal), acronyms (matched case-sensitively as whole words) and full names
(matched as written, title case, any spacing). Acronyms that are common words or other things
(ACL, WWW, RSS, UAI, RecSys, 3DV) have ``needs_context``: they count only next to a year or a
word such as "conference", "accepted", "published", "proceedings", "workshop".

>>> import pandas as pd
>>> papers = pd.DataFrame({"paper_id": ["p"], "title": ["T"],
...     "abstract": ["Accepted at NeurIPS'23. We also compare with ICLR-2024 work."]})
>>> find_venues(papers)[["venue", "year", "context"]].values.tolist()
[['NeurIPS', 2023, 'accepted'], ['ICLR', 2024, 'mention']]
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from io import StringIO

import numpy as np
import pandas as pd
import pandera.pandas as pa
import polars as pl
import pyarrow

from helpers.analysis.stats import wilson_interval

CONTEXTS: tuple[str, ...] = ("accepted", "published", "workshop", "mention")
"""How a mention names its venue, most specific first: a workshop of the venue, the paper's
acceptance there ("accepted at/to/by", "to appear in"), publication ("published in",
"appeared in", "presented at", "proceedings of"), or any other (plain) mention."""

MIN_YEAR, MAX_YEAR = 1980, 2039

_WORKSHOP = re.compile(r"\bworkshops?\b", re.IGNORECASE)
_ACCEPTED = re.compile(
    r"\b(?:accepted|acceptance|to\s+appear|will\s+appear|forthcoming)\b[^.!?]{0,40}$",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(
    r"\b(?:published|appeared|appears|presented|proceedings)\b[^.!?]{0,40}$", re.IGNORECASE
)
_CONTEXT_WORDS = re.compile(
    r"\b(?:conference|conf|workshops?|proceedings|accepted|acceptance|published|appear\w*|"
    r"presented|track|symposium|oral|spotlight|poster|findings|submission|venue)\b",
    re.IGNORECASE,
)
_YEAR_AFTER = re.compile(
    r"[ \t]*(?:[-\u2013\u2014,][ \t]*)?"
    r"(?:(?:Findings|Main|Workshops?|Datasets and Benchmarks)[ \t]+)?"  # "EMNLP Findings 2023"
    r"[\u2018\u2019']?"
    r"(?:(?P<full>(?:19|20)\d{2})|(?<=[-\u2018\u2019'])(?P<short>\d{2}))(?![\d\w])"
)
_YEAR_BEFORE = re.compile(  # "the 2023 Conference on Empirical Methods …", "2024 IEEE/CVF …"
    r"(?P<full>(?:19|20)\d{2})\s+(?:(?:IEEE(?:/CVF)?|ACM|AAAI|International|Annual|Joint|"
    r"Conference|Meeting|Chapter|on|of|the|\d+(?:st|nd|rd|th))\s+)*$"
)


@lru_cache(maxsize=1)
def venue_lexicon() -> pd.DataFrame:
    """The venue lexicon shipped with the package (a new copy each call is not needed: the frame
    is cached, so do not modify it; ``.copy()`` it first).

    >>> venue_lexicon().set_index("venue").loc["ICLR", "kind"]
    'conference'
    """
    raw = resources.files("helpers").joinpath("data", "venues.csv").read_text(encoding="utf-8")
    table = pd.read_csv(StringIO(raw), dtype=str, keep_default_na=False)
    return table.assign(needs_context=table["needs_context"].str.lower().eq("true"))


def _alias_pattern(alias: str) -> str:
    return r"\s+".join(re.escape(part) for part in alias.split())


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, tuple[str, bool]]]:
    """One regex over all aliases (longest first) and alias -> (venue, needs_context)."""
    lookup: dict[str, tuple[str, bool]] = {}
    acronyms, names = [], []
    for row in venue_lexicon().itertuples(index=False):
        for alias in filter(None, row.acronyms.split("|")):
            acronyms.append(alias)
            lookup[" ".join(alias.split())] = (row.venue, bool(row.needs_context))
        for alias in filter(None, row.names.split("|")):
            names.append(alias)
            lookup[" ".join(alias.split())] = (row.venue, bool(row.needs_context))
    # an acronym is a whole word: no letter or digit before it, no letter after it and no
    # ".x" after it (so "WWW" in "WWW.example.org" is not a venue)
    acro = "|".join(_alias_pattern(a) for a in sorted(acronyms, key=len, reverse=True))
    name = "|".join(_alias_pattern(a) for a in sorted(names, key=len, reverse=True))
    pattern = re.compile(
        rf"(?<![A-Za-z0-9/@.-])(?:{name}|{acro})(?![A-Za-z])(?!\.[A-Za-z0-9])(?!-[a-z])"
    )
    return pattern, lookup


def _aliases() -> list[str]:
    rows = venue_lexicon().itertuples(index=False)
    return [a for row in rows for a in row.acronyms.split("|") + row.names.split("|") if a.split()]


@lru_cache(maxsize=1)
def _anchors() -> tuple[str, ...]:
    """The longest word of every alias: a venue mention holds one of them exactly (the matcher is
    case-sensitive and joins an alias's words with ``\\s+``)."""
    return tuple(sorted({max(alias.split(), key=len) for alias in _aliases()}))


# Python's \s on text is Unicode White_Space (the Rust regex \s) plus \x1c-\x1f (checked in the
# tests), so this class takes every whitespace the matcher's \s+ takes
_ANY_SPACE = r"[\s\x1c-\x1f]+"


@lru_cache(maxsize=1)
def _polars_rule() -> str:
    """A Polars (Rust) regex matching wherever the matcher can: any alias, its words joined by any
    whitespace, with the matcher's character rules before and after it (its further
    look-aheads only reject more)."""
    body = "|".join(
        _ANY_SPACE.join(re.escape(word) for word in alias.split())
        for alias in sorted(set(_aliases()))
    )
    return rf"(?:^|[^A-Za-z0-9/@.\-])(?:{body})(?:[^A-Za-z]|$)"


def may_have_venues(texts: list[str] | pd.Series) -> np.ndarray:
    """Boolean mask over ``texts``: False where ``venues_in_text`` surely finds nothing (a
    vectorised Polars search for the aliases' longest words, then for the aliases themselves;
    True for all texts when Polars cannot read them).

    >>> may_have_venues(["Accepted at ICLR 2024.", "A Neural net.", "No venue."]).tolist()
    [True, False, False]
    """
    try:
        if isinstance(texts, pd.Series):
            series = pl.from_arrow(pyarrow.array(texts, type=pyarrow.large_string()))
        else:
            series = pl.Series(list(texts), dtype=pl.String)
    except (UnicodeError, pyarrow.ArrowException):  # a lone surrogate: every text is read
        return np.ones(len(texts), dtype=bool)
    found = series.str.contains_any(list(_anchors()), ascii_case_insensitive=False)
    found = found.fill_null(False).to_numpy().astype(bool)
    keep = np.flatnonzero(found)  # the full rule runs only on the texts the words search kept
    found[keep] = series.gather(keep).str.contains(_polars_rule()).fill_null(False).to_numpy()
    return found


def _year_of(text: str, start: int, end: int) -> tuple[int | None, int]:
    """Year given with a mention, and the end of the snippet including it."""
    after = _YEAR_AFTER.match(text, end)
    if after:
        year = int(after["full"]) if after["full"] else 2000 + int(after["short"])
        if after["short"] and year > MAX_YEAR:
            year -= 100
        if MIN_YEAR <= year <= MAX_YEAR:
            return year, after.end()
    before = _YEAR_BEFORE.search(text[max(0, start - 40) : start])
    if before and MIN_YEAR <= int(before["full"]) <= MAX_YEAR:
        return int(before["full"]), end
    return None, end


def _sentence_window(text: str, start: int, end: int, before: int = 80, after: int = 50):
    """Text of the same sentence up to ``before`` characters before and ``after`` after."""
    left = text[max(0, start - before) : start]
    cut = max(left.rfind(". "), left.rfind("! "), left.rfind("? "), left.rfind("\n"))
    if cut >= 0:
        left = left[cut + 2 :]
    right = text[end : end + after]
    stop = re.search(r"[.!?](?:\s|$)|\n", right)
    if stop:
        right = right[: stop.start()]
    return left, right


def _context_of(left: str, right: str, snippet: str) -> str:
    if _WORKSHOP.search(left[-40:]) or _WORKSHOP.search(right[:30]) or _WORKSHOP.search(snippet):
        return "workshop"
    if _ACCEPTED.search(left):
        return "accepted"
    if _PUBLISHED.search(left):
        return "published"
    return "mention"


def venues_in_text(text: str) -> list[dict]:
    """Every venue mention in one text as dicts: position, venue, year, text, context.

    >>> [(m["venue"], m["year"]) for m in venues_in_text("Published in (CVPR 2024).")]
    [('CVPR', 2024)]
    >>> venues_in_text("Feeds are read over RSS and WWW links.")
    []
    """
    pattern, lookup = _matcher()
    found = []
    for match in pattern.finditer(text):
        venue, needs_context = lookup[" ".join(match.group(0).split())]
        year, snippet_end = _year_of(text, match.start(), match.end())
        left, right = _sentence_window(text, match.start(), snippet_end)
        snippet = text[match.start() : snippet_end]
        if needs_context and year is None and not _CONTEXT_WORDS.search(left + " " + right):
            continue
        found.append(
            {
                "position": match.start(),
                "venue": venue,
                "year": year,
                "text": " ".join(snippet.split()),
                "context": _context_of(left, right, snippet),
            }
        )
    return found


MENTIONS_SCHEMA = pa.DataFrameSchema(
    {
        "paper_id": pa.Column(str),
        "field": pa.Column(str, pa.Check.isin(["title", "abstract"])),
        "position": pa.Column(int, pa.Check.ge(0)),
        "venue": pa.Column(str),
        "year": pa.Column("Int64", pa.Check.in_range(MIN_YEAR, MAX_YEAR), nullable=True),
        "text": pa.Column(str),
        "context": pa.Column(str, pa.Check.isin(list(CONTEXTS))),
    },
    strict=True,
    ordered=True,
)


def find_venues(df: pd.DataFrame) -> pd.DataFrame:
    """One row per venue mention in each paper's title and abstract.

    Columns: paper_id, field, position, venue (canonical name from the lexicon), year (Int64,
    missing when not given), text (the matched snippet), context (see ``CONTEXTS``). A paper
    listed in several dumps contributes its mentions once.
    """
    texts = (
        df[["paper_id", "title", "abstract"]]
        .melt(id_vars="paper_id", var_name="field", value_name="text")
        .assign(text=lambda d: d["text"].fillna("").astype(str))
        .drop_duplicates()
    )
    texts = texts[may_have_venues(texts["text"])]
    rows = [
        {"paper_id": str(pid), "field": field, **mention}
        for pid, field, text in texts.itertuples(index=False)
        for mention in venues_in_text(text)
    ]
    out = (
        pd.DataFrame(rows, columns=list(MENTIONS_SCHEMA.columns))
        .drop_duplicates(subset=["paper_id", "field", "position"])
        .sort_values(["paper_id", "field", "position"], kind="stable")
        .reset_index(drop=True)
        .astype({"paper_id": str, "field": str, "position": int, "venue": str})
        .astype({"year": "Int64", "text": str, "context": str})
    )
    return MENTIONS_SCHEMA.validate(out)


VENUE_TABLE_SCHEMA = pa.DataFrameSchema(
    {
        "venue": pa.Column(str, unique=True),
        "kind": pa.Column(str),
        "papers": pa.Column(int, pa.Check.ge(1)),
        "mentions": pa.Column(int, pa.Check.ge(1)),
        "accepted_or_published": pa.Column(int, pa.Check.ge(0)),
        "first_year": pa.Column("Int64", nullable=True),
        "last_year": pa.Column("Int64", nullable=True),
    },
    strict=True,
    ordered=True,
)


def venue_table(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per venue: papers naming it, mentions, papers saying they were accepted/published there,
    and the years given; most papers first.

    >>> papers = pd.DataFrame({"paper_id": ["p"], "title": ["T"], "abstract": ["In ICML 2024."]})
    >>> venue_table(find_venues(papers))[["venue", "papers", "first_year"]].values.tolist()
    [['ICML', 1, 2024]]
    """
    kinds = venue_lexicon().set_index("venue")["kind"]
    claimed = mentions.assign(
        _claim=mentions["context"].isin(["accepted", "published"]),
    )
    out = (
        claimed.groupby("venue", as_index=False)
        .agg(
            papers=("paper_id", "nunique"),
            mentions=("paper_id", "size"),
            accepted_or_published=("_claim", lambda s: int(s.sum())),
            first_year=("year", "min"),
            last_year=("year", "max"),
        )
        .assign(kind=lambda d: d["venue"].map(kinds).fillna("other").astype(str))
        .astype({"papers": int, "mentions": int, "accepted_or_published": int})
        .astype({"first_year": "Int64", "last_year": "Int64", "venue": str})
        .sort_values(["papers", "mentions", "venue"], ascending=[False, False, True])
        .reset_index(drop=True)[list(VENUE_TABLE_SCHEMA.columns)]
    )
    return VENUE_TABLE_SCHEMA.validate(out)


COVERAGE_SCHEMA = pa.DataFrameSchema(
    {
        "papers": pa.Column(int, pa.Check.ge(0)),
        "papers_with_venue": pa.Column(int, pa.Check.ge(0)),
        "share": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        "ci_low": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        "ci_high": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
    },
    checks=pa.Check(lambda d: (d["papers_with_venue"] <= d["papers"]).all(), name="k <= n"),
)


def venue_coverage(
    df: pd.DataFrame, mentions: pd.DataFrame, by: str | None = None
) -> pd.DataFrame:
    """How many distinct papers name any venue, with a 95% Wilson interval on the share.

    Without ``by``: one row. With ``by`` (a column of ``df``, e.g. "period" from
    :func:`helpers.analysis.periods.add_period`): one row per group, each paper counted once per
    group.

    >>> papers = pd.DataFrame({"paper_id": ["a", "b"], "title": ["A", "B"],
    ...     "abstract": ["Accepted at ICLR 2024.", "No venue."]})
    >>> venue_coverage(papers, find_venues(papers))[["papers", "papers_with_venue", "share"]]
       papers  papers_with_venue  share
    0       2                  1    0.5
    """
    named = set(mentions["paper_id"].astype(str))
    flags = df.assign(
        _pid=df["paper_id"].astype(str), _named=df["paper_id"].astype(str).isin(named)
    )
    keys = [by] if by else []
    per_paper = flags.drop_duplicates(keys + ["_pid"])
    if by:
        grouped = per_paper.groupby(by, sort=True, observed=True)["_named"]
        counts = grouped.agg(papers="size", papers_with_venue="sum").reset_index()
    else:
        counts = pd.DataFrame(
            {"papers": [len(per_paper)], "papers_with_venue": [int(per_paper["_named"].sum())]}
        )
    n = counts["papers"].to_numpy(dtype=float)
    k = counts["papers_with_venue"].to_numpy(dtype=float)
    lo, hi = wilson_interval(k, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, k / np.where(n > 0, n, 1), np.nan)
    out = counts.astype({"papers": int, "papers_with_venue": int}).assign(
        share=share.astype(float), ci_low=np.asarray(lo, float), ci_high=np.asarray(hi, float)
    )
    return COVERAGE_SCHEMA.validate(out)
