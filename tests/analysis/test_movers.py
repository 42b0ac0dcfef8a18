"""Effects by papers, not periods; the shift in points and the shrunk growth; the two rankings
of movers and their verdicts; the headline that leads with the largest shifts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from support import make_papers

from helpers.analysis import periods, stats
from helpers.analysis import signals as sig
from helpers.analysis.movers import NOT_SIGNIFICANT, SIGNIFICANT, SMALL_EFFECT, movers
from helpers.report import signal_plots

FILLER = ["graph networks", "protein folding", "speech recognition", "image segmentation"]


def monthly_papers(sizes: list[int], carriers: list[int], phrase: str = "quokka routing"):
    """Papers in one dump a month (first Monday of each month from 2024-01): ``sizes`` papers
    in month i, ``carriers[i]`` of them naming ``phrase``; the others name a filler subject."""
    rows = []
    for month, (size, carry) in enumerate(zip(sizes, carriers, strict=True)):
        date = pd.Timestamp("2024-01-01") + pd.DateOffset(months=month)
        for i in range(size):
            filler = FILLER[i % len(FILLER)]
            extra = f" We use {phrase} here." if i < carry else ""
            rows.append(
                {
                    "title": f"Paper {month}-{i} on {filler}",
                    "abstract": f"We study {filler} carefully.{extra}",
                    "dump_seq": month,
                    "dump_date": date,
                    "dump_file": f"{month:03d}_x.txt",
                }
            )
    return make_papers(rows)


def test_windows_are_thirds_of_the_papers_so_a_thin_first_month_cannot_decide():
    # month 1 holds 3 papers, then 120 a month: the first third of the papers reaches into
    # month 2, while the first third of the periods (month 1 and 2) would too, but the
    # first *period* alone is 3 papers
    papers = monthly_papers([3, 120, 120, 120, 120, 120], [0, 6, 6, 18, 18, 18])
    per = periods.add_period(papers, "M")
    codes = periods.paper_windows(per)
    counts = codes.value_counts().to_dict()
    assert counts[0] == counts[2] == round(len(per) / 3)
    spans = periods.window_spans(per, codes).set_index("window")
    assert spans.loc["early", "first_date"] == pd.Timestamp("2024-01-01")
    assert spans.loc["late", "last_date"] == pd.Timestamp("2024-06-01")
    row = sig.signals(papers, freq="M", min_papers=5).set_index("term").loc["quokka routing"]
    early = codes == 0
    mentions = per["abstract"].str.contains("quokka routing")
    assert row["early_share"] == pytest.approx(mentions[early].mean())
    assert row["late_share"] == pytest.approx(mentions[codes == 2].mean())
    assert row["shift"] == pytest.approx(row["late_share"] - row["early_share"])


def test_two_periods_compare_the_two_periods():
    papers = monthly_papers([40, 60], [2, 12])
    per = periods.add_period(papers, "M")
    assert periods.paper_windows(per).tolist() == [0] * 40 + [2] * 60
    row = sig.signals(papers, freq="M", min_papers=5).set_index("term").loc["quokka routing"]
    assert row["early_share"] == pytest.approx(2 / 40)
    assert row["late_share"] == pytest.approx(12 / 60)


def test_newcombe_interval_matches_the_published_example():
    # Newcombe (1998), Statistics in Medicine 17:873, method 10 on 56/70 vs 48/80
    d, lo, hi = stats.share_difference_interval(56, 70, 48, 80)
    assert (round(float(d), 4), round(float(lo), 4), round(float(hi), 4)) == (
        0.2,
        0.0524,
        0.3339,
    )
    # dispersion widens both sides, never moves the point
    d2, lo2, hi2 = stats.share_difference_interval(56, 70, 48, 80, phi=2.0)
    assert d2 == d and lo2 < lo and hi2 > hi


def test_shrinkage_pulls_uncertain_effects_more_and_keeps_signs():
    rng = np.random.default_rng(1)
    null = rng.normal(0, 0.2, 300)
    effects = np.concatenate([[1.5, 1.5], null])
    errors = np.concatenate([[0.2, 1.5], np.full(300, 0.2)])
    mean, lfdr = stats.shrink_log_effects(effects, errors)
    assert mean[0] > 1.2 and 0 <= mean[1] < 0.5 * mean[0]  # the uncertain twin is pulled in
    assert lfdr[0] < 0.01 and lfdr[1] > lfdr[0]
    assert np.all(np.sign(mean[2:]) * np.sign(effects[2:]) >= 0)
    assert np.median(np.abs(mean[2:])) < 0.5 * np.median(np.abs(null))


def test_shrinkage_with_nothing_real_pulls_everything_to_no_change():
    rng = np.random.default_rng(2)
    mean, lfdr = stats.shrink_log_effects(rng.normal(0, 0.3, 500), np.full(500, 0.3))
    assert np.abs(mean).max() < 0.2 and lfdr.min() > 0.5


def _table():
    return pd.DataFrame(
        {
            "term": ["big", "fast", "flat", "noisy", "down", "kind of down"],
            "kind": ["word"] * 6,
            "status": ["rising", "new", "stable", "stable", "fading", "stable"],
            "early_share": [0.10, 0.001, 0.2, 0.01, 0.3, 0.2],
            "late_share": [0.30, 0.03, 0.2, 0.03, 0.1, 0.15],
            "shift": [0.20, 0.029, 0.0, 0.02, -0.20, -0.05],
            "shift_lo": [0.17, 0.02, -0.02, -0.01, -0.24, -0.09],
            "shift_hi": [0.23, 0.04, 0.02, 0.05, -0.16, -0.01],
            "effect": [3.0, 30.0, 1.0, 3.0, 0.33, 0.75],
            "effect_lo": [2.5, 8.0, 0.9, 0.6, 0.28, 0.6],
            "effect_hi": [3.6, 110.0, 1.1, 15.0, 0.40, 0.95],
            "shrunk": [2.9, 12.0, 1.0, 1.2, 0.35, 0.8],
            "p": [1e-9, 1e-8, 0.9, 0.04, 1e-9, 0.001],
            "p_adj": [1e-8, 1e-7, 0.9, 0.4, 1e-8, 0.01],
        }
    )


def test_biggest_shifts_rank_by_the_conservative_end_in_points():
    up = movers(_table(), "shift", "up")
    assert up["term"].tolist() == ["big", "fast", "noisy"]
    down = movers(_table(), "shift", "down")
    assert down["term"].tolist() == ["down", "kind of down"]


def test_fastest_growth_ranks_by_the_shrunk_effect_not_the_raw_ratio():
    up = movers(_table(), "growth", "up")
    assert up["term"].tolist() == ["fast", "big", "noisy"]  # noisy's raw x3 shrinks to x1.2
    assert "flat" not in set(up["term"])


def test_every_mover_says_whether_the_test_backs_it():
    up = movers(_table(), "shift", "up").set_index("term")["verdict"]
    assert up["big"] == SIGNIFICANT and up["noisy"] == NOT_SIGNIFICANT
    down = movers(_table(), "shift", "down").set_index("term")["verdict"]
    assert down["kind of down"] == SMALL_EFFECT
    with pytest.raises(ValueError, match="by must be one of"):
        movers(_table(), "speed")


def test_headline_leads_with_the_largest_shifts_and_labels_leading_risers():
    table = _table()
    windows = pd.DataFrame(
        {
            "window": ["early", "late"],
            "first_date": pd.to_datetime(["2024-05-27", "2026-01-05"]),
            "last_date": pd.to_datetime(["2024-12-10", "2026-08-21"]),
            "n_papers": [100, 100],
        }
    )
    lines = signal_plots.mover_headline(
        movers(table, "shift", "up"),
        movers(table, "shift", "down"),
        movers(table, "growth", "up"),
        windows,
    )
    first = lines[0][0]
    assert first.startswith(
        "Largest shifts between the first third of the papers (2024-05-27 to 2024-12-10) and "
        "the last third (2026-01-05 to 2026-08-21): gains: "
    )
    assert "big 10% -> 30% of papers (+20 points, 95% CI +17 to +23)" in first
    assert "Largest losses: down 30% -> 10%" in first
    leading = lines[1][0]
    assert leading.startswith("Leading risers")
    assert f"noisy ×3.0 (0.60-15.0), {NOT_SIGNIFICANT} (p 0.04, adjusted 0.40)" in leading


def test_planted_rise_in_a_short_corpus_leads_the_growth_ranking():
    # four months, the phrase going from 1% to 6% of papers: not a significant trend among
    # the filler terms, but the leading riser
    papers = monthly_papers([100, 100, 100, 100], [1, 2, 4, 6])
    table = sig.signals(papers, freq="M", min_papers=5)
    assert movers(table, "growth", "up")["term"].iloc[0] == "quokka routing"
    assert movers(table, "shift", "up")["term"].iloc[0] == "quokka routing"
