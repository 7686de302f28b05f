"""Notification commands: contacts, the daily sweep by hand, the outbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from cli import context
from cli.output import console, fail, fail_with, print_json, table
from roadmap.errors import RoadmapError
from roadmap.obligations.keys import local_id
from roadmap.program.contacts import load_contacts
from roadmap.words.wording import plural_ru
from services import contacts as contacts_service
from services import program as services_program
from services.runtime import Runtime
from services.sweep import sweep_day

contacts = typer.Typer(help="Контакты для уведомлений.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Вывести JSON.")]


@contacts.command("load")
def contacts_load(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Файл контактов (по умолчанию contacts_file программы или ROADMAP_CONTACTS_FILE)."
        ),
    ] = None,
) -> None:
    """Загрузить контакты из файла: новые добавляются, исчезнувшие отключаются.

    Пример: roadmap contacts load examples/contacts.example.yaml
    """
    program = context.program()
    path = file or context.rt().contacts_file
    if path is None:
        fail("укажите файл контактов, contacts_file программы или ROADMAP_CONTACTS_FILE")
    try:
        specs = load_contacts(path, program)
    except RoadmapError as exc:
        fail_with(exc, "в файле контактов")
    with context.plain_errors():
        added, changed, off = services_program.load_contacts(
            context.rt(), specs, by=context.whoami()
        )
    console.print(f"Контакты загружены: добавлено {added}, изменено {changed}, отключено {off}.")


@contacts.command("list")
def contacts_list(as_json: JsonOpt = False) -> None:
    """Действующие контакты.

    Пример: roadmap contacts list --json
    """
    context.program()
    with context.plain_errors():
        rows = contacts_service.active(context.rt())
    if as_json:
        print_json([c.__dict__ for c in rows])
        return
    columns = ["Организация", "Роль", "Имя", "E-mail", "Telegram", "MAX", "Сводка"]
    table(
        f"Контакты ({len(rows)})",
        columns,
        [
            (
                c.org,
                c.role,
                c.name,
                c.email or "",
                c.telegram_chat_id or "",
                c.max_id or "",
                "да" if c.digest else "нет",
            )
            for c in rows
        ],
    )


@contacts.command("forget")
def contacts_forget(
    name: Annotated[str, typer.Option("--name", help="Имя человека, как в файле контактов.")],
) -> None:
    """Удалить персональные данные человека: имя и адреса в контактах и в исходящих.

    Пример: roadmap contacts forget --name "Анна Петровна Иванова"
    """
    with context.plain_errors():
        n = contacts_service.forget(context.rt(), name=name, by=context.whoami())
    if not n:
        fail(f"контакт «{name}» не найден")
    console.print(f"Удалены данные контакта «{name}» (записей: {n}).")


def notify(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="День (ГГГГ-ММ-ДД); время — 10:00 этого дня. По умолчанию сейчас."
        ),
    ] = None,
    send: Annotated[
        bool, typer.Option("--send/--no-send", help="Отправить или только записать в исходящие.")
    ] = True,
) -> None:
    """Ежедневный обход: просрочки, напоминания и эскалации, отправка исходящих.

    Пример: roadmap notify --as-of 2025-04-08
    """
    day = context.program_day(as_of, "--as-of")
    runtimes = context.runtimes()
    if send:
        context.check_transports()
    for rt in runtimes:
        with context.plain_errors():
            _notify_one(rt, day, send, named=len(runtimes) > 1)


def _notify_one(rt: Runtime, day: dt.date | None, send: bool, *, named: bool) -> None:
    now = rt.morning(day) if day else rt.now()
    day = day or rt.today()
    report = sweep_day(rt, as_of=day, now=now, send=send)
    who = f"{rt.program.region}: " if named else ""
    console.print(
        f"{who}Обход на {day:%d.%m.%Y}: просрочено отмечено {report.marked_overdue}, "
        f"шагов лестницы {len(report.plan.steps)}, записано сообщений {report.plan.recorded}."
    )
    if report.plan.unaddressed:
        n = len(report.plan.unaddressed)
        console.print(
            f"[yellow]Нет получателей для шагов: {n}. "
            "Загрузите контакты: roadmap contacts load[/yellow]"
        )
    d = report.delivery
    if d is not None:
        if d.skipped_quiet_hours:
            console.print("Сейчас нерабочее время: сообщения ждут 09:00 рабочего дня.")
        else:
            console.print(
                f"Отправлено сообщений: {d.messages} "
                f"({len(d.sent)} {plural_ru(len(d.sent), 'пункт', 'пункта', 'пунктов')}), "
                f"повтор позже: {len(d.retried)}, не доставлено: {len(d.failed)}."
            )


def outbox(
    state: Annotated[
        str | None, typer.Option("--state", help="pending, sending, sent или failed.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Исходящие сообщения: что отправлено, что ждёт, что не доставлено.

    Пример: roadmap outbox --state failed
    """
    with context.plain_errors():
        rows = services_program.outbox(context.rt(), [state] if state else None)
    if as_json:
        print_json(
            [
                {
                    "id": r.id,
                    "date": r.scheduled_for,
                    "obligation": r.obligation_id,
                    "activity": r.activity,
                    "period": r.period,
                    "step": r.step,
                    "recipient_org": r.recipient_org,
                    "recipient_role": r.recipient_role,
                    "recipient_name": r.recipient_name,
                    "address": r.address,
                    "channel": r.channel,
                    "state": r.state,
                    "attempts": r.attempts,
                    "sent_at": r.sent_at,
                    "last_error": r.last_error,
                }
                for r in rows
            ]
        )
        return
    table(
        f"Исходящие ({len(rows)})",
        ["Дата", "Обязательство", "Шаг", "Кому", "Канал", "Состояние", "Попыток", "Ошибка"],
        [
            (
                r.scheduled_for,
                local_id(r.obligation_id),
                r.step,
                f"{r.recipient_org}/{r.recipient_role}",
                r.channel,
                r.state,
                r.attempts,
                r.last_error or "",
            )
            for r in rows
        ],
    )


def register(app: typer.Typer) -> None:
    app.add_typer(contacts, name="contacts")
    app.command("notify")(notify)
    app.command("outbox")(outbox)
