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
from flows.forms import Day, Text, run_date, titled
from flows.waiting import FormInput, wait_for_input
from roadmap.dates import periods
from roadmap.dates.periods import Period
from roadmap.obligations.keys import WaitKey, local_id
from roadmap.program.choices import BY_RUN_DATE, quarter_choices, read_choice
from roadmap.program.model import Program
from roadmap.program.preview import period_words
from services import commission, reports
from services.runtime import Runtime

NOT_CHOSEN = "не выбрано"


def agenda_form(program: Program) -> type[RunInput]:
    """The pause form: who proposes (a choice among the organisations asked), what, who fills."""
    c = commission.commission_of_program(program)
    names = (NOT_CHOSEN, *(program.orgs[o].short_name for o in c.asked))
    choice = Literal[names]  # type: ignore[valid-type]
    fields: dict[str, Any] = {
        # all optional, so that a plain resume (items given elsewhere) stays valid
        "org": (choice, Field(NOT_CHOSEN, title="Кто предлагает", description="Министерство")),
        "items": (
            Text,
            Field(
                None, title="Предложения", description="Предложения в повестку, по одному в строке"
            ),
        ),
        "filled_by": (
            Text,
            Field(None, title="Кто заполняет", description="Фамилия, имя, отчество"),
        ),
        "done": (
            bool,
            Field(False, title="Больше предложений не будет", description="Готовить материалы"),
        ),
    }
    return create_model(
        "AgendaInput",
        __base__=FormInput,
        __doc__="Предложение в повестку заседания комиссии.",
        **fields,
    )


class ProtocolSignal(FormInput):
    """Протокол загружается как документ по обязательству (командой или по ссылке)."""

    note: Text = Field(None, title="Комментарий", description="Необязательно")


def _meeting(label: str | None, as_of: dt.date | str | None) -> Period:
    chosen = read_choice(
        label, quarter_choices(runtime.rt(flow_run.parameters.get("program")).program)
    )
    if chosen:
        return chosen
    day = runtime.run_day(as_of)
    return periods.quarter_of(day)


def _run_name() -> str:
    p = flow_run.parameters
    c = runtime.rt(flow_run.parameters.get("program")).program.commission
    code = c.activity if c else ""
    meeting = _meeting(p.get("quarter"), p.get("as_of"))
    return runtime.run_name(f"{code} Заседание комиссии — {period_words(meeting)}")


@flow(name="Заседание межведомственной комиссии", flow_run_name=_run_name)
def commission_meeting(
    quarter: str = titled(BY_RUN_DATE, "Квартал", "За какой квартал заседание"),
    as_of: Day = run_date("Дата, от которой считается срок предложений в повестку"),
    program: str = titled("", "Программа", "Какая программа: задаётся развёртыванием"),
) -> dict[str, Any]:
    """Заседание комиссии: повестка, материалы к заседанию, протокол."""
    rt = runtime.rt(program)
    meeting = _meeting(quarter, as_of)
    words = period_words(meeting)
    day = runtime.run_day(as_of)
    commission.request_agenda(rt, meeting=meeting, now=runtime.run_moment(as_of), day=day)
    timeout = dt.timedelta(minutes=rt.settings.input_timeout_minutes)
    asked = ", ".join(rt.program.orgs[o].short_name for o in commission.commission_of(rt).asked)
    publish.log([f"Запрошены предложения в повестку заседания за {words}: {asked}."])
    _collect_agenda(rt, meeting, timeout)
    proposals = commission.agenda_count(rt, meeting)
    title = f"Заседание за {words}"
    path = reports.briefing_pack(rt, as_of=day, meeting=meeting, title=title)
    links = publish.report_links("commission-briefing", [path])
    protocol = _await_protocol(rt, meeting, timeout)
    state = (
        "Протокол получен."
        if protocol
        else "Протокол ещё не загружен: напомнит лестница обязательства."
    )
    publish.markdown(
        "commission-meeting",
        f"Заседание комиссии за {words}",
        f"Предложений в повестку: {proposals}. {state}\n\n## Материалы к заседанию\n\n{links}",
    )
    publish.log([f"Предложений в повестку: {proposals}. {state}"])
    return {
        "quarter": meeting.label,
        "agenda_items": proposals,
        "briefing": str(path),
        "protocol": protocol,
    }


def _collect_agenda(rt: Runtime, meeting: Period, timeout: dt.timedelta) -> None:
    """Record the agenda items given in the form, which reopens until «done» or timeout."""
    words = period_words(meeting)
    form_type = agenda_form(rt.program)
    by_name = {o.short_name: o.id for o in rt.program.organizations}
    note = ""
    for i in range(20):  # each ministry may answer; the form reopens until «done» or timeout
        form: Any = wait_for_input(
            form_type,
            keys=[WaitKey.agenda(meeting.label)],
            timeout=timeout,
            pause_key=f"agenda-{i}",
            description=f"Предложения в повестку заседания ({words}).{note}",
        )
        if form is None:
            break
        note = ""
        filled_by = (form.filled_by or "").strip()
        if form.items and (form.org == NOT_CHOSEN or not filled_by):
            note = "\n\n**Укажите министерство и того, кто заполняет: предложения не записаны.**"
            continue
        if form.items:
            count = commission.record_agenda(
                rt,
                meeting=meeting,
                org=by_name[form.org],
                lines=form.items.splitlines(),
                given_by=filled_by,
            )
            publish.log([f"Внесено предложений в повестку ({form.org}, {filled_by}): {count}."])
        if form.done:
            break


def _await_protocol(rt: Runtime, meeting: Period, timeout: dt.timedelta) -> bool:
    """Whether the meeting's protocol has come, waiting for it up to ``timeout``."""
    obligation = commission.protocol_obligation(rt, meeting)
    if commission.protocol_received(rt, meeting):
        return True
    publish.log([f"Ждём протокол заседания: документ по обязательству {obligation}."])
    wait_for_input(
        ProtocolSignal,
        keys=[WaitKey.evidence(obligation)],
        timeout=timeout,
        pause_key="protocol",
        description="Ждём протокол заседания: загрузите его как документ по "
        f"обязательству {local_id(obligation)}.",
    )
    return commission.protocol_received(rt, meeting)
