"""What the papers talk about: term frequencies, distinctive terms per group, collocations.

Terms are those of :mod:`helpers.text` (the project's reference tokeniser), one document per
row of the papers frame. ``term_frequencies`` (and what builds on it) counts them with the Polars
engine of :mod:`helpers.text.counting`, which gives the same counts without a table of every
occurrence, so a million abstracts fit in memory; so does ``collocations`` (scored with
NumPy); ``term_occurrences`` still walks the texts in Python. A paper listed in two dumps is
two rows; drop duplicate ``paper_id`` first when you want each paper counted once over the
whole corpus.

>>> import pandas as pd
>>> papers = pd.DataFrame({"title": ["Sequential LLMs", "Iterative refinement"],
...                        "abstract": ["We study sequential models.", "Iterative models."]})
>>> term_frequencies(papers)[["term", "count", "doc_count", "share"]].head(2)
        term  count  doc_count  share
0     models      2          2    1.0
1  iterative      1          1    0.5
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa
import polars as pl

from helpers.analysis import stats
from helpers.text import Field, doc_terms, field_text, stopword_set
from helpers.text.counting import CountCache, count_groups

Measure = Literal["likelihood_ratio", "pmi", "chi_sq", "student_t", "poisson_stirling", "dice"]

_COUNTS = {
    "term": pa.Column(str, nullable=False),
    "count": pa.Column(int, pa.Check.ge(1)),
    "doc_count": pa.Column(int, pa.Check.ge(1)),
    "n_papers": pa.Column(int, pa.Check.ge(1)),
    "share": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
    "ci_low": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
    "ci_high": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
}
FREQUENCY_SCHEMA = pa.DataFrameSchema(
    _COUNTS,
    checks=[
        pa.Check(lambda d: d["doc_count"] <= d["count"], error="doc_count <= count"),
        pa.Check(lambda d: d["doc_count"] <= d["n_papers"], error="doc_count <= n_papers"),
        pa.Check(
            lambda d: (d["ci_low"] <= d["share"]) & (d["share"] <= d["ci_high"]),
            error="ci_low <= share <= ci_high",
        ),
    ],
    strict=False,  # the group columns (``by``) come first and keep their own dtypes
)

DISTINCTIVE_SCHEMA = pa.DataFrameSchema(
    {
        "group": pa.Column(nullable=False),
        "term": pa.Column(str, nullable=False),
        "count": pa.Column(int, pa.Check.ge(1)),
        "count_rest": pa.Column(int, pa.Check.ge(0)),
        "n_group": pa.Column(int, pa.Check.ge(1)),
        "n_rest": pa.Column(int, pa.Check.ge(1)),
        "doc_count": pa.Column(int, pa.Check.ge(1)),
        "g2": pa.Column(float, pa.Check.ge(0.0)),
        "log_ratio": pa.Column(float),
        "p_value": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
        "p_adj": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
    },
    strict=True,
)

COLLOCATION_SCHEMA = pa.DataFrameSchema(
    {
        "rank": pa.Column(int, pa.Check.ge(1)),
        "bigram": pa.Column(str),
        "first": pa.Column(str),
        "second": pa.Column(str),
        "count": pa.Column(int, pa.Check.ge(1)),
        "doc_count": pa.Column(int, pa.Check.ge(1)),
        "score": pa.Column(float),
    },
    checks=[pa.Check(lambda d: d["doc_count"] <= d["count"], error="doc_count <= count")],
    strict=True,
)


def _wilson(k: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # stats.wilson_interval can miss k/n by ~1e-16 at k=0 or k=n; keep share inside its interval
    lo, hi = stats.wilson_interval(k, n)
    share = k / n
    return np.minimum(lo, share), np.maximum(hi, share)


def _group_keys(by: str | list[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def term_occurrences(
    df: pd.DataFrame,
    ngram: int | Iterable[int] = 1,
    field: Field = "abstract",
    stopwords: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Long table of term occurrences: one row per term per paper, ``doc`` = row position in
    ``df`` (0-based), ``term``. Repeated terms repeat.

    >>> term_occurrences(pd.DataFrame({"abstract": ["Deep nets, deep nets."]}))
       doc  term
    0    0  deep
    1    0  nets
    2    0  deep
    3    0  nets
    """
    stop = stopword_set(stopwords)
    per_doc = [doc_terms(text, ngram, stop) for text in field_text(df, field)]
    lengths = np.fromiter((len(t) for t in per_doc), dtype=np.int64, count=len(per_doc))
    terms = [t for doc in per_doc for t in doc]
    return pd.DataFrame(
        {"doc": np.repeat(np.arange(len(per_doc), dtype=np.int64), lengths), "term": terms}
    ).astype({"term": "str"})


