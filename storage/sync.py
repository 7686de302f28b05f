"""Syncing a program's data into storage: idempotent, and careful with what already happened.

Loading the same program twice changes nothing. Loading an amended program (a term
changed, an activity added or removed) recomputes only obligations with nothing handed in
yet, keeps every submitted one with its evidence, marks dropped ones with the program
version that dropped them, and records the new version with its data (a read for a past
date words the road map as the version then in force did: ``storage.as_of``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from roadmap.dates.workdays import WorkCalendar
from roadmap.obligations.expansion import Obligation, expand_obligations, expand_pending
from roadmap.obligations.states import NOT_SUBMITTED, Event, State
from roadmap.program.model import Program
from storage.audit import AuditTrail, audit_row
from storage.obligations import change_state
from storage.tables import (
    ActivityRecord,
    AuditRecord,
    DueSettingRecord,
    IndicatorRecord,
    ObligationOwnerRecord,
    ObligationRecord,
    OrganizationRecord,
    ProgramRecord,
    ProgramVersionRecord,
)

SYNC_ACTOR = "sync"


@dataclass
class SyncReport:
    """What a sync changed; all zero when the program was already there as it is."""

    program: str
    version: str
    previous_version: str | None
    created: list[str] = field(default_factory=list)
    recomputed: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    kept_submitted: list[str] = field(default_factory=list)
    # dropped from the program after evidence came in: kept as they are, marked with the version
    dropped_submitted: list[str] = field(default_factory=list)
    reference_changes: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.recomputed
            or self.cancelled
            or self.reopened
            or self.dropped_submitted
            or self.reference_changes
            or self.version != self.previous_version
        )

    def summary(self) -> dict[str, Any]:
        return {
            "created": len(self.created),
            "recomputed": len(self.recomputed),
            "cancelled": len(self.cancelled),
            "reopened": len(self.reopened),
            "kept_submitted": len(self.kept_submitted),
            "dropped_submitted": len(self.dropped_submitted),
            "reference_changes": self.reference_changes,
        }


def program_version(program: Program) -> str:
    """A short hash of the program data: the same data gives the same version."""
    return version_of(program.model_dump_json())


def version_of(data: str) -> str:
    """The version of the program data ``data`` (the program's JSON)."""
    return hashlib.sha256(data.encode()).hexdigest()[:12]


def sync_program(
    *,
    session: Session,
    program: Program,
    at: dt.datetime,
    calendar: WorkCalendar | None = None,
    obligations: list[Obligation] | None = None,
) -> SyncReport:
    """Bring storage in line with ``program`` (see the module docstring).

    Args:
        at: when the sync happens (UTC), for the audit log.
        obligations: the program's expansion, if the caller has it already.
    """
    data = program.model_dump_json()
    version = version_of(data)
    # two syncs of one program at once: the second waits here, then finds the version stored
    record = session.get(ProgramRecord, program.id, with_for_update=True)
    report = SyncReport(program.id, version, record.version if record else None)
    _fill_data(session, program.id, version, data)
    if record is not None and record.version == version:
        return report  # the same data: nothing to do
    if obligations is None:
        obligations = expand_obligations(program, calendar)
    # obligations counted from an event, once a person has set their due dates (rule 8)
    obligations = [
        *obligations,
        *dated_pending(session=session, program=program, calendar=calendar),
    ]
    _store_program(session, record, program, version, at)
    report.reference_changes += _sync_reference(session, program, version)
    _sync_obligations(session, program, obligations, version, at, report)
    session.add(
        ProgramVersionRecord(
            program_id=program.id,
            version=version,
            synced_at=at,
            summary=report.summary(),
            data=data,
        )
    )
    trail = AuditTrail(
        session=session, at=at, actor=SYNC_ACTOR, channel="sync", program_id=program.id
    )
    trail.record(
        "sync_program",
        entity="program",
        entity_id=program.id,
        field="version",
        old=report.previous_version,
        new=version,
    )
    return report


def _fill_data(session: Session, program_id: str, version: str, data: str) -> None:
    """The data of this version where a sync before versions kept their data left none (the
    version is the data's hash: the same version is the same data)."""
    session.execute(
        update(ProgramVersionRecord)
        .where(
            col(ProgramVersionRecord.program_id) == program_id,
            col(ProgramVersionRecord.version) == version,
            col(ProgramVersionRecord.data).is_(None),
        )
        .values(data=data)
    )


def _store_program(
    session: Session, record: ProgramRecord | None, program: Program, version: str, at: dt.datetime
) -> None:
    """The program's own row: added on the first sync, brought up to date on later ones."""
    checkpoints = [c.model_dump(mode="json") for c in program.checkpoints]
    if record is None:
        record = ProgramRecord(
            id=program.id,
            title=program.title,
            region=program.region,
            timezone=program.timezone,
            calendar=program.calendar,
            span=program.span,
            version=version,
            checkpoints=checkpoints,
            synced_at=at,
        )
        session.add(record)
        session.flush()
    else:
        record.title, record.region, record.span = program.title, program.region, program.span
        record.timezone, record.calendar = program.timezone, program.calendar
        record.version, record.checkpoints, record.synced_at = version, checkpoints, at


def due_settings(
    *, session: Session, program_id: str, before: dt.datetime | None = None
) -> dict[str, DueSettingRecord]:
    """The due dates people have set for the program's obligations counted from an event
    (only those set before ``before``, when given: ``storage.as_of.AsOf.end``)."""
    stmt = select(DueSettingRecord).where(DueSettingRecord.program_id == program_id)
    if before is not None:
        stmt = stmt.where(col(DueSettingRecord.set_at) < before)
    return {r.obligation_id: r for r in session.exec(stmt)}


def dated_pending(
    *, session: Session, program: Program, calendar: WorkCalendar | None = None
) -> list[Obligation]:
    """The program's obligations counted from an event whose due date a person has set.

    A setting the program no longer has a pending obligation for (the activity lost its
    mark, the term changed), or that now falls before the obligation opens, dates nothing:
    such an obligation is dropped by the sync like any other that left the program.
    """
    settings = due_settings(session=session, program_id=program.id)
    if not settings:
        return []
    return [
        p.with_due(settings[p.id].due)
        for p in expand_pending(program, calendar)
        if p.id in settings and settings[p.id].due >= p.opens
    ]


def _reference_rows(program: Program) -> list[tuple[type[Any], dict[str, Any], dict[str, Any]]]:
    """(table, key, values) for every organization, activity and indicator of the program."""
    rows: list[tuple[type[Any], dict[str, Any], dict[str, Any]]] = []
    pid = program.id
    values: dict[str, Any]
    for o in program.organizations:
        values = {
            "name": o.name,
            "short_name": o.short_name,
            "kind": o.kind,
            "reports_via": o.reports_via,
            "executor": o.executor,
        }
        rows.append((OrganizationRecord, {"program_id": pid, "id": o.id}, values))
    for a in program.activities:
        values = {
            "section": a.section,
            "name": a.name,
            "short_name": a.short_name,
            "term": a.term,
            "lead": a.lead,
            "executors": list(a.executors),
            "evidence": a.evidence,
            "result": a.result,
            "targets": [t.model_dump() for t in a.targets],
        }
        rows.append((ActivityRecord, {"program_id": pid, "number": a.number}, values))
    for i in program.indicators:
        values = {
            "group": i.group,
            "name": i.name,
            "unit": i.unit,
            "direction": i.direction,
            "contributors": list(i.contributors),
            "targets": list(i.targets),
        }
        rows.append((IndicatorRecord, {"program_id": pid, "code": i.code}, values))
    return rows


def _sync_reference(session: Session, program: Program, version: str) -> int:
    """Organizations, activities and indicators: upsert each, mark the dropped ones."""
    changes = 0
    stored: dict[tuple[Any, ...], Any] = {}
    for table in (OrganizationRecord, ActivityRecord, IndicatorRecord):
        for row in session.exec(select(table).where(table.program_id == program.id)):
            stored[(table, *_pk(row))] = row
    for table, key, values in _reference_rows(program):
        row = stored.pop((table, *key.values()), None)
        values = {**values, "removed_in_version": None}
        if row is None:
            session.add(table(**key, **values))
            changes += 1
            continue
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                changes += 1
    for row in stored.values():
        if row.removed_in_version is None:
            row.removed_in_version = version
            changes += 1
    return changes


def _pk(row: Any) -> tuple[Any, ...]:
    return tuple(getattr(row, c.name) for c in row.__table__.primary_key.columns)


def _sync_obligations(
    session: Session,
    program: Program,
    expected: list[Obligation],
    version: str,
    at: dt.datetime,
    report: SyncReport,
) -> None:
    """Create, recompute, restore and drop the program's obligations to match ``expected``."""
    existing = _lock_obligations(session, program.id)
    sync = _ObligationSync(
        session=session,
        program=program,
        version=version,
        at=at,
        report=report,
        owners_by_ob=_owners_by_obligation(session, list(existing)),
        # Ladder steps count from the day an obligation appears here: a program loaded
        # mid-way does not send a year of old reminders.
        today=at.astimezone(ZoneInfo(program.timezone)).date(),
    )
    for ob in expected:
        row = existing.pop(ob.id, None)
        if row is None:
            sync.create(ob)
            continue
        if row.cancelled_in_version is not None:
            sync.restore(row)
        if row.state not in NOT_SUBMITTED:
            report.kept_submitted.append(ob.id)
        else:
            sync.recompute(row, ob)
    for row in existing.values():
        if row.cancelled_in_version is None:
            sync.drop(row)
    sync.write()


def _lock_obligations(session: Session, program_id: str) -> dict[str, ObligationRecord]:
    """The program's obligation rows by id, each locked as it is read.

    Every row of the program is locked while it is read, in id order as the sweep's
    ``mark_overdue`` locks them (so neither waits for the other in a circle): a document
    handed in meanwhile waits for the sync, then finds the state the sync left, and the
    sync never cancels or recomputes a row from a state it no longer has (PostgreSQL;
    SQLite's BEGIN IMMEDIATE already holds the write lock).
    """
    stmt = (
        select(ObligationRecord)
        .where(ObligationRecord.program_id == program_id)
        .order_by(col(ObligationRecord.id))
        .with_for_update()
    )
    return {r.id: r for r in session.exec(stmt)}


def _owners_by_obligation(
    session: Session, obligation_ids: list[str]
) -> dict[str, list[ObligationOwnerRecord]]:
    """The stored owner rows of each of ``obligation_ids``."""
    owners_by_ob: dict[str, list[ObligationOwnerRecord]] = {}
    if obligation_ids:
        owner_stmt = select(ObligationOwnerRecord).where(
            col(ObligationOwnerRecord.obligation_id).in_(obligation_ids)
        )
        for owner in session.exec(owner_stmt):
            owners_by_ob.setdefault(owner.obligation_id, []).append(owner)
    return owners_by_ob


@dataclass
class _ObligationSync:
    """One sync's pass over a program's obligations: the rows it changes as it goes, and
    the new rows and audit rows it inserts in bulk at the end (``write``)."""

    session: Session
    program: Program
    version: str
    at: dt.datetime
    report: SyncReport
    owners_by_ob: dict[str, list[ObligationOwnerRecord]]
    today: dt.date
    audits: list[dict[str, Any]] = field(default_factory=list)
    new_rows: list[dict[str, Any]] = field(default_factory=list)
    new_owners: list[dict[str, Any]] = field(default_factory=list)

    def audit(self, ob_id: str, action: str, name: str, old: Any, new: Any) -> None:
        self.audits.append(
            audit_row(
                at=self.at,
                actor=SYNC_ACTOR,
                channel="sync",
                action=action,
                entity="obligation",
                entity_id=ob_id,
                program_id=self.program.id,
                field=name,
                old=old,
                new=new,
            )
        )

    def apply_event(self, row: ObligationRecord, event: Event) -> None:
        change_state(
            session=self.session, row=row, event=event, actor=SYNC_ACTOR, channel="sync", at=self.at
        )

    def create(self, ob: Obligation) -> None:
        """A new obligation: its row and owners wait for the bulk insert."""
        self.new_rows.append(
            new_obligation_row(self.program, ob, self.version, self.at, self.today)
        )
        self.new_owners.extend(owner_rows(self.program, ob))
        self.report.created.append(ob.id)
        self.audit(ob.id, "create", "state", None, State.OPEN)

    def restore(self, row: ObligationRecord) -> None:
        """An obligation an earlier version dropped is back in the program."""
        self.audit(row.id, "restore", "cancelled_in_version", row.cancelled_in_version, None)
        row.cancelled_in_version = None
        row.updated_at = self.at  # a read as of an earlier date undoes this (``storage.as_of``)
        if row.state == State.CANCELLED:
            self.apply_event(row, Event.REOPEN)
        self.report.reopened.append(row.id)

    def recompute(self, row: ObligationRecord, ob: Obligation) -> None:
        """An obligation with nothing handed in yet takes the program's fields, due date
        and owners as they are now."""
        extended = row.due != row.program_due
        fields_changed = self._recompute_fields(row, ob)
        due_changed = self._recompute_due(row, ob, extended)
        owners_changed = self._replace_owners(ob)
        if fields_changed or due_changed or owners_changed:
            row.updated_at = self.at
            row.ladder_next_on = self.today  # dates moved: the planner looks again from today
            self.report.recomputed.append(ob.id)

    def _recompute_fields(self, row: ObligationRecord, ob: Obligation) -> bool:
        changed = False
        for name, value in _fields(ob).items():
            if getattr(row, name) != value:
                self.audit(ob.id, "recompute", name, getattr(row, name), value)
                setattr(row, name, value)
                changed = True
        return changed

    def _recompute_due(self, row: ObligationRecord, ob: Obligation, extended: bool) -> bool:
        # an approved extension stands unless the amended program gives more time
        due = max(row.due, ob.due) if extended else ob.due
        if row.due == due:
            return False
        self.audit(ob.id, "recompute", "due", row.due, due)
        row.due = due
        if row.state == State.OVERDUE and due >= self.today:  # as an extension would
            self.apply_event(row, Event.EXTEND)
        return True

    def _replace_owners(self, ob: Obligation) -> bool:
        old_owners = sorted(self.owners_by_ob.get(ob.id, []), key=lambda o: o.position)
        if [o.org_id for o in old_owners] == list(ob.owners):
            return False
        for owner in old_owners:
            self.session.delete(owner)
        self.new_owners.extend(owner_rows(self.program, ob))
        return True

    def drop(self, row: ObligationRecord) -> None:
        """An obligation the program no longer has: cancelled, or kept if evidence came in."""
        self.audit(row.id, "drop", "cancelled_in_version", None, self.version)
        row.cancelled_in_version = self.version
        row.updated_at = self.at
        if row.state in NOT_SUBMITTED:
            self.apply_event(row, Event.CANCEL)
            self.report.cancelled.append(row.id)
        else:
            self.report.dropped_submitted.append(row.id)

    def write(self) -> None:
        self.session.flush()  # updates and deleted owner rows go first
        # New rows in bulk: the ORM's per-object cost is most of a first sync's time.
        if self.new_rows:
            self.session.execute(insert(ObligationRecord), self.new_rows)
        if self.new_owners:
            self.session.execute(insert(ObligationOwnerRecord), self.new_owners)
        if self.audits:
            self.session.execute(insert(AuditRecord), self.audits)


def new_obligation_row(
    program: Program, ob: Obligation, version: str, at: dt.datetime, today: dt.date
) -> dict[str, Any]:
    """A new obligation's row: open, its ladder counting from ``today`` (not from its opening:
    an obligation stored mid-way does not send its past reminders)."""
    return {
        "id": ob.id,
        "program_id": program.id,
        "state": State.OPEN.value,
        "created_in_version": version,
        "updated_at": at,
        "due": ob.due,
        "ladder_cycle": 0,
        "ladder_since": today,
        "ladder_next_on": today,
        **_fields(ob),
    }


def _fields(ob: Obligation) -> dict[str, Any]:
    return {
        "kind": ob.kind,
        "report_kind": ob.report_kind,
        "activity": ob.activity,
        "period": ob.period.label,
        "period_start": ob.period.start,
        "period_end": ob.period.end,
        "opens": ob.opens,
        "program_due": ob.due,
        "lead": ob.lead,
        "owners": list(ob.owners),
        "evidence_kind": ob.evidence,
        "rule": ob.rule,
        "covers": list(ob.covers),
        "recipient": ob.recipient,
    }


def owner_rows(program: Program, ob: Obligation) -> list[dict[str, Any]]:
    return [
        {
            "obligation_id": ob.id,
            "org_id": org,
            "position": position,
            "reporting_body": program.reporting_body(org) if org in program.orgs else org,
        }
        for position, org in enumerate(ob.owners)
    ]
