"""`roadmap init`: a new region's program folder from its road-map document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import context
from cli.output import console, fail_with
from roadmap.errors import RoadmapError
from services.program_init import init_program

RegionOpt = Annotated[
    str,
    typer.Option(
        "--region", help="Регион в именительном падеже: «Энская область».", callback=context.REGION
    ),
]
TitleOpt = Annotated[
    str | None,
    typer.Option(
        "--title",
        help="Название программы (по умолчанию с титульного листа документа).",
        callback=context.TITLE,
    ),
]


def init(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Папка новой программы: новая, пустая или созданная roadmap init и не изменённая."
        ),
    ],
    document: Annotated[
        Path,
        typer.Option(
            "--from", help="Документ программы: выгрузка .txt или .docx в шаблоне «Вызов»."
        ),
    ],
    region: RegionOpt,
    timezone: Annotated[
        str, typer.Option("--timezone", help="Часовой пояс региона, например Europe/Samara.")
    ],
    program_id: Annotated[
        str | None,
        typer.Option("--id", help="id программы (по умолчанию из названия региона и срока)."),
    ] = None,
    title: TitleOpt = None,
) -> None:
    """Создать папку программы нового региона по документу с дорожной картой.

    Организации, мероприятия и показатели читаются из документа; правила отчётности и
    соглашения о сроках берутся общие по умолчанию. Всё предложенное перечисляется для
    проверки. Срок, который программа не может датировать, отмечается due_set_by_person
    (дату установит ответственный) и перечисляется со строкой документа и подсказкой, как его
    записать. Папка создаётся, только если программа проходит проверку roadmap validate.

    Пример: roadmap init tver --from tver.docx --region "Тверская область" --timezone Europe/Moscow
    """
    try:
        report = init_program(
            document, folder, region=region, timezone=timezone, program_id=program_id, title=title
        )
    except RoadmapError as exc:
        fail_with(exc, "в документе")
    p = report.program
    done = {
        "created": "Программа создана",
        "same": "Папка уже создана по этому документу, файлы те же",
        "updated": "Папка обновлена по документу",
    }[report.outcome]
    console.print(f"[green]{done}:[/green] {p.id} → {report.folder}")
    console.print(
        f"  разделов {len(p.sections)}, мероприятий {len(p.activities)}, показателей "
        f"{len(p.indicators)}, организаций {len(p.organizations)}, обязательств "
        f"{report.obligations}; часовой пояс {p.timezone}"
    )
    console.print("Проверьте по документу (в файлах эти места отмечены REVIEW):")
    for n, item in enumerate(report.review, 1):
        console.print(f"  {n}. {item}", markup=False)
    console.print(
        f"Затем: roadmap validate {report.folder}; добавьте папку в ROADMAP_PROGRAMS и "
        "выполните roadmap sync."
    )


def register(app: typer.Typer) -> None:
    app.command("init")(init)