def term_frequencies(
    df: pd.DataFrame,
    ngram: int | Iterable[int] = 1,
    field: Field = "abstract",
    by: str | list[str] | None = None,
    stopwords: Iterable[str] | None = None,
    min_count: int = 1,
    cache: CountCache | None = None,
) -> pd.DataFrame:
    """Term counts, per group if ``by`` is given.

    Columns: the ``by`` columns, ``term``, ``count`` (occurrences), ``doc_count`` (papers using
    the term), ``n_papers`` (papers in the group), ``share`` = doc_count / n_papers with a 95%
    Wilson interval (``ci_low``, ``ci_high``). Sorted by group, then descending doc_count
    and count, then term.

    Parameters
    ----------
    df : the papers frame, one document per row.
    ngram : n-gram size(s), e.g. ``1`` or ``(1, 2)``.
    field : "abstract", "title" or "both" (:data:`helpers.text.FIELDS`).
    by : column(s) to count per group; None: the whole frame.
    stopwords : default :func:`helpers.text.stopwords`.
    min_count : terms with fewer occurrences (in their group) are left out.
    cache : a :class:`helpers.text.counting.CountCache` the caller holds, so that the analyses
        that need the same counts (per-group shares, distinctive terms) count once.

    >>> papers = pd.DataFrame({"abstract": ["Graph nets.", "Graph models, graph nets."]})
    >>> term_frequencies(papers)[["term", "count", "doc_count", "share"]]
         term  count  doc_count  share
    0   graph      3          2    1.0
    1    nets      2          2    1.0
    2  models      1          1    0.5
    """
    keys = _group_keys(by)
    text = field_text(df, field).reset_index(drop=True)
    if keys:
        # rows with a missing group key belong to no group (as in pandas' groupby)
        codes = df[keys].reset_index(drop=True).groupby(keys, sort=True, observed=True).ngroup()
        rows = np.flatnonzero(codes.notna().to_numpy() & (codes.to_numpy() >= 0))
        codes = codes.iloc[rows].astype("int64")
        groups = df[keys].reset_index(drop=True).iloc[rows].assign(group=codes.to_numpy())
        groups = groups.drop_duplicates("group").set_index("group").sort_index()
        n_papers = np.bincount(codes.to_numpy(), minlength=len(groups))
        counted = count_groups(
            text.iloc[rows], codes.to_numpy(), None, ngram, stopwords, cache=cache
        )
    else:
        n_papers = np.array([len(df)])
        counted = count_groups(text, None, None, ngram, stopwords, cache=cache)
        counted = counted.with_columns(group=0)
    kept = (  # count_groups orders by group, doc_count, count, term
        counted.filter(pl.col("count") >= min_count)
        .select(pl.col("group").cast(pl.Int64), "term", "count", "doc_count")
        .to_pandas()
    )
    group = kept["group"].to_numpy()
    total = n_papers[group].astype("int64")
    lo, hi = _wilson(kept["doc_count"].to_numpy(), total)
    out = kept.assign(
        n_papers=total, share=kept["doc_count"] / total, ci_low=lo, ci_high=hi
    ).astype({"term": "str", "count": "int64", "doc_count": "int64", "share": "float64"})
    if keys:
        labels = groups.iloc[group].reset_index(drop=True)
        out = pd.concat([labels, out], axis=1)
    return FREQUENCY_SCHEMA.validate(out[[*keys, *_COUNTS]])


