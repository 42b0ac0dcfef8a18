"""Tables for people: percentages with intervals, readable p-values, human headers, internal
columns and long text left to the CSV, a row cap with a link to the whole table, escaping."""

from __future__ import annotations

import re

import pandas as pd

from helpers.report import present


def test_shares_become_percentages_with_their_interval():
    df = pd.DataFrame(
        {
            "term": ["a", "b"],
            "share": [0.660194, 0.004],
            "ci_low": [0.561, 0.0],
            "ci_high": [0.744, 0.02],
        }
    )
    out = present.readable(df)
    assert list(out.columns) == ["term", "share of papers (95% CI)"]
    assert out["share of papers (95% CI)"].tolist() == ["66% (56-74%)", "0.4% (0-2%)"]


def test_prefixed_shares_find_their_interval_columns():
    df = pd.DataFrame(
        {"truncated_share": [0.25], "truncated_ci_low": [0.1], "truncated_ci_high": [0.5]}
    )
    assert present.readable(df).iloc[0, 0] == "25% (10-50%)"


def test_p_values_are_readable_and_only_the_adjusted_one_is_shown():
    df = pd.DataFrame({"term": ["x", "y"], "p": [4.894093e-31, 0.2], "p_adj": [4.9e-30, 0.0312]})
    out = present.readable(df)
    assert list(out.columns) == ["term", "p (BH-adjusted)"]
    assert out["p (BH-adjusted)"].tolist() == ["< 0.001", "0.031"]


def test_internal_columns_and_long_text_stay_in_the_csv(tmp_path):
    long = "word " * 100
    df = pd.DataFrame(
        {"title": [long, "short"], "position": [3, 4], "paper_id": ["p1", "p2"], "n_dumps": [2, 2]}
    )
    out = present.readable(df)
    assert "position" not in out.columns and "paper_id" not in out.columns
    assert out["title"].iloc[0].endswith("…") and len(out["title"].iloc[0]) <= present.MAX_TEXT
    csv = tmp_path / "tables" / "00-x"
    html = present.table_html(df, "papers", csv)
    assert "p1" not in html
    from helpers import save_table

    saved = pd.read_csv(save_table(df, "papers", csv))
    assert list(saved.columns) == list(df.columns) and saved["title"].iloc[0] == long


def test_a_long_table_shows_25_rows_and_links_the_whole_csv(tmp_path):
    df = pd.DataFrame({"term": [f"t{i}" for i in range(2420)], "count": range(2420)})
    html = present.table_html(df, "emerging_terms", tmp_path / "02-keyword-trends")
    assert html.count("<tr>") == 1 + present.MAX_ROWS  # header + 25 rows
    assert "first 25 of 2,420 rows" in html
    assert 'href="tables/02-keyword-trends/emerging_terms.csv"' in html
    assert 'id="table-emerging_terms"' in html


def test_cells_are_escaped_and_only_http_links_are_live(tmp_path):
    df = pd.DataFrame(
        {
            "title": ["<script>alert(1)</script>", "ok"],
            "url": ["javascript:alert(1)", "https://a.org/x?b=1&c=2"],
        }
    )
    html = present.table_html(df, "links", tmp_path / "03")
    assert "<script>" not in html and "&lt;script&gt;" in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert "https://a.org/x?b=1&amp;c=2" in hrefs
    assert not any(h.startswith("javascript") for h in hrefs)


def test_rows_link_to_their_evidence_and_numbers_read_well(tmp_path):
    df = pd.DataFrame(
        {
            "venue": ["ICML"],
            "papers": [1234],
            "first_year": pd.array([2024], dtype="Int64"),
            "slope": [0.0012],
        }
    )
    out = present.readable(df).iloc[0].tolist()
    assert out == ["ICML", "1,234", "2024", "+0.12"]
    html = present.table_html(
        df, "venues", tmp_path / "03", row_links=present.evidence_links("venues", 1)
    )
    assert '<a href="#evidence-venues-0">ICML</a>' in html


def test_a_bigram_table_hides_its_words_but_dates_keep_first_and_last():
    colloc = pd.DataFrame({"bigram": ["a b"], "first": ["a"], "second": ["b"], "score": [3.5]})
    assert list(present.readable(colloc).columns) == ["bigram", "score"]
    dates = pd.to_datetime(["2024-01-01"])
    topics = pd.DataFrame({"term": ["x"], "first": dates, "median": dates, "last": dates})
    assert list(present.readable(topics).columns) == ["term", "first", "median date", "last"]


def test_an_effect_is_shown_once_with_its_interval():
    df = pd.DataFrame(
        {"term": ["agent"], "effect": [3.14], "effect_lo": [2.5], "effect_hi": [3.9],
         "early_share": [0.00042], "late_share": [0.05]}
    )  # fmt: skip
    shown = present.readable(df)
    assert list(shown.columns) == [
        "term",
        "late / early share (95% CI)",
        "early share",
        "late share",
    ]
    assert shown.iloc[0].tolist() == ["agent", "×3.1 (2.5-3.9)", "0.04%", "5%"]


def test_a_reject_table_shows_why_each_block_was_rejected(tmp_path):
    from helpers.analysis.overview import reject_summary

    rejects = pd.DataFrame(
        {
            "dump_file": ["a.txt", "a.txt"],
            "dump_path": ["/x/a.txt", "/x/a.txt"],
            "line": [3, 9],
            "n_blocks": [1, 1],
            "reason": ["title without an abstract", "page chrome"],
            "severity": ["warning", "info"],
            "text": ["A lone title", "Sign in"],
        }
    )
    listed = present.table_html(rejects, "rejects_to_check", tmp_path, hide=["dump_path"])
    counted = present.table_html(reject_summary(rejects), "rejects_by_reason", tmp_path)
    for html in (listed, counted):
        assert "<th>reason</th>" in html and "title without an abstract" in html
