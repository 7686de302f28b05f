"""A table row and a cell's text written from copied elements are the XML python-docx's own
calls write."""

from __future__ import annotations

import docx
import pytest
from docx.shared import Cm, Pt
from docx.table import _Cell
from lxml import etree

from documents.docx_kit import _cell_text, _keep_row, add_row, new_table


def by_python_docx(cell: _Cell, text: str, size: float) -> None:
    """The cell's text as python-docx writes it call by call (the way it was written)."""
    cell.text = ""
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    for i, line in enumerate(text.split("\n")):
        if i:
            p = cell.add_paragraph()
            p.paragraph_format.space_after = Pt(0)
        p.add_run(line).font.size = Pt(size)


@pytest.mark.parametrize(
    "text",
    ["6.1", "", "первая\nвторая\n\nчетвёртая", "  с пробелами  ", "a\tb\rc", "\n", "—\n "],
)
@pytest.mark.parametrize("size", [9, 10, 12, 10.5])
def test_a_cell_reads_as_python_docx_writes_it(text: str, size: float) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    fast, slow = table.rows[0].cells
    for cell in (fast, slow):
        cell.text = "прежний текст"  # what was there goes
    _cell_text(fast, text, size)
    by_python_docx(slow, text, size)
    assert etree.tostring(fast._tc) == etree.tostring(slow._tc)
    assert fast.text == slow.text


def test_a_row_reads_as_python_docx_writes_it() -> None:
    widths = [1.1, 4.6, 3.0]
    rows = [["1", "Первое\nмероприятие", ""], ["2", "Второе", "  итог  "]]
    built = []
    for fast in (True, False):
        document = docx.Document()
        table = new_table(document, ["№", "Мероприятие", "Итог"], widths)
        for values in rows:
            if fast:
                add_row(table, values, widths, size=9)
                continue
            row = table.add_row()  # what add_row did before it copied a row
            _keep_row(row)
            for cell, text, width in zip(row.cells, values, widths, strict=True):
                _cell_text(cell, text, 9)
                cell.width = Cm(width)
        built.append(etree.tostring(table._tbl))
    assert built[0] == built[1]
    with pytest.raises(ValueError, match="2 widths for a table of 3 columns"):
        add_row(table, ["1", "2"], widths[:2])