GROUP_SHARES_SCHEMA = pa.DataFrameSchema(
    {
        "term": pa.Column(str, nullable=False),
        "count": pa.Column(int, pa.Check.ge(0)),
        "doc_count": pa.Column(int, pa.Check.ge(0)),
        "n_papers": pa.Column(int, pa.Check.ge(1)),
        "share": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
        "ci_low": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
        "ci_high": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
    },
    checks=[
        pa.Check(
            lambda d: (d["ci_low"] <= d["share"]) & (d["share"] <= d["ci_high"]),
            error="ci_low <= share <= ci_high",
        )
    ],
    strict=False,
)


def term_shares_by_group(
    df: pd.DataFrame,
    terms: Iterable[str],
    by: str = "dump_file",
    ngram: int | Iterable[int] = 1,
    field: Field = "abstract",
    stopwords: Iterable[str] | None = None,
    cache: CountCache | None = None,
) -> pd.DataFrame:
    """Share of papers using each of ``terms`` in every group, zeros included, with 95% Wilson
    intervals: one row per (group, term), groups in sorted order, terms in the given order.
    ``cache``: as in :func:`term_frequencies`.

    >>> papers = pd.DataFrame({"g": ["a", "a", "b"], "abstract": ["graph", "nets", "nets"]})
    >>> shares = term_shares_by_group(papers, ["graph", "nets"], by="g")
    >>> shares[["g", "term", "doc_count", "share"]]
       g   term  doc_count  share
    0  a  graph          1    0.5
    1  a   nets          1    0.5
    2  b  graph          0    0.0
    3  b   nets          1    1.0
    """
    terms = list(dict.fromkeys(terms))
    freq = term_frequencies(df, ngram, field, by=by, stopwords=stopwords, cache=cache)
    n_papers = df.groupby(by, observed=True).size()
    grid = pd.MultiIndex.from_product([n_papers.index, terms], names=[by, "term"])
    out = (
        freq.set_index([by, "term"])[["count", "doc_count"]]
        .reindex(grid, fill_value=0)
        .reset_index()
        .assign(n_papers=lambda d: d[by].map(n_papers).astype("int64"))
        .assign(share=lambda d: d["doc_count"] / d["n_papers"])
        .astype({"term": "str", "count": "int64", "doc_count": "int64", "share": "float64"})
    )
    lo, hi = _wilson(out["doc_count"].to_numpy(), out["n_papers"].to_numpy())
    return GROUP_SHARES_SCHEMA.validate(out.assign(ci_low=lo, ci_high=hi))


