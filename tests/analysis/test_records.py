"""Records, organisations, authors, recorded code and HF keywords on planted synthetic frames:
known answers, text-only frames (no record columns) giving empty tables, not errors."""

from __future__ import annotations

import pandas as pd
from support import make_papers

from helpers.analysis import authors, hf_keywords, organisations, records
from helpers.analysis.links import recorded
from helpers.testing.records import with_records

SUBJECTS = ["graph networks", "protein folding", "speech recognition", "robot navigation"]


def planted(weeks: int = 8, per_week: int = 40, seed: int = 0, linked_every: int = 4):
    rows = []
    for week in range(weeks):
        for i in range(per_week):
            subject = SUBJECTS[(i + week) % len(SUBJECTS)]
            link = (
                f" Code: https://github.com/lab{i}/tool-{week}." if i % linked_every == 0 else ""
            )
            rows.append(
                {
                    "title": f"Paper {week}-{i}",
                    "abstract": f"We use {subject} here. Our {subject} works.{link}",
                    "dump_seq": week,
                    "dump_date": pd.Timestamp("2025-01-06") + pd.Timedelta(weeks=week),
                }
            )
    return with_records(make_papers(rows), recorded_only=0.1, seed=seed)


def test_coverage_counts_papers_with_each_field():
    papers = planted()
    table = records.record_coverage(papers).set_index("field")
    assert table.loc["upvotes", "papers_known"] == len(papers)
    assert table.loc["project_page", "papers_known"] == 0
    unknown = papers["organization"].isna().sum()
    assert table.loc["organization", "papers_known"] == len(papers) - unknown
    assert "of 320 papers" in records.coverage_text(
        records.record_coverage(papers), "organization", "x"
    )


def test_text_only_frame_has_no_fields_and_empty_tables():
    papers = make_papers([{"title": "A", "abstract": "We use graph networks."}])
    assert not records.has_field(papers, "upvotes")
    assert records.record_coverage(papers)["papers_known"].sum() == 0
    assert organisations.organisation_table(papers).empty
    assert authors.team_sizes(papers).empty
    assert recorded.extractor_vs_recorded(papers)["papers"].sum() == 0
    assert hf_keywords.keyword_agreement(papers)[0].empty


def test_extractor_recall_and_precision_on_planted_repositories():
    papers = planted()
    table = recorded.extractor_vs_recorded(papers).set_index("measure")
    # every linked repository is recorded, so precision is 1; recall is diluted by the
    # repositories recorded without a link (about 10% of the unlinked papers)
    assert table.iloc[3]["share"] == 1.0
    linked = papers["abstract"].str.contains("github.com").sum()
    assert table.iloc[0]["papers"] == linked
    assert table.iloc[0]["of_papers"] > linked
    assert recorded.repo_key("https://github.com/Lab1/Tool-2.git") == "lab1/tool-2"


def test_code_shares_and_by_theme_have_intervals():
    papers = planted()
    shares = recorded.recorded_code_shares(papers, freq="W")
    assert set(shares["value"]) == {
        "recorded repository (Hugging Face)",
        "code linked in the abstract (extractor)",
    }
    assert (shares["ci_low"] <= shares["share"]).all()
    themes = pd.DataFrame({"paper_id": papers["paper_id"], "unit": "all"})
    by = recorded.recorded_code_by_group(papers, themes)
    assert by.loc[0, "papers"] == len(papers)
    assert recorded.most_starred(papers, 3)["github_stars"].is_monotonic_decreasing


def test_rising_organisation_is_called_rising():
    papers = planted(weeks=20, per_week=40)
    trends = organisations.organisation_trends(papers, freq="W", min_papers=10)
    status = trends.set_index("organization")["status"]
    assert status["rising lab"] in {"rising", "new"}
    assert organisations.organisation_table(papers).loc[0, "organization"] in {
        "rising lab",
        "alpha lab",
        "beta lab",
        "gamma lab",
    }


def test_organisation_themes_shares_add_to_one():
    papers = planted()
    themes = pd.DataFrame(
        {"paper_id": papers["paper_id"], "unit": papers["abstract"].str.extract(r"use (\w+)")[0]}
    )
    table = organisations.organisation_themes(papers, themes, ["alpha lab", "beta lab"])
    assert table.groupby("organization")["share"].sum().round(9).eq(1).all()


def test_team_sizes_and_top_authors():
    papers = planted()
    sizes = authors.team_sizes(papers, freq="W")
    assert len(sizes) == 8 and (sizes["q1"] <= sizes["median"]).all()
    top = authors.top_authors(papers, 5)
    assert len(top) == 5 and top["papers"].is_monotonic_decreasing


def test_hf_keywords_agree_with_the_terms_they_name():
    papers = planted()
    keywords, units = hf_keywords.keyword_agreement(papers, min_papers=10)
    table = keywords.set_index("keyword")
    # the planted keywords are the subjects the abstracts name: the project finds each
    assert table.loc["protein folding", "agreement"] == 1.0
    summary = hf_keywords.agreement_summary(keywords, units)
    assert summary["agreement"] > 0.5


def test_recorded_text_names_the_counts_of_the_table():
    papers = planted()
    table = recorded.extractor_vs_recorded(papers)
    text = recorded.recorded_text(table)
    assert f"for {table.iloc[5]['papers']:,} of {table.iloc[5]['of_papers']:,} papers" in text
