"""Monthly headcount monitoring (activity 6.1): children in round-the-clock stay, by ministry.

Each month the flow collects, as of the 1st, the number of children in the institutions of
the ministries of social policy (specialised social rehabilitation centres), education
(institutions for orphans) and health (specialised baby homes); values already recorded
through the command line or the intake page count, the rest are asked for in a form in the
UI. The total is compared with indicator 1.1's trajectory (2 211 → 1 658); a month off it
by more than ``ROADMAP_EXPLANATION_MARGIN`` is flagged to the coordinator and the curator.
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
from roadmap.actuals import InvalidValue, target_for
from roadmap.periods import parse_period
from roadmap.wording import date_ru, period_ru
from storage.actuals import latest_values, record_indicator_value
from storage.db import session_scope
from storage.errors import ExplanationRequired
from storage.waits import indicator_key

INDICATOR = "1.1"
KINDS = {
    "minsoc": "краевые специализированные учреждения для несовершеннолетних",
    "minobr": "учреждения для детей-сирот",
    "minzdrav": "специализированные дома ребенка",
}


class HeadcountInput(RunInput):
    """Численность детей на круглосуточном пребывании на 1-е число месяца."""

    minsoc: int | None = Field(None, ge=0, description="Минсоцполитики: " + KINDS["minsoc"])
    minobr: int | None = Field(None, ge=0, description="Минобразования: " + KINDS["minobr"])
    minzdrav: int | None = Field(None, ge=0, description="Минздрав: " + KINDS["minzdrav"])
    explanation: str | None = Field(
        None, description="Пояснение, если численность отклоняется от траектории"
    )


def _month(month: str | None) -> str:
    return month or runtime.run_day(None).strftime("%Y-%m")


def _run_name() -> str:
    month = flow_run.parameters.get("month") or runtime.run_day(
        flow_run.parameters.get("as_of")
    ).strftime("%Y-%m")
    return f"6.1 Мониторинг численности — {month}"


def _given(month: str) -> dict[str, float]:
    program = runtime.program()
    with session_scope(runtime.engine()) as s:
        rows = latest_values(session=s, program_id=program.id, indicator=INDICATOR, period=month)
    return {org: r.value for (_, _, org), r in rows.items()}


@flow(name="6.1 Мониторинг численности детей", flow_run_name=_run_name)
def headcount_monitoring(month: str | None = None, as_of: str | None = None) -> dict[str, Any]:
    """Ежемесячный мониторинг: численность детей в учреждениях на 1-е число против траектории 1.1."""  # noqa: E501
    program, cal = runtime.program(), runtime.calendar()
    month = month or runtime.run_day(as_of).strftime("%Y-%m")
    first = parse_period(month).start
    indicator = program.indicator_map[INDICATOR]
    timeout = dt.timedelta(minutes=runtime.settings().input_timeout_minutes)
    problems: list[str] = []
    for attempt in range(3):
        missing = [org for org in indicator.contributors if org not in _given(month)]
        if not missing:
            break
        names = ", ".join(program.orgs[o].short_name for o in missing)
        note = "\n\n" + "\n".join(f"**{p}**" for p in problems) if problems else ""
        form = wait_for_input(
            HeadcountInput, keys=[indicator_key(INDICATOR, month)], timeout=timeout,
            pause_key=f"headcount-{attempt}",
            description=f"Численность детей на круглосуточном пребывании на {date_ru(first)}. "
                        f"Ждём данные: {names}.{note}",
        )  # fmt: skip
        if form is None:
            break
        problems = _record(form, month, missing)
    given = _given(month)
    missing = [o for o in indicator.contributors if o not in given]
    rows = [{"Министерство": program.orgs[o].short_name, "Учреждения": KINDS.get(o, ""),
             "Детей": given.get(o)} for o in indicator.contributors]  # fmt: skip
    publish.table("headcount", f"Численность на {date_ru(first)} по министерствам", rows)
    if missing:
        text = (
            "Нет данных от: "
            + ", ".join(program.orgs[o].short_name for o in missing)
            + ". Обязательство 6.1 напомнит им по лестнице."
        )
        publish.markdown(
            "headcount-verdict",
            f"Мониторинг за {period_ru(parse_period(month))}: данные неполные",
            text,
        )
        return {"month": month, "complete": False, "missing": missing}
    total = sum(given[o] for o in indicator.contributors)
    planned = target_for(program, indicator, month)
    change = (total - planned) / planned if planned else 0.0
    off = abs(change) > runtime.settings().explanation_margin
    verdict = (
        f"Всего {total:,.0f} детей против {planned:,.0f} по траектории ({change:+.1%})".replace(",", " ")  # noqa: E501
        + (": отклонение больше допустимого, сообщено координатору и куратору." if off else ": в пределах траектории.")  # noqa: E501
    )  # fmt: skip
    publish.markdown(
        "headcount-verdict", f"Мониторинг за {period_ru(parse_period(month))}", verdict
    )
    if off:
        with session_scope(runtime.engine()) as s:
            record_alert(
                session=s, program=program, key=f"headcount:{month}", roles=("coordinator", "curator"),  # noqa: E501
                title=f"Численность детей в учреждениях на {date_ru(first)} отклоняется от траектории",  # noqa: E501
                lines=[verdict] + [f"{r['Министерство']} ({r['Учреждения']}): {r['Детей']:,.0f}".replace(",", " ") for r in rows],  # noqa: E501
                now=runtime.run_moment(as_of), calendar=cal,
            )  # fmt: skip
    return {"month": month, "complete": True, "total": total, "trajectory": planned, "off": off}


def _record(form: HeadcountInput, month: str, missing: list[str]) -> list[str]:
    """Record what the form gives; return the problems to show on the next form."""
    program = runtime.program()
    problems = []
    for org in missing:
        value = getattr(form, org, None)
        if value is None:
            continue
        try:
            with session_scope(runtime.engine()) as s:
                record_indicator_value(
                    session=s, program=program, indicator=INDICATOR, period=month, org=org,
                    value=float(value), given_by="форма Prefect", channel="prefect-ui",
                    at=dt.datetime.now(dt.UTC), margin=runtime.settings().explanation_margin,
                    explanation=form.explanation,
                )  # fmt: skip
        except (ExplanationRequired, InvalidValue) as exc:
            problems.append(f"{program.orgs[org].short_name}: {exc.message}")
    return problems
