"""The federal view as a Word summary, an Excel workbook and a panel page.

Written from ``roadmap.views.federal.FederalView`` alone. Four parts, the same in each file:
the consolidated reports received and late, the executors' completeness and timeliness,
the headline indicator against its trajectory with the forecast's verdict, and the
overdue activities. The page opens from a file (styles inline, nothing loaded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx.shared import Pt, RGBColor
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from documents.docx_kit import (
    add_row,
    caption,
    layout_table,
    new_document,
    new_table,
    note,
    paragraph,
)
from documents.stamp import restamp
from documents.xlsx_sheets import as_text
from roadmap.dates.periods import parse_period
from roadmap.forecast.early_warning import Risk
from roadmap.program.model import Person
from roadmap.views.federal import RECEIVED_RU, FederalView, Received, RegionRow
from roadmap.words.wording import (
    basis_ru,
    date_ru,
    is_count,
    percent_ru,
    period_ru,
    quantity_ru,
)

ADDRESSEE = "Аппарат Уполномоченного при Президенте Российской Федерации по правам ребенка"
TITLE = (
    "Сводная информация о ходе реализации региональных программ по профилактике "
    "социального сиротства"
)
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


def _quantity(unit: str) -> Callable[[float | None], str]:
    """The indicator's values in its unit: whole numbers for a count of children."""
    return lambda v: "—" if v is None else quantity_ru(v, unit)


def _pct(v: float | None) -> str:
    return "—" if v is None else percent_ru(v)


def _date(d: dt.date | None) -> str:
    return "—" if d is None else f"{d:%d.%m.%Y}"


def _period(label: str | None) -> str:
    return "—" if label is None else period_ru(parse_period(label))


