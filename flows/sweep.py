"""The daily escalation sweep: everything the per-activity schedules could not catch, and the
road map's current overview («Состояние дорожной карты») kept up to date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import journal, publish, runtime
from flows.forms import Day, run_date, titled
from roadmap.views.mail import mail_markdown
from roadmap.views.overview import TITLE, overview_markdown, section_markdown
from services.mail import mail_received
from services.overview import overview_on
from services.status import status_on
from services.sweep import sent_to, sweep_day
from storage.status import StatusReport


def _run_name() -> str:
    day = runtime.run_day(flow_run.parameters.get("as_of"))
    return runtime.run_name(f"Ежедневный обход — {day:%d.%m.%Y}")


@flow(name="Ежедневный обход", flow_run_name=_run_name)
def daily_sweep(
    as_of: Day = run_date("На какой день отметить просроченное и разослать напоминания"),
    program: str = titled("", "Программа", "Какая программа: задаётся развёртыванием"),
) -> dict[str, Any]:
    """Ежедневный обход: просрочки, пропущенные напоминания и уведомления, отправка исходящих,
    обзор «Состояние дорожной карты»."""
    rt = runtime.rt(program)
    day, now = runtime.run_day(as_of), runtime.run_moment(as_of)
    report = sweep_day(rt, as_of=day, now=now)
    status = status_on(rt, day)
    names = {o.id: o.short_name for o in rt.program.organizations}
    publish_overview(day, status)
    publish.markdown(
        "sweep-status",
        f"Обход на {day:%d.%m.%Y}",
        publish.status_markdown(status, names) + "\n\n" + publish.sweep_summary(report),
    )
    publish.progress(
        "sweep-share-done",
        "Доля выполненных обязательств со сроком до даты",
        publish.share_done(status),
    )
    rows = publish.rates_rows(status, names)
    publish.table("sweep-rates", "Полнота и своевременность по исполнителям", rows)
    owners = {i.facts.id: i.facts.owners for i in status.items}
    unreached = journal.unreached_line(report.plan.unaddressed, owners, rt.program)
    if unreached:
        publish.markdown("sweep-unaddressed", "Кому не удалось написать", unreached)
    publish.log(
        [
            f"Обход на {day:%d.%m.%Y}: {publish.sweep_summary(report)}",
            *journal.ladder_lines(rt.program, report.plan, owners),
            journal.recipients_line(sent_to(rt, report), rt.program),
            *([unreached] if unreached else []),
        ]
    )
    publish.raise_on_failed(report)
    delivery = report.delivery
    return {
        "as_of": day.isoformat(),
        "overdue_marked": report.marked_overdue,
        "recorded": report.plan.recorded,
        "sent": len(delivery.sent) if delivery else 0,
    }


def overview_key(org: str | None = None) -> str:
    """The overview's artifact key under its program (``<program>-overview``), or one
    answering body's in it (``<program>-overview-<org>``)."""
    return f"overview-{org}" if org else "overview"


def publish_overview(day: dt.date, status: StatusReport) -> None:
    """Keep «Состояние дорожной карты» current: one artifact for the program, one per ministry
    (a run for a past date writes them under keys that say the date, beside the current)."""
    rt = runtime.rt()
    ov = overview_on(rt, day, status=status)
    title = f"{TITLE}: {rt.program.region}"
    mail = mail_markdown(mail_received(rt, day), day)
    publish.markdown_text(overview_key(), title, overview_markdown(ov) + "\n\n" + mail)
    for s in ov.sections:
        publish.markdown_text(overview_key(s.org), f"{title}, {s.name}", section_markdown(ov, s))
    publish.log(journal.overview_lines(ov))
