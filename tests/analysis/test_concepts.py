"""Concepts of the signals: acronyms joined to their expansions (found in the corpus), phrase
fragments folded into longer phrases, inflection-only variants; hand-made papers with known
answers and the real corpus (skipped when absent)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from support import make_papers

from helpers.analysis import signal_units
from helpers.analysis import signals as sig
from helpers.analysis.acronyms import definitions, expansions, match_expansion, phrase_mentions
from helpers.analysis.lemmas import adjective_merges, word_keys

FILLER = ["protein folding", "speech recognition", "weather forecasting", "music generation"]


def corpus(sentences: list[str], weeks: int = 6) -> pd.DataFrame:
    """Papers in weekly dumps: paper i of every week says sentence i, and a filler subject."""
    rows = []
    for week in range(weeks):
        date = pd.Timestamp("2024-01-01") + pd.Timedelta(weeks=week)
        for i, sentence in enumerate(sentences):
            filler = FILLER[i % len(FILLER)]
            rows.append(
                {
                    "title": f"Paper {week}-{i} on {filler}",
                    "abstract": f"We study {filler} carefully. {sentence}",
                    "dump_seq": week,
                    "dump_date": date,
                    "dump_file": f"{week:03d}_x.txt",
                }
            )
    return make_papers(rows)


def row_of(table: pd.DataFrame, form: str) -> pd.DataFrame:
    """Rows whose variants hold ``form``."""
    return table[table["variants"].str.split(", ").map(lambda v: form in v)]


# --------------------------------------------------------------------------------------------
# the detector


def test_definitions_both_ways_plural_and_hyphenated():
    defs = definitions(
        [
            "We train with Group Relative Policy Optimization (GRPO).",
            "RLVR (Reinforcement Learning with Verifiable Rewards) helps.",
            "Large Language Models (LLMs) and Vision-Language-Action models (VLAs) act.",
            "Neural Radiance Fields (NeRF) render; results (Table 2) differ (see ABC).",
        ]
    )
    assert defs.select("row", "short", "long").rows() == [
        (0, "grpo", "group relative policy optimization"),
        (1, "rlvr", "reinforcement learning with verifiable rewards"),
        (2, "llm", "large language models"),
        (2, "vla", "vision-language-action"),
        (3, "nerf", "neural radiance fields"),
    ]
    assert defs["display"].to_list() == ["GRPO", "RLVR", "LLM", "VLA", "NeRF"]


def test_letters_prefer_word_starts_and_every_content_word_counts():
    words = ["we", "use", "proximal", "policy", "optimization"]
    assert match_expansion("ppo", words) == ["proximal", "policy", "optimization"]
    assert match_expansion("po", ["policy", "gradient", "optimization"]) is None
    assert match_expansion("llm", ["llm"]) is None


def test_majority_expansion_wins_and_plurals_are_one():
    defs = definitions(
        [
            "Large Language Models (LLMs) read.",
            "A Large Language Model (LLM) reads.",
            "Latent Language Models (LLM) differ.",
        ]
    )
    table = expansions(defs, lambda p: " ".join(word_keys(p.split(" "))[w] for w in p.split()))
    assert table.select("short", "defined").rows() == [("llm", 2)]
    assert table["long"][0] in {"large language models", "large language model"}  # a tie
    assert set(table["surfaces"][0]) == {"large language models", "large language model"}


def test_phrase_mentions_count_whole_phrases_across_line_breaks():
    found = phrase_mentions(
        ["RL with verifiable\nrewards; unverifiable rewards.", "no"], ["with verifiable rewards"]
    )
    assert found.rows() == [(0, "with verifiable rewards", 1)]


# --------------------------------------------------------------------------------------------
# acronym units on hand-made papers


@pytest.fixture(scope="module")
def acronyms_made():
    sentences = [
        "We train agents with Group Relative Policy Optimization (GRPO) today.",  # defined once
        "GRPO improves math.",
        "GRPO improves code.",
        "We adopt group relative policy optimization for math.",  # expansion only
        "Both GRPO and group relative policy optimization appear here.",
        "Reinforcement Learning with Verifiable Rewards (RLVR) scales.",  # five words
        "RLVR is popular.",
        "Reinforcement learning with verifiable rewards works for math.",
        "Large Language Models (LLMs) reason.",  # plural acronym
        "LLMs are big.",
        "Large language models are big.",
        "Quantized Mixture Experts (QME) route tokens.",  # two expansions: majority
        "Quantized Mixture Experts (QME) route tokens again.",
        "Quantized Model Editing (QME) edits facts.",
        "Quantized model editing is done.",
    ]
    papers = corpus(sentences)
    return papers, sig.signals(papers, freq="W", min_papers=5, register="all")


def test_an_acronym_defined_once_is_one_row_with_its_expansion(acronyms_made):
    _, table = acronyms_made
    grpo = table[table["term"] == "GRPO (group relative policy optimization)"]
    assert len(grpo) == 1
    assert grpo["papers"].iloc[0] == 5 * 6  # acronym, expansion or both: once a paper
    assert set(grpo["variants"].iloc[0].split(", ")) >= {
        "grpo",
        "group relative policy optimization",
    }
    assert row_of(table, "grpo").index.tolist() == grpo.index.tolist()
    # its fragments fold into it: no row for a piece of the expansion
    for piece in ("relative policy optimization", "group relative policy", "policy optimization"):
        assert piece not in table["term"].tolist()


def test_an_expansion_longer_than_the_phrases_is_found_in_the_text(acronyms_made):
    _, table = acronyms_made
    rlvr = table[table["term"] == "RLVR (reinforcement learning with verifiable rewards)"]
    assert len(rlvr) == 1 and rlvr["papers"].iloc[0] == 3 * 6
    assert not table["term"].isin(["learning with verifiable", "verifiable rewards"]).any()


def test_a_plural_acronym_is_its_singular(acronyms_made):
    _, table = acronyms_made
    llm = table[table["term"] == "LLM (large language models)"]
    assert len(llm) == 1 and llm["papers"].iloc[0] == 3 * 6


def test_two_expansions_take_the_majority_and_keep_the_other_apart(acronyms_made):
    _, table = acronyms_made
    assert "QME (quantized mixture experts)" in table["term"].tolist()
    qme = table.set_index("term").loc["QME (quantized mixture experts)"]
    assert qme["papers"] == 3 * 6  # the paper defining it otherwise still writes "QME"
    editing = table[table["term"] == "quantized model editing"]
    assert len(editing) == 1 and editing["papers"].iloc[0] == 2 * 6


def test_users_name_an_acronym_unit_by_its_short_form(acronyms_made):
    papers, table = acronyms_made
    labels, support, _, k = signal_units.period_counts(
        papers, "W", ["GRPO", "grpo", "group relative policy optimization"], min_papers=5
    )
    assert labels == ["GRPO", "grpo", "group relative policy optimization"]
    assert support.tolist() == [30, 30, 30]
    assert (k[0] == 5).all() and (k == k[0]).all()
    concepts = sig.signals(papers, freq="W", min_papers=5, concepts={"grpo": ["GRPO"]})
    assert concepts.set_index("term").loc["grpo", "papers"] == 4 * 6  # the keyword as written


# --------------------------------------------------------------------------------------------
# inflections only


def test_inflections_merge_derivations_do_not():
    keys = word_keys(["reasoning", "reasons", "reasoned", "reason", "reasonable", "reasonably"])
    assert len({keys[w] for w in ("reasoning", "reasons", "reasoned", "reason")}) == 1
    assert keys["reasonable"] != keys["reasoning"] != keys["reasonably"]
    keys = word_keys(["studies", "study", "studied", "settings", "setting", "gated", "gating"])
    assert keys["studies"] == keys["study"] == keys["studied"]
    assert keys["settings"] == keys["setting"] and keys["gated"] == keys["gating"]
    assert adjective_merges({"agent": {1, 2}, "agent~ic": {1, 2, 3}}) == {"agent~ic": "agent"}


def test_reasonable_is_not_reasoning_in_the_signals():
    papers = corpus(["Reasoning models reason.", "It is reasonable, cheap.", "Reasoning again."])
    table = sig.signals(papers, freq="W", min_papers=5, register="all")
    reasoning = row_of(table, "reasoning")
    assert len(reasoning) == 1 and "reasonable" not in reasoning["variants"].iloc[0]
    assert reasoning["papers"].iloc[0] == 2 * 6
    assert row_of(table, "reasonable")["papers"].tolist() == [6]


# --------------------------------------------------------------------------------------------
# the real corpus


@pytest.fixture(scope="module")
def real(real_papers):
    return real_papers, sig.signals(real_papers, freq="M", register="all")


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("grpo", "group relative policy optimization"),
        ("rlvr", "reinforcement learning with verifiable rewards"),
        ("vla", "vision-language-action"),
        ("nerf", "neural radiance fields"),
    ],
)
def test_real_acronyms_are_one_row(real, short, long):
    _, table = real
    rows = table[table["variants"].str.split(", ").map(lambda v: short in v or long in v)]
    assert len(rows) == 1, rows["term"].tolist()
    assert rows["term"].iloc[0].lower() == f"{short} ({long})"


def test_real_top_risers_are_no_fragments_of_other_rows(real):
    papers, table = real
    text = (papers["title"].fillna("") + "\n\n" + papers["abstract"].fillna("")).tolist()
    ids = papers["paper_id"].to_numpy()
    top = sig.top_signals(table[table["register"] == "subject"], "up", 30)
    phrases = {v for vs in table["variants"] for v in vs.split(", ") if " " in v}
    for term in top["term"]:
        if "(" in term:
            continue
        inside = [p for p in phrases if f" {term} " in f" {p} " and p != term]
        if not inside:
            continue
        holding = {  # one phrase a pass: a regex match of one would hide the other
            t: set(ids[phrase_mentions(text, [t])["row"].to_numpy()]) for t in [term, *inside]
        }
        own = holding[term]
        share = max(len(holding[p] & own) / max(len(own), 1) for p in inside)
        assert share < signal_units.ABSORB, (term, share)
    assert np.isfinite(top["effect"]).all()
