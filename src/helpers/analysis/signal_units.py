"""Signal units: the words and phrases of the project's tokeniser with inflection variants
merged, words inside one phrase reported as the phrase, and concepts (groups of keywords), with
the papers of each period mentioning each unit. :mod:`helpers.analysis.signals` tests them.

- Forms whose words are inflections of the same words ("agent", "agents"; "reasoning",
  "reasons", not "reasonable": :mod:`helpers.analysis.lemmas`) are one unit; its label is the
  form most papers use and ``variants`` lists the forms, most used first. A paper counts once
  for the unit whichever forms it uses.
- A phrase is a unit when its words go together more than chance (G2, ``PHRASE_G2``).
- An acronym the corpus defines and its expansion are one unit, "GRPO (group relative policy
  optimization)", and a word or phrase with ``ABSORB`` of its papers inside one longer phrase
  or acronym expansion folds into it (:mod:`helpers.analysis.concepts`).
- ``register`` is "style" for general-English words said about once per paper, else "subject".

The invariant: a unit's count in a period is the number of distinct rows of that period's papers
(``add_period``: one row per paper and period) that use any of its forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import polars as pl

from helpers.analysis import stats
from helpers.analysis.concepts import ACRONYM, acronym_units, unit_map
from helpers.analysis.lemmas import adjective_merges, word_keys
from helpers.analysis.periods import add_period, period_sizes
from helpers.analysis.trends import Keywords, as_concepts, keyword_mentions
from helpers.text import stopword_set
from helpers.text import stopwords as default_stopwords
from helpers.text.counting import CountCache, count_groups, fingerprint

NGRAM = (1, 2, 3)
"""Phrase lengths of the units (1 = words)."""

ABSORB = 0.8
"""A word or phrase with at least this share of its papers inside one longer phrase is
reported as the longer phrase."""
PHRASE_G2 = 10.83
"""Likelihood-ratio G2 a phrase's first and last words must reach together (chi-square, 1 df,
p = 0.001), with more occurrences than chance."""
GENERAL_ZIPF = 3.0
"""A word is general English when wordfreq gives it at least this Zipf frequency (once per
million words is 3.0): "remains" 4.8, "crucial" 4.3, "spanning" 3.5; "rollouts" 2.0."""
ONCE_PER_PAPER = 1.5
"""...and the papers that use it use it fewer than this many times on average: style words are
said once ("crucial" 1.0, "heterogeneous" 1.3), subject words are repeated by the papers about
them ("agents" 3.9, "trajectories" 1.7, "verification" 1.6). Measured on the real corpus; words
near the line ("loop" 1.49, "grounding" 1.56) could go either way."""


# --------------------------------------------------------------------------------------------
# units: words and phrases, variants merged, words inside one phrase reported as the phrase


def unit_keys(phrases: Iterable[str], stopwords: Iterable[str] | None = None) -> list[str]:
    """The unit key of each phrase written anywhere (a keyword list, a query): its words by the
    project's tokeniser, stopwords dropped, the words' inflection keys
    (:func:`helpers.analysis.lemmas.word_keys`) joined, so "Large Language Models" meets the
    unit of "large language model".

    >>> a, b = unit_keys(["Large Language Models (LLMs)", "large language model llm"])
    >>> a == b
    True
    """
    from helpers.text import tokenize

    stop = stopword_set(stopwords)
    words = [[w for w in tokenize(p) if w not in stop] for p in phrases]
    keys = word_keys({w for ws in words for w in ws})
    return [" ".join(keys[w] for w in ws) for ws in words]


_ZIPF: dict[str, float] = {}  # wordfreq's table is fixed: a word's frequency never changes


def _general_zipf(words: Iterable[str]) -> dict[str, float]:
    """wordfreq's Zipf frequency in English; hyphenated or digit-bearing tokens are terms of
    art, not general English (wordfreq would split "on-policy" into two common words)."""
    from wordfreq import zipf_frequency

    words = set(words)
    _ZIPF.update(
        (w, 0.0 if any(c.isdigit() or c == "-" for c in w) else zipf_frequency(w, "en"))
        for w in words - _ZIPF.keys()
    )
    return {w: _ZIPF[w] for w in words}


def _incidence(
    papers: pd.DataFrame, ngram: tuple[int, ...], stopwords, cache: CountCache | None = None
) -> pl.DataFrame:
    """One row per (row of ``papers``, term form): ``row`` (position), ``n`` (words), ``term``,
    ``count``. Counted on the papers as given, whatever the period, so every ``freq`` (and
    every later call on the same papers, given the same ``cache``) reuses the same counts."""
    text = (papers["title"].fillna("") + "\n\n" + papers["abstract"].fillna("")).tolist()
    base_key = ("incidence", tuple(ngram), stopword_set(stopwords))
    base = cache.peek(base_key) if cache is not None else None
    if base is not None:  # papers whose texts were all counted before (e.g. a subset)
        where, counted = base
        rows = [where.get(t) for t in text]
        if all(r is not None for r in rows):
            return _rows_of(counted, rows)
    counted = count_groups(text, np.arange(len(papers)), None, ngram, stopwords, cache=cache)
    inc = counted.select(pl.col("group").cast(pl.Int64).alias("row"), "n", "term", "count")
    if cache is not None and base is None:
        cache.get(base_key, lambda: ({t: i for i, t in reversed(list(enumerate(text)))}, inc))
    return inc


def _rows_of(inc: pl.DataFrame, rows: list[int]) -> pl.DataFrame:
    """The incidence of texts already counted: row ``i`` takes the term counts of row
    ``rows[i]`` of ``inc`` (a text's counts depend on that text alone), in the order
    :func:`helpers.text.counting.count_groups` gives (row, then count descending, term)."""
    wanted = pl.DataFrame(
        {"old": np.asarray(rows, dtype=np.int64), "row": np.arange(len(rows), dtype=np.int64)}
    )
    return (
        inc.rename({"row": "old"})
        .join(wanted, on="old", how="inner")
        .sort(["row", "count", "term"], descending=[False, True, False])
        .select("row", "n", "term", "count")
    )


def _unit_forms(inc: pl.DataFrame, min_papers: int) -> pl.DataFrame:
    """Term forms with their unit ``key`` (stems joined): words, and phrase forms whose
    words go together (G2) in a phrase unit that may reach ``min_papers``."""
    forms = inc.group_by("term").agg(
        pl.col("n").first(), pl.len().alias("papers"), pl.col("count").sum()
    )
    words = forms.filter(pl.col("n") == 1)
    word_count = dict(zip(words["term"].to_list(), words["count"].to_list(), strict=True))
    total = float(words["count"].sum())
    # a phrase form seen in one paper is dropped: it could only add that paper to its unit
    phrases = forms.filter((pl.col("n") > 1) & (pl.col("papers") >= 2))
    parts = phrases["term"].str.split(" ")
    firsts = np.array([word_count.get(w, 0) for w in parts.list.first().to_list()], dtype=float)
    lasts = np.array([word_count.get(w, 0) for w in parts.list.last().to_list()], dtype=float)
    c = phrases["count"].to_numpy().astype(float)
    c_first = np.maximum(firsts, c)
    c_last = np.maximum(lasts, c)
    g2 = stats.g2_2x2(c, c_first - c, c_last - c, np.maximum(total - c_first - c_last + c, 0))
    together = (g2 >= PHRASE_G2) & (c * total > c_first * c_last)
    phrases = phrases.filter(pl.Series(together))
    vocab = set(words["term"].to_list())
    vocab.update(w for ws in phrases["term"].str.split(" ").to_list() for w in ws)
    keys = _word_keys(inc, vocab)
    forms = pl.concat([words, phrases])
    phrase_keys = [" ".join(keys[w] for w in t.split(" ")) for t in forms["term"].to_list()]
    return forms.with_columns(key=pl.Series(phrase_keys, dtype=pl.String))


def _word_keys(inc: pl.DataFrame, vocab: set[str]) -> dict[str, str]:
    """Key of each word of ``vocab``: inflections share one (:mod:`helpers.analysis.lemmas`),
    and an adjective joins its noun when most of its papers use the noun ("agentic")."""
    keys = word_keys(vocab)
    derived = {k for k in keys.values() if "~" in k}
    nouns = {k.partition("~")[0] for k in derived} & set(keys.values())
    wanted = [
        w for w, k in keys.items() if k in nouns or (k in derived and k.split("~")[0] in nouns)
    ]
    rows = (
        inc.filter(pl.col("n") == 1)
        .filter(pl.col("term").is_in(pl.Series(wanted, dtype=pl.String).implode()))
        .select("row", key=pl.col("term").replace_strict(keys, default=None))
        .group_by("key")
        .agg(pl.col("row").unique())
    )
    merged = adjective_merges({k: set(r) for k, r in rows.iter_rows()})
    return {w: merged.get(k, k) for w, k in keys.items()}


def _phrase_key(keys: dict[str, str]):
    """The key of a phrase (its words' keys), for words met or not."""

    def key(phrase: str) -> str:
        words = phrase.split(" ")
        new = word_keys(w for w in words if w not in keys)
        return " ".join(keys.get(w) or new[w] for w in words)

    return key


def unit_counts(
    papers: pd.DataFrame,
    per: pd.DataFrame,
    min_papers: int,
    ngram: tuple[int, ...],
    stopwords,
    cache: CountCache | None = None,
) -> tuple:
    """The unit table (key, term label, variants, kind, papers, count) and the long table
    (key, position, k) of papers of each period mentioning each unit; ``per`` is
    ``add_period(papers)`` (its index: labels of ``papers``, which must be unique). With a
    ``cache``, equal inputs (the papers' texts, the rows of ``per``, the settings) are worked
    out once: signals, style signals, their charts and bursts share one result."""
    if cache is None:
        return _unit_counts(papers, per, min_papers, ngram, stopwords, None)
    text = papers["title"].fillna("") + "\n\n" + papers["abstract"].fillna("")
    texts = (
        fingerprint(pl.Series(text.astype(str).tolist(), dtype=pl.String)),
        tuple(ngram),
        stopword_set(stopwords),
        min_papers,
    )
    key = (
        "unit_counts",
        *texts,
        fingerprint(pl.Series(papers.index.get_indexer(per.index).astype(np.int64))),
        fingerprint(pl.Series(per["position"].to_numpy().astype(np.int64))),
        fingerprint(pl.Series(per["paper_id"].astype(str).tolist(), dtype=pl.String)),
    )
    return cache.get(
        key, lambda: _unit_counts(papers, per, min_papers, ngram, stopwords, cache, texts)
    )


def _unit_forms_of(papers, inc, min_papers, ngram, stopwords):
    """The forms of the units (term, n, papers, count, key), the incidence of forms added for
    acronyms, the acronym groups (key -> unit key) and table: they depend on the texts only."""
    forms = _unit_forms(inc, min_papers)
    text = (papers["title"].fillna("") + "\n\n" + papers["abstract"].fillna("")).tolist()
    words = forms.filter(pl.col("n") == 1)
    keys = dict(zip(words["term"], words["key"], strict=True))
    zipf = _general_zipf
    extra_forms, extra_inc, group, table = acronym_units(
        text,
        inc,
        forms,
        _phrase_key(keys),
        lambda shorts: {s: z >= GENERAL_ZIPF for s, z in zipf(shorts).items()},
        max(ngram),
        min_papers,
    )
    forms = pl.concat([forms, extra_forms.select(forms.columns)], how="vertical_relaxed")
    return forms, extra_inc, group, table


def _unit_counts(papers, per, min_papers, ngram, stopwords, cache, texts=None) -> tuple:
    inc = _incidence(papers, ngram, stopwords, cache)
    if cache is None:
        forms, extra, group, table = _unit_forms_of(papers, inc, min_papers, ngram, stopwords)
    else:  # the forms depend on the texts alone, not on the periods
        forms, extra, group, table = cache.get(
            ("unit_forms", *texts),
            lambda: _unit_forms_of(papers, inc, min_papers, ngram, stopwords),
        )
    rows = pl.DataFrame(
        {
            "row": papers.index.get_indexer(per.index).astype(np.int64),
            "position": per["position"].to_numpy().astype(np.int64),
            "paper": pd.factorize(per["paper_id"])[0].astype(np.int64),
        }
    )
    hits = (
        pl.concat([inc, extra.select(inc.columns)], how="vertical_relaxed")
        .join(forms.select("term", "key"), on="term", how="inner")
        .group_by("row", "key")
        .agg(pl.col("count").sum())
        .join(rows, on="row", how="inner")  # rows collapsed by add_period drop out
    )
    unit_of = unit_map(hits, group, min_papers, ABSORB)
    mapped = pl.col("key").replace(unit_of)
    hits = (
        hits.with_columns(key=mapped)
        .group_by("row", "key")
        .agg(pl.col("count").sum(), pl.col("position").first(), pl.col("paper").first())
    )
    units = hits.group_by("key").agg(
        pl.col("paper").n_unique().alias("papers"),
        pl.col("count").sum(),
        pl.len().alias("rows"),
    )
    units = units.filter(pl.col("papers") >= min_papers)
    own = forms.with_columns(unit=mapped).filter(
        (pl.col("unit") == pl.col("key")) | pl.col("unit").str.starts_with(ACRONYM)
    )
    labels = (
        own.filter(pl.col("unit").is_in(units["key"].implode()))
        .sort(["unit", "papers", "term"], descending=[False, True, False])
        .group_by("unit", maintain_order=True)
        .agg(
            pl.col("term").first().alias("term"),
            pl.col("term").head(6).str.join(", ").alias("variants"),
            pl.col("n").first(),
        )
        .rename({"unit": "key"})
    )
    acronym_labels = table.group_by("unit").agg(pl.col("label").first())
    labels = labels.join(acronym_labels.rename({"unit": "key"}), on="key", how="left")
    units = (
        units.join(labels, on="key")
        .with_columns(
            term=pl.coalesce("label", "term"),
            n=pl.when(pl.col("label").is_null()).then(pl.col("n")).otherwise(pl.lit(2)),
        )
        .drop("label")
    )
    units = units.with_columns(
        kind=pl.when(pl.col("n") == 1).then(pl.lit("word")).otherwise(pl.lit("phrase")),
        per_paper=pl.col("count") / pl.col("rows"),
    )
    stop_set = frozenset(default_stopwords() if stopwords is None else stopwords)
    words = forms.filter(pl.col("n") == 1)
    keys = dict(zip(words["term"], words["key"], strict=True))
    units = units.with_columns(register=pl.Series(_register(units, stop_set, keys)))
    per_period = (
        hits.filter(pl.col("key").is_in(units["key"].implode()))
        .group_by("key", "position")
        .agg(pl.len().alias("k"))
    )
    return units.join(_aliases(table), on="key", how="left"), per_period


def _aliases(table: pl.DataFrame) -> pl.DataFrame:
    """``key``, ``aliases``: the other names of each acronym unit (the short forms as written
    and as tokens, the expansion), joined by "|", for users who name the unit so."""
    names: dict[str, set[str]] = {}
    for unit, *other in table.select("unit", "display", "short", "long").iter_rows():
        names.setdefault(unit, set()).update(other)
    return pl.DataFrame(
        {"key": list(names), "aliases": ["|".join(sorted(n)) for n in names.values()]},
        schema={"key": pl.String, "aliases": pl.String},
    )


def _register(
    units: pl.DataFrame, stopwords: frozenset[str], word_key: dict[str, str]
) -> np.ndarray:
    """ "style" for general-English words said about once per paper (``GENERAL_ZIPF``,
    ``ONCE_PER_PAPER``) and for phrases made only of such words (and stopwords): "consistent
    gains", not "stable diffusion" ("diffusion" is repeated by the papers about it)."""
    terms, keys = units["term"].to_list(), units["key"].to_list()
    single = units["n"].to_numpy() == 1
    zipf = _general_zipf(t for t, one in zip(terms, single, strict=True) if one)
    word_style = {
        key: zipf[term] >= GENERAL_ZIPF and per_paper < ONCE_PER_PAPER
        for key, term, one, per_paper in zip(
            keys, terms, single, units["per_paper"].to_list(), strict=True
        )
        if one
    }
    style = [
        word_style.get(key, False)
        if one
        else all(
            w in stopwords or word_style.get(word_key.get(w, w), False) for w in term.split(" ")
        )
        for key, term, one in zip(keys, terms, single, strict=True)
    ]
    return np.where(style, "style", "subject")


# --------------------------------------------------------------------------------------------
# counts per period


def count_matrix(long: pd.DataFrame, keys: Sequence, positions: np.ndarray) -> np.ndarray:
    """Terms x periods counts from a long table (key, position, k); a key asked for twice
    (a unit named by two of its names) gives the same row twice."""
    unique = pd.Index(pd.unique(pd.Series(list(keys), dtype=object)))
    out = np.zeros((len(unique), len(positions)))
    if len(long):
        row = unique.get_indexer(long["key"])
        col = pd.Index(positions).get_indexer(long["position"])
        ok = (row >= 0) & (col >= 0)  # -1: a key or period not asked for
        np.add.at(out, (row[ok], col[ok]), long["k"].to_numpy(dtype=float)[ok])
    return out[unique.get_indexer(pd.Index(list(keys), dtype=object))]


def concept_counts(per: pd.DataFrame, concepts: Keywords) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Units of the concepts (term, variants, papers, count, per_paper) and their long counts."""
    groups = as_concepts(concepts)
    mentions = keyword_mentions(per, groups)
    hit = mentions.assign(
        position=per.loc[mentions["row"], "position"].to_numpy(),
        paper=per.loc[mentions["row"], "paper_id"].to_numpy(),
    )
    long = hit.groupby(["term", "position"]).size().rename("k").reset_index()
    units = pd.DataFrame(
        {
            "key": list(groups),
            "term": list(groups),
            "variants": [", ".join(m) for m in groups.values()],
            "papers": [int(hit.loc[hit["term"] == g, "paper"].nunique()) for g in groups],
        }
    )
    return units, long.rename(columns={"term": "key"})


def _split_terms(
    terms: Keywords | pd.DataFrame | None,
) -> tuple[list[str] | None, dict[str, tuple[str, ...]], list[str]]:
    """(unit labels, concepts, every label in the order given) of ``terms``: None (every
    unit), unit labels and concept mappings, or the rows of a signals table (its concept rows
    are their ``variants``)."""
    if terms is None:
        return None, {}, []
    if isinstance(terms, pd.DataFrame):
        is_concept = terms.get("kind", pd.Series("", index=terms.index)) == "concept"
        labels = terms.loc[~is_concept, "term"].astype(str).tolist()
        concepts = {
            str(t): tuple(str(v).split(", "))
            for t, v in zip(
                terms.loc[is_concept, "term"], terms.loc[is_concept, "variants"], strict=True
            )
        }
        return labels, concepts, terms["term"].astype(str).tolist()
    items = [terms] if isinstance(terms, (str, Mapping)) else list(terms)
    labels = [t.strip() for t in items if isinstance(t, str) and t.strip()]
    concepts = as_concepts([t for t in items if isinstance(t, Mapping)]) if items else {}
    order = [
        label
        for t in items
        for label in ([t.strip()] if isinstance(t, str) else as_concepts(t))
        if label
    ]
    return labels, concepts, list(dict.fromkeys(order))


def period_counts(
    papers: pd.DataFrame,
    freq: str = "W",
    terms: Keywords | pd.DataFrame | None = None,
    min_papers: int = 10,
    ngram: int | Iterable[int] = NGRAM,
    stopwords: Iterable[str] | None = None,
    register: str = "all",
    cache: CountCache | None = None,
) -> tuple[list[str], np.ndarray, pd.DataFrame, np.ndarray]:
    """The units of :func:`helpers.analysis.signals.signals` and the papers of each period
    mentioning each: ``(labels, papers per unit, periods, units x periods counts)``.

    ``terms`` None: every word and phrase unit that ``min_papers`` papers mention, by label
    (only those of ``register``, "subject" or "style", unless it is "all").
    Else unit labels (as in the signals table's ``term``; KeyError for one that is not a unit
    with these settings), concept mappings (``{"ssm": ["mamba", "state space model"]}``) or a
    signals table (its rows, concepts included), in the order given. ``periods`` is the
    periods table of :func:`helpers.analysis.periods.period_sizes` (period, period_start, position,
    n_papers). ``cache``: a :class:`helpers.text.counting.CountCache` held by the caller, so the
    papers' terms are counted once for every call on them.
    """
    papers = papers.reset_index(drop=True)  # a new frame: positions are labels
    per = add_period(papers, freq)
    periods = period_sizes(per)
    labels, concepts, order = _split_terms(terms)
    keys: dict[str, str] = {}
    support: dict[str, int] = {}
    parts = []
    if labels is None or labels:
        sizes = tuple(sorted({ngram} if isinstance(ngram, int) else set(ngram)))
        units, long = unit_counts(papers, per, min_papers, sizes, stopwords, cache)
        units = units.to_pandas().sort_values("term")
        keys.update(zip(units["term"], units["key"], strict=True))
        support.update(zip(units["term"], units["papers"], strict=True))
        for key, papers_, names in (
            units[["key", "papers", "aliases"]].dropna().itertuples(index=False)
        ):  # an acronym unit is also found by its short form or its expansion
            for name in names.split("|"):
                keys.setdefault(name, key)
                support.setdefault(name, papers_)
        parts.append(long.to_pandas())
        if labels is None:
            chosen = units if register == "all" else units[units["register"] == register]
            order = chosen["term"].tolist()
    if concepts:
        c_units, c_long = concept_counts(per, concepts)
        parts.append(c_long.assign(key="concept:" + c_long["key"]))
        keys.update({t: "concept:" + t for t in c_units["term"]})
        support.update(zip(c_units["term"], c_units["papers"], strict=True))
    missing = [t for t in order if t not in keys]
    if missing:
        raise KeyError(
            f"not units of the signals (min_papers={min_papers}, ngram={ngram}) or concepts: "
            f"{missing}"
        )
    long = pd.concat(parts) if parts else pd.DataFrame(columns=["key", "position", "k"])
    positions = periods["position"].to_numpy()
    k = count_matrix(long, [keys[t] for t in order], positions)
    return order, np.array([support[t] for t in order], dtype=int), periods, k
