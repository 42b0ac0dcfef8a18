"""The year of every dump: the pages' date headers have a month and a day only, so the years
come from the dates in file names, from ``first_year``, from the years the papers name, or from
the calendar alone. One function, :func:`assign_years`, returns a :class:`YearChoice`: the years,
what decided them (a sentence and a basis), and whether they are a guess.

The invariant: a dump is never placed after today, never before the newest year that two of
its papers name (one paper may forecast "by 2030" or be mislabelled: it cannot move a date), and
only the calendar alone ("the latest year not after today") is called a guess."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from helpers.ingest.dumps import DumpFormatError

MIN_PAPERS = 2  # distinct papers that must name a year (or later) before it bounds the dates
HOW_TO_SET = (
    "set first_year in hf-papers.toml, pass --first-year to hf-papers, or name the files by "
    "date (2024-03-11.txt)"
)


@dataclass(frozen=True)
class DateLabel:
    """A page's date header (month and day, no year) where it was read, in time order; ``year``
    when the file name gives it; ``named``: (paper key, newest year the paper names) for the
    papers under it that name a year."""

    month: int
    day: int
    label: str = ""
    path: str = ""
    line: int = 0
    year: int | None = None
    named: tuple[tuple[str, int], ...] = ()

    def where(self) -> str:
        return f"{Path(self.path).name} (line {self.line})" if self.path else repr(self.label)


_BASES = {
    "file names": "the dates in the file names",
    "first_year": "first_year",
    "text": "the years the papers name",
    "calendar": "the calendar alone",
    "JSON dates": "the dates of the JSON days",
}


@dataclass(frozen=True)
class YearChoice:
    """The years of the date headers, made once by :func:`assign_years` and passed along.

    ``basis`` is what decided: ``"file names"``, ``"first_year"``, ``"text"`` (the years the
    papers name) or ``"calendar"`` (the latest years not after today: then ``guess`` is true);
    ``policy`` says it in a sentence."""

    years: list[int]
    policy: str
    basis: str
    guess: bool = False

    def to_json(self) -> dict:
        """The manifest's record of the choice; :meth:`from_json` reads it back."""
        return {
            "years": self.years,
            "policy": self.policy,
            "basis": self.basis,
            "guess": self.guess,
        }

    @classmethod
    def from_json(cls, record: dict | None) -> YearChoice:
        """The choice a manifest recorded (an empty one for a manifest without it)."""
        record = record or {}
        return cls(
            list(record.get("years", [])),
            str(record.get("policy", "")),
            str(record.get("basis", "")),
            bool(record.get("guess", False)),
        )

    def describe(self) -> str:
        """What decided, then the sentence: the line the overview report prints.

        >>> YearChoice([2024], "first_year=2024 (given)", "first_year").describe()
        'Years decided by first_year: first_year=2024 (given)'
        """
        what = _BASES.get(self.basis, self.basis or "nothing recorded")
        return f"Years decided by {what}{' (A GUESS)' if self.guess else ''}: {self.policy}"

    @property
    def warning(self) -> str | None:
        """What the build prints when the years are a guess, else None."""
        return f"the years of the dates are a guess: {self.policy}" if self.guess else None


def _real(year: int, label: DateLabel) -> bool:
    return label.day <= calendar.monthrange(year, label.month)[1]


