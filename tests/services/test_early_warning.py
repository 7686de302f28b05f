"""The monthly monitoring warns the coordinator and the curator the first month the
headcount's forecast turns to «риск недостижения», and only then."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from roadmap.forecast import Risk
from roadmap.program import Program
from roadmap.settings import Settings
from services import monitoring
from services.answers import Who, give_value
from services.runtime import Runtime
from storage.db import session_scope
from storage.outbox import outbox_items
from tests.db import at


def runtime(engine: Engine, program: Program, day: str) -> Runtime:
    settings = Settings(explanation_margin=1.0, prefect_api_url=None)
    clock = at(day, 9)
    return Runtime(
        settings,
        clock=lambda: clock,
        program_override=program,
        engine_override=engine,
        offline=True,
    )


def give_month(engine: Engine, program: Program, month: str, total: int) -> None:
    """Each ministry's part of a month's headcount, given on the 1st."""
    m = program.monitoring
    assert m is not None
    rt = runtime(engine, program, f"{month}-01")
    for part in m.parts:
        share = part.simulated_share or 1 / len(m.parts)
        who = Who("аналитик", "cli", part.org)
        give_value(rt, indicator=m.indicator, period=month, value=round(total * share), who=who)


def warnings(engine: Engine) -> list[tuple[str, str]]:
    with session_scope(engine) as s:
        items = outbox_items(session=s)
    return sorted(
        (i.recipient_role, i.subject) for i in items if "Риск недостижения" in (i.subject or "")
    )


def test_the_first_month_at_risk_warns_once(with_contacts: Engine, program: Program) -> None:
    # the headcount stays where it started while the trajectory falls to 1 658
    for month, total in (("2025-01", 2211), ("2025-02", 2208), ("2025-03", 2214)):
        give_month(with_contacts, program, month, total)
    for month, total in (("2025-04", 2209), ("2025-05", 2212)):
        give_month(with_contacts, program, month, total)
    rt = runtime(with_contacts, program, "2025-06-01")
    may = monitoring.assess_month(rt, month="2025-05", now=at("2025-05-05"))
    assert may.complete and warnings(with_contacts) == []
    assert monitoring.headcount_forecast(rt, dt.date(2025, 5, 31)).risk is Risk.INSUFFICIENT_DATA

    give_month(with_contacts, program, "2025-06", 2213)
    june = monitoring.assess_month(rt, month="2025-06", now=at("2025-06-02"))
    assert june.complete
    assert monitoring.headcount_forecast(rt, dt.date(2025, 6, 1)).risk is Risk.AT_RISK
    sent = warnings(with_contacts)
    assert {role for role, _ in sent} == {"coordinator", "curator"}

    give_month(with_contacts, program, "2025-07", 2215)
    monitoring.assess_month(rt, month="2025-07", now=at("2025-07-01"))
    assert warnings(with_contacts) == sent, "a second month at risk says nothing new"


def test_the_warning_reads_as_a_letter(with_contacts: Engine, program: Program) -> None:
    for i, month in enumerate(("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06")):
        give_month(with_contacts, program, month, 2211 + (i % 3))
    rt = runtime(with_contacts, program, "2025-06-02")
    monitoring.assess_month(rt, month="2025-06", now=at("2025-06-02"))
    with session_scope(with_contacts) as s:
        item = next(i for i in outbox_items(session=s) if i.recipient_role == "curator")
    assert item.subject == "Риск недостижения показателя 1.1"
    text = item.body_text or ""
    assert "прогноз показателя 1.1" in text and "риск недостижения" in text
    assert "Целевое значение: 1\u00a0658" in text
    assert "Оценка вероятности достижения: 0,0\u00a0%" in text