# --- the four parts, as text rows -----------------------------------------------------------
REPORTS_HEADER = [
    "Регион",
    "Сводных отчётов со сроком",
    "Получено",
    "из них с нарушением срока",
    "Отчёты",
]
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
            rows.append([r.region, "—", "—", "—", r.missing])
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
            rows.append([r.region, "—", "—", "—", "—", "—", r.missing])
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
            why = r.missing if not r.synced else "ежемесячный мониторинг не задан"
            rows.append(([r.region, why, "—", "—", "—", "—", "—", "—", "—"], None))
            continue
        f = h.forecast
        at = h.target_period
        projected = f.projected.get(at) if f.projected and at else None
        low = f.low.get(at) if f.low and at else None
        high = f.high.get(at) if f.high and at else None
        q = _quantity(h.unit)
        band = f" ({q(low)} – {q(high)})" if low is not None and high is not None else ""
        actual = f"{q(h.actual)} на {_date(h.actual_on)}" if h.actual is not None else "—"
        rows.append(
            (
                [
                    r.region,
                    f"{h.code}. {h.name}, {h.unit}",
                    q(h.baseline),
                    actual,
                    q(h.planned),
                    "—" if h.deviation is None else percent_ru(h.deviation, signed=True),
                    f"{q(h.target)} ({_period(at)})" if h.target is not None else "—",
                    q(projected) + band,
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
            ", ".join(r.overdue_activities) if r.synced else r.missing,
        ]
        for r in view.regions
    ]


# --- Word ---------------------------------------------------------------------------------
# Column widths in centimetres, each table as wide as a landscape A4 page between its margins
# (29,7 − 2 × 2,0 = 25,7 cm), so that every column prints; a long region name wraps by words.
REPORTS_WIDTHS = [5.0, 3.0, 2.5, 3.0, 12.2]
EXECUTORS_WIDTHS = [5.0, 3.4, 2.6, 2.2, 2.5, 3.4, 6.6]
HEADLINE_WIDTHS = [3.5, 4.4, 2.3, 2.8, 2.4, 2.3, 2.6, 2.8, 2.6]
OVERDUE_WIDTHS = [5.0, 4.0, 16.7]
HEADLINE_PT = 9  # nine columns: a point smaller than the others
WORD_HEADERS = (REPORTS_HEADER, EXECUTORS_HEADER, HEADLINE_HEADER, OVERDUE_HEADER)


def write_federal_docx(view: FederalView, path: Path, signatory: Person | None = None) -> Path:
    """The summary as a Word document: landscape A4, every column on the page, the header
    repeated on every page, the regions' programs by their titles, a signature block."""
    document = new_document(landscape=True)
    document.add_paragraph(ADDRESSEE)
    document.add_paragraph("№ ____ от ________")
    document.add_heading(TITLE, level=1)
    document.add_paragraph(f"по состоянию на {date_ru(view.as_of)}")
    document.add_paragraph(f"Регионы и их программы ({len(view.regions)}):")
    for n, r in enumerate(view.regions, start=1):
        document.add_paragraph(f"{n}. {r.region}: {r.title}.")
    _tables(document, view)
    _signature(document, signatory)
    document.save(str(path))
    return restamp(path, view.as_of)


def _tables(document: Any, view: FederalView) -> None:
    parts = [
        ("1. Сводные отчёты регионов", REPORTS_HEADER, REPORTS_WIDTHS, report_rows(view)),
        (
            "2. Полнота и своевременность исполнителей",
            EXECUTORS_HEADER,
            EXECUTORS_WIDTHS,
            executor_rows(view),
        ),
    ]
    for n, (title, header, widths, rows) in enumerate(parts, start=1):
        document.add_heading(title, level=2)
        caption(document, f"Таблица {n}. {title[3:]}: {basis(view)}")
        table = new_table(document, header, widths)
        for row in rows:
            add_row(table, row, widths)
    document.add_heading("3. Численность детей на круглосуточном пребывании", level=2)
    caption(document, "Таблица 3. Ключевой показатель против траектории и прогноз")
    table = new_table(document, HEADLINE_HEADER, HEADLINE_WIDTHS, size=HEADLINE_PT)
    for row, risk in headline_rows(view):
        add_row(table, row, HEADLINE_WIDTHS, size=HEADLINE_PT)
        if risk is not None:  # the verdict, in its colour (the legend says which is which)
            for run in table.rows[-1].cells[-1].paragraphs[0].runs:
                run.font.color.rgb = RGBColor.from_string(RISK_COLOR[risk])
                run.bold = True
    note(document, LEGEND)
    document.add_heading("4. Просроченные мероприятия", level=2)
    caption(document, "Таблица 4. Мероприятия, по которым срок прошёл, а исполнения нет")
    table = new_table(document, OVERDUE_HEADER, OVERDUE_WIDTHS)
    for row in overdue_rows(view):
        add_row(table, row, OVERDUE_WIDTHS)


def _signature(document: Any, signatory: Person | None) -> None:
    """Position, a line to sign on and «И.О. Фамилия», each captioned; a line for the date.

    Blank lines where the settings name nobody: the summary is signed by hand.
    """
    position = (signatory.position if signatory else None) or "_" * 30
    name = (signatory.initials_name if signatory else None) or "_" * 20
    paragraph(document)
    table = layout_table(
        document,
        [
            [position, "________________", name],
            ["(должность)", "(подпись)", "(инициалы, фамилия)"],
            ["«____» ____________ 20____ г.", "", ""],
            ["(дата)", "", ""],
        ],
        [11.0, 6.0, 8.7],
    )
    for row in (table.rows[1], table.rows[3]):
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    for row in table.rows:
        _keep_row_together(row)


def _keep_row_together(row: Any) -> None:
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True


# --- Excel --------------------------------------------------------------------------------
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")


def _sheet(
    wb: Workbook,
    title: str,
    header: list[str],
    rows: list[list[Any]],
    widths: list[int],
    shares: tuple[int, ...] = (),
) -> None:
    """A sheet with a frozen, filtered header, printed landscape one page wide with the
    header on every page; dates as dates, numbers with thousands separated, the columns
    ``shares`` (1-based) as percentages; every string a text cell, never a formula (a
    region's name comes from a person)."""
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
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.number_format = _number_format(cell.value, cell.column in shares)
            if isinstance(cell.value, str):
                as_text(cell)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    _print_setup(ws)


def _number_format(value: Any, share: bool) -> str:
    """Excel's format for a value: «05.08.2025», «2 211», «1 801,5», «70,0 %»."""
    if isinstance(value, dt.date):
        return "DD.MM.YYYY"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if share:
            return "0.0%"
        return "#,##0" if float(value).is_integer() else "#,##0.0"
    return "General"


def _print_setup(ws: Any) -> None:
    """Landscape A4, every column on one page's width, the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_area = ws.dimensions


# the columns of the headline indicator's sheet, one per cell of ``_headline_cells``
SHEET_HEADLINE_HEADER = [
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
            [r.region, r.title, _period(c.period), c.due, RECEIVED_RU[c.received], c.received_on]
            for r in synced
            for c in r.consolidated
        ],
        [24, 50, 22, 12, 28, 12],
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
        shares=(5, 6),
    )
    _sheet(
        wb,
        "Ключевой показатель",
        SHEET_HEADLINE_HEADER,
        [_headline_cells(r) for r in synced if r.headline is not None],
        [24, 6, 40, 10, 10, 12, 12, 11, 10, 10, 12, 12, 11, 22],
        shares=(8, 13),
    )
    _sheet(
        wb,
        "Просрочка",
        ["Регион", "Просроченных обязательств", "Мероприятия"],
        [[r.region, r.overdue_obligations, ", ".join(r.overdue_activities)] for r in synced],
        [24, 14, 60],
    )
    _unread_sheet(wb, view)
    wb.save(str(path))
    return restamp(path, view.as_of)


def _unread_sheet(wb: Workbook, view: FederalView) -> None:
    """The regions without figures (not loaded, or their data unreadable), and why."""
    missing = [r for r in view.regions if not r.synced]
    if missing:
        rows = [[r.region, r.title or "—", r.missing, r.unreadable or ""] for r in missing]
        header = ["Регион", "Программа", "Состояние", "Причина"]
        _sheet(wb, "Регионы без данных", header, rows, [24, 40, 30, 80])


def _headline_cells(r: RegionRow) -> list[Any]:
    h = r.headline
    assert h is not None
    d = h.as_dict()

    def value(v: float | None) -> float | None:  # a count of children is a whole number
        return round(v) if v is not None and is_count(h.unit) else v

    return [
        r.region,
        h.code,
        h.name,
        h.baseline,
        h.actual,
        h.actual_on,
        value(d["planned"]),
        d["deviation"],
        h.target,
        value(d["projected"]),
        value(d["low"]),
        value(d["high"]),
        d["probability"],
        h.forecast.status,
    ]


def basis(view: FederalView) -> str:
    """What the first two tables count: every report and obligation since each program's
    start, due by the summary's date (``roadmap.obligations.status.Basis``)."""
    return basis_ru(None, view.as_of)


# --- the panel page -------------------------------------------------------------------------
def write_federal_panel(view: FederalView, path: Path) -> Path:
    """The summary as one HTML page that opens from a file."""
    context = {
        "title": TITLE,
        "addressee": ADDRESSEE,
        "as_of": date_ru(view.as_of),
        "basis": basis(view),
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
