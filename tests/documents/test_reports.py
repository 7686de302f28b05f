"""The consolidated report, its charts and the panel: files opened and their content checked."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from sqlalchemy.engine import Engine

from documents.consolidation import make_charts, write_consolidated
from documents.panel import panel_context, render_panel
from roadmap.periods import parse_period
from roadmap.program import Program
from roadmap.report import Report, build_report
from roadmap.workdays import get_calendar
from storage.actuals import record_indicator_value
from storage.db import session_scope
from storage.evidence import EvidenceStore, record_evidence
from storage.reporting import report_facts
from tests.db import at
from tests.documents.reports_data import populate
from tests.storage.files import PDF


@pytest.fixture
def report(synced: Engine, program: Program, store: EvidenceStore) -> Report:
    populate(synced, program, store)
    with session_scope(synced) as s:
        facts = report_facts(session=s, program_id=program.id)
    return build_report(program, facts, as_of=dt.date(2025, 8, 1), period=parse_period("2025-H1"),
                        calendar=get_calendar())  # fmt: skip


def test_report_model_reads_the_facts(report: Report) -> None:
    lines = {o.id.split(":", 1)[1]: o for o in report.all_lines}
    assert lines["6.1:2025-01"].fulfilled and lines["6.1:2025-01"].on_time
    assert lines["6.1:2025-02"].fulfilled and lines["6.1:2025-02"].on_time is False
    assert lines["6.1:2025-04"].accepted is False and not lines["6.1:2025-04"].fulfilled
    assert lines["6.1:2025-05"].status == "просрочено"
    ind = {i.indicator.code: i for i in report.indicators}
    assert ind["1.5"].checkpoint == "2025-H1" and ind["1.5"].target == 1203
    assert ind["1.5"].actual == 1100 and ind["1.5"].better is False
    assert ind["1.5"].explanation == "суды отложили решения"
    assert ind["8.8"].better is True  # down is better: 2.0 against 2.5
    # 1.1 has no checkpoint value: the month after the checkpoint, as of 1 July, adds up
    assert ind["1.1"].actual == 760 + 1190 + 112
    assert ind["1.2"].actual is None
    activity = next(a for s in report.sections for a in s.activities if a.activity.number == "3.2")
    assert activity.targets[0].reported == 12 and activity.targets[0].met is False
    assert report.headcount[0].actual == 2200 and report.headcount[0].trajectory == 2211
    assert any(line.startswith("Не представлены документы по") for line in report.missing)
    assert any("Нет фактических значений" in line for line in report.missing)
    minobr = next(d for d in report.discipline if d.org == "minobr")
    assert minobr.rates.due > 0 and minobr.rates.completeness is not None


def test_docx_has_sections_repeating_headers_landscape_and_charts(
    report: Report, program: Program, tmp_path: Path
) -> None:
    paths = write_consolidated(report, program, tmp_path, ("docx",))
    document = docx.Document(str(paths[0]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Чего не хватает", "1. Исполнение дорожной карты"]
    assert (
        "I. Управленческая и финансовая модель системы профилактики социального сиротства в Красноярском крае"
        in headings
    )
    assert {"2. Ключевые показатели", "3. Исполнительская дисциплина"} <= set(headings)
    assert all(s.orientation == WD_ORIENT.LANDSCAPE for s in document.sections)
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "численность март.docx (версия 1, 03.04.2025" in text
    assert "возвращено на доработку" in text
    assert "не менее 18 служб: факт — 12 (2025-H1)" in text
    assert "суды отложили решения" in text
    assert len(document.inline_shapes) == 3  # headcount, misses, timeliness


def test_xlsx_has_a_sheet_per_part_with_real_numbers_and_dates(
    report: Report, program: Program, tmp_path: Path
) -> None:
    paths = write_consolidated(report, program, tmp_path, ("xlsx",))
    wb = openpyxl.load_workbook(paths[0])
    assert wb.sheetnames == ["Чего не хватает", "Дорожная карта", "Цели мероприятий", "Показатели",
                             "Дисциплина", "Численность детей"]  # fmt: skip
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    road = wb["Дорожная карта"]
    header = [c.value for c in road[1]]
    due_col = header.index("Срок") + 1
    row = next(
        r for r in road.iter_rows(min_row=2) if r[1].value == "6.1" and r[4].value == "2025-03"
    )
    assert isinstance(row[due_col - 1].value, dt.datetime) and row[
        due_col - 1
    ].value.date() == dt.date(2025, 4, 7)
    ind = {r[0].value: r for r in wb["Показатели"].iter_rows(min_row=2)}
    assert ind["1.5"][6].value == 1203 and ind["1.5"][7].value == 1100
    assert isinstance(ind["1.5"][8].value, float) and ind["1.5"][9].value == "хуже плана"
    heads = list(wb["Численность детей"].iter_rows(min_row=2, values_only=True))
    assert heads[0][:2] == (dt.datetime(2025, 1, 1), 2200)


def test_charts_are_png(report: Report, program: Program, tmp_path: Path) -> None:
    paths = write_consolidated(report, program, tmp_path, ("png",))
    assert sorted(p.name.rsplit("-", 1)[1] for p in paths) == [
        "headcount.png",
        "misses.png",
        "timeliness.png",
    ]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths)


def test_panel_is_self_contained_and_the_public_form_has_no_contacts(
    report: Report, program: Program
) -> None:
    from roadmap.recipients import Contact

    contacts = [
        Contact(1, "minsoc", "executor", "Анна Иванова", email="a.ivanova@minsoc.example.org")
    ]
    charts = make_charts(report, program)
    internal = render_panel(panel_context(report, program, charts, public=False, contacts=contacts))
    public = render_panel(panel_context(report, program, charts, public=True, contacts=contacts))
    for html in (internal, public):
        assert "http://" not in html and "https://" not in html and "<script" not in html
        assert html.count('src="data:image/png;base64,') == 2
        assert "1.5</span>" in html and "1 100" in html
    assert "a.ivanova@minsoc.example.org" in internal
    assert "a.ivanova" not in public and "Анна Иванова" not in public
    assert "мероприятие 6.15" in public and "мероприятие 6.8" in internal


def test_indicators_are_judged_at_the_last_checkpoint_reached(program: Program) -> None:
    from roadmap.report import judged_checkpoint

    periods = [c.period for c in program.checkpoints]
    span = program.span_period
    assert periods[judged_checkpoint(program, span, dt.date(2025, 8, 1))] == "2025-H1"
    assert periods[judged_checkpoint(program, span, dt.date(2027, 1, 10))] == "2026"
    assert periods[judged_checkpoint(program, parse_period("2025"), dt.date(2026, 3, 1))] == "2025"
    assert (
        periods[judged_checkpoint(program, parse_period("2026-H1"), dt.date(2026, 3, 1))]
        == "2026-H1"
    )
    assert (
        periods[judged_checkpoint(program, parse_period("2025-03..2025-05"), dt.date(2025, 6, 1))]
        == "2025-H1"
    )


PEOPLES_TEXT = ['=HYPERLINK("http://evil.example/","клик")', "+1", "-1", "@SUM(A1:A9)"]


def test_xlsx_writes_what_people_typed_as_text_never_as_a_formula(
    synced: Engine, program: Program, store: EvidenceStore, tmp_path: Path
) -> None:
    populate(synced, program, store)
    names = ['=HYPERLINK("#A1","клик").pdf', "+1.pdf", "-1.pdf", "@SUM(A1).pdf"]
    with session_scope(synced) as s:
        for ob, name in zip(
            ("6.1:2025-05", "6.1:2025-06", "2.1:2025-Q1", "2.1:2025-Q2"), names, strict=True
        ):
            record_evidence(
                session=s,
                store=store,
                obligation_id=ob,
                stream=io.BytesIO(PDF),
                original_name=name,
                submitted_by="Исполнитель",
                channel="cli",
                at=at("2025-07-01"),
                max_bytes=1 << 20,
            )
        for code, text in zip(("1.2", "1.3", "1.4", "1.6"), PEOPLES_TEXT, strict=True):
            record_indicator_value(
                session=s,
                program=program,
                indicator=code,
                period="2025-H1",
                org="minsoc",
                value=1,
                given_by="Аналитик",
                channel="cli",
                at=at("2025-07-10"),
                margin=0.05,
                explanation=text,
            )
        facts = report_facts(session=s, program_id=program.id)
    report = build_report(
        program,
        facts,
        as_of=dt.date(2025, 8, 1),
        period=parse_period("2025-H1"),
        calendar=get_calendar(),
    )
    path = write_consolidated(report, program, tmp_path, ("xlsx",))[0]
    cells = {
        c.value: c
        for ws in openpyxl.load_workbook(path).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }
    for text in names + PEOPLES_TEXT:
        assert text in cells, text
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    assert not any(c.data_type == "f" for c in cells.values())
