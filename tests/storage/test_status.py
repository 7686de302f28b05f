"""Status as of any date: time travel, overdue working days, completeness and timeliness."""

from __future__ import annotations

import datetime as dt
import io

from sqlmodel import Session

from roadmap.dates.workdays import get_calendar
from roadmap.program.model import Program
from storage.evidence import EvidenceStore, record_evidence
from storage.obligations import declare_not_applicable, mark_overdue, resolve_obligation
from storage.status import status_as_of
from tests.db import at
from tests.storage.files import PDF

PID = "krasnoyarsk-2025-2026"
D = dt.date.fromisoformat


def status(session: Session, day: str, org: str | None = None):  # type: ignore[no-untyped-def]
    return status_as_of(
        session=session, program_id=PID, as_of=D(day), calendar=get_calendar(), org=org
    )


def by_id(report) -> dict:  # type: ignore[no-untyped-def]
    return {i.facts.id.split(":", 1)[1]: i for i in report.items}


def submit(session: Session, store: EvidenceStore, ob: str, day: str) -> None:
    record_evidence(session=session, store=store, obligation_id=ob, stream=io.BytesIO(PDF),
                    original_name="d.pdf", submitted_by="x", channel="cli", at=at(day),
                    max_bytes=1 << 20)  # fmt: skip


def test_time_travel_sees_a_submission_only_after_it_happened(
    session: Session, store: EvidenceStore
) -> None:
    submit(session, store, "6.1:2025-03", "2025-04-10")  # due 2025-04-07: three working days late
    before = by_id(status(session, "2025-04-09"))["6.1:2025-03"]
    assert (before.entry.status, before.entry.overdue_working_days) == ("overdue", 2)
    after = by_id(status(session, "2025-04-10"))["6.1:2025-03"]
    assert (after.entry.status, after.entry.on_time) == ("done", False)
    early = by_id(status(session, "2025-02-15"))["6.1:2025-03"]
    assert early.entry.status == "upcoming"


def test_due_soon_is_within_ten_working_days(session: Session) -> None:
    items = by_id(status(session, "2025-07-14"))
    assert items["report:minobr:2025-H1"].entry.status == "due_soon"  # due 2025-07-28
    assert items["1.3:2025-07"].entry.status == "open"  # due 2025-07-31: 13 working days away


def test_overdue_is_counted_in_working_days_across_holidays(session: Session) -> None:
    # 6.1 for December 2025 is due 2026-01-16; 2026-01-26 is 6 working days later
    item = by_id(status(session, "2026-01-26"))["6.1:2025-12"]
    assert (item.entry.status, item.entry.overdue_working_days) == ("overdue", 6)


def test_rates_follow_dhis2_definitions(session: Session, store: EvidenceStore) -> None:
    # minzdrav owes 6.1 monthly; by 2025-04-10 three months are due (Jan, Feb, Mar)
    submit(session, store, "6.1:2025-01", "2025-02-05")  # on time
    submit(session, store, "6.1:2025-02", "2025-03-12")  # late (due 03-07)
    report = status(session, "2025-04-10", org="minzdrav")
    assert [r.org for r in report.rates] == ["minzdrav"]
    rates = report.rates[0]
    due_items = [i for i in report.items if i.entry.counts_as_due]
    assert rates.due == len(due_items)
    assert rates.fulfilled == 2 and rates.on_time == 1
    assert rates.completeness == 2 / rates.due and rates.timeliness == 1 / rates.due


def test_not_applicable_leaves_the_denominator(session: Session) -> None:
    declare_not_applicable(session=session, obligation_id="6.1:2025-01", reason="нет данных",
                           by="x", channel="cli", at=at("2025-02-01"))  # fmt: skip
    report = status(session, "2025-04-10", org="minzdrav")
    item = by_id(report)["6.1:2025-01"]
    assert item.entry.status == "not_applicable" and not item.entry.counts_as_due
    assert by_id(status(session, "2025-01-20"))["6.1:2025-01"].entry.status == "open"


def test_org_filter_includes_what_the_body_reports_for(session: Session) -> None:
    ids = set(by_id(status(session, "2025-07-01", org="minsoc")))
    assert "5.6:2025" in ids  # RMC and social institutions, who report through minsoc
    assert "1.5:2025-H1" not in ids  # minobr's alone


def test_sweep_marks_overdue_and_ids_are_stable_across_syncs(
    session: Session, program: Program
) -> None:
    n = mark_overdue(session=session, program_id=PID, as_of=D("2025-04-10"), at=at("2025-04-10"))
    assert n > 0
    assert resolve_obligation(session=session, obligation_id="6.1:2025-03").state == "overdue"
    assert (
        mark_overdue(session=session, program_id=PID, as_of=D("2025-04-10"), at=at("2025-04-10"))
        == 0
    )
    first = [i.facts.id for i in status(session, "2025-04-10").items]
    from storage.sync import sync_program

    sync_program(session=session, program=program, at=at("2025-04-11"))
    assert [i.facts.id for i in status(session, "2025-04-10").items] == first
