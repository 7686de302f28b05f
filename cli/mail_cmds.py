"""Mail commands: read the program mailbox by hand (the «Входящая почта» deployment does it
every few minutes)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import context
from cli.output import console, fail_with, print_json
from roadmap.errors import RoadmapError
from services.mail import fetch_mail, mail_summary

mail = typer.Typer(help="Почтовый ящик программы: ответы на письма.", no_args_is_help=True)


@mail.command("fetch")
def fetch(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="День поступления писем (ГГГГ-ММ-ДД); время — 10:00 этого дня. "
            "По умолчанию сейчас.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False,
) -> None:
    """Прочитать почтовый ящик программы: учесть документы из ответов на письма, ответить
    отправителям и разложить письма по папкам «Принято», «Отказано», «Не распознано».

    Пример: roadmap mail fetch
    """
    day = context.program_day(as_of, "--as-of")
    rt = context.rt()
    now = rt.each_program()[0].morning(day) if day else None
    try:
        report = fetch_mail(rt, now=now)
    except RoadmapError as exc:
        fail_with(exc)
    if as_json:
        print_json(
            {
                "read": report.read,
                "accepted": len(report.accepted),
                "refused": len(report.refused),
                "not_ours": len(report.not_ours),
                "filed_again": report.filed_again,
                "documents": report.documents,
            }
        )
        return
    for line in report.lines:
        console.print(line)
    console.print(mail_summary(report))


def register(app: typer.Typer) -> None:
    app.add_typer(mail, name="mail")
