"""Keyword trends on synthetic corpora with planted trends (helpers.testing.synth)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from support import make_papers

from helpers.analysis import trends
from helpers.testing import synth


def synthetic_papers(**kwargs) -> pd.DataFrame:
    """A papers frame built from synthetic dumps (short abstracts keep the tests fast)."""
    kwargs.setdefault("words_per_abstract", (25, 45))
    frame = synth.papers_frame(synth.iter_dumps(**kwargs))
    return make_papers(frame.to_dict("records"))


@pytest.fixture(scope="module")
def five_months():
    """Daily dumps from Dec 2023 to Apr 2024, like the acceptance case for "mamba"."""
    return synthetic_papers(
        n_dumps=150,
        papers_per_dump=(35, 60),
        start_date="2023-12-01",
        freq_days=1,
        planted={
            "mamba": (0.0, 0.05),
            "transformer": 0.3,
            "gaussian splatting": 0.04,
            "convolution": (0.08, 0.0),
        },
        repeat_share=0.1,
        seed=42,
    )


@pytest.fixture(scope="module")
def daily_trends(five_months):
    return trends.emerging_terms(
        five_months,
        freq="D",
        min_papers=5,
        terms=["mamba", "transformer", "gaussian splatting", "convolution"],
    ).set_index("term")


def test_rising_term_is_emerging_with_positive_slope(daily_trends):
    mamba = daily_trends.loc["mamba"]
    assert mamba["direction"] == "emerging"
    assert mamba["slope"] > 0
    assert mamba["p_adj"] < 0.001
    assert mamba["test"] == "mann-kendall"
    assert mamba["late_share"] > mamba["early_share"]
    assert mamba["log_ratio"] > 0


def test_flat_terms_are_not_emerging(daily_trends):
    for term in ("transformer", "gaussian splatting"):
        assert daily_trends.loc[term, "direction"] == "flat"
        assert daily_trends.loc[term, "p_adj"] > 0.05


def test_falling_term_is_declining(daily_trends):
    row = daily_trends.loc["convolution"]
    assert row["direction"] == "declining"
    assert row["slope"] < 0
    assert row["log_ratio"] < 0


@pytest.mark.parametrize("freq", ["W", "M"])
def test_coarser_periods_agree(five_months, freq):
    out = trends.emerging_terms(
        five_months, freq=freq, terms=["mamba", "transformer", "convolution"]
    ).set_index("term")
    assert out.loc["mamba", "direction"] == "emerging"
    assert out.loc["convolution", "direction"] == "declining"
    assert out.loc["transformer", "direction"] == "flat"
    expected = "mann-kendall" if out["n_periods"].iloc[0] >= trends.MK_MIN_PERIODS else "g2"
    assert out["test"].iloc[0].startswith(expected)


def test_two_periods_fall_back_to_g2_and_say_so():
    papers = synthetic_papers(
        n_dumps=2, papers_per_dump=120, planted={"mamba": (0.0, 0.4), "transformer": 0.3}, seed=1
    )
    out = trends.emerging_terms(papers, freq="dump", terms=["mamba", "transformer"])
    out = out.set_index("term")
    assert set(out["test"]) == {"g2 early vs late"}
    assert (out["n_periods"] == 2).all()
    assert out["reason"].str.contains("too few for a Mann-Kendall").all()
    assert out["tau"].isna().all()
    assert out.loc["mamba", "direction"] == "emerging"
    assert out.loc["mamba", "slope"] == pytest.approx(
        out.loc["mamba", "late_share"] - out.loc["mamba", "early_share"]
    )
    assert out.loc["transformer", "direction"] == "flat"
    # the G2 p-value is the one adjusted
    assert (out["p"] == out["p_g2"]).all()


def test_single_period_is_an_error():
    papers = synthetic_papers(n_dumps=1, papers_per_dump=10, seed=2)
    with pytest.raises(ValueError, match="at least 2 periods"):
        trends.emerging_terms(papers, freq="dump", terms=["model"])


def test_keyword_trends_counts_shares_and_wilson_bounds(five_months):
    out = trends.keyword_trends(five_months, ["mamba", "transformer"], freq="W")
    assert set(out["term"]) == {"mamba", "transformer"}
    assert np.allclose(out["share"], out["n_mentioning"] / out["n_papers"])
    assert (out["ci_low"] <= out["share"]).all() and (out["share"] <= out["ci_high"]).all()
    assert ((out["ci_high"] - out["ci_low"]) > 0).all()
    # each term has every period, in time order, with the same period sizes
    for _, part in out.groupby("term"):
        assert part["period_start"].is_monotonic_increasing
        assert part["period_start"].is_unique
    sizes = out.pivot(index="period", columns="term", values="n_papers")
    assert (sizes["mamba"] == sizes["transformer"]).all()


def test_whole_word_case_insensitive_multiword_matching():
    papers = make_papers(
        [
            {"title": "MAMBA for vision", "abstract": "A study."},
            {"title": "Mambas are snakes", "abstract": "Not a mention of the model."},
            {"title": "Hybrids", "abstract": "A Mamba-based state-space model for LLMs."},
            {"title": "Other", "abstract": "State space models, plural, and an llm."},
            {"title": "Nothing", "abstract": "Transformers only."},
        ]
    )
    out = trends.keyword_trends(
        papers, ["mamba", "state space model", "LLMs", "transformer"], freq="D"
    ).set_index("term")
    assert out.loc["mamba", "n_mentioning"] == 2  # "MAMBA", "Mamba-based"; not "Mambas"
    assert out.loc["state space model", "n_mentioning"] == 1  # hyphen variant; not plural
    assert out.loc["LLMs", "n_mentioning"] == 2  # "LLMs" and "llm" normalise to one term
    assert out.loc["transformer", "n_mentioning"] == 0
    assert (out["n_papers"] == 5).all()
    # one string is one keyword, not a list of characters
    single = trends.keyword_trends(papers, "state space model", freq="D")
    assert single["term"].tolist() == ["state space model"]


def test_a_paper_counts_once_per_period():
    rows = [
        # the same paper in two dumps of the same week, and a third dump the week after
        {"title": "Mamba again", "abstract": "About mamba.", "dump_seq": 0,
         "dump_date": "2024-03-11"},
        {"title": "Mamba again", "abstract": "About mamba.", "dump_seq": 1,
         "dump_date": "2024-03-12"},
        {"title": "Other paper", "abstract": "Nothing here.", "dump_seq": 1,
         "dump_date": "2024-03-12"},
        {"title": "Mamba again", "abstract": "About mamba.", "dump_seq": 2,
         "dump_date": "2024-03-19"},
    ]  # fmt: skip
    papers = make_papers(rows)
    weekly = trends.keyword_trends(papers, ["mamba"], freq="W")
    assert weekly["n_papers"].tolist() == [2, 1]
    assert weekly["n_mentioning"].tolist() == [1, 1]
    daily = trends.keyword_trends(papers, ["mamba"], freq="D")
    assert daily["n_papers"].tolist() == [1, 2, 1]
    assert daily["n_mentioning"].tolist() == [1, 1, 1]
    per_dump = trends.keyword_trends(papers, ["mamba"], freq="dump")
    assert per_dump["period"].tolist() == ["000 2024-03-11", "001 2024-03-12", "002 2024-03-19"]
    assert per_dump["position"].tolist() == [0, 1, 2]


def test_periods_roll_over_the_year_boundary():
    papers = synthetic_papers(
        n_dumps=6, papers_per_dump=5, start_date="2023-12-29", freq_days=2, seed=3
    )
    out = trends.keyword_trends(papers, ["model"], freq="M")
    assert out["period"].tolist() == ["2023-12", "2024-01"]
    assert np.diff(out["position"]).tolist() == [1]
    assert out["n_papers"].sum() == len(papers)


def test_inputs_are_not_mutated(five_months):
    before = five_months.copy()
    trends.keyword_trends(five_months, ["mamba"], freq="M")
    trends.emerging_terms(five_months, freq="M", terms=["mamba"])
    pd.testing.assert_frame_equal(five_months, before)


def test_bad_freq_is_rejected(five_months):
    with pytest.raises(ValueError, match="freq must be one of"):
        trends.keyword_trends(five_months, ["mamba"], freq="Y")


def test_sen_slope_uses_real_distance_between_periods():
    # a missing period (position 1) must not double the slope
    rows = np.array([[0.0, 0.2, 0.3], [0.3, 0.1, 0.0]])
    slopes = trends._sen_slopes(np.array([0.0, 2.0, 3.0]), rows)
    assert slopes == pytest.approx([0.1, -0.1])


def test_emerging_terms_from_the_tokeniser():
    papers = synthetic_papers(
        n_dumps=30,
        papers_per_dump=40,
        start_date="2024-01-01",
        freq_days=2,
        planted={"mamba": (0.0, 0.3), "hallucination": (0.3, 0.0)},
        seed=5,
    )
    out = trends.emerging_terms(papers, freq="D", min_papers=10)
    assert (out["n_papers"] >= 10).all()
    assert out["term"].is_unique
    assert {"the", "of", "and"}.isdisjoint(out["term"])  # stopwords are not terms
    by_term = out.set_index("term")
    assert by_term.loc["mamba", "direction"] == "emerging"
    assert by_term.loc["hallucination", "direction"] == "declining"
    # emerging terms come first, then declining, then flat
    order = out["direction"].map({"emerging": 0, "declining": 1, "flat": 2})
    assert order.is_monotonic_increasing
    heat = trends.top_term_trends(papers, freq="M", top_n=5)
    assert heat["term"].nunique() == 5
    assert heat.groupby("term").size().nunique() == 1  # every term has every period


def test_trend_topics_quartiles(five_months):
    out = trends.trend_topics(five_months, ["mamba", "transformer", "convolution"])
    by_term = out.set_index("term")
    # a rising term is mentioned later on average than a flat one, a falling one earlier
    assert by_term.loc["mamba", "median"] > by_term.loc["transformer", "median"]
    assert by_term.loc["convolution", "median"] < by_term.loc["transformer", "median"]
    assert out["median"].is_monotonic_increasing
    # each paper counts once even when listed in several dumps
    unique_papers = five_months.drop_duplicates("paper_id")
    hits = (unique_papers["title"] + " " + unique_papers["abstract"]).str.contains(
        r"(?<![^\W_])transformer(?![^\W_])", case=False
    )
    assert by_term.loc["transformer", "n_papers"] == hits.sum()
    top = trends.trend_topics(five_months.head(400), top_n=3, min_papers=5)
    assert len(top) == 3


def test_bursts_find_the_planted_burst_and_nothing_in_a_flat_term():
    shares = [0.03] * 30
    shares[10:15] = [0.25] * 5
    papers = synthetic_papers(
        n_dumps=30, papers_per_dump=60, planted={"burst": shares, "flat": 0.1}, seed=3
    )
    out = trends.bursts(papers, freq="dump", terms=["burst", "flat"])
    assert "flat" not in set(out["term"])
    top = out.iloc[0]
    assert top["term"] == "burst"
    assert top["first_period"].startswith("010") and top["last_period"].startswith("014")
    assert top["n_periods"] == 5
    assert top["burst_share"] > 2 * top["base_share"]
    assert out["weight"].is_monotonic_decreasing


def test_bursts_need_more_than_one_period():
    papers = synthetic_papers(n_dumps=1, papers_per_dump=10, seed=2)
    assert trends.bursts(papers, freq="dump", terms=["model"]).empty


@pytest.mark.parametrize("ngram", [1, (1, 2)])
def test_paper_counts_equal_the_reference_tokeniser(ngram):
    from helpers.ingest.load import load_dumps
    from helpers.text import doc_terms, stopwords

    seeds = load_dumps("data/raw")  # the two seeds share papers: repeated paper_ids
    odd = seeds.head(2).assign(abstract=["Émoji 😀 graph models.", None], dump_seq=9)
    per = trends.add_period(pd.concat([seeds, odd], ignore_index=True), "dump")
    text = per["title"].fillna("") + "\n\n" + per["abstract"].fillna("")
    terms = text.map(lambda t: set(doc_terms(t, ngram, stopwords())))
    long = pd.DataFrame(
        {"paper_id": per["paper_id"], "position": per["position"], "term": terms}
    ).explode("term")
    papers = long.drop_duplicates(["paper_id", "term"]).groupby("term").size()
    by_period = long.groupby(["term", "position"]).size()
    fast = trends.paper_counts(per, ngram, papers=True).set_index("term")["n"]
    pd.testing.assert_series_equal(fast.sort_index(), papers.rename("n"), check_dtype=False)
    fast = trends.paper_counts(per, ngram, by="position").set_index(["term", "position"])["n"]
    pd.testing.assert_series_equal(fast.sort_index(), by_period.rename("n"), check_dtype=False)
    # repeated papers count once overall but once in each period they appear in
    assert (papers < long.groupby("term").size()).any()


# --------------------------------------------------------------------------------------------
# concepts: a keyword may be a group of keywords


def test_a_concept_counts_a_paper_once_whichever_member_it_uses(five_months):
    concept = {"sequence models": ["mamba", "convolution"]}
    kw = trends.keyword_trends(five_months, [concept, "mamba"], freq="M")
    assert kw["term"].unique().tolist() == ["sequence models", "mamba"]
    members = trends.keyword_trends(five_months, ["mamba", "convolution"], freq="M")
    text = (five_months["title"] + " " + five_months["abstract"]).str.lower()
    per = trends.add_period(five_months, "M")
    both = (
        per.assign(hit=text.loc[per.index].str.contains(r"\bmamba\b|\bconvolution\b"))
        .groupby("position")["hit"]
        .sum()
    )
    concept_counts = kw[kw["term"] == "sequence models"].set_index("position")["n_mentioning"]
    assert concept_counts.to_dict() == both.astype(int).to_dict()
    summed = members.groupby("position")["n_mentioning"].sum()
    assert (concept_counts <= summed).all()


def test_concepts_are_accepted_by_emerging_terms_bursts_and_trend_topics(five_months):
    concept = {"ssm": ["mamba", "state space model"]}
    em = trends.emerging_terms(five_months, freq="W", terms=concept)
    assert em["term"].tolist() == ["ssm"] and em["direction"].iloc[0] == "emerging"
    assert set(trends.bursts(five_months, freq="W", terms=concept)["term"]) <= {"ssm"}
    assert trends.trend_topics(five_months, terms=concept)["term"].tolist() == ["ssm"]
    assert trends.as_concepts("mamba") == {"mamba": ("mamba",)}


def test_trend_analyses_given_one_cache_count_once_and_agree_with_counting_afresh(
    five_months, monkeypatch
):
    from helpers.text import counting

    calls = []
    real = counting._count_groups
    monkeypatch.setattr(counting, "_count_groups", lambda *a: calls.append(1) or real(*a))
    cache = counting.CountCache()
    heat = trends.top_term_trends(five_months, freq="M", top_n=5, cache=cache)
    em = trends.emerging_terms(five_months, freq="M", min_papers=10, cache=cache)
    burst = trends.bursts(five_months, freq="M", min_papers=10, cache=cache)
    assert len(calls) == 2  # papers per term, papers per term and period: once each
    assert heat.equals(trends.top_term_trends(five_months, freq="M", top_n=5))
    assert em.equals(trends.emerging_terms(five_months, freq="M", min_papers=10))
    assert burst.equals(trends.bursts(five_months, freq="M", min_papers=10))
    assert len(calls) == 8
