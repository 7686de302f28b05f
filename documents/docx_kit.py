"""Word building blocks shared by the report and the briefing pack (python-docx).

An official document's furniture: portrait and landscape sections, page numbers in the
middle of the top margin from the second page on (ГОСТ Р 7.0.97-2016), numbered captions
(«Таблица 1. …» above a table, «Рисунок 1. …» under a figure), tables whose header row
repeats on every page, borderless layout tables for the requisites and the signature.
"""

from __future__ import annotations

import copy
import functools
import io
import re

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from roadmap.words.verdicts import Tone

FONT = "Times New Roman"
TABLE_PT = 10
TONE_RGB: dict[Tone, RGBColor | None] = {
    Tone.GREEN: RGBColor(0x1E, 0x6B, 0x3C),
    Tone.AMBER: RGBColor(0x9C, 0x5B, 0x00),
    Tone.RED: RGBColor(0xB0, 0x1E, 0x14),
    Tone.GREY: None,
}
TONE_FILL: dict[Tone, str | None] = {
    Tone.GREEN: "E2F0E6",
    Tone.AMBER: "FCEBC7",
    Tone.RED: "F8D9D5",
    Tone.GREY: None,
}


def new_document(*, landscape: bool = False) -> docx.document.Document:
    """A document in Times New Roman with black headings and numbered pages."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(4)
    _fix_fonts(normal)
    for name, size in (("Heading 1", 13), ("Heading 2", 12), ("Heading 3", 11)):
        style = document.styles[name]
        style.font.name, style.font.size = FONT, Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(10)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
        _fix_fonts(style)
    section = document.sections[0]
    _page(section, landscape=landscape)
    section.different_first_page_header_footer = True  # no number on the first page
    _page_number(section.header.paragraphs[0])
    return document


def _fix_fonts(style: docx.styles.style.BaseStyle) -> None:
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)  # theme fonts would override the named font
    fonts.set(qn("w:eastAsia"), FONT)


def _page(section: docx.section.Section, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin = Cm(2.0 if landscape else 3.0)
    section.right_margin = Cm(2.0 if landscape else 1.5)


def new_section(document: docx.document.Document, *, landscape: bool) -> None:
    """Start a new page in the given orientation; page numbers run on.

    python-docx ends the section in a paragraph of its own; when the page is full, that
    empty paragraph would spill onto a blank page, so the break moves into the paragraph
    before it.
    """
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=landscape)
    section.different_first_page_header_footer = False
    body = document.element.body
    breaker = body[-2]  # the paragraph holding the break; the body's own sectPr is last
    before = breaker.getprevious()
    if before is not None and before.tag == qn("w:p"):
        sect_pr = breaker.find(qn("w:pPr")).find(qn("w:sectPr"))
        before.get_or_add_pPr().append(sect_pr)
        body.remove(breaker)


def text_width(document: docx.document.Document) -> float:
    """The width between the margins of the last section, in centimetres."""
    s = document.sections[-1]
    emu = (s.page_width or 0) - (s.left_margin or 0) - (s.right_margin or 0)
    return emu / 360000  # EMU per centimetre


def _page_number(paragraph: Paragraph) -> None:
    """A PAGE field, centred (Word and LibreOffice fill it in when they lay out the pages)."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    begin, instr, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)
    run.font.size = Pt(11)


def paragraph(
    document: docx.document.Document,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
) -> Paragraph:
    p = document.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Cm(1.25)
    return p


def caption(document: docx.document.Document, text: str, *, figure: bool = False) -> Paragraph:
    """«Таблица 1. …» above its table (kept with it), «Рисунок 1. …» centred under a figure."""
    p = paragraph(document, text, bold=not figure, size=11)
    p.paragraph_format.keep_with_next = not figure
    p.paragraph_format.space_before = Pt(8 if not figure else 2)
    if figure:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def note(document: docx.document.Document, text: str) -> Paragraph:
    """A small note under a table or a figure (what it reads, where its data is)."""
    p = paragraph(document, text, italic=True, size=9)
    p.paragraph_format.space_after = Pt(8)
    return p


