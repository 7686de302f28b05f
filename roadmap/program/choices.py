"""The choices a run form offers, from the program data: periods in words, and back.

A form shows a person «I полугодие 2025 года», never ``2025-H1``; the value a run gets is
those words, and the flow reads them back here. The canonical labels (``2025-H1``) are
read too, so schedules, the command line and older runs keep working. A choice's default
(«по дате запуска», «весь срок программы») reads as None: the flow decides from its date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from roadmap.dates.periods import Period, parse_period
from roadmap.errors import InvalidPeriod
from roadmap.program.model import Program
from roadmap.program.preview import period_words

WHOLE_SPAN = "весь срок программы"
BY_RUN_DATE = "по дате запуска"

Choices = Mapping[str, Period | None]


def words_of(periods: Iterable[Period]) -> dict[str, Period | None]:
    """Each period under its words, in the order given."""
    return {period_words(p): p for p in periods}


def report_periods(program: Program) -> dict[str, Period | None]:
    """What a report on demand may cover: the whole span, then each year, its halves and
    quarters."""
    choices: dict[str, Period | None] = {WHOLE_SPAN: None}
    for y in program.span_period.iter_years():
        choices |= words_of([y, *y.iter_halves(), *y.iter_quarters()])
    return choices


def month_choices(program: Program) -> dict[str, Period | None]:
    """The program's months, after the default (the month of the run's date)."""
    return {BY_RUN_DATE: None} | words_of(program.span_period.iter_months())


def quarter_choices(program: Program) -> dict[str, Period | None]:
    """The program's quarters, after the default (the quarter of the run's date)."""
    return {BY_RUN_DATE: None} | words_of(program.span_period.iter_quarters())


def read_choice(text: str | None, choices: Choices) -> Period | None:
    """The period a form's value names: its words, or a canonical label; None for the default.

    Raises:
        InvalidPeriod: neither the words of a choice nor a readable label.
    """
    value = (text or "").strip()
    if not value or value in (WHOLE_SPAN, BY_RUN_DATE):
        return None
    if value in choices:
        return choices[value]
    try:
        return parse_period(value)
    except InvalidPeriod:
        raise InvalidPeriod(
            f"период «{value}» не распознан; допустимо: {', '.join(choices)}"
        ) from None
