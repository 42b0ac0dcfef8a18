"""Dates: years inferred from the calendar, taken from file names, or set once in hf-papers.toml or
with --first-year, recorded by ingest and used by every reader until changed."""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from helpers import load_dumps
from helpers.cli import main
from helpers.config import SettingsError, paths, read_settings
from helpers.ingest import ingest
from helpers.ingest.dumps import DumpFormatError, name_date
from helpers.ingest.year_mentions import named_years
from helpers.ingest.years import DateLabel, YearChoice, assign_years
from helpers.report.notebook import load_papers, load_years
from helpers.testing.synth import iter_dumps, papers_frame, write_corpus

REAL = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "hf-daily-2024-2026"
TODAY = dt.date(2026, 12, 2)
# one dump a day across a leap day, in the seed format (no year anywhere in a file)
LEAP = {
    "n_dumps": (pd.Timestamp("2024-04-05") - pd.Timestamp("2023-12-01")).days + 1,
    "start_date": "2023-12-01",
    "papers_per_dump": 2,
    "words_per_abstract": (30, 40),
    "tail_size": 2000,
    "seed": 7,
}
# two winters with no Feb 29: the calendar alone cannot place them
NO_LEAP = {**LEAP, "n_dumps": 70, "start_date": "2021-12-10"}


def corpus(folder: Path, spec: dict, dated_names: bool = False) -> pd.DataFrame:
    """Write the corpus into ``folder``; returns the truth (file name, date) per paper row."""
    spec = dict(spec)
    n = spec.pop("n_dumps")
    written = write_corpus(folder, n, **spec)
    truth = papers_frame(iter_dumps(n, **spec))
    if dated_names:
        names = {}
        firsts = truth.drop_duplicates("dump_file").itertuples()
        for path, row in zip(written, firsts, strict=True):
            new = path.with_name(f"hf-papers-{row.dump_date:%Y-%m-%d}.txt")
            path.rename(new)
            names[path.name] = new.name
        truth = truth.assign(dump_file=truth["dump_file"].map(names))
    return truth


def label(month, day, name="000_x.txt", line=11, year=None, text=None):
    text = text or dt.date(2024, month, day).strftime("%b %-d")
    return DateLabel(month, day, text, f"/data/{name}", line, year)


# --- the calendar --------------------------------------------------------------------------


def test_the_latest_years_that_put_no_dump_after_today():
    choice = assign_years([(3, 11), (7, 28)], today=dt.date(2026, 11, 25))
    years, policy = choice.years, choice.policy
    assert years == [2026, 2026]
    assert "latest year that does not place it after today (2026-11-25)" in policy
    assert assign_years([(12, 24)], today=dt.date(2026, 11, 25)).years == [2025]
    assert assign_years([(7, 28)], today=dt.date(2026, 7, 28)).years == [2026]  # today is allowed


def test_feb_29_allows_only_leap_years_and_the_policy_says_so():
    labels = [label(12, 1, "000_a.txt"), label(2, 29, "062_b.txt", 13), label(4, 5, "090_c.txt")]
    choice = assign_years(labels, today=TODAY)
    years, policy = choice.years, choice.policy
    assert years == [2023, 2024, 2024]
    assert "Feb 29 in 062_b.txt (line 13) allows only leap years: 2024" in policy
    # a Feb 29 already in a leap year when counting back from today changes nothing
    assert assign_years([(2, 29), (3, 1)], today=dt.date(2028, 3, 2)).years == [2028, 2028]


def test_two_feb_29s_a_year_apart_are_one_clear_error_naming_file_line_and_label():
    labels = [label(2, 29, "000_a.txt", 11), label(7, 1), label(2, 29, "002_c.txt", 15)]
    with pytest.raises(DumpFormatError) as info:
        assign_years(labels, today=TODAY)
    err = info.value
    assert (Path(err.path).name, err.line) == ("002_c.txt", 15)
    assert "'Feb 29' cannot be a real date" in str(err) and "000_a.txt (line 11)" in str(err)


