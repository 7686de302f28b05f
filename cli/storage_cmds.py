"""Storage commands: sync, status, submit, review, extend, na, evidence."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from cli import context
from cli.output import console, fail, parse_date, print_json, table
from roadmap.dates.periods import parse_period
from roadmap.obligations.keys import local_id
from roadmap.obligations.states import state_ru
from roadmap.reports.actuals import InvalidValue, parse_value
from roadmap.reports.doc_details import DocumentDetails, clean_details
from roadmap.words.labels import review_word
from services import answers, extensions
from services import files as services_files
from services import program as services_program
from services import status as services_status
from services.status import StatusReport

ObligationOpt = Annotated[
    str,
    typer.Option(
        "--obligation",
        help="Id обязательства, например 6.1:2025-03.",
        callback=context.qualify_obligation,
    ),
]
ByOpt = Annotated[
    str | None,
    typer.Option("--by", help="Кто (по умолчанию — пользователь системы).", callback=context.BY),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Вывести JSON.")]
DocTypeOpt = Annotated[
    str | None,
    typer.Option(
        "--doc-type", help="Вид документа: постановление, приказ, …", callback=context.DOC_TYPE
    ),
]
DocNumberOpt = Annotated[
    str | None,
    typer.Option("--doc-number", help="Номер документа.", callback=context.DOC_NUMBER),
]
CHANNEL = "cli"


def sync(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="День загрузки (ГГГГ-ММ-ДД): напоминания считаются с него.",
        ),
    ] = None,
) -> None:
    """Загрузить программу в базу (все программы ROADMAP_PROGRAMS, если не указана --program).

    Вместе с программой загружаются её контакты, если у неё есть свой файл контактов
    (contacts_file в program.yaml или contacts.yaml в папке программы). Повторная загрузка
    ничего не меняет.

    Пример: roadmap sync --as-of 2025-01-09
    """
    day = context.program_day(as_of, "--as-of")
    for rt in context.runtimes():
        with context.plain_errors():
            p = rt.program
            at = rt.morning(day) if day else None
            loaded = services_program.sync_with_contacts(rt, by=context.whoami(), at=at)
        report = loaded.sync
        if loaded.contacts is not None:
            added, changed, off = loaded.contacts
            console.print(
                f"Контакты программы {p.id} из {loaded.contacts_file}: добавлено {added}, "
                f"изменено {changed}, отключено {off}."
            )
        if not report.changed:
            console.print(
                f"Программа {p.id} уже загружена (версия {report.version}): изменений нет."
            )
            continue
        summary = report.summary()
        console.print(
            f"Программа {p.id} загружена, версия {report.version}"
            + (f" (была {report.previous_version})" if report.previous_version else "")
            + f": создано {summary['created']}, пересчитано {summary['recomputed']}, "
            f"отменено {summary['cancelled']}, восстановлено {summary['reopened']}, "
            f"сохранено представленных {summary['kept_submitted']}."
        )


def status(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="На какую дату (ГГГГ-ММ-ДД); по умолчанию сегодня."),
    ] = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Только обязательства организации.")
    ] = None,
    by_org: Annotated[
        bool, typer.Option("--by-org", help="Добавить полноту и своевременность по исполнителям.")
    ] = False,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="Полнота и своевременность за период, как в сводном отчёте (2025-H1, 2025); "
            "по умолчанию с начала программы.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Состояние обязательств на дату: просроченные, со сроком скоро, выполненные.

    Пример: roadmap status --as-of 2025-08-01 --org minobr --json --by-org --period 2025-H1
    """
    context.program()
    day = context.program_day(as_of, "--as-of") or context.today()
    with context.plain_errors():
        span = parse_period(period) if period else None
        report = services_status.status_on(context.rt(), day, org=org, period=span)
    if as_json:
        _print_status_json(report, day, by_org=by_org)
    else:
        _print_status_tables(report, day, by_org=by_org)


def _print_status_json(report: StatusReport, day: dt.date, *, by_org: bool) -> None:
    items = [i.to_json() for i in report.items]
    if by_org:
        print_json(
            {
                "as_of": day.isoformat(),
                "basis": report.basis.text if report.basis else None,
                "obligations": items,
                "rates": [r.to_json() for r in report.rates],
            }
        )
    else:
        print_json(items)


