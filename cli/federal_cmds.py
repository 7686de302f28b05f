"""`roadmap federal`: every region as the Commissioner's Office sees it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from cli import context
from cli.output import console, fail_with, parse_date, print_json, table
from roadmap.errors import RoadmapError
from roadmap.views.federal import RegionRow
from roadmap.words.wording import number_ru, percent_ru
from services.federal import federal_signatory, federal_view, write_federal

COLUMNS = [
    "Регион",
    "Сводные отчёты: получено / со сроком",
    "С нарушением срока",
    "Полнота",
    "Своевременность",
    "Ключевой показатель: факт / по траектории",
    "Оценка",
    "Просроченные мероприятия",
]


def federal(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="На какую дату (ГГГГ-ММ-ДД); по умолчанию сегодня."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Вывести JSON: строка на регион.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Записать сюда Word, Excel и страницу панели (index.html)."),
    ] = None,
) -> None:
    """Федеральный свод по регионам: сводные отчёты, исполнители, ключевой показатель, просрочка.

    Все программы ROADMAP_PROGRAMS (или одна, выбранная --program), каждая на дату в своём
    часовом поясе.

    Пример: roadmap federal --as-of 2025-08-05 --out federal/
    """
    rt = context.rt()
    day = parse_date(as_of, "--as-of") or rt.now().astimezone(dt.UTC).date()
    try:
        view = federal_view(rt, as_of=day)
    except RoadmapError as exc:
        fail_with(exc)
    signatory = federal_signatory(rt.settings)
    files = write_federal(view, out, signatory=signatory) if out is not None else []
    if as_json:
        print_json(view.as_rows())
        return
    table(f"Федеральный свод на {day:%d.%m.%Y}", COLUMNS, [_row(r) for r in view.regions])
    for f in files:
        console.print(f"  {f}")


def _row(r: RegionRow) -> tuple[str, ...]:
    if not r.synced:
        return (r.region, r.missing, "", "", "", "", "", "")
    h = r.headline
    headline = (
        f"{number_ru(h.actual)} / {number_ru(h.planned) if h.planned is not None else '—'}"
        if h and h.actual is not None
        else "—"
    )
    return (
        r.region,
        f"{r.consolidated_received} / {r.consolidated_due}",
        str(r.consolidated_late),
        percent_ru(r.completeness) if r.completeness is not None else "—",
        percent_ru(r.timeliness) if r.timeliness is not None else "—",
        headline,
        h.forecast.status if h else "—",
        _activities(r.overdue_activities),
    )


def _activities(numbers: tuple[str, ...], shown: int = 8) -> str:
    if not numbers:
        return "нет"
    rest = len(numbers) - shown
    return ", ".join(numbers[:shown]) + (f" и ещё {rest}" if rest > 0 else "")


def register(app: typer.Typer) -> None:
    app.command("federal")(federal)
