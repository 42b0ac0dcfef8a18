"""A paper's identity across dumps and JSON days: a hash of its normalised title."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def paper_id(title: str) -> str:
    """Stable id of a title: the same paper gets the same id in every dump.

    Case, accents' composition, punctuation and spacing do not change it.

    >>> paper_id("Order Matters: Sequence to sequence for sets") == paper_id(
    ...     "order matters -- sequence to sequence for sets")
    True
    """
    norm = _NON_ALNUM.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()
