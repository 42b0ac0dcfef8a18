"""Recorded code: the GitHub repository Hugging Face records for a paper (``github_repo``,
with ``github_stars``) against the repositories the project's extractor finds in titles and
abstracts (:func:`helpers.analysis.links.extract_links`).

The recorded repository is the reference: the extractor's *recall* is the share of papers with
a recorded repository whose text links that same repository (compared as ``owner/name``, case
ignored); its *precision* is the share of papers whose text links a repository for which that
repository is the recorded one. A paper may have code that Hugging Face does not record, so
precision is a lower bound. The comparison only covers papers listed since the first recorded
repository: before that the field did not exist, and "not recorded" would mean nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from helpers.analysis.links.code import code_status
from helpers.analysis.links.tables import PERIOD_SHARES_SCHEMA, shares_by_period
from helpers.analysis.links.urls import classify_url, extract_links
from helpers.analysis.records import known_mask, paper_records
from helpers.analysis.stats import wilson_interval

MEASURES_SCHEMA = pa.DataFrameSchema(
    {
        "measure": pa.Column(str),
        "papers": pa.Column(int, pa.Check.ge(0)),
        "of_papers": pa.Column(int, pa.Check.ge(0)),
        "share": pa.Column(float, nullable=True),
        "ci_low": pa.Column(float, nullable=True),
        "ci_high": pa.Column(float, nullable=True),
        "meaning": pa.Column(str),
    },
    strict=True,
)


def repo_key(url: object) -> str | None:
    """``owner/name`` in lower case of a GitHub repository (an address, or ``owner/name`` as
    the loader records it), else None (an owner alone names no repository).

    >>> repo_key("https://github.com/OpenAI/Whisper/tree/main"), repo_key("a/b"), repo_key("a")
    ('openai/whisper', 'a/b', None)
    """
    if not isinstance(url, str) or not url.strip():
        return None
    text = url.strip()
    if "github.com" not in text.lower():
        text = "https://github.com/" + text
    kind, _, repo, _ = classify_url(text)
    return repo.lower() if kind == "github_repo" and repo else None


def recorded_window(papers: pd.DataFrame) -> pd.DataFrame:
    """One row per paper (:func:`helpers.analysis.records.paper_records`) listed on or after
    the first listing date with a recorded repository, with ``recorded`` (owner/name or None);
    empty when no paper has one."""
    records = paper_records(papers)
    records = records.assign(recorded=records["github_repo"].map(repo_key).astype(object))
    has = records["recorded"].notna()
    if not has.any():
        return records.iloc[0:0]
    start = records.loc[has, "dump_date"].min()
    return records[records["dump_date"] >= start].reset_index(drop=True)


def extractor_vs_recorded(papers: pd.DataFrame, links: pd.DataFrame | None = None) -> pd.DataFrame:
    """The extractor against the recorded repository, one row per measure: papers counted,
    out of how many, share with a 95% Wilson interval, and what it means.

    ``links`` is :func:`extract_links` of ``papers`` (computed when not given).
    """
    window = recorded_window(papers)
    links = extract_links(papers) if links is None else links
    repos = links[links["kind"] == "github_repo"].dropna(subset=["repo"])
    found = (
        repos.assign(repo=repos["repo"].str.lower(), paper_id=repos["paper_id"].astype(str))
        .groupby("paper_id")["repo"]
        .agg(set)
    )
    ids = window["paper_id"].astype(str)
    extracted = ids.map(found).map(lambda s: s if isinstance(s, set) else set())
    recorded = window["recorded"]
    has_rec = recorded.notna().to_numpy(dtype=bool)
    has_ext = extracted.map(bool).to_numpy(dtype=bool)
    same = np.array(
        [
            r in e if isinstance(r, str) else False
            for r, e in zip(recorded, extracted, strict=True)
        ],
        dtype=bool,
    )
    other = has_rec & has_ext & ~same
    n = len(window)
    rows = [
        ("recall: recorded repository found in the text", same.sum(), has_rec.sum(),
         "papers whose title or abstract links the recorded repository, of papers with one"),
        ("recorded repository, no repository in the text", (has_rec & ~has_ext).sum(),
         has_rec.sum(), "code the extractor cannot see: the abstract links no repository"),
        ("recorded repository, another repository in the text", other.sum(), has_rec.sum(),
         "the abstract links a different repository (a dependency, a dataset, a fork)"),
        ("precision: text repository is the recorded one", same.sum(), has_ext.sum(),
         "papers linking a repository whose recorded repository is one of them (lower bound)"),
        ("text repository, none recorded", (has_ext & ~has_rec).sum(), has_ext.sum(),
         "code Hugging Face does not record for the paper"),
        ("papers with a recorded repository", has_rec.sum(), n,
         "since the first recorded repository"),
        ("papers with a repository in the text", has_ext.sum(), n,
         "since the first recorded repository"),
    ]  # fmt: skip
    hits = np.array([r[1] for r in rows], dtype=int)
    totals = np.array([r[2] for r in rows], dtype=int)
    lo, hi = wilson_interval(hits, np.maximum(totals, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, hits / np.maximum(totals, 1), np.nan)
    out = pd.DataFrame(
        {
            "measure": [r[0] for r in rows],
            "papers": hits,
            "of_papers": totals,
            "share": share,
            "ci_low": np.where(totals > 0, lo, np.nan),
            "ci_high": np.where(totals > 0, hi, np.nan),
            "meaning": [r[3] for r in rows],
        }
    )
    return MEASURES_SCHEMA.validate(out)


def recorded_code_shares(
    papers: pd.DataFrame, status: pd.DataFrame | None = None, freq: str = "M"
) -> pd.DataFrame:
    """Per period (since the first recorded repository) the share of papers with a recorded
    repository and the share whose text links code (``code_status`` "linked"), each with a 95%
    Wilson interval: rows of ``shares_by_period`` with ``value`` naming the source."""
    window = recorded_window(papers)
    if window.empty:
        return PERIOD_SHARES_SCHEMA.validate(
            pd.DataFrame({c: [] for c in PERIOD_SHARES_SCHEMA.columns}).astype(
                {"period": str, "value": str, "period_start": "datetime64[ns]", "n_papers": int,
                 "papers": int, "share": float, "ci_low": float, "ci_high": float}
            )
        )  # fmt: skip
    status = code_status(papers) if status is None else status
    ids = set(window["paper_id"].astype(str))
    inside = papers[papers["paper_id"].astype(str).isin(ids)]
    labels = window[["paper_id"]].assign(
        recorded=window["recorded"].notna().astype(str),
        linked=window["paper_id"].map(status.set_index("paper_id")["status"]).eq("linked"),
    )
    labels = labels.assign(linked=labels["linked"].astype(str))
    parts = [
        shares_by_period(inside, labels, column, group_by="period", freq=freq, values=("True",))
        .query("value == 'True'")
        .assign(value=name)
        for column, name in (
            ("recorded", "recorded repository (Hugging Face)"),
            ("linked", "code linked in the abstract (extractor)"),
        )
    ]
    return PERIOD_SHARES_SCHEMA.validate(pd.concat(parts, ignore_index=True))


def recorded_code_by_group(papers: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Per group (``groups``: paper_id, unit, e.g. a theme) the share of its papers with a
    recorded repository (since the first one) with a 95% Wilson interval, and the median and
    largest stars of those repositories."""
    window = recorded_window(papers)
    joined = groups.assign(paper_id=groups["paper_id"].astype(str)).merge(
        window.assign(paper_id=window["paper_id"].astype(str)), on="paper_id"
    )
    joined = joined.assign(has=joined["recorded"].notna())
    out = (
        joined.groupby("unit")
        .agg(
            papers=("paper_id", "nunique"),
            with_code=("has", "sum"),
            median_stars=("github_stars", lambda s: s.dropna().median()),
            max_stars=("github_stars", lambda s: s.dropna().max()),
        )
        .reset_index()
    )
    lo, hi = wilson_interval(out["with_code"].to_numpy(), np.maximum(out["papers"], 1))
    out = out.assign(
        share=out["with_code"] / out["papers"].clip(lower=1), ci_low=lo, ci_high=hi
    ).astype({"unit": str, "papers": int, "with_code": int})
    out = out.astype({"median_stars": float, "max_stars": float})
    columns = ["unit", "papers", "with_code", "share", "ci_low", "ci_high"]
    return out[[*columns, "median_stars", "max_stars"]].sort_values(
        "share", ascending=False, ignore_index=True
    )


def most_starred(papers: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The ``n`` papers whose recorded repository has the most stars."""
    records = paper_records(papers)
    records = records[known_mask(records["github_stars"]) & known_mask(records["github_repo"])]
    return (
        records.sort_values(["github_stars", "title"], ascending=[False, True])
        .head(n)[["title", "github_repo", "github_stars", "upvotes", "dump_date", "arxiv_id"]]
        .astype({"github_stars": int})
        .reset_index(drop=True)
    )


def recorded_text(table: pd.DataFrame) -> str:
    """One sentence from :func:`extractor_vs_recorded`: recorded repositories against the
    abstracts that link code."""
    rec, ext, recall = table.iloc[5], table.iloc[6], table.iloc[0]
    return (
        f"Hugging Face records a GitHub repository for {rec['papers']:,} of {rec['of_papers']:,}"
        f" papers listed since it first records one ({rec['share']:.0%}); their abstracts link "
        f"a repository for {ext['papers']:,} ({ext['share']:.0%}), and the recorded one for "
        f"{recall['papers']:,} ({recall['share']:.0%} of the recorded)."
    )
