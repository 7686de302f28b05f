"""The workbook's data sheets: indicators, activities, targets, reports, discipline, …

One function per sheet; every sheet has a frozen, filtered header, numbers as numbers,
dates as dates, shares in percent format, and periods in words beside their codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from documents import texts
from roadmap.reports.lines import ActivityLine, IndicatorLine, SectionLine
from roadmap.reports.report import Report
from roadmap.words.labels import (
    DIRECTION_RU,
    EXECUTION_RU,
    FORECAST_RU,
    INDICATOR_STATUS_RU,
    review_word,
)

HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
DATE = "DD.MM.YYYY"
PERCENT = "0.0%"


def sheet(
    wb: Workbook,
    title: str,
    header: list[str],
    rows: Sequence[Sequence[Any]],
    widths: list[int],
    percent: Sequence[int] = (),
) -> Worksheet:
    """A sheet with a frozen, filtered header; ``percent`` are 1-based columns of shares."""
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(list(row))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE
            elif cell.column in percent and isinstance(cell.value, int | float):
                cell.number_format = PERCENT
            elif isinstance(cell.value, str):
                as_text(cell)
            cell.alignment = Alignment(wrap_text=isinstance(cell.value, str), vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    return ws


FORMULA_START = ("=", "+", "-", "@")


def as_text(cell: Cell) -> None:
    """Keep a string a string: file names, explanations and names come from people, and
    «=HYPERLINK(…)» from one of them must not become a live link (or «+1», «-1», «@SUM(…)» a
    calculation) when a ministry opens the workbook."""
    cell.data_type = "s"
    if str(cell.value).startswith(FORMULA_START):
        # Excel's «'» prefix: shown as typed, still text after the cell is edited
        cell.quotePrefix = True


def words(label: str | None) -> str | None:
    return texts.period_text(label) if label else None


# The indicators sheet's columns and their widths, one per cell of ``_indicator_row``.
INDICATOR_COLUMNS = (
    ("№", 7),
    ("Группа", 30),
    ("Показатель", 60),
    ("Ед. изм.", 10),
    ("Лучше", 10),
    ("Контрольная точка (код)", 12),
    ("Контрольная точка", 22),
    ("План", 10),
    ("Факт", 10),
    ("Факт за период (код)", 12),
    ("Факт за период", 22),
    ("Уровень достижения", 12),
    ("Отклонение от плана (доля, + хуже)", 14),
    ("Факт − план", 10),
    ("Результат на контрольную точку", 16),
    ("Требуется пояснение", 12),
    ("Причины отклонения", 40),
    ("Принятые меры", 40),
    ("Нет данных от", 25),
    ("Прогноз: оценка риска", 20),
    ("Прогноз: значение", 12),
    ("Прогноз: от", 10),
    ("Прогноз: до", 10),
    ("Прогноз: вероятность достижения", 14),
)


def indicators_sheet(wb: Workbook, report: Report) -> None:
    header = [name for name, _ in INDICATOR_COLUMNS]
    widths = [width for _, width in INDICATOR_COLUMNS]
    rows = [_indicator_row(i, report) for i in report.indicators]
    sheet(wb, texts.SHEET_INDICATORS, header, rows, widths, percent=(12, 13, 24))


def _indicator_row(i: IndicatorLine, report: Report) -> list[Any]:
    f = i.forecast
    return [
        i.indicator.code,
        i.group_title,
        i.indicator.name,
        i.indicator.unit,
        DIRECTION_RU[i.indicator.direction],
        i.checkpoint,
        i.checkpoint_label,
        i.target,
        i.actual,
        i.source_period,
        words(i.source_period),
        i.level,
        i.deviation,
        i.difference,
        INDICATOR_STATUS_RU[i.status],
        "да" if i.needs_explanation else "нет",
        i.reasons,
        i.measures,
        ", ".join(report.org_names.get(c, c) for c in i.missing_contributors) or None,
        FORECAST_RU[f.verdict] if f else None,
        f.projected if f else None,
        f.low if f else None,
        f.high if f else None,
        f.probability if f else None,
    ]


# The activities sheet's columns and their widths, one per cell of ``_activity_rows``.
ACTIVITY_COLUMNS = (
    ("Раздел", 8),
    ("№", 7),
    ("Мероприятие", 60),
    ("Исполнители", 40),
    ("Исполнители (кратко)", 30),
    ("Срок по Программе", 20),
    ("Статус мероприятия", 18),
    ("Контрольная точка (код)", 14),
    ("Контрольная точка", 22),
    ("Срок", 12),
    ("Статус контрольной точки", 22),
    ("Просрочка, раб. дн.", 10),
    ("Подтверждающий документ", 40),
    ("Проверка", 14),
    ("Файл", 30),
    ("Версия", 8),
    ("Представлен", 12),
    ("sha256", 20),
    ("Обязательство", 30),
)


def activities_sheet(wb: Workbook, report: Report) -> None:
    header = [name for name, _ in ACTIVITY_COLUMNS]
    widths = [width for _, width in ACTIVITY_COLUMNS]
    rows = [row for s in report.sections for a in s.activities for row in _activity_rows(s, a)]
    sheet(wb, texts.SHEET_ACTIVITIES, header, rows, widths)


def _activity_rows(s: SectionLine, a: ActivityLine) -> list[list[Any]]:
    """One row per checkpoint of the activity; one row with its next due date if none."""
    head = [
        s.number,
        a.activity.number,
        a.activity.name,
        a.activity.executors_text,
        a.owners,
        a.activity.term,
        EXECUTION_RU[a.execution],
    ]
    rows: list[list[Any]] = []
    if not a.obligations:
        rows.append([*head, None, None, a.next_due, *[None] * 9])
    for o in a.obligations:
        e = o.latest
        rows.append(
            [
                *head,
                o.period,
                o.period_text,
                o.due,
                EXECUTION_RU[o.execution],
                o.overdue_days,
                e.details if e else None,
                review_word(e.review_state) if e else None,
                e.original_name if e else None,
                e.version if e else None,
                e.submitted_on if e else None,
                e.sha256 if e else None,
                o.id,
            ]
        )
    return rows


def targets_sheet(wb: Workbook, report: Report) -> None:
    rows = [
        [
            a.activity.number,
            a.activity.name,
            t.text,
            t.unit,
            t.value,
            t.reported,
            t.reported_period,
            words(t.reported_period),
            None if t.met is None else ("да" if t.met else "нет"),
        ]
        for a in report.activities
        for t in a.targets
    ]
    header = [
        "№",
        "Мероприятие",
        "Цель",
        "Единица",
        "План",
        "Факт",
        "Период факта (код)",
        "Период факта",
        "Достигнута",
    ]
    sheet(wb, texts.SHEET_TARGETS, header, rows, [7, 50, 45, 25, 10, 10, 14, 22, 12])


def reports_sheet(wb: Workbook, report: Report) -> None:
    rows = []
    for org, o in report.report_obligations:
        e = o.latest
        rows.append(
            [
                org,
                o.period,
                o.period_text,
                o.due,
                EXECUTION_RU[o.execution],
                o.overdue_days,
                e.details if e else None,
                e.original_name if e else None,
                e.sha256 if e else None,
                o.id,
            ]
        )
    header = [
        "Исполнитель",
        "Период (код)",
        "Отчётный период",
        "Срок",
        "Статус",
        "Просрочка, раб. дн.",
        "Документ",
        "Файл",
        "sha256",
        "Обязательство",
    ]
    sheet(wb, texts.SHEET_REPORTS, header, rows, [35, 12, 22, 12, 25, 10, 40, 30, 20, 30])


def discipline_sheet(wb: Workbook, report: Report) -> None:
    rows = [
        [
            d.name,
            d.rates.due,
            d.rates.on_time,
            d.late,
            d.not_done,
            d.rates.completeness,
            d.rates.timeliness,
            *d.escalations,
        ]
        for d in report.discipline
    ]
    header = [
        "Исполнитель",
        "Срок наступил",
        "Выполнено в срок",
        "С нарушением срока",
        "Не выполнено",
        "Полнота",
        "Своевременность",
        "Эскалации ур. 1",
        "ур. 2",
        "ур. 3",
    ]
    sheet(wb, texts.SHEET_DISCIPLINE, header, rows, [40, 12, 12, 12, 12, 10, 14, 14, 8, 8], (6, 7))


def headcount_sheet(wb: Workbook, report: Report) -> None:
    ind = next(
        (i for i in report.indicators if i.indicator.code == report.headcount_indicator), None
    )
    used = ind.source_period if ind else None
    parts = [f"{p.label} ({p.institutions})" for p in report.headcount_parts]
    header = [
        "На дату (1-е число)",
        "Месяц (код)",
        "Месяц",
        *parts,
        "Всего",
        f"Траектория показателя {report.headcount_indicator}",
        "Значение показателя на контрольную точку",
    ]
    rows = [
        [
            p.day,
            p.month,
            texts.period_text(p.month),
            *p.parts,
            p.actual,
            round(p.trajectory) if p.trajectory is not None else None,
            f"да ({ind.checkpoint_label})" if ind and p.month == used else None,
        ]
        for p in report.headcount
    ]
    widths = [14, 10, 16, *([28] * len(parts)), 10, 16, 28]
    sheet(wb, texts.SHEET_HEADCOUNT, header, rows, widths)


def documents_sheet(wb: Workbook, report: Report) -> None:
    rows = [
        [
            o.id,
            o.period,
            o.period_text,
            e.version,
            e.details,
            e.document.doc_type,
            e.original_name,
            e.submitted_on,
            e.effective_date,
            e.sha256,
            review_word(e.review_state),
        ]
        for o in report.all_lines
        for e in sorted(o.evidence, key=lambda e: e.version)
    ]
    header = [
        "Обязательство",
        "Период (код)",
        "Период",
        "Версия",
        "Реквизиты документа",
        "Вид документа",
        "Файл",
        "Представлен",
        "Учитывается с",
        "sha256",
        "Проверка",
    ]
    sheet(wb, texts.SHEET_DOCUMENTS, header, rows, [36, 12, 22, 8, 50, 20, 30, 12, 12, 66, 14])
