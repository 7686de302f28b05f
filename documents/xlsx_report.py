"""The consolidated report as an Excel workbook (openpyxl): one sheet per part.

Headers are frozen and filtered; numbers are numbers and dates are dates, so officials can
sort, sum and reuse them. Every text is a text cell, never a formula: file names, explanations
and names come from people, and «=HYPERLINK(…)» from one of them must not become a live link
(or «+1», «-1», «@SUM(…)» a calculation) when a ministry opens the workbook.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from documents.stamp import restamp
from roadmap.report import Report

HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
DATE = "DD.MM.YYYY"


def _sheet(
    wb: Workbook, title: str, header: list[str], rows: list[list[Any]], widths: list[int]
) -> Worksheet:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(row)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE
            elif isinstance(cell.value, float) and not cell.value.is_integer():
                cell.number_format = "0.00"
            elif isinstance(cell.value, str):
                _as_text(cell)
            cell.alignment = Alignment(wrap_text=isinstance(cell.value, str), vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    return ws


FORMULA_START = ("=", "+", "-", "@")


def _as_text(cell: Cell) -> None:
    """Keep a string a string: openpyxl makes one that starts with «=» a formula."""
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_START):
        # Excel's «'» prefix: shown as typed, still text after the cell is edited
        cell.quotePrefix = True


def _review(accepted: bool | None) -> str:
    return {True: "принят", False: "возвращён"}.get(accepted, "на проверке")  # type: ignore[arg-type]


def write_xlsx(report: Report, path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(
        wb,
        "Чего не хватает",
        ["Что отсутствует"],
        [[m] for m in report.missing]
        or [["Все документы и значения, срок которых наступил, представлены."]],
        [140],
    )
    rows: list[list[Any]] = []
    for s in report.sections:
        for a in s.activities:
            for o in a.obligations:
                latest = max(o.evidence, key=lambda e: e.version) if o.evidence else None
                rows.append(
                    [
                        s.number,
                        a.activity.number,
                        a.activity.short_name,
                        a.owners,
                        o.period,
                        o.due,
                        o.status,
                        o.overdue_days,
                        latest.original_name if latest else None,
                        latest.version if latest else None,
                        latest.submitted_on if latest else None,
                        latest.sha256[:12] if latest else None,
                        _review(o.accepted) if latest else None,
                        a.activity.result,
                    ]
                )
    _sheet(
        wb,
        "Дорожная карта",
        [
            "Раздел",
            "№",
            "Мероприятие",
            "Исполнители",
            "Период",
            "Срок",
            "Состояние",
            "Просрочка, раб. дн.",
            "Документ",
            "Версия",
            "Представлен",
            "sha256",
            "Проверка",
            "Ожидаемый результат",
        ],
        rows,
        [8, 7, 40, 40, 18, 12, 16, 10, 30, 8, 12, 14, 12, 60],
    )
    targets = [
        [
            a.activity.number,
            a.activity.short_name,
            t.text,
            t.unit,
            t.value,
            t.reported,
            t.reported_period,
            None if t.met is None else ("да" if t.met else "нет"),
        ]
        for s in report.sections
        for a in s.activities
        for t in a.targets
    ]
    _sheet(
        wb,
        "Цели мероприятий",
        ["№", "Мероприятие", "Цель", "Единица", "План", "Факт", "Период факта", "Достигнута"],
        targets,
        [7, 40, 45, 25, 10, 10, 14, 12],
    )
    _sheet(
        wb,
        "Показатели",
        [
            "№",
            "Группа",
            "Показатель",
            "Ед.",
            "Направление",
            "Контрольная точка",
            "Цель",
            "Факт",
            "Отклонение от цели (доля)",
            "Оценка",
            "Пояснение",
        ],
        [
            [
                i.indicator.code,
                i.group_title,
                i.indicator.name,
                i.indicator.unit,
                "снижение" if i.indicator.direction == "down" else "рост",
                i.checkpoint_label,
                i.target,
                i.actual,
                None if i.change is None else round(i.change, 4),
                None if i.better is None else ("лучше плана" if i.better else "хуже плана"),
                i.explanation,
            ]
            for i in report.indicators
        ],
        [7, 30, 60, 10, 12, 22, 10, 10, 14, 14, 40],
    )
    _sheet(
        wb,
        "Дисциплина",
        [
            "Исполнитель",
            "Срок наступил",
            "Выполнено",
            "В срок",
            "Просрочено",
            "Полнота",
            "Своевременность",
            "Эскалации ур. 1",
            "ур. 2",
            "ур. 3",
        ],
        [
            [
                d.name,
                d.rates.due,
                d.rates.fulfilled,
                d.rates.on_time,
                d.rates.overdue,
                d.rates.completeness,
                d.rates.timeliness,
                *d.escalations,
            ]
            for d in report.discipline
        ],
        [40, 12, 12, 10, 12, 10, 14, 14, 8, 8],
    )
    for ws in (wb["Дисциплина"],):
        for row in ws.iter_rows(min_row=2, min_col=6, max_col=7):
            for cell in row:
                cell.number_format = "0%"
    _sheet(
        wb,
        "Численность детей",
        ["Месяц (на 1-е число)", "Факт", f"Траектория {report.headcount_indicator}"],
        [
            [
                dt.date.fromisoformat(p.month + "-01"),
                p.actual,
                round(p.trajectory) if p.trajectory else None,
            ]
            for p in report.headcount
        ],
        [20, 12, 16],
    )
    wb.properties.title = f"Сводный отчёт за {report.period_text}"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return restamp(path, report.as_of)