def _print_status_tables(report: StatusReport, day: dt.date, *, by_org: bool) -> None:
    """The counts by status, a table per status that matters, and the rates if asked."""
    counts = Counter(i.word for i in report.items)
    console.print(
        f"Состояние на {day:%d.%m.%Y}: "
        + ", ".join(f"{k} — {v}" for k, v in sorted(counts.items()))
    )
    for kind, title in (
        ("overdue", "Просрочено"),
        ("due_soon", "Срок в ближайшие 10 рабочих дней"),
        ("done", "Получено (выполнено или на проверке)"),
    ):
        rows = [i for i in report.items if i.entry.status == kind]
        if not rows:
            continue
        table(
            f"{title} ({len(rows)})",
            ["Обязательство", "Период", "Срок", "Кто должен", "Состояние", "Дней просрочки"],
            [
                (
                    local_id(i.facts.id),
                    i.period,
                    f"{i.facts.due:%d.%m.%Y}",
                    ", ".join(i.facts.owners),
                    state_ru(i.state),
                    i.entry.overdue_working_days or "",
                )
                for i in rows
            ],
        )
    if by_org:
        basis = f": {report.basis.text}" if report.basis else ""
        table(
            f"Полнота и своевременность{basis}",
            [
                "Организация",
                "Срок наступил",
                "Выполнено",
                "В срок",
                "С нарушением срока",
                "Не выполнено",
                "Полнота",
                "Своевременность",
            ],
            [
                (
                    r.org,
                    r.due,
                    r.fulfilled,
                    r.on_time,
                    r.late,
                    r.not_done,
                    _pct(r.completeness),
                    _pct(r.timeliness),
                )
                for r in report.rates
            ],
        )


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.0%}"


submit = typer.Typer(help="Представить документ или значение показателя.", no_args_is_help=True)


@submit.command("evidence")
def submit_evidence(
    obligation: ObligationOpt,
    file: Annotated[Path, typer.Option("--file", help="Файл документа.")],
    doc_type: DocTypeOpt = None,
    doc_number: DocNumberOpt = None,
    doc_date: Annotated[
        str | None, typer.Option("--doc-date", help="Дата документа (ГГГГ-ММ-ДД).")
    ] = None,
    doc_title: Annotated[
        str | None,
        typer.Option("--doc-title", help="Наименование документа.", callback=context.DOC_TITLE),
    ] = None,
    effective: Annotated[
        str | None,
        typer.Option(
            "--effective",
            help="С какой даты документ учитывается (ГГГГ-ММ-ДД); по умолчанию — его дата.",
        ),
    ] = None,
    by: ByOpt = None,
    org: Annotated[str | None, typer.Option("--org", help="От какой организации.")] = None,
    comment: Annotated[
        str | None, typer.Option("--comment", help="Комментарий.", callback=context.COMMENT)
    ] = None,
) -> None:
    """Представить документ по обязательству (новая версия, прежние сохраняются).

    В сводном отчёте документ называется по реквизитам: вид, дата, номер, наименование.

    Пример: roadmap submit evidence --obligation 6.1:2025-03 --file отчёт.pdf
    --doc-type "статистический отчет" --doc-number 12-с --doc-date 2025-04-03
    """
    day = parse_date(effective, "--effective")
    dated = parse_date(doc_date, "--doc-date")
    if not file.is_file():
        fail(f"--file: файл «{file}» не найден")
    try:
        stream = file.open("rb")
    except OSError as exc:
        fail(f"--file: не удалось прочитать «{file}»: {exc.strerror}")
    with stream, context.plain_errors():
        details = clean_details(doc_type=doc_type, number=doc_number, date=dated, title=doc_title)
        ev = answers.submit_document(
            context.rt(),
            obligation_id=obligation,
            stream=stream,
            name=file.name,
            who=context.who(by, org),
            effective=day,
            comment=comment,
            details=details,
        )
    console.print(
        f"Документ принят на проверку: {ev.obligation_id}, версия {ev.version}, "
        f"{ev.media_type}, sha256 {ev.sha256[:12]}…"
    )


