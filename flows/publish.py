"""Artifacts coordinators read in the Prefect UI (status, tables, progress, report files) and
the run's log.

Keys must be ``[a-z0-9-]``; the Russian goes into descriptions and content. Every key starts
with its owner, the program the run is for (``<program>-sweep-status``) or the
federal view (``federal-summary``), so programs side by side never read or replace each
other's «latest». A run for a past date (a curator's «на дату» run, time travel) keeps the
current ones as they are: its keys end with the date it was for
(``…-overview-2025-04-08``). A file is linked by its download address on the web app
(``services.links.file_link``): browsers refuse ``file:///`` links from a web page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import get_run_logger
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
)

from flows import runtime
from roadmap.words.wording import percent_ru
from services.files import file_key
from services.links import file_link
from services.sweep import SweepReport
from storage.status import StatusReport


def key_part(text: str) -> str:
    """``text`` as part of an artifact key: «6.1» → «6-1», «2025-H1» → «2025-h1»."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Owner:
    """Whose artifacts a run writes (a program's id, or «federal»), and for which day.

    ``current``: the run is for today (or for the moment it was scheduled for), so its keys
    are the ones everyone reads; otherwise they end with ``day``.
    """

    name: str
    day: dt.date | None = None
    current: bool = True

    def key(self, name: str) -> str:
        key = f"{key_part(self.name)}-{key_part(name)}"
        if self.current or self.day is None:
            return key
        return f"{key}-{self.day.isoformat()}"


def run_owner() -> Owner:
    """The owner of this run's artifacts: its program, on the day the run is for."""
    from prefect.runtime import flow_run

    try:
        as_of = flow_run.parameters.get("as_of")
    except Exception:  # outside a flow run Prefect has no parameters to give
        as_of = None
    rt = runtime.rt()
    day = runtime.run_day(as_of)
    return Owner(rt.program.id, day, current=not as_of or day == rt.today())


def _md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        lines.append(
            "| " + " | ".join(str(v).replace("|", "/").replace("\n", " ") for v in r) + " |"
        )
    return "\n".join(lines)


def markdown(key: str, title: str, body: str, *, owner: Owner | None = None) -> None:
    """A Markdown artifact headed ``title``."""
    markdown_text(key, title, f"# {title}\n\n{body}", owner=owner)


def markdown_text(key: str, title: str, text: str, *, owner: Owner | None = None) -> None:
    """A Markdown artifact whose ``text`` has its own heading; ``title`` describes it."""
    full = (owner or run_owner()).key(key)
    create_markdown_artifact(key=full, markdown=text, description=title)


def table(key: str, title: str, rows: list[dict[str, Any]], *, owner: Owner | None = None) -> None:
    full = (owner or run_owner()).key(key)
    create_table_artifact(key=full, table=rows, description=title)


def progress(key: str, title: str, share: float, *, owner: Owner | None = None) -> None:
    full = (owner or run_owner()).key(key)
    create_progress_artifact(progress=round(100 * share, 1), key=full, description=title)


KINDS = {".docx": "Word", ".xlsx": "Excel", ".png": "рисунок", ".html": "страница"}


def log(lines: Iterable[str]) -> None:
    """Write what the run did to its log, a line each (the run's Logs tab in the UI)."""
    logger = get_run_logger()
    for line in lines:
        logger.info(line)


def report_links(key: str, paths: Sequence[Path], *, owner: Owner | None = None) -> str:
    """Link each file to the run (``<owner>-<key>-file-1``, …); returns the Markdown list.

    Without ``ROADMAP_PUBLIC_BASE_URL`` there is no address to download from: the list names
    each file by its key in the file store (``<owner>/<path>``), which ``roadmap files get``
    saves on any machine of the stack, in one Markdown artifact ``<owner>-<key>-files``.
    """
    rt = runtime.rt()
    owner = owner or run_owner()
    lines = []
    for i, p in enumerate(paths):
        link = file_link(rt, p)
        if link is None:
            found = file_key(rt, p)
            lines.append(f"- {p.name}: `{'/'.join(found) if found else p}`")
            continue
        text = f"{KINDS.get(p.suffix.lower(), 'файл')}: {p.name}"
        create_link_artifact(
            key=owner.key(f"{key}-file-{i + 1}"), link=link, link_text=text, description=text
        )
        lines.append(f"- [{text}]({link})")
    body = "\n".join(lines)
    if paths and rt.signer is None:
        note = (
            "Ссылки для скачивания появятся, когда задан ROADMAP_PUBLIC_BASE_URL; "
            "до тех пор файл сохраняет команда roadmap files get <ключ>."
        )
        markdown(f"{key}-files", "Файлы отчёта", f"{body}\n\n{note}", owner=owner)
    return body


def rates_rows(report: StatusReport, org_names: dict[str, str]) -> list[dict[str, Any]]:
    """Each executor's reporting as a table row with Russian headers and percentages."""

    def percent(share: float | None) -> str:
        return "—" if share is None else percent_ru(share)

    return [
        {
            "Исполнитель": org_names.get(r.org, r.org),
            "Срок наступил": r.due,
            "Выполнено": r.fulfilled,
            "В срок": r.on_time,
            "Просрочено": r.overdue,
            "Полнота": percent(r.completeness),
            "Своевременность": percent(r.timeliness),
        }
        for r in report.rates
    ]


def sweep_summary(report: SweepReport) -> str:
    """What one sweep did, in a sentence."""
    d = report.delivery
    text = (
        f"Отмечено просроченными: {report.marked_overdue}. Напоминаний и уведомлений: "
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
    """Obligations by status, and the overdue ones by owner with their activities' numbers."""
    counts = Counter(i.word for i in report.items)
    summary = ", ".join(f"{k} — {v}" for k, v in sorted(counts.items()))
    overdue: dict[str, list[str]] = {}
    for i in report.items:
        if i.entry.status == "overdue":
            what = i.activity or "отчёт"
            for o in i.facts.owners:
                overdue.setdefault(org_names.get(o, o), []).append(what)
    rows = [
        (org, len(items), ", ".join(dict.fromkeys(items)))
        for org, items in sorted(overdue.items(), key=lambda kv: -len(kv[1]))
    ]
    text = f"На {report.as_of:%d.%m.%Y}: {summary}.\n\n"
    if rows:
        text += "## Просрочено по организациям\n\n" + _md_table(
            ["Организация", "Просрочено", "Мероприятия"], rows
        )
    return text


def share_done(report: StatusReport) -> float:
    due = [i for i in report.items if i.entry.counts_as_due]
    return sum(1 for i in due if i.entry.fulfilled) / len(due) if due else 0.0


md_table = _md_table
