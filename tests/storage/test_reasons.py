"""Shortfall reasons: recorded with who and when and an audit row, the newest per executor
counting, and read back into the report's lines (both backends)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from roadmap.dates.periods import parse_period
from roadmap.dates.workdays import get_calendar
from roadmap.program.model import Program
from roadmap.reports.actuals import InvalidValue
from roadmap.reports.reasons import activity_shortfalls, indicator_shortfalls
from roadmap.reports.report import build_report
from storage.audit import history
from storage.db import session_scope
from storage.errors import NotFound
from storage.reasons import record_shortfall_reason, shortfall_reasons
from storage.reporting import report_facts
from tests.db import at

OB = "krasnoyarsk-2025-2026:1.5:2025-H1"


def give(session: Session, program: Program, day: str, reasons: str, **kw: str) -> None:
    record_shortfall_reason(
        session=session,
        program=program,
        reasons=reasons,
        given_by="Козлова Т. Ю. (minobr)",
        channel="intake",
        at=at(day),
        **kw,
    )


def test_the_newest_reasons_of_each_executor_count_and_each_leaves_an_audit_row(
    session: Session, program: Program
) -> None:
    give(session, program, "2025-07-02", "письмо не подписано", obligation_id=OB, org="minobr")
    give(
        session,
        program,
        "2025-07-03",
        "суды отложили решения",
        obligation_id="1.5:2025-H1",  # the short id, as the command line gives it
        org="minobr",
        measures="направлены запросы в суды",
    )
    give(session, program, "2025-07-04", "нет данных судов", indicator="1.5", period="2025-H1")
    (first, second) = shortfall_reasons(session=session, program_id=program.id)
    assert (first.obligation_id, first.org, first.reasons, first.measures) == (
        OB,
        "minobr",
        "суды отложили решения",
        "направлены запросы в суды",
    )
    assert first.given_on == dt.date(2025, 7, 3) and first.given_by.startswith("Козлова")
    assert (second.indicator, second.period, second.obligation_id) == ("1.5", "2025-H1", None)
    audit = [
        a
        for a in history(session=session, entity="obligation", entity_id=OB)
        if a.action == "shortfall_reason"
    ]
    assert [a.actor for a in audit] == ["Козлова Т. Ю. (minobr)"] * 2
    assert audit[-1].new == "суды отложили решения Меры: направлены запросы в суды"
    assert history(session=session, entity="indicator", entity_id="1.5:2025-H1")


@pytest.mark.parametrize(
    ("kw", "error"),
    [
        ({}, ValueError),
        ({"obligation_id": OB, "indicator": "1.5", "period": "2025-H1"}, ValueError),
        ({"obligation_id": "9.99:2025-H1"}, NotFound),
        ({"indicator": "9.99", "period": "2025-H1"}, InvalidValue),
        ({"indicator": "1.5", "period": "2031-H1"}, InvalidValue),
        ({"obligation_id": OB, "org": "nobody"}, InvalidValue),
    ],
)
def test_a_reason_without_a_subject_of_the_program_is_refused(
    session: Session, program: Program, kw: dict[str, str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        give(session, program, "2025-07-02", "причина", **kw)


def test_the_report_carries_the_reasons_or_says_none_came(synced: Engine, program: Program) -> None:
    with session_scope(synced) as s:
        give(
            s,
            program,
            "2025-07-03",
            "суды отложили решения",
            obligation_id=OB,
            org="minobr",
            measures="направлены запросы в суды",
        )
    with session_scope(synced) as s:
        facts = report_facts(session=s, program_id=program.id)
    report = build_report(
        program,
        facts,
        as_of=dt.date(2025, 8, 15),
        period=parse_period("2025-H1"),
        calendar=get_calendar(),
    )
    found = {s.number: s for s in activity_shortfalls(report.activities, report.org_names)}
    assert found["1.5"].reasons == "суды отложили решения"
    assert (
        found["1.5"]
        .text()
        .endswith(
            "не выполнено: причины — суды отложили решения; принятые меры — направлены запросы в суды."
        )
    )
    others = [s for n, s in found.items() if n != "1.5"]
    assert others and all(s.text().endswith(": причины не представлены.") for s in others)
    assert indicator_shortfalls(report.indicators) == []  # no values given: nothing off plan
    earlier = build_report(
        program,
        facts,
        as_of=dt.date(2025, 7, 2),  # before the reasons came
        period=parse_period("2025-H1"),
        calendar=get_calendar(),
    )
    found = {s.number: s for s in activity_shortfalls(earlier.activities, earlier.org_names)}
    assert found["1.5"].reasons is None
