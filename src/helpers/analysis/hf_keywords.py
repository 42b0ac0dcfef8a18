"""Hugging Face's keywords (``hf_keywords``, machine-written per paper) against the project's
subject terms (the units of the signals). A keyword and a unit meet when their unit keys are
equal (:func:`helpers.analysis.signal_units.unit_keys`: the project's tokeniser, stopwords
dropped, Snowball stems), after an acronym in brackets is dropped from the keyword
("Reinforcement Pre-Training (RPT)" -> "reinforcement pre-training").

Per keyword: papers HF tags with it, papers whose text the project finds the same unit in,
and papers with both; ``agreement`` is both over HF's papers. The invariant: each paper
counts once (its first listing), and only papers with keywords count at all.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pandera.pandas as pa

from helpers.analysis.records import paper_records
from helpers.analysis.signal_units import NGRAM, unit_counts, unit_keys

_BRACKETS = re.compile(r"\s*\([^)]*\)")

KEYWORD_SCHEMA = pa.DataFrameSchema(
    {
        "keyword": pa.Column(str),
        "key": pa.Column(str),
        "hf_papers": pa.Column(int, pa.Check.ge(0)),
        "project_papers": pa.Column(int, pa.Check.ge(0)),
        "both": pa.Column(int, pa.Check.ge(0)),
        "agreement": pa.Column(float, nullable=True),
        "project_unit": pa.Column(bool),
    },
    strict=True,
)


def keyword_keys(keywords: pd.Series) -> pd.Series:
    """The unit key of each HF keyword (bracketed acronyms dropped), computed once per
    distinct keyword.

    >>> keyword_keys(pd.Series(["Pre-Training (RPT)", "pre-training"])).nunique()
    1
    """
    distinct = keywords.astype(str).unique()
    keys = unit_keys(_BRACKETS.sub("", k) for k in distinct)
    return keywords.astype(str).map(dict(zip(distinct, keys, strict=True)))


def keyword_agreement(
    papers: pd.DataFrame, min_papers: int = 10, cache=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(keywords, units) on the papers that have HF keywords.

    ``keywords``: one row per HF keyword key tagged on at least ``min_papers`` papers (its
    most used spelling in ``keyword``), with papers HF tags, papers the project's unit is
    found in, both, ``agreement`` and whether the project has the unit at all (with
    ``min_papers``). ``units``: the project's subject units on those papers with their papers
    and how many of them HF tags with the same key (``hf_papers``), most papers first.
    """
    records = paper_records(papers)
    records = records[records["hf_keywords"].map(len) > 0].reset_index(drop=True)
    if records.empty:
        empty = pd.DataFrame({c: [] for c in KEYWORD_SCHEMA.columns})
        return empty, pd.DataFrame({"unit": [], "key": [], "papers": [], "hf_papers": []})
    tagged = (
        records[["paper_id", "hf_keywords"]]
        .explode("hf_keywords")
        .rename(columns={"hf_keywords": "keyword"})
        .dropna()
    )
    tagged = tagged.assign(keyword=tagged["keyword"].astype(str).str.strip())
    tagged = tagged.assign(key=keyword_keys(tagged["keyword"]))
    tagged = tagged[tagged["key"] != ""].drop_duplicates(["paper_id", "key", "keyword"])
    per = records.assign(position=np.arange(len(records)))
    units, long = unit_counts(records, per, min_papers, NGRAM, None, cache)
    units = units.to_pandas()
    units = units[units["register"] == "subject"]
    found = long.to_pandas()
    found = found.assign(paper_id=records["paper_id"].to_numpy()[found["position"].to_numpy()])
    found = found[["paper_id", "key"]].drop_duplicates()
    hf = tagged.drop_duplicates(["paper_id", "key"])[["paper_id", "key"]]
    both = hf.merge(found, on=["paper_id", "key"])
    spelling = (
        tagged.groupby(["key", "keyword"]).size().rename("n").reset_index()
        .sort_values(["key", "n", "keyword"], ascending=[True, False, True])
        .drop_duplicates("key").set_index("key")["keyword"]
    )  # fmt: skip
    keywords = (
        hf.groupby("key").size().rename("hf_papers").to_frame()
        .join(found.groupby("key").size().rename("project_papers"))
        .join(both.groupby("key").size().rename("both"))
        .fillna(0)
        .reset_index()
    )  # fmt: skip
    keywords = keywords[keywords["hf_papers"] >= min_papers]
    keywords = keywords.assign(
        keyword=keywords["key"].map(spelling),
        agreement=keywords["both"] / keywords["hf_papers"],
        project_unit=keywords["key"].isin(units["key"]),
    ).astype({"hf_papers": int, "project_papers": int, "both": int, "keyword": str, "key": str})
    keywords = keywords.sort_values(["hf_papers", "key"], ascending=[False, True])
    keywords = KEYWORD_SCHEMA.validate(
        keywords[list(KEYWORD_SCHEMA.columns)].reset_index(drop=True)
    )
    unit_table = (
        units[["term", "key", "papers"]]
        .rename(columns={"term": "unit"})
        .merge(hf.groupby("key").size().rename("hf_papers").reset_index(), on="key", how="left")
        .fillna({"hf_papers": 0})
        .astype({"unit": str, "key": str, "papers": int, "hf_papers": int})
        .sort_values(["papers", "unit"], ascending=[False, True], ignore_index=True)
    )
    return keywords, unit_table


def agreement_summary(keywords: pd.DataFrame, units: pd.DataFrame, top_n: int = 50) -> dict:
    """Headline numbers: the papers-weighted agreement of HF keywords with the project's
    terms, and how many of the ``top_n`` of each side the other side lacks."""
    tags = keywords["hf_papers"].sum()
    top_hf = keywords.head(top_n)
    top_units = units.head(top_n)
    return {
        "agreement": float(keywords["both"].sum() / tags) if tags else float("nan"),
        "hf_only": int((~top_hf["project_unit"]).sum()),
        "project_only": int((top_units["hf_papers"] == 0).sum()),
        "top_n": int(min(top_n, len(top_hf), len(top_units))),
    }
