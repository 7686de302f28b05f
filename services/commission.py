"""The commission's quarterly meeting (``commission`` in program.yaml), as use cases.

Ahead of the meeting the organisations the program names are asked for agenda items; what
they propose is recorded whatever the channel; the briefing pack is written from the
road map's status; the meeting's protocol is the evidence of the quarter's obligation of
the commission's activity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from notifications.alerts import record_alert
from roadmap.dates.periods import Period
from roadmap.obligations.keys import WaitKey
from roadmap.obligations.states import FULFILLED
from roadmap.program.model import Commission, Program
from roadmap.words.wording import date_ru, period_ru
from services.runtime import Runtime
from services.wakeups import wake_waiting
from storage.db import session_scope
from storage.obligations import resolve_obligation
from storage.waits import agenda_items, record_agenda_item

FORM_CHANNEL = "prefect-ui"


def commission_of_program(program: Program) -> Commission:
    """The program's commission, or ValueError when the program has none."""
    if program.commission is None:
        raise ValueError("в данных программы нет заседаний комиссии (commission)")
    return program.commission


def commission_of(rt: Runtime) -> Commission:
    return commission_of_program(rt.program)


def agenda_count(rt: Runtime, meeting: Period) -> int:
    """How many proposals the meeting has, whatever channel brought them."""
    with session_scope(rt.engine) as s:
        return len(agenda_items(session=s, program_id=rt.program.id, period=meeting.label))


def request_agenda(rt: Runtime, *, meeting: Period, now: dt.datetime, day: dt.date) -> dt.date:
    """Ask the organisations for agenda items, once per quarter; returns the answer's deadline."""
    c = commission_of(rt)
    deadline = rt.calendar.add_working_days(day, 10)
    with session_scope(rt.engine) as s:
        record_alert(
            session=s,
            program=rt.program,
            key=f"agenda-request:{meeting.label}",
            roles=("executor",),
            orgs=c.asked,
            now=now,
            calendar=rt.calendar,
            title=f"Предложения в повестку заседания комиссии ({period_ru(meeting)})",
            lines=agenda_request_lines(c, deadline),
        )
    return deadline


def agenda_request_lines(c: Commission, deadline: dt.date) -> list[str]:
    """What the request for agenda items asks, and how a ministry answers: by replying to
    the letter or writing to the coordinator, who records the proposals (never a tool's name)."""
    return [
        f"Просим до {date_ru(deadline)} направить предложения в повестку заседания {c.name}: "
        "каждый вопрос отдельным пунктом, с указанием докладчика.",
        "Предложения можно направить ответом на это письмо или координатору программы "
        "(контакты указаны ниже); они будут включены в проект повестки заседания.",
    ]


def record_agenda(
    rt: Runtime,
    *,
    meeting: Period,
    org: str,
    lines: Iterable[str],
    given_by: str,
    channel: str = FORM_CHANNEL,
) -> int:
    """Record an organisation's proposals, one per non-empty line; returns how many."""
    if org not in rt.program.orgs:
        raise ValueError(f"неизвестная организация «{org}»")
    count = 0
    with session_scope(rt.engine) as s:
        for line in lines:
            if line.strip():
                record_agenda_item(
                    session=s,
                    program_id=rt.program.id,
                    period=meeting.label,
                    org=org,
                    text=line,
                    given_by=given_by,
                    channel=channel,
                    at=rt.now(),
                )
                count += 1
    return count


def propose_agenda(
    rt: Runtime, *, meeting: Period, org: str, lines: Iterable[str], given_by: str, channel: str
) -> int:
    """Record proposals given outside the meeting's form, and wake the run waiting for them."""
    count = record_agenda(
        rt, meeting=meeting, org=org, lines=lines, given_by=given_by, channel=channel
    )
    wake_waiting(
        engine=rt.engine,
        keys=[WaitKey.agenda(meeting.label)],
        api_url=rt.prefect_api_url,
        at=rt.now(),
        auth=rt.prefect_auth,
    )
    return count


def protocol_obligation(rt: Runtime, meeting: Period) -> str:
    """The obligation whose evidence is the meeting's protocol."""
    return f"{rt.program.id}:{commission_of(rt).activity}:{meeting.label}"


def protocol_received(rt: Runtime, meeting: Period) -> bool:
    with session_scope(rt.engine) as s:
        row = resolve_obligation(session=s, obligation_id=protocol_obligation(rt, meeting))
        return row.state in FULFILLED
