"""The monthly monitoring warns the coordinator and the curator when the headcount's forecast
has said «риск недостижения» two months running (or «высокий риск недостижения» as long),
and only then."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.engine import Engine

from roadmap.forecast.early_warning import Risk
from roadmap.program.model import ForecastRule, Program
from services import monitoring
from services.answers import Who, give_value
from services.runtime import Runtime
from services.settings import Settings
from storage.db import session_scope
from storage.outbox import outbox_items
from tests.db import at


def runtime(engine: Engine, program: Program, day: str) -> Runtime:
    """A runtime that takes any value without an explanation; the forecast's tolerance, 5 %,
    is then the program's own (it is otherwise the explanation margin)."""
    settings = Settings(explanation_margin=1.0, prefect_api_url=None)
    clock = at(day, 9)
    return Runtime(
        settings,
        clock=lambda: clock,
        program_override=program.model_copy(update={"forecast": ForecastRule(tolerance=0.05)}),
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
        (i.recipient_role, i.subject)
        for i in items
        if "риск недостижения" in (i.subject or "").lower()
    )


def test_a_risk_held_two_months_warns_once(with_contacts: Engine, program: Program) -> None:
    # the headcount stays where it started while the trajectory falls to 1 658
    flat = [2211, 2208, 2214, 2209, 2212, 2213, 2210, 2207, 2214, 2211, 2209]
    for i, total in enumerate(flat):
        give_month(with_contacts, program, f"2025-{i + 1:02d}", total)
    rt = runtime(with_contacts, program, "2025-12-01")
    november = monitoring.assess_month(rt, month="2025-11", now=at("2025-11-05"))
    assert november.complete and warnings(with_contacts) == []
    # eleven months are less than the year the program judges from
    assert monitoring.headcount_forecast(rt, dt.date(2025, 11, 30)).risk is Risk.INSUFFICIENT_DATA

    give_month(with_contacts, program, "2025-12", 2213)
    monitoring.assess_month(rt, month="2025-12", now=at("2025-12-02"))
    # a year flat against a fall to 1 658: the whole interval misses, once so far
    assert monitoring.headcount_forecast(rt, dt.date(2025, 12, 1)).risk is Risk.HIGH_RISK
    assert warnings(with_contacts) == [], "one month at risk is not yet a warning"

    give_month(with_contacts, program, "2026-01", 2212)
    monitoring.assess_month(rt, month="2026-01", now=at("2026-01-12"))
    sent = warnings(with_contacts)
    assert {role for role, _ in sent} == {"coordinator", "curator"}

    give_month(with_contacts, program, "2026-02", 2215)
    monitoring.assess_month(rt, month="2026-02", now=at("2026-02-02"))
    assert warnings(with_contacts) == sent, "a third month at risk says nothing new"


def test_the_warning_reads_as_a_letter(with_contacts: Engine, program: Program) -> None:
    months = [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01"]
    for i, month in enumerate(months):
        give_month(with_contacts, program, month, 2211 + (i % 3))
    rt = runtime(with_contacts, program, "2026-01-12")
    monitoring.assess_month(rt, month="2026-01", now=at("2026-01-12"))
    with session_scope(with_contacts) as s:
        item = next(i for i in outbox_items(session=s) if i.recipient_role == "curator")
    assert item.subject == "Высокий риск недостижения показателя 1.1"
    text = re.sub(r"[ \n]+", " ", item.body_text or "")
    assert "прогноз показателя 1.1" in text and "на конец программы — высокий риск" in text
    assert "Целевое значение на 31 декабря 2026 г.: 1 658" in text
    assert "хуже целевого на" in text and "при допустимом отклонении 5 %" in text
    # a projection is never certain: 1 % at the least, never 0
    assert "Оценка вероятности достижения: 1 %" in text
    # what the trend must be: from 2 211 on 1 January 2026 to 1 658 by 31 December 2026
    assert "должен снижаться в среднем на 46,2 в месяц от значения 2\u00a0211" in text
    assert "по прогнозу он" in text
    assert "На контрольную точку «I полугодие 2026 года»" in text


def test_a_turn_from_risk_to_high_risk_warns_again(with_contacts: Engine, program: Program) -> None:
    # 2025 on the plan's pace (24 fewer a month), then the headcount turns back up in 2026
    calm = [0, 40, -30, 25, -40, 30, -20, 40, -35, 15, -25, 0]
    for i, e in enumerate(calm):
        give_month(with_contacts, program, f"2025-{i + 1:02d}", 2211 - 24 * i + e)
    rt = runtime(with_contacts, program, "2026-06-02")

    def month(label: str, total: int) -> list[str]:
        give_month(with_contacts, program, label, total)
        monitoring.assess_month(rt, month=label, now=at(f"{label}-02"))
        return sorted({s for r, s in warnings(with_contacts) if r == "curator"})

    assert month("2026-01", 1980) == []  # projected 1 655 against 1 658: on track
    # 1 822, 9,9 % above, a probability of 0,27: at risk, the first month
    assert month("2026-02", 2000) == []
    risk = "Риск недостижения показателя 1.1"
    assert month("2026-03", 2010) == [risk]  # 1 867: at risk the second month running
    assert month("2026-04", 2060) == [risk], "a further month at risk says nothing new"
    # 2 045, and even the interval's better end, 1 787, more than 5 % above: once so far
    assert month("2026-05", 2100) == [risk]
    high = f"Высокий {risk[0].lower()}{risk[1:]}"
    assert month("2026-06", 2150) == sorted([risk, high])  # high risk held two months
