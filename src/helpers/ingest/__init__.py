"""Bytes to checked tables on disk: one dump (``dumps``), many dumps with their years and
duplicates (``load``, ``years``), Parquet tables with a manifest (``tables``), atomic writes
(``store``). The lowest floor above ``config`` and ``errors``: it imports nothing above it."""

from helpers.ingest.tables import TABLES, ingest

__all__ = ["TABLES", "ingest"]
