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
from roadmap.dates.periods import parse_period
from roadmap.forecast.early_warning import IndicatorForecast, alert_due
from roadmap.program.model import Monitoring, Program
from roadmap.reports.actuals import InvalidValue, target_for
from roadmap.words.wording import date_ru, number_ru, percent_ru
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
    """Tell the coordinator and the curator when the forecast at the program's end has said
    «риск недостижения» for the program's ``confirm_months`` monthly assessments running
    (two), and again when «высокий риск недостижения» has held as long (``alert_due``): a
    single noisy month raises no alarm, and a month no worse says nothing new."""
    first = parse_period(month).start
    forecast = headcount_forecast(rt, first)
    if not forecast.risk.warns:
        return forecast
    months = rt.program.forecast.confirm_months
    risks = [headcount_forecast(rt, _months_before(first, k)).risk for k in range(months, 0, -1)]
    if not alert_due([*risks, forecast.risk], months):
        return forecast
    with session_scope(rt.engine) as s:
        record_alert(
            session=s,
            program=rt.program,
            key=f"forecast-risk:{forecast.code}:{month}",
            roles=("coordinator", "curator"),
            title=f"{forecast.status.capitalize()} показателя {forecast.code}",
            lines=warning_lines(rt.program, forecast, first),
            now=now,
            calendar=rt.calendar,
        )
    return forecast


def _months_before(first: dt.date, k: int) -> dt.date:
    """The 1st of the month ``k`` months before ``first`` (a 1st): the monthly assessment's
    moment then, that month's value given."""
    index = first.year * 12 + first.month - 1 - k
    return dt.date(index // 12, index % 12 + 1, 1)


def warning_lines(program: Program, f: IndicatorForecast, on: dt.date) -> list[str]:
    """The early warning's letter: the verdict at the end, by how much the projection misses,
    the pace the target needs against the projection's, and the next checkpoint's verdict."""
    end = f.at_end
    lines = [
        f"По данным мониторинга на {date_ru(on)} прогноз показателя {f.code} «{f.name}» "
        f"на конец программы — {f.status}."
    ]
    if end is None:
        return lines
    band = f"{round(f.coverage * 100)}-процентный интервал"
    lines.append(
        f"Целевое значение на {date_ru(end.goal.date)}: {number_ru(end.goal.value)}; "
        f"прогноз: {number_ru(round(end.projected))} ({band} {number_ru(round(end.low))} – "
        f"{number_ru(round(end.high))}), хуже целевого на "
        f"{number_ru(round(abs(end.projected - end.goal.value)))} "
        f"({percent_ru(end.shortfall)}) при допустимом отклонении "
        f"{percent_ru(f.tolerance, digits=0)}."
    )
    lines.append(f"Оценка вероятности достижения: {percent_ru(end.probability, digits=0)}.")
    if end.needed is not None and end.trend is not None and f.last is not None:
        lines.append(
            f"Для достижения целевого значения показатель должен {_pace(end.needed)} "
            f"в месяц от значения {number_ru(f.last.value)} на {date_ru(f.last.on)}; "
            f"по прогнозу он {_pace(end.trend, now=True)} в месяц."
        )
    nxt = f.at_next
    if nxt is not None and nxt is not end:
        labels = {c.period: c.label for c in program.checkpoints}
        lines.append(
            f"На контрольную точку «{labels.get(nxt.goal.period, nxt.goal.period)}» "
            f"(целевое значение {number_ru(nxt.goal.value)}): {nxt.status}, прогноз "
            f"{number_ru(round(nxt.projected))} ({number_ru(round(nxt.low))} – "
            f"{number_ru(round(nxt.high))}), вероятность достижения "
            f"{percent_ru(nxt.probability, digits=0)}."
        )
    lines.append("Просим рассмотреть меры, чтобы вернуть показатель на траекторию.")
    return lines


def _pace(per_month: float, *, now: bool = False) -> str:
    """«снижаться в среднем на 31,5» or, of the projection, «снижается на 5,2»."""
    amount = number_ru(round(abs(per_month), 1))
    if round(per_month, 1) == 0:
        return "не меняется" if now else "оставаться на том же уровне"
    if per_month < 0:
        return f"снижается на {amount}" if now else f"снижаться в среднем на {amount}"
    return f"растёт на {amount}" if now else f"расти в среднем на {amount}"
