"""Topics, their trends, similar papers and near-duplicates (helpers.analysis.topics,
helpers.analysis.similar),
on synthetic corpora with planted themes, the seeds and (when present) the real corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import (
    dedupe,
    fit_topics,
    load_dumps,
    near_duplicates,
    nearest_papers,
    similar_papers,
)
from helpers.analysis.periods import add_period, paper_windows
from helpers.analysis.signals import MIN_EFFECT, trend_status
from helpers.analysis.topic_model import term_matrix
from helpers.analysis.topics import STATUSES, TooFewPapers, corpus_check, headline, topic_trends
from helpers.testing.topics import planted_topic_corpus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def planted():
    corpus = planted_topic_corpus(n_papers=600, n_themes=5, seed=11)
    return corpus, fit_topics(corpus.papers)


def test_each_planted_theme_is_one_pure_topic(planted):
    corpus, model = planted
    assert model.k == 5  # chosen by stability, not given
    assert model.selection["chosen"].sum() == 1
    table = pd.crosstab(
        model.assignments.merge(corpus.truth, on="paper_id")["theme"],
        model.assignments.merge(corpus.truth, on="paper_id")["topic"],
    )
    best_topic = table.idxmax(axis=1)
    assert best_topic.nunique() == 5  # one topic per theme
    purity = table.max(axis=0) / table.sum(axis=0)
    recall = table.max(axis=1) / table.sum(axis=1)
    assert (purity >= 0.8).all(), purity
    assert (recall >= 0.8).all(), recall


def test_planted_trends_are_recovered(planted):
    corpus, model = planted
    tagged = model.assignments.merge(corpus.truth, on="paper_id")
    topic_of = tagged.groupby("theme")["topic"].agg(lambda s: s.mode().iloc[0])
    status = model.topics.set_index("topic")["status"]
    # one vocabulary with the term signals: a theme that dies out is "fading" (no "gone")
    expected = {"rising": {"rising", "new"}, "fading": {"fading"}, "stable": {"stable"}}
    for theme, trend in corpus.themes.set_index("theme")["trend"].items():
        assert status[topic_of[theme]] in expected[trend], (theme, trend)


def test_tables_are_consistent(planted):
    corpus, model = planted
    assert model.assignments["paper_id"].is_unique
    assert set(model.assignments["paper_id"]) == set(corpus.papers["paper_id"])
    assert model.topics["papers"].sum() == (model.assignments["topic"] >= 0).sum()
    t = model.topics
    assert ((t["ci_low"] <= t["share"]) & (t["share"] <= t["ci_high"])).all()
    s = model.shares
    assert ((s["ci_low"] <= s["share"]) & (s["share"] <= s["ci_high"])).all()
    assert (s.groupby("position")["share"].sum() <= 1 + 1e-9).all()
    assert (model.terms.groupby("topic").size() == 15).all()
    assert (model.representative.groupby("topic").size() == 5).all()
    # a representative paper belongs to its topic
    rep = model.representative.merge(model.assignments, on="paper_id", suffixes=("", "_a"))
    assert (rep["topic"] == rep["topic_a"]).all()


def test_period_words_come_from_that_periods_papers_only(planted):
    _, model = planted
    m = model.matrix
    col = {t: j for j, t in enumerate(m.terms)}
    row = {p: i for i, p in enumerate(m.paper_ids)}
    for (topic, period), part in model.period_terms.groupby(["topic", "period"]):
        ids = model.papers_of(topic, period)["paper_id"]
        rows = [row[p] for p in ids]
        used = np.asarray(m.counts[rows].sum(axis=0)).ravel()
        assert all(used[col[t]] > 0 for t in part["term"]), (topic, period)
        assert part["papers"].iloc[0] == len(ids)


def test_two_runs_are_identical():
    papers = planted_topic_corpus(n_papers=300, n_themes=4, seed=5).papers
    a, b = (fit_topics(papers, candidates=(2, 3, 4, 5, 6)) for _ in range(2))
    for name in ("topics", "assignments", "shares", "trends", "terms", "period_terms",
                 "representative", "selection"):  # fmt: skip
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_minibatch_path_is_deterministic_and_recovers_themes(monkeypatch):
    import helpers.analysis.topic_model as topic_model

    # the large-corpus model on a small one
    monkeypatch.setattr(topic_model, "MINIBATCH_FROM", 100)
    corpus = planted_topic_corpus(n_papers=400, n_themes=4, seed=9)
    a, b = fit_topics(corpus.papers, k=4), fit_topics(corpus.papers, k=4)
    pd.testing.assert_frame_equal(a.assignments, b.assignments)
    table = pd.crosstab(
        a.assignments.merge(corpus.truth, on="paper_id")["theme"],
        a.assignments.merge(corpus.truth, on="paper_id")["topic"],
    )
    assert table.idxmax(axis=1).nunique() == 4
    assert ((table.max(axis=0) / table.sum(axis=0)) >= 0.8).all()
    assert a.selection.empty  # k was given


def test_headline_names_the_rising_theme(planted):
    corpus, model = planted
    text = headline(model)
    assert text.startswith("5 themes in 600 papers")
    rising = model.topics[model.topics["status"] == "rising"]["label"]
    assert len(rising) and all(label in text for label in rising)


def test_topic_trends_are_the_signal_test_on_period_shares(planted):
    corpus, model = planted
    trends = model.trends.set_index("topic")
    assert set(model.topics["status"]) <= set(STATUSES)
    assert {"status", "effect", "effect_lo", "effect_hi", "p_adj", "test"} <= set(trends.columns)
    assert (trends["test"] == "cochran-armitage").all()
    # the same numbers as trend_status on the topics x periods counts of the shares table
    s = model.shares
    counts = s.pivot(index="topic", columns="position", values="papers")
    totals = s.groupby("position")["n_papers"].first()
    # the effect compares the first and last third of the papers, as the term signals do
    per = add_period(corpus.papers, "M").assign(window=lambda d: paper_windows(d))
    tagged = per.merge(model.assignments[["paper_id", "topic"]], on="paper_id")
    by_window = tagged.groupby(["topic", "window"]).size().unstack(fill_value=0)
    n_window = per["window"].value_counts()
    windows = (
        by_window[2].to_numpy(float),
        n_window[2],
        by_window[0].to_numpy(float),
        n_window[0],
    )
    direct = trend_status(
        counts, totals.to_numpy(), scores=counts.columns.to_numpy(float), windows=windows
    )
    np.testing.assert_allclose(trends["early_share"], by_window[0] / n_window[0])
    pd.testing.assert_series_equal(trends["status"], direct["status"], check_names=False)
    np.testing.assert_allclose(trends["effect_lo"], direct["effect_lo"])
    rising = trends[trends["status"] == "rising"]
    assert len(rising) and (rising["effect_lo"] > MIN_EFFECT).all()


def test_topic_trends_on_hand_made_shares_and_too_few_periods():
    # two topics over six months of 100 papers: one climbs from 5 to 40, one stays at 20
    rows = [
        {
            "topic": t,
            "label": f"t{t}",
            "period": f"m{m}",
            "period_start": pd.Timestamp(2024, m + 1, 1),
            "position": m,
            "papers": k,
            "n_papers": 100,
        }  # fmt: skip
        for t, series in enumerate([[5, 10, 18, 25, 33, 40], [20, 21, 19, 20, 20, 21]])
        for m, k in enumerate(series)
    ]
    shares = pd.DataFrame(rows)
    out = topic_trends(shares).set_index("topic")
    assert out["status"].tolist() == ["rising", "stable"]
    assert out.loc[0, "effect"] == pytest.approx((73.5 / 200.5) / (15.5 / 200.5))
    one = shares[shares["position"] == 0]
    assert topic_trends(one).empty  # one period: nothing to test


def test_small_corpora_are_refused_in_words():
    papers = planted_topic_corpus(n_papers=20, n_themes=2, seed=1).papers
    message = corpus_check(papers, k=10)
    assert message and "20 distinct papers" in message and "50 papers" in message
    with pytest.raises(TooFewPapers, match="too few"):
        fit_topics(papers, k=10)
    assert corpus_check(papers, k=2) is None


def test_the_seeds_fit():
    papers = load_dumps(ROOT / "data" / "raw", first_year=2024, progress=False)
    model = fit_topics(papers)
    assert model.k >= 2
    assert len(model.assignments) == papers["paper_id"].nunique()
    assert model.topics["papers"].min() >= 1


def _perturbed(papers: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Three retitled copies (one word changed) with the abstract cut to its first 60%."""
    from helpers.ingest.load import paper_id

    unique = papers.drop_duplicates("paper_id").reset_index(drop=True)
    copies, expected = [], []
    for i in (3, 20, 41):
        row = unique.iloc[i]
        words = row["title"].split()
        words[len(words) // 2] = "Revisited"
        sentences = row["abstract"].split(". ")
        short = ". ".join(sentences[: max(1, int(len(sentences) * 0.6))])
        title = " ".join(words)
        copies.append(row.to_dict() | {"title": title, "abstract": short,
                                       "paper_id": paper_id(title), "rank": 900 + i})  # fmt: skip
        expected.append((row["paper_id"], paper_id(title)))
    out = pd.concat([papers, pd.DataFrame(copies)], ignore_index=True)
    out.attrs = papers.attrs
    return out, expected


def test_perturbed_copies_are_near_duplicates_and_unrelated_papers_are_not():
    papers = load_dumps(ROOT / "data" / "raw", first_year=2024, progress=False)
    assert near_duplicates(papers).empty  # the seeds hold no two versions of one paper
    with_copies, expected = _perturbed(papers)
    found = near_duplicates(with_copies)
    pairs = {frozenset(p) for p in zip(found["paper_id_a"], found["paper_id_b"], strict=True)}
    assert pairs == {frozenset(p) for p in expected}
    for original, copy in expected:
        assert similar_papers(with_copies, copy, n=1)["paper_id"].iloc[0] == original


def test_dedupe_merges_near_duplicates_on_request_and_records_each_merge():
    papers = load_dumps(ROOT / "data" / "raw", first_year=2024, progress=False)
    with_copies, expected = _perturbed(papers)
    assert len(dedupe(with_copies)) == papers["paper_id"].nunique() + 3
    merged = dedupe(with_copies, merge=near_duplicates(with_copies, threshold=0.8))
    assert len(merged) == papers["paper_id"].nunique()
    rejects = merged.attrs["rejects"]
    notes = rejects[rejects["reason"].str.startswith("near-duplicate")]
    assert len(notes) == 3 and (notes["severity"] == "info").all()
    assert len(rejects) == len(papers.attrs["rejects"]) + 3
    for original, _ in expected:
        assert notes["reason"].str.contains(original).any()


def test_real_corpus_has_recognisable_themes_with_agents_rising(real_papers):
    model = fit_topics(real_papers, k=12)
    labels = " | ".join(model.topics["label"])
    for theme in ("agent", "video", "3d", "multimodal", "reinforcement learning"):
        assert theme in labels, labels
    agents = model.topics[model.topics["label"].str.contains("agent")]
    assert (agents["status"] == "rising").all() and len(agents) == 1
    trend = model.trends.set_index("topic").loc[agents["topic"].iloc[0]]
    assert trend["late_share"] > 2 * trend["early_share"]
    assert trend["effect_lo"] > MIN_EFFECT and trend["test"] == "cochran-armitage"


def test_notebook_says_in_words_when_the_corpus_is_too_small(tmp_path):
    import papermill as pm

    out = tmp_path / "04.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "04-topics.ipynb"),
        str(out),
        parameters={"k": 30, "tables_dir": str(tmp_path)},  # the seeds, as ingested
        cwd=str(ROOT),
        progress_bar=False,
    )
    text = out.read_text(encoding="utf-8")
    assert "too few for 30 topics" in text
    assert not list(tmp_path.glob("topics.csv"))  # nothing was fitted