def picture(document: docx.document.Document, png: bytes, width_cm: float) -> None:
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))


def repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    for cell in table.rows[0].cells:
        for p in cell.paragraphs:
            for run in p.runs:
                run.bold = True
        shade(cell, "D9E2F3")


def shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _keep_row(row: _Row) -> None:
    """A row is not split across pages (a row taller than a page still is)."""
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _cell_text(cell: _Cell, text: str, size: float = TABLE_PT) -> None:
    """``text`` in ``cell``, a paragraph a line, with no space after, at ``size`` points.

    Each line's paragraph is a copy of one python-docx built once per size (the same XML
    as building it call by call, at a fraction of the cost: a report has two thousand
    cells); a line with a tab or a carriage return is written by python-docx itself."""
    tc = cell._tc
    for child in [e for e in tc if e.tag != _TC_PR]:
        tc.remove(child)
    first, other = _line_paragraphs(size)
    for i, line in enumerate(text.split("\n")):
        p = copy.deepcopy(first if i == 0 else other)
        tc.append(p)
        run = p[-1]
        if "\t" in line or "\r" in line:
            run.text = line
        elif line:
            t = run.makeelement(_T, {})
            t.text = line
            if len(line.strip()) < len(line):
                t.set(_SPACE, "preserve")
            run.append(t)


_TC_PR, _T, _SPACE = qn("w:tcPr"), qn("w:t"), qn("xml:space")


@functools.cache
def _line_paragraphs(size: float) -> tuple[BaseOxmlElement, BaseOxmlElement]:
    """A cell's first and next line paragraphs at ``size`` points, empty, as python-docx
    writes them: the first begins with the empty run that clearing a cell leaves."""
    cell = _Cell(OxmlElement("w:tc"), None)  # type: ignore[arg-type]
    cell.text = ""
    lines = [cell.paragraphs[0], cell.add_paragraph()]
    for p in lines:
        p.paragraph_format.space_after = Pt(0)
        p.add_run().font.size = Pt(size)
    first, other = (p._p for p in lines)
    return first, other


