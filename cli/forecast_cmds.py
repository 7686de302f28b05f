"""`roadmap forecast`: the early warning, every key indicator projected to its next checkpoint
and the program's end."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import context
from cli.output import console, fail, fail_with, parse_date, print_json, table
from roadmap.dates.periods import parse_period
from roadmap.errors import RoadmapError
from roadmap.forecast.early_warning import METHOD_RU, RISK_RU, IndicatorForecast, Risk
from roadmap.words.wording import period_ru
from services.forecast import forecast_program

COLUMNS = [
    "Код",
    "Показатель",
    "Цель",
    "Прогноз",
    "Интервал 80 %",
    "Вероятность",
    "Оценка",
    "Метод (значений)",
]


def forecast(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="На какую дату (ГГГГ-ММ-ДД); по умолчанию сегодня."),
    ] = None,
    indicator: Annotated[
        str | None, typer.Option("--indicator", help="Только этот показатель (код, например 1.1).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False,
) -> None:
    """Прогноз достижения ключевых показателей на ближайшую контрольную точку и на конец
    программы: интервал, вероятность достижения и оценка риска.

    Пример: roadmap forecast --as-of 2026-07-01 --indicator 1.1
    """
    program = context.program()
    if indicator is not None and indicator not in program.indicator_map:
        fail(f"--indicator: показателя «{indicator}» нет в программе")
    day = parse_date(as_of, "--as-of") or context.today()
    try:
        found = forecast_program(context.rt(), as_of=day)
    except RoadmapError as exc:
        fail_with(exc)
    chosen = [f for f in found if indicator is None or f.code == indicator]
    if as_json:
        print_json([f.as_dict() for f in chosen])
        return
    table(
        f"Прогноз достижения ключевых показателей на {day:%d.%m.%Y}",
        COLUMNS,
        [row for f in chosen for row in _rows(f)],
    )
    counts = {r: sum(1 for f in chosen if f.risk is r) for r in Risk}
    console.print("; ".join(f"{RISK_RU[r]} — {n}" for r, n in counts.items() if n))


def _rows(f: IndicatorForecast) -> list[tuple[str, ...]]:
    """One row per checkpoint judged (the next one with a target, then the end)."""
    method = METHOD_RU.get(f.method, f.method) if f.method else "—"
    judged = [o for o in dict.fromkeys((f.at_next, f.at_end)) if o is not None]
    if not judged:
        # too little history: the checkpoint it names is the next one with a target
        end = f.next_target or f.end_target
        goal = f"{_num(end.value)} ({period_ru(parse_period(end.period))})" if end else "—"
        return [(f.code, f.name, goal, "—", "—", "—", f.status, f"{method} ({f.points})")]
    return [
        (
            f.code,
            f.name,
            f"{_num(o.goal.value)} ({period_ru(parse_period(o.goal.period))})",
            _num(o.projected),
            f"{_num(o.low)} – {_num(o.high)}",
            f"{o.probability * 100:.0f} %",
            o.status,
            f"{method} ({f.points})",
        )
        for o in judged
    ]


def _num(v: float | None) -> str:
    """«2 211», «2,5»: a non-breaking space between thousands, a decimal comma."""
    if v is None:
        return "—"
    if abs(v - round(v)) < 0.05:
        return f"{round(v):,}".replace(",", "\u00a0")
    return f"{v:,.1f}".replace(",", "\u00a0").replace(".", ",")


def register(app: typer.Typer) -> None:
    app.command("forecast")(forecast)