def test_first_year_that_makes_feb_29_unreal_names_file_line_and_label():
    labels = [label(12, 1), label(2, 29, "050_leap.txt", 21)]
    with pytest.raises(DumpFormatError, match=r"050_leap.txt:21: 'Feb 29' is not a real date in"):
        assign_years(labels, first_year=2022, source="set in hf-papers.toml")
    choice = assign_years(labels, first_year=2023, source="set in hf-papers.toml")
    years, policy = choice.years, choice.policy
    assert years == [2023, 2024] and "first_year=2023 (set in hf-papers.toml)" in policy


def test_the_leap_corpus_loads_with_its_true_dates_and_no_settings(tmp_path):
    truth = corpus(tmp_path, LEAP)
    papers = load_dumps(tmp_path, today=TODAY)
    assert papers["dump_date"].tolist() == truth["dump_date"].tolist()
    assert papers["dump_date"].min() == pd.Timestamp("2023-12-01")
    assert (papers["dump_date"] == pd.Timestamp("2024-02-29")).sum() == 2
    assert "allows only leap years: 2024" in papers.attrs["year_policy"]
    # from today's clock too, the day this runs
    assert load_dumps(tmp_path)["dump_date"].tolist() == truth["dump_date"].tolist()


# --- the years the papers name ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Accepted at CVPR 2024.", {2024}),
        ("The SemEval-2025 Task 8 and NeurIPS 2023 workshop.", {2025, 2023}),
        ("Released in March 2024 and updated on May 24, 2025.", {2024, 2025}),
        ("as shown by Wang et al., 2023 and (Feng et al., 2026a).", {2023, 2026}),
        ("data collected from 2019-2021 and between 2015 and 2017", {2015, 2017, 2019, 2021}),
        ("scores on AIME 2024/2025 and the 2025 International Olympiad", {2024, 2025}),
        ("in 2023, since 2020, during 1999", {2023, 2020, 1999}),
        ("Kaggle Challenge 2022 winners", {2022}),
        # numbers that are not years
        ("a context of 2048 tokens and 2000 frames at 1024x1024", set()),
        ("scaled to 2048 x 2048 pixels, 1920 times faster, 2,048 steps", set()),
        ("code at https://github.com/zsh2000/repo and zhang2024.github.io", set()),
        ("runs on the Sophon SG2042 with a rating of 2088 on CodeForces", set()),
        ("The Agency predicts that by 2030 most jobs change.", set()),  # a forecast
        ("in 2048-dimensional space, in 2024.5 GB", set()),
    ],
)
def test_what_counts_as_a_year_named_in_an_abstract(text, years):
    assert named_years(text) == years


def named(month, day, *years, prefix="p"):
    """A date label whose papers name ``years`` (one paper each)."""
    papers = tuple((f"{prefix}{month}-{day}-{i}", y) for i, y in enumerate(years))
    return DateLabel(month, day, named=papers)


FAR = dt.date(2026, 12, 7)  # a clock two years after the listings below


def test_two_papers_naming_the_year_date_a_listing_the_calendar_would_put_two_years_later():
    choice = assign_years([named(3, 20, 2024, 2023), named(4, 5, 2024, 2019)], today=FAR)
    assert choice.years == [2024, 2024]
    assert (choice.basis, choice.guess, choice.warning) == ("text", False, None)
    assert "decided: 2 papers listed from March on name the year of their own dump" in (
        choice.policy
    )
    assert "so the last dump is in 2024" in choice.policy
    assert "the latest year not after today, 2026-12-07, would be 2026" in choice.policy
    # the old rule: the calendar alone, and it says it is a guess
    alone = assign_years([(3, 20), (4, 5)], today=FAR)
    assert alone.years == [2026, 2026] and alone.guess and alone.basis == "calendar"
    assert "fewer than 2 papers name a year" in alone.warning
    assert "first_year in hf-papers.toml" in alone.warning and "--first-year" in alone.warning


