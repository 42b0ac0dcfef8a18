"""Keyword trends across dumps: shares per period with intervals, emerging and declining
terms (the "trend topics" view and bursts are in :mod:`helpers.analysis.trend_views`).

A period is a day, an ISO week (Monday start), a calendar month, or one dump (``freq`` = "D",
"W", "M", "dump"). Within a period a paper counts once: rows with the same ``paper_id`` in one
period are collapsed to one (the one with the longest abstract), so a paper listed in three
daily dumps of the same month counts once for that month, and once for each day with freq="D".
Shares are always "papers mentioning the term / papers in the period", never raw counts.

>>> keyword_trends(papers, ["mamba", "state space model"], freq="M")  # doctest: +SKIP
   term   period period_start  n_papers  n_mentioning  share  ci_low  ci_high
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import pandera.pandas as pa
import polars as pl

from helpers.analysis import stats
from helpers.analysis.periods import add_period, period_sizes
from helpers.text.counting import CountCache, count_groups

FREQS = ("D", "W", "M", "dump")
MK_MIN_PERIODS = 6
"""Mann-Kendall is used from this many periods on. Below it the smallest p-value Mann-Kendall
can reach is too large to matter after FDR (n=4: 0.089, n=5: 0.028; n=6: 0.009), so the
early-versus-late G2 comparison, which uses every paper rather than only the order of the
per-period shares, is the test."""

_WORD_EDGE_BEFORE = r"(?<![^\W_])"  # not preceded by a letter or digit (hyphen is an edge)
_WORD_EDGE_AFTER = r"(?![^\W_])"

TREND_SCHEMA = pa.DataFrameSchema(
    {
        "term": pa.Column(str),
        "period": pa.Column(str),
        "period_start": pa.Column("datetime64[ns]"),
        "position": pa.Column(int),
        "n_papers": pa.Column(int, pa.Check.gt(0)),
        "n_mentioning": pa.Column(int, pa.Check.ge(0)),
        "share": pa.Column(float, pa.Check.in_range(0, 1)),
        "ci_low": pa.Column(float, pa.Check.in_range(0, 1)),
        "ci_high": pa.Column(float, pa.Check.in_range(0, 1)),
    },
    checks=[
        pa.Check(lambda d: (d["n_mentioning"] <= d["n_papers"]).all(), name="k<=n"),
        pa.Check(lambda d: (d["ci_low"] <= d["share"]).all(), name="lo<=share"),
        pa.Check(lambda d: (d["share"] <= d["ci_high"]).all(), name="share<=hi"),
    ],
    strict=True,
)

DIRECTIONS = ("emerging", "declining", "flat")
TESTS = ("mann-kendall", "g2 early vs late")

EMERGING_SCHEMA = pa.DataFrameSchema(
    {
        "term": pa.Column(str, unique=True),
        "direction": pa.Column(str, pa.Check.isin(DIRECTIONS)),
        "slope": pa.Column(float),
        "test": pa.Column(str, pa.Check.isin(TESTS)),
        "p": pa.Column(float, pa.Check.in_range(0, 1)),
        "p_adj": pa.Column(float, pa.Check.in_range(0, 1)),
        "n_periods": pa.Column(int, pa.Check.ge(2)),
        "n_papers": pa.Column(int, pa.Check.ge(0)),
        "early_share": pa.Column(float, pa.Check.in_range(0, 1)),
        "late_share": pa.Column(float, pa.Check.in_range(0, 1)),
        "log_ratio": pa.Column(float),
        "g2": pa.Column(float, pa.Check.ge(0)),
        "p_g2": pa.Column(float, pa.Check.in_range(0, 1)),
        "tau": pa.Column(float, nullable=True),
        "p_mk": pa.Column(float, nullable=True),
        "reason": pa.Column(str),
    },
    strict=True,
)


# --------------------------------------------------------------------------------------------
# mentions


def _normalize(text: str) -> str:
    from helpers.text import normalize

    return normalize(text)


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Regex for a keyword as a whole word (or whole phrase) in normalised text: case and
    spelling variants are folded by ``helpers.text.normalize`` ("LLMs" matches "llm"), words of
    a phrase may be separated by spaces or hyphens, and a hyphen counts as a word edge, so
    "mamba" matches "Mamba-based" but not "mambas".

    >>> bool(keyword_pattern("state space model").search("a state-space model"))
    True
    """
    words = _normalize(keyword).split()
    if not words:
        raise ValueError(f"empty keyword: {keyword!r}")
    body = r"[\s\-]+".join(re.escape(w) for w in words)
    return re.compile(_WORD_EDGE_BEFORE + body + _WORD_EDGE_AFTER)


