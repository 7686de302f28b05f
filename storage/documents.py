"""Reading program documents from disk: the text export as a string, a Word file's tables as cells.

Word tables come back as rows of ``Cell`` (the domain's cell type), merged cells repeated
as python-docx reports them; ``roadmap.drafting.importer.rows_from_table`` makes rows of them.
"""

from __future__ import annotations

from pathlib import Path

import docx

from roadmap.drafting.source_tables import ROADMAP_HEADING, Cell
from roadmap.errors import ImportFailed, Location


def read_text_export(path: Path) -> str:
    """The text of a plain-text export, as UTF-8 (with or without a byte-order mark).

    Raises:
        ImportFailed: the file cannot be read or is not UTF-8 text.
    """
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"не удалось прочитать файл: {exc}", Location(str(path))) from None


def read_docx_tables(path: Path) -> tuple[list[list[Cell]], list[list[Cell]]]:
    """The key-indicator table and the road-map table of a program's ``.docx``.

    The road map is the table whose header names «Наименование мероприятия» (six columns);
    the indicator table is the one before it with seven columns (empty when the document
    has none). ``Cell.line`` is the 1-based row number within its table.

    Raises:
        ImportFailed: the file is not a Word document or has no road-map table.
    """
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for a bad file
        raise ImportFailed(
            f"не удалось открыть документ Word: {exc}", Location(str(path))
        ) from None
    roadmap_table = indicator_table = None
    for table in document.tables:
        rows = [[Cell(c.text, i + 1) for c in row.cells] for i, row in enumerate(table.rows)]
        header = " ".join(c.text for c in rows[0]) if rows else ""
        if roadmap_table is None and "Наименование мероприятия" in header:
            roadmap_table = rows
        elif indicator_table is None and rows and len(rows[0]) == 7:
            indicator_table = rows
    if roadmap_table is None:
        raise ImportFailed(f"в документе нет таблицы «{ROADMAP_HEADING}»", Location(str(path)))
    return indicator_table or [], roadmap_table


def read_docx_text(path: Path) -> str:
    """The paragraphs of a Word document outside its tables, one per line (the narrative).

    Raises:
        ImportFailed: the file is not a Word document.
    """
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for a bad file
        raise ImportFailed(
            f"не удалось открыть документ Word: {exc}", Location(str(path))
        ) from None
    return "\n".join(p.text for p in document.paragraphs)
