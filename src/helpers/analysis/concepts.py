"""Which term forms are one concept of the signals: an acronym and its expansion, and a phrase
with the longer phrase it lives inside.

- An acronym the corpus defines (:mod:`helpers.analysis.acronyms`) is one unit with the
  expansion most of its defining papers give: "grpo" and "group relative policy optimization",
  labelled "GRPO (group relative policy optimization)". An expansion longer than the unit
  phrases (3 words) is found in the texts as a whole phrase. Acronyms that are general English
  words ("CLIP" is also "clip") keep their word apart, and so do expansions that papers
  mostly write without the acronym (``DEFINED_SHARE``). Short forms with the same expansion
  are one unit.
- A word or phrase with ``absorb`` of its papers inside one longer phrase folds into it
  ("splatting" into "gaussian splatting"; "relative policy optimization" into GRPO's unit):
  for an ordinary longer phrase the share is the longer phrase's papers over the shorter's
  (the longer one's papers all hold the shorter one), for an acronym's expansion it is the
  share of the shorter phrase's papers that name the acronym or its expansion.

The invariant: :func:`unit_map` sends every key to one unit key, a fold always goes to a
longer phrase (so there are no cycles), and the keys of an acronym unit are never folded away.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import polars as pl

from helpers.analysis.acronyms import definitions, expansions, phrase_mentions

DEFINED_SHARE = 0.1
"""An acronym joins its expansion when at least this share of the papers writing the expansion
(forms of its key) define the acronym with it: one paper's "On-Policy (OPO)" does not take
"on-policy" (179 papers) away from its own row."""
ACRONYM = "="
"""Unit keys of acronyms start with this (then the expansion's key)."""


def acronym_units(
    texts: Sequence[str],
    inc: pl.DataFrame,
    forms: pl.DataFrame,
    phrase_key: Callable[[str], str],
    is_general: Callable[[list[str]], Mapping[str, bool]],
    max_n: int,
    min_papers: int,
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, str], pl.DataFrame]:
    """The acronyms of ``texts`` as units: ``(forms to add, incidence to add, key -> unit key,
    acronym table)``. ``inc`` and ``forms`` are the incidence and forms of the signals
    (``term``, ``n``, ``papers``, ``count``, ``key``); expansions missing from ``forms`` are
    added to them, from ``inc`` when they have at most ``max_n`` words, else found in the texts
    (only for acronyms whose unit may reach ``min_papers``).
    The table has ``unit`` (key), ``label``, ``short``, ``display``, ``long``."""
    table = expansions(definitions(texts), phrase_key)
    short_key = dict(zip(forms["term"], forms["key"], strict=True))
    general = is_general(table["short"].to_list())
    table = table.filter(
        pl.col("short").is_in(
            pl.Series(
                [s for s in table["short"] if s in short_key and not general[s]], dtype=pl.String
            ).implode()
        )
    ).with_columns(
        unit=pl.lit(ACRONYM) + pl.col("long_key"),
        label=pl.col("display") + " (" + pl.col("long") + ")",
        short_key=pl.col("short").replace_strict(short_key, default=None),
    )
    long_papers = forms.group_by("key").agg(pl.col("papers").sum().alias("long_papers"))
    table = table.join(long_papers.rename({"key": "long_key"}), on="long_key", how="left")
    table = table.filter(
        (pl.col("short_key") != pl.col("long_key"))
        & (pl.col("defined") >= DEFINED_SHARE * pl.col("long_papers").fill_null(0))
    ).drop("long_papers")
    # short forms with one expansion are one unit, labelled by the most defined
    table = table.sort(["long_key", "defined", "short"], descending=[False, True, False])
    first = table.group_by("long_key", maintain_order=True).agg(pl.col("label").first())
    table = table.drop("label").join(first, on="long_key")
    group = dict(zip(table["short_key"], table["unit"], strict=True))
    group.update(zip(table["long_key"], table["unit"], strict=True))
    known = set(forms["term"].to_list())
    surfaces = table.select("long_key", "surfaces").explode("surfaces")
    missing = surfaces.filter(~pl.col("surfaces").is_in(pl.Series(list(known)).implode()))
    words = missing["surfaces"].str.count_matches(" ") + 1
    short = missing.filter(words <= max_n)["surfaces"]
    long = _may_reach(missing.filter(words > max_n), forms, group, min_papers)
    extra_inc = pl.concat(
        [
            inc.filter(pl.col("term").is_in(short.implode())),
            phrase_mentions(texts, long).select(
                "row",
                n=pl.col("term").str.count_matches(" ").cast(inc["n"].dtype) + 1,
                term="term",
                count=pl.col("count").cast(inc["count"].dtype),
            ),
        ],
        how="vertical_relaxed",
    )
    extra_forms = (
        extra_inc.group_by("term")
        .agg(pl.col("n").first(), pl.len().alias("papers"), pl.col("count").sum())
        .join(missing.rename({"surfaces": "term", "long_key": "key"}), on="term")
        .unique("term")
    )
    return extra_forms, extra_inc, group, table