@submit.command("indicator")
def submit_indicator(
    indicator: Annotated[str, typer.Option("--indicator", help="Код показателя, например 1.1.")],
    period: Annotated[
        str,
        typer.Option("--period", help="Контрольная точка (2025-H1, 2025, …) или месяц ГГГГ-ММ."),
    ],
    org: Annotated[str, typer.Option("--org", help="Организация, дающая значение.")],
    value: Annotated[str, typer.Option("--value", help="Значение (число).")],
    explanation: Annotated[
        str | None,
        typer.Option("--explanation", help="Пояснение к отклонению.", callback=context.EXPLANATION),
    ] = None,
    by: ByOpt = None,
) -> None:
    """Внести фактическое значение ключевого показателя.

    Пример: roadmap submit indicator --indicator 1.1 --period 2025-03 --org minsoc --value 812
    """
    try:
        number = parse_value(value)
    except InvalidValue as exc:
        fail(f"--value: {exc.message}")
    context.program()
    with context.plain_errors():
        row = answers.give_value(
            context.rt(),
            indicator=indicator,
            period=period,
            value=number,
            who=context.who(by, org),
            explanation=explanation,
        )
    target = "" if row.target is None else f" (цель {row.target:g})"
    console.print(f"Значение показателя {indicator} за {period} от {org}: {number:g}{target}.")


@submit.command("target")
def submit_target(
    activity: Annotated[str, typer.Option("--activity", help="Номер мероприятия, например 3.2.")],
    value: Annotated[str, typer.Option("--value", help="Достигнутое значение (число).")],
    period: Annotated[
        str, typer.Option("--period", help="За какой период (2025, 2025-H1, 2025-03…).")
    ],
    org: Annotated[str, typer.Option("--org", help="Организация, дающая значение.")],
    target: Annotated[int, typer.Option("--target", help="Номер цели мероприятия (с 1).")] = 1,
    comment: Annotated[
        str | None, typer.Option("--comment", help="Комментарий.", callback=context.COMMENT)
    ] = None,
    by: ByOpt = None,
) -> None:
    """Внести достигнутое значение по количественной цели мероприятия.

    Пример: roadmap submit target --activity 3.2 --value 12 --period 2025 --org minsoc
    """
    try:
        number = parse_value(value)
    except InvalidValue as exc:
        fail(f"--value: {exc.message}")
    p = context.program()
    with context.plain_errors():
        answers.give_target_value(
            context.rt(),
            activity=activity,
            target=target,
            period=period,
            value=number,
            who=context.who(by, org),
            comment=comment,
        )
    t = p.activity_map[activity].targets[target - 1]
    console.print(f"Мероприятие {activity}: «{t.text}» — достигнуто {number:g} ({period}).")


def review(
    obligation: ObligationOpt,
    accept: Annotated[
        bool, typer.Option("--accept/--reject", help="Принять или вернуть на доработку.")
    ],
    comment: Annotated[
        str | None,
        typer.Option("--comment", help="Комментарий проверяющего.", callback=context.COMMENT),
    ] = None,
    version: Annotated[
        int | None,
        typer.Option(
            "--version",
            help="Какую версию вы проверили (из roadmap evidence); если с тех пор пришла "
            "новая, решение не записывается.",
        ),
    ] = None,
    by: ByOpt = None,
) -> None:
    """Принять последнюю версию документа или вернуть её на доработку.

    Пример: roadmap review --obligation 6.1:2025-03 --version 2 --reject --comment "нет подписи"
    """
    with context.plain_errors():
        ev = answers.review(
            context.rt(),
            obligation_id=obligation,
            accept=accept,
            comment=comment,
            who=context.who(by),
            version=version,
        )
    verdict = "принят" if accept else "возвращён на доработку"
    console.print(f"Документ {ev.obligation_id}, версия {ev.version}: {verdict}.")


def na(
    obligation: ObligationOpt,
    reason: Annotated[
        str,
        typer.Option("--reason", help="Почему обязательство неприменимо.", callback=context.REASON),
    ],
    by: ByOpt = None,
) -> None:
    """Объявить обязательство неприменимым (с причиной); напоминания по нему прекращаются.

    Пример: roadmap na --obligation 5.2:2025-Q3 --reason "курсы перенесены решением КДНиЗП"
    """
    with context.plain_errors():
        row = answers.not_applicable(
            context.rt(), obligation_id=obligation, reason=reason, who=context.who(by)
        )
    console.print(f"Обязательство {row.id} объявлено неприменимым.")


extend = typer.Typer(help="Переносы сроков: запрос, решение, список.", no_args_is_help=True)


