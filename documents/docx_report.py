"""The consolidated report as a Word document (python-docx), in the official form.

The requisites first (sender, outgoing number and date, addressee), the title, then
numbered sections: 1 the general part with the overall figures (table 1); 2 the key
indicators assessed (table 2, figures 1–2); 3 every activity of the road map in the
program's wording with its checkpoints (table 3); 4 the executors' reports (table 4);
5 executor discipline (table 5, figure 3); 6 what was not handed in; 7 the conclusions,
ending with each shortfall's reasons and measures (``roadmap.reports.reasons``);
the signature block and the performer; an appendix listing the documents received with
their files and hashes (table 6). Tables sit on landscape pages with their header row
repeated on each page; every table and figure names the Excel sheet holding its data.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table

from documents import texts
from documents.charts import Chart
from documents.docx_form import appendix, requisites, signature
from documents.docx_kit import (
    add_row,
    caption,
    group_row,
    keep_rows_together,
    new_document,
    new_section,
    new_table,
    note,
    paragraph,
    picture,
    settle_widths,
    text_width,
)
from documents.stamp import restamp
from roadmap.reports.assessment import EXECUTION_TONE
from roadmap.reports.lines import ActivityLine
from roadmap.reports.report import Report
from roadmap.words.labels import EXECUTION_RU
from roadmap.words.verdicts import ExecutionStatus, Tone
from roadmap.words.wording import percent_ru

Document = docx.document.Document
SMALL = 9  # the size of the long tables' text
KEEP_ROWS = 6  # an activity with more checkpoint rows may run over a page break
MAIN = (
    ExecutionStatus.DONE,
    ExecutionStatus.DONE_LATE,
    ExecutionStatus.NOT_DONE,
    ExecutionStatus.IN_PROGRESS,
    ExecutionStatus.NOT_DUE,
)
TITLE = (
    "об исполнении мероприятий Программы в целях оценки эффективности реализации ее "
    "мероприятий и достижения установленных ключевых показателей"
)


class _Numbers:
    """Running numbers of tables and figures."""

    def __init__(self) -> None:
        self.table = 0
        self.figure = 0

    def next_table(self) -> int:
        self.table += 1
        return self.table

    def next_figure(self) -> int:
        self.figure += 1
        return self.figure


def write_docx(report: Report, path: Path, charts: dict[str, Chart]) -> Path:
    """Write the report to ``path`` (a .docx); ``charts`` are the report's charts by name."""
    document = new_document()
    n = _Numbers()
    requisites(document, report, TITLE)
    _general(document, report, n)
    new_section(document, landscape=True)
    _indicators(document, report, charts, n)
    _activities(document, report, n)
    _reports(document, report, n)
    _discipline(document, report, charts, n)
    new_section(document, landscape=False)
    _missing(document, report)
    _conclusions(document, report)
    signature(document, report)
    new_section(document, landscape=True)
    appendix(document, report, n.next_table())
    document.core_properties.title = f"Сводный отчёт за {report.period_text}"
    document.core_properties.language = "ru-RU"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return restamp(path, report.as_of)


def _general(document: Document, report: Report, n: _Numbers) -> None:
    document.add_heading("1. Общие положения", level=1)
    req, cp, s = report.requisites, report.checkpoint, report.summary
    when = f"за {report.period_text} по состоянию на {report.as_of_text}"
    items = [
        f"Сводный отчёт {when} представляется {req.submitted_by} в {req.recipient}."
        if req
        else f"Сводный отчёт составлен {when}."
    ]
    if cp is not None:
        extra = f", {cp.note}" if cp.note else ""
        items.append(
            f"Ключевые показатели оцениваются на контрольную точку «{cp.label}» "
            f"({cp.date:%d.%m.%Y}{extra})."
        )
    margin = percent_ru(report.margin, digits=0)
    w = {k: f"«{v}»" for k, v in EXECUTION_RU.items()}
    e = ExecutionStatus
    items += [
        "Уровень достижения показателя — отношение фактического значения к плановому, для "
        "показателей, лучшим значением которых является снижение, — отношение планового "
        "значения к фактическому. Показатель достигнут, если фактическое значение не хуже "
        f"планового. Пояснение причин отклонения требуется, если фактическое значение хуже "
        f"планового более чем на {margin}; показатель с меньшим отклонением также не достигнут.",
        f"Статус мероприятия: {w[e.DONE]} — все контрольные точки периода выполнены в срок; "
        f"{w[e.DONE_LATE]} — выполнены, хотя бы одна с опозданием; {w[e.ON_REVIEW]} — "
        "документ представлен, его рассмотрение не завершено (мероприятие не считается "
        f"выполненным); {w[e.NOT_DONE]} — срок "
        f"хотя бы одной контрольной точки истёк, документ не представлен; {w[e.IN_PROGRESS]} "
        f"— исполнение идёт, сроки не истекли; {w[e.NOT_DUE]} — исполнение в периоде ещё не "
        "началось.",
    ]
    for i, text in enumerate(items, start=1):
        paragraph(
            document, f"1.{i}. {_sentence(text)}", indent=True
        ).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if s is not None:
        _summary_table(document, report, margin, n)


