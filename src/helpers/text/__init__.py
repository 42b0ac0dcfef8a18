"""The tokeniser and its counting engines, which give the same counts: the rules, fields and
stopwords (``tokens``, re-exported here), the fast path (``engine``, ``totals``, ``counting``)
and the Dask path (``distributed``). Imports only ``ingest`` and the root modules."""

from helpers.text.tokens import (
    FIELDS,
    JOINED_PREFIXES,
    Field,
    doc_terms,
    field_parts,
    field_text,
    ngram_sizes,
    ngrams,
    normalize,
    paper_text,
    segments,
    stopword_set,
    stopwords,
    tokenize,
)

__all__ = [
    "FIELDS",
    "JOINED_PREFIXES",
    "Field",
    "doc_terms",
    "field_parts",
    "field_text",
    "ngram_sizes",
    "ngrams",
    "normalize",
    "paper_text",
    "segments",
    "stopword_set",
    "stopwords",
    "tokenize",
]
