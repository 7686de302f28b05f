"""The federal view as a Word summary, an Excel workbook and a panel page.

Written from ``roadmap.views.federal.FederalView`` alone. Four parts, the same in each file:
the consolidated reports received and late, the executors' completeness and timeliness,
the headline indicator against its trajectory with the forecast's verdict, and the
overdue activities. The page opens from a file (styles inline, nothing loaded).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docx.shared import RGBColor
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from documents.docx_kit import add_row, new_document, new_table
from documents.stamp import restamp
from roadmap.dates.periods import parse_period
from roadmap.forecast.early_warning import Risk
from roadmap.views.federal import RECEIVED_RU, FederalView, Received, RegionRow
from roadmap.words.wording import date_ru, number_ru, percent_ru, period_ru

ADDRESSEE = "Аппарат Уполномоченного при Президенте Российской Федерации по правам ребенка"
TITLE = (
    "Сводная информация о ходе реализации региональных программ по профилактике "
    "социального сиротства"
)
NOT_SYNCED = "программа не загружена в базу"
# Traffic light: green on track, amber at risk, red high risk, grey not enough data (with a
# legend).
RISK_COLOR = {
    Risk.ON_TRACK: "2E8B57",
    Risk.AT_RISK: "D68910",
    Risk.HIGH_RISK: "C0392B",
    Risk.INSUFFICIENT_DATA: "7F8C8D",
}
LEGEND = (
    "Оценка прогноза на конец программы: «в пределах плана» (зелёный) — прогнозное значение "
    "достигает целевого или отклоняется от него не более чем на допустимое отклонение; «риск "
    "недостижения» (жёлтый) — отклоняется больше; «высокий риск недостижения» (красный) — "
    "больше отклоняется и лучшая граница интервала прогноза; «недостаточно данных» (серый)."
)

_env = Environment(
    loader=PackageLoader("documents", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",)),
    undefined=StrictUndefined,
)


def _num(v: float | None) -> str:
    return "—" if v is None else number_ru(v)


def _pct(v: float | None) -> str:
    return "—" if v is None else percent_ru(v)


def _date(d: dt.date | None) -> str:
    return "—" if d is None else f"{d:%d.%m.%Y}"


def _period(label: str | None) -> str:
    return "—" if label is None else period_ru(parse_period(label))


# --- the four parts, as text rows -----------------------------------------------------------
REPORTS_HEADER = ["Регион", "Сводных отчётов со сроком", "Получено", "С нарушением срока", "Отчёты"]
EXECUTORS_HEADER = [
    "Регион",
    "Обязательств со сроком",
    "Выполнено",
    "В срок",
    "Полнота",
    "Своевременность",
    "Наименьшая полнота",
]
HEADLINE_HEADER = [
    "Регион",
    "Показатель",
    "Исходное значение",
    "Фактическое значение",
    "По траектории",
    "Отклонение",
    "Целевое значение",
    "Прогноз на конец программы",
    "Оценка",
]
OVERDUE_HEADER = ["Регион", "Просроченных обязательств", "Мероприятия с просрочкой"]


def report_rows(view: FederalView) -> list[list[str]]:
    rows = []
    for r in view.regions:
        if not r.synced:
            rows.append([r.region, "—", "—", "—", NOT_SYNCED])
            continue
        lines = "; ".join(
            f"{_period(c.period)}: {RECEIVED_RU[c.received]}"
            + (f" {_date(c.received_on)}" if c.received_on else "")
            for c in r.consolidated
            if c.received is not Received.NOT_DUE
        )
        rows.append(
            [
                r.region,
                str(r.consolidated_due),
                str(r.consolidated_received),
                str(r.consolidated_late),
                lines or "срок первого отчёта не наступил",
            ]
        )
    return rows


def executor_rows(view: FederalView) -> list[list[str]]:
    rows = []
    for r in view.regions:
        if not r.synced:
            rows.append([r.region, "—", "—", "—", "—", "—", NOT_SYNCED])
            continue
        weakest = "; ".join(f"{e.name} — {_pct(e.completeness)}" for e in r.weakest)
        rows.append(
            [
                r.region,
                str(r.executors_due),
                str(r.executors_fulfilled),
                str(r.executors_on_time),
                _pct(r.completeness),
                _pct(r.timeliness),
                weakest or "—",
            ]
        )
    return rows


def headline_rows(view: FederalView) -> list[tuple[list[str], Risk | None]]:
    rows: list[tuple[list[str], Risk | None]] = []
    for r in view.regions:
        h = r.headline
        if h is None:
            why = NOT_SYNCED if not r.synced else "ежемесячный мониторинг не задан"
            rows.append(([r.region, why, "—", "—", "—", "—", "—", "—", "—"], None))
            continue
        f = h.forecast
        at = h.target_period
        projected = f.projected.get(at) if f.projected and at else None
        low = f.low.get(at) if f.low and at else None
        high = f.high.get(at) if f.high and at else None
        band = f" ({_num(low)} – {_num(high)})" if low is not None and high is not None else ""
        actual = f"{_num(h.actual)} на {_date(h.actual_on)}" if h.actual is not None else "—"
        rows.append(
            (
                [
                    r.region,
                    f"{h.code}. {h.name}, {h.unit}",
                    _num(h.baseline),
                    actual,
                    _num(h.planned),
                    "—" if h.deviation is None else percent_ru(h.deviation, signed=True),
                    f"{_num(h.target)} ({_period(at)})" if h.target is not None else "—",
                    _num(projected) + band,
                    f.status
                    + (
                        ""
                        if f.probability is None
                        else f", вероятность достижения {percent_ru(f.probability, digits=0)}"
                    ),
                ],
                f.risk,
            )
        )
    return rows


def overdue_rows(view: FederalView) -> list[list[str]]:
    return [
        [
            r.region,
            str(r.overdue_obligations) if r.synced else "—",
            ", ".join(r.overdue_activities) if r.synced else NOT_SYNCED,
        ]
        for r in view.regions
    ]


# --- Word ---------------------------------------------------------------------------------
def write_federal_docx(view: FederalView, path: Path) -> Path:
    """The summary as a Word document (landscape, headers repeated on every page)."""
    document = new_document()
    document.add_paragraph(ADDRESSEE)
    document.add_paragraph("№ ____ от ________")
    document.add_heading(TITLE, level=1)
    document.add_paragraph(f"по состоянию на {date_ru(view.as_of)}; регионов: {len(view.regions)}")
    parts: list[tuple[str, list[str], list[float], list[list[str]]]] = [
        ("1. Сводные отчёты регионов", REPORTS_HEADER, [4.5, 3, 2.5, 3, 13.7], report_rows(view)),
        (
            "2. Полнота и своевременность исполнителей",
            EXECUTORS_HEADER,
            [4, 3, 2.5, 2.2, 2.5, 3, 9.5],
            executor_rows(view),
        ),
    ]
    for n, (title, header, widths, rows) in enumerate(parts, start=1):
        document.add_heading(title, level=2)
        document.add_paragraph(f"Таблица {n}. {title[3:]}")
        table = new_table(document, header, widths)
        for row in rows:
            add_row(table, row, widths)
    document.add_heading("3. Численность детей на круглосуточном пребывании", level=2)
    document.add_paragraph("Таблица 3. Ключевой показатель против траектории и прогноз")
    widths = [3.2, 5.2, 2.2, 3, 2.2, 2, 2.8, 3.3, 2.8]
    table = new_table(document, HEADLINE_HEADER, widths)
    for row, risk in headline_rows(view):
        add_row(table, row, widths)
        if risk is not None:  # the verdict, in its colour (the legend says which is which)
            for run in table.rows[-1].cells[-1].paragraphs[0].runs:
                run.font.color.rgb = RGBColor.from_string(RISK_COLOR[risk])
                run.bold = True
    document.add_paragraph(LEGEND)
    document.add_heading("4. Просроченные мероприятия", level=2)
    document.add_paragraph("Таблица 4. Мероприятия, по которым срок прошёл, а исполнения нет")
    widths = [5, 4, 17.7]
    table = new_table(document, OVERDUE_HEADER, widths)
    for row in overdue_rows(view):
        add_row(table, row, widths)
    document.save(str(path))
    return restamp(path, view.as_of)


# --- Excel --------------------------------------------------------------------------------
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")


def _sheet(
    wb: Workbook, title: str, header: list[str], rows: list[list[Any]], widths: list[int]
) -> None:
    """A sheet with a frozen, filtered header; dates as dates, shares as percentages."""
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
                cell.number_format = "DD.MM.YYYY"
            elif isinstance(cell.value, float) and not cell.value.is_integer():
                cell.number_format = "0.00"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


# the columns of the headline indicator's sheet, one per cell of ``_headline_cells``
HEADLINE_SHEET_HEADER = [
    "Регион",
    "Код",
    "Показатель",
    "Исходное",
    "Факт",
    "Дата факта",
    "По траектории",
    "Отклонение",
    "Целевое",
    "Прогноз",
    "Нижняя граница",
    "Верхняя граница",
    "Вероятность",
    "Оценка",
]


def write_federal_xlsx(view: FederalView, path: Path) -> Path:
    """The summary as a workbook: one sheet per part, numbers as numbers, dates as dates."""
    wb = Workbook()
    wb.remove(wb.active)
    synced = [r for r in view.regions if r.synced]
    _sheet(
        wb,
        "Сводные отчёты",
        ["Регион", "Программа", "Период", "Срок", "Состояние", "Получен"],
        [
            [r.region, r.program, _period(c.period), c.due, RECEIVED_RU[c.received], c.received_on]
            for r in synced
            for c in r.consolidated
        ],
        [24, 28, 22, 12, 28, 12],
    )
    _sheet(
        wb,
        "Исполнители",
        ["Регион", "Обязательств со сроком", "Выполнено", "В срок", "Полнота", "Своевременность"],
        [
            [
                r.region,
                r.executors_due,
                r.executors_fulfilled,
                r.executors_on_time,
                r.completeness,
                r.timeliness,
            ]
            for r in synced
        ],
        [24, 14, 12, 10, 10, 14],
    )
    _sheet(
        wb,
        "Ключевой показатель",
        HEADLINE_SHEET_HEADER,
        [_headline_cells(r) for r in synced if r.headline is not None],
        [24, 6, 40, 10, 10, 12, 12, 11, 10, 10, 12, 12, 11, 22],
    )
    _sheet(
        wb,
        "Просрочка",
        ["Регион", "Просроченных обязательств", "Мероприятия"],
        [[r.region, r.overdue_obligations, ", ".join(r.overdue_activities)] for r in synced],
        [24, 14, 60],
    )
    wb.save(str(path))
    return restamp(path, view.as_of)


def _headline_cells(r: RegionRow) -> list[Any]:
    h = r.headline
    assert h is not None
    d = h.as_dict()
    return [
        r.region,
        h.code,
        h.name,
        h.baseline,
        h.actual,
        h.actual_on,
        d["planned"],
        d["deviation"],
        h.target,
        d["projected"],
        d["low"],
        d["high"],
        d["probability"],
        h.forecast.status,
    ]


# --- the panel page -------------------------------------------------------------------------
def write_federal_panel(view: FederalView, path: Path) -> Path:
    """The summary as one HTML page that opens from a file."""
    context = {
        "title": TITLE,
        "addressee": ADDRESSEE,
        "as_of": date_ru(view.as_of),
        "regions": len(view.regions),
        "reports": {"header": REPORTS_HEADER, "rows": report_rows(view)},
        "executors": {"header": EXECUTORS_HEADER, "rows": executor_rows(view)},
        "headline": {
            "header": HEADLINE_HEADER,
            "rows": [
                {"cells": row, "color": RISK_COLOR.get(risk, "777777") if risk else "777777"}
                for row, risk in headline_rows(view)
            ],
        },
        "overdue": {"header": OVERDUE_HEADER, "rows": overdue_rows(view)},
        "legend": LEGEND,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_env.get_template("federal.html.j2").render(p=context), encoding="utf-8")
    return path
