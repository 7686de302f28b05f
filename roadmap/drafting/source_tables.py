"""The two tables of a program document (key indicators, road map) read into rows of cells.

The plain-text export of the Word document flattens each table: a row starts on a line
that begins with a tab and the row number, and each following cell starts on a new line
that begins with a tab; lines without a leading tab continue the cell above. A ``.docx``
gives the rows directly (``storage.documents.read_docx_tables`` turns one into ``Cell``
lists), so both forms meet here as lists of ``Cell``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from roadmap.errors import ImportFailed, Location

INDICATORS_HEADING = "Ключевые показатели реализации"
ROADMAP_HEADING = "Дорожная карта мероприятий"

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


@dataclass(frozen=True)
class Cell:
    """One table cell's text (line wraps kept) and the 1-based line where it starts."""

    text: str
    line: int

    @property
    def flat(self) -> str:
        """The text with its line wraps and runs of spaces collapsed."""
        return " ".join(self.text.split())


def clean(text: str) -> str:
    """Drop the export's bookmark markers and collapse whitespace."""
    return " ".join(_BOOKMARK.sub("", text).split())


def split_text_export(text: str) -> tuple[list[Cell], list[Cell], int]:
    """Split a plain-text export into the indicator table's and the road map's cells.

    A document without an indicator table gives no indicator cells: a road map alone is a
    program too.

    Returns:
        (indicator cells, road-map cells, line of the road-map heading).

    Raises:
        ImportFailed: the road map's heading is missing, or comes before the indicators'.
    """
    lines = text.splitlines()
    ind_at = _find_heading(lines, INDICATORS_HEADING)
    map_at = _find_heading(lines, ROADMAP_HEADING)
    if map_at is None:
        raise ImportFailed(f"в документе нет раздела «{ROADMAP_HEADING}»")
    if ind_at is not None and map_at < ind_at:
        raise ImportFailed("раздел дорожной карты идёт раньше ключевых показателей")
    indicators = [] if ind_at is None else _cells(lines[ind_at + 1 : map_at], first_line=ind_at + 2)
    return indicators, _cells(lines[map_at + 1 :], first_line=map_at + 2), map_at + 1


def narrative(text: str) -> str:
    """The document's text before its first table (title, goals, who reports to whom)."""
    lines = text.splitlines()
    ends = [
        i
        for i in (_find_heading(lines, INDICATORS_HEADING), _find_heading(lines, ROADMAP_HEADING))
        if i is not None
    ]
    return _BOOKMARK.sub("", "\n".join(lines[: min(ends, default=len(lines))]))


def _find_heading(lines: list[str], heading: str) -> int | None:
    for i, line in enumerate(lines):
        if line.strip() == heading:
            return i
    return None


def _cells(lines: list[str], *, first_line: int) -> list[Cell]:
    cells: list[Cell] = []
    current: list[str] | None = None
    start = 0
    for offset, raw in enumerate(lines):
        stripped = raw.lstrip(" ")
        if stripped.startswith("\t"):
            if current is not None:
                cells.append(Cell("\n".join(current).strip(), start))
            current = [stripped[1:]]
            start = first_line + offset
        elif current is not None:
            current.append(raw)
    if current is not None:
        cells.append(Cell("\n".join(current).strip(), start))
    return cells


_ACTIVITY_NO = re.compile(r"^(\d+)\.(\d+)\.?$")
_SECTION_NO = re.compile(r"^([IVXLC]+)\.?$")
_HEADER_NO = re.compile(r"^№")


@dataclass(frozen=True)
class RoadmapRow:
    """A road-map row: a section heading (``number`` roman) or an activity (six cells)."""

    kind: str  # "section" | "activity"
    cells: tuple[Cell, ...]


def group_roadmap_cells(cells: list[Cell], *, file: str | None = None) -> list[RoadmapRow]:
    """Group the road map's cell stream into section rows and six-cell activity rows.

    The table's own header rows («№ п/п …» and the column numbers 1–6) are skipped.

    Raises:
        ImportFailed: a cell appears where a row number is expected, or a row is cut short.
    """
    rows: list[RoadmapRow] = []
    i = 0
    while i < len(cells):
        c = cells[i]
        text = c.flat
        if _HEADER_NO.match(text):
            i += 6
            continue
        if (
            text == "1"
            and i + 5 < len(cells)
            and [x.flat for x in cells[i : i + 6]] == ["1", "2", "3", "4", "5", "6"]
        ):
            i += 6
            continue
        if _SECTION_NO.match(text):
            _need(cells, i, 2, file)
            rows.append(RoadmapRow("section", tuple(cells[i : i + 2])))
            i += 2
            continue
        if _ACTIVITY_NO.match(text):
            _need(cells, i, 6, file)
            rows.append(RoadmapRow("activity", tuple(cells[i : i + 6])))
            i += 6
            continue
        raise ImportFailed(
            f"ожидался номер мероприятия или раздела, найдено «{text[:60]}»",
            Location(file, c.line),
        )
    return rows


def _need(cells: list[Cell], i: int, n: int, file: str | None) -> None:
    if i + n > len(cells):
        raise ImportFailed(
            f"строка «{cells[i].flat}» обрывается: нужно ячеек {n}, есть {len(cells) - i}",
            Location(file, cells[i].line),
        )


_INDICATOR_NO = re.compile(r"^(\d+)\.(\d+)$")
_GROUP = re.compile(r"^(\d+)\.\s+(\S.*)$", re.S)


@dataclass(frozen=True)
class IndicatorRow:
    """A group heading (``kind`` "group") or an indicator row (number, name, unit, values).

    ``recovered`` is True for the table's first indicator when the export lost its number
    and its group heading together with the table header.
    """

    kind: str
    cells: tuple[Cell, ...]
    recovered: bool = False


def group_indicator_cells(
    cells: list[Cell], *, values: int = 4, file: str | None = None
) -> list[IndicatorRow]:
    """Group the key-indicator table's cells into group headings and indicator rows.

    Raises:
        ImportFailed: a row is cut short or a cell cannot start a row.
    """
    rows: list[IndicatorRow] = []
    width = 3 + values
    i = 0
    while i < len(cells):
        text = clean(cells[i].text)
        if _INDICATOR_NO.match(text):
            _need(cells, i, width, file)
            rows.append(IndicatorRow("indicator", tuple(cells[i : i + width])))
            i += width
        elif _GROUP.match(text):
            rows.append(IndicatorRow("group", (cells[i],)))
            i += 1
        elif not rows:
            # The export dropped the header row and, with it, the first row's number cell.
            _need(cells, i, width - 1, file)
            rows.append(IndicatorRow("indicator", tuple(cells[i : i + width - 1]), recovered=True))
            i += width - 1
        else:
            raise ImportFailed(
                f"ожидался номер показателя или группы, найдено «{text[:60]}»",
                Location(file, cells[i].line),
            )
    return rows
