"""Periods of whole months and their labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap.dates.periods import Month, Period, half_year, month, parse_period, quarter, year
from roadmap.errors import InvalidPeriod


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (month(2025, 3), "2025-03"),
        (quarter(2025, 2), "2025-Q2"),
        (half_year(2025, 1), "2025-H1"),
        (half_year(2026, 2), "2026-H2"),
        (year(2025), "2025"),
        (Period(Month(2025, 1), Month(2026, 12)), "2025..2026"),
        (Period(Month(2025, 4), Month(2025, 12)), "2025-04..2025-12"),
        (Period(Month(2025, 10), Month(2026, 12)), "2025-10..2026-12"),
        (Period(Month(2025, 2), Month(2025, 4)), "2025-02..2025-04"),
    ],
)
def test_period_label_is_the_shortest_form(period: Period, label: str) -> None:
    assert period.label == label
    assert parse_period(label) == period


@pytest.mark.parametrize("bad", ["2025-13", "2025-Q5", "25", "март 2025", "2025-H3", ""])
def test_parse_period_refuses_what_it_cannot_read(bad: str) -> None:
    with pytest.raises(InvalidPeriod):
        parse_period(bad)


def test_iter_quarters_clamps_to_the_period() -> None:
    p = Period(Month(2025, 2), Month(2025, 8))
    assert [q.label for q in p.iter_quarters()] == [
        "2025-02..2025-03",
        "2025-Q2",
        "2025-07..2025-08",
    ]


months = st.builds(Month, st.integers(2020, 2030), st.integers(1, 12))


@given(months, months)
def test_any_period_label_parses_back(a: Month, b: Month) -> None:
    p = Period(min(a, b), max(a, b))
    assert parse_period(p.label) == p
