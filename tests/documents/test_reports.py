"""The consolidated report, its charts and the panel: files opened and their content checked."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from sqlalchemy.engine import Engine

from documents.consolidation import make_charts, write_consolidated
from documents.panel import panel_context, render_panel
from documents.public import public_context, render_public
from roadmap.dates.periods import parse_period
from roadmap.dates.workdays import get_calendar
from roadmap.obligations.recipients import Contact
from roadmap.program.model import Program
from roadmap.reports.report import Report, build_report
from roadmap.words.labels import EXECUTION_RU, INDICATOR_STATUS_RU
from roadmap.words.verdicts import ExecutionStatus, IndicatorStatus, Tone
from storage.actuals import record_indicator_value
from storage.db import session_scope
from storage.evidence import EvidenceStore, record_evidence
from storage.reporting import report_facts
from tests.db import at
from tests.documents.reports_data import LETTER_TEXT, populate
from tests.storage.files import PDF

CODE = re.compile(r"\b20\d\d-(?:H[12]|Q[1-4]|\d\d)\b")


@pytest.fixture
def report(synced: Engine, program: Program, store: EvidenceStore) -> Report:
    populate(synced, program, store)
    with session_scope(synced) as s:
        facts = report_facts(session=s, program_id=program.id)
    return build_report(
        program,
        facts,
        as_of=dt.date(2025, 8, 1),
        period=parse_period("2025-H1"),
        calendar=get_calendar(),
    )


def test_report_model_reads_the_facts(report: Report, program: Program) -> None:
    lines = {o.id.split(":", 1)[1]: o for o in report.all_lines}
    assert lines["6.1:2025-01"].execution == ExecutionStatus.DONE
    # February's came late and was never reviewed: on review, neither done nor done late
    assert lines["6.1:2025-02"].execution == ExecutionStatus.ON_REVIEW
    # April's document was returned for rework; its three parts, given afterwards, fulfil the
    # month by themselves (a value fulfils what it answers, whatever the channel)
    april = lines["6.1:2025-04"]
    assert april.accepted is False and april.fulfilled
    # May had no document, but its three parts came on the 5th of May: done on time by them
    assert lines["6.1:2025-05"].status == "done"
    assert lines["6.1:2025-05"].execution == ExecutionStatus.DONE
    assert lines["1.5:2025-H1"].evidence[0].details == LETTER_TEXT
    ind = {i.indicator.code: i for i in report.indicators}
    assert ind["1.5"].checkpoint == "2025-H1" and ind["1.5"].target == 1203
    assert ind["1.5"].actual == 1100 and ind["1.5"].status == IndicatorStatus.NOT_ACHIEVED
    assert ind["1.5"].level == pytest.approx(1100 / 1203)
    assert ind["1.5"].reasons == "суды отложили решения."
    assert ind["1.5"].measures == "направлены запросы в суды."
    assert ind["1.5"].needs_explanation and ind["1.5"].tone == Tone.RED
    # 5 % below the plan: not achieved, no explanation required, amber (never green)
    assert ind["1.4"].status == IndicatorStatus.NOT_ACHIEVED and not ind["1.4"].needs_explanation
    assert ind["1.4"].tone == Tone.AMBER and ind["1.4"] in report.misses
    assert ind["8.8"].achieved and ind["8.8"].level == pytest.approx(2.5 / 2.0)  # plan / fact
    # 1.1 has no checkpoint value: the month after the checkpoint, as of 1 July, adds up
    assert ind["1.1"].actual == 760 + 1190 + 112 and ind["1.1"].source_period == "2025-07"
    assert ind["1.2"].actual is None and ind["1.2"].status == IndicatorStatus.NO_DATA
    activity = next(a for a in report.activities if a.activity.number == "3.2")
    assert activity.targets[0].reported == 12 and activity.targets[0].met is False
    # the headcount runs to 1 July, the state at the end of the half-year; 30 June's target
    # is compared with the count as of 1 July
    assert [p.month for p in report.headcount][-1] == "2025-07"
    assert report.headcount[0].actual == 2200 and report.headcount[0].parts == (820, 1250, 130)
    assert report.headcount[-1].trajectory == 2211
    # every activity of the program is listed, those not yet due too
    assert len(report.activities) == len(program.activities)
    not_due = [a for a in report.activities if a.execution == ExecutionStatus.NOT_DUE]
    assert not_due and all(a.next_due and a.next_due > dt.date(2025, 6, 30) for a in not_due)
    assert all(":consolidated:" not in o.id for o in report.all_lines)
    assert any(line.startswith("Не представлены документы по") for line in report.missing)
    names = {d.name for d in report.discipline}
    groups = {o.short_name for o in program.organizations if o.is_group}
    assert names and not names & groups


def test_summary_counts_add_up_and_conclusions_restate_them(report: Report) -> None:
    s = report.summary
    assert s is not None
    assert s.activities_total == len(report.activities)
    assert s.activities.get(ExecutionStatus.NOT_DONE, 0) == len(s.not_done)
    assert s.indicators_achieved + len(s.not_achieved) == s.indicators_assessed
    assert set(s.not_achieved) == {i.indicator.code for i in report.misses}
    assert "1.4" in s.not_achieved and "1.4" not in s.explanations_required
    text = " ".join(report.conclusions)
    assert f"достигнуты по {s.indicators_achieved} " in text
    assert f"не выполнено — {s.activities[ExecutionStatus.NOT_DONE]}" in text


def _cell_texts(document: docx.document.Document) -> str:
    return "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)


def test_docx_is_in_the_official_form(report: Report, program: Program, tmp_path: Path) -> None:
    paths = write_consolidated(report, program, tmp_path, ("docx",))
    document = docx.Document(str(paths[0]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "1. Общие положения",
        "2. Достижение ключевых показателей",
        "3. Исполнение мероприятий «дорожной карты»",
        "4. Представление отчётов исполнителями",
        "5. Исполнительская дисциплина",
        "6. Сведения, не представленные на дату отчёта",
        "7. Выводы",
    ]
    paragraphs = [p.text for p in document.paragraphs]
    tables = [t for t in paragraphs if t.startswith("Таблица ")]
    figures = [t for t in paragraphs if t.startswith("Рисунок ")]
    assert [t.split(".")[0] for t in tables] == [f"Таблица {i}" for i in range(1, 7)]
    assert [t.split(".")[0] for t in figures] == [f"Рисунок {i}" for i in range(1, 4)]
    for table in document.tables[1:]:  # the first is the requisites' layout
        if table.style.name == "Table Grid":
            assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    orientations = [s.orientation for s in document.sections]
    assert orientations[0] == WD_ORIENT.PORTRAIT and WD_ORIENT.LANDSCAPE in orientations
    header = document.sections[1].header._element.xml
    assert "PAGE" in header  # the page number field
    cells = _cell_texts(document)
    assert "№ ____ от ________" in cells
    assert "Министр социальной политики Красноярского края" in paragraphs
    assert any(p.startswith("Исполнитель: ") for p in paragraphs)
    # activities in the program's wording, evidence by its details
    a = program.activity_map["1.5"]
    assert a.name in cells and a.short_name not in cells
    assert LETTER_TEXT in cells
    assert "не менее 18 служб: факт — 12 (I полугодие 2025 года)" in cells
    assert "суды отложили решения." in cells and "направлены запросы в суды." in cells
    assert EXECUTION_RU[ExecutionStatus.NOT_DUE] in cells
    assert INDICATOR_STATUS_RU[IndicatorStatus.NOT_ACHIEVED] in cells
    # no identifier, file name or hash anywhere, the appendix's register included; periods
    # in words everywhere else
    appendix = "\n".join(c.text for r in document.tables[-1].rows for c in r.cells)
    body = "\n".join(c.text for t in document.tables[:-1] for r in t.rows for c in r.cells)
    whole = body + appendix + "\n".join(paragraphs)
    hashes = [e.sha256 for o in report.all_lines for e in o.evidence]
    names = [e.original_name for o in report.all_lines for e in o.evidence]
    assert hashes and not any(h[:12] in whole for h in hashes)
    assert not any(n in whole for n in names) and "report:" not in whole
    assert not re.search(r"\d+\.\d+:20\d\d", whole)  # «3.2:2025-01..2026-03»
    assert "мероприятие 1.5, I полугодие 2025 года" in appendix
    assert not CODE.search(body + "\n".join(paragraphs)), CODE.search(body)
    assert "1 полугодие" not in body and "+0,0" not in body
    assert len(document.inline_shapes) == 3  # headcount, misses, timeliness


def test_xlsx_holds_every_table_and_figure(
    report: Report, program: Program, tmp_path: Path
) -> None:
    paths = write_consolidated(report, program, tmp_path, ("docx", "xlsx"))
    wb = openpyxl.load_workbook(paths[1])
    assert wb.sheetnames == [
        "Итоги",
        "Показатели",
        "Мероприятия",
        "Цели мероприятий",
        "Отчёты исполнителей",
        "Дисциплина",
        "Численность детей",
        "Не представлено",
        "Документы",
        "Рисунки",
    ]
    for ws in wb.worksheets[:-1]:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    # every sheet the Word report points to exists
    document = docx.Document(str(paths[0]))
    named = set(re.findall(r"лист[а-я]* «([^»]+)»", "\n".join(p.text for p in document.paragraphs)))
    assert named and named <= set(wb.sheetnames)
    road = wb["Мероприятия"]
    header = [c.value for c in road[1]]
    row = next(
        r
        for r in road.iter_rows(min_row=2)
        if r[1].value == "6.1" and r[header.index("Контрольная точка (код)")].value == "2025-03"
    )
    assert row[header.index("Контрольная точка")].value == "март 2025\u00a0г."
    assert row[header.index("Срок")].value.date() == dt.date(2025, 4, 7)
    assert row[header.index("Мероприятие")].value == program.activity_map["6.1"].name
    ind = wb["Показатели"]
    header = [c.value for c in ind[1]]
    rows = {r[0].value: r for r in ind.iter_rows(min_row=2)}
    level = rows["1.5"][header.index("Уровень достижения")]
    assert level.value == pytest.approx(1100 / 1203) and level.number_format == "0.0%"
    assert rows["1.5"][header.index("Результат на контрольную точку")].value == "не достигнуто"
    assert rows["1.1"][header.index("Факт за период")].value == "июль 2025\u00a0г."
    summary = {r[0].value: r[1] for r in wb["Итоги"].iter_rows(min_row=2)}
    s = report.summary
    assert s is not None
    share = summary["Доля достигнутых показателей"]
    assert share.value == pytest.approx(s.share_achieved) and share.number_format == "0.0%"
    heads = list(wb["Численность детей"].iter_rows(min_row=2, values_only=True))
    assert heads[0][:7] == (
        dt.datetime(2025, 1, 1),
        "2025-01",
        "январь 2025\u00a0г.",
        820,
        1250,
        130,
        2200,
    )
    assert heads[-1][1] == "2025-07" and heads[-1][-1] and heads[-1][-2] == 2211
    assert len(wb["Рисунки"]._images) == 3


def test_xlsx_prints_on_a4_with_its_header_on_every_page_and_no_codes(
    report: Report, program: Program, tmp_path: Path
) -> None:
    (path,) = write_consolidated(report, program, tmp_path, ("xlsx",))
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert ws.print_area and int(setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1, ws.title
        assert setup.fitToHeight == 0, ws.title  # as many pages down as the rows need
    for ws in wb.worksheets[:-1]:
        assert ws.print_title_rows == "$1:$1", ws.title
    assert wb["Показатели"].page_setup.orientation == "landscape"
    ind = wb["Показатели"]
    header = [c.value for c in ind[1]]
    rows = {r[0].value: r for r in ind.iter_rows(min_row=2)}
    # counts with thousands separated, decimals only where there are some
    assert rows["1.1"][header.index("План")].number_format == "#,##0"
    numbers = [
        c
        for r in ind.iter_rows(min_row=2)
        for c in r
        if isinstance(c.value, int | float) and c.number_format != "0.0%"
    ]
    assert {c.number_format for c in numbers if float(c.value).is_integer()} == {"#,##0"}
    assert {c.number_format for c in numbers if not float(c.value).is_integer()} == {"#,##0.0#"}
    # codes folded away from the page, one click from the reader
    for name in ("Контрольная точка (код)", "Факт за период (код)"):
        column = ind.column_dimensions[openpyxl.utils.get_column_letter(header.index(name) + 1)]
        assert column.hidden and column.outline_level == 1
    road = wb["Мероприятия"]
    road_header = [c.value for c in road[1]]
    for name in ("sha256", "Файл", "Обязательство"):
        letter = openpyxl.utils.get_column_letter(road_header.index(name) + 1)
        assert road.column_dimensions[letter].hidden
    # an indicator without a fact names who owes it: the executors whose report is late
    owing = rows["1.2"][header.index("Нет данных от")].value
    assert owing and "Минсоцполитики" in owing


def test_charts_are_png(report: Report, program: Program, tmp_path: Path) -> None:
    paths = write_consolidated(report, program, tmp_path, ("png",))
    assert sorted(p.name.rsplit("-", 1)[1] for p in paths) == [
        "headcount.png",
        "misses.png",
        "timeliness.png",
    ]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths)
    charts = make_charts(report, program)
    assert charts["misses"].title.endswith("не достигнуты")
    assert "2 211 (исходное значение)" in charts["headcount"].note.replace("\u00a0", " ")


def test_the_same_report_gives_the_same_bytes(
    report: Report, program: Program, tmp_path: Path
) -> None:
    first = write_consolidated(report, program, tmp_path / "a")
    second = write_consolidated(report, program, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


CONTACT = Contact(1, "minsoc", "executor", "Анна Иванова", email="a.ivanova@minsoc.example.org")


def test_panel_counts_from_one_source_colours_by_status_with_a_legend(
    report: Report, program: Program
) -> None:
    charts = make_charts(report, program)
    context = panel_context(report, program, charts, public=False, contacts=[CONTACT])
    html = render_panel(context)
    s = report.summary
    assert s is not None
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert html.count('src="data:image/png;base64,') == 2  # headcount, timeliness
    not_done = s.activities.get(ExecutionStatus.NOT_DONE, 0)
    assert len(context["not_done"]) == not_done
    assert f"Мероприятия, не выполненные в срок: {not_done}</h2>" in html
    assert f"<b>{not_done}</b>{EXECUTION_RU[ExecutionStatus.NOT_DONE]}" in html
    assert "a.ivanova@minsoc.example.org" in html
    # every card's colour says what its word says; the legend names each colour
    cards = [c for g in context["groups"] for c in g["cards"]]
    by_code = {i.indicator.code: i for i in report.indicators}
    assert all(c["tone"] == by_code[c["code"]].tone.value for c in cards)
    assert by_code["1.4"].tone == Tone.AMBER and by_code["1.5"].tone == Tone.RED
    assert all(f'<span class="{t.value}">' in html for t in Tone)
    # the target groups the program names, from program data
    assert program.panel is not None
    assert [c["code"] for c in context["target_groups"]] == list(program.panel.indicators)
    assert "I полугодие 2025 года" in html and "2025-H1" not in html
    # every executor the report's discipline table lists, ministries or not, and its basis
    assert [d["name"] for d in context["discipline"]] == [d.name for d in report.discipline]
    assert f"Учтены {report.basis.text}." in html


def test_public_report_speaks_to_families_in_plain_words(report: Report, program: Program) -> None:
    charts = make_charts(report, program, plain=True)
    # the picture too: the report's chart names indicator 1.1, the families' chart does not
    official = make_charts(report, program)["headcount"].words
    assert "Плановая траектория показателя 1.1" in official
    drawn = charts["headcount"].words
    assert "Намеченная Программой численность" in drawn
    assert not [w for w in drawn if re.search(r"\b\d\.\d{1,2}\b|показател", w)], drawn
    context = public_context(report, program, charts)
    html = render_public(context)
    assert "a.ivanova" not in html and "Анна Иванова" not in html
    assert "Как меняется жизнь детей и семей" in html and "Что изменилось для детей и семей" in html
    # the children in institutions, then and now, and where the program means to bring them
    assert context["children"].startswith("Численность детей на круглосуточном пребывании: на 1")
    assert "К 31 декабря 2026\u00a0г. их должно быть не больше 1\u00a0658." in context["children"]
    assert "Исполнение обязательств исполнителями" not in html
    assert html.count('src="data:image/png;base64,') == 1  # the headcount
    # no codes of any kind: periods, indicators, activities
    assert not CODE.search(html)
    words = re.sub(r"<style>.*?</style>|base64,[^\"]+", "", html, flags=re.S)
    assert not re.search(r"\b\d\.\d{1,2}\b", words), re.search(r".{60}\b\d\.\d{1,2}\b", words)
    assert "мероприятие 6.15" not in html and "Мероприятия, не выполненные в срок" not in html
    assert program.panel is not None
    names = [program.indicator_map[c].name for c in program.panel.indicators]
    assert [g["name"] for g in context["groups"]] == names
    returned = context["groups"][1]  # 1.5: 1 100 children returned, 1 203 at the start
    assert returned["change"] == "стало хуже: в начале Программы было 1\u00a0203"
    assert returned["verdict"] == "намеченное пока не достигнуто" and returned["tone"] == "red"


def test_indicators_are_judged_at_the_last_checkpoint_reached(program: Program) -> None:
    from roadmap.reports.report import judged_checkpoint

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
        # an explanation reads as a sentence in the report: it may gain a full stop
        found = [c for value, c in cells.items() if value in (text, text + ".")]
        assert found, text
        assert all(c.data_type == "s" and c.quotePrefix for c in found), text
    assert not any(c.data_type == "f" for c in cells.values())
