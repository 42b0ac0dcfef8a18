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
    "plural": "wording",
    "load_dumps": "ingest.load",
    "dedupe": "ingest.load",
    "merge_papers": "ingest.load",
    "DumpFormatError": "ingest.dumps",
    # notebook plumbing
    "load_papers": "report.notebook",
    "load_rejects": "report.notebook",
    "load_files": "report.notebook",
    "load_years": "report.notebook",
    "table_dir": "report.notebook",
    "shared_matrix": "report.notebook",
    "dump_summary": "analysis.overview",
    "duplicates_table": "analysis.overview",
    "reject_summary": "analysis.overview",
    "block_accounting": "analysis.overview",
    "save_table": "report.notebook",
    "save_headline": "report.notebook",
    "read_headline": "report.notebook",
    "as_list": "report.notebook",
    "overview_headline": "analysis.overview",
    "papers_behind": "report.evidence",
    "save_figure": "report.figure_files",
    "papers_mentioning": "report.evidence",
    "with_sentences": "report.evidence",
    "add_period": "analysis.periods",
    # text and terms
    "tokenize": "text.tokens",
    "segments": "text.tokens",
    "ngrams": "text.tokens",
    "stopwords": "text.tokens",
    "doc_terms": "text.tokens",
    "term_occurrences": "analysis.terms",
    "term_frequencies": "analysis.terms",
    "term_shares_by_group": "analysis.terms",
    "distinctive_terms": "analysis.terms",
    "collocations": "analysis.terms",
    "cloud_frequencies": "analysis.terms",
    # trends
    "keyword_trends": "analysis.trends",
    "emerging_terms": "analysis.trends",
    "trend_topics": "analysis.trend_views",
    "top_term_trends": "analysis.trends",
    "bursts": "analysis.trend_views",
    "as_concepts": "analysis.trends",
    "signal_panels": "report.signal_plots",
    # signals: statuses with effect sizes, concepts, style apart from subject
    "signals": "analysis.signals",
    "signal_windows": "analysis.signals",
    "movers": "analysis.movers",
    "style_signals": "analysis.signals",
    "signal_shares": "analysis.signals",
    "top_signals": "analysis.signals",
    "trend_status": "analysis.signals",
    # links and venues
    "extract_links": "analysis.links",
    "code_status": "analysis.links",
    "shares_by_period": "analysis.links",
    "kind_table": "analysis.links",
    "owner_table": "analysis.links",
    "link_table": "analysis.links",
    "flag_shares": "analysis.links.tables",
    "find_venues": "analysis.venues",
    "venue_table": "analysis.venues",
    "venue_coverage": "analysis.venues",
    # what Hugging Face records per paper: attention, organisations, authors, code, keywords
    "paper_records": "analysis.records",
    "record_coverage": "analysis.records",
    "coverage_text": "analysis.records",
    "has_field": "analysis.records",
    "subject_membership": "analysis.attention",
    "attention_shares": "analysis.attention",
    "attention_by_period": "analysis.attention",
    "attention_lead": "analysis.attention",
    "lead_text": "analysis.attention",
    "top_upvoted": "analysis.attention",
    "theme_membership": "analysis.attention",
    "attention_extremes": "analysis.attention",
    "organisation_table": "analysis.organisations",
    "organisation_themes": "analysis.organisations",
    "organisation_trends": "analysis.organisations",
    "team_sizes": "analysis.authors",
    "top_authors": "analysis.authors",
    "keyword_agreement": "analysis.hf_keywords",
    "agreement_summary": "analysis.hf_keywords",
    "extractor_vs_recorded": "analysis.links.recorded",
    "recorded_code_shares": "analysis.links.recorded",
    "recorded_code_by_group": "analysis.links.recorded",
    "most_starred": "analysis.links.recorded",
    "recorded_text": "analysis.links.recorded",
    # themes and similar papers
    "fit_topics": "analysis.topics",
    "choose_k": "analysis.topic_model",
    "term_matrix": "analysis.topic_model",
    "similar_papers": "analysis.similar",
    "nearest_papers": "analysis.similar",
    "near_duplicates": "analysis.similar",
    "merge_near_duplicates": "analysis.similar",
    # fast counting at scale
    "count_terms": "text.counting",
    "CountCache": "text.counting",
    "count_dumps": "text.counting",
    "count_terms_distributed": "text.distributed",
}

# Modules notebooks use as namespaces of helpers (``from helpers import plots``).
_MODULES: dict[str, str] = {
    "plots": "report.plots",
    "present": "report.present",
    "signal_plots": "report.signal_plots",
    "takeaways": "report.takeaways",
    "topic_plots": "report.topic_plots",
    "attention_plots": "report.attention_plots",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        value = importlib.import_module(f"helpers.{_MODULES[name]}")
        globals()[name] = value
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"helpers.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
