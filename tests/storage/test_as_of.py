"""Reading as of a date sees only what was recorded by the end of that day (both backends).

A document submitted on 1 April 2025 and accepted on 6 April is not there at all as of
31 March, «на проверке» as of 3 April and accepted as of 6 April, in the status and in the
facts a report is built from; the same for a return for rework, an extension, a
«неприменимо» and a value, each recorded after the date asked.
"""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from roadmap.dates.workdays import get_calendar
from roadmap.program.model import Program
from roadmap.reports.facts import ObligationFact
from roadmap.words.labels import review_word
from storage.actuals import record_indicator_value
from storage.as_of import program_as_of
from storage.db import session_scope
from storage.evidence import EvidenceStore, record_evidence, review_evidence
from storage.obligations import (
    decide_extension,
    declare_not_applicable,
    mark_overdue,
    request_extension,
)
from storage.reporting import report_facts
from storage.status import StatusItem, status_as_of
from storage.sync import sync_program
from storage.tables import ProgramVersionRecord
from tests.db import SYNC_AT, at
from tests.storage.files import PDF

PID = "krasnoyarsk-2025-2026"
D = dt.date.fromisoformat
OB = f"{PID}:6.1:2025-03"  # due 2025-04-07


def item(session: Session, day: str, ob: str = OB) -> StatusItem | None:
    report = status_as_of(session=session, program_id=PID, as_of=D(day), calendar=get_calendar())
    return next((i for i in report.items if i.facts.id == ob), None)


def fact(session: Session, day: str, ob: str = OB) -> ObligationFact | None:
    facts = report_facts(session=session, program_id=PID, as_of=D(day))
    return next((o for o in facts.obligations if o.facts.id == ob), None)


def submit(session: Session, store: EvidenceStore, day: str, ob: str = OB) -> None:
    record_evidence(session=session, store=store, obligation_id=ob, stream=io.BytesIO(PDF),
                    original_name="d.pdf", submitted_by="x", channel="cli", at=at(day),
                    max_bytes=1 << 20)  # fmt: skip


def review(session: Session, day: str, accept: bool, ob: str = OB) -> None:
    review_evidence(session=session, obligation_id=ob, accept=accept,
                    comment=None if accept else "нет подписи", reviewer="к", channel="cli",
                    at=at(day, 16))  # fmt: skip


def test_a_document_accepted_later_is_on_review_then_and_absent_before_it_came(
    session: Session, store: EvidenceStore
) -> None:
    submit(session, store, "2025-04-01")
    review(session, "2025-04-06", accept=True)

    before = item(session, "2025-03-31")
    assert before is not None
    assert (before.state, before.facts.fulfilled_on, before.entry.fulfilled) == (
        "open",
        None,
        False,
    )
    then = fact(session, "2025-03-31")
    assert then is not None and then.evidence == () and then.state == "open"

    on_review = item(session, "2025-04-03")
    assert on_review is not None
    assert (on_review.state, on_review.facts.fulfilled_on) == ("submitted", D("2025-04-01"))
    then = fact(session, "2025-04-03")
    assert then is not None and [e.review_state for e in then.evidence] == ["pending"]
    assert review_word(then.evidence[0].review_state) == "на проверке"

    accepted = item(session, "2025-04-06")
    assert accepted is not None and accepted.state == "accepted"
    then = fact(session, "2025-04-06")
    assert then is not None and [e.review_state for e in then.evidence] == ["accepted"]


def test_a_return_for_rework_and_the_second_version_stand_from_their_own_days(
    session: Session, store: EvidenceStore
) -> None:
    mark_overdue(session=session, program_id=PID, as_of=D("2025-04-08"), at=at("2025-04-08"))
    submit(session, store, "2025-04-10")
    review(session, "2025-04-14", accept=False)
    submit(session, store, "2025-04-16")
    standing = {
        day: (i.state, i.facts.fulfilled_on, i.entry.status)
        for day in ("2025-04-07", "2025-04-09", "2025-04-11", "2025-04-15", "2025-04-16")
        if (i := item(session, day)) is not None
    }
    assert standing == {
        "2025-04-07": ("open", None, "due_soon"),
        "2025-04-09": ("overdue", None, "overdue"),
        "2025-04-11": ("submitted", D("2025-04-10"), "done"),
        "2025-04-15": ("rejected", None, "overdue"),
        "2025-04-16": ("submitted", D("2025-04-16"), "done"),
    }
    then = fact(session, "2025-04-15")
    assert then is not None and [e.review_state for e in then.evidence] == ["rejected"]