def _summary_table(document: Document, report: Report, margin: str, n: _Numbers) -> None:
    """The assessment's totals: indicators planned, assessed and achieved; activities."""
    s = report.summary
    assert s is not None
    caption(
        document,
        f"Таблица {n.next_table()}. Сводные показатели оценки за {report.period_text} "
        f"по состоянию на {report.as_of_text}",
    )
    widths = [12.0, 4.5]
    table = new_table(document, ["Показатель оценки", "Значение"], widths)
    rows = [
        (
            "Ключевых показателей с плановым значением на контрольную точку",
            str(s.indicators_planned),
        ),
        ("из них с представленным фактическим значением", str(s.indicators_assessed)),
        ("плановое значение достигнуто", str(s.indicators_achieved)),
        ("плановое значение не достигнуто", str(len(s.not_achieved))),
        (
            f"в том числе с отклонением более {margin} (требуется пояснение)",
            str(len(s.explanations_required)),
        ),
        ("Доля достигнутых показателей (от оценённых)", texts.pct(s.share_achieved)),
        ("Мероприятий «дорожной карты»", str(s.activities_total)),
        *(
            (f"   {EXECUTION_RU[k]}", str(s.activities.get(k, 0)))
            for k in ExecutionStatus
            if k in MAIN or s.activities.get(k, 0)
        ),
        ("Доля мероприятий, выполненных в срок", texts.pct(s.share_on_time)),
    ]
    for label, value in rows:
        add_row(table, [label, value], widths)
    note(document, f"Данные — лист «{texts.SHEET_SUMMARY}» книги Excel.")


def _sentence(text: str) -> str:
    return text if text.endswith(".") else text + "."


def _indicator_columns(forecast: bool) -> tuple[list[str], list[float]]:
    """Table 2's headers and widths (cm): the forecast's column only where there is one."""
    header = [
        "№",
        "Наименование показателя",
        "Ед. изм.",
        "План",
        "Факт",
        "Уровень достижения",
        "Отклонение",
        "Результат",
        "Причины отклонения",
        "Принятые меры",
    ]
    if not forecast:
        return header, [1.1, 6.5, 1.5, 1.6, 1.6, 2.1, 2.3, 2.2, 3.9, 2.9]
    header.append("Прогноз (оценка риска)")
    return header, [1.1, 5.3, 1.5, 1.6, 1.6, 2.1, 2.3, 2.2, 3.1, 2.4, 2.5]


