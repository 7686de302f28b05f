"""A read for a date words the road map as the program version then in force did (both
backends, two programs side by side).

Version A of each program is synced on 9 January 2025 and a document handed in on 1 April;
version B, synced at 20:00 UTC on 11 May 2025, renames activity 1.8, names other executors
for it and retitles the program. That moment is 12 May, 03:00 in the first program's zone
(UTC+7) and still 11 May, 23:00 in the second's (UTC+3): as of 10 May both read A, as of
11 May the first reads A and the second B, as of 12 May both read B, in the report's model,
its Word and Excel files, the federal view and the status alike: `roadmap status --org` lists
what the organisation owed on the day. The document stands in all of them.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import openpyxl
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from roadmap.program.model import Program
from roadmap.reports.lines import ActivityLine
from roadmap.reports.report import Report
from services.federal import federal_view
from services.reports import build, consolidated_report
from services.runtime import Runtime
from services.status import StatusReport, status_on
from storage.db import session_scope
from storage.evidence import EvidenceStore, record_evidence
from storage.sync import sync_program
from tests.db import SYNC_AT, at
from tests.services.test_due_set_by_person import runtime
from tests.storage.files import PDF

D = dt.date.fromisoformat
B_SYNCED = dt.datetime(2025, 5, 11, 20, 0, tzinfo=dt.UTC)
B_NAME = "Анализ бюджетных расходов на профилактику сиротства (в редакции изменений)"
B_EXECUTORS = ("minsoc", "agmol")
A_OWNERS = "Минсоцполитики края, Минздрав края, Минобразования края"
B_OWNERS = "Минсоцполитики края, Агентство молодёжной политики"
# the version each program reads as of each day: its zone decides on which day B came
READS = {
    "first": {"2025-05-10": "A", "2025-05-11": "A", "2025-05-12": "B"},
    "second": {"2025-05-10": "A", "2025-05-11": "B", "2025-05-12": "B"},
}


def rebuilt(program: Program, **changes: object) -> Program:
    """``program`` with ``changes``, validated anew (a copy would keep the old lookups)."""
    return Program.model_validate({**program.model_dump(), **changes})


def version_b(program: Program) -> Program:
    data = program.model_dump()
    for a in data["activities"]:
        if a["number"] == "1.8":
            a.update(name=B_NAME, executors=list(B_EXECUTORS))
    return rebuilt(program, activities=data["activities"], title=f"{program.title} (изм.)")


@pytest.fixture
def programs(engine: Engine, program: Program, tmp_path: Path) -> dict[str, tuple[Program, ...]]:
    """Each program's versions A and B, synced as the module docstring says."""
    second = rebuilt(program, id="second-2025-2026", timezone="Europe/Moscow")
    out = {"first": (program, version_b(program)), "second": (second, version_b(second))}
    store = EvidenceStore(tmp_path / "evidence")
    for a, b in out.values():
        with session_scope(engine) as s:
            sync_program(session=s, program=a, at=SYNC_AT)
            hand_in(s, store, f"{a.id}:6.1:2025-03")
        with session_scope(engine) as s:
            sync_program(session=s, program=b, at=B_SYNCED)
    return out


def hand_in(session: Session, store: EvidenceStore, obligation_id: str) -> None:
    """March's document for ``obligation_id``, handed in on 1 April 2025."""
    record_evidence(
        session=session,
        store=store,
        obligation_id=obligation_id,
        stream=io.BytesIO(PDF),
        original_name="март.pdf",
        submitted_by="x",
        channel="cli",
        at=at("2025-04-01"),
        max_bytes=1 << 20,
    )


def activity(report: Report, number: str) -> ActivityLine:
    return next(a for s in report.sections for a in s.activities if a.activity.number == number)


def today_runtime(engine: Engine, program: Program) -> Runtime:
    """The runtime as it is now: the program's data is version B."""
    return runtime(engine, program, "2025-06-02")


@pytest.mark.parametrize("which", READS)
def test_the_report_words_an_activity_as_the_version_in_force_on_its_date(
    engine: Engine, programs: dict[str, tuple[Program, ...]], which: str
) -> None:
    a, b = programs[which]
    rt = today_runtime(engine, b)
    read = {}
    for day in READS[which]:
        report = build(rt, as_of=D(day))
        line = activity(report, "1.8")
        march = activity(report, "6.1").obligations
        assert [o.evidence[0].original_name for o in march if o.period == "2025-03"] == ["март.pdf"]
        read[day] = (report.program_title, line.activity.name, line.activity.executors, line.owners)
    first = a.activity_map["1.8"]
    versions = {
        "A": (a.title, first.name, first.executors, A_OWNERS),
        "B": (b.title, B_NAME, B_EXECUTORS, B_OWNERS),
    }
    assert read == {day: versions[v] for day, v in READS[which].items()}
    assert {day: federal_view(rt, as_of=D(day)).regions[0].title for day in READS[which]} == {
        day: versions[v][0] for day, v in READS[which].items()
    }


def words(path: Path) -> str:
    """Every word a Word or Excel file shows, its tables' cells included."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(
            str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v
        )
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_word_and_excel_files_made_today_for_a_day_before_the_amendment_say_what_it_said(
    engine: Engine, programs: dict[str, tuple[Program, ...]], tmp_path: Path
) -> None:
    a, b = programs["first"]
    rt = today_runtime(engine, b)
    for day, version in (("2025-05-11", a), ("2025-05-12", b)):
        files = consolidated_report(rt, as_of=D(day), period=None, out_dir=tmp_path / day)
        made = [p for p in files.paths if p.suffix in (".docx", ".xlsx")]
        assert len(made) == 2
        for path in made:
            text = words(path)
            assert version.activity_map["1.8"].name in text, (day, path.name)
            assert (B_NAME in text) == (version is b), (day, path.name)


@pytest.mark.parametrize("which", READS)
def test_the_status_for_an_organisation_lists_what_it_owed_on_the_day(
    engine: Engine, programs: dict[str, tuple[Program, ...]], which: str
) -> None:
    a, b = programs[which]
    rt = today_runtime(engine, b)
    ob = f"{a.id}:1.8:2026-06"  # nothing handed in: B gave it its own executors
    read = {}
    for day in READS[which]:
        (item,) = [i for i in status_on(rt, D(day)).items if i.facts.id == ob]
        owed = {o for o in ("minzdrav", "agmol") if ob in ids(status_on(rt, D(day), org=o))}
        read[day] = (item.facts.owners, owed)
    versions = {"A": (a.activity_map["1.8"].executors, {"minzdrav"}), "B": (B_EXECUTORS, {"agmol"})}
    assert read == {day: versions[v] for day, v in READS[which].items()}


def ids(report: StatusReport) -> set[str]:
    return {i.facts.id for i in report.items}
