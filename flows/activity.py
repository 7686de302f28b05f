"""The flow of one road-map activity: its ladder brought up to its scheduled moment."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from notifications.sweep import run_sweep
from roadmap.states import RUSSIAN as STATE_RU
from roadmap.status import STATUS_RU
from storage.db import session_scope
from storage.obligations import activity_obligations
from storage.status import status_as_of


def _run_name() -> str:
    params = flow_run.parameters
    number = params["activity"]
    a = runtime.program().activity_map.get(number)
    return f"{number} {a.short_name if a else ''} — {runtime.run_day(params.get('as_of')):%d.%m.%Y}"


@flow(name="Мероприятие дорожной карты", flow_run_name=_run_name)
def activity_flow(activity: str, as_of: str | None = None) -> dict[str, Any]:
    """Мероприятие дорожной карты: напоминания и эскалации по его обязательствам на дату запуска."""
    program, cal = runtime.program(), runtime.calendar()
    if activity not in program.activity_map:
        raise ValueError(f"мероприятия «{activity}» нет в программе")
    day, now = runtime.run_day(as_of), runtime.run_moment(as_of)
    with session_scope(runtime.engine()) as s:
        ids = [
            o.id for o in activity_obligations(session=s, program_id=program.id, activity=activity)
        ]
    report = run_sweep(
        engine=runtime.engine(), program=program, as_of=day, now=now, calendar=cal,
        transports=runtime.transports(), link_for=runtime.link_for(now), obligation_ids=ids,
        max_attempts=runtime.settings().max_delivery_attempts,
        quiet_hours=runtime.settings().quiet_hours,
    )  # fmt: skip
    with session_scope(runtime.engine()) as s:
        status = status_as_of(session=s, program_id=program.id, as_of=day, calendar=cal)
    mine = [i for i in status.items if i.facts.id in set(ids)]
    a = program.activity_map[activity]
    rows = [
        (i.period, f"{i.facts.due:%d.%m.%Y}", STATUS_RU[i.entry.status], STATE_RU.get(i.state, i.state),  # type: ignore[call-overload]  # noqa: E501
         i.entry.overdue_working_days or "")
        for i in mine
    ]  # fmt: skip
    steps = [f"{ob.split(':', 1)[1]}: {step}" for ob, step in report.plan.steps]
    publish.markdown(
        "activity-status", f"{a.number} {a.short_name} на {day:%d.%m.%Y}",
        f"{a.name}\n\n" + publish.md_table(["Период", "Срок", "Состояние", "Документы", "Просрочка, раб. дн."], rows)  # noqa: E501
        + "\n\n## Шаги лестницы в этом запуске\n\n" + ("\n".join(f"- {x}" for x in steps) or "нет")
        + f"\n\nЗаписано сообщений: {report.plan.recorded}.",
    )  # fmt: skip
    failed = report.delivery.failed if report.delivery else []
    if failed:
        raise RuntimeError(
            f"не доставлено сообщений: {len(failed)} (см. roadmap outbox --state failed)"
        )
    return {"activity": activity, "as_of": day.isoformat(), "steps": report.plan.steps,
            "recorded": report.plan.recorded}  # fmt: skip
