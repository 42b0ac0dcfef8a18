"""The papers behind a number: papers_mentioning lists the papers a keyword share counts."""

from __future__ import annotations

from helpers import keyword_trends, papers_mentioning
from helpers.report.evidence import sentence_with, with_sentences


def test_papers_mentioning_lists_each_paper_once_with_its_sentence(papers_factory):
    papers = papers_factory(
        [
            {
                "title": "Mamba Goes Fast",
                "abstract": "We study it. It is fast.",
                "dump_date": "2024-03-11",
                "dump_seq": 0,
            },
            {
                "title": "Mamba Goes Fast",
                "abstract": "We study it. It is fast.",
                "dump_date": "2024-03-12",
                "dump_seq": 1,
            },
            {
                "title": "Other",
                "abstract": "Not a snake. LLMs with Mamba-2 layers help.",
                "dump_date": "2024-03-12",
                "dump_seq": 1,
            },
            {
                "title": "Mambas",
                "abstract": "A plural is another word.",
                "dump_date": "2024-03-12",
                "dump_seq": 1,
            },
        ]
    )
    found = papers_mentioning(papers, ["mamba", "llm"])
    mamba = found[found["term"] == "mamba"]
    assert mamba["title"].tolist() == ["Other", "Mamba Goes Fast"]  # newest first, once each
    assert mamba["sentence"].tolist() == ["LLMs with Mamba-2 layers help.", "Mamba Goes Fast"]
    assert str(mamba["dump_date"].iloc[1].date()) == "2024-03-11"  # its first listing
    assert found.loc[found["term"] == "llm", "title"].tolist() == ["Other"]
    # the same papers a keyword share counts
    shares = keyword_trends(papers, ["mamba"], freq="dump")
    assert shares["n_mentioning"].sum() == 3  # paper 1 in two dumps, paper 3 once
    assert len(papers_mentioning(papers, "mamba", limit=1)) == 1


def test_sentences_holding_a_snippet(papers_factory):
    assert sentence_with(
        "A b. See https://github.com/x/y for code. End.", "https://github.com/x/y"
    ) == ("See https://github.com/x/y for code.")
    papers = papers_factory([{"title": "T", "abstract": "One. Code at https://g.io/a now."}])
    found = papers[["paper_id"]].assign(url="https://g.io/a")
    assert with_sentences(found, papers, "url")["sentence"].tolist() == [
        "Code at https://g.io/a now."
    ]


def test_papers_mentioning_names_the_columns_it_misses(papers_factory):
    import pytest

    papers = papers_factory([{"title": "Mamba", "abstract": "Mamba."}])
    with pytest.raises(ValueError, match="dump_date"):
        papers_mentioning(papers.drop(columns="dump_date"), "mamba")


def test_evidence_carries_arxiv_ids_only_when_the_corpus_records_them():
    from support import make_papers

    from helpers.report.evidence import EVIDENCE_COLUMNS, papers_mentioning
    from helpers.report.present import paper_links

    papers = make_papers([{"title": "Mamba goes fast", "abstract": "We study mamba."}])
    assert papers_mentioning(papers, "mamba").columns.tolist() == EVIDENCE_COLUMNS
    found = papers_mentioning(papers.assign(arxiv_id="2506.08007"), "mamba")
    assert found["arxiv_id"].tolist() == ["2506.08007"]
    links = paper_links(next(found.itertuples()))
    assert "https://arxiv.org/abs/2506.08007" in links
    assert "https://huggingface.co/papers/2506.08007" in links
