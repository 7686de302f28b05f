"""The road map's overview: overdue by answering body, whom to call, what falls due soon."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from roadmap.dates.workdays import get_calendar
from roadmap.obligations.status import ObligationFacts, StatusEntry, classify
from roadmap.program.model import Program
from roadmap.views.overview import (
    Responsible,
    build_overview,
    obligations_ru,
    overview_markdown,
    section_markdown,
)

AS_OF = dt.date(2025, 7, 10)
PEOPLE = {
    "minsoc": [Responsible("Анна Петровна Иванова", "+7 (391) 000-00-01")],
    "minobr": [Responsible("Марина Олеговна Соколова")],
}


@dataclass
class Item:
    facts: ObligationFacts
    entry: StatusEntry
    activity: str | None
    report_kind: str | None
    period: str


def item(
    obligation: str, opens: str, due: str, owners: tuple[str, ...], *, state: str = "open"
) -> Item:
    activity, period = obligation.split(":")
    facts = ObligationFacts(
        f"p:{obligation}",
        dt.date.fromisoformat(opens),
        dt.date.fromisoformat(due),
        owners,
        state,
        dt.date.fromisoformat(opens) if state == "accepted" else None,
    )
    return Item(facts, classify(facts, AS_OF, get_calendar()), activity, None, period)


@pytest.fixture
def items() -> list[Item]:
    return [
        # 6.1 for May: due 6 June, 22 working days late on 10 July (12 and 13 June are days
        # off), owed by three ministries
        item("6.1:2025-05", "2025-05-01", "2025-06-06", ("minsoc", "minobr", "minzdrav")),
        # 3.2's institutions answer through the ministry: one row under it, not two
        item("3.2:2025-H1", "2025-01-09", "2025-06-30", ("minsoc", "social-institutions")),
        # due on the 10th working day from 10 July (24 July): in the next ten working days
        item("1.5:2025-07", "2025-07-01", "2025-07-24", ("minobr",)),
        # the 11th working day: not yet
        item("1.3:2025-07", "2025-07-01", "2025-07-25", ("minobr",)),
        # fulfilled: neither overdue nor ahead
        item("1.2:2025-06", "2025-06-01", "2025-06-30", ("minobr",), state="accepted"),
    ]


def test_overdue_is_grouped_by_the_answering_body_with_whom_to_call(
    program: Program, items: list[Item]
) -> None:
    ov = build_overview(program, items, as_of=AS_OF, calendar=get_calendar(), responsible=PEOPLE)
    assert ov.horizon == dt.date(2025, 7, 24)
    by_org = {s.org: s for s in ov.sections}
    assert [r.obligation for r in by_org["minsoc"].overdue] == ["6.1:2025-05", "3.2:2025-H1"]
    assert "social-institutions" not in by_org  # answered for by the ministry
    first = by_org["minsoc"].overdue[0]
    assert first.what.startswith("6.1. Проведение регулярного мониторинга численности")
    assert (first.period, first.due, first.overdue_days) == (
        "май 2025\u00a0г.",
        dt.date(2025, 6, 6),
        22,
    )
    assert [r.obligation for r in by_org["minobr"].ahead] == ["1.5:2025-07"]
    assert ov.overdue == 2  # each obligation once, though three bodies owe 6.1
    assert [s.org for s in ov.sections[:3]] == ["minsoc", "minobr", "minzdrav"]


def test_overview_markdown_reads_as_russian_tables(program: Program, items: list[Item]) -> None:
    ov = build_overview(program, items, as_of=AS_OF, calendar=get_calendar(), responsible=PEOPLE)
    text = overview_markdown(ov)
    assert text.startswith("# Состояние дорожной карты на 10.07.2025")
    assert "Просрочено 2 обязательства (у 3 исполнителей)" in text
    assert "в ближайшие 10 рабочих дней (по 24.07.2025) наступает срок: 1 обязательство" in text
    assert "### Минсоцполитики края: 2 обязательства" in text
    assert "Ответственный: Анна Петровна Иванова, тел. +7 (391) 000-00-01." in text
    assert "Ответственный: Марина Олеговна Соколова, телефон не указан." in text
    assert "| Срок | Просрочка, раб. дн. | Период | Мероприятие |" in text
    assert "| 06.06.2025 | 22 | май 2025\u00a0г. | 6.1. Проведение регулярного мониторинга" in text
    assert "| 30.06.2025 | 8 | I полугодие 2025 года | 3.2. " in text
    minzdrav = next(s for s in ov.sections if s.org == "minzdrav")
    one = section_markdown(ov, minzdrav)
    assert one.startswith("# Минздрав края: состояние на 10.07.2025")
    assert "Ответственный: контакт не указан." in one
    assert "## Просрочено: 1 обязательство" in one and "3.2" not in one


def test_a_body_with_nothing_overdue_still_has_its_current_section(program: Program) -> None:
    ov = build_overview(program, [], as_of=AS_OF, calendar=get_calendar(), responsible={})
    assert ov.overdue == 0 and all(not s.overdue for s in ov.sections)
    orgs = {s.org for s in ov.sections}
    assert {"minsoc", "minobr", "kmvk"} <= orgs and "rmc" not in orgs and "curator" not in orgs
    assert (
        "Просроченных обязательств нет; в ближайшие 10 рабочих дней (по 24.07.2025) сроков нет."
        in (overview_markdown(ov))
    )


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "1 обязательство"),
        (3, "3 обязательства"),
        (11, "11 обязательств"),
        (21, "21 обязательство"),
    ],
)
def test_obligations_are_counted_in_words(n: int, words: str) -> None:
    assert obligations_ru(n) == words