@extend.command("request")
def extend_request(
    obligation: ObligationOpt,
    until: Annotated[str, typer.Option("--until", help="Новый срок (ГГГГ-ММ-ДД).")],
    reason: Annotated[
        str, typer.Option("--reason", help="Причина переноса.", callback=context.REASON)
    ],
    by: ByOpt = None,
) -> None:
    """Запросить перенос срока обязательства.

    Пример: roadmap extend request --obligation 1.8:2026-06 --until 2026-07-31 --reason "…"
    """
    day = parse_date(until, "--until")
    assert day is not None
    with context.plain_errors():
        ext = extensions.request(
            context.rt(),
            obligation_id=obligation,
            until=day,
            reason=reason,
            by=by or context.whoami(),
            channel=CHANNEL,
        )
    console.print(
        f"Запрос на перенос №{ext.id}: {ext.previous_due:%d.%m.%Y} → {ext.requested_due:%d.%m.%Y}."
    )


def _decide(extension_id: int, approve: bool, comment: str | None, by: str | None) -> None:
    with context.plain_errors():
        ext = extensions.decide(
            context.rt(),
            extension_id=extension_id,
            approve=approve,
            by=by or context.whoami(),
            comment=comment,
            channel=CHANNEL,
        )
    verdict = "одобрен: новый срок " + f"{ext.requested_due:%d.%m.%Y}" if approve else "отклонён"
    console.print(f"Перенос №{ext.id} {verdict}.")


@extend.command("approve")
def extend_approve(
    extension_id: Annotated[int, typer.Option("--id", help="Номер запроса.")],
    comment: Annotated[
        str | None, typer.Option("--comment", help="Комментарий.", callback=context.COMMENT)
    ] = None,
    by: ByOpt = None,
) -> None:
    """Одобрить перенос срока: срок меняется, напоминания пересчитываются.

    Пример: roadmap extend approve --id 3
    """
    _decide(extension_id, True, comment, by)


@extend.command("refuse")
def extend_refuse(
    extension_id: Annotated[int, typer.Option("--id", help="Номер запроса.")],
    comment: Annotated[
        str, typer.Option("--comment", help="Причина отказа.", callback=context.COMMENT)
    ],
    by: ByOpt = None,
) -> None:
    """Отказать в переносе срока (с причиной).

    Пример: roadmap extend refuse --id 3 --comment "срок установлен постановлением"
    """
    _decide(extension_id, False, comment, by)


@extend.command("list")
def extend_list(as_json: JsonOpt = False) -> None:
    """Все запросы на перенос сроков и решения по ним.

    Пример: roadmap extend list --json
    """
    with context.plain_errors():
        rows = extensions.extensions(context.rt())
    data = [r.model_dump(mode="json") for r in rows]
    if as_json:
        print_json(data)
        return
    table(
        f"Переносы сроков ({len(rows)})",
        ["№", "Обязательство", "Было", "Просят", "Причина", "Решение"],
        [(r.id, r.obligation_id, r.previous_due, r.requested_due, r.reason, r.state) for r in rows],
    )


def evidence(
    obligation: ObligationOpt,
    as_json: JsonOpt = False,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            help="Сохранить документы из хранилища в эту папку (v<версия>-<имя>), "
            "с проверкой хэша.",
        ),
    ] = None,
    version: Annotated[
        int | None, typer.Option("--version", help="Только эту версию (с --save).")
    ] = None,
) -> None:
    """Версии документов по обязательству; с --save — сами документы из хранилища.

    Пример: roadmap evidence --obligation 6.1:2025-03 --save проверка/
    """
    with context.plain_errors():
        rows = services_status.evidence_versions(context.rt(), obligation)
    if save is not None:
        with context.plain_errors():
            saved = services_files.save_evidence(
                context.rt(), obligation_id=obligation, folder=save, version=version
            )
        for path in saved:
            console.print(f"Сохранено: {path}")
        return
    if as_json:
        print_json([r.model_dump(mode="json") for r in rows])
        return
    table(
        f"Документы ({len(rows)})",
        ["Версия", "Документ", "Файл", "Учитывается с", "Кто", "Канал", "sha256", "Проверка"],
        [
            (
                r.version,
                DocumentDetails(r.doc_type, r.doc_number, r.doc_date, r.doc_title).text() or "—",
                r.original_name,
                r.effective_date,
                r.submitted_by,
                r.channel,
                r.sha256[:12],
                review_word(r.review_state),
            )
            for r in rows
        ],
    )


def register(app: typer.Typer) -> None:
    app.command("sync")(sync)
    app.command("status")(status)
    app.add_typer(submit, name="submit")
    app.command("review")(review)
    app.command("na")(na)
    app.add_typer(extend, name="extend")
    app.command("evidence")(evidence)
