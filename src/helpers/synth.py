"""Synthetic Hugging Face Papers dumps with planted trends, for tests and benchmarks.

Writes files in the exact format of data/raw: page chrome blocks, a date header ("Mar 11"), then
title / abstract blocks separated by blank lines, in files named ``NNN_<16 hex>.txt`` where NNN
orders the dumps in time. Text is drawn from a Zipfian ML vocabulary; chosen terms are planted
in a known share of papers, rising or falling linearly from the first dump to the last, or flat.

Everything streams: ``iter_dumps`` yields one dump at a time, so a corpus of a million abstracts
never sits in memory. A fixed seed gives byte-identical output.

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


@lru_cache(maxsize=1)
def vocabulary(exponent: float = 1.0) -> pd.Series:
    """Background vocabulary with Zipfian weights (summing to 1), most common word first.

    >>> v = vocabulary(); v.index[0], bool(v.iloc[0] > v.iloc[-1])
    ('the', True)
    """
    ranks = np.arange(1, len(BACKGROUND_WORDS) + 1, dtype=float)
    weights = 1.0 / (ranks + 2.7) ** exponent
    return pd.Series(weights / weights.sum(), index=list(BACKGROUND_WORDS), name="weight")


def _background(exclude: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
    vocab = vocabulary()
    keep = ~vocab.index.str.lower().isin(exclude)
    words = np.asarray(vocab.index[keep], dtype=object)
    weights = vocab.to_numpy()[keep]
    return words, weights / weights.sum()


def _sentences(words: list[str], rng: np.random.Generator) -> str:
    """Join drawn words into capitalised sentences of 10-25 words, each ending with a full stop."""
    n = len(words)
    cuts = np.cumsum(rng.integers(10, 26, size=n // 10 + 1))
    cuts = [0, *cuts[cuts < n].tolist(), n]
    opener = _OPENERS[int(rng.integers(len(_OPENERS)))]
    out = []
    for k in range(len(cuts) - 1):
        chunk = words[cuts[k] : cuts[k + 1]]
        if not chunk:
            continue
        if k == 0:
            chunk = [opener, *chunk]
        else:
            chunk = [chunk[0][:1].upper() + chunk[0][1:], *chunk[1:]]
        if len(chunk) > 8:
            mid = len(chunk) // 2
            chunk[mid] = chunk[mid] + ","
        out.append(" ".join(chunk) + ".")
    return " ".join(out)


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
    words, weights = _background(exclude)
    drawn = words[rng.choice(len(words), size=n_words, p=weights)].tolist()
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
    words_per_abstract: int | tuple[int, int] = (120, 240),
    repeat_share: float = 0.0,
    title_share: float = 0.3,
    daily: bool = True,
) -> Iterator[SynthDump]:
    """Yield synthetic dumps one at a time, oldest first.

    ``planted`` maps a term (one or more words) to its share of papers: a float for a flat share,
    ``(first, last)`` (a tuple) for a share moving linearly from the first dump to the last,
    or a list with one share per dump (for bursts or any other shape). A paper
    that carries a term gets it in its abstract, and in its title with chance ``title_share``.
    Single-word planted terms are never drawn as background words, so shares are exact draws.
    ``repeat_share`` of each dump's papers are copies of papers of the previous dump (real
    listings repeat papers across pages). ``papers_per_dump`` and ``words_per_abstract`` accept
    a (low, high) range drawn uniformly per dump / per abstract.
    """
    planted = dict(planted or {})
    rng = np.random.default_rng(seed)
    start = pd.Timestamp(start_date).normalize()
    exclude = frozenset(t.lower() for t in planted if " " not in t)
    words, weights = _background(exclude)
    content = ~np.isin(words, _FUNCTION)
    title_words_all = words[content]
    title_weights = weights[content] / weights[content].sum()
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
        pool = words[rng.choice(len(words), size=int(lengths.sum()), p=weights)].tolist()
        title_pool = title_words_all[
            rng.choice(len(title_words_all), size=8 * n_new, p=title_weights)
        ].tolist()
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
            fresh.append((title, _sentences(body, rng)))
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


def iter_dump_texts(*args, **kwargs) -> Iterator[tuple[str, str]]:
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
    for name, text in iter_dump_texts(n_dumps, *args, **kwargs):
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
