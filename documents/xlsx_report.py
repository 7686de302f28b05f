"""The consolidated report as an Excel workbook (openpyxl): the data of every table and figure.

One sheet per part, named as the Word report names them: headers frozen and filtered,
numbers as numbers, dates as dates, shares in percent format, periods in words beside
their codes; identifiers and file hashes here and in the Word appendix only; the charts
on a sheet of their own, each captioned with the sheet that holds its data.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font

from documents import texts
from documents.charts import Chart
from documents.stamp import restamp
from documents.xlsx_sheets import (
    PERCENT,
    activities_sheet,
    discipline_sheet,
    documents_sheet,
    headcount_sheet,
    indicators_sheet,
    print_setup,
    reports_sheet,
    sheet,
    targets_sheet,
)
from roadmap.reports.report import Report
from roadmap.words.labels import EXECUTION_RU
from roadmap.words.verdicts import ExecutionStatus


def write_xlsx(report: Report, path: Path, charts: dict[str, Chart] | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    _summary(wb, report)
    indicators_sheet(wb, report)
    activities_sheet(wb, report)
    targets_sheet(wb, report)
    reports_sheet(wb, report)
    discipline_sheet(wb, report)
    headcount_sheet(wb, report)
    sheet(
        wb,
        texts.SHEET_MISSING,
        ["Что не представлено"],
        [[m] for m in report.missing]
        or [["Все документы и значения, срок представления которых наступил, представлены."]],
        [140],
    )
    documents_sheet(wb, report)
    _figures(wb, charts or {})
    wb.properties.title = f"Сводный отчёт за {report.period_text}"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return restamp(path, report.as_of)


def _summary(wb: Workbook, report: Report) -> None:
    s = report.summary
    rows: list[list[Any]] = [
        ["Отчётный период", f"{report.period_text} ({report.period.label})"],
        ["По состоянию на", report.as_of],
        ["Исполнение обязательств учитывает", report.basis.text],
    ]
    if report.checkpoint is not None:
        cp = report.checkpoint
        rows.append(["Контрольная точка оценки показателей", f"{cp.label} ({cp.period})"])
    rows.append(["Допустимое отклонение без пояснения", report.margin])
    if s is not None:
        rows += [
            ["Ключевых показателей с плановым значением", s.indicators_planned],
            ["из них с фактическим значением", s.indicators_assessed],
            ["плановое значение достигнуто", s.indicators_achieved],
            ["плановое значение не достигнуто", len(s.not_achieved)],
            ["требуется пояснение (отклонение сверх допустимого)", len(s.explanations_required)],
            ["Доля достигнутых показателей", s.share_achieved],
            ["Мероприятий «дорожной карты»", s.activities_total],
            *([f"мероприятий: {EXECUTION_RU[k]}", s.activities.get(k, 0)] for k in ExecutionStatus),
            ["Доля мероприятий, выполненных в срок", s.share_on_time],
        ]
    rows += [[f"Вывод {i}", text] for i, text in enumerate(report.conclusions, start=1)]
    ws = sheet(wb, texts.SHEET_SUMMARY, ["Показатель оценки", "Значение"], rows, [55, 110])
    for row in ws.iter_rows(min_row=2):
        if (
            str(row[0].value).startswith("Доля")
            or row[0].value == "Допустимое отклонение без пояснения"
        ):
            row[1].number_format = PERCENT
        row[1].alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")


def _figures(wb: Workbook, charts: dict[str, Chart]) -> None:
    ws = wb.create_sheet(texts.SHEET_FIGURES)
    ws.column_dimensions["A"].width = 120
    row = 1
    for number, chart in enumerate(charts.values(), start=1):
        cell = ws.cell(row=row, column=1, value=f"Рисунок {number}. {chart.title}")
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=row + 1, column=1, value=f"{chart.note} Данные — лист «{chart.sheet}».")
        ws.cell(row=row + 1, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row + 1].height = 60
        image = Image(io.BytesIO(chart.png))
        scale = 900 / image.width
        image.width, image.height = 900, int(image.height * scale)
        ws.add_image(image, f"A{row + 2}")
        row += 3 + image.height // 20 + 1
    print_setup(ws, [120])
    ws.print_options.gridLines = False