def assign_years(
    labels: Sequence[DateLabel | tuple[int, int]],
    first_year: int | None = None,
    today: dt.date | None = None,
    source: str = "given",
) -> YearChoice:
    """Years for date headers in time order, with what decided them.

    A label whose month is earlier than the previous one starts the next year (Dec -> Jan).
    A dump whose file name holds a date takes that year, and later dumps count on from it
    (earlier ones count back). Otherwise, with ``first_year`` (described by ``source``) the
    first label gets that year. Without either, of the assignments the month order allows and
    that make every label a real date (Feb 29 only in a leap year) and put none after today:
    when at least ``MIN_PAPERS`` distinct papers name a year (``DateLabel.named``), the
    earliest that dates no dump before the newest year they name; else the latest (a guess).
    Raises DumpFormatError naming file, line and label when no year fits.

    >>> assign_years([(11, 30), (12, 24), (1, 3)], first_year=2023).years
    [2023, 2023, 2024]
    >>> assign_years([(12, 1), (2, 29), (4, 5)], today=dt.date(2026, 12, 2)).years
    [2023, 2024, 2024]
    >>> named = DateLabel(3, 11, named=(("a", 2024), ("b", 2024), ("c", 2030)))
    >>> assign_years([named], today=dt.date(2026, 12, 2)).years
    [2024]
    >>> assign_years([(3, 11)], today=dt.date(2026, 12, 2)).guess
    True
    """
    labs = [x if isinstance(x, DateLabel) else DateLabel(*x) for x in labels]
    if not labs:
        return YearChoice([], "no dates", "calendar")
    steps = [0] + [int(b.month < a.month) for a, b in zip(labs, labs[1:], strict=False)]
    pins = [i for i, x in enumerate(labs) if x.year is not None]
    if first_year is not None and pins and pins[0] == 0 and labs[0].year != first_year:
        raise DumpFormatError(
            labs[0].path,
            labs[0].line,
            f"first_year={first_year} ({source}) but the file name of the first dump says "
            f"{labs[0].year}; remove first_year or rename the file",
        )
    if pins:
        years, policy, why = _years_from_names(labs, steps, pins, first_year, source)
        choice = YearChoice(years, policy, "file names")
    elif first_year is not None:
        years = list(itertools.accumulate(steps, initial=first_year))[1:]
        why = f"first_year={first_year} ({source})"
        choice = YearChoice(
            years,
            f"first_year={first_year} ({source}) is the year of the first dump; later dumps "
            "roll over to the next year whenever the month goes backwards",
            "first_year",
        )
    else:
        choice = _infer_years(labs, steps, today or dt.date.today())
        why = "the inferred years"
    for year, label in zip(choice.years, labs, strict=True):
        if not _real(year, label):
            raise DumpFormatError(
                label.path,
                label.line,
                f"{label.label or f'{label.month}/{label.day}'!r} is not a real date in {year} "
                f"(the year given by {why}); fix first_year or name the files by date "
                "(2024-02-29)",
            )
    return choice


def _years_from_names(labs, steps, pins, first_year, source):
    """Years when some file names hold dates: each named dump takes its own year, the others
    count on from the dump before them (back from the first named one, or on from first_year)."""
    years: list[int | None] = [None] * len(labs)
    for i, label in enumerate(labs):
        if label.year is not None:
            years[i] = label.year
        elif i and years[i - 1] is not None:
            years[i] = years[i - 1] + steps[i]
    first = pins[0]
    if first_year is not None and first > 0:
        years[0] = first_year
        for i in range(1, first):
            years[i] = years[i - 1] + steps[i]
        lead = (
            f"; dumps before the first named one count on from first_year={first_year} ({source})"
        )
    else:
        for i in range(first - 1, -1, -1):
            years[i] = years[i + 1] - steps[i + 1]
        lead = "; dumps before the first named one count back from it" if first else ""
    named = {labs[i].path for i in pins}
    files = {x.path for x in labs}
    example = Path(labs[first].path).name
    if len(named) == len(files):
        policy = f"every dump's year comes from the date in its file name (e.g. {example})"
    else:
        policy = (
            f"{len(named)} of {len(files)} dumps have a date in their file name (e.g. {example}),"
            " which gives their year; the others take the year of the dump before them, rolling"
            f" over a year whenever the month goes backwards{lead}"
        )
    return years, policy, "the dates in the file names"


