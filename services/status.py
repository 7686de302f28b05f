"""The road map's status as of a date, and one activity's day, as use cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roadmap.dates.periods import Period
from services.runtime import Runtime
from services.sweep import SweepReport, sweep_day
from storage.as_of import program_as_of
from storage.db import session_scope
from storage.evidence import list_evidence
from storage.obligations import (
    activity_obligations,
    program_obligations,
    resolve_obligation,
)
from storage.status import StatusItem, StatusReport, status_as_of, the_program_id
from storage.tables import EvidenceRecord, ObligationRecord

__all__ = ["EvidenceRecord", "ObligationRecord", "StatusItem", "StatusReport"]


def status_on(
    rt: Runtime, as_of: dt.date, *, org: str | None = None, period: Period | None = None
) -> StatusReport:
    """Every obligation's status and each executor's rates on ``as_of`` (only ``org``'s
    obligations, when given: those it owed on ``as_of``, in the version of the program then
    in force; the rates over ``period``'s obligations, when given, as the consolidated
    report for that period counts them).

    Raises:
        NotSynced: the program is not in the database yet.
    """
    with session_scope(rt.engine) as s:
        the_program_id(session=s, program_id=rt.program.id)
        then = program_as_of(session=s, program=rt.program, as_of=as_of) if org else None
        return status_as_of(
            session=s,
            program_id=rt.program.id,
            as_of=as_of,
            calendar=rt.calendar,
            org=org,
            period=period,
            bodies=then.reporting_bodies if then else None,
        )


def evidence_versions(rt: Runtime, obligation_id: str) -> list[EvidenceRecord]:
    """Every version of an obligation's documents, oldest first."""
    with session_scope(rt.engine) as s:
        return list_evidence(session=s, obligation_id=obligation_id)


@dataclass(frozen=True)
class ActivityDay:
    """An activity's ladder brought up to a day, and its obligations' status then."""

    sweep: SweepReport
    items: list[StatusItem]


def activity_day(rt: Runtime, *, activity: str, as_of: dt.date, now: dt.datetime) -> ActivityDay:
    """Bring one activity's ladder up to ``now`` and read its obligations' status."""
    if activity not in rt.program.activity_map:
        raise ValueError(f"мероприятия «{activity}» нет в программе")
    with session_scope(rt.engine) as s:
        rows = activity_obligations(session=s, program_id=rt.program.id, activity=activity)
        ids = [o.id for o in rows]
    report = sweep_day(rt, as_of=as_of, now=now, obligation_ids=ids)
    wanted = set(ids)
    items = [i for i in status_on(rt, as_of).items if i.facts.id in wanted]
    return ActivityDay(report, items)


def obligation(rt: Runtime, obligation_id: str) -> ObligationRecord:
    """One obligation by id, or by its short form «6.1:2025-03»."""
    with session_scope(rt.engine) as s:
        return resolve_obligation(session=s, obligation_id=obligation_id)


def obligations(rt: Runtime) -> list[ObligationRecord]:
    """Every obligation of the program as stored."""
    with session_scope(rt.engine) as s:
        return program_obligations(session=s, program_id=rt.program.id)
