"""Program data commands: validate; listings; import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import context
from cli.output import console, fail, fail_with, parse_date, print_json, table
from roadmap.errors import RoadmapError
from roadmap.obligations.expansion import Obligation, expand_obligations, expand_pending
from roadmap.program.loader import load_program
from roadmap.program.model import Program
from services import program_init

ProgramOpt = Annotated[
    str | None,
    typer.Option(
        "--program",
        help="Папка, файл YAML или id программы (по умолчанию выбранная: roadmap --program).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Вывести JSON.")]


def _load(choice: str | Path | None) -> Program:
    """The program a command's own ``--program`` names (a folder, a file or an id).

    Without it, the program chosen for the whole command line (``roadmap --program``).
    """
    try:
        if choice is None:
            return context.rt().program
        if Path(choice).exists():
            return load_program(choice)
        return context.rt().for_program(str(choice)).program
    except RoadmapError as exc:
        fail_with(exc)


def validate(
    path: Annotated[Path | None, typer.Argument(help="Папка или файл YAML программы.")] = None,
) -> None:
    """Проверить данные программы и развернуть все обязательства.

    Пример: roadmap validate roadmap/data/krasnoyarsk-2025-2026
    """
    if path is None:  # every program loaded (one, or those of ROADMAP_PROGRAMS)
        with context.plain_errors():
            programs = [rt.program for rt in context.runtimes()]
    else:
        programs = [_load(path)]
    for program in programs:
        _validate_one(program)


def _validate_one(program: Program) -> None:
    try:
        obligations = expand_obligations(program)
        pending = expand_pending(program)
    except RoadmapError as exc:
        fail_with(exc)
    by_kind: dict[str, int] = {}
    for o in obligations:
        key = o.report_kind or o.kind
        by_kind[key] = by_kind.get(key, 0) + 1
    console.print(f"[green]Данные программы в порядке:[/green] {program.title}")
    table(
        "Сводка",
        ["", "количество"],
        [
            ("разделов дорожной карты", len(program.sections)),
            ("мероприятий", len(program.activities)),
            ("групп показателей", len(program.indicator_groups)),
            ("ключевых показателей", len(program.indicators)),
            ("организаций", len(program.organizations)),
            ("обязательств по мероприятиям", by_kind.get("activity", 0)),
            ("отчётов исполнителей", by_kind.get("executor", 0)),
            ("сводных отчётов", by_kind.get("consolidated", 0)),
            ("обязательств всего", len(obligations)),
            *(
                [("обязательств, срок которых установит ответственный", len(pending))]
                if pending
                else []
            ),
        ],
    )


def activities(program: ProgramOpt = None, as_json: JsonOpt = False) -> None:
    """Мероприятия дорожной карты.

    Пример: roadmap activities --json
    """
    p = _load(program)
    if as_json:
        print_json([a.model_dump(mode="json") for a in p.activities])
        return
    table(
        f"Мероприятия ({len(p.activities)})",
        ["№", "Мероприятие", "Срок", "Исполнители", "Документ"],
        [
            (a.number, a.short_name, a.term, ", ".join(a.executors), a.evidence)
            for a in p.activities
        ],
    )


def indicators(program: ProgramOpt = None, as_json: JsonOpt = False) -> None:
    """Ключевые показатели с плановыми значениями по контрольным точкам.

    Пример: roadmap indicators
    """
    p = _load(program)
    if as_json:
        checkpoints = [c.period for c in p.checkpoints]
        print_json(
            [
                {
                    **i.model_dump(mode="json"),
                    "checkpoints": dict(zip(checkpoints, i.targets, strict=True)),
                }
                for i in p.indicators
            ]
        )
        return
    arrows = {"down": "↓", "up": "↑"}
    table(
        f"Ключевые показатели ({len(p.indicators)})",
        ["№", "Показатель", "Ед.", "", *[c.label for c in p.checkpoints]],
        [
            (
                i.code,
                i.name,
                i.unit,
                arrows[i.direction],
                *("—" if v is None else f"{v:g}" for v in i.targets),
            )
            for i in p.indicators
        ],
    )


def organizations(program: ProgramOpt = None, as_json: JsonOpt = False) -> None:
    """Организации-исполнители и получатели отчётов.

    Пример: roadmap organizations --json
    """
    p = _load(program)
    if as_json:
        print_json([o.model_dump(mode="json") for o in p.organizations])
        return
    table(
        f"Организации ({len(p.organizations)})",
        ["id", "Название", "Вид", "Отчитывается через"],
        [(o.id, o.short_name, o.kind, o.reports_via or "") for o in p.organizations],
    )


def obligations(
    date_from: Annotated[
        str | None, typer.Option("--from", help="Срок не раньше (ГГГГ-ММ-ДД).")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Срок не позже (ГГГГ-ММ-ДД).")] = None,
    activity: Annotated[
        str | None, typer.Option("--activity", help="Номер мероприятия, например 6.1.")
    ] = None,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Организация: владелец или отчитывающийся за него орган."),
    ] = None,
    program: ProgramOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Обязательства программы: что, за какой период, к какому сроку и кто должен.

    Пример: roadmap obligations --from 2025-07-01 --to 2025-09-30 --org minobr --json
    """
    start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    p = _load(program)
    if activity and activity.rstrip(".") not in p.activity_map:
        fail(f"--activity: мероприятия «{activity}» нет в программе")
    if org and org not in p.orgs:
        fail(f"--org: организации «{org}» нет в программе")
    try:
        items = expand_obligations(p)
    except RoadmapError as exc:
        fail_with(exc)
    selected = [o for o in items if _matches(o, p, start, end, activity, org)]
    if as_json:
        print_json([o.to_json() for o in selected])
        return
    table(
        f"Обязательства ({len(selected)})",
        ["№", "Период", "Открывается", "Срок", "Кто должен", "Документ"],
        [
            (
                o.activity or ("сводный отчёт" if o.report_kind == "consolidated" else "отчёт"),
                o.period.label,
                o.opens.isoformat(),
                o.due.isoformat(),
                ", ".join(o.owners),
                o.evidence,
            )
            for o in selected
        ],
    )