def new_table(
    document: docx.document.Document,
    header: list[str],
    widths: list[float],
    *,
    size: float = TABLE_PT,
) -> Table:
    """A grid table with a repeated header row; ``size`` is its text size in points."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid: what LibreOffice and Word lay out by
    for cell, text, width in zip(table.rows[0].cells, header, widths, strict=True):
        _cell_text(cell, text, size)
        cell.width = Cm(width)
    repeat_header(table)
    _keep_row(table.rows[0])
    return table


def add_row(
    table: Table,
    values: list[str],
    widths: list[float],
    color: RGBColor | None = None,
    *,
    tones: dict[int, Tone] | None = None,
    size: float = TABLE_PT,
) -> list[_Cell]:
    """A row of text; ``tones`` colours the cells at those columns by status."""
    if len(widths) != table._tbl.col_count:
        raise ValueError(f"{len(widths)} widths for a table of {table._tbl.col_count} columns")
    tr = copy.deepcopy(_row_prototype(tuple(widths)))
    table._tbl.append(tr)  # where python-docx adds a row: rows are the table's last children
    cells = list(_Row(tr, table).cells)
    for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
        _cell_text(cell, text, size)
        tone = (tones or {}).get(i)
        rgb = TONE_RGB[tone] if tone is not None else color
        if rgb is not None:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.color.rgb = rgb
        if tone is not None and (fill := TONE_FILL[tone]):
            shade(cell, fill)
    return cells


@functools.lru_cache(maxsize=32)
def _row_prototype(widths: tuple[float, ...]) -> BaseOxmlElement:
    """An empty row kept on one page, its cells ``widths`` wide, as python-docx's
    ``add_row`` and width setters write it (the copy ``add_row`` makes of it costs a
    fraction of setting each cell's width call by call)."""
    tbl = CT_Tbl.new_tbl(0, len(widths), Cm(sum(widths)))
    row = Table(tbl, None).add_row()  # type: ignore[arg-type]
    _keep_row(row)
    for tc, width in zip(row._tr.tc_lst, widths, strict=True):
        tc.width = Cm(width)
    return row._tr


def keep_rows_together(table: Table, first: int, last: int) -> None:
    """Rows ``first``..``last`` on one page: each paragraph of each but the last row is kept
    with the next (Word and LibreOffice move the group to the next page whole)."""
    for row in table.rows[first:last]:
        for tc in row._tr.findall(qn("w:tc")):
            for p in _Cell(tc, table).paragraphs:
                p.paragraph_format.keep_with_next = True


# The width a Cyrillic character of Times New Roman takes on average, as a share of the
# font size (bold a little wider; measured on LibreOffice's pages: «Минобразования» at 9 pt
# needs 2,2 cm), and a cell's left and right padding together (Word's default, 0,19 cm a
# side), in centimetres.
CHAR_EM = 0.52
BOLD_EM = 0.58
CELL_PADDING = 0.4


# where a line may break: spaces, and after a hyphen or a slash («социально-»)
_BREAKS = re.compile(r"\s+|(?<=[-/])")


def _word_cm(word: str, size: float, bold: bool) -> float:
    return len(word) * size * (BOLD_EM if bold else CHAR_EM) * 2.54 / 72 + CELL_PADDING


def _needs(table: Table, columns: int, size: float) -> list[float]:
    """Each column's width for its longest word (the header's in bold)."""
    need = [0.0] * columns
    for i, row in enumerate(table.rows):
        tcs = row._tr.findall(qn("w:tc"))
        if len(tcs) != columns:  # a row across several columns (a group's name)
            continue
        for col, tc in enumerate(tcs):
            lines = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
            longest = max(_BREAKS.split(" ".join(lines)), key=len, default="")
            need[col] = max(need[col], _word_cm(longest, size, bold=i == 0))
    return need


def settle_widths(table: Table, size: float = TABLE_PT) -> None:
    """Give every column at least its longest word's width (a word is never broken inside a
    cell) and the rest of the table's width as the columns had it beyond that; a table
    whose words cannot all fit shares its width in proportion to them."""
    widths = [c.width / 360000 if c.width else 0.0 for c in table.columns]
    need = _needs(table, len(widths), size)
    if all(n <= w for n, w in zip(need, widths, strict=True)):
        return
    total, least = sum(widths), sum(need)
    excess = [max(0.0, w - n) for w, n in zip(widths, need, strict=True)]
    if least >= total or not sum(excess):
        new = [n * total / least for n in need]
    else:
        new = [n + (total - least) * e / sum(excess) for n, e in zip(need, excess, strict=True)]
    for column, width in zip(table.columns, new, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        tcs = row._tr.findall(qn("w:tc"))
        if len(tcs) == len(new):
            for tc, width in zip(tcs, new, strict=True):
                _Cell(tc, table).width = Cm(width)


def group_row(table: Table, text: str, size: float = TABLE_PT) -> None:
    """A row across the whole table naming a group (a section, an indicator group)."""
    row = table.add_row()
    _keep_row(row)
    cells = row.cells
    merged = cells[0].merge(cells[-1])
    _cell_text(merged, text, size)
    merged.paragraphs[0].paragraph_format.keep_with_next = True
    for run in merged.paragraphs[0].runs:
        run.bold = True
    shade(merged, "F2F2F2")


def layout_table(
    document: docx.document.Document, rows: list[list[str]], widths: list[float]
) -> Table:
    """A borderless table that places text side by side (requisites, signature)."""
    table = document.add_table(rows=0, cols=len(widths))
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for values in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, values, widths, strict=True):
            _cell_text(cell, text, size=12)
            cell.width = Cm(width)
    return table


def landscape(document: docx.document.Document, first: bool = False) -> None:
    """Landscape pages: the first section's, or a new one."""
    if first:
        _page(document.sections[0], landscape=True)
    else:
        new_section(document, landscape=True)
