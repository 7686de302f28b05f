"""The monthly monitoring of the program's headcount indicator, as use cases.

The program data names the indicator (``monitoring.indicator``) and its parts: which
organisation gives which part and how forms label it. Values count wherever they were
given (the command line, the intake page, the run's form); a month whose total is off the
indicator's trajectory by more than the explanation margin is reported to the coordinator
and the curator once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from notifications.alerts import record_alert
from roadmap.actuals import InvalidValue, target_for
from roadmap.forecast import IndicatorForecast, Risk
from roadmap.periods import parse_period
from roadmap.program import Monitoring
from roadmap.wording import date_ru, number_ru, percent_ru
from services.forecast import forecast_program
from services.runtime import Runtime
from storage.actuals import latest_values, record_indicator_value
from storage.db import session_scope
from storage.errors import ExplanationRequired, NotFound
from storage.obligations import resolve_obligation

FORM_CHANNEL = "prefect-ui"


def monitoring_of(rt: Runtime) -> Monitoring:
    """The program's monitoring, or ValueError when the program has none."""
    if rt.program.monitoring is None:
        raise ValueError("в данных программы нет ежемесячного мониторинга (monitoring)")
    return rt.program.monitoring


def given(rt: Runtime, month: str) -> dict[str, float]:
    """The values given so far for ``month``, by organisation."""
    m = monitoring_of(rt)
    with session_scope(rt.engine) as s:
        rows = latest_values(
            session=s, program_id=rt.program.id, indicator=m.indicator, period=month
        )
    return {org: r.value for (_, _, org), r in rows.items()}


def month_obligation(rt: Runtime, month: str) -> str | None:
    """The id of ``month``'s obligation of the monitoring's activity, if the program has one."""
    obligation_id = f"{rt.program.id}:{monitoring_of(rt).activity}:{month}"
    with session_scope(rt.engine) as s:
        try:
            return resolve_obligation(session=s, obligation_id=obligation_id).id
        except NotFound:
            return None


def missing(rt: Runtime, month: str) -> list[str]:
    """The organisations whose part of ``month`` is not given yet."""
    have = given(rt, month)
    return [p.org for p in monitoring_of(rt).parts if p.org not in have]


def record_parts(
    rt: Runtime,
    *,
    month: str,
    values: Mapping[str, float],
    given_by: str,
    explanation: str | None,
    channel: str = FORM_CHANNEL,
) -> list[str]:
    """Record the parts given for ``month``; return the problems to show the person.

    Each value is tied to the month's obligation of the monitoring's activity, as the intake
    page ties what it records: a value counts the same whichever way it came.
    """
    m = monitoring_of(rt)
    labels = {p.org: p.label for p in m.parts}
    obligation = month_obligation(rt, month)
    problems = []
    for org, value in values.items():
        try:
            with session_scope(rt.engine) as s:
                record_indicator_value(
                    session=s,
                    program=rt.program,
                    indicator=m.indicator,
                    period=month,
                    org=org,
                    value=float(value),
                    given_by=given_by,
                    channel=channel,
                    at=rt.now(),
                    margin=rt.settings.explanation_margin,
                    explanation=explanation,
                    obligation_id=obligation,
                )
        except (ExplanationRequired, InvalidValue) as exc:
            problems.append(f"{labels[org]}: {exc.message}")
    return problems


@dataclass(frozen=True)
class MonthRow:
    org: str
    label: str
    institutions: str
    value: float | None


