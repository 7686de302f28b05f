"""The briefing pack for a commission meeting (activity 2.1), as a Word document.

Road-map status by section, the obligations at escalation level 3 (those the ladder sends
to the commission's agenda), the indicators that miss their targets, and the agenda items
the ministries proposed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from documents import texts
from documents.docx_kit import add_row, new_document, new_table
from documents.stamp import restamp
from roadmap.program.model import Program
from roadmap.reports.report import Report, escalation_level

Document = docx.document.Document


def write_briefing(
    report: Report, program: Program, *, meeting: str, agenda: Sequence[tuple[str, str]], path: Path
) -> Path:
    """Write the pack; ``agenda`` is (organization name, proposal) pairs."""
    document = new_document(landscape=True)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("Материалы к заседанию краевой межведомственной комиссии")
    run.bold, run.font.size = True, Pt(14)
    sub = document.add_paragraph(f"{meeting}. По состоянию на {report.as_of_text}.")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    _roadmap_status(document, report)
    _escalated(document, report, program)
    _missed_indicators(document, report)
    _agenda(document, agenda)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return restamp(path, report.as_of)


def _roadmap_status(document: Document, report: Report) -> None:
    """1: each section's obligations, those fallen due, fulfilled and overdue."""
    document.add_heading("1. Состояние дорожной карты", level=1)
    widths = [14.0, 3.0, 3.0, 3.0, 3.7]
    table = new_table(
        document, ["Раздел", "Обязательств", "Срок наступил", "Выполнено", "Просрочено"], widths
    )
    for s in report.sections:
        lines = [o for a in s.activities for o in a.obligations]
        add_row(
            table,
            [
                f"{s.number}. {s.title}",
                str(len(lines)),
                str(sum(o.due <= report.as_of for o in lines)),
                str(sum(o.fulfilled for o in lines)),
                str(sum(o.status == "overdue" for o in lines)),
            ],
            widths,
        )


def _escalated(document: Document, report: Report, program: Program) -> None:
    """2: the overdue obligations the ladder has sent to the commission's agenda."""
    document.add_heading("2. Просроченные обязательства с эскалацией 3-го уровня", level=1)
    widths = [2.0, 9.0, 3.0, 3.0, 3.0, 6.7]
    table = new_table(
        document,
        ["№", "Мероприятие", "Период", "Срок", "Просрочка, раб. дн.", "Исполнители"],
        widths,
    )
    count = 0
    for s in report.sections:
        for a in s.activities:
            for o in a.obligations:
                if escalation_level(program, o.overdue_days) >= 3:
                    count += 1
                    add_row(
                        table,
                        [
                            a.activity.number,
                            a.activity.name,
                            o.period_text,
                            f"{o.due:%d.%m.%Y}",
                            str(o.overdue_days),
                            a.owners,
                        ],
                        widths,
                    )
    if not count:
        document.add_paragraph("Обязательств с эскалацией 3-го уровня нет.")


def _missed_indicators(document: Document, report: Report) -> None:
    """3: the indicators whose actual value misses its target."""
    document.add_heading("3. Ключевые показатели, плановые значения которых не достигнуты", level=1)
    misses = report.misses
    if misses:
        widths = [1.5, 13.0, 3.0, 3.0, 6.2]
        table = new_table(document, ["№", "Показатель", "Цель", "Факт", "Пояснение"], widths)
        for i in misses:
            add_row(
                table,
                [
                    i.indicator.code,
                    i.indicator.name,
                    texts.num(i.target),
                    texts.num(i.actual),
                    i.explanation or "",
                ],
                widths,
            )
    else:
        document.add_paragraph(
            "Плановые значения всех показателей, по которым есть данные, достигнуты."
        )


def _agenda(document: Document, agenda: Sequence[tuple[str, str]]) -> None:
    """4: the agenda items the ministries proposed."""
    document.add_heading("4. Предложения министерств в повестку", level=1)
    if agenda:
        for org, text in agenda:
            document.add_paragraph(f"{org}: {text}", style="List Bullet")
    else:
        document.add_paragraph("Предложения не поступили.")
