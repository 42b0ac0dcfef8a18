"""helpers.analysis.links.tables: the report's link summaries (shares per period with intervals,
link kinds, owners, the escaped link table)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.analysis.links import KINDS, code_status, extract_links
from helpers.analysis.links.tables import kind_table, link_table, owner_table, shares_by_period
from helpers.analysis.stats import wilson_interval


@pytest.fixture
def two_dumps(papers_factory):
    rows = [
        {"title": "A", "abstract": "Code: https://github.com/org/a.", "dump_seq": 0},
        {"title": "B", "abstract": "Code will be released.", "dump_seq": 0},
        {"title": "C", "abstract": "Nothing.", "dump_seq": 0},
        {"title": "A", "abstract": "Code: https://github.com/org/a.", "dump_seq": 1},
        {
            "title": "D",
            "abstract": "Page https://org.github.io/d and https://github.com/Org/d.",
            "dump_seq": 1,
        },
    ]
    return papers_factory(
        [r | {"dump_date": "2024-03-11" if r["dump_seq"] == 0 else "2024-04-02"} for r in rows]
    )


def test_shares_by_period_per_dump(two_dumps):
    shares = shares_by_period(two_dumps, code_status(two_dumps), "status", group_by="dump")
    table = shares.set_index(["period", "value"])
    first, second = sorted(shares["period"].unique())
    assert table.loc[(first, "linked"), ["papers", "n_papers"]].tolist() == [1, 3]
    assert table.loc[(first, "promised"), "papers"] == 1
    assert table.loc[(second, "linked"), ["papers", "n_papers"]].tolist() == [2, 2]
    assert table.loc[(second, "promised"), "papers"] == 0  # zero rows are kept, not dropped
    lo, hi = wilson_interval(1, 3)
    assert table.loc[(first, "none"), ["ci_low", "ci_high"]].tolist() == pytest.approx(
        [float(lo), float(hi)]
    )


def test_shares_by_period_month_counts_a_paper_once(two_dumps):
    same_month = two_dumps.assign(dump_date=pd.Timestamp("2024-03-11"))
    shares = shares_by_period(same_month, code_status(same_month), "status", group_by="period")
    assert shares["period"].unique().tolist() == ["2024-03"]
    assert shares.groupby("period")["n_papers"].first().tolist() == [4]  # A counted once
    with pytest.raises(ValueError):
        shares_by_period(two_dumps, code_status(two_dumps), "status", group_by="week")


def test_kind_table(two_dumps):
    table = kind_table(extract_links(two_dumps), n_papers=4).set_index("kind")
    assert list(table.index) == list(KINDS)
    assert table.loc["github_repo", ["links", "papers"]].tolist() == [2, 2]
    assert table.loc["github_pages", "papers"] == 1
    assert table.loc["gitlab", "papers"] == 0
    assert table.loc["github_repo", "share"] == pytest.approx(0.5)


def test_owner_table_folds_case_and_lists_papers(two_dumps):
    owners = owner_table(extract_links(two_dumps), two_dumps)
    assert owners["owner"].str.lower().tolist() == ["org"]
    row = owners.iloc[0]
    assert (row["papers"], row["repos"]) == (2, 2)
    assert row["titles"] == "A; D"
    assert owner_table(extract_links(two_dumps), two_dumps, top_n=0).empty


def test_link_table_escapes_data_and_links_only_http():
    df = pd.DataFrame(
        {
            "url": [
                "https://a.org/x?b=1&c=2",
                "javascript:alert(1)",
                'https://a.org/"onmouseover=x',
            ],
            "title": ["<script>alert(1)</script>", "A & B", "ok"],
        }
    )
    html = link_table(df).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="https://a.org/x?b=1&amp;c=2"' in html
    assert 'href="javascript' not in html
    assert '"onmouseover' not in html


def test_shares_by_period_keeps_requested_values_nobody_has(two_dumps):
    shares = shares_by_period(
        two_dumps, code_status(two_dumps), "has_huggingface", values=("True", "False")
    )
    hf = shares.query("value == 'True'")
    assert len(hf) == 2 and (hf["papers"] == 0).all() and (hf["ci_high"] > 0).all()