def test_a_year_named_by_one_paper_cannot_move_a_date():
    base = [named(6, 3, 2024, 2024, 2022)]
    # a forecast after today is dropped; the listing stays in the year two papers name
    forecast = assign_years([*base, named(6, 4, 2030)], today=FAR)
    assert forecast.years == [2024, 2024] and not forecast.guess
    # one paper naming a later year that the calendar allows: not enough to move the date,
    # and enough doubt that the choice is called a guess (and the build warns)
    later = assign_years([*base, named(6, 4, 2025)], today=FAR)
    assert later.guess and "1 a later one" in later.policy
    # one paper alone names nothing decisive
    single = assign_years([named(6, 3, 2024)], today=FAR)
    assert single.guess and single.years == [2026]
    # the same paper listed on two days counts once
    same = (("one paper", 2024),)
    twice = assign_years([DateLabel(6, 3, named=same), DateLabel(6, 4, named=same)], today=FAR)
    assert twice.guess


def test_conflicting_evidence_two_papers_against_the_rest():
    # two papers name 2025 and many 2024: the listing is not before 2025
    choice = assign_years([named(9, 1, 2024, 2024, 2024, 2025, 2025)], today=FAR)
    assert choice.years == [2025] and not choice.guess
    # papers that name a year never place a dump after today
    future = assign_years([named(9, 1, 2027, 2027, 2024, 2024)], today=FAR)
    assert future.years == [2024] and not future.guess


def test_january_listings_naming_last_year_are_only_a_lower_bound():
    # early in a year papers still name the year before: 2024 named in January 2025 dumps
    choice = assign_years([named(1, 6, 2024, 2024), named(2, 3, 2024, 2024)], today=FAR)
    assert choice.guess and choice.years == [2026, 2026]
    assert "the papers name years up to 2024 for the last dump" in choice.policy
    # with today just after them, the calendar gives the true year, still called a guess
    soon = assign_years([named(1, 6, 2024, 2024)], today=dt.date(2025, 2, 1))
    assert soon.years == [2025] and soon.guess


def test_papers_before_new_year_count_on_across_the_roll_over():
    labels = [named(12, 2, 2024, 2024), named(1, 8, 2024), named(3, 3, 2025)]
    choice = assign_years(labels, today=FAR)
    assert choice.years == [2024, 2025, 2025] and not choice.guess


def test_file_names_and_first_year_keep_priority_over_the_text():
    labels = [named(3, 20, 2024, 2024, 2024)]
    assert assign_years(labels, first_year=2022).years == [2022]
    pinned = [DateLabel(3, 20, year=2021, named=labels[0].named)]
    assert assign_years(pinned, today=FAR).basis == "file names"


def test_the_year_choice_round_trips_through_its_manifest_record():
    choice = assign_years([named(3, 20, 2024, 2024)], today=FAR)
    assert YearChoice.from_json(json.loads(json.dumps(choice.to_json()))) == choice


def write_listing(path: Path, header: str, abstracts: list[str]) -> None:
    papers = "".join(f"Title {i} of {path.stem}\n\n{a}\n\n" for i, a in enumerate(abstracts))
    path.write_text(f"Subscribe\n\n{header}\n\n{papers}", encoding="utf-8")


def test_dumps_whose_abstracts_name_years_load_with_those_years(tmp_path):
    write_listing(tmp_path / "000_aa.txt", "Mar 20", ["Accepted at CVPR 2024.", "Plain."])
    write_listing(
        tmp_path / "001_bb.txt", "Apr 5", ["A survey of work since 2024.", "2048 tokens"]
    )
    papers = load_dumps(tmp_path, today=FAR)
    assert papers["dump_date"].dt.year.unique().tolist() == [2024]
    assert "the years the papers name decided" in papers.attrs["year_policy"]
    assert papers.attrs["year_choice"].basis == "text"