def as_terms(terms: str | Iterable[str]) -> list[str]:
    """A list of distinct non-empty terms; a single string is one term, not its characters."""
    if isinstance(terms, str):
        terms = [terms]
    return list(dict.fromkeys(t.strip() for t in terms if t.strip()))


Keywords = (
    str | Mapping[str, str | Sequence[str]] | Iterable[str | Mapping[str, str | Sequence[str]]]
)
"""What every keyword parameter accepts: a keyword, a list of keywords, a concept mapping
``{"state space models": ["mamba", "state space model", "ssm"]}``, or a list mixing both."""


def as_concepts(keywords: Keywords) -> dict[str, tuple[str, ...]]:
    """Concept label -> its member keywords, in the order given. A plain keyword is a concept
    of one member named after itself; a paper mentions a concept when it mentions any member.

    >>> as_concepts(["agent", {"state space models": ["mamba", "ssm"]}])
    {'agent': ('agent',), 'state space models': ('mamba', 'ssm')}
    """
    items = [keywords] if isinstance(keywords, (str, Mapping)) else list(keywords)
    out: dict[str, tuple[str, ...]] = {}
    for item in items:
        pairs = item.items() if isinstance(item, Mapping) else [(item, [item])]
        for label, members in pairs:
            if not isinstance(label, str) or not label.strip():
                raise ValueError(f"a keyword or concept label must be non-empty text: {label!r}")
            members = as_terms([members] if isinstance(members, str) else members)
            if not members:
                raise ValueError(f"concept {label!r} has no member keywords")
            label = label.strip()
            out[label] = tuple(dict.fromkeys([*out.get(label, ()), *members]))
    return out


def _texts(per: pd.DataFrame) -> pd.Series:
    """Normalised title and abstract, with a line break between them (a phrase never spans)."""
    joined = per["title"].fillna("") + "\n\n" + per["abstract"].fillna("")
    return joined.map(_normalize)