def _matches(o: Obligation, p: Program, start, end, activity, org) -> bool:  # type: ignore[no-untyped-def]
    if start and o.due < start or end and o.due > end:
        return False
    if activity and o.activity != activity.rstrip("."):
        return False
    if org and org not in o.owners and all(p.reporting_body(x) != org for x in o.owners):
        return False
    return True


def import_program(
    source: Annotated[Path, typer.Argument(help="Документ программы: выгрузка .txt или .docx.")],
    out: Annotated[
        Path, typer.Option("--out", help="Куда записать activities.yaml и indicators.yaml.")
    ],
    program: Annotated[
        Path | None,
        typer.Option(
            "--program", help="Программа, чей реестр организаций и ручные правки использовать."
        ),
    ] = None,
) -> None:
    """Импортировать таблицы показателей и дорожной карты из документа программы.

    Реестр организаций (organizations.yaml) и проверенные вручную поля (краткие названия,
    направления показателей) берутся из --program. Файлы пишутся, только если импорт прошёл
    без ошибок.

    Пример: roadmap import ../shared/seeds/003_b751f6892e4af96a.txt --out /tmp/import
    """
    base = _load(program)
    try:
        result = program_init.import_tables(source, base)
    except RoadmapError as exc:
        fail_with(exc)
    program_init.write_import(result, out)
    console.print(
        f"Импортировано: разделов {len(result.sections)}, мероприятий {len(result.activities)}, "
        f"показателей {len(result.indicators)} → {out}"
    )
    for item in result.review:
        console.print(f"  проверить: {item}")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
    app.command("activities")(activities)
    app.command("indicators")(indicators)
    app.command("organizations")(organizations)
    app.command("obligations")(obligations)
    app.command("import")(import_program)
