"""The quarterly meeting of the regional interdepartmental commission (activity 2.1).

Ahead of the meeting the flow asks the ministries for agenda items (a message to each
executor, and a form in the UI that stays open until the input timeout), builds the
briefing pack (road-map status, overdue items at escalation level 3, indicator deviations,
the agenda items) and links it to the run, then waits for the meeting's protocol: the
evidence of the quarter's 2.1 obligation, uploaded through the command line or the
intake page. If it does not come within the wait, the obligation's ladder chases it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow
from prefect.input import RunInput
from prefect.runtime import flow_run
from pydantic import Field

from flows import publish, runtime
from flows.waiting import wait_for_input
from notifications.alerts import record_alert
from notifications.documents.briefing import write_briefing
from roadmap.periods import parse_period, quarter
from roadmap.report import build_report
from roadmap.states import FULFILLED
from roadmap.wording import date_ru, period_ru
from storage.db import session_scope
from storage.obligations import resolve_obligation
from storage.reporting import report_facts
from storage.waits import agenda_items, agenda_key, evidence_key, record_agenda_item

ASKED = ("minsoc", "minobr", "minzdrav")


class AgendaInput(RunInput):
    """Предложение в повестку заседания комиссии."""

    org: str | None = Field(None, description="Кто предлагает: minsoc, minobr или minzdrav")
    items: str | None = Field(None, description="Предложения в повестку, по одному в строке")
    done: bool = Field(False, description="Больше предложений не будет: готовить материалы")


class ProtocolSignal(RunInput):
    """Протокол загружается как документ по обязательству 2.1 (командой или по ссылке)."""

    note: str | None = Field(None, description="Комментарий (необязательно)")


def _quarter(label: str | None, as_of: str | None) -> str:
    if label:
        return parse_period(label).label
    day = runtime.run_day(as_of)
    return quarter(day.year, (day.month - 1) // 3 + 1).label


def _run_name() -> str:
    return f"2.1 Заседание комиссии — {_quarter(flow_run.parameters.get('quarter'), flow_run.parameters.get('as_of'))}"  # noqa: E501


@flow(name="2.1 Заседание краевой межведомственной комиссии", flow_run_name=_run_name)
def commission_meeting(quarter: str | None = None, as_of: str | None = None) -> dict[str, Any]:
    """Заседание комиссии: повестка, материалы к заседанию, протокол."""
    program, cal = runtime.program(), runtime.calendar()
    label = _quarter(quarter, as_of)
    period = parse_period(label)
    now, day = runtime.run_moment(as_of), runtime.run_day(as_of)
    deadline = cal.add_working_days(day, 10)
    with session_scope(runtime.engine()) as s:
        record_alert(
            session=s, program=program, key=f"agenda-request:{label}", roles=("executor",),
            orgs=ASKED, now=now, calendar=cal,
            title=f"Предложения в повестку заседания комиссии ({period_ru(period)})",
            lines=[f"Просим до {date_ru(deadline)} направить предложения в повестку заседания "
                   "краевой межведомственной комиссии по реализации дорожной карты.",
                   "Ответ можно дать в форме запуска в Prefect или командой roadmap agenda add."],
        )  # fmt: skip
    timeout = dt.timedelta(minutes=runtime.settings().input_timeout_minutes)
    for i in range(20):  # each ministry may answer; the form reopens until «done» or timeout
        form = wait_for_input(AgendaInput, keys=[agenda_key(label)], timeout=timeout,
                              pause_key=f"agenda-{i}",
                              description=f"Предложения в повестку заседания ({period_ru(period)}).")  # fmt: skip  # noqa: E501
        if form is None:
            break
        if form.items and form.org in program.orgs:
            with session_scope(runtime.engine()) as s:
                for line in form.items.splitlines():
                    if line.strip():
                        record_agenda_item(session=s, program_id=program.id, period=label,
                                           org=form.org, text=line, given_by="форма Prefect",
                                           channel="prefect-ui", at=dt.datetime.now(dt.UTC))  # fmt: skip  # noqa: E501
        if form.done:
            break
    with session_scope(runtime.engine()) as s:
        facts = report_facts(session=s, program_id=program.id)
        agenda = [(program.orgs[a.org_id].short_name if a.org_id in program.orgs else a.org_id, a.text)  # noqa: E501
                  for a in agenda_items(session=s, program_id=program.id, period=label)]  # fmt: skip  # noqa: E501
    report = build_report(program, facts, as_of=day, period=program.span_period, calendar=cal,
                          margin=runtime.settings().explanation_margin)  # fmt: skip
    path = write_briefing(report, program, meeting=f"Заседание за {period_ru(period)}", agenda=agenda,  # noqa: E501
                          path=runtime.settings().resolved_reports_dir / f"briefing-{label}-{day.isoformat()}.docx")  # noqa: E501  # fmt: skip
    publish.report_links("briefing", [path])
    obligation = f"{program.id}:2.1:{label}"
    protocol = _protocol_in(obligation)
    if not protocol:
        wait_for_input(ProtocolSignal, keys=[evidence_key(obligation)], timeout=timeout,
                       pause_key="protocol",
                       description="Ждём протокол заседания: загрузите его как документ по "
                                   f"обязательству 2.1:{label}.")  # fmt: skip
        protocol = _protocol_in(obligation)
    publish.markdown("meeting", f"Заседание комиссии за {period_ru(period)}",
                     f"Предложений в повестку: {len(agenda)}. Материалы: {path.name}. "
                     + ("Протокол получен." if protocol else "Протокол ещё не загружен: напомнит лестница обязательства 2.1."))  # noqa: E501  # fmt: skip
    return {
        "quarter": label,
        "agenda_items": len(agenda),
        "briefing": str(path),
        "protocol": protocol,
    }


def _protocol_in(obligation_id: str) -> bool:
    with session_scope(runtime.engine()) as s:
        return resolve_obligation(session=s, obligation_id=obligation_id).state in FULFILLED
