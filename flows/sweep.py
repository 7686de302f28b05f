"""The daily escalation sweep: everything the per-activity schedules could not catch."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from services.status import status_on
from services.sweep import sweep_day


def _run_name() -> str:
    return f"Ежедневный обход — {runtime.run_day(flow_run.parameters.get('as_of')):%d.%m.%Y}"


@flow(name="Ежедневный обход", flow_run_name=_run_name)
def daily_sweep(as_of: str | None = None, program: str | None = None) -> dict[str, Any]:
    """Ежедневный обход: просрочки, пропущенные напоминания и эскалации, отправка исходящих."""
    rt = runtime.rt(program)
    day, now = runtime.run_day(as_of), runtime.run_moment(as_of)
    report = sweep_day(rt, as_of=day, now=now)
    status = status_on(rt, day)
    names = {o.id: o.short_name for o in rt.program.organizations}
    publish.markdown(
        "sweep-status",
        f"Состояние дорожной карты на {day:%d.%m.%Y}",
        publish.status_markdown(status, names) + "\n\n" + publish.sweep_summary(report),
    )
    publish.progress(
        "share-done", "Доля выполненных обязательств со сроком до даты", publish.share_done(status)
    )
    rates = [{**r.to_json(), "org": names.get(r.org, r.org)} for r in status.rates]
    publish.table("rates", "Полнота и своевременность по исполнителям", rates)
    if report.plan.unaddressed:
        publish.markdown(
            "sweep-unreached",
            "Кому не удалось направить сообщения",
            publish.unreached_markdown(report.plan.unaddressed, rt.program),
        )
    publish.raise_on_failed(report)
    delivery = report.delivery
    return {
        "as_of": day.isoformat(),
        "overdue_marked": report.marked_overdue,
        "recorded": report.plan.recorded,
        "sent": len(delivery.sent) if delivery else 0,
    }
