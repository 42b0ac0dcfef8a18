"""Topics, their trends, similar papers and near-duplicates (helpers.topics, helpers.similar),
on synthetic corpora with planted themes, the seeds and (when present) the real corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers import dedupe, fit_topics, load_dumps, near_duplicates, similar_papers
from helpers.synth_topics import planted_corpus
from helpers.topics import TooFewPapers, _trend, corpus_check, headline

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent.parent / "shared" / "corpora" / "hf-daily-2024-2026" / "raw"
if not REAL.is_dir():
    REAL = ROOT.parent / "shared" / "corpora" / "hf-daily-2024-2026" / "raw"


@pytest.fixture(scope="module")
def planted():
    corpus = planted_corpus(n_papers=600, n_themes=5, seed=11)
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
    expected = {"rising": {"rising", "new"}, "fading": {"fading", "gone"}, "stable": {"stable"}}
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
    papers = planted_corpus(n_papers=300, n_themes=4, seed=5).papers
    a, b = (fit_topics(papers, candidates=(2, 3, 4, 5, 6)) for _ in range(2))
    for name in ("topics", "assignments", "shares", "trends", "terms", "period_terms",
                 "representative", "selection"):  # fmt: skip
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_minibatch_path_is_deterministic_and_recovers_themes(monkeypatch):
    import helpers.topics as topics

    monkeypatch.setattr(topics, "MINIBATCH_FROM", 100)  # the large-corpus model on a small one
    corpus = planted_corpus(n_papers=400, n_themes=4, seed=9)
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


def test_cochran_armitage_matches_pearson_on_two_groups():
    # with two groups the trend statistic squared is Pearson's chi-square of the 2x2 table
    z, p, slope = _trend([12, 30], [100, 120])
    chi2, p_chi, _, _ = stats.chi2_contingency([[12, 88], [30, 90]], correction=False)
    assert z**2 == pytest.approx(chi2)
    assert p == pytest.approx(p_chi)
    assert slope == pytest.approx(30 / 120 - 12 / 100)
    z_up, p_up, _ = _trend([2, 5, 9, 14, 20], [50] * 5)
    z_flat, p_flat, _ = _trend([10, 11, 9, 10, 10], [50] * 5)
    assert z_up > 0 and p_up < 0.001
    assert p_flat > 0.5
    assert np.isnan(_trend([0, 0, 0], [10, 10, 10])[0])


def test_small_corpora_are_refused_in_words():
    papers = planted_corpus(n_papers=20, n_themes=2, seed=1).papers
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
    from helpers.load import paper_id

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


@pytest.mark.skipif(not REAL.is_dir(), reason=f"real corpus absent ({REAL})")
def test_real_corpus_has_recognisable_themes_with_agents_rising():
    papers = load_dumps(REAL, first_year=2024, progress=False)
    model = fit_topics(papers, k=12)
    labels = " | ".join(model.topics["label"])
    for theme in ("agent", "video", "3d", "multimodal", "reinforcement learning"):
        assert theme in labels, labels
    agents = model.topics[model.topics["label"].str.contains("agent")]
    assert (agents["status"] == "rising").all() and len(agents) == 1
    trend = model.trends.set_index("topic").loc[agents["topic"].iloc[0]]
    assert trend["late_share"] > 2 * trend["early_share"]


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
