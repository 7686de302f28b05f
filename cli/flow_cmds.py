"""Orchestration commands: prefect.yaml, the whole system on one machine, agenda items."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path
from typing import Annotated

import typer

from cli import context
from cli.intake_cmds import check_intake_host, intake_command
from cli.output import console, fail
from flows.deployments import prefect_yaml, stack_specs
from flows.stack import Stack, StackError
from roadmap.dates.periods import parse_period
from roadmap.errors import RoadmapError
from services import commission
from services.prefect_calls import PrefectCallCut

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def deployments(
    out: Annotated[Path, typer.Option("--out", help="Куда записать.")] = Path("prefect.yaml"),
    check: Annotated[
        bool, typer.Option("--check", help="Только проверить, что файл актуален.")
    ] = False,
) -> None:
    """Записать prefect.yaml со всеми развёртываниями и расписаниями из данных программ.

    Пример: roadmap deployments --check
    """
    with context.plain_errors():
        programs = [(r.program, r.calendar) for r in context.runtimes()]
    zone = context.settings().federal_timezone
    text = prefect_yaml(stack_specs(programs, federal_timezone=zone))
    if check:
        if not out.exists() or out.read_text("utf-8") != text:
            fail(f"{out} устарел: выполните roadmap deployments")
        console.print(f"{out} актуален.")
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"Записано {out}: развёртываний {text.count('- name: ')}.")


def up(
    host: Annotated[str, typer.Option("--host", help="Адрес сервера Prefect.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Порт сервера Prefect.")] = 4200,
    program: Annotated[
        str | None,
        typer.Option(
            "--program",
            help="Стек одного региона: свой сервер Prefect, своя строка входа и своя "
            "страница приёма документов (id программы или папка).",
        ),
    ] = None,
    federal: Annotated[
        bool,
        typer.Option("--federal", help="Стек федерального аппарата: только федеральный свод."),
    ] = False,
    intake_port: Annotated[
        int | None,
        typer.Option(
            "--intake-port", help="Порт страницы приёма (по умолчанию ROADMAP_INTAKE_PORT)."
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", help="Обслуживать только первые N развёртываний (для проверки)."),
    ] = None,
) -> None:
    """Запустить всё на одной машине: сервер Prefect, загрузку программы, все развёртывания.

    Без --program и --federal — один сервер для всех регионов и федерального свода (один
    оператор). С --program — стек одного региона: его развёртывания, его строка входа
    (ROADMAP_HOME/stacks/<программа>/prefect-auth), его страница приёма; люди другого региона
    в него не войдут. С --federal — сервер федерального аппарата с федеральным сводом по всем
    регионам ROADMAP_PROGRAMS.
    Сервер Prefect всегда требует строку входа «пользователь:пароль»: из ROADMAP_PREFECT_AUTH_STRING
    или созданную при первом запуске. Адрес --host, отличный от 127.0.0.1, допускается только с
    заданной ROADMAP_PREFECT_AUTH_STRING.
    Останавливается по Ctrl-C, SIGTERM, SIGHUP (закрыт терминал) или SIGQUIT вместе со всем,
    что запустило; не запускается, если порт уже занят (называет занявший его процесс).

    Пример: roadmap up --program samarskaya-oblast-2025-2026 --port 4210 --intake-port 8310
    """
    _stop_on_signals()
    stack = _stack(host, port, program, federal, intake_port)
    try:
        _run(stack, limit)
    except (RoadmapError, StackError, PrefectCallCut) as exc:
        console.print(f"[red]Ошибка:[/red] {exc}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        pass
    except Exception as exc:  # the face reports, it does not dump a traceback
        console.print(f"[red]Ошибка:[/red] {type(exc).__name__}: {exc}")
    finally:
        for stop_signal in STOP_SIGNALS:  # a second signal must not cut the stopping short
            signal.signal(stop_signal, signal.SIG_IGN)
        stack.stop()
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
            console.print("Остановлено.")


def _stop_on_signals() -> None:
    """Ctrl-C works even if a parent shell started us with SIGINT ignored; SIGTERM (systemd,
    `kill`), SIGHUP (the terminal closed) and SIGQUIT (Ctrl-\\) become a Ctrl-C, which
    asyncio (inside serve) turns into a clean shutdown: the children, in sessions of their
    own, hear none of these and are stopped by us."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for stop_signal in STOP_SIGNALS[1:]:
        signal.signal(stop_signal, lambda *_: os.kill(os.getpid(), signal.SIGINT))