def distinctive_terms(
    df: pd.DataFrame,
    by: str = "dump_file",
    ngram: int | Iterable[int] = 1,
    field: Field = "abstract",
    stopwords: Iterable[str] | None = None,
    min_count: int = 3,
    unit: Literal["tokens", "papers"] = "tokens",
    cache: CountCache | None = None,
) -> pd.DataFrame:
    """Terms over-represented in each group against the rest of the corpus.

    For every group and every term used at least ``min_count`` times in it, a 2x2 table
    (term vs other terms, group vs rest) is scored with the log-likelihood G2 (Dunning 1993),
    its chi-square(1) p-value, and Hardie's log-ratio effect size (log2 of the relative
    frequencies, add-0.5 smoothing). p-values are Benjamini-Hochberg adjusted across all those
    tests (``p_adj``, false discovery rate); then only over-represented terms (more frequent in
    the group than expected, and positive log-ratio) are returned, sorted by group then
    descending ``g2``. With fewer than two groups the result is empty.

    Parameters
    ----------
    df, ngram, field, stopwords, cache : as in :func:`term_frequencies`.
    by : the column whose values are the groups.
    min_count : smallest count of a term in a group for it to be tested there.
    unit : "tokens" counts occurrences; "papers" counts papers containing the term.

    Columns: group, term, count (in group), count_rest, n_group, n_rest (group/rest totals of
    tokens or papers), doc_count, g2, log_ratio, p_value, p_adj.

    >>> papers = pd.DataFrame({"g": ["a"] * 3 + ["b"] * 3,
    ...     "abstract": ["sequential nets"] * 3 + ["iterative nets"] * 3})
    >>> distinctive_terms(papers, by="g", min_count=2)[["group", "term", "count"]]
      group        term  count
    0     a  sequential      3
    1     b   iterative      3
    """
    if unit not in ("tokens", "papers"):
        raise ValueError(f"unit must be 'tokens' or 'papers', got {unit!r}")
    freq = term_frequencies(df, ngram, field, by=by, stopwords=stopwords, cache=cache)
    value = "count" if unit == "tokens" else "doc_count"
    if unit == "tokens":
        n_group = freq.groupby(by, observed=True)["count"].transform("sum")
        total = int(freq["count"].sum())
    else:
        n_group = freq["n_papers"]
        total = int(df.groupby(by, observed=True).size().sum())
    term_total = freq.groupby("term", observed=True)[value].transform("sum")
    table = freq.assign(
        a=freq[value],
        b=term_total - freq[value],
        n_group=n_group,
        n_rest=total - n_group,
    )
    table = table.loc[(table["a"] >= min_count) & (table["n_rest"] > 0)]
    a, b = table["a"].to_numpy(), table["b"].to_numpy()
    n_g, n_r = table["n_group"].to_numpy(), table["n_rest"].to_numpy()
    g2 = stats.g2_2x2(a, b, n_g - a, n_r - b)
    p = stats.g2_pvalue(g2)
    scored = table.assign(
        g2=g2,
        log_ratio=stats.log_ratio(a, n_g, b, n_r),
        p_value=p,
        p_adj=stats.bh_adjust(p) if len(p) else p,
        over=a * n_r > b * n_g,
    )
    out = (
        scored.loc[scored["over"] & (scored["log_ratio"] > 0)]
        .rename(columns={by: "group", "b": "count_rest"})
        .assign(count=lambda d: d["a"])
        .astype({"count_rest": "int64", "n_group": "int64", "n_rest": "int64", "g2": "float64"})
        .sort_values(["group", "g2", "term"], ascending=[True, False, True], kind="stable")
        .reset_index(drop=True)[list(DISTINCTIVE_SCHEMA.columns)]
    )
    return DISTINCTIVE_SCHEMA.validate(out)


_MEASURES = ("likelihood_ratio", "pmi", "chi_sq", "student_t", "poisson_stirling", "dice")
_SMALL = 1e-20  # nltk's guard against division by zero and log(0)
_EXACT = 2**53  # integers up to here convert to float exactly (as Python's int / int does)


def _int_ratio(num: np.ndarray, den: int) -> np.ndarray:
    """``num / den`` for non-negative integers as Python computes it: correctly rounded, which
    differs from float(num) / float(den) only when an operand exceeds 2**53."""
    out = num.astype(np.float64) / float(den)
    big = np.flatnonzero(num >= _EXACT) if den < _EXACT else np.arange(len(num))
    for i in big:  # rare: words with counts in the hundreds of millions
        out[i] = int(num[i]) / den
    return out


