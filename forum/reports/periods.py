"""The period a report covers: a financial year (1 April to 31 March) by default, or any
dates an organiser chooses, checked so that no report is asked for a time that cannot be
reported on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_

from forum.errors import Refused
from forum.web.time import LONDON

#: the longest period one report covers
LONGEST_YEARS = 5
#: the earliest date a period may start
EARLIEST = date(2000, 1, 1)


class PeriodError(Refused):
    """A period that cannot be reported on, said beside the field it is about."""


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, in London time."""

    start: date
    end: date

    @property
    def starts_at(self) -> datetime:
        """The first moment of `start` in London, as an aware datetime."""
        return datetime.combine(self.start, time.min, tzinfo=LONDON)

    @property
    def ends_before(self) -> datetime:
        """The first moment after `end` in London (periods are half-open in queries)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=LONDON)

    @property
    def is_financial_year(self) -> bool:
        return (self.start.month, self.start.day) == (4, 1) and self.end == date(
            self.start.year + 1, 3, 31
        )

    @property
    def name(self) -> str:
        """ "April 2025 to March 2026" for a financial year; "1 May 2025 to 30 June 2025"."""
        if self.is_financial_year:
            return f"April {self.start.year} to March {self.end.year}"
        return f"{_day(self.start)} to {_day(self.end)}"

    @property
    def slug(self) -> str:
        """For file names and URLs: 2025-04-01_2026-03-31."""
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def holds_moment(self, at: datetime) -> bool:
        """Whether a moment (an aware datetime) falls in the period."""
        return self.starts_at <= at < self.ends_before

    def holds(self, column) -> ColumnElement[bool]:
        """A SQL condition: `column`'s moment falls in the period (half-open, as queries use)."""
        return and_(column >= self.starts_at, column < self.ends_before)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def financial_year(starting: int) -> Period:
    return Period(date(starting, 4, 1), date(starting + 1, 3, 31))


def financial_year_of(day: date) -> Period:
    return financial_year(day.year if day.month >= 4 else day.year - 1)


def default_period(today: date) -> Period:
    """The last financial year that has ended."""
    return financial_year(financial_year_of(today).start.year - 1)


def financial_years(today: date, *, back: int = 6) -> list[Period]:
    """The financial year under way and the `back` before it, newest first."""
    current = financial_year_of(today).start.year
    return [financial_year(year) for year in range(current, current - back - 1, -1)]


def checked(start: date | None, end: date | None, today: date) -> Period:
    """A period from an organiser's dates, or a refusal beside the field that is wrong.

    A period may end after today (a year under way is reported "so far") but may not start
    after it; it may not end before it starts, start before 2000, or be longer than
    `LONGEST_YEARS` years.
    """
    if start is None:
        raise PeriodError("Enter the date the period starts", field="start")
    if end is None:
        raise PeriodError("Enter the date the period ends", field="end")
    if start < EARLIEST:
        raise PeriodError("The period must start in 2000 or later", field="start")
    if start > today:
        raise PeriodError(
            "The period must start today or earlier: a report cannot cover what has not "
            "happened yet",
            field="start",
        )
    if end < start:
        raise PeriodError("The period must end on or after the day it starts", field="end")
    try:
        longest = start.replace(year=start.year + LONGEST_YEARS)
    except ValueError:  # 29 February
        longest = date(start.year + LONGEST_YEARS, 3, 1)
    if end >= longest:
        raise PeriodError(
            f"The period can be up to {LONGEST_YEARS} years long. Choose a later start or an "
            "earlier end.",
            field="end",
        )
    return Period(start, end)


def so_far(period: Period, today: date) -> bool:
    """Whether the period is still under way (its report covers it "so far")."""
    return period.end >= today