def _stack(
    host: str, port: int, program: str | None, federal: bool, intake_port: int | None
) -> Stack:
    """The stack the options ask for, refused in Russian before anything starts."""
    if program is not None and federal:
        fail("--program и --federal: укажите что-то одно")
    if program is not None:
        context.choose_program(program)
    with context.plain_errors():  # every program loads before anything starts
        rt = context.rt()
        lane = "federal" if federal else "program" if rt.selected is not None else "all"
        stack = Stack(rt, host, port, lane=lane, intake_port=intake_port)
        console.print(f"Стек: {stack.serves}.")
    settings = context.settings()
    try:
        stack.check()
    except StackError as exc:
        fail(str(exc))
    check_intake_host(settings, settings.intake_host)
    return stack


def _run(stack: Stack, limit: int | None) -> None:
    """Start the server (syncing and planning meanwhile), the intake page, then serve."""
    reports = []

    def meanwhile() -> None:  # what needs no server, done while it starts
        reports.extend(stack.prepare())
        stack.plan(limit)

    with console.status("Запускается сервер Prefect, загружаются программы…"):
        stack.start_server(meanwhile=meanwhile)
    console.print(stack.login)
    for report in reports:
        console.print(f"Программа {report.program}: версия {report.version}.")
    settings = stack.rt.settings
    port = stack.intake_port or settings.intake_port
    stack.start_intake(intake_command(settings.intake_host, port))
    stack.serve(limit, lambda count: _ready(stack, count))


def _ready(stack: Stack, count: int) -> None:
    """What a person needs once every deployment is registered: where to go."""
    intake_url = stack.environment()["ROADMAP_PUBLIC_BASE_URL"]
    console.print(f"Интерфейс Prefect: {stack.ui}  (развёртываний: {count}; Ctrl-C — остановить)")
    if (r := stack.registration) is not None:
        console.print(
            f"Развёртывания зарегистрированы за {r.seconds:.1f} с: новых и изменённых "
            f"{r.sent}, без изменений {r.kept}, приостановлено лишних {r.paused}."
        )
    console.print(f"Страница приёма документов: {intake_url}")


agenda = typer.Typer(
    help="Предложения в повестку заседания комиссии (мероприятие 2.1).", no_args_is_help=True
)


@agenda.command("add")
def agenda_add(
    quarter: Annotated[str, typer.Option("--quarter", help="Квартал заседания, например 2025-Q2.")],
    org: Annotated[str, typer.Option("--org", help="Кто предлагает.")],
    text: Annotated[str, typer.Option("--text", help="Предложение.", callback=context.TEXT)],
    by: Annotated[str | None, typer.Option("--by", help="Кто вносит.", callback=context.BY)] = None,
) -> None:
    """Внести предложение в повестку заседания комиссии.

    Пример: roadmap agenda add --quarter 2025-Q2 --org minobr --text "О практике возврата детей"
    """
    program = context.program()
    if org not in program.orgs:
        fail(f"--org: организации «{org}» нет в программе")
    try:
        meeting = parse_period(quarter)
    except RoadmapError as exc:
        fail(f"--quarter: {exc.message}")
    rt = context.rt()
    who = context.who(by)
    with context.plain_errors():
        commission.propose_agenda(
            rt, meeting=meeting, org=org, lines=[text], given_by=who.name, channel=who.channel
        )
    console.print(f"Предложение в повестку за {meeting.label} записано.")


def register(app: typer.Typer) -> None:
    app.command("deployments")(deployments)
    app.command("up")(up)
    app.add_typer(agenda, name="agenda")
