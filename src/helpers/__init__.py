"""Helpers for analysing Hugging Face Papers listing dumps with pandas.

Public functions are re-exported lazily, so ``import helpers`` stays fast and notebooks can write
``from helpers import load_dumps, term_frequencies``. Each name maps to the module that owns it.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    # loading
    "paths": "config",
    "load_dumps": "load",
    "dedupe": "load",
    "merge_papers": "load",
    "DumpFormatError": "dumps",
    # notebook plumbing
    "load_papers": "notebook",
    "load_rejects": "notebook",
    "load_files": "notebook",
    "table_dir": "notebook",
    "dump_summary": "overview",
    "duplicates_table": "overview",
    "reject_summary": "overview",
    "block_accounting": "overview",
    "overview_headline": "overview",
    "save_table": "notebook",
    "save_headline": "notebook",
    "as_list": "notebook",
    "read_headline": "notebook",
    "save_figure": "plots",
    "papers_mentioning": "evidence",
    "papers_behind": "evidence",
    "add_period": "periods",
    # text and terms
    "tokenize": "text",
    "segments": "text",
    "ngrams": "text",
    "stopwords": "text",
    "doc_terms": "text",
    "term_occurrences": "terms",
    "term_frequencies": "terms",
    "term_shares_by_group": "terms",
    "distinctive_terms": "terms",
    "collocations": "terms",
    "cloud_frequencies": "terms",
    # trends
    "keyword_trends": "trends",
    "emerging_terms": "trends",
    "trend_topics": "trend_views",
    "top_term_trends": "trends",
    "bursts": "trend_views",
    "as_concepts": "trends",
    # signals: statuses with effect sizes, concepts, style apart from subject
    "signals": "trend_signals",
    "style_signals": "trend_signals",
    "signal_shares": "trend_signals",
    "top_signals": "trend_signals",
    "trend_status": "trend_signals",
    # links and venues
    "extract_links": "links",
    "code_status": "links",
    "shares_by_period": "links",
    "kind_table": "links",
    "owner_table": "links",
    "link_table": "links",
    "flag_shares": "links_tables",
    "find_venues": "venues",
    "venue_table": "venues",
    "venue_coverage": "venues",
    # themes and similar papers
    "fit_topics": "topics",
    "choose_k": "topic_model",
    "term_matrix": "topic_model",
    "similar_papers": "similar",
    "nearest_papers": "similar",
    "near_duplicates": "similar",
    "merge_near_duplicates": "similar",
    # fast counting at scale
    "count_terms": "counting",
    "CountCache": "counting",
    "count_dumps": "counting",
    "count_terms_distributed": "distributed",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"helpers.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