def _text_bounds(labs, offsets) -> list[tuple[int, bool]]:
    """Per distinct paper that names a year, newest first: (the earliest first-dump year it
    allows, whether it was listed from March on). A paper naming year Y in a dump ``o`` years
    after the first needs ``b >= Y - o``. In January and February papers still name the year
    before more often than the new one, so only later listings can say "this very year"."""
    need: dict[str, tuple[int, bool]] = {}
    for offset, label in zip(offsets, labs, strict=True):
        for key, year in label.named:
            bound = (year - offset, label.month >= 3)
            need[key] = max(need.get(key, bound), bound)
    return sorted(need.values(), reverse=True)


def _infer_years(labs, steps, today: dt.date) -> YearChoice:
    offsets = list(itertools.accumulate(steps))
    last_offset, month, day = max((o, x.month, x.day) for o, x in zip(offsets, labs, strict=True))
    latest_last = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    newest = latest_last - last_offset  # the latest first-dump year that puts nothing after today
    leap_days = {}  # offset -> the first Feb 29 at that offset
    for offset, label in zip(offsets, labs, strict=True):
        if (label.month, label.day) == (2, 29):
            leap_days.setdefault(offset, label)

    def real(b: int) -> bool:
        return all(calendar.isleap(b + o) for o in leap_days)

    base = next((b for b in range(newest, newest - 401, -1) if real(b)), None)  # 400-year cycle
    rolling = "earlier dumps count back, rolling over a year whenever the month goes backwards"
    if base is None:
        (o1, first), *others = sorted(leap_days.items())
        o2, clash = next(((o, x) for o, x in others if (o - o1) % 4), others[-1])
        raise DumpFormatError(
            clash.path,
            clash.line,
            f"{clash.label or 'Feb 29'!r} cannot be a real date: the month order puts it "
            f"{o2 - o1} year(s) after Feb 29 in {first.where()}, and no two such years are both "
            "leap years; name the files by date (2024-02-29) or set first_year",
        )
    head = "no first_year given and no dates in the file names: "
    bounds = [(v, late) for v, late in _text_bounds(labs, offsets) if v <= newest]  # no forecasts
    floor = bounds[MIN_PAPERS - 1][0] if len(bounds) >= MIN_PAPERS else None
    text_base = (
        None if floor is None else next((b for b in range(floor, base + 1) if real(b)), None)
    )
    settled = sum(v == floor and late for v, late in bounds)  # name the floor, from March on
    if text_base is not None and bounds[0][0] == floor and settled >= MIN_PAPERS:
        last_year = text_base + last_offset
        calendar_says = (
            f"the same as the latest year not after today ({today.isoformat()})"
            if text_base == base
            else f"the latest year not after today, {today.isoformat()}, would be "
            f"{base + last_offset}"
        )
        decided = (
            f"the years the papers name decided: {settled} papers listed from March on name "
            f"the year of their own dump and none names a later one, so the last dump is in "
            f"{last_year} ({calendar_says})"
        )
        return YearChoice([text_base + o for o in offsets], f"{head}{decided}; {rolling}", "text")
    if floor is None:
        named = f"fewer than {MIN_PAPERS} papers name a year"
    elif text_base is None:
        named = f"the years the papers name, {floor} or later, do not fit the leap years"
    else:
        named = (
            f"the papers name years up to {floor + last_offset} for the last dump, which only "
            f"says it is not earlier ({settled} from March on name that year, "
            f"{sum(v > floor for v, _ in bounds)} a later one)"
        )
    last_year = base + last_offset
    if base == newest:
        decided = (
            f"the last dump was put in {last_year}, the latest year that does not place it after "
            f"today ({today.isoformat()})"
        )
    else:
        offset = next(o for o in leap_days if not calendar.isleap(newest + o))
        leap = leap_days[offset]
        decided = (
            f"Feb 29 in {leap.where()} allows only leap years: {base + offset}, so the last dump "
            f"is in {last_year} (the latest year not after today, {today.isoformat()}, would "
            f"have been {newest + last_offset})"
        )
    guess = f"; the year is a guess ({named}): to fix it, {HOW_TO_SET}"
    return YearChoice(
        [base + o for o in offsets], f"{head}{decided}; {rolling}{guess}", "calendar", True
    )
