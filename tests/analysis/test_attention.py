"""Attention: planted upvote boosts are found with intervals that hold them, a flat subject
is "as many", and the lagged comparison returns both rows with intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
from support import make_papers

from helpers.analysis import attention
from helpers.testing.records import with_records

AFTER = ["results", "gains", "methods", "tasks", "claims", "models", "tools"]
SUBJECTS = ["graph networks", "protein folding", "speech recognition", "robot navigation"]


def planted(boost: dict[str, float], weeks: int = 8, per_week: int = 60, seed: int = 0):
    rows = []
    for week in range(weeks):
        for i in range(per_week):
            subject = SUBJECTS[(i + week) % len(SUBJECTS)]
            rows.append(
                {
                    "title": f"Paper {week}-{i}",
                    "abstract": f"We use {subject} here. Our {subject} {AFTER[i % 7]} hold.",
                    "dump_seq": week,
                    "dump_date": pd.Timestamp("2025-01-06") + pd.Timedelta(weeks=week),
                }
            )
    return with_records(make_papers(rows), boost=boost, seed=seed)


def test_planted_boost_gets_more_attention_and_its_interval_holds_the_truth():
    papers = planted({"protein folding": 3.0})
    membership = attention.subject_membership(papers, min_papers=20)
    table = attention.attention_shares(papers, membership, n_boot=200).set_index("unit")
    boosted = table.loc["protein folding"]
    # planted: 1/4 of papers with mean 30, 3/4 with mean 10 -> ratio 30 / 15 = 2
    assert boosted["attention"] == "more"
    assert boosted["ratio_lo"] < 2.0 < boosted["ratio_hi"]
    assert table.loc["speech recognition", "attention"] == "less"
    assert table["paper_share"].max() <= 1 and (table["ratio_lo"] <= table["ratio_hi"]).all()


def test_no_boost_gives_as_many_and_same_seed_same_intervals():
    papers = planted({})
    membership = attention.subject_membership(papers, min_papers=20)
    first = attention.attention_shares(papers, membership, n_boot=100, seed=3)
    again = attention.attention_shares(papers, membership, n_boot=100, seed=3)
    pd.testing.assert_frame_equal(first, again)
    subjects = first[first["unit"].isin(SUBJECTS)]
    assert len(subjects) == len(SUBJECTS)
    assert (subjects["attention"] == "as many").all()


def test_papers_without_upvotes_are_left_out_of_both_shares():
    papers = planted({"protein folding": 3.0})
    papers["upvotes"] = papers["upvotes"].where(papers["dump_seq"] > 0)  # first week unknown
    membership = attention.subject_membership(papers, min_papers=20)
    table = attention.attention_shares(papers, membership, n_boot=50)
    assert table["papers"].max() <= (papers["dump_seq"] > 0).sum()


def test_by_period_shares_add_up_and_lead_has_both_comparisons():
    papers = planted({"protein folding": 3.0}, weeks=10)
    themes = pd.DataFrame(
        {"paper_id": papers["paper_id"], "unit": papers["abstract"].str.extract(r"use (\w+)")[0]}
    )
    by = attention.attention_by_period(papers, themes, freq="W")
    sums = by.groupby("position")[["paper_share", "upvote_share"]].sum()
    assert np.allclose(sums, 1.0)
    lead = attention.attention_lead(by, n_boot=50)
    assert lead["comparison"].tolist() == [attention.LEADS, attention.FOLLOWS]
    assert (lead["units"] == len(SUBJECTS)).all()
    assert attention.lead_text(lead)


def test_top_upvoted_ranks_within_unit_and_period():
    papers = planted({"protein folding": 3.0}, weeks=2)
    themes = pd.DataFrame({"paper_id": papers["paper_id"], "unit": "all"})
    top = attention.top_upvoted(papers, themes, freq="W", n=2)
    assert top["rank"].tolist() == [1, 2, 1, 2]
    best = papers[papers["dump_seq"] == 0]["upvotes"].max()
    assert top.iloc[0]["upvotes"] == best


def test_empty_membership_gives_empty_tables():
    papers = planted({}, weeks=1, per_week=5)
    empty = pd.DataFrame({"paper_id": pd.Series([], dtype=str), "unit": pd.Series([], dtype=str)})
    assert attention.attention_shares(papers, empty).empty


def test_theme_membership_and_extremes():
    assignments = pd.DataFrame({"paper_id": ["a", "b", "c"], "topic": [0, 1, -1]})
    topics = pd.DataFrame({"topic": [0, 1], "label": ["agents", "video"]})
    themes = attention.theme_membership(assignments, topics)
    assert themes.values.tolist() == [["a", "agents"], ["b", "video"]]
    papers = planted({"protein folding": 3.0})
    table = attention.attention_shares(
        papers, attention.subject_membership(papers, min_papers=20), n_boot=100
    )
    extremes = attention.attention_extremes(table, 1)
    assert extremes["attention"].tolist() == ["more", "less"]
