"""Reasons for shortfalls: `roadmap reasons add` records those given on paper, `list` shows them."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import context
from cli.output import console, fail, print_json, table
from services import reasons as services_reasons

reasons = typer.Typer(
    help="Причины невыполнения мероприятий и отклонения показателей, принятые меры.",
    no_args_is_help=True,
)
REASONS = context.words("--reasons", "причины", limit=2000, least=3)
MEASURES = context.words("--measures", "принятые меры", limit=2000, least=0)


@reasons.command("add")
def add(
    text: Annotated[
        str, typer.Option("--reasons", help="Причины (текст исполнителя).", callback=REASONS)
    ],
    org: Annotated[str, typer.Option("--org", help="Организация, представившая причины.")],
    obligation: Annotated[
        str | None,
        typer.Option(
            "--obligation",
            help="Контрольная точка мероприятия: id обязательства, например 5.16:2026-H1.",
            callback=context.qualify_obligation,
        ),
    ] = None,
    indicator: Annotated[
        str | None, typer.Option("--indicator", help="Показатель, например 1.5.")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Для показателя: контрольная точка (2026-H1) или месяц."),
    ] = None,
    measures: Annotated[
        str | None, typer.Option("--measures", help="Принятые меры.", callback=MEASURES)
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help="Кто вносит (по умолчанию — пользователь системы).", callback=context.BY
        ),
    ] = None,
) -> None:
    """Внести причины невыполнения (нарушения срока) или отклонения показателя и принятые
    меры, представленные исполнителем на бумаге.

    Пример: roadmap reasons add --obligation 5.16:2026-H1 --org minsoc --reasons "…" --measures "…"
    """
    if (obligation is None) == (indicator is None):
        fail("укажите --obligation или --indicator с --period")
    subject = services_reasons.Subject(obligation, indicator, period)
    with context.plain_errors():
        row = services_reasons.give_reasons(
            context.rt(), subject=subject, reasons=text, measures=measures, who=context.who(by, org)
        )
    what = (
        f"показателю {indicator} ({period})" if indicator else f"обязательству {row.obligation_id}"
    )
    console.print(f"Причины по {what} внесены.")


@reasons.command("list")
def list_(json_out: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False) -> None:
    """Показать представленные причины и принятые меры (последние по каждому исполнителю).

    Пример: roadmap reasons list
    """
    rows = services_reasons.list_reasons(context.rt())
    if json_out:
        keys = ("subject", "org", "reasons", "measures")
        print_json([dict(zip(keys, r, strict=True)) for r in rows])
        return
    table("Причины и принятые меры", ["Что", "Исполнитель", "Причины", "Принятые меры"], rows)


def register(app: typer.Typer) -> None:
    app.add_typer(reasons, name="reasons")
