"""The monthly monitoring of the program's headcount indicator (``monitoring`` in program.yaml).

Each month the flow collects, as of the 1st, each organisation's part of the indicator;
values already given through the command line or the intake page count, the rest are
asked for in a form in the UI whose fields come from the program data. The total is
compared with the indicator's trajectory (``services.monitoring``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow
from prefect.input import RunInput
from prefect.runtime import flow_run
from pydantic import Field, create_model

from flows import publish, runtime
from flows.forms import Count, Day, Text, run_date, titled
from flows.waiting import FormInput, wait_for_input
from roadmap.dates.periods import parse_period
from roadmap.obligations.keys import WaitKey
from roadmap.program.choices import BY_RUN_DATE, month_choices, read_choice
from roadmap.program.model import Monitoring
from roadmap.program.preview import period_words
from roadmap.words.wording import date_ru, sentence
from services import monitoring
from services.runtime import Runtime


def field_name(org: str) -> str:
    """The form field of an organisation's part (org ids may hold «-»)."""
    return "part_" + org.replace("-", "_")


def headcount_form(m: Monitoring) -> type[RunInput]:
    """The pause form: one number per part, labelled from the program data, and who fills it."""
    fields: dict[str, Any] = {
        field_name(p.org): (
            Count,
            Field(None, ge=0, title=p.label, description=f"{p.label}: {p.institutions}"),
        )
        for p in m.parts
    }
    fields["explanation"] = (
        Text,
        Field(None, title="Пояснение", description="Если численность отклоняется от траектории"),
    )
    # optional in the schema, so that a plain resume (values given elsewhere) stays valid;
    # values without a name are not recorded (see ``headcount_monitoring``)
    fields["filled_by"] = (
        Text,
        Field(
            None,
            title="Кто заполняет",
            description="Фамилия, имя, отчество: обязательно, если вносите значения",
        ),
    )
    return create_model(
        "HeadcountInput",
        __base__=FormInput,
        __doc__=f"{m.title} на 1-е число месяца.",
        **fields,
    )


def _month(month: str | None, as_of: dt.date | str | None) -> str:
    chosen = read_choice(
        month, month_choices(runtime.rt(flow_run.parameters.get("program")).program)
    )
    return chosen.label if chosen else runtime.run_day(as_of).strftime("%Y-%m")


def _run_name() -> str:
    p = flow_run.parameters
    activity = runtime.rt(flow_run.parameters.get("program")).program.monitoring
    code = activity.activity if activity else ""
    words = period_words(parse_period(_month(p.get("month"), p.get("as_of"))))
    return runtime.run_name(f"{code} Мониторинг численности — {words}")


@flow(name="Ежемесячный мониторинг численности детей", flow_run_name=_run_name)
def headcount_monitoring(
    month: str = titled(BY_RUN_DATE, "Месяц", "Численность на 1-е число какого месяца собрать"),
    as_of: Day = run_date("На какую дату проверить, что уже представлено"),
    program: str = titled("", "Программа", "Какая программа: задаётся развёртыванием"),
) -> dict[str, Any]:
    """Ежемесячный мониторинг: численность детей в учреждениях на 1-е число и траектория."""
    rt = runtime.rt(program)
    m = monitoring.monitoring_of(rt)
    month = _month(month, as_of)
    first = parse_period(month).start
    log = [sentence(f"{m.title} на {date_ru(first)}")]
    log += _collect_parts(rt, m, month)
    result = monitoring.assess_month(rt, month=month, now=runtime.run_moment(as_of))
    rows = [
        {"Министерство": r.label, "Учреждения": r.institutions, "Детей": r.value}
        for r in result.rows
    ]
    publish.table("monitoring-headcount", f"Численность на {date_ru(first)} по министерствам", rows)
    title = f"Мониторинг за {period_words(parse_period(month))}"
    publish.log([*filter(None, log), result.verdict])
    if not result.complete:
        publish.markdown("monitoring-verdict", f"{title}: данные неполные", result.verdict)
        return {"month": month, "complete": False, "missing": result.missing}
    publish.markdown("monitoring-verdict", title, result.verdict)
    return {
        "month": month,
        "complete": True,
        "total": result.total,
        "trajectory": result.trajectory,
        "off": result.off,
    }


def _collect_parts(rt: Runtime, m: Monitoring, month: str) -> list[str]:
    """Record the parts given in the form while some are missing; the lines for the log."""
    first = parse_period(month).start
    form_type = headcount_form(m)
    labels = {p.org: p.label for p in m.parts}
    timeout = dt.timedelta(minutes=rt.settings.input_timeout_minutes)
    log: list[str] = []
    problems: list[str] = []
    for attempt in range(3):
        missing = monitoring.missing(rt, month)
        if not missing:
            break
        note = "".join(f"\n\n**{p}**" for p in problems)
        waiting_for = ", ".join(labels[o] for o in missing)
        publish.log([f"Ждём данные: {waiting_for} (форма запуска или страница приёма)."])
        form: Any = wait_for_input(
            form_type,
            keys=[WaitKey.indicator(m.indicator, month)],
            timeout=timeout,
            pause_key=f"headcount-{attempt}",
            description=sentence(f"{m.title} на {date_ru(first)}")
            + f" Ждём данные: {waiting_for}.{note}",
        )
        if form is None:
            break
        values = {
            org: value
            for org in missing
            if (value := getattr(form, field_name(org), None)) is not None
        }
        filled_by = (form.filled_by or "").strip()
        if values and not filled_by:
            problems = ["Укажите, кто заполняет форму: значения без имени не записаны."]
            continue
        problems = monitoring.record_parts(
            rt, month=month, values=values, given_by=filled_by, explanation=form.explanation
        )
        given = ", ".join(f"{labels[o]} — {v}" for o, v in values.items() if o in labels)
        log.append(f"Внесено через форму ({filled_by}): {given}." if given else "")
        log += problems
    return log
