"""Due dates a person sets: `roadmap due list` and `roadmap due set`."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import context
from cli.output import console, parse_date, print_json, table
from roadmap.words.wording import date_ru, period_ru
from services import due_dates

due = typer.Typer(
    help="Сроки, которые устанавливает человек: мероприятия со сроком от события.",
    no_args_is_help=True,
)


@due.command("list")
def due_list(
    as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False,
) -> None:
    """Обязательства со сроком от события (отметка due_set_by_person): установлен ли срок.

    Пока срок не установлен, напоминаний по обязательству нет.

    Пример: roadmap due list
    """
    with context.plain_errors():
        rows = due_dates.pending(context.rt())
    if as_json:
        print_json([r.to_json() for r in rows])
        return
    table(
        f"Сроки от события ({len(rows)})",
        ["Обязательство", "Период", "Исполнители", "Срок", "Основание", "Кто установил"],
        [
            (
                r.pending.id.removeprefix(r.pending.program + ":"),
                period_ru(r.pending.period),
                ", ".join(r.pending.owners),
                date_ru(r.setting.due) if r.setting else "не установлен",
                r.setting.basis if r.setting else "—",
                r.setting.set_by if r.setting else "—",
            )
            for r in rows
        ],
    )


@due.command("set")
def due_set(
    obligation: Annotated[
        str, typer.Option("--obligation", help="Id обязательства, например 3.4:2025..2026.")
    ],
    date: Annotated[str, typer.Option("--date", help="Срок исполнения (ГГГГ-ММ-ДД).")],
    basis: Annotated[
        str,
        typer.Option(
            "--basis",
            help="Основание: событие, от которого отсчитывается срок, и его дата.",
            callback=context.BASIS,
        ),
    ],
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help="Кто (по умолчанию — пользователь системы).", callback=context.BY
        ),
    ] = None,
) -> None:
    """Установить срок обязательства, отсчитываемый от события; с этого дня о нём напоминают.

    Срок устанавливается один раз; изменить его можно запросом на перенос (roadmap extend).

    Пример: roadmap due set --obligation 3.4:2025..2026 --date 2025-04-14
    --basis "закон края от 13.03.2025 № 9-1234 вступил в силу 15.03.2025"
    """
    day = parse_date(date, "--date")
    assert day is not None
    with context.plain_errors():
        row = due_dates.set_due(
            context.rt(), obligation_id=obligation, due=day, basis=basis, who=context.who(by)
        )
    console.print(f"Срок обязательства {row.id} установлен: {date_ru(row.due)}")
    console.print("Напоминания исполнителям пойдут с сегодняшнего дня в обычном порядке.")


def register(app: typer.Typer) -> None:
    app.add_typer(due, name="due")
