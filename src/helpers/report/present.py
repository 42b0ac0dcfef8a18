"""Tables for people: one helper turns an analysis table into what a report shows.

``show(df, name, folder)`` writes the whole table as ``folder/name.csv`` (every column, every
row, full text) and displays a short, readable version of it: shares as percentages with their
95% interval ("66% (56-74%)"), p-values as "< 0.001" or two significant digits, human column
headers, internal columns (positions, ids, counters the reader never needs) left to the CSV,
long text cut, at most ``max_rows`` rows with a line saying how many there are and linking the
CSV. The invariant: the page never shows a number the CSV does not hold, and every cell is
HTML-escaped (only http(s) URLs become links).

>>> show(term_frequencies(papers), "top_terms", tables)  # doctest: +SKIP
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

MAX_ROWS = 25
MAX_TEXT = 110

# columns a reader never needs on the page (they stay in the CSV)
INTERNAL = {
    "position",
    "n_periods",
    "paper_id",
    "dump_path",
    "url_raw",
    "count_rest",
    "n_rest",
    "p",
    "p_mk",
    "p_value",
    "tau",
    "test",
    "period_start",
    "first_period",
    "last_period",
    "rank",
    "n_blocks",
    "n_group",
    "p_g2",
    "evidence",
    "register",
    "per_paper",
}

# human headers for the column names the analyses use
LABELS = {
    "term": "term",
    "count": "occurrences",
    "doc_count": "papers using it",
    "n_papers": "papers",
    "n_mentioning": "papers mentioning",
    "share": "share of papers (95% CI)",
    "papers": "papers",
    "group": "dump",
    "dump_file": "dump",
    "dump_seq": "#",
    "dump_date": "date",
    "page_kind": "page",
    "n_group": "terms in dump",
    "g2": "G² (log-likelihood)",
    "log_ratio": "log₂ ratio (effect)",
    "p_adj": "p (BH-adjusted)",
    "bigram": "bigram",
    "score": "score",
    "period": "period",
    "direction": "direction",
    "slope": "Sen's slope (points/period)",
    "slope_per_period": "change per period (points)",
    "early_share": "early share",
    "late_share": "late share",
    "median": "median date",
    "first": "first",
    "last": "last",
    "q1": "1st quartile",
    "q3": "3rd quartile",
    "burst_share": "share in burst",
    "base_share": "share overall",
    "weight": "burst weight",
    "seen_elsewhere": "also in another dump",
    "truncated": "cut off",
    "truncated_share": "cut off (95% CI)",
    "median_words": "median words",
    "n_dumps": "dumps",
    "first_seen": "first seen",
    "last_seen": "last seen",
    "repo_names": "repositories",
    "titles": "papers (titles)",
    "repos": "repositories",
    "papers_with_venue": "papers naming a venue",
    "accepted_or_published": "accepted or published",
    "first_year": "first year",
    "last_year": "last year",
    "links": "links",
    "kind": "kind",
    "severity": "severity",
    "reason": "reason",
    "first_line": "first line",
    "in_papers": "in paper rows",
    "in_rejects": "in rejects",
    "balanced": "adds up",
    "value": "value",
    "status": "status",
    "effect": "late / early share (95% CI)",
    "shift": "change, points (95% CI)",
    "shrunk": "growth after shrinkage",
    "lfdr": "local FDR",
    "verdict": "verdict",
    "variants": "variants",
}

_P_COLUMNS = {"p", "p_adj", "p_value", "p_mk", "p_g2", "pvalue"}


def _share_columns(df: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Each share column with the columns of its interval, by the one naming every analysis
    uses: ``share``/``ci_low``/``ci_high``, and ``x_share``/``x_ci_low``/``x_ci_high``."""
    found = {}
    for col in df.columns:
        if not str(col).endswith("share"):
            continue
        prefix = str(col)[: -len("share")]
        lo, hi = f"{prefix}ci_low", f"{prefix}ci_high"
        if lo in df.columns and hi in df.columns:
            found[col] = (lo, hi)
    return found