def test_a_guess_is_printed_by_every_ingest_and_recorded_in_the_manifest(project, capsys):
    assert main(["ingest", "--first-year", "auto"]) == 0  # the seeds name no year
    err = capsys.readouterr().err
    assert "warning: the years of the dates are a guess" in err and "--first-year" in err
    years = load_years()
    assert years.guess and years.basis == "calendar"
    assert years.describe().startswith("Years decided by the calendar alone (A GUESS): ")
    manifest = json.loads((project.processed / "manifest.json").read_text())
    assert YearChoice.from_json(manifest["year_choice"]) == years
    assert main(["ingest"]) == 0  # nothing to do, and still a guess
    out, err = capsys.readouterr()
    assert "unchanged" in out and "are a guess" in err
    assert main(["ingest", "--first-year", "2024"]) == 0
    assert "guess" not in capsys.readouterr().err
    assert load_years().describe().startswith("Years decided by first_year: first_year=2024")


# --- dates in file names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "date"),
    [
        ("2024-02-29.txt", dt.date(2024, 2, 29)),
        ("hf-papers-2024-02-29.txt", dt.date(2024, 2, 29)),
        ("017_20240229_daily.txt", dt.date(2024, 2, 29)),
        ("papers20231201.txt", dt.date(2023, 12, 1)),
        ("000_bf51bc8f353d52b5.txt", None),
        ("000_ab20240229cdef01.txt", None),  # inside a hexadecimal hash: not a date
        ("2023-02-29.txt", None),  # not a real day: not a date
        ("2024-0229.txt", None),  # mixed separators
        ("1_202402291.txt", None),  # nine digits
    ],
)
def test_iso_dates_anywhere_in_a_file_name(name, date):
    assert name_date(name) == date


