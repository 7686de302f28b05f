"""The flow of one road-map activity: its ladder brought up to its scheduled moment."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import journal, publish, runtime
from flows.forms import Day, run_date, titled
from roadmap.dates.periods import parse_period
from roadmap.obligations.states import state_ru
from roadmap.program.preview import period_words
from services.status import activity_day

HEADER = ["Период", "Срок", "Состояние", "Документы", "Просрочка, раб. дн."]


def _run_name() -> str:
    params = flow_run.parameters
    number = params["activity"]
    a = runtime.rt(flow_run.parameters.get("program")).program.activity_map.get(number)
    name = a.short_name if a else ""
    day = runtime.run_day(params.get("as_of"))
    return runtime.run_name(f"{number} {name} — {day:%d.%m.%Y}")


@flow(name="Мероприятие дорожной карты", flow_run_name=_run_name)
def activity_flow(
    activity: str = titled(..., "Мероприятие", "Номер мероприятия дорожной карты"),
    as_of: Day = run_date("На какой день напомнить по обязательствам мероприятия"),
    program: str = titled("", "Программа", "Какая программа: задаётся развёртыванием"),
) -> dict[str, Any]:
    """Мероприятие дорожной карты: напоминания и уведомления по его обязательствам на дату."""
    rt = runtime.rt(program)
    day = runtime.run_day(as_of)
    result = activity_day(rt, activity=activity, as_of=day, now=runtime.run_moment(as_of))
    a = rt.program.activity_map[activity]
    rows = [
        (
            period_words(parse_period(i.period)),
            f"{i.facts.due:%d.%m.%Y}",
            i.word,
            state_ru(i.state),
            i.entry.overdue_working_days or "",
        )
        for i in result.items
    ]
    plan = result.sweep.plan
    owners = {i.facts.id: i.facts.owners for i in result.items}
    steps = journal.ladder_lines(rt.program, plan, owners)
    done = "\n".join(f"- {line}" for line in steps) or "Сегодня напоминать не о чем."
    publish.markdown(
        f"activity-{publish.key_part(a.number)}-status",
        f"{a.number} {a.short_name} на {day:%d.%m.%Y}",
        f"{a.name}\n\n{publish.md_table(HEADER, rows)}\n\n"
        f"## Напоминания и уведомления в этом запуске\n\n{done}\n\n"
        f"Записано сообщений: {plan.recorded}.",
    )
    overdue = [i for i in result.items if i.entry.status == "overdue"]
    publish.log(
        [
            f"{a.number} {a.short_name} на {day:%d.%m.%Y}: обязательств {len(result.items)}, "
            f"просрочено {len(overdue)}.",
            *(
                f"Просрочено: {period_words(parse_period(i.period))}, срок "
                f"{i.facts.due:%d.%m.%Y}, {i.entry.overdue_working_days} раб. дн."
                for i in overdue
            ),
            *steps,
            f"Записано сообщений: {plan.recorded}.",
            *filter(None, [journal.unreached_line(plan.unaddressed, owners, rt.program)]),
        ]
    )
    publish.raise_on_failed(result.sweep)
    return {
        "activity": activity,
        "as_of": day.isoformat(),
        "steps": plan.steps,
        "recorded": plan.recorded,
    }
