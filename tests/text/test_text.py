"""Tokeniser, stopwords and n-gram rules of helpers.text, one test per rule."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers.text import doc_terms, ngrams, normalize, segments, stopwords, tokenize


def test_lowercases_and_drops_punctuation():
    assert tokenize("Hello, World! (Deep) [Learning]; yes?") == [
        "hello",
        "world",
        "deep",
        "learning",
        "yes",
    ]


@pytest.mark.parametrize("term", ["zero-shot", "gpt-4", "3d", "1-bit", "state-of-the-art"])
def test_hyphenated_and_alphanumeric_terms_stay_whole(term):
    assert tokenize(f"A {term.upper()} idea") == ["a", term, "idea"]


def test_version_numbers_and_multipliers_keep_their_dot():
    assert tokenize("GPT-3.5 runs 3.4x faster.") == ["gpt-3.5", "runs", "3.4x", "faster"]


@pytest.mark.parametrize(
    "text",
    ["2024", "3.5", "1,000", "10-20", "95%", "(42)", "0.001."],
)
def test_numbers_alone_are_dropped(text):
    assert tokenize(f"alpha {text} beta") == ["alpha", "beta"]


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/org/repo",
        "http://example.org/a_b?x=1",
        "www.example.com/page",
        "github.com/org/repo-name",
        "huggingface.co/spaces/demo",
    ],
)
def test_urls_are_dropped(url):
    assert tokenize(f"Code at {url}. Thanks") == ["code", "at", "thanks"]


@pytest.mark.parametrize(
    ("text", "term"),
    [("LLMs", "llm"), ("GNNs", "gnn"), ("VLMs", "vlm"), ("MLLMs", "mllm"), ("ViTs", "vit"),
     ("MoEs", "moe"), ("A100s", "a100"), ("LLMs'", "llm"), ("GNNs-based", "gnn-based")],
)  # fmt: skip
def test_plural_acronyms_lose_their_s(text, term):
    assert tokenize(text) == [term]


@pytest.mark.parametrize(
    "word", ["process", "papers", "Papers", "Is", "PRES", "ATLAS", "LLMS", "analysis", "Gs"]
)
def test_plural_rule_does_not_touch_ordinary_or_all_caps_words(word):
    assert tokenize(word) == [word.lower()]


def test_plural_and_singular_acronym_count_as_one_term():
    assert tokenize("LLM LLMs llm") == ["llm", "llm", "llm"]


@pytest.mark.parametrize(
    ("variants", "canonical"),
    [
        (["multi-modal", "multimodal", "Multi-Modal"], "multimodal"),
        (["pre-trained", "pretrained"], "pretrained"),
        (["non-linear", "nonlinear"], "nonlinear"),
        (["fine-tuning", "finetuning"], "finetuning"),
        (["re-ranking", "reranking"], "reranking"),
        (["auto-regressive", "autoregressive"], "autoregressive"),
    ],
)
def test_hyphen_after_bound_prefix_is_dropped(variants, canonical):
    assert {tuple(tokenize(v)) for v in variants} == {(canonical,)}


@pytest.mark.parametrize(
    "term", ["zero-shot", "self-supervised", "fine-grained", "cross-attention", "pre-2020"]
)
def test_other_hyphens_are_kept(term):
    assert tokenize(term) == [term]


def test_possessive_s_is_dropped_and_unicode_hyphens_are_plain_hyphens():
    assert tokenize("LARP\u2019s zero\u2011shot") == ["larp", "zero-shot"]


def test_normalize_applies_variant_rules_only():
    assert normalize("Multi-Modal LLMs, 2024") == "multimodal llm, 2024"


def test_segments_break_at_punctuation_and_dropped_tokens():
    text = "Large language models (LLMs): scale; we train 7 models. Code at https://a.io now"
    assert segments(text) == [
        ["large", "language", "models"],
        ["llm"],
        ["scale"],
        ["we", "train"],
        ["models"],
        ["code", "at"],
        ["now"],
    ]


def test_ngrams_never_span_a_break():
    assert ngrams("deep learning. graph networks", 2) == ["deep learning", "graph networks"]
    assert "learning graph" not in ngrams("deep learning, graph networks", 2)


def test_ngrams_do_not_start_or_end_with_stopwords_but_may_contain_them():
    stop = stopwords()
    grams = ngrams("We use chain of thought for the reasoning of models.", 3, stop)
    assert grams == ["chain of thought", "reasoning of models"]
    assert ngrams("the chain of thought", 2, {"the", "of"}) == []
    assert ngrams("the chain of thought", 2, set()) == ["the chain", "chain of", "of thought"]


def test_unigrams_exclude_stopwords():
    assert ngrams("We propose a novel sequential model", 1, stopwords()) == ["sequential", "model"]


def test_ngrams_rejects_bad_n():
    with pytest.raises(ValueError):
        ngrams("a b", 0)


def test_doc_terms_mixes_sizes_and_uses_default_stopwords():
    terms = doc_terms("Sequential recommendation with LLMs.", ngram=(1, 2))
    assert terms == ["sequential", "recommendation", "llm", "sequential recommendation"]
    assert doc_terms("the paper", ngram=1) == []
    assert doc_terms("the paper", ngram=1, stopwords=()) == ["the", "paper"]


def test_stopwords_are_shipped_and_overridable():
    default = stopwords()
    assert {"the", "of", "and", "propose", "paper", "method", "results", "novel"} <= default
    assert "model" not in default  # kept: it carries meaning inside n-grams
    assert "propose" not in stopwords(domain=False)
    assert "the" not in stopwords(english=False)
    assert "the" in stopwords(domain=False)
    custom = stopwords(extra=["Diffusion", "LLMs"], keep=["novel"])
    assert {"diffusion", "llm"} <= custom
    assert "novel" not in custom
    with pytest.raises(ValueError):
        stopwords(extra=["language model"])


def test_shipped_words_are_in_tokenised_form():
    for word in stopwords():
        assert tokenize(word) == [word]


_ALPHABET = st.sampled_from(
    list("aZ09 -.,;:'()sS")
    + ["LLMs", " https://x.io/a ", "github.com/x", "multi-", "\u2011", "'s", "\n", "3.4"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(_ALPHABET, max_size=40).map("".join), st.text(max_size=60)))
def test_segments_concatenate_to_tokens(text):
    assert [t for seg in segments(text) for t in seg] == tokenize(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
@example("0.A")  # digits the number pattern refuses and a word match takes alone
@example("1-2,x 12_y 1.5.a")
def test_tokens_are_lowercase_words_never_bare_numbers(text):
    for token in tokenize(text):
        assert token == token.lower() or not token.isascii()
        assert re.fullmatch(r"[\d.,-]+", token) is None
        assert token.strip() == token and token


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["the", "of", "deep", "net", ",", "model", "a"]), max_size=25))
def test_ngram_edges_are_never_stopwords(words):
    text = " ".join(words)
    stop = frozenset({"the", "of", "a"})
    for n in (1, 2, 3):
        for gram in ngrams(text, n, stop):
            parts = gram.split()
            assert len(parts) == n
            assert parts[0] not in stop and parts[-1] not in stop
