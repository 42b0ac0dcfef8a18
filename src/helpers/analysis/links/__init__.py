"""Links in titles and abstracts, and whether a paper links its code: one import for the three
parts, :mod:`helpers.analysis.links.urls` (find, clean and classify links),
:mod:`helpers.analysis.links.code`
(linked / promised / none) and :mod:`helpers.analysis.links.tables` (the report's summaries).

>>> import pandas as pd
>>> papers = pd.DataFrame({"paper_id": ["1"], "title": ["A"],
...                        "abstract": ["Code: https://github.com/a/b."]})
>>> extract_links(papers)[["url", "kind", "repo"]].values.tolist()
[['https://github.com/a/b', 'github_repo', 'a/b']]
"""

from __future__ import annotations

from helpers.analysis.links.code import (
    CODE_STATUS_SCHEMA,
    CODE_STATUSES,
    code_phrases,
    code_status,
)
from helpers.analysis.links.tables import (
    KIND_TABLE_SCHEMA,
    OWNER_TABLE_SCHEMA,
    PERIOD_SHARES_SCHEMA,
    kind_table,
    link_table,
    owner_table,
    shares_by_period,
)
from helpers.analysis.links.urls import (
    CODE_KINDS,
    KINDS,
    LINKS_SCHEMA,
    classify_url,
    clean_url,
    extract_links,
    links_in_text,
    may_have_code_phrases,
    may_have_links,
)

__all__ = [
    "CODE_KINDS",
    "CODE_STATUSES",
    "CODE_STATUS_SCHEMA",
    "KINDS",
    "KIND_TABLE_SCHEMA",
    "LINKS_SCHEMA",
    "OWNER_TABLE_SCHEMA",
    "PERIOD_SHARES_SCHEMA",
    "classify_url",
    "clean_url",
    "code_phrases",
    "code_status",
    "extract_links",
    "kind_table",
    "link_table",
    "links_in_text",
    "may_have_code_phrases",
    "may_have_links",
    "owner_table",
    "shares_by_period",
]
