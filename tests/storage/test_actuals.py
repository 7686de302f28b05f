"""Indicator values: recorded with history; misses and jumps need an explanation."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from roadmap.program.model import Program
from roadmap.reports.actuals import InvalidValue, parse_value
from storage.actuals import latest_values, record_indicator_value, record_target_value
from storage.errors import ExplanationRequired
from tests.db import at


def give(session: Session, program: Program, indicator: str, period: str, org: str, value: float,
         explanation: str | None = None, day: str = "2025-07-10"):  # type: ignore[no-untyped-def]  # fmt: skip
    return record_indicator_value(
        session=session, program=program, indicator=indicator, period=period, org=org,
        value=value, given_by="Аналитик", channel="cli", at=at(day), margin=0.05,
        explanation=explanation,
    )  # fmt: skip


def test_value_on_target_needs_no_explanation(session: Session, program: Program) -> None:
    row = give(session, program, "4.1", "2025-H1", "minsoc", 1)
    assert (row.value, row.target, row.explanation) == (1, 1, None)


def test_value_that_misses_needs_an_explanation(session: Session, program: Program) -> None:
    # 1.5 children returned to their families: up is better, 2025 target 1 233
    with pytest.raises(ExplanationRequired, match="хуже цели 1233"):
        give(session, program, "1.5", "2025", "minsoc", 1100)
    row = give(session, program, "1.5", "2025", "minsoc", 1100, "суды отложили решения")
    assert row.explanation == "суды отложили решения"
    give(session, program, "1.5", "2025", "minsoc", 1200)  # within 5 %: no explanation needed


def test_direction_decides_what_a_miss_is(session: Session, program: Program) -> None:
    # 8.8 average months in a rehabilitation centre: down is better, H1 2026 target 2.3
    give(session, program, "8.8", "2026-H1", "minsoc", 2.0)
    with pytest.raises(ExplanationRequired):
        give(session, program, "8.8", "2026-H1", "minsoc", 2.6)


def test_summed_indicator_checks_the_total_once_all_contributors_gave(
    session: Session, program: Program
) -> None:
    # 1.1 headcount = minsoc + minobr + minzdrav; trajectory on 1 March 2025 is 2 211 (flat
    # before the first checkpoint)
    give(session, program, "1.1", "2025-03", "minsoc", 900)
    give(session, program, "1.1", "2025-03", "minobr", 1300)  # partial sum: not judged yet
    with pytest.raises(ExplanationRequired, match="2400"):
        give(session, program, "1.1", "2025-03", "minzdrav", 200)
    give(session, program, "1.1", "2025-03", "minzdrav", 200, "поступления по актам полиции")
    latest = latest_values(
        session=session, program_id=program.id, indicator="1.1", period="2025-03"
    )
    assert sum(r.value for r in latest.values()) == 2400


def test_jump_of_more_than_half_needs_an_explanation(session: Session, program: Program) -> None:
    give(session, program, "3.2", "2025-05", "minsoc", 8, day="2025-06-03")
    with pytest.raises(ExplanationRequired, match="более чем на 50%"):
        give(session, program, "3.2", "2025-06", "minsoc", 20, day="2025-07-03")


def test_history_is_kept_and_the_newest_value_counts(session: Session, program: Program) -> None:
    give(session, program, "4.1", "2025-H1", "minsoc", 1)
    give(session, program, "4.1", "2025-H1", "minsoc", 1, day="2025-07-11")
    latest = latest_values(session=session, program_id=program.id, indicator="4.1")
    assert len(latest) == 1


@pytest.mark.parametrize(
    ("indicator", "period", "org", "value", "message"),
    [
        ("1.1", "2025-03", "minsoc", -5, "отрицательным"),
        ("9.9", "2025", "minsoc", 1, "нет в программе"),
        ("1.1", "2025", "nobody", 1, "нет в программе"),
        ("1.1", "2025-Q3", "minsoc", 1, "контрольная точка"),
        ("1.1", "2030-01", "minsoc", 1, "вне срока программы"),
        ("1.1", "2025-13", "minsoc", 1, "месяц"),
        # plausible for the unit: 1.12 is a share in %, 1.5 counts children (единиц)
        ("1.12", "2025", "minsoc", 100.5, "больше возможного для единицы «%» \\(не более 100\\)"),
        ("1.5", "2025", "minsoc", 1_000_001, "«единиц» \\(не более 1e\\+06\\)"),
        ("1.5", "2025", "minsoc", 1e308, "больше возможного"),
        ("1.5", "2025", "minsoc", float("inf"), "не число"),
    ],
)
def test_bad_values_are_refused(
    session: Session,
    program: Program,
    indicator: str,
    period: str,
    org: str,
    value: float,
    message: str,
) -> None:
    with pytest.raises(InvalidValue, match=message):
        give(session, program, indicator, period, org, value)


@pytest.mark.parametrize("text", ["много", "12,5,3", "", "nan", "inf", "-1", "12.", "0x1F"])
def test_non_numeric_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_value(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1e308", "запись с порядком"),
        ("2E3", "запись с порядком"),
        ("1_000", "знак «_»"),
        ("\uff11\uff12\uff13", "цифрами 0–9"),  # full-width １２３
        ("\u0661\u0662\u0663", "цифрами 0–9"),  # Arabic-Indic ١٢٣
        ("\u06f1\u06f2", "цифрами 0–9"),  # Persian ۱۲
    ],
)
def test_numbers_python_would_take_but_a_person_did_not_mean_are_refused_with_the_reason(
    text: str, reason: str
) -> None:
    float(text.replace("_", ""))  # Python itself reads every one of them
    with pytest.raises(InvalidValue, match=reason):
        parse_value(text)


def test_target_values_are_bounded_by_their_unit(session: Session, program: Program) -> None:
    percent = next(
        (a.number, i)
        for a in program.activities
        for i, t in enumerate(a.targets, 1)
        if t.unit == "%"
    )
    given: dict[str, Any] = {
        "program": program,
        "period": "2025-H1",
        "org": "minsoc",
        "given_by": "Аналитик",
        "channel": "cli",
        "at": at("2025-07-10"),
    }
    with pytest.raises(InvalidValue, match="не более 100"):
        record_target_value(
            session=session, activity=percent[0], target=percent[1], value=101, **given
        )
    record_target_value(session=session, activity=percent[0], target=percent[1], value=100, **given)


def test_russian_number_notation_is_read() -> None:
    assert parse_value("1 843") == 1843
    assert parse_value("2,5") == 2.5
