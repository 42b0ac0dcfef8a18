"""Helpers for analysing Hugging Face Papers listing dumps with pandas.

The public functions are re-exported here so notebooks can write ``from helpers import ...``.
"""

from helpers.config import paths

__all__ = ["paths"]
