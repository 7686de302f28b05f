"""The federal summary's workbook and panel page: read back as Calc and a browser would."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from documents.federal import headline_rows, write_federal_panel, write_federal_xlsx
from roadmap.program.model import Program
from tests.documents.federal_data import federal_view


def test_the_workbook_names_programs_by_title_and_prints_shares_as_percentages(
    program: Program, tmp_path: Path
) -> None:
    view = federal_view(program)
    book = load_workbook(write_federal_xlsx(view, tmp_path / "svod.xlsx"))
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if program.id in str(c.value or "")]
    executors = book["Исполнители"]
    assert executors["E1"].value == "Полнота" and executors["E2"].value == 0.7
    assert executors["E2"].number_format == "0.0%" and executors["F2"].number_format == "0.0%"
    headline = book["Ключевой показатель"]
    assert headline["H1"].value == "Отклонение" and headline["H2"].number_format == "0.0%"
    probability = headline["M2"]  # a year of values and more: the forecast judges
    assert probability.value is not None and probability.number_format == "0.0%"
    # a count of children: whole numbers, thousands apart
    for column in "GJKL":
        value = headline[f"{column}2"].value
        assert value is None or isinstance(value, int), (column, value)
    assert headline["D2"].number_format == "#,##0"


def test_every_sheet_prints_one_page_wide_with_its_header_on_each_page(
    program: Program, tmp_path: Path
) -> None:
    book = load_workbook(write_federal_xlsx(federal_view(program), tmp_path / "svod.xlsx"))
    for ws in book:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1", ws.title


def test_the_panel_has_a_header_cell_for_each_cell_of_a_row(
    program: Program, tmp_path: Path
) -> None:
    page = write_federal_panel(federal_view(program), tmp_path / "index.html").read_text("utf-8")
    table = page[page.index("3. Численность детей") :].split("</table>")[0]
    header, first = table.split("</tr>")[:2]
    assert header.count("<th>") == first.count("<td")


def test_a_perfectly_straight_headline_has_an_interval_and_no_certain_probability(
    program: Program,
) -> None:
    # the test data fall by exactly 10,5 a month: the fit is exact, yet the summary gives an
    # interval (0,5 % of the level a month at the least) and never a probability of 0 or 1
    rows = headline_rows(federal_view(program))
    forecast, verdict = rows[0][0][7:9]
    assert forecast == "1\u00a0888 (1\u00a0842 – 1\u00a0934)"
    assert verdict == "высокий риск недостижения, вероятность достижения 1\u00a0%"
