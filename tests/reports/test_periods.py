"""The period a report covers (forum/reports/periods.py): financial years, names, and the
dates refused beside their field."""

from __future__ import annotations

from datetime import date

import pytest

from forum.reports.periods import (
    Period,
    PeriodError,
    checked,
    default_period,
    financial_year,
    financial_year_of,
    financial_years,
    so_far,
)

TODAY = date(2026, 12, 6)


def test_financial_years():
    year = financial_year(2025)
    assert (year.start, year.end) == (date(2025, 4, 1), date(2026, 3, 31))
    assert year.is_financial_year and year.name == "April 2025 to March 2026"
    assert year.slug == "2025-04-01_2026-03-31"
    assert financial_year_of(date(2026, 3, 31)) == year
    assert financial_year_of(date(2026, 4, 1)) == financial_year(2026)
    assert default_period(TODAY) == year
    years = financial_years(TODAY)
    assert years[0] == financial_year(2026) and years[-1] == financial_year(2020)


def test_a_period_of_own_dates():
    period = checked(date(2025, 9, 1), date(2026, 8, 31), TODAY)
    assert not period.is_financial_year
    assert period.name == "1 September 2025 to 31 August 2026"
    assert period.contains(date(2026, 8, 31)) and not period.contains(date(2026, 9, 1))
    assert period.ends_before > period.starts_at
    assert so_far(Period(date(2026, 4, 1), date(2027, 3, 31)), TODAY)
    assert not so_far(period, TODAY)


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        (None, date(2026, 1, 1), "start", "Enter the date the period starts"),
        (date(2025, 1, 1), None, "end", "Enter the date the period ends"),
        (date(1999, 12, 31), date(2000, 6, 1), "start", "2000 or later"),
        (date(2026, 12, 7), date(2027, 1, 1), "start", "today or earlier"),
        (date(2025, 6, 1), date(2025, 5, 31), "end", "on or after the day it starts"),
        (date(2005, 4, 1), date(2025, 3, 31), "end", "up to 5 years long"),
        (date(2020, 2, 29), date(2025, 3, 1), "end", "up to 5 years long"),
    ],
)
def test_periods_that_cannot_be_reported_on(start, end, field, words):
    with pytest.raises(PeriodError) as refused:
        checked(start, end, TODAY)
    assert refused.value.field == field
    assert words in str(refused.value)


def test_the_longest_period_and_today():
    assert checked(date(2021, 12, 7), date(2026, 12, 6), TODAY).start == date(2021, 12, 7)
    assert checked(TODAY, TODAY, TODAY).end == TODAY
