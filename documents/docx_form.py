"""The official form's furniture: requisites and title, signature block, the appendix.

As ГОСТ Р 7.0.97-2016 places them: the sender and the outgoing number and date on the
left, the addressee on the right («№ ____ от ________» left to fill while the report is
not registered); the signatory's position, a line to sign and «И.О. Фамилия»; the
performer with a phone; the register of documents in an appendix, each by its own details
(kind, date, number, who submitted it and when, the review's result).
"""

from __future__ import annotations

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm

from documents import texts
from documents.docx_kit import (
    add_row,
    caption,
    layout_table,
    new_table,
    note,
    paragraph,
    text_width,
)
from roadmap.reports.lines import ObligationLine
from roadmap.reports.report import Report
from roadmap.words.labels import review_word

Document = docx.document.Document


def requisites(document: Document, report: Report, title: str) -> None:
    """The sender, outgoing number and date, the addressee; then the title."""
    req = report.requisites
    if req is not None:
        table = layout_table(
            document,
            [[_capital(req.sender), "", _capital(req.addressee)], [texts.outgoing(req), "", ""]],
            [7.5, 1.5, 7.5],
        )
        for cell in (table.rows[0].cells[0], table.rows[0].cells[2]):
            for run in cell.paragraphs[0].runs:
                run.bold = True
        paragraph(document)
    paragraph(document, "СВОДНЫЙ ОТЧЁТ", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(
        document, f"{title} за {report.period_text}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    paragraph(document, report.program_title, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, f"(по состоянию на {report.as_of_text})", align=WD_ALIGN_PARAGRAPH.CENTER)


def _capital(text: str) -> str:
    """A requisite starts with a capital letter, whatever case the name is kept in."""
    return text[:1].upper() + text[1:]


def signature(document: Document, report: Report) -> None:
    """The signatory's position, a line to sign on and the name; then the performer.

    Paragraphs kept with the next one, so that the block never parts from the performer.
    """
    req = report.requisites
    signatory = req.signatory if req else None
    position = (signatory.position if signatory else None) or texts.BLANK
    width = text_width(document)
    lines = [
        ("", None),
        (position, None),
        (f"\t______________\t{texts.signature_name(signatory)}", width),
        ("", None),
    ]
    for text, tabs in lines:
        p = paragraph(document, text)
        p.paragraph_format.keep_with_next = True
        if tabs is not None:
            stops = p.paragraph_format.tab_stops
            stops.add_tab_stop(Cm(tabs - 6.5), WD_TAB_ALIGNMENT.CENTER)
            stops.add_tab_stop(Cm(tabs), WD_TAB_ALIGNMENT.RIGHT)
    paragraph(document, texts.performer(req.performer if req else None), size=10)


def appendix(document: Document, report: Report, number: int) -> None:
    """The register of documents received, each by its own details: what it answers, the
    document's kind, date and number, who submitted it and when, the review's result.

    No identifier, file name or checksum: those stay in the Excel workbook's sheet.
    """
    paragraph(document, "Приложение", align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(document, "к сводному отчёту", align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(
        document,
        "Реестр подтверждающих документов, поступивших от исполнителей",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    caption(document, f"Таблица {number}. Подтверждающие документы и результаты их проверки")
    widths = [1.0, 6.2, 7.6, 4.5, 2.6, 3.8]
    header = [
        "№",
        "Мероприятие (отчёт) и период",
        "Документ: вид, дата, номер, наименование",
        "Кем представлен",
        "Дата представления",
        "Результат проверки",
    ]
    table = new_table(document, header, widths, size=9)
    count = 0
    for basis, o in _registered(report):
        for e in sorted(o.evidence, key=lambda e: e.version):
            count += 1
            cells = [
                str(count),
                f"{basis}, {o.period_text}",
                texts.document_details(e),
                texts.submitter(e, report.org_names),
                f"{e.submitted_on:%d.%m.%Y}",
                review_word(e.review_state),
            ]
            add_row(table, cells, widths, size=9)
    if not count:
        paragraph(document, "Документы не поступали.")
    note(document, f"Данные — лист «{texts.SHEET_DOCUMENTS}» книги Excel.")


def _registered(report: Report) -> list[tuple[str, ObligationLine]]:
    """Each obligation with what it answers in words: «мероприятие 1.7», «отчёт: Минобр…»."""
    lines = [
        (f"мероприятие {a.activity.number}", o) for a in report.activities for o in a.obligations
    ]
    return lines + [(f"отчёт исполнителя: {org}", o) for org, o in report.report_obligations]
