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
# a cell's alignment, one object for every cell of a sheet (making one per cell was a
# fifth of a workbook's time)
WRAPPED = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(wrap_text=False, vertical="top")


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
        cell.alignment = WRAPPED
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
            elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = number_format(cell.value)
            elif isinstance(cell.value, str):
                as_text(cell)
            cell.alignment = WRAPPED if isinstance(cell.value, str) else TOP
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    fold_codes(ws, header)
    fit_rows(ws, widths)
    print_setup(ws, [w for w, h in zip(widths, header, strict=False) if not technical(h)])
    return ws


# Thousands separated (Excel shows the separator of the reader's locale: «2 211» in
# Russian), decimals only where the value has them.
WHOLE = "#,##0"
DECIMAL = "#,##0.0#"
# Columns a reader of the printed page does not need: codes, files, hashes, ids. They stay
# in the sheet, folded (the «+» above the columns opens them), and are not printed.
TECHNICAL = ("(код)", "sha256", "Файл", "Обязательство", "Версия")
# A sheet wider than this (in Excel's character widths) prints on landscape pages.
PORTRAIT_WIDTH = 100


def number_format(value: float) -> str:
    return WHOLE if float(value).is_integer() else DECIMAL


def technical(header: str) -> bool:
    return any(h in header for h in TECHNICAL) and header != "Подтверждающий документ"


def fit_rows(ws: Worksheet, widths: Sequence[float]) -> None:
    """Each row as tall as its most wrapped cell (about one character a width unit, 15 pt a
    line): Excel and Calc then print every line, whether or not they fit rows themselves."""
    for row in ws.iter_rows():
        lines = 1
        for cell, width in zip(row, widths, strict=False):
            if isinstance(cell.value, str):
                per_line = max(1, int(width) - 1)
                wrapped = sum(-(-len(p) // per_line) or 1 for p in cell.value.split("\n"))
                lines = max(lines, wrapped)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15 * lines


def fold_codes(ws: Worksheet, header: Sequence[str]) -> None:
    """Fold the technical columns (see ``TECHNICAL``): hidden, one click away."""
    for i, name in enumerate(header, start=1):
        if technical(name):
            dim = ws.column_dimensions[get_column_letter(i)]
            dim.outline_level, dim.hidden = 1, True
    ws.sheet_properties.outlinePr.summaryRight = False


def print_setup(ws: Worksheet, widths: Sequence[float]) -> None:
    """A4, landscape when the printed columns are wide, every column on the page's width,
    the header row on every page, page numbers at the foot, the data as the print area."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    wide = sum(widths) > PORTRAIT_WIDTH
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if wide else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # as many pages down as needed
    ws.print_title_rows = "1:1"
    ws.print_area = ws.dimensions
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.gridLines = True
    ws.oddFooter.center.text = "Лист &A, страница &P из &N"


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
    ("Группа", 20),
    ("Показатель", 45),
    ("Ед. изм.", 10),
    ("Лучше", 10),
    ("Контрольная точка (код)", 12),
    ("Контрольная точка", 16),
    ("План", 10),
    ("Факт", 10),
    ("Факт за период (код)", 12),
    ("Факт за период", 16),
    ("Уровень достижения", 12),
    ("Отклонение от плана (доля, + хуже)", 14),
    ("Факт − план", 10),
    ("Результат на контрольную точку", 16),
    ("Требуется пояснение", 12),
    ("Причины отклонения", 32),
    ("Принятые меры", 32),
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
        texts.no_data_from(i, report),
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
    ("Мероприятие", 45),
    ("Исполнители", 30),
    ("Исполнители (кратко)", 30),
    ("Срок по Программе", 20),
    ("Статус мероприятия", 18),
    ("Контрольная точка (код)", 14),
    ("Контрольная точка", 22),
    ("Срок", 12),
    ("Статус контрольной точки", 22),
    ("Просрочка, раб. дн.", 10),
    ("Подтверждающий документ", 32),
    ("Проверка", 14),
    ("Причины невыполнения и принятые меры", 36),
    ("Файл", 30),
    ("Версия", 8),
    ("Представлен", 12),
    ("sha256", 20),
    ("Обязательство", 30),
)


def activities_sheet(wb: Workbook, report: Report) -> None:
    header = [name for name, _ in ACTIVITY_COLUMNS]
    widths = [width for _, width in ACTIVITY_COLUMNS]
    names = report.org_names
    rows = [
        row for s in report.sections for a in s.activities for row in _activity_rows(s, a, names)
    ]
    sheet(wb, texts.SHEET_ACTIVITIES, header, rows, widths)


def _activity_rows(s: SectionLine, a: ActivityLine, names: dict[str, str]) -> list[list[Any]]:
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
        rows.append([*head, None, None, a.next_due, *[None] * 10])
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
                texts.checkpoint_reasons(o, names) or None,
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