def _indicators(document: Document, report: Report, charts: dict[str, Chart], n: _Numbers) -> None:
    document.add_heading("2. Достижение ключевых показателей", level=1)
    label = report.checkpoint.label if report.checkpoint else ""
    caption(
        document,
        f"Таблица {n.next_table()}. Плановые и фактические значения ключевых показателей "
        f"на контрольную точку «{label}» по состоянию на {report.as_of_text}",
    )
    forecast = any(i.forecast for i in report.indicators)
    header, widths = _indicator_columns(forecast)
    table = new_table(document, header, widths, size=SMALL)
    names = report.org_names
    group = None
    for line in report.indicators:
        if line.indicator.group != group:
            group = line.indicator.group
            group_row(table, f"{group}. {line.group_title}", SMALL)
        values = [
            line.indicator.code,
            line.indicator.name,
            line.indicator.unit,
            texts.num(line.target),
            texts.num(line.actual),
            texts.pct(line.level),
            texts.difference(line),
            texts.indicator_status(line),
            texts.reasons(line, names),
            texts.measures(line),
        ]
        if forecast:
            values.append(texts.forecast(line))
        tones = {7: line.tone}
        if forecast and line.forecast_warns:
            tones[10] = Tone.AMBER
        add_row(table, values, widths, tones=tones, size=SMALL)
    settle_widths(table, SMALL)
    note(
        document,
        "Уровень достижения и результат на контрольную точку — по правилам раздела 1; "
        "прогноз — оценка риска недостижения на следующую контрольную точку и на конец "
        "программы, результат не меняет. Данные — лист "
        f"«{texts.SHEET_INDICATORS}» книги Excel.",
    )
    for name, width in (("headcount", 16.5), ("misses", text_width(document) - 2)):
        if (chart := charts.get(name)) is not None:
            _figure(document, chart, n, width)


def _figure(document: Document, chart: Chart, n: _Numbers, width: float) -> None:
    picture(document, chart.png, width)
    caption(document, f"Рисунок {n.next_figure()}. {chart.title}", figure=True)
    note(document, f"{chart.note} Данные — лист «{chart.sheet}» книги Excel.")


def _activities(document: Document, report: Report, n: _Numbers) -> None:
    document.add_heading("3. Исполнение мероприятий «дорожной карты»", level=1)
    caption(
        document,
        f"Таблица {n.next_table()}. Мероприятия «дорожной карты» и их контрольные точки "
        f"в отчётном периоде ({report.period_text})",
    )
    header = [
        "№",
        "Наименование мероприятия, срок по Программе",
        "Исполнители",
        "Контрольная точка",
        "Срок",
        "Статус",
        "Подтверждающий документ",
        "Ожидаемый результат и факт",
        "Причины невыполнения и принятые меры",
    ]
    widths = [1.1, 4.6, 3.0, 2.4, 2.1, 2.4, 3.2, 3.5, 3.4]
    table = new_table(document, header, widths, size=SMALL)
    for section in report.sections:
        group_row(table, f"Раздел {section.number}. {section.title}", SMALL)
        for a in section.activities:
            _activity_rows(table, a, widths, report.org_names)
    settle_widths(table, SMALL)
    note(
        document,
        "Контрольная точка — период, за который представляется подтверждающий документ; "
        "документ назван по реквизитам, указанным исполнителем. Причины невыполнения и "
        "принятые меры — по сведениям исполнителей. Данные — листы "
        f"«{texts.SHEET_ACTIVITIES}» и «{texts.SHEET_TARGETS}» книги Excel.",
    )


def _activity_rows(
    table: Table, a: ActivityLine, widths: list[float], names: dict[str, str]
) -> None:
    """One activity: a row per checkpoint, each with the activity's number; the name and
    the other cells of the activity merged down them, the rows kept on one page."""
    name = f"{a.activity.name}\nСрок по Программе: {a.activity.term}"
    head = [a.activity.number, name, a.owners]
    result = texts.activity_result(a)
    if not a.obligations:
        when = f"{a.next_due:%d.%m.%Y}" if a.next_due else "—"  # the first after it
        add_row(
            table,
            [*head, "—", when, EXECUTION_RU[a.execution], "—", result, ""],
            widths,
            tones={5: EXECUTION_TONE[a.execution]},
            size=SMALL,
        )
        return
    first = len(table.rows)
    rows = []
    for i, o in enumerate(a.obligations):
        cells = add_row(
            table,
            [
                *(head if i == 0 else [a.activity.number, "", ""]),
                o.period_text,
                f"{o.due:%d.%m.%Y}",
                texts.execution(o),
                texts.evidence(o),
                result if i == 0 else "",
                texts.checkpoint_reasons(o, names),
            ],
            widths,
            tones={5: EXECUTION_TONE[o.execution]},
            size=SMALL,
        )
        rows.append(cells)
    last = first + len(rows) - 1
    if last > first:
        for col in (1, 2, 7):  # the rows' own cells: the table's grid is rebuilt at each look-up
            rows[0][col].merge(rows[-1][col])
        # a short activity moves to the next page whole; a long one (monthly checkpoints)
        # keeps its first rows with its name and runs on, each row with its number
        keep_rows_together(table, first, min(last, first + KEEP_ROWS - 1))