def test_nearest_papers_and_near_duplicates_share_one_neighbour_search(planted):
    corpus, model = planted
    papers = corpus.papers
    with_copies = pd.concat(
        [papers, papers.head(3).assign(paper_id=lambda d: d["paper_id"] + "-copy")],
        ignore_index=True,
    )
    shared = term_matrix(with_copies)
    near = nearest_papers(with_copies, n=5, matrix=shared)
    dups = near_duplicates(with_copies, matrix=shared)
    assert "neighbours" in shared.memo  # worked out once, for both
    pd.testing.assert_frame_equal(near, nearest_papers(with_copies, n=5))
    pd.testing.assert_frame_equal(dups, near_duplicates(with_copies))
    assert len(dups) >= 3 and (near.groupby("paper_id").size() == 5).all()
    # asking for more neighbours than kept searches again and agrees on the first ones
    more = nearest_papers(with_copies, n=12, matrix=shared)
    pd.testing.assert_frame_equal(
        more[more["rank"] <= 5].reset_index(drop=True), near.reset_index(drop=True)
    )


def test_the_search_for_k_stops_at_the_first_peak_with_the_choice_unchanged(planted):
    from helpers.analysis.topic_model import choose_k
    from helpers.analysis.topics import selection_text

    corpus, _ = planted
    matrix = term_matrix(corpus.papers)
    candidates = [2, 3, 4, 5, 6, 8]
    every = choose_k(matrix, candidates, every_k=True)
    stopped = choose_k(matrix, candidates)
    assert every["k"].tolist() == candidates
    assert stopped["k"].tolist() == candidates
    tried = stopped[stopped["tried"]]
    assert tried["k"].tolist() == [4, 5, 6, 8]  # 3 and 2 not needed: 5 is a peak above them
    assert stopped.loc[~stopped["tried"], "stability"].isna().all()
    chosen = every.loc[every["chosen"], "k"].tolist()
    assert chosen == stopped.loc[stopped["chosen"], "k"].tolist() == [5]
    assert every["tried"].all()
    same = every.set_index("k").loc[tried["k"]].reset_index()
    pd.testing.assert_frame_equal(same, tried.reset_index(drop=True))
    assert "stopped at k=4" in selection_text(stopped) and "k 2, 3 were not" in selection_text(
        stopped
    )
    assert "stopped" not in selection_text(every)
