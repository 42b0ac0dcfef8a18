"""Takeaways are worked out from the drawn table: they name its own terms and dumps, and are
empty when there is no chart to describe."""

from __future__ import annotations

import pandas as pd

from helpers.report import takeaways


def test_distinctive_names_each_drawn_dumps_strongest_term():
    table = pd.DataFrame(
        {"group": ["100_a.txt", "100_a.txt", "101_b.txt"], "term": ["layers", "model", "video"],
         "g2": [13.6, 25.7, 9.0], "p_adj": [0.01, 0.001, 0.2]}
    )  # fmt: skip
    text = takeaways.about_distinctive(table, ["100_a.txt", "101_b.txt"])
    assert '"model" for 100_a.txt; "video" for 101_b.txt' in text
    assert "2 drawn terms are significant" in text
    assert "No drawn term is significant after the FDR" in takeaways.about_distinctive(
        table, ["101_b.txt"]
    )
    assert takeaways.about_distinctive(table, ["102_c.txt"]) == ""


def test_bursts_and_trend_topics_describe_their_rows_or_nothing():
    last = pd.Timestamp("2024-03-04")
    shown = pd.DataFrame(
        {"term": ["agent", "mamba"], "start": pd.to_datetime(["2024-02-19", "2024-01-01"]),
         "end": pd.to_datetime(["2024-03-04", "2024-01-15"])}
    )  # fmt: skip
    text = takeaways.about_bursts(shown, last)
    assert 'bursting in the last period: "agent"' in text and 'ended before it: "mamba"' in text
    assert takeaways.about_bursts(shown.iloc[0:0], last) == ""
    topics = pd.DataFrame(
        {"term": ["b", "a"], "median": pd.to_datetime(["2024-01-08", "2024-02-05"])}
    )
    assert '"b" (2024-01-08), the latest "a" (2024-02-05)' in takeaways.about_trend_topics(topics)
    assert takeaways.about_trend_topics(topics.iloc[:1]) == ""


def test_top_terms_names_the_head_of_the_list():
    top = pd.DataFrame({"term": ["agent", "data", "training"]})
    text = takeaways.about_top_terms(top, n=2)
    assert text.startswith('the head of the list, "agent", "data", is') and "stem" not in text
    assert takeaways.about_top_terms(top.iloc[0:0]) == ""
