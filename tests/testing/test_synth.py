"""Synthetic dumps: exact file format, determinism, planted shares, streaming."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from helpers.testing import synth

NAME_RE = re.compile(r"^\d{3,}_[0-9a-f]{16}\.txt$")


def test_vocabulary_is_zipfian_and_normalised():
    v = synth.vocabulary()
    assert v.index.is_unique
    assert v.sum() == pytest.approx(1.0)
    assert (np.diff(v.to_numpy()) <= 0).all()  # most common first
    assert v.iloc[0] / v.iloc[99] > 10  # heavy head like word frequencies


def test_abstract_plants_terms_and_ends_with_full_stop():
    rng = np.random.default_rng(3)
    text = synth.abstract(rng, 60, plant=("mamba", "state space model"))
    assert "mamba" in text and "state space model" in text
    assert text.endswith(".") and text[0].isupper()
    assert len(text.split()) >= 60


def test_write_corpus_files_match_the_dump_format(tmp_path):
    files = synth.write_corpus(
        tmp_path, n_dumps=4, papers_per_dump=3, start_date="2023-12-30", freq_days=1, seed=1
    )
    assert [f.parent for f in files] == [tmp_path] * 4
    assert all(NAME_RE.match(f.name) for f in files)
    assert [f.name for f in files] == sorted(f.name for f in files)  # NNN orders them in time
    labels = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        blocks = text.split("\n\n")
        assert blocks[:5] == [
            "new",
            "Get trending papers in your email inbox!",
            "Subscribe",
            "Daily Papers",
            "byAK and the research community",
        ]
        labels.append(blocks[5])
        papers = blocks[6:]
        assert len(papers) == 6  # title / abstract pairs
        titles, abstracts = papers[0::2], papers[1::2]
        assert all("\n" not in t and not t.endswith(".") for t in titles)
        assert all(a.endswith(".") for a in abstracts)
        assert not text.endswith("\n")
    # the dates roll over the year boundary
    assert labels == ["Dec 30", "Dec 31", "Jan 1", "Jan 2"]


def test_listing_pages_have_no_daily_header():
    dump = next(synth.iter_dumps(1, 2, daily=False))
    assert "Daily Papers" not in dump.text.split("\n\n")[:6]


def test_same_seed_same_bytes_other_seed_differs():
    a = list(synth.iter_named_texts(3, 5, seed=7, planted={"mamba": (0.0, 0.5)}))
    b = list(synth.iter_named_texts(3, 5, seed=7, planted={"mamba": (0.0, 0.5)}))
    c = list(synth.iter_named_texts(3, 5, seed=8, planted={"mamba": (0.0, 0.5)}))
    assert a == b
    assert a != c


def test_titles_are_unique_across_the_corpus():
    frame = synth.papers_frame(synth.iter_dumps(30, 40, seed=2))
    assert frame["title"].is_unique


def _share(frame, term):
    pattern = rf"(?<!\w){re.escape(term)}(?!\w)"
    hit = frame["title"].str.contains(pattern, case=False) | frame["abstract"].str.contains(
        pattern, case=False
    )
    return hit.groupby(frame["dump_seq"]).mean()


def test_planted_shares_follow_the_schedule():
    planted = {"mamba": (0.0, 0.4), "transformer": 0.3, "diffusion": (0.5, 0.1)}
    frame = synth.papers_frame(synth.iter_dumps(3, 600, planted=planted, seed=4))
    n = 600
    for term, expected in [
        ("mamba", [0.0, 0.2, 0.4]),
        ("transformer", [0.3, 0.3, 0.3]),
        ("diffusion", [0.5, 0.3, 0.1]),
    ]:
        observed = _share(frame, term).to_numpy()
        tolerance = 4 * np.sqrt(np.array(expected) * (1 - np.array(expected)) / n) + 1e-9
        assert np.all(np.abs(observed - expected) <= tolerance), (term, observed)


def test_planted_words_are_not_background_words():
    frame = synth.papers_frame(synth.iter_dumps(2, 200, planted={"model": 0.0}, seed=5))
    assert _share(frame, "model").sum() == 0  # "model" is a common background word otherwise
    other = synth.papers_frame(synth.iter_dumps(2, 200, seed=5))
    # without the exclusion, "model" shows up in about as many abstracts as its weight implies
    weight = synth.vocabulary()["model"]
    expected = 1 - (1 - weight) ** 175  # at least 175 background words per abstract
    assert _share(other, "model").min() > 0.8 * expected > 0.2


def test_repeats_copy_papers_of_the_previous_dump():
    dumps = list(synth.iter_dumps(3, 20, repeat_share=0.25, seed=6))
    for before, after in itertools.pairwise(dumps):
        repeated = set(after.papers) & set(before.papers)
        assert len(repeated) == 5
    assert len(set(dumps[0].papers) & set(dumps[2].papers)) <= 5


def test_generation_is_lazy():
    # a million dumps would never finish if the generator built them all up front
    first = next(synth.iter_dumps(1_000_000, 2, seed=0))
    assert first.seq == 0
    assert first.name.startswith("000000_")  # NNN grows with the number of dumps


def test_lead_parser_reads_back_exactly_what_was_written():
    dumps_mod = pytest.importorskip("helpers.ingest.dumps")
    for dump in synth.iter_dumps(
        3, 6, start_date="2023-12-31", planted={"mamba": 0.5}, repeat_share=0.2, seed=9
    ):
        parsed = dumps_mod.parse_text(dump.name, dump.text)
        assert [(p.title, p.abstract) for p in parsed.papers] == list(dump.papers)
        assert {(p.month, p.day) for p in parsed.papers} == {(dump.date.month, dump.date.day)}
        assert parsed.page_kind == "daily"
        assert [r.severity for r in parsed.rejects] == ["info"] * 6  # 5 chrome + date header


def test_loader_recovers_dates_across_the_year_boundary(tmp_path):
    load = pytest.importorskip("helpers.ingest.load")
    synth.write_corpus(tmp_path, 4, 3, start_date="2023-12-30", freq_days=1, seed=3)
    papers = load.load_dumps(tmp_path, first_year=2023)
    dates = papers.groupby("dump_seq")["dump_date"].first().dt.strftime("%Y-%m-%d").tolist()
    assert dates == ["2023-12-30", "2023-12-31", "2024-01-01", "2024-01-02"]
    assert len(papers) == 12


def test_a_list_plants_one_share_per_dump():
    frame = synth.papers_frame(synth.iter_dumps(3, 300, planted={"burst": [0.0, 0.5, 0.0]}))
    observed = _share(frame, "burst").to_numpy()
    assert observed[0] == 0 and observed[2] == 0
    assert abs(observed[1] - 0.5) < 4 * np.sqrt(0.25 / 300)
    with pytest.raises(ValueError, match="one per dump"):
        next(synth.iter_dumps(3, 5, planted={"burst": [0.1, 0.2]}))


# --- the realistic vocabulary -------------------------------------------------------------------


def test_head_words_come_first_then_a_long_tail():
    v = synth.vocabulary()
    head = len(synth.BACKGROUND_WORDS)
    assert tuple(v.index[:head]) == synth.BACKGROUND_WORDS
    assert len(v) == head + synth.TAIL_SIZE
    # the tail continues the curve: no jump at the seam, then it keeps falling
    assert v.iloc[head] == pytest.approx(v.iloc[head - 1], rel=0.01)
    assert v.iloc[head:].sum() > 0.2  # rare words are a real share of the text


def test_tail_words_stay_single_tokens_and_never_collide():
    from helpers.text import stopwords, tokenize

    v = synth.vocabulary()
    tail = list(v.index[len(synth.BACKGROUND_WORDS) :])
    tokens = tokenize(" ".join(tail))
    assert tokens == [w.lower() for w in tail]  # one token each, spelled as written
    assert len(set(tokens)) == len(tokens)
    assert not set(tokens) & stopwords()
    head = {t for w in synth.BACKGROUND_WORDS for t in tokenize(w)}
    assert not set(tokens) & head
    # every kind of rare word is there: names, compounds, acronyms, tokens with digits
    assert any(w[:1].isupper() and w[1:].islower() for w in tail)
    assert any("-" in w for w in tail)
    assert any(w.isupper() and w.isalpha() for w in tail)
    assert any(any(c.isdigit() for c in w) for w in tail)


def test_vocabulary_is_deterministic():
    build = synth._vocabulary.__wrapped__  # bypass the cache: two independent builds
    a, b = build(2_000, 1.5, 1.0), build(2_000, 1.5, 1.0)
    assert a.index.equals(b.index) and np.array_equal(a.to_numpy(), b.to_numpy())


def test_planted_tail_word_is_never_drawn_as_background():
    v = synth.vocabulary()
    word = v.index[len(synth.BACKGROUND_WORDS)].lower()  # the most common tail word
    kwargs = {"n_dumps": 2, "papers_per_dump": 200, "seed": 5}
    expected = 1 - (1 - v.iloc[len(synth.BACKGROUND_WORDS)]) ** 175  # >= 175 words each
    assert _share(synth.papers_frame(synth.iter_dumps(**kwargs)), word).min() > 0.5 * expected
    frame = synth.papers_frame(synth.iter_dumps(**kwargs, planted={word: 0.25}))
    observed = _share(frame, word).to_numpy()
    assert np.all(np.abs(observed - 0.25) <= 4 * np.sqrt(0.25 * 0.75 / 200))


def _type_token(abstracts) -> dict[str, float]:
    from helpers.text import doc_terms

    uni, bi = [], []
    for text in abstracts:
        for term in doc_terms(text, ngram=(1, 2)):
            (bi if " " in term else uni).append(term)
    return {
        "uni_types": len(set(uni)),
        "uni_ratio": len(set(uni)) / len(uni),
        "bi_types": len(set(bi)),
        "bi_ratio": len(set(bi)) / len(bi),
    }


def test_vocabulary_keeps_growing_with_corpus_size():
    def distinct(n_papers, **kwargs):
        frame = synth.papers_frame(synth.iter_dumps(2, n_papers // 2, seed=11, **kwargs))
        return _type_token(frame["abstract"])

    small, large = distinct(200), distinct(2_000)
    # Heaps' law V ~ K * tokens**beta with beta about 0.5-0.6 for English: ten times the text
    # gives at least 10**0.5 ~ 3.2 times the distinct words, and (sub-linear) far below 10 times
    uni = large["uni_types"] / small["uni_types"]
    assert 10**0.5 < uni < 10**0.8
    assert large["bi_types"] / small["bi_types"] > uni  # word pairs grow faster than words
    # the hand-written words alone (no tail) saturate: this is what the tail is for
    tiny_small, tiny_large = distinct(200, tail_size=0), distinct(2_000, tail_size=0)
    assert tiny_large["uni_types"] / tiny_small["uni_types"] < 1.2


def test_seed_sized_corpus_has_the_seeds_type_token_ratios():
    load = pytest.importorskip("helpers.ingest.load")
    from helpers.config import paths

    raw = paths().raw
    if not any(raw.glob("*.txt")):
        pytest.skip("no seed dumps in data/raw")
    seeds = load.load_dumps(raw)
    real = _type_token(seeds["abstract"])
    fake = _type_token(synth.papers_frame(synth.iter_dumps(1, len(seeds), seed=0))["abstract"])
    for key in ("uni_ratio", "bi_ratio"):
        assert fake[key] == pytest.approx(real[key], rel=0.25), (key, real, fake)


def _content(words: list[str]) -> synth._Background:
    """A key-phrase vocabulary of equally likely ``words``."""
    weights = np.full(len(words), 1 / len(words))
    return synth._Background(np.array(words, dtype=object), weights, np.cumsum(weights))


def test_key_phrases_are_two_different_words():
    # abstracts of two words hold at most one phrase; with two content words, half of the
    # phrases would be "a a" or "b b" if the second word were drawn freely
    rng = np.random.default_rng(0)
    lengths = np.full(2_000, 2)
    words = np.array([f"w{i}" for i in range(lengths.sum())], dtype=object)
    out = synth._key_phrases(words, lengths, 0.5, _content(["a", "b"]), rng)
    pairs = out.reshape(-1, 2)
    phrased = np.isin(pairs[:, 0], ["a", "b"])
    assert phrased.sum() > 500  # about a thousand phrases were placed
    assert (pairs[phrased, 0] != pairs[phrased, 1]).all()


def test_key_phrases_never_overlap_into_a_repeated_word():
    # a phrase placed one slot after another used to overwrite its second word: the same
    # phrase twice then gave "a b b"
    rng = np.random.default_rng(1)
    lengths = np.full(500, 40)
    words = np.array([f"w{i}" for i in range(lengths.sum())], dtype=object)
    content = _content([f"c{i}" for i in range(1_000)])
    out = synth._key_phrases(words, lengths, 0.3, content, rng)
    placed = int(np.char.startswith(out.astype(str), "c").sum()) // 2
    repeats = int((out[1:] == out[:-1]).sum())
    assert placed > 2_000
    assert repeats < placed / 200  # only chance: a phrase starting with the last one's end