def test_an_extension_na_and_value_given_later_are_not_seen_before_their_day(
    session: Session, program: Program
) -> None:
    ob = f"{PID}:1.8:2026-06"  # due 2026-06-30
    ext = request_extension(session=session, obligation_id=ob, until=D("2026-07-31"),
                            reason="ждём данные", by="м", channel="cli", at=at("2026-06-20"))  # fmt: skip
    assert ext.id is not None
    decide_extension(session=session, extension_id=ext.id, approve=True, by="к", comment=None,
                     channel="cli", at=at("2026-06-22"))  # fmt: skip
    assert [i.facts.due for d in ("2026-06-21", "2026-06-22") if (i := item(session, d, ob))] == [
        D("2026-06-30"),
        D("2026-07-31"),
    ]
    na = f"{PID}:6.1:2025-01"
    declare_not_applicable(session=session, obligation_id=na, reason="нет данных", by="м",
                           channel="cli", at=at("2025-02-03"))  # fmt: skip
    assert [
        i.entry.status for d in ("2025-02-02", "2025-02-03") if (i := item(session, d, na))
    ] == [
        "due_soon",
        "not_applicable",
    ]
    then = fact(session, "2025-02-02", na)
    assert then is not None and then.na_reason is None
    record_indicator_value(session=session, program=program, indicator="1.1", period="2025-01",
                           org="minsoc", value=1000, given_by="а", channel="cli",
                           at=at("2025-02-05"), margin=1.0, explanation="пояснение")  # fmt: skip
    values = {
        day: [v.value for v in report_facts(session=session, program_id=PID, as_of=D(day)).values]
        for day in ("2025-02-04", "2025-02-05")
    }
    assert values == {"2025-02-04": [], "2025-02-05": [1000]}


def test_the_executors_an_amendment_named_later_are_not_those_of_before(
    session: Session, program: Program
) -> None:
    ob = f"{PID}:1.8:2026-06"  # minsoc, minzdrav, minobr; nothing handed in yet
    acts = [
        a.model_copy(update={"executors": ("minsoc", "agmol")}) if a.number == "1.8" else a
        for a in program.activities
    ]
    amended = program.model_copy(update={"activities": tuple(acts)})
    sync_program(session=session, program=amended, at=at("2025-05-12"))
    owners = {
        day: (i.facts.owners if (i := item(session, day, ob)) else None)
        for day in ("2025-05-11", "2025-05-12")
    }
    assert owners == {
        "2025-05-11": ("minsoc", "minzdrav", "minobr"),
        "2025-05-12": ("minsoc", "agmol"),
    }
    then, now = fact(session, "2025-05-11", ob), fact(session, "2025-05-12", ob)
    assert then is not None and then.facts.owners == ("minsoc", "minzdrav", "minobr")
    assert now is not None and now.facts.owners == ("minsoc", "agmol")


def titled(program: Program, title: str) -> Program:
    return Program.model_validate({**program.model_dump(), "title": title})


def test_the_program_read_for_a_day_is_the_version_in_force_at_its_end(
    engine: Engine, program: Program
) -> None:
    amended = titled(program, "Программа в редакции изменений")
    with session_scope(engine) as s:  # never synced: the program's data as it is
        assert program_as_of(session=s, program=amended, as_of=D("2025-03-01")) is amended
        sync_program(session=s, program=program, at=SYNC_AT)
        sync_program(session=s, program=amended, at=at("2025-03-01", 23))  # still 1 March there
    # the data as it is now, edited since its last sync
    now = titled(program, "Программа, исправленная после загрузки")
    with session_scope(engine) as s:
        read = {
            day: program_as_of(session=s, program=now, as_of=D(day)).title
            for day in ("2024-12-31", "2025-02-28", "2025-03-01")
        }
        assert program_as_of(session=s, program=now, as_of=None) is now
        # versions synced before they kept their data: the program's data as it is
        s.execute(update(ProgramVersionRecord).values(data=None))
        assert program_as_of(session=s, program=now, as_of=D("2025-02-28")) is now
    # before the first sync, the program as first loaded: the plan from its first day; from
    # the last sync on, nothing amended since: the program's data as it is now
    assert read == {
        "2024-12-31": program.title,
        "2025-02-28": program.title,
        "2025-03-01": now.title,
    }
