"""The official form's furniture: requisites and title, signature block, the appendix.

As ГОСТ Р 7.0.97-2016 places them: the sender and the outgoing number and date on the
left, the addressee on the right («№ ____ от ________» left to fill while the report is
not registered); the signatory's position, a line to sign and «И.О. Фамилия»; the
performer with a phone; the register of documents with their files and hashes in an
appendix, the one place of the Word report where identifiers appear.
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
    """The register of documents received: versions, files and hashes (ids stay here)."""
    paragraph(document, "Приложение", align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(document, "к сводному отчёту", align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(
        document,
        "Реестр подтверждающих документов, поступивших от исполнителей",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    caption(document, f"Таблица {number}. Версии документов, их файлы и контрольные суммы")
    widths = [3.6, 2.4, 1.6, 4.8, 3.3, 2.6, 5.2, 2.2]
    header = [
        "Обязательство",
        "Период",
        "Версия",
        "Реквизиты документа",
        "Файл",
        "Представлен",
        "SHA-256",
        "Проверка",
    ]
    table = new_table(document, header, widths, size=9)
    count = 0
    for o in report.all_lines:
        for e in sorted(o.evidence, key=lambda e: e.version):
            count += 1
            add_row(
                table,
                [
                    o.id.split(":", 1)[1],
                    o.period_text,
                    str(e.version),
                    e.details or "не указаны",
                    e.original_name,
                    f"{e.submitted_on:%d.%m.%Y}",
                    e.sha256,
                    review_word(e.review_state),
                ],
                widths,
                size=9,
            )
    if not count:
        paragraph(document, "Документы не поступали.")
    note(document, f"Данные — лист «{texts.SHEET_DOCUMENTS}» книги Excel.")