def keyword_mentions(per: pd.DataFrame, keywords: Keywords) -> pd.DataFrame:
    """Long table (row index of ``per``, term) for the rows mentioning each keyword or concept
    (a row mentions a concept once however many of its members it holds)."""
    texts = _texts(per)
    literal = pl.Series(texts.to_numpy(dtype=object), dtype=pl.String)
    parts = []
    for label, members in as_concepts(keywords).items():
        hit = np.zeros(len(texts), dtype=bool)
        for kw in members:
            # a text can match only if it contains every word of the keyword as it stands:
            # that cheap literal test (Polars, all rows) leaves the regex (Python) a few
            candidate = ~hit
            for word in _normalize(kw).split():
                candidate &= literal.str.contains(word, literal=True).to_numpy()
            hit[candidate] = texts[candidate].str.contains(keyword_pattern(kw), regex=True)
        parts.append(pd.DataFrame({"row": per.index[hit], "term": label}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["row", "term"])


def paper_counts(
    per: pd.DataFrame,
    ngram: int | Iterable[int] = 1,
    stopwords: Iterable[str] | None = None,
    by: str | None = None,
    papers: bool = False,
    cache: CountCache | None = None,
) -> pd.DataFrame:
    """Papers mentioning each term of the tokeniser (title and abstract; rows ``term``, the
    ``by`` column if given, ``n``). Counted by the Polars engine (:mod:`helpers.text.counting`,
    the same terms as ``helpers.text.doc_terms``) without a table of every mention, so it scales
    to millions of papers. ``papers``: rows with the same ``paper_id`` are one paper (a
    term counts once for a paper listed in several rows); else every row is one paper."""
    text = per["title"].fillna("") + "\n\n" + per["abstract"].fillna("")
    groups = values = None
    if by is not None:
        groups, values = pd.factorize(per[by], sort=True)
    docs = pd.factorize(per["paper_id"])[0] if papers else None
    counted = count_groups(text, groups, docs, ngram, stopwords, cache=cache).to_pandas()
    out = pd.DataFrame({"term": counted["term"].astype(str), "n": counted["doc_count"]})
    if by is not None:
        out.insert(1, by, values[counted["group"].to_numpy()])
    return out.astype({"n": "int64"})


def keyword_counts(per: pd.DataFrame, mentions: pd.DataFrame, by: str) -> pd.DataFrame:
    """Rows ``term``, ``by``, ``n`` (rows of ``per`` mentioning the keyword) from mentions."""
    return (
        mentions.assign(**{by: per.loc[mentions["row"], by].to_numpy()})
        .groupby(["term", by], observed=True)
        .size()
        .rename("n")
        .reset_index()
    )


def _keyword_support(per: pd.DataFrame, mentions: pd.DataFrame) -> pd.Series:
    """Distinct papers (``paper_id``) mentioning each keyword."""
    return (
        mentions.assign(paper_id=per.loc[mentions["row"], "paper_id"].to_numpy())
        .drop_duplicates(["paper_id", "term"])
        .groupby("term")
        .size()
    )


def _shares(per: pd.DataFrame, counted: pd.DataFrame, terms: Sequence[str]) -> pd.DataFrame:
    """Every (term, period) pair with its counts, share and Wilson interval, from ``counted``
    (``term``, ``position``, ``n``: papers of the period mentioning the term)."""
    periods = period_sizes(per)
    counts = (
        counted[counted["term"].isin(terms)]
        .set_index(["term", "position"])["n"]
        .rename("n_mentioning")
    )
    grid = pd.MultiIndex.from_product(
        [list(terms), periods["position"]], names=["term", "position"]
    )
    table = (
        counts.reindex(grid, fill_value=0)
        .reset_index()
        .merge(periods, on="position")
        .astype({"n_mentioning": int})
    )
    share = (table["n_mentioning"] / table["n_papers"]).to_numpy()
    lo, hi = stats.wilson_interval(table["n_mentioning"], table["n_papers"])
    # rounding can put a bound a hair on the wrong side of a share of exactly 0 or 1
    lo, hi = np.minimum(lo, share), np.maximum(hi, share)
    out = table.assign(share=share, ci_low=lo, ci_high=hi)[list(TREND_SCHEMA.columns)]
    order = {t: i for i, t in enumerate(terms)}
    out = out.sort_values(
        ["term", "position"], key=lambda s: s.map(order) if s.name == "term" else s, kind="stable"
    ).reset_index(drop=True)
    return TREND_SCHEMA.validate(out)


def keyword_trends(df: pd.DataFrame, keywords: Keywords, freq: str = "M") -> pd.DataFrame:
    """Share of papers mentioning each keyword (title or abstract, whole word or phrase,
    case-insensitive) per period, with a 95% Wilson interval. A paper counts once per period.
    ``keywords`` may hold concepts (``{"state space models": ["mamba", "ssm"]}``, see
    :func:`as_concepts`): a concept is one row per period, counting papers that mention any
    of its members.

    >>> keyword_trends(papers, ["mamba"], freq="M")  # doctest: +SKIP
        term   period period_start  position  n_papers  n_mentioning  share  ci_low  ci_high
    0  mamba  2023-12   2023-12-01       647       880             3  0.003   0.001    0.010
    """
    concepts = as_concepts(keywords)
    per = add_period(df, freq)
    counted = keyword_counts(per, keyword_mentions(per, concepts), "position")
    return _shares(per, counted, list(concepts))


def top_term_trends(
    df: pd.DataFrame,
    freq: str = "M",
    top_n: int = 20,
    ngram: int | Iterable[int] = 1,
    stopwords: Iterable[str] | None = None,
    cache: CountCache | None = None,
) -> pd.DataFrame:
    """``keyword_trends`` for the ``top_n`` terms mentioned by most papers overall (terms from
    ``helpers.text.doc_terms``, stopwords removed): the table behind a term-by-period heatmap.

    >>> top_term_trends(papers, "M", top_n=2)["term"].unique()  # doctest: +SKIP
    array(['model', 'language'], dtype=object)
    """
    per = add_period(df, freq)
    top = (
        paper_counts(per, ngram, stopwords, papers=True, cache=cache)
        .set_index("term")["n"]
        .sort_index()
        .sort_values(ascending=False, kind="stable")
        .head(top_n)
        .index.tolist()
    )
    counted = paper_counts(per, ngram, stopwords, by="position", cache=cache)
    return _shares(per, counted, top)


# --------------------------------------------------------------------------------------------
# emerging and declining terms


def supported_counts(
    per: pd.DataFrame,
    periods: pd.DataFrame,
    terms: Keywords | None,
    ngram: int | Iterable[int],
    stopwords: Iterable[str] | None,
    min_papers: int,
    cache: CountCache | None = None,
) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct papers mentioning each term that at least ``min_papers`` mention (indexed by
    term, sorted), the period positions, papers mentioning each of those terms per period
    (terms x positions) and papers per period. Terms are ``terms`` matched as keywords, or
    every term of the tokeniser."""
    if terms is not None:
        mentions = keyword_mentions(per, as_concepts(terms))
        support = _keyword_support(per, mentions)
        counted = keyword_counts(per, mentions, "position")
    else:
        support = paper_counts(per, ngram, stopwords, papers=True, cache=cache)
        support = support.set_index("term")["n"]
        counted = paper_counts(per, ngram, stopwords, by="position", cache=cache)
    support = support[support >= min_papers].sort_index()
    kept = support.index.tolist()
    if not kept:
        return support, np.array([]), np.empty((0, 0)), np.array([])
    table = _shares(per, counted, kept)
    k = table.pivot(index="term", columns="position", values="n_mentioning").loc[kept]
    n = periods.set_index("position")["n_papers"].loc[k.columns].to_numpy(dtype=float)
    return support, k.columns.to_numpy(), k.to_numpy(dtype=float), n


def empty_frame(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """A frame with no rows and the schema's columns and dtypes (text columns as object)."""
    dtypes = {c: str(col.dtype) for c, col in schema.columns.items()}
    return pd.DataFrame(
        {c: pd.Series(dtype="object" if d == "str" else d) for c, d in dtypes.items()}
    )


def _sen_slopes(position: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per row of ``y``: the median of pairwise slopes, using the real distance between
    periods (gaps allowed)."""
    i, j = np.triu_indices(y.shape[1], k=1)
    out = np.empty(len(y))
    for rows in stats.row_blocks(len(y), len(i)):
        out[rows] = np.median((y[rows, j] - y[rows, i]) / (position[j] - position[i]), axis=1)
    return out


def emerging_terms(
    df: pd.DataFrame,
    freq: str = "M",
    min_papers: int = 5,
    terms: Keywords | None = None,
    ngram: int | Iterable[int] = 1,
    stopwords: Iterable[str] | None = None,
    alpha: float = 0.05,
    mk_min_periods: int = MK_MIN_PERIODS,
    cache: CountCache | None = None,
) -> pd.DataFrame:
    """Which terms rise or fall in share across periods, with a test, an effect size and
    FDR-corrected p-values. One row per term mentioned by at least ``min_papers`` papers.

    Terms are ``terms`` (matched like ``keyword_trends``) or, when None, every term of
    ``helpers.text.doc_terms``. Tests (``test`` column; ``reason`` says why):

    - ``n_periods >= mk_min_periods``: Mann-Kendall on the per-period shares; ``slope`` is Sen's
      slope (median pairwise change in share per period, using the real distance between
      periods, so a missing week is not ignored).
    - fewer periods: the early-vs-late G2 test (papers mentioning vs not, first half of the
      periods against the second half; the middle period is left out when their number is
      odd); ``slope`` is the change in share between the halves divided by the distance between
      their mean positions.

    The G2 comparison and its log-ratio effect size (log2 of late share over early share,
    +0.5 smoothing) are reported for every term. ``p_adj`` is Benjamini-Hochberg over all terms
    tested. ``direction`` is emerging/declining when ``p_adj < alpha`` (sign of Kendall's tau,
    or of the log-ratio for G2), else flat.

    >>> emerging_terms(papers, freq="W", min_papers=10).head(3)  # doctest: +SKIP
    """
    per = add_period(df, freq)
    periods = period_sizes(per)
    n_periods = len(periods)
    if n_periods < 2:
        raise ValueError(
            f"need at least 2 periods to compare, got {n_periods} (freq={freq!r}); "
            "use a finer freq or more dumps"
        )
    support, positions, counts, n = supported_counts(
        per, periods, terms, ngram, stopwords, min_papers, cache
    )
    kept = support.index.tolist()
    if not kept:
        return EMERGING_SCHEMA.validate(empty_frame(EMERGING_SCHEMA))
    pos = positions.astype(float)

    half = n_periods // 2
    early, late = slice(0, half), slice(n_periods - half, n_periods)
    a, n_late = counts[:, late].sum(axis=1), n[late].sum()
    b, n_early = counts[:, early].sum(axis=1), n[early].sum()
    g2 = stats.g2_2x2(a, b, n_late - a, n_early - b)
    p_g2 = stats.g2_pvalue(g2)
    lr = stats.log_ratio(a, n_late, b, n_early)
    early_share, late_share = b / n_early, a / n_late

    if n_periods >= mk_min_periods:
        shares = counts / n
        mk = stats.mann_kendall_rows(shares)
        tau, p_mk = mk["tau"], mk["p"]
        slope = _sen_slopes(pos, shares)
        p, sign = p_mk, np.sign(tau)
        test = "mann-kendall"
        reason = (
            f"{n_periods} periods (>= {mk_min_periods}): Mann-Kendall trend test on the "
            "per-period shares, Sen's slope"
        )
    else:
        tau = np.full(len(kept), np.nan)
        p_mk = np.full(len(kept), np.nan)
        gap = pos[late].mean() - pos[early].mean()
        slope = (late_share - early_share) / gap
        p, sign = p_g2, np.sign(lr)
        test = "g2 early vs late"
        reason = (
            f"only {n_periods} periods (< {mk_min_periods}): too few for a Mann-Kendall trend "
            f"test, so the first {half} period(s) are compared with the last {half} (G2)"
        )
    p_adj = stats.bh_adjust(p)
    significant = p_adj < alpha
    direction = np.where(
        significant & (sign > 0),
        "emerging",
        np.where(significant & (sign < 0), "declining", "flat"),
    )
    out = pd.DataFrame(
        {
            "term": kept,
            "direction": direction,
            "slope": slope.astype(float),
            "test": test,
            "p": np.asarray(p, dtype=float),
            "p_adj": p_adj,
            "n_periods": n_periods,
            "n_papers": support.to_numpy().astype(int),
            "early_share": early_share,
            "late_share": late_share,
            "log_ratio": lr,
            "g2": g2,
            "p_g2": p_g2,
            "tau": tau,
            "p_mk": p_mk,
            "reason": reason,
        }
    )
    rank = out["direction"].map({"emerging": 0, "declining": 1, "flat": 2})
    out = (
        out.assign(_rank=rank, _effect=-out["log_ratio"].abs())
        .sort_values(["_rank", "p_adj", "_effect", "term"], kind="stable")
        .drop(columns=["_rank", "_effect"])
        .reset_index(drop=True)
    )
    return EMERGING_SCHEMA.validate(out)


# --------------------------------------------------------------------------------------------
# trend topics and bursts live in helpers.analysis.trend_views; importable from here too

_MOVED = ("BURSTS_SCHEMA", "TOPICS_SCHEMA", "UNITS", "bursts", "trend_topics")


def __getattr__(name: str):
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module("helpers.analysis.trend_views"), name)
    raise AttributeError(f"module 'helpers.analysis.trends' has no attribute {name!r}")
