"""Word building blocks shared by the report and the briefing pack (python-docx)."""

from __future__ import annotations

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table


def new_document() -> docx.document.Document:
    """A landscape document in Times New Roman with black headings."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10)
    for name, size in (("Heading 1", 13), ("Heading 2", 11)):
        style = document.styles[name]
        style.font.name, style.font.size = "Times New Roman", Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(attr), None)  # theme fonts would override the named font
    landscape(document, first=True)
    return document


def repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    for cell in table.rows[0].cells:
        for p in cell.paragraphs:
            for run in p.runs:
                run.bold = True
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "D9E2F3")
        cell._tc.get_or_add_tcPr().append(shading)


def new_table(document: docx.document.Document, header: list[str], widths: list[float]) -> Table:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid: what LibreOffice and Word lay out by
    for cell, text, width in zip(table.rows[0].cells, header, widths, strict=True):
        cell.text = text
        cell.width = Cm(width)
    repeat_header(table)
    return table


def add_row(
    table: Table, values: list[str], widths: list[float], color: RGBColor | None = None
) -> None:
    cells = table.add_row().cells
    for cell, text, width in zip(cells, values, widths, strict=True):
        cell.text = text
        cell.width = Cm(width)
        if color is not None:
            for run in cell.paragraphs[0].runs:
                run.font.color.rgb = color


def landscape(document: docx.document.Document, first: bool = False) -> None:
    section = document.sections[0] if first else document.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    section.top_margin = section.bottom_margin = Cm(1.5)
