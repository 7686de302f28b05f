"""`roadmap term`: what a term phrase gives in a program, before it goes into one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import context
from cli.output import console, fail, fail_with, print_json, table
from roadmap.dates.workdays import get_calendar
from roadmap.errors import InvalidTerm, RoadmapError
from roadmap.program.dating import Dated
from roadmap.program.loader import load_program
from roadmap.program.preview import RULE_WORDS, convention_words, period_words, preview_term


def term(
    phrase: Annotated[str, typer.Argument(help="Срок так, как он написан в документе.")],
    program: Annotated[
        Path | None,
        typer.Option(
            "--program",
            help="Папка или файл YAML программы (по умолчанию ROADMAP_PROGRAM или встроенная "
            "программа).",
        ),
    ] = None,
    person_sets_due: Annotated[
        bool,
        typer.Option(
            "--due-set-by-person",
            help="Читать как мероприятие с отметкой due_set_by_person: срок от события "
            "устанавливает ответственный.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False,
) -> None:
    """Показать, какие обязательства даёт срок в пределах срока программы.

    Для каждого обязательства: период, дата открытия, срок исполнения, правило и соглашения
    программы, по которым он получен; или отказ с объяснением (код выхода 1).

    Пример: roadmap term "ежегодно (до 1 апреля года, следующего за отчетным)"
    """
    try:
        p = load_program(program) if program else context.rt().program
    except RoadmapError as exc:
        fail_with(exc)
    try:
        preview = preview_term(phrase, p, get_calendar(p.calendar), person_sets_due=person_sets_due)
    except InvalidTerm as exc:
        if as_json:
            print_json({"term": phrase, "program": p.id, "error": exc.message})
        fail(exc.message)
    if as_json:
        print_json(preview.to_json())
        return
    table(
        f"Срок «{phrase}»: {p.region}, {period_words(p.span_period)}",
        ["Период", "Открывается", "Срок исполнения", "Правило"],
        [(period_words(d.period), f"{d.opens:%d.%m.%Y}", _due(d), d.rule) for d in preview.lines],
    )
    for note in preview.notes:
        console.print(f"Примечание: {note}")
    if preview.event_words:
        console.print(f"Срок от события: {preview.event_words}.")
    for n in preview.rules_used:
        console.print(f"Правило {n}: {RULE_WORDS[n]}")
    for name in preview.conventions_used:
        console.print(f"Соглашение программы: {convention_words(name, p.conventions)}")


def _due(d: Dated) -> str:
    if d.due is None:
        return "устанавливает ответственный"
    if d.written is not None and d.written != d.due:
        return f"{d.due:%d.%m.%Y} ({d.written:%d.%m.%Y} — нерабочий день)"
    return f"{d.due:%d.%m.%Y}"


def register(app: typer.Typer) -> None:
    app.command("term")(term)
