"""Incoming mail: the program mailbox read every few minutes, replies to its letters recorded."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from flows.forms import Day, run_date, titled
from services.mail import fetch_mail, mail_summary


def _run_name() -> str:
    moment = runtime.run_moment(flow_run.parameters.get("as_of"))
    local = moment.astimezone(runtime.rt().zone)
    return runtime.run_name(f"Входящая почта — {local:%d.%m.%Y %H:%M}")


@flow(name="Входящая почта", flow_run_name=_run_name)
def incoming_mail(
    as_of: Day = run_date("Каким днём учесть поступившие письма"),
    program: str = titled("", "Программа", "Какая программа: задаётся развёртыванием"),
) -> dict[str, Any]:
    """Входящая почта: документы из ответов исполнителей на письма Программы учитываются,
    отправителям направляются подтверждения, письма раскладываются по папкам ящика."""
    rt = runtime.rt(program)
    if rt.settings.imap_url is None:
        publish.log(["Почтовый ящик программы не задан (ROADMAP_IMAP_URL): письма не читаются."])
        return {"read": 0}
    report = fetch_mail(rt, now=runtime.run_moment(as_of) if as_of else None)
    summary = mail_summary(report)
    if report.read:
        publish.markdown("mail", "Входящая почта", "\n".join(f"- {x}" for x in report.lines))
    publish.log([*report.lines, summary])
    return {
        "read": report.read,
        "accepted": len(report.accepted),
        "refused": len(report.refused),
        "not_ours": len(report.not_ours),
        "documents": report.documents,
    }