def _may_reach(
    missing: pl.DataFrame, forms: pl.DataFrame, group: Mapping[str, str], min_papers: int
) -> list[str]:
    """The expansions (``surfaces``) whose acronym unit may reach ``min_papers``: the papers
    of its forms plus those of the rarest word of the expansion (an upper bound of the
    expansion's papers) reach it."""
    unit_papers: dict[str, int] = {}
    for key, papers in forms.select("key", "papers").iter_rows():
        if key in group:
            unit_papers[group[key]] = unit_papers.get(group[key], 0) + papers
    words = forms.filter(pl.col("n") == 1)
    word_papers = dict(zip(words["term"], words["papers"], strict=True))
    return [
        surface
        for key, surface in missing.select("long_key", "surfaces").iter_rows()
        if unit_papers.get(group[key], 0) + min(word_papers.get(w, 0) for w in surface.split(" "))
        >= min_papers
    ]


def unit_map(
    hits: pl.DataFrame, group: Mapping[str, str], min_papers: int, absorb: float
) -> dict[str, str]:
    """Key -> unit key for the keys that are not their own unit: the keys of acronym units
    (``group``) and the words and phrases folded into a longer phrase (see the module).
    ``hits``: one row per (row of the papers, key) with ``paper``."""
    key_papers = hits.group_by("key").agg(pl.col("paper").n_unique().alias("papers"))
    key_papers = key_papers.filter(pl.col("papers") >= absorb * min_papers)
    papers = dict(zip(key_papers["key"], key_papers["papers"], strict=True))
    longer = {k for k in papers if " " in k} | {k for k in group if " " in k}
    best: dict[str, tuple[float, str]] = {}
    overlap: list[tuple[str, str]] = []
    for key in longer:
        words = key.split(" ")
        for size in range(1, len(words)):
            for start in range(len(words) - size + 1):
                sub = " ".join(words[start : start + size])
                if papers.get(sub, 0) < min_papers or sub in group:
                    continue
                if key in group:
                    overlap.append((sub, key))
                elif key in papers:
                    share = papers[key] / papers[sub]
                    if share > best.get(sub, (0.0, ""))[0]:
                        best[sub] = (share, key)
    for (sub, key), share in _overlaps(hits, overlap, group).items():
        if share > best.get(sub, (0.0, ""))[0]:
            best[sub] = (share, key)
    out = dict(group)
    for sub in sorted(best, key=lambda s: -s.count(" ")):  # longer first: chains resolve
        share, key = best[sub]
        if share >= absorb:
            out[sub] = out.get(key, key)
    return out


def _overlaps(
    hits: pl.DataFrame, pairs: list[tuple[str, str]], group: Mapping[str, str]
) -> dict[tuple[str, str], float]:
    """Share of the papers of each ``sub`` that name the acronym unit of ``key``."""
    if not pairs:
        return {}
    subs = {s for s, _ in pairs}
    units = {group[k] for _, k in pairs}
    members = {k for k, u in group.items() if u in units}
    wanted = hits.filter(pl.col("key").is_in(pl.Series(list(subs | members)).implode()))
    sets = {k: set(p) for k, p in wanted.group_by("key").agg(pl.col("paper").unique()).iter_rows()}
    unit_sets: dict[str, set] = {}
    for k in members:
        unit_sets.setdefault(group[k], set()).update(sets.get(k, ()))
    return {
        (s, k): len(sets.get(s, set()) & unit_sets.get(group[k], set())) / max(len(sets[s]), 1)
        for s, k in pairs
        if s in sets
    }