def percent(share: float, lo: float | None = None, hi: float | None = None) -> str:
    """A share as a percentage, with its interval when given.

    >>> percent(0.66019, 0.561, 0.744)
    '66% (56-74%)'
    >>> percent(0.004, 0.0, 0.02)
    '0.4% (0-2%)'
    """
    if share is None or pd.isna(share):
        return ""
    text = _pct(share)
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return f"{text}%"
    return f"{text}% ({_pct(lo)}-{_pct(hi)}%)"


def ratio(effect: float, lo: float | None = None, hi: float | None = None) -> str:
    """A ratio of shares (an effect) with its interval.

    >>> ratio(3.14, 2.5, 3.9), ratio(0.4, 0.31, 0.52)
    ('×3.1 (2.5-3.9)', '×0.40 (0.31-0.52)')
    """
    if effect is None or pd.isna(effect):
        return ""

    def one(v: float) -> str:
        return "inf" if np.isinf(v) else f"{v:.1f}" if v >= 1 else f"{v:.2f}"

    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return f"×{one(effect)}"
    return f"×{one(effect)} ({one(lo)}-{one(hi)})"


def points(shift: float, lo: float | None = None, hi: float | None = None) -> str:
    """A change in share (a fraction) as percentage points, with its interval when given.

    >>> points(0.2308, 0.196, 0.266), points(-0.0123)
    ('+23 (+20 to +27)', '-1.2')
    """
    if shift is None or pd.isna(shift):
        return ""

    def one(v: float) -> str:
        v = 100 * v
        return f"{v:+.0f}" if abs(v) >= 10 else f"{v:+.1f}"

    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return one(shift)
    return f"{one(shift)} ({one(lo)} to {one(hi)})"


def _pct(value: float) -> str:
    value = 100 * float(value)
    if 0 < value < 0.1:  # a rare term's share: two decimals, never "0.0%"
        return f"{value:.2f}"
    return f"{value:.1f}" if 0 < value < 1 else f"{value:.0f}"


def pvalue(p: float) -> str:
    """A p-value a reader can read: "< 0.001" below one in a thousand, else two digits.

    >>> pvalue(4.894093e-31), pvalue(0.0312), pvalue(0.5)
    ('< 0.001', '0.031', '0.50')
    """
    if p is None or pd.isna(p):
        return ""
    if p < 0.001:
        return "< 0.001"
    return f"{p:.2g}" if p < 0.1 else f"{p:.2f}"