def test_dated_file_names_give_the_true_dates_without_any_feb_29(tmp_path):
    truth = corpus(tmp_path / "dated", NO_LEAP, dated_names=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # dated names order the dumps: no warning
        papers = load_dumps(tmp_path / "dated", today=TODAY)
    assert papers["dump_date"].tolist() == truth["dump_date"].tolist()
    assert papers["dump_file"].tolist() == truth["dump_file"].tolist()
    assert papers.attrs["year_policy"].startswith("every dump's year comes from the date in its")
    # the same dumps without the names: the calendar alone puts them four years later
    corpus(tmp_path / "plain", NO_LEAP)
    undated = load_dumps(tmp_path / "plain", today=TODAY)
    assert undated["dump_date"].min() == pd.Timestamp("2025-12-10")


def test_one_dated_name_places_the_undated_dumps_around_it(tmp_path):
    truth = corpus(tmp_path, NO_LEAP)
    middle = truth.drop_duplicates("dump_file").iloc[30]
    path = tmp_path / middle["dump_file"]
    path.rename(path.with_name(f"{path.stem}_{middle['dump_date']:%Y%m%d}.txt"))
    papers = load_dumps(tmp_path, today=TODAY)
    assert papers["dump_date"].tolist() == truth["dump_date"].tolist()
    assert "1 of 70 dumps have a date in their file name" in papers.attrs["year_policy"]


def test_a_name_that_disagrees_with_the_page_header_is_an_error_naming_the_file(tmp_path):
    corpus(tmp_path, {**NO_LEAP, "n_dumps": 3})
    first = sorted(tmp_path.glob("*.txt"))[0]  # its header says Dec 10
    wrong = first.rename(tmp_path / "000_2021-12-11.txt")
    with pytest.raises(DumpFormatError) as info:
        load_dumps(tmp_path, today=TODAY)
    assert info.value.path == str(wrong) and info.value.line == 11
    assert "the file name says 2021-12-11 but the page header says 'Dec 10'" in str(info.value)
    # ingest lists the file as not loaded and keeps the others
    papers = load_dumps(tmp_path, errors="collect", today=TODAY)
    assert set(papers["dump_file"]) == {p.name for p in tmp_path.glob("*.txt")} - {wrong.name}


def test_first_year_that_contradicts_the_first_file_name_is_an_error(tmp_path):
    corpus(tmp_path, {**NO_LEAP, "n_dumps": 2}, dated_names=True)
    with pytest.raises(DumpFormatError, match="first_year=2020 .* says 2021"):
        load_dumps(tmp_path, first_year=2020)
    assert load_dumps(tmp_path, first_year=2021)["dump_date"].min() == pd.Timestamp("2021-12-10")


# --- NUL bytes -----------------------------------------------------------------------------


def test_nul_bytes_inside_an_abstract_are_removed_and_the_paper_kept(tmp_path):
    text = (
        "Subscribe\n\nMar 11\n\nFirst Title\n\nAn abstract\x00 with a NUL.\nSecond\x00 line.\n\n"
        "Other Title\n\nClean abstract.\n"
    )
    path = tmp_path / "000_nul.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.warns(UserWarning, match="000_nul.txt: 1 block"):
        papers = load_dumps(path, first_year=2024)
    assert papers["title"].tolist() == ["First Title", "Other Title"]
    assert papers["abstract"].iloc[0] == "An abstract with a NUL.\nSecond line."
    warning = papers.attrs["rejects"].query("severity == 'warning'")
    assert warning[["dump_file", "line", "n_blocks"]].values.tolist() == [["000_nul.txt", 7, 0]]
    assert warning["reason"].iloc[0] == "2 NUL byte(s) removed (first on this line)"


# --- the settings file and what ingest records ---------------------------------------------


def settings_file(project, text: str) -> None:
    (project.root / "hf-papers.toml").write_text(text, encoding="utf-8")


def test_settings_file_first_year_gives_the_same_true_dates(project):
    for seed in project.raw.glob("*.txt"):
        seed.unlink()
    truth = corpus(project.raw, LEAP)
    settings_file(project, "first_year = 2023\n")
    result = ingest()
    papers = pd.read_parquet(result.outputs["papers"])
    assert papers["dump_date"].tolist() == truth["dump_date"].tolist()
    assert "first_year=2023 (set in hf-papers.toml)" in result.year_policy
    assert load_papers()["dump_date"].tolist() == truth["dump_date"].tolist()
    assert ingest().skipped


def test_a_first_year_given_once_is_kept_until_changed(project):
    given = pd.read_parquet(ingest(first_year=2021).outputs["papers"])
    assert given["dump_date"].dt.year.unique().tolist() == [2021]
    # the next runs without a year (make reports, load_papers() in a notebook) keep it
    assert ingest().skipped
    assert load_papers()["dump_date"].dt.year.unique().tolist() == [2021]
    manifest = json.loads((project.processed / "manifest.json").read_text())
    assert manifest["years"]["first_year"] == 2021 and manifest["manifest"]["first_year"] == 2021
    # a settings file written afterwards is a change: it re-ingests with its year
    settings_file(project, "first_year = 2022\n")
    changed = ingest()
    assert not changed.skipped and "set in hf-papers.toml" in changed.year_policy
    assert load_papers()["dump_date"].dt.year.unique().tolist() == [2022]
    # another given year wins again, and is kept over the unchanged settings file
    ingest(first_year=2019)
    assert ingest().skipped
    assert load_papers()["dump_date"].dt.year.unique().tolist() == [2019]
    # "auto" forgets it: the calendar decides (seeds: Mar 11 and Jul 28, both before today)
    auto = ingest(first_year="auto")
    assert not auto.skipped and auto.year_policy.startswith("no first_year given")
    assert ingest().skipped


def test_a_year_given_for_one_dump_folder_is_not_applied_to_another(project, tmp_path):
    ingest(first_year=2019)
    other = tmp_path / "other"
    other.mkdir()
    for seed in project.raw.glob("*.txt"):
        (other / seed.name).write_bytes(seed.read_bytes())
    result = ingest(other, project.processed)
    assert result.year_policy.startswith("no first_year given")


def test_the_settings_first_year_is_only_for_the_settings_dump_folder(project, tmp_path):
    settings_file(project, "first_year = 2019\n")
    other = tmp_path / "other"
    truth = corpus(other, NO_LEAP, dated_names=True)
    result = ingest(project=paths(raw=other, out=tmp_path / "out"))
    assert (
        pd.read_parquet(result.outputs["papers"])["dump_date"].tolist()
        == truth["dump_date"].tolist()
    )
    assert "2019" not in result.year_policy
    assert "first_year=2019 (set in hf-papers.toml)" in ingest().year_policy  # data/raw


def test_settings_file_raw_and_out_folders(project, tmp_path):
    dumps = tmp_path / "my dumps"
    dumps.mkdir()
    truth = corpus(dumps, NO_LEAP, dated_names=True)
    settings_file(project, f'raw = "{dumps}"\nout = "build"\n')
    assert paths().raw == dumps and paths().reports == project.root / "build"
    result = ingest()
    assert result.outputs["papers"] == project.root / "build" / "processed" / "papers.parquet"
    assert load_papers()["dump_date"].tolist() == truth["dump_date"].tolist()
    assert not (project.root / "data" / "processed" / "papers.parquet").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("first_year = 2023\nyear = 2024\n", "unknown setting(s) year"),
        ('first_year = "2023"\n', "first_year = '2023' should be a year"),
        ("first_year = 23\n", "not a plausible year"),
        ("raw = 5\n", "raw = 5 should be a path"),
        ("first_year = \n", "not valid TOML"),
    ],
)
def test_a_bad_settings_file_is_a_clear_error_naming_it(project, text, message):
    settings_file(project, text)
    with pytest.raises(SettingsError, match=re.escape(message)) as info:
        read_settings(project.root)
    assert str(info.value).startswith(str(project.root / "hf-papers.toml"))


