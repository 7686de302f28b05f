"""Syncing program data: idempotent, and amendments keep what was handed in."""

from __future__ import annotations

import io

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from roadmap.obligations.states import State
from roadmap.program.model import Program
from storage.db import session_scope
from storage.evidence import EvidenceStore, list_evidence, record_evidence
from storage.sync import sync_program, version_of
from storage.tables import AuditRecord, EvidenceRecord, ObligationRecord, ProgramVersionRecord
from tests.db import SYNC_AT, at
from tests.storage.files import PDF


def _count(engine: Engine, model: type) -> int:
    with session_scope(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_first_sync_creates_every_obligation_and_a_version(synced: Engine) -> None:
    assert _count(synced, ObligationRecord) == 212
    assert _count(synced, ProgramVersionRecord) == 1


def test_sync_twice_changes_nothing(synced: Engine, program: Program) -> None:
    before = (_count(synced, AuditRecord), _count(synced, ProgramVersionRecord))
    with session_scope(synced) as s:
        report = sync_program(session=s, program=program, at=at("2025-02-01"))
    assert not report.changed
    assert (_count(synced, AuditRecord), _count(synced, ProgramVersionRecord)) == before


def _amend(program: Program, number: str, **changes: object) -> Program:
    acts = [a.model_copy(update=changes) if a.number == number else a for a in program.activities]
    return program.model_copy(update={"activities": tuple(acts)})


def test_amended_term_recomputes_only_unsubmitted_obligations(
    synced: Engine, program: Program, store: EvidenceStore
) -> None:
    # 6.1 is monthly; March 2025 is handed in, then the term changes to quarterly
    with session_scope(synced) as s:
        record_evidence(
            session=s, store=store, obligation_id="6.1:2025-03", stream=io.BytesIO(PDF),
            original_name="март.pdf", submitted_by="Петрова", channel="cli",
            at=at("2025-04-03"), max_bytes=1 << 20,
        )  # fmt: skip
    amended = _amend(program, "6.1", term="ежеквартально")
    with session_scope(synced) as s:
        report = sync_program(session=s, program=amended, at=at("2025-04-10"))
    assert report.previous_version != report.version
    assert report.dropped_submitted == ["krasnoyarsk-2025-2026:6.1:2025-03"]
    assert len(report.created) == 8  # 8 quarters
    assert len(report.cancelled) == 23  # the other 23 months
    with session_scope(synced) as s:
        kept = s.get(ObligationRecord, "krasnoyarsk-2025-2026:6.1:2025-03")
        assert kept is not None and kept.state == State.SUBMITTED
        assert kept.cancelled_in_version == report.version  # dropped, but kept with its evidence
        assert len(list_evidence(session=s, obligation_id=kept.id)) == 1
        dropped = s.get(ObligationRecord, "krasnoyarsk-2025-2026:6.1:2025-04")
        assert dropped is not None and dropped.state == State.CANCELLED
        assert dropped.cancelled_in_version == report.version
        versions = s.exec(select(ProgramVersionRecord.version)).all()
        assert versions[-1] == report.version and len(versions) == 2


def test_changed_due_date_is_recomputed_with_an_audit_trail(
    synced: Engine, program: Program
) -> None:
    amended = _amend(program, "1.8", term="июль 2026")
    with session_scope(synced) as s:
        report = sync_program(session=s, program=amended, at=at("2025-03-01"))
        assert report.created == ["krasnoyarsk-2025-2026:1.8:2026-07"]
        assert report.cancelled == ["krasnoyarsk-2025-2026:1.8:2026-06"]


def test_removed_activity_is_cancelled_and_restored_when_it_returns(
    synced: Engine, program: Program
) -> None:
    without = program.model_copy(
        update={"activities": tuple(a for a in program.activities if a.number != "8.3")}
    )
    with session_scope(synced) as s:
        removed = sync_program(session=s, program=without, at=at("2025-03-01"))
    assert sorted(removed.cancelled) == [
        "krasnoyarsk-2025-2026:8.3:2025-12",
        "krasnoyarsk-2025-2026:8.3:2026-12",
    ]
    with session_scope(synced) as s:
        back = sync_program(session=s, program=program, at=at("2025-03-02"))
        assert sorted(back.reopened) == sorted(removed.cancelled)
        row = s.get(ObligationRecord, "krasnoyarsk-2025-2026:8.3:2025-12")
        assert row is not None and row.state == State.OPEN and row.cancelled_in_version is None


def test_sync_is_recorded_in_the_audit_log(synced: Engine) -> None:
    with session_scope(synced) as s:
        actions = set(s.exec(select(AuditRecord.action)).all())
        first = s.exec(select(AuditRecord).where(AuditRecord.action == "sync_program")).one()
    assert {"create", "sync_program"} <= actions
    assert first.at == SYNC_AT and first.new is not None
    assert _count(synced, EvidenceRecord) == 0


def test_each_version_keeps_the_data_it_is_the_hash_of(synced: Engine, program: Program) -> None:
    amended = _amend(program, "1.8", name="Мероприятие 1.8 в новой редакции")
    with session_scope(synced) as s:
        sync_program(session=s, program=amended, at=at("2025-03-01"))
    with session_scope(synced) as s:
        rows = s.exec(select(ProgramVersionRecord).order_by(col(ProgramVersionRecord.id))).all()
        kept = [(r.version, r.data) for r in rows]
    assert [version_of(data or "") for _, data in kept] == [version for version, _ in kept]
    assert [Program.model_validate_json(data or "") for _, data in kept] == [program, amended]


def test_a_version_stored_without_its_data_gets_it_from_a_sync_of_the_same_data(
    synced: Engine, program: Program
) -> None:
    # as a version synced before versions kept their data stands after the upgrade
    with session_scope(synced) as s:
        s.execute(update(ProgramVersionRecord).values(data=None))
    with session_scope(synced) as s:
        assert not sync_program(session=s, program=program, at=at("2025-02-01")).changed
    with session_scope(synced) as s:
        (row,) = s.exec(select(ProgramVersionRecord)).all()
    assert row.data is not None and Program.model_validate_json(row.data) == program
