"""The questions, DataFrame in and DataFrame out: periods, statistics, terms, trends and
signals, topics and similar papers, links, venues, the corpus overview. Imports ``text``,
``ingest`` and the root modules, never ``report`` or ``testing``."""
