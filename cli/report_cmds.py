"""Report commands: the consolidated report and the information panel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from cli import context
from cli.output import console, fail
from roadmap.dates.periods import Period
from roadmap.errors import InvalidPeriod
from services import reports

AsOf = Annotated[
    str | None, typer.Option("--as-of", help="На какую дату (ГГГГ-ММ-ДД); по умолчанию сегодня.")
]
Out = Annotated[
    Path | None,
    typer.Option(
        "--out", help="Папка, куда записать файлы (по умолчанию — папка отчётов программы)."
    ),
]


def _period(text: str | None) -> Period | None:
    try:
        return reports.period_of(context.rt(), text)
    except InvalidPeriod as exc:
        fail(f"--period: {exc.message}")


def _day(as_of: str | None) -> dt.date:
    return context.program_day(as_of, "--as-of") or context.today()


def consolidate(
    period: Annotated[
        str, typer.Option("--period", help="Период: 2025-H1, 2025 или диапазон 2025-03..2025-08.")
    ],
    out: Out = None,
    as_of: AsOf = None,
    formats: Annotated[
        str, typer.Option("--format", help="Форматы через запятую: docx, xlsx, png.")
    ] = "docx,xlsx,png",
) -> None:
    """Сводный отчёт за период на дату: Word, Excel и графики.

    Пример: roadmap consolidate --as-of 2025-08-01 --period 2025-H1 --out reports/
    """
    context.program()
    try:
        chosen = reports.check_formats(formats.split(","))
    except ValueError:
        fail(f"--format: допустимо {', '.join(reports.FORMATS)}")
    rt, day = context.rt(), _day(as_of)
    with context.plain_errors():
        files = reports.consolidated_report(
            rt,
            as_of=day,
            period=_period(period),
            out_dir=out or rt.reports_dir / "on-demand" / day.isoformat(),
            formats=chosen,
        )
    report = files.report
    console.print(f"Сводный отчёт за {report.period_text} на {report.as_of_text}:")
    for p in files.paths:
        console.print(f"  {p}")
    for line in report.missing:
        console.print(f"  [yellow]! {line}[/yellow]")


def panel(
    out: Out = None,
    as_of: AsOf = None,
    period: Annotated[
        str | None, typer.Option("--period", help="Период (по умолчанию весь срок программы).")
    ] = None,
    public: Annotated[
        bool, typer.Option("--public", help="Публичная форма (6.15): без контактов.")
    ] = False,
) -> None:
    """Информационная панель (мероприятие 6.8): статическая страница HTML.

    Пример: roadmap panel --as-of 2025-12-31 --out panel/ --public
    """
    context.program()
    rt, day = context.rt(), _day(as_of)
    where = out or rt.reports_dir / ("panel-public" if public else "panel") / day.isoformat()
    with context.plain_errors():
        path = reports.panel_page(
            rt, as_of=day, period=_period(period), public=public, out_dir=where
        )
    console.print(f"Панель на {day:%d.%m.%Y}: {path}")


def register(app: typer.Typer) -> None:
    app.command("consolidate")(consolidate)
    app.command("panel")(panel)
