"""Signals: units (variants, phrases, concepts), statuses with known answers, small corpora,
planted synthetic corpora and the real corpus (skipped when absent)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from support import make_papers

from helpers.analysis import signal_units, stats, trends
from helpers.analysis import signals as sig
from helpers.testing import trends as synth_trends
from helpers.text.counting import CountCache

EMPTY_PLAN = pd.DataFrame(columns=["planted", "start_share", "end_share", "burst"])

FILLER = [
    "graph neural networks",
    "protein folding",
    "speech recognition",
    "image segmentation",
    "weather forecasting",
    "program synthesis",
    "robot navigation",
    "music generation",
]


def weekly_papers(plan: dict[str, list[int]], per_week: int = 40) -> pd.DataFrame:
    """Papers in weekly dumps (Mondays from 2024-01-01): ``plan`` maps a phrase to the number
    of papers carrying it in each week; every paper also names a filler subject (even
    rotation, so fillers are stable)."""
    n_weeks = len(next(iter(plan.values())))
    rows = []
    for week in range(n_weeks):
        date = pd.Timestamp("2024-01-01") + pd.Timedelta(weeks=week)
        for i in range(per_week):
            carried = [t for t, counts in plan.items() if i < counts[week]]
            extra = " ".join(f"We use {t} here." for t in carried)
            filler = FILLER[i % len(FILLER)]
            rows.append(
                {
                    "title": f"Paper {week}-{i} on {filler}",
                    "abstract": f"We study {filler} carefully. {extra}",
                    "dump_seq": week,
                    "dump_date": date,
                    "dump_file": f"{week:03d}_x.txt",
                }
            )
    return make_papers(rows)


# --------------------------------------------------------------------------------------------
# the trend test


def test_cochran_armitage_two_periods_is_the_two_proportion_z_test():
    k, n = np.array([[10, 25]]), np.array([200, 180])
    p1, p2 = k[0] / n
    pooled = k.sum() / n.sum()
    z = (p2 - p1) / np.sqrt(pooled * (1 - pooled) * (1 / n[0] + 1 / n[1]))
    out = stats.cochran_armitage_rows(k, n)
    assert out["z"][0] == pytest.approx(z)
    assert out["p"][0] == pytest.approx(2 * (1 - __import__("scipy").stats.norm.cdf(abs(z))))


def test_cochran_armitage_weighs_periods_by_their_papers():
    # the same shares; the rising end has 30 times more papers in the second table
    small = stats.cochran_armitage_rows([[1, 2, 3, 4]], [50, 50, 50, 50])
    weighted = stats.cochran_armitage_rows([[1, 2, 3, 120]], [50, 50, 50, 1500])
    assert weighted["p"][0] < small["p"][0]
    assert small["p"][0] > 0.05


def test_dispersion_is_estimated_and_only_ever_widens():
    rng = np.random.default_rng(0)
    n = np.full(60, 200)
    flat = rng.binomial(n, 0.05, size=(200, 60))
    noisy = rng.binomial(n, np.clip(0.05 * rng.lognormal(0, 0.8, size=(200, 60)), 0, 1))
    phi_flat = stats.cochran_armitage_rows(flat, n, dispersion_bins=20)["phi"]
    phi_noisy = stats.cochran_armitage_rows(noisy, n, dispersion_bins=20)["phi"]
    assert (phi_flat >= 1).all() and np.median(phi_flat) < 1.5
    assert np.median(phi_noisy) > 2
    # without the correction, day-to-day noise alone makes flat terms "trend" far too often
    raw = stats.cochran_armitage_rows(noisy, n)["p"]
    fixed = stats.cochran_armitage_rows(noisy, n, dispersion_bins=20)["p"]
    assert (fixed < 0.05).mean() < 0.12 < (raw < 0.05).mean()


def test_share_ratio_interval_holds_the_ratio():
    r, lo, hi = stats.share_ratio_interval(
        [0, 5, 60], [1000, 100, 1000], [20, 5, 10], [1000, 100, 1000]
    )
    assert (lo < r).all() and (r < hi).all()
    assert hi[0] < 1 < lo[2]
    assert lo[1] < 1 < hi[1]


# --------------------------------------------------------------------------------------------
# statuses with known answers


def test_trend_status_known_answers():
    weeks = 12
    counts = pd.DataFrame(
        {
            "rising": [3 * w for w in range(weeks)],
            "fading": [33 - 3 * w for w in range(weeks)],
            "new": [0] * 6 + [10] * 6,
            "stable": [10] * weeks,
            "burst": [2, 2, 2, 2, 2, 30, 30, 2, 2, 2, 2, 2],
        },
        index=range(weeks),
    ).T
    out = sig.trend_status(counts, [40] * weeks)
    assert out["status"].to_dict() == {
        "rising": "rising",
        "fading": "fading",
        "new": "new",
        "stable": "stable",
        "burst": "bursting",
    }
    assert out.loc["rising", "effect_lo"] > sig.MIN_EFFECT
    assert out.loc["fading", "effect_hi"] < 1 / sig.MIN_EFFECT
    assert out.loc["burst", "burst_first"] == 5 and out.loc["burst", "burst_last"] == 6
    assert (out["test"] == "cochran-armitage").all()


def test_a_significant_but_small_change_is_stable():
    # 15% more papers late than early, on large counts: p tiny, but not a material rise
    weeks = 30
    counts = np.array([[300 + 2 * w for w in range(weeks)]])
    out = sig.trend_status(counts, [1000] * weeks)
    assert out["p_adj"].iloc[0] < 1e-6
    assert out["effect"].iloc[0] < sig.MIN_EFFECT
    assert out["status"].iloc[0] == "stable"


def test_mann_kendall_stays_available():
    counts = np.array([[3 * w for w in range(12)], [5] * 12])
    out = sig.trend_status(counts, [40] * 12, test="mann-kendall")
    assert out["status"].tolist() == ["rising", "stable"]
    assert (out["test"] == "mann-kendall on shares").all()
    with pytest.raises(ValueError, match="test must be"):
        sig.trend_status(counts, [40] * 12, test="t-test")


# --------------------------------------------------------------------------------------------
# units on hand-made papers


@pytest.fixture(scope="module")
def made():
    plan = {
        "agent": [0, 0, 1, 2, 3, 4, 6, 8, 9, 10, 11, 12],
        "agents": [0, 1, 1, 2, 3, 4, 5, 7, 8, 10, 11, 12],
        "agentic workflows": [0, 0, 0, 1, 2, 3, 3, 4, 6, 6, 7, 8],
        "gaussian splatting": [12, 11, 10, 9, 8, 6, 4, 3, 2, 1, 1, 0],
        "crucial": [6] * 12,
    }
    papers = weekly_papers(plan)
    return papers, sig.signals(papers, freq="W", min_papers=5, register="all")


def test_inflection_variants_are_one_row_labelled_by_the_most_used_form(made):
    _, table = made
    rows = table[table["variants"].str.contains("agents")]
    agent = rows[rows["kind"] == "word"]
    assert len(agent) == 1
    variants = agent["variants"].iloc[0].split(", ")
    assert set(variants) >= {"agent", "agents", "agentic"}
    assert agent["term"].iloc[0] == variants[0]
    assert agent["status"].iloc[0] == "rising"
    # no other word row holds one of those forms
    words = table[table["kind"] == "word"]["variants"].str.split(", ")
    holding = words[words.map(lambda v: bool({"agent", "agents", "agentic"} & set(v)))]
    assert len(holding) == 1


def test_a_word_only_seen_inside_a_phrase_is_the_phrase(made):
    papers, table = made
    assert "gaussian splatting" in table["term"].tolist()
    assert not table["term"].isin(["splatting", "gaussian"]).any()
    row = table.set_index("term").loc["gaussian splatting"]
    assert row["kind"] == "phrase" and row["status"] == "fading"
    # its paper count is the papers whose text holds the phrase
    holding = papers["abstract"].str.contains("gaussian splatting").sum()
    assert row["papers"] == holding


def test_papers_using_two_variants_count_once(made):
    papers, table = made
    agent = table[(table["kind"] == "word") & table["variants"].str.contains("agents")].iloc[0]
    mentions = papers["abstract"].str.contains(r"\bagent", regex=True)
    assert agent["papers"] == mentions.sum()


def test_general_english_said_once_is_style_not_subject(made):
    papers, table = made
    assert table.set_index("term").loc["crucial", "register"] == "style"
    subject = sig.signals(papers, freq="W", min_papers=5)
    style = sig.style_signals(papers, freq="W", min_papers=5)
    assert "crucial" not in subject["term"].tolist()
    assert "crucial" in style["term"].tolist()
    assert (style["register"] == "style").all()


def test_schema_and_order(made):
    _, table = made
    sig.SIGNALS_SCHEMA.validate(table)
    called = table["status"] != "stable"
    assert called.iloc[: called.sum()].all()  # calls first
    ev = table.loc[called, "evidence"].to_numpy()
    assert (np.diff(ev) <= 1e-12).all()  # then by the conservative end of the interval


# --------------------------------------------------------------------------------------------
# concepts


def test_concepts_everywhere_a_keyword_is_accepted(made):
    papers, table = made
    concept = {"agents (any)": ["agent", "agents", "agentic"]}
    kw = trends.keyword_trends(papers, [concept, "crucial"], freq="W")
    assert kw["term"].unique().tolist() == ["agents (any)", "crucial"]
    union = papers["abstract"].str.contains(r"\bagent", regex=True).sum()
    assert kw.loc[kw["term"] == "agents (any)", "n_mentioning"].sum() == union
    with_concept = sig.signals(papers, freq="W", min_papers=5, concepts=concept)
    row = with_concept[with_concept["kind"] == "concept"].iloc[0]
    assert row["term"] == "agents (any)" and row["papers"] == union
    assert row["status"] == "rising"
    assert trends.trend_topics(papers, terms=concept)["term"].tolist() == ["agents (any)"]
    assert set(trends.bursts(papers, freq="W", terms=concept)["term"]) <= {"agents (any)"}
    shares = sig.signal_shares(papers, ["agents (any)"], freq="W", concepts=concept)
    assert shares["n_mentioning"].sum() == union


def test_concept_errors_name_the_problem():
    with pytest.raises(ValueError, match="no member"):
        trends.as_concepts({"empty": []})
    with pytest.raises(ValueError, match="non-empty"):
        trends.as_concepts({" ": ["x"]})


def test_signal_shares_match_the_table(made):
    papers, table = made
    shares = sig.signal_shares(papers, table.head(3), freq="W", min_papers=5)
    totals = shares.groupby("term")["n_mentioning"].sum()
    for term in table.head(3)["term"]:
        assert totals[term] == table.set_index("term").loc[term, "papers"]


# --------------------------------------------------------------------------------------------
# small corpora


def test_two_dumps_give_a_comparison_said_in_words():
    plan = {"diffusion transformer": [2, 20], "crucial": [6, 6]}
    papers = weekly_papers(plan)
    table = sig.signals(papers, freq="W", min_papers=2, register="all")
    assert "a comparison of two moments, not a trend" in table.attrs["note"]
    assert (table["test"] == sig.COMPARISON).all()
    row = table.set_index("term").loc["diffusion transformer"]
    assert row["status"] == "rising" and row["effect"] > 5


def test_one_period_is_refused_clearly():
    papers = weekly_papers({"x y": [3]})
    with pytest.raises(ValueError, match="at least 2 periods"):
        sig.signals(papers, freq="W", min_papers=2)


# --------------------------------------------------------------------------------------------
# planted synthetic corpora shaped like the real one


@pytest.fixture(scope="module")
def planted():
    papers, truth = synth_trends.planted_trend_corpus(n_dumps=300, seed=3)
    return papers, truth, sig.signals(papers, freq="W", register="all")


def test_synthetic_corpus_is_shaped_like_the_daily_listings(planted):
    papers, truth, _ = planted
    sizes = papers.groupby("dump_seq").size()
    assert sizes.min() >= 10 and sizes.max() <= 50 and sizes.std() > 5
    assert (papers["dump_date"].dt.day_of_week < 5).all()
    assert truth["planted"].value_counts().to_dict() == {
        k: 8 for k in ("rising", "fading", "new", "bursting", "flat")
    }


def test_planted_rises_and_falls_are_found_and_calls_are_right(planted):
    _, truth, table = planted
    score = synth_trends.score_calls(table, truth)
    assert score["recall"] > 0.9
    assert score["false_share"] <= 0.05
    flat = table[table["term"].isin(truth.loc[truth["planted"] == "flat", "term"])]
    assert (flat["status"] == "stable").all()


def test_planted_phrases_are_reported_as_phrases(planted):
    _, truth, table = planted
    words = {w for t in truth["term"] for w in t.split()}
    assert not table["term"].isin(words).any()
    assert truth["term"].isin(table["term"]).all()


def test_a_corpus_with_nothing_planted_gives_almost_no_calls():
    papers, _ = synth_trends.planted_trend_corpus(n_dumps=250, seed=11, plan=EMPTY_PLAN)
    table = sig.signals(papers, freq="W", register="all")
    assert len(table) > 1000
    assert table["status"].isin(["new", "rising", "fading"]).sum() <= 3
    assert (table["status"] == "bursting").sum() <= 3


# --------------------------------------------------------------------------------------------
# the real corpus


@pytest.fixture(scope="module")
def real_signals(real_papers):
    return sig.signals(real_papers, freq="W", register="all")


def test_real_top_rising_are_subjects_with_agents_in_one_row(real_signals):
    subject = real_signals[real_signals["register"] == "subject"]
    top = sig.top_signals(subject, "up", 10)
    assert len(top) == 10
    zipf = signal_units._general_zipf(top["term"])
    for term in top["term"]:  # no plain general-English word said once per paper
        row = top.set_index("term").loc[term]
        general = " " not in term and zipf[term] >= sig.GENERAL_ZIPF
        assert not (general and row["per_paper"] < sig.ONCE_PER_PAPER), term
    agents = real_signals[
        (real_signals["kind"] == "word") & real_signals["variants"].str.contains(r"\bagentic\b")
    ]
    assert len(agents) == 1
    assert {"agent", "agents", "agentic"} <= set(agents["variants"].iloc[0].split(", "))
    assert agents["status"].iloc[0] == "rising"
    style = real_signals[real_signals["register"] == "style"]["term"]
    assert {"crucial", "remains"} & set(style) or not {"crucial", "remains"} & set(
        real_signals["term"]
    )


def test_nothing_to_report_is_an_empty_checked_table():
    papers = weekly_papers({"x y": [3, 4, 5]}, per_week=8)
    table = sig.signals(papers, freq="W", min_papers=1000)
    assert table.empty and list(table.columns) == list(sig.SIGNALS_SCHEMA.columns)
    unseen = sig.signals(papers, freq="W", min_papers=1000, concepts={"z": ["never said"]})
    assert unseen[["kind", "status", "papers"]].values.tolist() == [["concept", "stable", 0]]
    assert sig.trend_status(np.zeros((0, 30)), [10] * 30).empty


# --------------------------------------------------------------------------------------------
# bursts and trend topics in the units of the signals


@pytest.fixture(scope="module")
def bursting():
    plan = {
        "agent": [1] * 5 + [10, 10] + [1] * 5,
        "agents": [0] * 5 + [12, 12] + [0] * 5,
        "gaussian splatting": [1] * 8 + [15, 15, 1, 1],
        "crucial": [3] * 2 + [20, 20] + [3] * 8,
    }
    papers = weekly_papers(plan)
    return papers, sig.signals(papers, freq="W", min_papers=5, register="all")


def test_bursts_in_signal_units_merge_variants_and_keep_phrases(bursting):
    papers, table = bursting
    agent = table[(table["kind"] == "word") & table["variants"].str.contains("agents")]
    label = agent["term"].iloc[0]
    out = trends.bursts(papers, freq="W", units="signals").set_index("term")
    assert label in out.index and not ({"agent", "agents"} - {label}) & set(out.index)
    row = out.loc[label]
    # any form counts: 12 papers in each burst week (of 40), 1 in each of the 10 others
    assert (row["first_period"], row["last_period"]) == (
        "week of 2024-02-05",
        "week of 2024-02-12",
    )
    assert row["burst_share"] == pytest.approx(24 / 80)
    assert row["base_share"] == pytest.approx(34 / 480)
    phrase = out.loc["gaussian splatting"]
    assert phrase["burst_share"] == pytest.approx(30 / 80)
    assert not out.index.isin(["gaussian", "splatting"]).any()
    # style apart from subject, as in the signals table: a burst of "crucial" is style
    assert "crucial" not in out.index
    style = trends.bursts(papers, freq="W", terms=sig.style_signals(papers, min_papers=5))
    assert style["term"].tolist() == ["crucial"]
    assert style["burst_share"].iloc[0] == pytest.approx(40 / 80)
    # the old units stay the default: forms apart, words apart
    tokens = trends.bursts(papers, freq="W").set_index("term")
    assert tokens.loc["agents", "burst_share"] == pytest.approx(24 / 80)
    assert tokens.loc["agent", "burst_share"] == pytest.approx(20 / 80)
    assert "splatting" in tokens.index


def test_a_signals_table_gives_its_rows_to_bursts_and_trend_topics(bursting):
    papers, _ = bursting
    concept = {"agents (any)": ["agent", "agents"]}
    table = sig.signals(papers, freq="W", min_papers=5, register="all", concepts=concept)
    picked = table[table["term"].isin(["gaussian splatting", "agents (any)"])]
    out = trends.bursts(papers, freq="W", terms=picked, min_papers=5).set_index("term")
    assert set(out.index) == {"gaussian splatting", "agents (any)"}
    assert out.loc["agents (any)", "burst_share"] == pytest.approx(24 / 80)
    topics = trends.trend_topics(papers, terms=picked).set_index("term")
    assert set(topics.index) == {"gaussian splatting", "agents (any)"}
    assert topics.loc["agents (any)", "n_papers"] == 34
    with pytest.raises(ValueError, match="units='signals'"):
        trends.bursts(papers, terms=picked, units="tokens")
    with pytest.raises(ValueError, match="units must be"):
        trends.bursts(papers, units="words")
    with pytest.raises(KeyError, match="splatting"):
        trends.bursts(papers, terms=["splatting"], units="signals")


def test_trend_topics_in_signal_units_known_quartiles(bursting):
    papers, _ = bursting
    out = trends.trend_topics(papers, top_n=50, units="signals").set_index("term")
    week = [pd.Timestamp("2024-01-01") + pd.Timedelta(weeks=w) for w in range(12)]
    row = out.loc["gaussian splatting"]
    # 1 paper a week, 15 in weeks 8 and 9: 40 papers, the middle half in weeks 8-9
    assert row["n_papers"] == 40
    assert [row[c] for c in ("first", "q1", "median", "q3", "last")] == [
        week[0],
        week[8],
        week[8],
        week[9],
        week[11],
    ]
    assert not out.index.isin(["gaussian", "splatting"]).any()
    tokens = trends.trend_topics(papers, top_n=50).set_index("term")
    assert tokens.loc["splatting", "n_papers"] == 40  # the old units: words apart


def test_signal_analyses_given_one_cache_count_once_and_agree_with_counting_afresh(
    bursting, monkeypatch
):
    from helpers.text import counting

    papers, _ = bursting
    calls = []
    real = counting._count_groups
    monkeypatch.setattr(counting, "_count_groups", lambda *a: calls.append(1) or real(*a))
    cache = counting.CountCache()
    table = sig.signals(papers, freq="W", min_papers=5, cache=cache)
    style = sig.style_signals(papers, freq="W", min_papers=5, cache=cache)
    shares = sig.signal_shares(papers, table.head(2), freq="W", min_papers=5, cache=cache)
    burst = trends.bursts(papers, freq="W", min_papers=5, units="signals", cache=cache)
    assert len(calls) == 1  # the papers' words and phrases, counted once for all four
    assert table.equals(sig.signals(papers, freq="W", min_papers=5))
    assert style.equals(sig.style_signals(papers, freq="W", min_papers=5))
    assert shares.equals(sig.signal_shares(papers, table.head(2), freq="W", min_papers=5))
    assert burst.equals(trends.bursts(papers, freq="W", min_papers=5, units="signals"))
    assert len(calls) == 5


def test_a_shared_cache_gives_the_tables_counted_afresh(made):
    papers, _ = made
    cache = CountCache()
    alone = {
        freq: sig.signals(papers, freq=freq, min_papers=5, register="all") for freq in ("W", "M")
    }
    for freq in ("W", "M", "W"):  # the second "W" is served from the cache
        shared = sig.signals(papers, freq=freq, min_papers=5, register="all", cache=cache)
        pd.testing.assert_frame_equal(shared, alone[freq])
    # a subset of papers already counted takes its counts from the kept ones
    subset = papers.iloc[::-3].reset_index(drop=True)
    kept = signal_units._incidence(subset, (1, 2, 3), None, cache)
    assert kept.equals(signal_units._incidence(subset, (1, 2, 3), None))
    assert kept["row"].max() == len(subset) - 1
