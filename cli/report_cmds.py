"""Report commands: the consolidated report and the information panel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import context
from cli.output import console, fail, parse_date
from notifications.documents.consolidation import FORMATS, make_charts, write_consolidated
from notifications.documents.panel import panel_context, render_panel, write_panel
from roadmap.errors import InvalidPeriod
from roadmap.periods import Period
from roadmap.program import Program
from roadmap.report import Report, build_report
from roadmap.settings import get_settings
from roadmap.workdays import get_calendar
from storage.contacts import active_contacts
from storage.reporting import report_facts
from storage.status import the_program_id

AsOf = Annotated[
    str | None, typer.Option("--as-of", help="На какую дату (ГГГГ-ММ-ДД); по умолчанию сегодня.")
]
Out = Annotated[Path, typer.Option("--out", help="Папка, куда записать файлы.")]


def _period(text: str, program: Program) -> Period:
    try:
        return program.period_within(text)
    except InvalidPeriod as exc:
        fail(f"--period: {exc.message}")


def _report(program: Program, as_of: str | None, period: Period | None) -> Report:
    day = parse_date(as_of, "--as-of") or context.today_in(program.timezone)
    with context.session() as s:
        the_program_id(session=s, program_id=program.id)
        facts = report_facts(session=s, program_id=program.id)
    return build_report(program, facts, as_of=day, period=period or program.span_period,
                        calendar=get_calendar(program.calendar),
                        margin=get_settings().explanation_margin)  # fmt: skip


def consolidate(
    out: Out,
    period: Annotated[
        str, typer.Option("--period", help="Период: 2025-H1, 2025 или диапазон 2025-03..2025-08.")
    ],
    as_of: AsOf = None,
    formats: Annotated[
        str, typer.Option("--format", help="Форматы через запятую: docx, xlsx, png.")
    ] = "docx,xlsx,png",
) -> None:
    """Сводный отчёт за период на дату: Word, Excel и графики.

    Пример: roadmap consolidate --as-of 2025-08-01 --period 2025-H1 --out reports/
    """
    program = context.program()
    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    if not chosen or set(chosen) - set(FORMATS):
        fail(f"--format: допустимо {', '.join(FORMATS)}")
    report = _report(program, as_of, _period(period, program))
    paths = write_consolidated(report, program, out, chosen)
    console.print(f"Сводный отчёт за {report.period_text} на {report.as_of_text}:")
    for p in paths:
        console.print(f"  {p}")
    for line in report.missing:
        console.print(f"  [yellow]! {line}[/yellow]")


def panel(
    out: Out,
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
    program = context.program()
    report = _report(program, as_of, _period(period, program) if period else None)
    contacts = []
    if not public:
        with context.session() as s:
            contacts = active_contacts(session=s, program_id=program.id)
    ctx = panel_context(
        report, program, make_charts(report, program), public=public, contacts=contacts
    )
    path = write_panel(render_panel(ctx), out)
    console.print(f"Панель на {report.as_of_text}: {path}")


def register(app: typer.Typer) -> None:
    app.command("consolidate")(consolidate)
    app.command("panel")(panel)
