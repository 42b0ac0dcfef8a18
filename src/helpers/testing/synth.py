"""Synthetic Hugging Face Papers dumps with planted trends, for tests and benchmarks.

Writes files in the exact format of data/raw: page chrome blocks, a date header ("Mar 11"), then
title / abstract blocks separated by blank lines, in files named ``NNN_<16 hex>.txt`` where NNN
orders the dumps in time. Text is drawn from a Zipfian ML vocabulary; chosen terms are planted
in a known share of papers, rising or falling linearly from the first dump to the last, or flat.

Everything streams: ``iter_dumps`` yields one dump at a time, so a corpus of a million abstracts
never sits in memory. A fixed seed gives byte-identical output.

Vocabulary. Background words come from :func:`vocabulary`: the hand-written ``BACKGROUND_WORDS``
(266 words, the head of the Zipf curve, weight ``1 / (rank + 2.7)``) followed by a long tail of
``TAIL_SIZE`` = 400,000 generated pseudo-words (plain words, capitalised names, hyphenated
compounds, acronyms, version-like tokens such as "v12" or "7b") whose weights continue the curve
with exponent ``TAIL_EXPONENT`` = 1.55. Each abstract also repeats three key phrases of its own
(``KEY_PHRASE_SHARE`` of its word slots), and commas break sentences like real punctuation.
Planted terms and the corpus structure come from their own random stream, so planted shares do
not depend on the vocabulary settings.

Calibration (measured 2026-11-30 with ``helpers.text.doc_terms(ngram=(1, 2))``, default
stopwords, on abstracts; unigrams and bigrams counted separately; seed 0; 500 papers per dump):

=====================  ==========  ==========  =========  ==========  ==========  =========
corpus                 uni tokens  uni types   uni T/T    bi tokens   bi types    bi T/T
=====================  ==========  ==========  =========  ==========  ==========  =========
seeds (107 abstracts)  13,054      3,577       0.274      5,809       4,499       0.774
synth, 107 abstracts   13,900      3,425       0.246      6,890       5,881       0.854
synth, 1k              130,049     14,006      0.108      64,133      52,323      0.816
synth, 10k             1,289,691   55,982      0.043      634,280     423,117     0.667
synth, 100k            12,901,225  188,439     0.015      6,352,752   2,785,451   0.438
=====================  ==========  ==========  =========  ==========  ==========  =========

At the seeds' size the type/token ratios are within 11% (unigrams and bigrams) of the
seeds (tests/test_synth.py checks 25%). Distinct unigrams grow sub-linearly, like Heaps' law
with beta about 0.6 (1k to 10k: x4.0) then 0.53 (10k to 100k: x3.4); the old 266-word vocabulary
gave 200 distinct unigrams at every size and 35,674 distinct bigrams at 10k. Synthetic abstracts
have about 20% more bigram tokens than the seeds (fewer punctuation breaks). Writing 100k
abstracts (172 MB) runs at about 14.5 MB/s (8.5k abstracts/s; 18 MB/s with the old vocabulary,
whose files were 118 MB); building the vocabulary takes about 1.6 s once per process.

>>> files = write_corpus("/tmp/synth", n_dumps=3, papers_per_dump=5,
...                      start_date="2023-12-30", planted={"mamba": (0.0, 0.5)})  # doctest: +SKIP
>>> [f.name[:4] for f in files]                                             # doctest: +SKIP
['000_', '001_', '002_']
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

CHROME_HEAD = (
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
)
DAILY_HEADER = "Daily Papers"
BYLINE = "byAK and the research community"

# Words in rough order of how common they are in ML abstracts; the weight of a word falls with
# its rank (Zipf). Function words first, then frequent ML words, then rarer technical terms.
_FUNCTION = """the of and to a in for we that is on with by our this as are from an
which can these be it its both while such than at into more not has have or also their
however only between across over through without via using based show""".split()
_COMMON = """model models method learning data performance language large training tasks
results approach framework propose task network neural methods existing novel generation
image information new benchmark proposed inference state-of-the-art dataset quality
reasoning efficient multimodal diffusion video paper evaluation significantly text
experiments demonstrate achieves representation agents problem outperforms accuracy
generalization visual different knowledge improve challenging human robust scale
instruction fine-tuning pretrained architecture optimization token tokens context
efficiency complex semantic policy code retrieval alignment""".split()
_TECHNICAL = """transformer attention reinforcement LLMs vision 3D scene audio speech
evaluation-driven zero-shot few-shot prompting prompts chain-of-thought benchmark-driven
embedding embeddings latent decoder encoder autoregressive contrastive self-supervised
supervised unsupervised graph graphs segmentation detection captioning editing synthesis
rendering reconstruction NeRF Gaussian splatting point cloud depth pose motion robot
robotic manipulation navigation planning reward preference RLHF DPO distillation pruning
quantization sparsity mixture-of-experts routing memory long-context hallucination safety
jailbreak adversarial robustness fairness bias privacy federated continual lifelong
curriculum sampling denoising score flow matching consistency guidance classifier-free
tokenizer vocabulary multilingual translation summarization dialogue conversational
question answering mathematical theorem proving program synthesis compiler kernels GPU
throughput latency serving speculative decoding caching KV-cache compression scaling laws
emergent in-context retrieval-augmented RAG agents tool-use web GUI simulation world
physics medical clinical molecular protein chemistry materials weather climate
recommendation ranking search click-through tabular time-series forecasting anomaly
uncertainty calibration interpretability mechanistic probing neurons circuits features
sparse autoencoders steering editing unlearning watermarking detection deepfake
""".split()

BACKGROUND_WORDS: tuple[str, ...] = tuple(dict.fromkeys(_FUNCTION + _COMMON + _TECHNICAL))

_OPENERS = (
    "We propose",
    "We present",
    "In this paper, we introduce",
    "This work studies",
    "Recent advances in",
    "Existing methods for",
    "We show that",
    "Experiments on",
    "To address this, we develop",
    "Our results suggest that",
)
_TITLE_TAILS = ("Net", "Former", "GPT", "Diff", "Bench", "LM", "Agent", "Flow", "Gen", "Mix")
_LETTERS = np.array(list("BCDFGHJKLMNPQRSTVWXZ"))  # no vowels: names never spell a real word


@dataclass(frozen=True)
class SynthDump:
    """One synthetic dump: its file name, sequence number, date and (title, abstract) pairs."""

    seq: int
    date: pd.Timestamp
    name: str
    text: str
    papers: tuple[tuple[str, str], ...]


TAIL_SIZE = 400_000
"""Default number of generated tail words (see the module docstring for the calibration)."""
TAIL_EXPONENT = 1.55
"""Default Zipf exponent of the tail (the head keeps exponent 1; the curve is continuous)."""
KEY_PHRASE_SHARE = 0.07
"""Default share of an abstract's word slots that start one of its repeated key phrases."""
COMMA_RATE = 0.06
"""Share of words followed by a comma (besides one mid-sentence comma): real abstracts break
their sentences with punctuation, which cuts bigrams."""
_HEAD_OFFSET = 2.7  # weight of rank r in the head: 1 / (r + 2.7)

