"""Reading program documents from disk: the text export as a string, a Word file's tables as cells.

A Word file is read in a bounded child process (``storage.inspection``), as evidence is.

Word tables come back as rows of ``Cell`` (the domain's cell type), merged cells repeated
as python-docx reports them; ``roadmap.drafting.importer.rows_from_table`` makes rows of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from roadmap.drafting.source_tables import ROADMAP_HEADING, Cell
from roadmap.errors import ImportFailed, Location
from storage.errors import EvidenceRejected
from storage.file_types import check_word_bounds
from storage.inspection import inspect_word


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
        ImportFailed: the file is not a Word document, has no road-map table, or does not
            open within the bounds of ``storage.inspection``.
    """
    tables, _ = read_docx(path)
    return tables


def read_docx_text(path: Path) -> str:
    """The paragraphs of a Word document outside its tables, one per line (the narrative).

    Raises:
        ImportFailed: the file is not a Word document, or does not open within bounds.
    """
    _, narrative = read_docx(path)
    return narrative


Tables = tuple[list[list[Cell]], list[list[Cell]]]


def read_docx(path: Path) -> tuple[Tables, str]:
    """A program's Word document, read once in a bounded process: its indicator and
    road-map tables, and its narrative.

    The file is checked as evidence is (members, inflated bytes, XML nodes, no document
    type: ``storage.file_types.check_word_bounds``) before python-docx parses it, and the
    whole reading runs under ``storage.inspection``'s memory ceiling and clock, so a Word
    bomb given to ``roadmap init`` is refused instead of taking the machine's memory.

    Raises:
        ImportFailed: as ``read_docx_tables``.
    """
    read = inspect_word(path)
    indicators, roadmap = (
        [[Cell(text, line) for text, line in row] for row in read[key]]
        for key in ("indicators", "roadmap")
    )
    return (indicators, roadmap), str(read["narrative"])


def parse_word(path: Path) -> dict[str, Any]:
    """What ``read_docx`` returns, as JSON values, read in this process (the bounded child
    of ``storage.inspection`` calls it; nothing else should).

    Raises:
        ImportFailed: the file is out of bounds, not a Word document, or has no road map.
    """
    import docx

    try:
        check_word_bounds(path)
    except EvidenceRejected as exc:
        raise ImportFailed(f"документ Word не принят: {exc.message}", Location(str(path))) from None
    try:
        document = docx.Document(str(path))
    except MemoryError:  # the inspecting process's ceiling: said as such by its parent
        raise
    except Exception as exc:  # python-docx raises several unrelated types for a bad file
        raise ImportFailed(
            f"не удалось открыть документ Word: {exc}", Location(str(path))
        ) from None
    roadmap_table = indicator_table = None
    for table in document.tables:
        rows = [[(c.text, i + 1) for c in row.cells] for i, row in enumerate(table.rows)]
        header = " ".join(text for text, _ in rows[0]) if rows else ""
        if roadmap_table is None and "Наименование мероприятия" in header:
            roadmap_table = rows
        elif indicator_table is None and rows and len(rows[0]) == 7:
            indicator_table = rows
    if roadmap_table is None:
        raise ImportFailed(f"в документе нет таблицы «{ROADMAP_HEADING}»", Location(str(path)))
    narrative = "\n".join(p.text for p in document.paragraphs)
    return {"indicators": indicator_table or [], "roadmap": roadmap_table, "narrative": narrative}
