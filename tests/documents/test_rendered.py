"""The consolidated report as an official reads it: rendered to pages, and the pages read.

LibreOffice lays the Word document out as a printer would; the assertions are on the text
of the pages: the requisites on the first page, page numbers from the second, numbered
tables and figures, the header row on every page a table runs over, periods and dates in
words, the signature block and the performer, identifiers only in the appendix.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from documents.consolidation import write_consolidated
from documents.texts import shortfall_items
from roadmap.dates.periods import parse_period
from roadmap.dates.workdays import get_calendar
from roadmap.program.model import Program
from roadmap.reports.report import Report, build_report
from storage.db import make_engine, session_scope, upgrade
from storage.evidence import EvidenceStore
from storage.reporting import report_facts
from storage.sync import sync_program
from tests.db import SYNC_AT
from tests.documents.render import pages, to_pdf
from tests.documents.reports_data import populate

CODE = re.compile(r"\b20\d\d-(?:H[12]|Q[1-4]|\d\d)\b")


@pytest.fixture(scope="module")
def rendered(
    program: Program, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Report, list[str]]:
    """The half-year report of the known facts, rendered once (on SQLite: layout does not
    depend on the backend)."""
    tmp = tmp_path_factory.mktemp("rendered")
    engine = make_engine(f"sqlite:///{tmp / 'roadmap.db'}")
    upgrade(engine)
    with session_scope(engine) as s:
        sync_program(session=s, program=program, at=SYNC_AT)
    populate(engine, program, EvidenceStore(tmp / "evidence"))
    with session_scope(engine) as s:
        facts = report_facts(session=s, program_id=program.id)
    engine.dispose()
    report = build_report(
        program,
        facts,
        as_of=dt.date(2025, 8, 1),
        period=parse_period("2025-H1"),
        calendar=get_calendar(),
    )
    [path] = write_consolidated(report, program, tmp, ("docx",))
    return report, pages(to_pdf(path, tmp / "pdf"))


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _dense(text: str) -> str:
    """Without spaces: a phrase matches wherever the page breaks its lines."""
    return re.sub(r"\s+", "", text)


def _top(page: str) -> str:
    return next(line.strip() for line in page.splitlines() if line.strip())


def test_the_first_page_carries_the_requisites_and_the_title(
    rendered: tuple[Report, list[str]],
) -> None:
    _, text = rendered
    first = _flat(text[0])
    for words in (
        "Министерство социальной политики Красноярского края",
        "Аппарат Уполномоченного",
        "№ ____ от ________",
        "СВОДНЫЙ ОТЧЁТ",
        "достижения установленных ключевых показателей за I полугодие 2025 года",
        "(по состоянию на 1 августа 2025 г.)",
        "1. Общие положения",
        "Таблица 1. Сводные показатели оценки",
    ):
        assert words in first, words
    assert not _top(text[0]).isdigit()  # the first page is not numbered


def test_pages_are_numbered_and_tables_keep_their_header_on_every_page(
    rendered: tuple[Report, list[str]],
) -> None:
    _, text = rendered
    assert len(text) > 10
    assert [_top(page) for page in text[1:]] == [str(i) for i in range(2, len(text) + 1)]
    flat = [_flat(p) for p in text]
    start = next(i for i, p in enumerate(flat) if "Таблица 3." in p)
    end = next(i for i, p in enumerate(flat) if "Таблица 4." in p)
    assert end - start > 3  # the activities run over many pages
    for page in flat[start : end + 1]:  # the header row, its words in reading order
        assert all(w in page for w in ("Наименование", "Исполнители", "Подтверждающий")), page


def test_table_3_breaks_no_word_and_says_where_no_reasons_came(
    rendered: tuple[Report, list[str]],
) -> None:
    _, text = rendered
    flat = [_flat(p) for p in text]
    start = next(i for i, p in enumerate(flat) if "Таблица 3." in p)
    end = next(i for i, p in enumerate(flat) if "Таблица 4." in p)
    for page in text[start : end + 1]:  # the header's words whole on every page
        assert all(w in page for w in ("Контрольная", "невыполнения", "Подтверждающий")), page
    table = "\n".join(text[start : end + 1])
    for tail in ("Минсоцполитик\nи", "Минобразовани\nя", "выполнен\nо", "Контрольна\nя"):
        assert tail not in table, tail
    assert "причины не представлены" in " ".join(flat[start : end + 1])
    conclusions = " ".join(flat[next(i for i, p in enumerate(flat) if "7. Выводы" in p) :])
    assert "Причины невыполнения (нарушения сроков) мероприятий" in conclusions
    assert "— не выполнено: причины не представлены." in conclusions


def test_tables_and_figures_are_numbered_in_order_with_captions(
    rendered: tuple[Report, list[str]],
) -> None:
    _, text = rendered
    whole = _flat(" ".join(text))
    assert re.findall(r"Таблица (\d+)\. [А-Я]", whole) == [str(i) for i in range(1, 7)]
    assert re.findall(r"Рисунок (\d+)\. [А-Я]", whole) == ["1", "2", "3"]
    assert "Данные — лист «Численность детей» книги Excel." in whole


def test_pages_speak_in_words_and_keep_identifiers_for_the_appendix(
    rendered: tuple[Report, list[str]],
) -> None:
    report, text = rendered
    flat = [_flat(p) for p in text]
    appendix = next(i for i, p in enumerate(flat) if "Приложение к сводному отчёту" in p)
    body = " ".join(flat[:appendix])
    assert not CODE.search(body), CODE.search(body)
    assert "1 полугодие" not in body and "+0,0" not in body
    assert "март 2025 г." in body and "07.04.2025" in body
    hashes = [e.sha256 for o in report.all_lines for e in o.evidence]
    whole = _dense(" ".join(flat))
    assert hashes and not any(h[:16] in whole for h in hashes)  # the appendix's neither
    dense = _dense(body)
    assert _dense("от 19.06.2025 № 75") in dense  # pdftotext joins «75-» at a line's end
    assert _dense("О практике лишения и ограничения родительских прав") in dense
    # the consolidated report is not among the executors' reports
    reports = body[body.index("Таблица 4.") : body.index("5. Исполнительская дисциплина")]
    assert "Минобразования края" in reports and "Сводный отчёт" not in reports


def test_the_assessment_closes_with_conclusions_a_signature_and_the_performer(
    rendered: tuple[Report, list[str]],
) -> None:
    report, text = rendered
    flat = [_flat(p) for p in text]
    first = next(i for i, p in enumerate(flat) if "7. Выводы" in p)
    assert all(_flat(c)[:60] in " ".join(flat[first:]) for c in report.conclusions)
    last = next(p for p in flat[first:] if "Министр социальной политики" in p)
    closing = shortfall_items(report)[-1]  # section 7 ends with the shortfalls' reasons
    assert _flat(closing)[-40:] in last  # the signature is not alone
    assert "Министр социальной политики Красноярского края" in last
    assert "Исполнитель: ________________, тел. ________________" in last  # on the same page
    assert "не достигнуто" in " ".join(flat) and "уровень достижения" not in last