# --- the real corpus -----------------------------------------------------------------------


@pytest.mark.skipif(not (REAL / "raw").is_dir(), reason=f"real corpus absent: {REAL}")
def test_real_corpus_loads_with_the_dates_of_its_truth_table():
    truth = pd.read_csv(REAL / "truth.csv")
    assert not truth["date"].str.endswith("-02-29").any()  # so only the calendar places it
    # the corpus was assembled on TODAY; later runs of the clock would count from a later year
    papers = load_dumps(REAL / "raw", errors="collect", today=TODAY)
    assert len(papers) == len(truth)
    assert papers["dump_file"].tolist() == truth["file"].tolist()
    assert papers["dump_date"].dt.strftime("%Y-%m-%d").tolist() == truth["date"].tolist()


WINDOWS = [  # (first, last listing date): a month, three months, a Jan-Feb stretch, a year end
    ("2024-06-01", "2024-06-30"),
    ("2025-09-01", "2025-11-30"),
    ("2025-01-01", "2025-02-28"),
    ("2025-11-01", "2026-01-31"),
]


@pytest.mark.skipif(not (REAL / "raw").is_dir(), reason=f"real corpus absent: {REAL}")
@pytest.mark.parametrize(("first", "last"), WINDOWS)
def test_real_windows_get_their_true_years_or_say_they_guess(tmp_path, first, last):
    truth = pd.read_csv(REAL / "truth.csv").drop_duplicates("file")
    window = truth[truth["date"].between(first, last)]
    for name in window["file"]:
        (tmp_path / name).symlink_to(REAL / "raw" / name)
    for today in (FAR, pd.Timestamp(last).date() + dt.timedelta(days=30)):
        papers = load_dumps(tmp_path, errors="collect", today=today)
        choice = papers.attrs["year_choice"]
        dates = papers.drop_duplicates("dump_file")["dump_date"].dt.strftime("%Y-%m-%d")
        right = dates.tolist() == window["date"].tolist()
        assert right or choice.guess, (today, choice.policy)
