"""The Russian production calendar, as the program's deadlines need it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap.dates.workdays import WorkCalendar, get_calendar

D = dt.date.fromisoformat
cal = get_calendar("RU")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Decree of 04.10.2024 No. 1335 (2025 transfers)
        ("2025-11-01", True),  # Saturday made a working day
        ("2025-11-03", False),  # Monday given off in exchange
        ("2025-05-02", False),
        ("2025-05-08", False),
        ("2025-06-13", False),
        ("2025-12-31", False),  # New Year's Eve off by transfer
        ("2025-01-08", False),  # New Year holidays
        ("2025-01-09", True),
        # Decree for 2026
        ("2026-01-09", False),
        ("2026-03-09", False),  # 8 March fell on a Sunday
        ("2026-12-31", False),
        ("2026-12-30", True),
        # 2027 is needed for the last reports (due February–March 2027)
        ("2027-01-08", False),
        ("2027-01-11", True),
        ("2027-02-22", False),
        # ordinary weekdays and weekends
        ("2025-07-01", True),
        ("2025-07-05", False),
    ],
)
def test_is_working_day_knows_transfers_and_working_saturdays(day: str, working: bool) -> None:
    assert cal.is_working_day(D(day)) is working


@pytest.mark.parametrize(
    ("year", "month", "last"),
    [
        (2025, 12, "2025-12-30"),
        (2026, 12, "2026-12-30"),
        (2025, 5, "2025-05-30"),
        (2026, 2, "2026-02-27"),
        (2025, 11, "2025-11-28"),
        (2025, 3, "2025-03-31"),
    ],
)
def test_last_working_day_of_month_skips_weekends_and_days_off(
    year: int, month: int, last: str
) -> None:
    assert cal.last_working_day_of_month(year, month) == D(last)


def test_nth_working_day_after_half_year_is_the_report_deadline() -> None:
    # «не позднее 20 рабочего дня, следующего за отчетным полугодием»
    assert cal.nth_working_day_after(D("2025-06-30"), 20) == D("2025-07-28")
    assert cal.nth_working_day_after(D("2026-06-30"), 20) == D("2026-07-28")


def test_add_working_days_across_new_year_skips_holidays() -> None:
    # 5th working day of January 2026: the holidays run to 11 January (9th moved off)
    assert cal.add_working_days(D("2025-12-31"), 5) == D("2026-01-16")
    assert cal.add_working_days(D("2026-12-31"), 5) == D("2027-01-15")
    # November 2025: the working Saturday counts, the Monday and Unity Day do not
    assert cal.add_working_days(D("2025-10-31"), 5) == D("2025-11-10")


def test_add_working_days_backwards_and_zero() -> None:
    assert cal.add_working_days(D("2025-07-28"), -1) == D("2025-07-25")
    assert cal.add_working_days(D("2025-07-26"), 0) == D("2025-07-26")


@pytest.mark.parametrize(
    ("day", "rolled"),
    [
        ("2026-03-01", "2026-03-02"),  # 1 March 2026 is a Sunday
        ("2026-08-01", "2026-08-03"),  # 1 August 2026 is a Saturday
        ("2025-08-01", "2025-08-01"),
        ("2025-12-31", "2026-01-12"),  # over the whole New Year break
    ],
)
def test_roll_forward_moves_calendar_deadlines_to_next_working_day(day: str, rolled: str) -> None:
    assert cal.roll_forward(D(day)) == D(rolled)


def test_working_days_between_counts_half_open_interval() -> None:
    assert cal.working_days_between(D("2025-07-28"), D("2025-07-28")) == 0
    assert cal.working_days_between(D("2025-07-25"), D("2025-07-28")) == 1  # Fri → Mon
    assert cal.working_days_between(D("2025-07-28"), D("2025-07-25")) == -1
    assert cal.working_days_between(D("2025-12-30"), D("2026-01-12")) == 1


def test_extra_days_off_override_the_library_for_a_new_decree() -> None:
    custom = WorkCalendar(extra_days_off={D("2025-07-01")}, extra_working_days={D("2025-07-05")})
    assert not custom.is_working_day(D("2025-07-01"))
    assert custom.is_working_day(D("2025-07-05"))


days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 6, 30))


@given(days, st.integers(min_value=1, max_value=60))
def test_add_working_days_lands_on_a_working_day_and_counts_back(day: dt.date, n: int) -> None:
    later = cal.add_working_days(day, n)
    assert cal.is_working_day(later)
    assert cal.working_days_between(day, later) == n


@given(days)
def test_roll_forward_is_idempotent_and_never_goes_back(day: dt.date) -> None:
    rolled = cal.roll_forward(day)
    assert rolled >= day
    assert cal.roll_forward(rolled) == rolled
    assert cal.is_working_day(rolled)


def test_fast_lookup_agrees_with_the_holidays_library_every_day() -> None:
    import holidays

    ru = holidays.country_holidays("RU", years=range(2024, 2029))
    day = dt.date(2024, 1, 1)
    while day <= dt.date(2028, 12, 31):
        assert cal.is_working_day(day) == ru.is_working_day(day), day
        day += dt.timedelta(days=1)


def _step_by_step(day: dt.date, n: int) -> dt.date:
    step = 1 if n > 0 else -1
    while n:
        day += dt.timedelta(days=step)
        if cal.is_working_day(day):
            n -= step
    return day


@given(days, st.integers(min_value=-45, max_value=45))
def test_fast_add_working_days_agrees_with_counting_day_by_day(day: dt.date, n: int) -> None:
    assert cal.add_working_days(day, n) == _step_by_step(day, n)
