"""Artifacts coordinators read in the Prefect UI: status, tables, progress, report links.

Keys must be ``[a-z0-9-]``; the Russian goes into descriptions and content.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
)

from notifications.planning import Unreached
from roadmap.program import Program
from roadmap.status import STATUS_RU
from roadmap.wording import ROLE_RU
from services.sweep import SweepReport
from storage.status import StatusReport


def _md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        lines.append(
            "| " + " | ".join(str(v).replace("|", "/").replace("\n", " ") for v in r) + " |"
        )
    return "\n".join(lines)


def markdown(key: str, title: str, body: str) -> None:
    create_markdown_artifact(key=key, markdown=f"# {title}\n\n{body}", description=title)


def table(key: str, title: str, rows: list[dict[str, Any]]) -> None:
    create_table_artifact(key=key, table=rows, description=title)


def progress(key: str, title: str, share: float) -> None:
    create_progress_artifact(progress=round(100 * share, 1), key=key, description=title)


def report_links(key: str, paths: Sequence[Path]) -> None:
    for i, p in enumerate(paths):
        create_link_artifact(
            key=f"{key}-{i + 1}",
            link=p.resolve().as_uri(),
            link_text=p.name,
            description=f"Файл отчёта: {p.name}",
        )


def sweep_summary(report: SweepReport) -> str:
    """What one sweep did, in a sentence."""
    d = report.delivery
    text = (
        f"Отмечено просроченными: {report.marked_overdue}. Шагов лестницы: "
        f"{len(report.plan.steps)}, записано сообщений: {report.plan.recorded}"
    )
    if d is None:
        return text + "."
    return (
        f"{text}, отправлено: {len(d.sent)}, повтор позже: {len(d.retried)}, "
        f"не доставлено: {len(d.failed)}."
    )


def raise_on_failed(report: SweepReport) -> None:
    """Fail the run when messages could not be delivered, so the UI shows it red."""
    failed = report.delivery.failed if report.delivery else []
    if failed:
        raise RuntimeError(
            f"не доставлено сообщений: {len(failed)} (см. roadmap outbox --state failed)"
        )


def status_markdown(report: StatusReport, org_names: dict[str, str]) -> str:
    counts: dict[str, int] = {}
    for i in report.items:
        counts[i.entry.status] = counts.get(i.entry.status, 0) + 1
    summary = ", ".join(f"{STATUS_RU[k]} — {v}" for k, v in sorted(counts.items()))
    overdue: dict[str, list[str]] = {}
    for i in report.items:
        if i.entry.status == "overdue":
            for o in i.facts.owners:
                overdue.setdefault(org_names.get(o, o), []).append(i.facts.id.split(":", 1)[1])
    rows = [
        (org, len(ids), ", ".join(ids[:8]) + (" …" if len(ids) > 8 else ""))
        for org, ids in sorted(overdue.items(), key=lambda kv: -len(kv[1]))
    ]
    text = f"На {report.as_of:%d.%m.%Y}: {summary}.\n\n"
    if rows:
        text += "## Просрочено по организациям\n\n" + _md_table(
            ["Организация", "Просрочено", "Обязательства"], rows
        )
    return text


def unreached_markdown(unreached: Sequence[Unreached], program: Program) -> str:
    """Whom the sweep could not reach (no contact), by organisation and role."""
    roles: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    for u in unreached:
        for org in u.orgs:
            name = program.orgs[org].short_name if org in program.orgs else org
            roles.setdefault(name, set()).update(ROLE_RU.get(r, r) for r in u.roles)
            count[name] = count.get(name, 0) + 1
    rows = [(name, ", ".join(sorted(roles[name])), count[name]) for name in sorted(roles)]
    return (
        "Нет контактов: эти сообщения не отправлены и будут направлены, как только контакты "
        "появятся (roadmap contacts load).\n\n"
        + _md_table(["Организация", "Кому", "Шагов напоминаний"], rows)
    )


def share_done(report: StatusReport) -> float:
    due = [i for i in report.items if i.entry.counts_as_due]
    return sum(1 for i in due if i.entry.fulfilled) / len(due) if due else 0.0


md_table = _md_table
