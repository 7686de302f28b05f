"""The flow of one road-map activity: its ladder brought up to its scheduled moment."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from roadmap.states import state_ru
from roadmap.status import STATUS_RU
from services.status import activity_day

HEADER = ["Период", "Срок", "Состояние", "Документы", "Просрочка, раб. дн."]


def _run_name() -> str:
    params = flow_run.parameters
    number = params["activity"]
    a = runtime.rt().program.activity_map.get(number)
    name = a.short_name if a else ""
    return f"{number} {name} — {runtime.run_day(params.get('as_of')):%d.%m.%Y}"


@flow(name="Мероприятие дорожной карты", flow_run_name=_run_name)
def activity_flow(
    activity: str, as_of: str | None = None, program: str | None = None
) -> dict[str, Any]:
    """Мероприятие дорожной карты: напоминания и эскалации по его обязательствам на дату запуска."""
    rt = runtime.rt(program)
    day = runtime.run_day(as_of)
    result = activity_day(rt, activity=activity, as_of=day, now=runtime.run_moment(as_of))
    a = rt.program.activity_map[activity]
    rows = [
        (
            i.period,
            f"{i.facts.due:%d.%m.%Y}",
            STATUS_RU[i.entry.status],
            state_ru(i.state),
            i.entry.overdue_working_days or "",
        )
        for i in result.items
    ]
    plan = result.sweep.plan
    steps = "\n".join(f"- {ob.split(':', 1)[1]}: {step}" for ob, step in plan.steps) or "нет"
    publish.markdown(
        "activity-status",
        f"{a.number} {a.short_name} на {day:%d.%m.%Y}",
        f"{a.name}\n\n{publish.md_table(HEADER, rows)}\n\n"
        f"## Шаги лестницы в этом запуске\n\n{steps}\n\nЗаписано сообщений: {plan.recorded}.",
    )
    publish.raise_on_failed(result.sweep)
    return {
        "activity": activity,
        "as_of": day.isoformat(),
        "steps": plan.steps,
        "recorded": plan.recorded,
    }