def _reports(document: Document, report: Report, n: _Numbers) -> None:
    document.add_heading("4. Представление отчётов исполнителями", level=1)
    if not report.report_obligations:
        paragraph(
            document, "Срок представления отчётов исполнителей в отчётном периоде не наступил."
        )
        return
    caption(
        document,
        f"Таблица {n.next_table()}. Информация (отчёты) исполнителей о выполнении ключевых "
        f"показателей и мероприятий «дорожной карты» за {report.period_text} по состоянию "
        f"на {report.as_of_text}",
    )
    widths = [7.0, 3.5, 2.4, 4.8, 8.0]
    table = new_table(
        document, ["Исполнитель", "Отчётный период", "Срок", "Статус", "Документ"], widths
    )
    for org, o in report.report_obligations:
        add_row(
            table,
            [org, o.period_text, f"{o.due:%d.%m.%Y}", texts.execution(o), texts.evidence(o)],
            widths,
            tones={3: EXECUTION_TONE[o.execution]},
        )
    settle_widths(table)
    note(document, f"Данные — лист «{texts.SHEET_REPORTS}» книги Excel.")


def _discipline(document: Document, report: Report, charts: dict[str, Chart], n: _Numbers) -> None:
    document.add_heading("5. Исполнительская дисциплина", level=1)
    caption(
        document,
        f"Таблица {n.next_table()}. Исполнение обязательств по исполнителям: {report.basis.text}",
    )
    widths = [6.6, 2.2, 2.3, 2.6, 2.3, 2.2, 3.3, 4.2]
    header = [
        "Исполнитель",
        "Срок наступил",
        "Выполнено в срок",
        "С нарушением срока",
        "Не выполнено",
        "Полнота",
        "Своевременность",
        "Эскалации (ур. 1 / 2 / 3)",
    ]
    table = new_table(document, header, widths)
    for d in report.discipline:
        add_row(
            table,
            [
                d.name,
                str(d.rates.due),
                str(d.rates.on_time),
                str(d.late),
                str(d.not_done),
                texts.pct(d.rates.completeness),
                texts.pct(d.rates.timeliness),
                " / ".join(str(x) for x in d.escalations),
            ],
            widths,
        )
    settle_widths(table)
    note(
        document,
        "Обязательства — контрольные точки мероприятий и отчёты исполнителей; обязательство "
        "нескольких исполнителей учитывается у каждого. Полнота — доля выполненных, "
        "своевременность — доля выполненных в срок. Группы учреждений и муниципальных "
        f"образований не оцениваются. Данные — лист «{texts.SHEET_DISCIPLINE}» книги Excel.",
    )
    if (chart := charts.get("timeliness")) is not None:
        _figure(document, chart, n, 18.0)


def _missing(document: Document, report: Report) -> None:
    document.add_heading("6. Сведения, не представленные на дату отчёта", level=1)
    if not report.missing:
        paragraph(
            document, "Все документы и значения, срок представления которых наступил, представлены."
        )
    for i, text in enumerate(report.missing, start=1):
        paragraph(document, f"6.{i}. {text}", indent=True).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    note(document, f"Данные — лист «{texts.SHEET_MISSING}» книги Excel.")


def _conclusions(document: Document, report: Report) -> None:
    document.add_heading("7. Выводы", level=1)
    last = None
    for i, text in enumerate(report.conclusions, start=1):
        last = paragraph(document, f"7.{i}. {text}", indent=True)
        last.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    items = texts.shortfall_items(report)
    if items:
        n = len(report.conclusions) + 1
        paragraph(
            document,
            f"7.{n}. Причины невыполнения (нарушения сроков) мероприятий и недостижения "
            "плановых значений показателей, принятые меры (по сведениям исполнителей):",
            indent=True,
        ).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for item in items:
            last = paragraph(document, item, indent=True)
            last.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if last is not None:  # the signature is not left alone on a page
        last.paragraph_format.keep_with_next = True