def _int_product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a * b of non-negative int64 arrays, exact (object integers if int64 could overflow)."""
    if len(a) and float(a.max()) * float(b.max()) >= 2**62:
        return np.array([int(x) * int(y) for x, y in zip(a, b, strict=True)], dtype=object)
    return a * b


def _math(fn, values: np.ndarray) -> np.ndarray:
    """``fn`` (Python float arithmetic: math.log, ``**``) element by element: libm's rounding,
    as nltk gets it. NumPy's own log and power are vectorised (SIMD) and may differ in the last
    bit on some CPUs, which would break near-ties differently from nltk."""
    return np.fromiter(map(fn, values.tolist()), dtype=np.float64, count=len(values))


def _association(
    measure: str, n_ii: np.ndarray, n_ix: np.ndarray, n_xi: np.ndarray, n_xx: int
) -> np.ndarray:
    """nltk's ``BigramAssocMeasures.<measure>(n_ii, (n_ix, n_xi), n_xx)`` over arrays, with
    nltk's operations in nltk's order (so the floats, and hence the ties, are the same): n_ii
    is the bigram count (a float, as the finder passes it), n_ix / n_xi the counts of its first
    / second word among all tokens, n_xx the number of tokens. Logarithms and powers go
    through Python, as nltk's ``math.log`` and ``**`` do (see :func:`_math`); the
    arithmetic is IEEE and vectorised."""
    n_ii = n_ii.astype(np.float64)
    if measure in ("pmi", "student_t", "poisson_stirling"):
        product = _int_product(n_ix, n_xi)  # nltk multiplies the unigram counts as ints
        expected = _int_ratio(np.asarray(product), n_xx)
        if measure == "pmi":
            products = np.asarray(product, dtype=np.float64)
            return _math(math.log2, n_ii * float(n_xx)) - _math(math.log2, products)
        if measure == "student_t":
            return (n_ii - expected) / _math(lambda x: x**0.5, n_ii + _SMALL)
        return n_ii * (_math(math.log2, n_ii / expected) - 1)
    if measure == "dice":
        return 2 * n_ii / (n_ix + n_xi).astype(np.float64)
    # contingency table (n_ii, n_oi, n_io, n_oo), all floats since n_ii is one
    n_oi = n_xi.astype(np.float64) - n_ii
    n_io = n_ix.astype(np.float64) - n_ii
    n_oo = float(n_xx) - n_ii - n_oi - n_io
    if measure == "chi_sq":  # n_xx * phi_sq; phi_sq unpacks (n_ii, n_oi, n_io, n_oo) as
        a, b, c, d = n_ii, n_oi, n_io, n_oo  # (n_ii, n_io, n_oi, n_oo): same order kept
        den = (a + b) * (a + c) * (b + d) * (c + d)
        if (den == 0).any():
            raise ZeroDivisionError("float division by zero")  # as nltk
        return float(n_xx) * (_math(lambda x: x**2, a * d - b * c) / den)
    # likelihood_ratio: 2 * sum(obs * ln(obs / (exp + small) + small)), sums left to right
    cont = (n_ii, n_oi, n_io, n_oo)
    total_obs = ((cont[0] + cont[1]) + cont[2]) + cont[3]
    total = np.zeros(len(n_ii))
    for i in range(4):
        expected = (cont[i] + cont[i ^ 1]) * (cont[i] + cont[i ^ 2]) / total_obs
        ratio = cont[i] / (expected + _SMALL) + _SMALL
        if (ratio <= 0).any():
            raise ValueError("math domain error")  # as math.log in nltk
        total = total + cont[i] * _math(math.log, ratio)
    return 2 * total


def _bigram_table(
    texts: pd.Series, stop: frozenset[str], min_count: int, cache: CountCache | None = None
) -> tuple[pl.DataFrame, int]:
    """The counts nltk's finder gets from :func:`helpers.text.segments`, by the Polars engine:
    bigrams of adjacent tokens within a segment seen at least ``min_count`` times, neither word
    a stopword (first, second, count, doc_count), with the counts of their words among ALL
    tokens, stopwords included (n_ix, n_xi); and the number of tokens. Counting with no
    stopwords gives exactly those: unigrams are every token (the segments concatenated are
    the tokens), bigrams every adjacent pair of one segment."""
    counts = count_groups(texts, None, None, (1, 2), (), min_count=min_count, cache=cache)
    words = counts.filter(pl.col("n") == 1).select(word="term", freq="count")
    n_xx = int(words["freq"].sum()) if words.height else 0
    stop_list = pl.Series(sorted(stop), dtype=pl.String).implode()
    pairs = (
        counts.lazy()
        .filter(pl.col("n") == 2)
        .select(
            bigram="term",
            first=pl.col("term").str.split_exact(" ", 1).struct.field("field_0"),
            second=pl.col("term").str.split_exact(" ", 1).struct.field("field_1"),
            count="count",
            doc_count="doc_count",
        )
        .filter(~pl.col("first").is_in(stop_list) & ~pl.col("second").is_in(stop_list))
        .join(words.lazy().rename({"word": "first", "freq": "n_ix"}), on="first", how="left")
        .join(words.lazy().rename({"word": "second", "freq": "n_xi"}), on="second", how="left")
        .collect()
    )
    return pairs, n_xx


def collocations(
    df: pd.DataFrame,
    field: Field = "abstract",
    top_n: int | None = 30,
    min_count: int = 3,
    measure: Measure = "likelihood_ratio",
    stopwords: Iterable[str] | None = None,
    min_docs: int = 1,
    cache: CountCache | None = None,
) -> pd.DataFrame:
    """Bigrams that occur together more than chance, ranked by an association measure
    (nltk ``BigramAssocMeasures``: ``likelihood_ratio`` by default, or ``pmi``...).

    Bigrams never cross a sentence or punctuation break (each segment is a separate document for
    nltk's finder); bigrams containing a stopword and those seen fewer than ``min_count`` times
    are dropped, as are bigrams found in fewer than ``min_docs`` papers (PMI otherwise favours
    names repeated inside one abstract). The word counts in the scores are over all tokens,
    stopwords included. Sorted by descending score, then count, then bigram.
    Columns: rank, bigram, first, second, count, doc_count (papers), score.

    Parameters
    ----------
    df, field, stopwords, cache : as in :func:`term_frequencies` (the bigram counts do not
        depend on ``stopwords`` or ``measure``: collocations by several measures count once).
    top_n : rows returned (None: all).
    min_count, min_docs : fewest occurrences and fewest papers of a bigram kept.
    measure : the nltk association measure that scores the bigrams.

    Same table as nltk's ``BigramCollocationFinder`` over :func:`helpers.text.segments` (the
    tests compare them), counted by the Polars engine of :mod:`helpers.text.counting` and scored
    with NumPy, so it scales to a million abstracts.

    >>> papers = pd.DataFrame({"abstract": ["Graph neural networks work. Neural graph."] * 3})
    >>> collocations(papers, min_count=3)[["bigram", "count", "doc_count"]]
                bigram  count  doc_count
    0  neural networks      3          3
    1     graph neural      3          3
    2     neural graph      3          3
    """
    if measure not in _MEASURES:
        raise ValueError(f"measure must be one of {_MEASURES}, got {measure!r}")
    text = field_text(df, field)
    pairs, n_xx = _bigram_table(text, stopword_set(stopwords), min_count, cache)
    score = _association(
        measure,
        pairs["count"].to_numpy(),
        pairs["n_ix"].to_numpy(),
        pairs["n_xi"].to_numpy(),
        n_xx,
    )
    kept = (
        pairs.with_columns(score=pl.Series(score, dtype=pl.Float64))
        .filter(pl.col("doc_count") >= min_docs)
        .sort(["score", "count", "bigram"], descending=[True, True, False])
    )
    n_rows = kept.height if top_n is None else len(range(kept.height)[:top_n])  # as pandas head
    top = kept.head(n_rows)
    out = pd.DataFrame(
        {
            "rank": np.arange(1, top.height + 1, dtype=np.int64),
            **{c: top[c].to_list() for c in ("bigram", "first", "second")},
            **{c: top[c].to_numpy() for c in ("count", "doc_count", "score")},
        }
    ).astype(
        {"bigram": "str", "first": "str", "second": "str", "count": "int64"}
        | {"doc_count": "int64", "score": "float64"}
    )
    return COLLOCATION_SCHEMA.validate(out)


def cloud_frequencies(
    freq: pd.DataFrame, weight: str = "doc_count", top_n: int | None = 200
) -> dict[str, float]:
    """``{term: weight}`` for wordcloud's ``generate_from_frequencies`` from one group's rows of
    :func:`term_frequencies` (the ``top_n`` heaviest terms), so the cloud shows our counts and
    not wordcloud's own tokenising and plural folding.

    >>> freq = pd.DataFrame({"term": ["graph", "nets"], "doc_count": [2, 1]})
    >>> cloud_frequencies(freq)
    {'graph': 2.0, 'nets': 1.0}
    """
    if freq["term"].duplicated().any():
        raise ValueError("terms repeat: pass one group's rows of term_frequencies")
    top = freq.sort_values([weight, "term"], ascending=[False, True], kind="stable")
    if top_n is not None:
        top = top.head(top_n)
    return {str(t): float(w) for t, w in zip(top["term"], top[weight], strict=True) if w > 0}
