"""A cell's text written from copied paragraphs is the XML python-docx's own calls write."""

from __future__ import annotations

import docx
import pytest
from docx.shared import Pt
from docx.table import _Cell
from lxml import etree

from documents.docx_kit import _cell_text


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
