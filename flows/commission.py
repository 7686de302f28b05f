"""The commission's quarterly meeting (``commission`` in program.yaml).

Ahead of the meeting the flow asks the organisations the program names for agenda items
(a message to each, and a form in the UI that stays open until the input timeout), builds
the briefing pack and links it to the run, then waits for the meeting's protocol: the
evidence of the quarter's obligation, uploaded through the command line or the intake
page. If it does not come within the wait, the obligation's ladder chases it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from prefect import flow
from prefect.input import RunInput
from prefect.runtime import flow_run
from pydantic import Field, create_model

from flows import publish, runtime
from flows.waiting import wait_for_input
from roadmap.periods import Period, parse_period, quarter
from roadmap.program import Program
from roadmap.wording import period_ru
from services import commission, reports
from storage.waits import agenda_key, evidence_key


def agenda_form(program: Program) -> type[RunInput]:
    """The pause form: who proposes (a choice among the organisations asked), what, who fills."""
    c = commission.commission_of_program(program)
    choice = Literal[tuple(program.orgs[o].short_name for o in c.asked)]  # type: ignore[valid-type]
    fields: dict[str, Any] = {
        # all optional, so that a plain resume (items given elsewhere) stays valid
        "org": (choice | None, Field(None, title="Кто предлагает", description="Министерство")),
        "items": (
            str | None,
            Field(
                None, title="Предложения", description="Предложения в повестку, по одному в строке"
            ),
        ),
        "filled_by": (
            str | None,
            Field(None, title="Кто заполняет", description="Фамилия, имя, отчество"),
        ),
        "done": (
            bool,
            Field(False, title="Больше предложений не будет", description="Готовить материалы"),
        ),
    }
    return create_model(
        "AgendaInput",
        __base__=RunInput,
        __doc__="Предложение в повестку заседания комиссии.",
        **fields,
    )


class ProtocolSignal(RunInput):
    """Протокол загружается как документ по обязательству (командой или по ссылке)."""

    note: str | None = Field(None, description="Комментарий (необязательно)")


def _meeting(label: str | None, as_of: str | None) -> Period:
    if label:
        return parse_period(label)
    day = runtime.run_day(as_of)
    return quarter(day.year, (day.month - 1) // 3 + 1)


def _run_name() -> str:
    p = flow_run.parameters
    c = runtime.rt().program.commission
    code = c.activity if c else ""
    return f"{code} Заседание комиссии — {_meeting(p.get('quarter'), p.get('as_of')).label}"


@flow(name="Заседание межведомственной комиссии", flow_run_name=_run_name)
def commission_meeting(
    quarter: str | None = None, as_of: str | None = None, program: str | None = None
) -> dict[str, Any]:
    """Заседание комиссии: повестка, материалы к заседанию, протокол."""
    rt = runtime.rt(program)
    meeting = _meeting(quarter, as_of)
    day = runtime.run_day(as_of)
    commission.request_agenda(rt, meeting=meeting, now=runtime.run_moment(as_of), day=day)
    timeout = dt.timedelta(minutes=rt.settings.input_timeout_minutes)
    form_type = agenda_form(rt.program)
    by_name = {o.short_name: o.id for o in rt.program.organizations}
    note = ""
    for i in range(20):  # each ministry may answer; the form reopens until «done» or timeout
        form: Any = wait_for_input(
            form_type,
            keys=[agenda_key(meeting.label)],
            timeout=timeout,
            pause_key=f"agenda-{i}",
            description=f"Предложения в повестку заседания ({period_ru(meeting)}).{note}",
        )
        if form is None:
            break
        note = ""
        filled_by = (form.filled_by or "").strip()
        if form.items and (form.org is None or not filled_by):
            note = "\n\n**Укажите министерство и того, кто заполняет: предложения не записаны.**"
            continue
        if form.items:
            commission.record_agenda(
                rt,
                meeting=meeting,
                org=by_name[form.org],
                lines=form.items.splitlines(),
                given_by=filled_by,
            )
        if form.done:
            break
    proposals = commission.agenda_count(rt, meeting)
    title = f"Заседание за {period_ru(meeting)}"
    path = reports.briefing_pack(rt, as_of=day, meeting=meeting, title=title)
    publish.report_links("briefing", [path])
    obligation = commission.protocol_obligation(rt, meeting)
    protocol = commission.protocol_received(rt, meeting)
    if not protocol:
        wait_for_input(
            ProtocolSignal,
            keys=[evidence_key(obligation)],
            timeout=timeout,
            pause_key="protocol",
            description="Ждём протокол заседания: загрузите его как документ по "
            f"обязательству {obligation.split(':', 1)[1]}.",
        )
        protocol = commission.protocol_received(rt, meeting)
    state = (
        "Протокол получен."
        if protocol
        else "Протокол ещё не загружен: напомнит лестница обязательства."
    )
    publish.markdown(
        "meeting",
        f"Заседание комиссии за {period_ru(meeting)}",
        f"Предложений в повестку: {proposals}. Материалы: {path.name}. {state}",
    )
    return {
        "quarter": meeting.label,
        "agenda_items": proposals,
        "briefing": str(path),
        "protocol": protocol,
    }