# Pieces of generated pseudo-words: syllable = onset + vowel + optional coda. Written for this
# project; the mix of kinds below roughly follows the rare words of the seed abstracts.
_ONSETS = "b c d f g h j k l m n p r s t v w z br cr dr fr gr kr pr tr pl st ch sh th".split()
_VOWELS = "a e i o u a e i o y".split()
_CODAS = ("", "", "", "", "", "", "n", "r", "l", "s", "x", "m", "t")
_UPPER = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
# share of each kind of tail word: plain, Name, hyphen-compound, ACRONYM, digit token
_KINDS = (0.58, 0.14, 0.12, 0.09, 0.07)
_VOCAB_SEED = 20240311  # fixed: the vocabulary never depends on the corpus seed


def _join_columns(parts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Row-wise concatenation of the first ``counts[i]`` strings of each row of ``parts``."""
    parts = np.where(np.arange(parts.shape[1]) < counts[:, None], parts, "")
    out = parts[:, 0]
    for j in range(1, parts.shape[1]):
        out = np.strings.add(out, parts[:, j])
    return out


def _pseudo_words(rng: np.random.Generator, n: int, p_syllables: Sequence[float]) -> np.ndarray:
    """``n`` lowercase pseudo-words of 1-4 syllables with chances ``p_syllables`` (may repeat;
    deduplicated later)."""
    syllables = np.array([o + v + c for o in _ONSETS for v in _VOWELS for c in _CODAS])
    n_syl = rng.choice([1, 2, 3, 4], size=n, p=p_syllables)
    return _join_columns(syllables[rng.integers(len(syllables), size=(n, 4))], n_syl)


def _tail_candidates(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` candidate tail words of mixed kinds, in a random (deterministic) order."""
    kinds = rng.choice(len(_KINDS), size=n, p=_KINDS)
    base = _pseudo_words(rng, n, (0.0, 0.45, 0.45, 0.1))
    short = _pseudo_words(rng, n, (0.3, 0.7, 0.0, 0.0))
    acronyms = _join_columns(_UPPER[rng.integers(len(_UPPER), size=(n, 5))], rng.integers(2, 6, n))
    digits = rng.integers(1, 100, size=n).astype(str)
    first = base.astype("U1")
    form = rng.integers(4, size=n)  # version-like tokens: "7b", "v12", "lumo-3", "kvr4"
    with_digit = np.where(
        form == 0,
        np.strings.add(digits, first),
        np.where(
            form == 1,
            np.strings.add(first, digits),
            np.strings.add(short, np.where(form == 2, np.strings.add("-", digits), digits)),
        ),
    )
    out = base.astype(f"U{2 * base.dtype.itemsize // 4 + 8}")
    out = np.where(kinds == 1, np.strings.capitalize(base), out)  # a name: "Kelvaro"
    out = np.where(kinds == 2, np.strings.add(np.strings.add(short, "-"), base), out)  # "vo-tesk"
    out = np.where(kinds == 3, acronyms, out)  # an acronym: "QTVR"
    out = np.where(kinds == 4, with_digit, out)
    return out.tolist()


def vocabulary(
    tail_size: int = TAIL_SIZE, tail_exponent: float = TAIL_EXPONENT, exponent: float = 1.0
) -> pd.Series:
    """Background vocabulary with Zipfian weights (summing to 1), most common word first.

    The head is ``BACKGROUND_WORDS`` in their order, weighted ``1 / (rank + 2.7) ** exponent``;
    then ``tail_size`` generated pseudo-words (names, compounds, acronyms, version tokens) whose
    weights continue the curve from the last head word with exponent ``tail_exponent``. A tail
    word never equals (after :func:`helpers.text.tokenize`) a stopword, a head word or another
    tail word, and always stays one token. Deterministic: it does not depend on any seed.

    >>> v = vocabulary(); v.index[0], bool(v.iloc[0] > v.iloc[-1]), len(v) > 100_000
    ('the', True, True)
    """
    return _vocabulary(int(tail_size), float(tail_exponent), float(exponent))


@lru_cache(maxsize=4)
def _vocabulary(tail_size: int, tail_exponent: float, exponent: float) -> pd.Series:
    from helpers.text import JOINED_PREFIXES, stopwords, tokenize

    head = list(BACKGROUND_WORDS)
    taken = set(stopwords()) | {t for w in head for t in tokenize(w)}
    joined = {*JOINED_PREFIXES, "fine"}
    rng = np.random.default_rng(_VOCAB_SEED)
    tail: list[str] = []
    while len(tail) < tail_size:
        need = tail_size - len(tail)
        for word in _tail_candidates(rng, need + need // 4 + 16):
            key = word.lower()
            if key in taken or key.split("-")[0] in joined:
                continue
            taken.add(key)
            tail.append(word)
            if len(tail) == tail_size:
                break
    ranks = np.arange(1, len(head) + tail_size + 1, dtype=float)
    weights = 1.0 / (ranks + _HEAD_OFFSET) ** exponent
    if tail_size:
        pivot = len(head) + _HEAD_OFFSET
        in_tail = ranks > len(head)
        weights[in_tail] = weights[len(head) - 1] * ((ranks[in_tail] + _HEAD_OFFSET) / pivot) ** (
            -tail_exponent
        )
    return pd.Series(weights / weights.sum(), index=head + tail, name="weight")


@dataclass(frozen=True)
class _Background:
    """Drawable background words: the words, their probabilities and cumulative weights."""

    words: np.ndarray
    weights: np.ndarray
    cdf: np.ndarray

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` words drawn with replacement (what ``rng.choice(p=weights)`` does, without
        rebuilding the cumulative weights on every call)."""
        return self.words[np.searchsorted(self.cdf, rng.random(size), side="right")]


@lru_cache(maxsize=32)
def _background(
    exclude: frozenset[str] = frozenset(),
    tail_size: int = TAIL_SIZE,
    tail_exponent: float = TAIL_EXPONENT,
    content_only: bool = False,
) -> _Background:
    """Background words minus ``exclude`` (lower case), optionally minus the stopwords of
    :func:`helpers.text.stopwords` (for titles and key phrases), with renormalised weights and
    their cumulative sum."""
    vocab = vocabulary(tail_size, tail_exponent)
    keep = np.ones(len(vocab), dtype=bool)
    if exclude:
        keep &= ~_lowercase_index(tail_size, tail_exponent).isin(exclude)
    if content_only:
        keep &= ~_stopword_mask(tail_size, tail_exponent)
    words = vocab.index.to_numpy(dtype=object)[keep]
    weights = vocab.to_numpy()[keep]
    weights = weights / weights.sum()
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    return _Background(words=words, weights=weights, cdf=cdf)


@lru_cache(maxsize=4)
def _stopword_mask(tail_size: int, tail_exponent: float) -> np.ndarray:
    from helpers.text import stopwords, tokenize

    stop = stopwords()
    head = [any(t in stop for t in tokenize(w)) for w in BACKGROUND_WORDS]
    return np.concatenate([np.array(head, dtype=bool), np.zeros(tail_size, dtype=bool)])


@lru_cache(maxsize=4)
def _lowercase_index(tail_size: int, tail_exponent: float) -> pd.Index:
    return pd.Index([w.lower() for w in vocabulary(tail_size, tail_exponent).index])


def _key_phrases(
    words: np.ndarray,
    lengths: np.ndarray,
    share: float,
    content: _Background,
    rng: np.random.Generator,
    per_abstract: int = 3,
) -> np.ndarray:
    """Copy of ``words`` (abstracts of ``lengths`` laid end to end) where about ``share`` of the
    slots start one of the abstract's ``per_abstract`` key phrases (two content words drawn
    once per abstract). Real abstracts repeat their key terms ("sequential recommendation ...
    sequential recommendation"), which independent draws never do."""
    out = words.copy()
    if share <= 0 or len(words) == 0:
        return out
    ends = np.cumsum(lengths)
    owner = np.repeat(np.arange(len(lengths)), lengths)
    pos = np.arange(len(words))
    chosen = pos[(rng.random(len(words)) < share) & (pos + 2 <= ends[owner])]
    # a phrase starting right after another would overwrite its second word: with the same
    # phrase twice, "a b" then "a b" one slot later gave "a b b"
    chosen = chosen[np.diff(chosen, prepend=-2) > 1]
    phrases = content.draw(rng, 2 * per_abstract * len(lengths)).reshape(len(lengths), -1, 2)
    same = phrases[..., 0] == phrases[..., 1]
    while same.any():  # a phrase of two different words ("dataset dataset" is no phrase)
        phrases[..., 1][same] = content.draw(rng, int(same.sum()))
        same = phrases[..., 0] == phrases[..., 1]
    which = rng.integers(per_abstract, size=len(chosen))
    out[chosen] = phrases[owner[chosen], which, 0]
    out[chosen + 1] = phrases[owner[chosen], which, 1]
    return out


def _sentences(words: list[str], rng: np.random.Generator) -> str:
    """Join drawn words into capitalised sentences of 10-25 words, each ending with a full stop,
    with a comma in the middle and after about ``COMMA_RATE`` of the other words."""
    n = len(words)
    cuts = np.cumsum(rng.integers(10, 26, size=n // 10 + 1))
    cuts = [0, *cuts[cuts < n].tolist(), n]
    commas = np.flatnonzero(rng.random(n) < COMMA_RATE).tolist()
    opener = _OPENERS[int(rng.integers(len(_OPENERS)))]
    if not n:
        return ""
    words = list(words)  # punctuation is added in place, on a copy
    ends = set(cuts)
    for i in commas:
        if i + 1 not in ends:
            words[i] += ","
    for k in range(len(cuts) - 1):
        start, stop = cuts[k], cuts[k + 1]
        if start == stop:
            continue
        if k == 0:  # the opener counts as the first word of the first sentence
            size, mid = stop - start + 1, start + (stop - start + 1) // 2 - 1
        else:
            words[start] = words[start][:1].upper() + words[start][1:]
            size, mid = stop - start, start + (stop - start) // 2
        if size > 8 and not words[mid].endswith(","):
            words[mid] += ","
        words[stop - 1] += "."
    return opener + " " + " ".join(words)


def abstract(
    rng: np.random.Generator,
    n_words: int = 180,
    plant: tuple[str, ...] = (),
    exclude: frozenset[str] = frozenset(),
) -> str:
    """One abstract of about ``n_words`` background words with each term of ``plant`` inserted
    once at a random place. Words in ``exclude`` (lower case) are never drawn as background.

    >>> text = abstract(np.random.default_rng(0), 30, plant=("mamba",))
    >>> "mamba" in text, text.endswith(".")
    (True, True)
    """
    words = _background(exclude).draw(rng, n_words)
    content = _background(exclude, content_only=True)
    drawn = _key_phrases(words, np.array([n_words]), KEY_PHRASE_SHARE, content, rng).tolist()
    for term in plant:
        drawn.insert(int(rng.integers(0, len(drawn) + 1)), term)
    return _sentences(drawn, rng)


Share = float | tuple[float, float] | Sequence[float]


def _share_at(spec: Share, seq: int, n_dumps: int) -> float:
    """Share of papers carrying a term in dump ``seq``: flat, linear (first, last) or listed."""
    if isinstance(spec, tuple):
        start, end = spec
        frac = seq / (n_dumps - 1) if n_dumps > 1 else 0.0
        return float(start + (end - start) * frac)
    if isinstance(spec, (list, np.ndarray)):
        if len(spec) != n_dumps:
            raise ValueError(f"a list of shares needs one per dump ({n_dumps}), got {len(spec)}")
        return float(spec[seq])
    return float(spec)


def _name(counter: int) -> str:
    """A unique vowel-free acronym for paper number ``counter`` (so titles never collide)."""
    letters = []
    value = counter
    for _ in range(3):
        letters.append(_LETTERS[value % len(_LETTERS)])
        value //= len(_LETTERS)
    digits = str(value) if value else ""
    return "".join(letters) + digits


def render(date: pd.Timestamp, papers: list[tuple[str, str]], daily: bool = True) -> str:
    """The text of one dump file (no trailing newline, like the seeds)."""
    head = list(CHROME_HEAD) + ([DAILY_HEADER] if daily else []) + [BYLINE]
    label = f"{date:%b} {date.day}"
    body = [block for pair in papers for block in pair]
    return "\n\n".join([*head, label, *body])


def iter_dumps(
    n_dumps: int,
    papers_per_dump: int | tuple[int, int] = 50,
    start_date: str | pd.Timestamp = "2023-12-01",
    freq_days: int = 1,
    planted: Mapping[str, Share] | None = None,
    seed: int = 0,
    words_per_abstract: int | tuple[int, int] = (175, 275),
    repeat_share: float = 0.0,
    title_share: float = 0.3,
    daily: bool = True,
    tail_size: int = TAIL_SIZE,
    tail_exponent: float = TAIL_EXPONENT,
    key_phrase_share: float = KEY_PHRASE_SHARE,
) -> Iterator[SynthDump]:
    """Yield synthetic dumps one at a time, oldest first.

    ``planted`` maps a term (one or more words) to its share of papers: a float for a flat share,
    ``(first, last)`` (a tuple) for a share moving linearly from the first dump to the last,
    or a list with one share per dump (for bursts or any other shape). A paper
    that carries a term gets it in its abstract, and in its title with chance ``title_share``.
    Single-word planted terms are never drawn as background words, so shares are exact draws.
    ``repeat_share`` of each dump's papers are copies of papers of the previous dump (real
    listings repeat papers across pages). ``papers_per_dump`` and ``words_per_abstract`` accept
    a (low, high) range drawn uniformly per dump / per abstract. ``tail_size`` and
    ``tail_exponent`` shape the long tail of the vocabulary (see :func:`vocabulary`);
    ``tail_size=0`` gives the small hand-written vocabulary only. ``key_phrase_share`` of the
    word slots of an abstract start one of its three key phrases (0: words are independent).
    """
    planted = dict(planted or {})
    rng = np.random.default_rng(seed)  # structure: sizes, planted terms, repeats
    text_rng = np.random.default_rng([seed, 1])  # words: planted draws never depend on them
    start = pd.Timestamp(start_date).normalize()
    exclude = frozenset(t.lower() for t in planted if " " not in t)
    background = _background(exclude, tail_size, tail_exponent)
    content = _background(exclude, tail_size, tail_exponent, content_only=True)
    terms = list(planted)
    width = max(3, len(str(max(n_dumps - 1, 0))))
    counter = 0
    previous: list[tuple[str, str]] = []
    for seq in range(n_dumps):
        date = start + pd.Timedelta(days=seq * freq_days)
        if isinstance(papers_per_dump, tuple):
            n_papers = int(rng.integers(papers_per_dump[0], papers_per_dump[1] + 1))
        else:
            n_papers = int(papers_per_dump)
        n_repeat = min(len(previous), int(round(repeat_share * n_papers)))
        n_new = n_papers - n_repeat
        shares = np.array([_share_at(planted[t], seq, n_dumps) for t in terms])
        carries = rng.random((n_new, len(terms))) < shares  # papers x planted terms
        in_title = rng.random((n_new, len(terms))) < title_share
        if isinstance(words_per_abstract, tuple):
            lengths = rng.integers(words_per_abstract[0], words_per_abstract[1] + 1, size=n_new)
        else:
            lengths = np.full(n_new, int(words_per_abstract))
        # one draw for the whole dump: fast even for large corpora
        pool = background.draw(text_rng, int(lengths.sum()))
        pool = _key_phrases(pool, lengths, key_phrase_share, content, text_rng).tolist()
        title_pool = content.draw(text_rng, 8 * n_new).tolist()
        title_lengths = rng.integers(4, 9, size=n_new)
        where = rng.random((n_new, len(terms), 2))  # insertion points (abstract, title)
        offsets = np.concatenate([[0], np.cumsum(lengths)]).tolist()
        fresh = []
        for i in range(n_new):
            body = pool[offsets[i] : offsets[i + 1]]
            title_words = title_pool[8 * i : 8 * i + int(title_lengths[i])]
            for k in np.flatnonzero(carries[i]).tolist():
                term = terms[k]
                body.insert(int(where[i, k, 0] * (len(body) + 1)), term)
                if in_title[i, k]:
                    title_words.insert(int(where[i, k, 1] * (len(title_words) + 1)), term)
            name = _name(counter) + _TITLE_TAILS[counter % len(_TITLE_TAILS)]
            counter += 1
            title = f"{name}: " + " ".join(w[:1].upper() + w[1:] for w in title_words)
            fresh.append((title, _sentences(body, text_rng)))
        repeats = []
        if n_repeat:
            picks = rng.choice(len(previous), size=n_repeat, replace=False)
            repeats = [previous[int(k)] for k in sorted(picks)]
        papers = fresh + repeats
        text = render(date, papers, daily=daily)
        digest = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
        yield SynthDump(
            seq=seq,
            date=date,
            name=f"{seq:0{width}d}_{digest}.txt",
            text=text,
            papers=tuple(papers),
        )
        previous = papers


def iter_named_texts(*args, **kwargs) -> Iterator[tuple[str, str]]:
    """Like ``iter_dumps`` but yields only ``(file name, file text)`` pairs."""
    for dump in iter_dumps(*args, **kwargs):
        yield dump.name, dump.text


def write_corpus(folder: str | os.PathLike, n_dumps: int, *args, **kwargs) -> list[Path]:
    """Write ``n_dumps`` synthetic dump files into ``folder`` (created if needed) and return
    their paths, oldest first. Takes the arguments of ``iter_dumps``; each file is written
    atomically (temporary name, then rename)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in iter_named_texts(n_dumps, *args, **kwargs):
        target = folder / name
        tmp = folder / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        out.append(target)
    return out


def papers_frame(dumps: Iterator[SynthDump] | list[SynthDump]) -> pd.DataFrame:
    """Ground truth for tests: one row per paper appearance with dump_seq, dump_date,
    dump_file, title and abstract (what a correct loader must recover from the files)."""
    rows = [
        {
            "dump_file": d.name,
            "dump_seq": d.seq,
            "dump_date": d.date,
            "title": title,
            "abstract": abstract_text,
        }
        for d in dumps
        for title, abstract_text in d.papers
    ]
    return pd.DataFrame(rows)
