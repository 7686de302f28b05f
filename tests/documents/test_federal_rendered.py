"""The federal summary as the Commissioner's Office prints it: rendered to pages, and read.

Three regions, one of them with the longest name of the project, so that a column too
narrow or a table wider than its page shows: every column's header and every region's full
name must be on the page where its table begins, the percentages signed with a minus, and no
program id anywhere.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from documents.federal import WORD_HEADERS, write_federal_docx
from roadmap.program.model import Person, Program
from tests.documents.federal_data import REGIONS, federal_view
from tests.documents.render import PDFTOTEXT, to_pdf

SIGNATORY = Person(name="Петрова Анна Сергеевна", position="Начальник отдела мониторинга")


def _layout(pdf: Path) -> list[str]:
    """The pages as ``pdftotext -layout`` reads them: text off the page is not there."""
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=120
    ).stdout.decode("utf-8")
    return [p for p in text.split("\f") if p.strip()]


@pytest.fixture(scope="module")
def pages(program: Program, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    tmp = tmp_path_factory.mktemp("federal")
    path = write_federal_docx(federal_view(program), tmp / "svod.docx", SIGNATORY)
    return _layout(to_pdf(path, tmp / "pdf"))


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w−%-]+", text.replace("\u00a0", " ")))


def test_every_column_and_every_region_is_on_the_page_its_table_starts(
    pages: list[str],
) -> None:
    for n, header in enumerate(WORD_HEADERS, start=1):
        page = next(p for p in pages if f"Таблица {n}." in p)
        words = _words(page)
        for column in header:
            missing = _words(column) - words
            assert not missing, (n, column, missing)
        for region in REGIONS:
            assert _words(region) <= words, (n, region)
    assert all(_words(region) <= _words(pages[0]) for region in REGIONS)


def test_the_summary_signs_with_a_minus_and_names_no_program(
    pages: list[str], program: Program
) -> None:
    whole = "\n".join(pages)
    assert re.search(r"−\d+,\d\s?%", whole.replace("\u00a0", " "))  # −2,5 %
    assert not re.search(r"(?<![\d\w])-\d+,\d", whole)  # no hyphen for a minus
    assert program.id not in whole
    assert program.title[:60] in " ".join(whole.split())  # the program by its title
    last = " ".join(pages[-1].split())
    assert "(подпись)" in last and "(дата)" in last  # position, name, a line for the date
    assert "Начальник отдела мониторинга" in last and "А.С. Петрова" in last
