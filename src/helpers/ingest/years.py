"""The year of every dump: the pages' date headers have a month and a day only, so the years
come from the dates in file names, from ``first_year``, or from the calendar (the latest years
that put nothing after today and make every label a real date). One function,
:func:`assign_years`, returns the years and a sentence saying what decided them."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from helpers.ingest.dumps import DumpFormatError


@dataclass(frozen=True)
class DateLabel:
    """A page's date header (month and day, no year) where it was read, in time order; ``year``
    when the file name gives it."""

    month: int
    day: int
    label: str = ""
    path: str = ""
    line: int = 0
    year: int | None = None

    def where(self) -> str:
        return f"{Path(self.path).name} (line {self.line})" if self.path else repr(self.label)


def _real(year: int, label: DateLabel) -> bool:
    return label.day <= calendar.monthrange(year, label.month)[1]


def assign_years(
    labels: Sequence[DateLabel | tuple[int, int]],
    first_year: int | None = None,
    today: dt.date | None = None,
    source: str = "given",
) -> tuple[list[int], str]:
    """Years for date headers in time order, and a sentence saying what decided them.

    A label whose month is earlier than the previous one starts the next year (Dec -> Jan).
    A dump whose file name holds a date takes that year, and later dumps count on from it
    (earlier ones count back). Otherwise, with ``first_year`` (described by ``source``) the
    first label gets that year; without it, of the assignments the month order allows, the
    latest that puts no label after today and makes every label a real date (Feb 29 only in a
    leap year). Raises DumpFormatError naming file, line and label when no year fits.

    >>> assign_years([(11, 30), (12, 24), (1, 3)], first_year=2023)[0]
    [2023, 2023, 2024]
    >>> assign_years([(12, 1), (2, 29), (4, 5)], today=dt.date(2026, 12, 2))[0]
    [2023, 2024, 2024]
    """
    labs = [x if isinstance(x, DateLabel) else DateLabel(*x) for x in labels]
    if not labs:
        return [], "no dates"
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
    elif first_year is not None:
        years = list(itertools.accumulate(steps, initial=first_year))[1:]
        why = f"first_year={first_year} ({source})"
        policy = (
            f"first_year={first_year} ({source}) is the year of the first dump; later dumps "
            "roll over to the next year whenever the month goes backwards"
        )
    else:
        years, policy = _infer_years(labs, steps, today or dt.date.today())
        why = "the inferred years"
    for year, label in zip(years, labs, strict=True):
        if not _real(year, label):
            raise DumpFormatError(
                label.path,
                label.line,
                f"{label.label or f'{label.month}/{label.day}'!r} is not a real date in {year} "
                f"(the year given by {why}); fix first_year or name the files by date "
                "(2024-02-29)",
            )
    return years, policy


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


def _infer_years(labs, steps, today: dt.date) -> tuple[list[int], str]:
    offsets = list(itertools.accumulate(steps))
    last_offset, month, day = max((o, x.month, x.day) for o, x in zip(offsets, labs, strict=True))
    latest_last = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    newest = latest_last - last_offset  # the latest first-dump year that puts nothing after today
    leap_days = {}  # offset -> the first Feb 29 at that offset
    for offset, label in zip(offsets, labs, strict=True):
        if (label.month, label.day) == (2, 29):
            leap_days.setdefault(offset, label)
    base = next(
        (
            b
            for b in range(newest, newest - 401, -1)  # the calendar repeats every 400 years
            if all(calendar.isleap(b + o) for o in leap_days)
        ),
        None,
    )
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
    years = [base + o for o in offsets]
    last_year = base + last_offset
    head = "no first_year given and no dates in the file names: "
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
    return years, f"{head}{decided}; {rolling}"
