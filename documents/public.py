"""The public form of the panel (the program's annual public report): an account for families
of what changed for children, in plain words.

What a parent reads first: how many children still live in institutions, then and now, and
where the program means to bring that number; then what changed in each target group the
program names (``panel.indicators``), better or worse than at the start, and whether the
plan is reached; then what was done. No codes, no numbers of activities, no names of
officials or contacts: the page is published.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from documents.charts import Chart
from roadmap.dates.periods import parse_period
from roadmap.program.model import Program
from roadmap.reports.lines import IndicatorLine
from roadmap.reports.report import Report
from roadmap.words.verdicts import ExecutionStatus, IndicatorStatus
from roadmap.words.wording import count_ru, date_ru, quantity_ru

_env = Environment(
    loader=PackageLoader("documents", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",)),
    undefined=StrictUndefined,
)
DONE = (ExecutionStatus.DONE, ExecutionStatus.DONE_LATE)
# reached, but the forecast warns of the next checkpoint or the end
AT_RISK = ("намеченное достигнуто, но есть риск не удержать", "amber")
# what the plan's verdict means to a family, and its colour (the legend says the same)
PLAN_WORDS = {
    IndicatorStatus.ACHIEVED: ("намеченное достигнуто", "green"),
    IndicatorStatus.NOT_ACHIEVED: ("намеченное пока не достигнуто", "red"),
    IndicatorStatus.NO_DATA: ("сведения ещё не поступили", "grey"),
    IndicatorStatus.NO_TARGET: ("цель на этот срок не установлена", "grey"),
}


def _change(line: IndicatorLine) -> str | None:
    """«стало лучше», «стало хуже», «без изменений» against the start of the program."""
    start, now = line.indicator.baseline, line.actual
    if start is None or now is None:
        return None
    if now == start:
        return "без изменений с начала Программы"
    better = now < start if line.indicator.direction == "down" else now > start
    was = quantity_ru(start, line.indicator.unit)
    return f"{'стало лучше' if better else 'стало хуже'}: в начале Программы было {was}"


def _when(line: IndicatorLine) -> str:
    """«на 1 июля 2026 г.» for a count by month, else «за I полугодие 2026 года»."""
    if line.source_period and line.source_period != line.checkpoint:
        return f"на {date_ru(parse_period(line.source_period).start)}"
    return f"за {line.checkpoint_label}"


def _group(line: IndicatorLine) -> dict[str, Any]:
    at_risk = line.status == IndicatorStatus.ACHIEVED and line.forecast_warns
    words, tone = AT_RISK if at_risk else PLAN_WORDS[line.status]
    unit = line.indicator.unit
    return {
        "name": line.indicator.name,
        "now": quantity_ru(line.actual, unit) if line.actual is not None else None,
        "when": _when(line),
        "unit": unit,
        "change": _change(line),
        "plan": None if line.target is None else quantity_ru(line.target, unit),
        "verdict": words,
        "tone": tone,
    }


def _children(report: Report, program: Program) -> str | None:
    """The headline: the monthly count of children in institutions, first and last, and
    where the program means to bring it by its end."""
    points = [p for p in report.headcount if p.actual is not None]
    if not points or program.monitoring is None:
        return None
    ind = program.indicator_map[program.monitoring.indicator]
    first, last = points[0], points[-1]
    text = (
        f"{program.monitoring.title}: на {date_ru(first.day)} — "
        f"{quantity_ru(first.actual or 0, ind.unit)}, на {date_ru(last.day)} — "
        f"{quantity_ru(last.actual or 0, ind.unit)}."
    )
    diff = (last.actual or 0) - (first.actual or 0)
    if diff:
        text += f" Это на {quantity_ru(abs(diff), ind.unit)} {'меньше' if diff < 0 else 'больше'}."
    goal = ind.targets[-1] if ind.targets else None
    if goal is not None and program.checkpoints:
        end = date_ru(program.checkpoints[-1].date)
        limit = "не больше" if ind.direction == "down" else "не меньше"
        text += f" К {end} их должно быть {limit} {quantity_ru(goal, ind.unit)}."
    return text


def public_context(report: Report, program: Program, charts: Mapping[str, Chart]) -> dict[str, Any]:
    """What the public page shows (see the module docstring)."""
    by_code = {i.indicator.code: i for i in report.indicators}
    done = [a for a in report.activities if a.execution in DONE]
    s = report.summary
    due = s.activities_due if s else 0
    chart = charts.get("headcount")
    return {
        "program": report.program_title,
        "period": report.period_text,
        "as_of": report.as_of_text,
        "children": _children(report, program),
        "groups": [_group(by_code[c]) for c in report.panel_indicators if c in by_code],
        "legend": [
            {"tone": tone, "text": words}
            for words, tone in (
                PLAN_WORDS[IndicatorStatus.ACHIEVED],
                AT_RISK,
                PLAN_WORDS[IndicatorStatus.NOT_ACHIEVED],
            )
        ],
        "done_text": (
            f"Из {count_ru(due, 'мероприятия', 'мероприятий', 'мероприятий')}, срок которых "
            f"наступил, выполнено {len(done)}."
            if due
            else "Срок выполнения мероприятий ещё не наступил."
        ),
        "done": [a.activity.name for a in done],
        "chart": None
        if chart is None
        else {
            "src": base64.b64encode(chart.png).decode(),
            "caption": "Сколько детей находилось в учреждениях в каждом месяце (сплошная "
            "линия) и сколько их должно было остаться по плану Программы (пунктир)",
        },
        "footer": "Сведения собраны из отчётов министерств и ведомств края; "
        "персональные данные детей и семей не используются.",
    }


def render_public(context: dict[str, Any]) -> str:
    return _env.get_template("public.html.j2").render(p=context)
