"""Run-form choices: the program's periods in words, read back to periods."""

from __future__ import annotations

import pytest

from roadmap.dates.periods import parse_period
from roadmap.errors import InvalidPeriod
from roadmap.program.choices import (
    BY_RUN_DATE,
    WHOLE_SPAN,
    month_choices,
    quarter_choices,
    read_choice,
    report_periods,
)
from roadmap.program.model import Program


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I полугодие 2025 года", "2025-H1"),
        ("II полугодие 2026 года", "2026-H2"),
        ("2025 год", "2025"),
        ("IV квартал 2026 года", "2026-Q4"),
        ("2025-H1", "2025-H1"),  # a schedule or an older run's label
        (" 2026 ", "2026"),
    ],
)
def test_a_report_period_is_read_from_its_words_or_its_label(
    program: Program, text: str, label: str
) -> None:
    assert read_choice(text, report_periods(program)) == parse_period(label)


@pytest.mark.parametrize("text", [WHOLE_SPAN, BY_RUN_DATE, "", None])
def test_the_default_choice_reads_as_none(program: Program, text: str | None) -> None:
    assert read_choice(text, report_periods(program)) is None


def test_an_unknown_choice_is_refused_with_the_allowed_words(program: Program) -> None:
    with pytest.raises(InvalidPeriod, match="«третье полугодие» не распознан; допустимо: весь"):
        read_choice("третье полугодие", report_periods(program))


def test_months_and_quarters_cover_the_span_in_order(program: Program) -> None:
    months = list(month_choices(program))
    assert months[:3] == [BY_RUN_DATE, "январь 2025\u00a0г.", "февраль 2025\u00a0г."]
    assert months[-1] == "декабрь 2026\u00a0г." and len(months) == 25
    assert read_choice("март 2025\u00a0г.", month_choices(program)) == parse_period("2025-03")
    quarters = list(quarter_choices(program))
    assert quarters[1] == "I квартал 2025 года" and len(quarters) == 9
