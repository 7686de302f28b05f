"""The daily escalation sweep: everything the per-activity schedules could not catch."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from notifications.sweep import run_sweep
from storage.db import session_scope
from storage.status import status_as_of


def _run_name() -> str:
    return f"Ежедневный обход — {runtime.run_day(flow_run.parameters.get('as_of')):%d.%m.%Y}"


@flow(name="Ежедневный обход", flow_run_name=_run_name)
def daily_sweep(as_of: str | None = None) -> dict[str, Any]:
    """Ежедневный обход: просрочки, пропущенные напоминания и эскалации, отправка исходящих."""
    program, cal = runtime.program(), runtime.calendar()
    day, now = runtime.run_day(as_of), runtime.run_moment(as_of)
    report = run_sweep(
        engine=runtime.engine(), program=program, as_of=day, now=now, calendar=cal,
        transports=runtime.transports(), link_for=runtime.link_for(now),
        max_attempts=runtime.settings().max_delivery_attempts,
        quiet_hours=runtime.settings().quiet_hours,
    )  # fmt: skip
    with session_scope(runtime.engine()) as s:
        status = status_as_of(session=s, program_id=program.id, as_of=day, calendar=cal)
    names = {o.id: o.short_name for o in program.organizations}
    d = report.delivery
    publish.markdown(
        "sweep-status", f"Состояние дорожной карты на {day:%d.%m.%Y}",
        publish.status_markdown(status, names)
        + f"\n\nОтмечено просроченными: {report.marked_overdue}. Шагов лестницы: "
        f"{len(report.plan.steps)}, записано сообщений: {report.plan.recorded}"
        + (f", отправлено: {len(d.sent)}, повтор позже: {len(d.retried)}, не доставлено: {len(d.failed)}." if d else "."),  # noqa: E501
    )  # fmt: skip
    publish.progress(
        "share-done", "Доля выполненных обязательств со сроком до даты", publish.share_done(status)
    )
    publish.table("rates", "Полнота и своевременность по исполнителям",
                  [{**r.to_json(), "org": names.get(r.org, r.org)} for r in status.rates])  # fmt: skip  # noqa: E501
    if report.plan.unaddressed:
        publish.markdown("unaddressed", "Шаги без получателей",
                         "Нет контактов для: " + ", ".join(sorted({o.split(":", 1)[1] for o, _ in report.plan.unaddressed})))  # noqa: E501  # fmt: skip
    if d and d.failed:
        raise RuntimeError(
            f"не доставлено сообщений: {len(d.failed)} (см. roadmap outbox --state failed)"
        )
    return {"as_of": day.isoformat(), "overdue_marked": report.marked_overdue,
            "recorded": report.plan.recorded, "sent": len(d.sent) if d else 0}  # fmt: skip