def _number(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        if float(value).is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        magnitude = abs(value)
        if magnitude >= 100:
            return f"{value:,.0f}"
        if magnitude >= 1:
            return f"{value:.2f}"
        if magnitude >= 0.001:
            return f"{value:.3f}"
        return f"{value:.1e}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else str(value)
    return str(value)


def _cut(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_URL = re.compile(r"https?://\S+$", re.IGNORECASE)


_LONG_TOKEN = re.compile(r"\S{25,}")
_JOINT = re.compile(r"([/_.-]+)(?=[^\s/_.-])")  # never inside an entity such as &amp;


def breakable(text: str) -> str:
    """``text`` HTML-escaped, with a line-break opportunity (``<wbr>``) after the slashes,
    underscores, dots and hyphens of its long tokens (paths, file names, URLs): a narrow
    column then wraps them between their parts, never inside a word.

    >>> breakable("see data/raw/000_bf51bc8f353d52b5.txt")
    'see data/<wbr>raw/<wbr>000_<wbr>bf51bc8f353d52b5.<wbr>txt'
    """
    return _LONG_TOKEN.sub(lambda m: _JOINT.sub(r"\1<wbr>", m.group(0)), html.escape(text))


def _link(url: str, limit: int) -> str:
    if _URL.match(url):
        return (
            f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">'
            f"{breakable(_cut(url, limit))}</a>"
        )
    return breakable(_cut(url, limit))


def readable(
    df: pd.DataFrame,
    *,
    columns: Iterable[str] | None = None,
    labels: Mapping[str, str] | None = None,
    hide: Iterable[str] = (),
    max_text: int = MAX_TEXT,
) -> pd.DataFrame:
    """The table as text a reader can take in: one string per cell, human headers.

    Shares are merged with their interval, p-values shortened, internal columns dropped
    (``columns`` picks and orders columns explicitly; ``hide`` drops more), text cut at
    ``max_text`` characters.

    >>> readable(pd.DataFrame({"term": ["a"], "share": [0.5], "ci_low": [0.4],
    ...     "ci_high": [0.6], "p_adj": [1e-9], "position": [3]})).to_dict("records")
    [{'term': 'a', 'share of papers (95% CI)': '50% (40-60%)', 'p (BH-adjusted)': '< 0.001'}]
    """
    labels = {**LABELS, **(labels or {})}
    if "bigram" in df.columns:  # its two words, already in the bigram
        hide = [*hide, "first", "second"]
    shares = _share_columns(df)
    interval_cols = {c for pair in shares.values() for c in pair}
    effects = {"effect", "effect_lo", "effect_hi"}
    if effects <= set(df.columns):
        interval_cols |= effects - {"effect"}
    shifts = {"shift", "shift_lo", "shift_hi"}
    if shifts <= set(df.columns):
        interval_cols |= shifts - {"shift"}
    if columns is None:
        keep = [
            c
            for c in df.columns
            if c not in interval_cols and (c not in INTERNAL or c == "p_adj") and c not in hide
        ]
        if "p_adj" in df.columns:
            keep = [c for c in keep if c not in _P_COLUMNS - {"p_adj"}]
    else:
        keep = list(columns)
    out = {}
    for col in keep:
        values = df[col]
        if col == "effect" and effects <= set(df.columns):
            text = [ratio(*v) for v in zip(values, df["effect_lo"], df["effect_hi"], strict=True)]
        elif col == "shift" and shifts <= set(df.columns):
            text = [points(*v) for v in zip(values, df["shift_lo"], df["shift_hi"], strict=True)]
        elif col == "shrunk":
            text = [ratio(v) for v in values]
        elif col in shares:
            lo, hi = shares[col]
            text = [percent(s, a, b) for s, a, b in zip(values, df[lo], df[hi], strict=True)]
        elif col in _P_COLUMNS:
            text = [pvalue(v) for v in values]
        elif str(col).endswith("share") and pd.api.types.is_float_dtype(values):
            text = [percent(v) for v in values]
        elif "slope" in str(col) and pd.api.types.is_float_dtype(values):
            # a change in share per period, in percentage points
            text = ["" if pd.isna(v) else f"{100 * v:+.2f}" for v in values]
        elif str(col) == "year" or str(col).endswith("_year"):
            text = ["" if pd.isna(v) else str(int(v)) for v in values]
        elif pd.api.types.is_datetime64_any_dtype(values):
            text = [_number(v) for v in values]
        elif pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            text = [
                "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
                for v in values
            ]
            text = [t if _URL.match(t) else _cut(t, max_text) for t in text]
        else:
            text = [_number(v) for v in values]
        out[labels.get(col, str(col).replace("_", " "))] = text
    return pd.DataFrame(out, index=df.index)


def csv_link(name: str, folder: str | os.PathLike) -> str:
    """The CSV's address relative to the report page: reports/<notebook>.html links
    reports/tables/<notebook>/<name>.csv, and a notebook's table folder is named after it."""
    return f"tables/{Path(folder).name}/{name}.csv"


def table_html(
    df: pd.DataFrame,
    name: str,
    folder: str | os.PathLike,
    *,
    max_rows: int = MAX_ROWS,
    links: Iterable[str] = ("url",),
    anchors: Mapping[int, str] | None = None,
    row_links: Mapping[int, str] | None = None,
    rows: pd.DataFrame | None = None,
    rows_note: str = "",
    **options,
) -> str:
    """The HTML of a readable table (see ``readable``): first ``max_rows`` rows, a caption
    linking the CSV, ``links`` columns as http(s) links, ``row_links`` (row position -> an
    in-page anchor) making the first cell of a row a link to that anchor. ``rows`` (a
    selection of ``df``'s rows, described by ``rows_note``) is shown in place of its head."""
    shown = (df if rows is None else rows).head(max_rows)
    text = readable(shown, **options)
    link_cols = {LABELS.get(c, c) for c in links if c in df.columns}
    csv = html.escape(csv_link(name, folder), quote=True)
    total = len(df)
    if rows is not None:
        caption = (
            f"{len(shown):,} of {total:,} rows shown ({html.escape(rows_note or 'a selection')});"
            f' all rows and columns: <a href="{csv}">{html.escape(name)}.csv</a>'
        )
    elif total > len(shown):
        caption = (
            f"first {len(shown):,} of {total:,} rows; all rows and columns: "
            f'<a href="{csv}">{html.escape(name)}.csv</a>'
        )
    else:
        caption = (
            f"{total:,} row{'s' if total != 1 else ''}; all columns: "
            f'<a href="{csv}">{html.escape(name)}.csv</a>'
        )
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in text.columns)
    body = []
    for i, (_, row) in enumerate(text.iterrows()):
        cells = []
        for j, (col, value) in enumerate(row.items()):
            if col in link_cols:
                cell = _link(value, 60)
            else:
                cell = breakable(value)
            if j == 0 and row_links and i in row_links:
                cell = f'<a href="#{html.escape(row_links[i], quote=True)}">{cell}</a>'
            cls = ' class="num"' if _looks_numeric(value) else ""
            cells.append(f"<td{cls}>{cell}</td>")
        row_id = ""
        if anchors and i in anchors:
            row_id = f' id="{html.escape(anchors[i], quote=True)}"'
        body.append(f"<tr{row_id}>{''.join(cells)}</tr>")
    return (
        f'<div class="hf-table" id="table-{html.escape(name, quote=True)}">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f'<p class="hf-caption">{caption}</p></div>'
    )


_NUMERIC = re.compile(r"^[<\s\d.,%()\-+e·]+$")


def _looks_numeric(text: str) -> bool:
    return bool(text) and bool(_NUMERIC.match(text)) and any(ch.isdigit() for ch in text)


STYLE = """<style>
.hf-table{max-width:100%;overflow-x:auto;margin:.4rem 0 1rem}
.hf-table table{border-collapse:collapse;font-size:13px;max-width:100%;table-layout:auto}
.hf-table table th{text-align:left!important;vertical-align:bottom;
 border-bottom:2px solid #999;padding:3px 8px;font-weight:600}
.hf-table table td{text-align:left!important;vertical-align:top;
 border-bottom:1px solid #e2e2e2;padding:3px 8px;overflow-wrap:break-word;max-width:30rem}
.hf-table table td.num{text-align:right!important;white-space:nowrap}
.hf-table tbody tr:nth-child(even){background:#f7f7f7}
.hf-table tr:target{background:#fff3c4}
.hf-caption{color:#555;font-size:12px;margin:.2rem 0 0}
.hf-summary{border-left:4px solid #3b6ea5;background:#f3f7fb;padding:.5rem 1rem;margin:.5rem 0}
.hf-summary li{margin:.2rem 0}
.hf-evidence{margin:.3rem 0 .6rem 1rem;font-size:13px}
.hf-evidence h4{margin:.4rem 0 .2rem;font-size:14px}
.hf-evidence ul{margin:0;padding-left:1.2rem}
.hf-evidence q{color:#333}
.hf-evidence:target{background:#fff3c4}
.hf-date{color:#666;font-variant-numeric:tabular-nums}
</style>"""


def show(
    df: pd.DataFrame,
    name: str,
    folder: str | os.PathLike,
    *,
    save: bool = True,
    **options,
) -> None:
    """Save ``df`` as ``folder/name.csv`` (all of it) and display its readable version.

    ``options`` go to ``table_html`` and ``readable`` (``columns``, ``labels``, ``hide``,
    ``max_rows``, ``links``, ``max_text``, ``anchors``, ``row_links``, ``rows``,
    ``rows_note``).
    """
    from IPython.display import HTML, display

    from helpers.report.notebook import save_table

    if save:
        save_table(df, name, folder)
    display(HTML(STYLE + table_html(df, name, folder, **options)))


_ARXIV_ID = re.compile(r"^[\w.\-/]+$")


def paper_links(row) -> str:
    """Links to the paper's arXiv and Hugging Face pages when its arXiv id is known (an
    ``arxiv_id`` field of the evidence row), else nothing.

    >>> from types import SimpleNamespace
    >>> paper_links(SimpleNamespace(arxiv_id="2506.08007")).count("href")
    2
    >>> paper_links(SimpleNamespace(title="no id"))
    ''
    """
    arxiv_id = getattr(row, "arxiv_id", None)
    if not isinstance(arxiv_id, str) or not _ARXIV_ID.match(arxiv_id):
        return ""
    quoted = html.escape(arxiv_id, quote=True)
    return (
        f' <a href="https://arxiv.org/abs/{quoted}" rel="noopener noreferrer">arXiv</a>'
        f' · <a href="https://huggingface.co/papers/{quoted}" rel="noopener noreferrer">HF</a>'
    )


def evidence_anchor(name: str, position: int) -> str:
    """The id of the evidence block of row ``position`` of table ``name``."""
    return f"evidence-{name}-{position}"


def evidence_links(name: str, n: int) -> dict[int, str]:
    """Row position -> evidence anchor, for the first ``n`` rows of table ``name``
    (pass as ``row_links`` to ``show`` so each row links to its papers)."""
    return {i: evidence_anchor(name, i) for i in range(n)}


def evidence(
    found: pd.DataFrame,
    keys: Iterable[str] | Mapping[int, str],
    name: str,
    folder: str | os.PathLike,
    *,
    key: str = "term",
    per_key: int = 3,
    what: str = "",
) -> None:
    """The papers behind rows of table ``name``: for each of ``keys`` (the first rows' keys
    in order, or a mapping row position -> key) a block with id ``evidence-<name>-<row>``
    listing up to ``per_key`` papers (date, title, the sentence that matched) from ``found``
    (rows with ``key``, ``title``, ``dump_date`` and ``sentence`` columns, e.g.
    ``papers_mentioning``); every row of ``found`` for these keys is written to
    ``evidence_<name>.csv``."""
    from IPython.display import HTML, display

    from helpers.report.notebook import save_table

    keyed = dict(keys) if isinstance(keys, Mapping) else dict(enumerate(keys))
    keyed = {int(i): str(k) for i, k in keyed.items()}
    chosen = found[found[key].astype(str).isin(set(keyed.values()))]
    save_table(chosen, f"evidence_{name}", folder)
    csv = html.escape(csv_link(f"evidence_{name}", folder), quote=True)
    blocks = []
    for i, value in keyed.items():
        part = chosen[chosen[key].astype(str) == value]
        items = []
        for row in part.head(per_key).itertuples(index=False):
            date = _number(pd.Timestamp(row.dump_date)) if pd.notna(row.dump_date) else ""
            items.append(
                f"<li><span class=hf-date>{html.escape(date)}</span> "
                f"<b>{html.escape(_cut(row.title, 140))}</b>{paper_links(row)}<br>"
                f"<q>{html.escape(_cut(row.sentence, 260))}</q></li>"
            )
        more = len(part) - min(len(part), per_key)
        tail = f"<p class=hf-caption>and {more:,} more in the CSV</p>" if more > 0 else ""
        body = f"<ul>{''.join(items)}</ul>{tail}" if items else "<p>no paper found</p>"
        blocks.append(
            f'<div class="hf-evidence" id="{html.escape(evidence_anchor(name, i), quote=True)}">'
            f"<h4>{html.escape(value)}</h4>{body}</div>"
        )
    intro = html.escape(what or "The papers behind the first rows of the table above")
    display(
        HTML(
            STYLE + f'<div id="evidence-{html.escape(name, quote=True)}"><p><b>{intro}</b> '
            f'(all of them: <a href="{csv}">evidence_{html.escape(name)}.csv</a>)</p>'
            + "".join(blocks)
            + "</div>"
        )
    )