@dataclass(frozen=True)
class MonthResult:
    """What the month's monitoring found."""

    month: str
    first_day: dt.date
    rows: list[MonthRow]
    missing: list[str]
    total: float | None = None
    trajectory: float | None = None
    off: bool = False

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def verdict(self) -> str:
        """One sentence on the month, in Russian."""
        if self.total is None or self.trajectory is None:
            names = ", ".join(r.label for r in self.rows if r.org in self.missing)
            return f"Нет данных от: {names}. Напоминания направляются по графику мероприятия."
        change = (self.total - self.trajectory) / self.trajectory if self.trajectory else 0.0
        tail = (
            ": отклонение больше допустимого, сообщено координатору и куратору."
            if self.off
            else ": в пределах траектории."
        )
        return (
            f"Всего {number_ru(self.total)} детей против {number_ru(self.trajectory)} "
            f"по траектории ({percent_ru(change, signed=True)}){tail}"
        )


def assess_month(rt: Runtime, *, month: str, now: dt.datetime) -> MonthResult:
    """Compare the month's total with the trajectory; tell the coordinator and curator if off."""
    m = monitoring_of(rt)
    program = rt.program
    first = parse_period(month).start
    have = given(rt, month)
    rows = [MonthRow(p.org, p.label, p.institutions, have.get(p.org)) for p in m.parts]
    absent = [p.org for p in m.parts if p.org not in have]
    if absent:
        return MonthResult(month, first, rows, absent)
    total = sum(have[p.org] for p in m.parts)
    planned = target_for(program, program.indicator_map[m.indicator], month)
    if planned is None:
        return MonthResult(month, first, rows, [], total)
    off = abs(total - planned) / planned > rt.settings.explanation_margin if planned else False
    result = MonthResult(month, first, rows, [], total, planned, off)
    early_warning(rt, month=month, now=now)
    if off:
        lines = [result.verdict]
        lines += [f"{r.label} ({r.institutions}): {number_ru(r.value or 0)}" for r in rows]
        with session_scope(rt.engine) as s:
            record_alert(
                session=s,
                program=program,
                key=f"headcount:{month}",
                roles=("coordinator", "curator"),
                title=f"Численность детей в учреждениях на {date_ru(first)} "
                "отклоняется от траектории",
                lines=lines,
                now=now,
                calendar=rt.calendar,
            )
    return result


def headcount_forecast(rt: Runtime, as_of: dt.date) -> IndicatorForecast:
    """The forecast of the monitored indicator with what is known on ``as_of``."""
    code = monitoring_of(rt).indicator
    return next(f for f in forecast_program(rt, as_of=as_of) if f.code == code)


def early_warning(rt: Runtime, *, month: str, now: dt.datetime) -> IndicatorForecast:
    """Tell the coordinator and the curator the first month the forecast turns to «риск
    недостижения» (a month after one already at risk says nothing new)."""
    first = parse_period(month).start
    forecast = headcount_forecast(rt, first)
    if forecast.risk is not Risk.AT_RISK:
        return forecast
    before = headcount_forecast(rt, first - dt.timedelta(days=1))
    if before.risk is Risk.AT_RISK:
        return forecast
    end = forecast.end_target
    lines = [
        f"По данным мониторинга на {date_ru(first)} прогноз показателя {forecast.code} "
        f"«{forecast.name}» на конец программы — риск недостижения."
    ]
    if end is not None and forecast.projected and forecast.low and forecast.high:
        at = end.period
        lines.append(
            f"Целевое значение: {number_ru(end.value)}; "
            f"прогноз: {number_ru(forecast.projected[at])} "
            f"(80-процентный интервал {number_ru(forecast.low[at])} – "
            f"{number_ru(forecast.high[at])})."
        )
    if forecast.probability is not None:
        lines.append(f"Оценка вероятности достижения: {percent_ru(forecast.probability)}.")
    lines.append("Просим рассмотреть меры, чтобы вернуть показатель на траекторию.")
    with session_scope(rt.engine) as s:
        record_alert(
            session=s,
            program=rt.program,
            key=f"forecast-risk:{forecast.code}:{month}",
            roles=("coordinator", "curator"),
            title=f"Риск недостижения показателя {forecast.code}",
            lines=lines,
            now=now,
            calendar=rt.calendar,
        )
    return forecast
