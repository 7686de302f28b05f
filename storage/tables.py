"""SQLModel tables: what happened, kept for good. Row classes end in ``Record``.

Every row carries its program's id, so several programs live side by side. Times are
stored in UTC; dates (due dates, periods) are calendar dates in the program's time zone.
Nothing is deleted: superseded evidence stays as an older version, a dropped obligation
is marked with the program version that dropped it, and every change leaves an
``AuditRecord``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC)")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


def _utc(**kw: Any) -> Any:
    return Field(sa_column=Column(UTCDateTime(), **kw))


def _json(**kw: Any) -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False, **kw))


def _text(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(Text, nullable=nullable))


class ProgramRecord(SQLModel, table=True):
    __tablename__ = "program"

    id: str = Field(primary_key=True, max_length=100)
    title: str = Field(sa_column=Column(Text, nullable=False))
    region: str
    timezone: str
    calendar: str
    span: str
    version: str = Field(max_length=40)
    checkpoints: list[dict[str, Any]] = _json()
    synced_at: dt.datetime = _utc(nullable=False)


class ProgramVersionRecord(SQLModel, table=True):
    """A version of the program's data as synced, with the data itself: a read for a past
    date words the road map as this version did (``storage.as_of.program_as_of``)."""

    __tablename__ = "program_version"

    id: int | None = Field(default=None, primary_key=True)
    program_id: str = Field(foreign_key="program.id", index=True, max_length=100)
    version: str = Field(max_length=40)
    synced_at: dt.datetime = _utc(nullable=False)
    summary: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # the program's data as JSON, the text ``version`` is the hash of; None: synced before
    # versions kept their data
    data: str | None = _text()


class OrganizationRecord(SQLModel, table=True):
    __tablename__ = "organization"

    program_id: str = Field(foreign_key="program.id", primary_key=True, max_length=100)
    id: str = Field(primary_key=True, max_length=100)
    name: str = Field(sa_column=Column(Text, nullable=False))
    short_name: str
    kind: str = Field(max_length=40)
    reports_via: str | None = Field(default=None, max_length=100)
    executor: bool = True
    removed_in_version: str | None = Field(default=None, max_length=40)


class ContactRecord(SQLModel, table=True):
    """A person to notify for an organization, in a role (see the notifications room)."""

    __tablename__ = "contact"

    id: int | None = Field(default=None, primary_key=True)
    program_id: str = Field(foreign_key="program.id", index=True, max_length=100)
    org_id: str = Field(max_length=100, index=True)
    role: str = Field(max_length=20)
    name: str
    email: str | None = None
    telegram_chat_id: str | None = Field(default=None, max_length=64)
    max_id: str | None = Field(default=None, max_length=64)
    digest: bool = True
    active: bool = True
    salutation: str | None = None
    position: str | None = None
    phone: str | None = Field(default=None, max_length=64)


class ActivityRecord(SQLModel, table=True):
    __tablename__ = "activity"

    program_id: str = Field(foreign_key="program.id", primary_key=True, max_length=100)
    number: str = Field(primary_key=True, max_length=10)
    section: str = Field(max_length=10)
    name: str = Field(sa_column=Column(Text, nullable=False))
    short_name: str
    term: str = Field(sa_column=Column(Text, nullable=False))
    lead: str = Field(max_length=100)
    executors: list[str] = _json()
    evidence: str = Field(sa_column=Column(Text, nullable=False))
    result: str = Field(sa_column=Column(Text, nullable=False))
    targets: list[dict[str, Any]] = _json()
    removed_in_version: str | None = Field(default=None, max_length=40)


class IndicatorRecord(SQLModel, table=True):
    __tablename__ = "indicator"

    program_id: str = Field(foreign_key="program.id", primary_key=True, max_length=100)
    code: str = Field(primary_key=True, max_length=10)
    group: int
    name: str = Field(sa_column=Column(Text, nullable=False))
    unit: str
    direction: str = Field(max_length=10)
    contributors: list[str] = _json()
    targets: list[float | None] = _json()
    removed_in_version: str | None = Field(default=None, max_length=40)


class ObligationRecord(SQLModel, table=True):
    """One dated thing owed: ``due`` is current (after extensions), ``program_due`` as planned."""

    __tablename__ = "obligation"
    __table_args__ = (
        Index("ix_obligation_program_due", "program_id", "due"),
        Index("ix_obligation_program_state_due", "program_id", "state", "due"),
        Index("ix_obligation_program_activity", "program_id", "activity"),
        Index("ix_obligation_program_ladder", "program_id", "ladder_next_on"),
    )

    id: str = Field(primary_key=True, max_length=200)
    program_id: str = Field(foreign_key="program.id", max_length=100)
    kind: str = Field(max_length=20)
    report_kind: str | None = Field(default=None, max_length=20)
    activity: str | None = Field(default=None, max_length=10)
    period: str = Field(max_length=30)
    period_start: dt.date
    period_end: dt.date
    opens: dt.date
    due: dt.date
    program_due: dt.date
    lead: str = Field(max_length=100)
    owners: list[str] = _json()
    evidence_kind: str = Field(sa_column=Column(Text, nullable=False))
    rule: int
    covers: list[str] = _json()
    recipient: str | None = Field(default=None, max_length=100)
    state: str = Field(default="open", max_length=20)
    fulfilled_on: dt.date | None = None
    na_on: dt.date | None = None
    na_reason: str | None = _text()
    ladder_cycle: int = 0
    # the current ladder cycle counts from this day (see roadmap.obligations.ladder)
    ladder_since: dt.date
    ladder_anchor: dt.date | None = None
    # the first day whose ladder steps are not planned yet (None: nothing left in this cycle)
    ladder_next_on: dt.date | None = None
    created_in_version: str = Field(max_length=40)
    cancelled_in_version: str | None = Field(default=None, max_length=40)
    updated_at: dt.datetime = _utc(nullable=False)


class ObligationOwnerRecord(SQLModel, table=True):
    """Who owes an obligation, one row per owner, with the body that reports for it."""

    __tablename__ = "obligation_owner"
    __table_args__ = (Index("ix_obligation_owner_body", "reporting_body", "obligation_id"),)

    obligation_id: str = Field(foreign_key="obligation.id", primary_key=True, max_length=200)
    org_id: str = Field(primary_key=True, max_length=100)
    position: int
    reporting_body: str = Field(max_length=100)


class EvidenceRecord(SQLModel, table=True):
    """One version of a document handed in for an obligation; the file lives by its hash."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("obligation_id", "version", name="uq_evidence_version"),)

    id: int | None = Field(default=None, primary_key=True)
    obligation_id: str = Field(foreign_key="obligation.id", index=True, max_length=200)
    version: int
    period: str = Field(max_length=30)
    sha256: str = Field(max_length=64, index=True)
    size: int
    media_type: str = Field(max_length=120)
    original_name: str = Field(max_length=255)
    effective_date: dt.date
    # the document's details as the submitter gave them (``roadmap.reports.doc_details``)
    doc_type: str | None = Field(default=None, max_length=200)
    doc_number: str | None = Field(default=None, max_length=100)
    doc_date: dt.date | None = None
    doc_title: str | None = _text()
    submitted_by: str
    submitted_org: str | None = Field(default=None, max_length=100)
    channel: str = Field(max_length=20)
    comment: str | None = _text()
    submitted_at: dt.datetime = _utc(nullable=False)
    review_state: str = Field(default="pending", max_length=20)
    reviewed_by: str | None = None
    reviewed_at: dt.datetime | None = _utc(nullable=True)
    review_comment: str | None = _text()


class IndicatorValueRecord(SQLModel, table=True):
    """A value given for an indicator, period and organization; the newest one counts."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        Index("ix_indicator_value_lookup", "program_id", "indicator", "period", "org_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    program_id: str = Field(foreign_key="program.id", max_length=100)
    indicator: str = Field(max_length=10)
    period: str = Field(max_length=30)
    org_id: str = Field(max_length=100)
    value: float
    target: float | None = None
    explanation: str | None = _text()
    given_by: str
    channel: str = Field(max_length=20)
    given_at: dt.datetime = _utc(nullable=False)
    obligation_id: str | None = Field(default=None, max_length=200)


class TargetValueRecord(SQLModel, table=True):
    """What was achieved against an activity's quantitative target («не менее 18 служб»)."""

    __tablename__ = "target_value"
    __table_args__ = (Index("ix_target_value_lookup", "program_id", "activity", "target"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: str = Field(foreign_key="program.id", max_length=100)
    activity: str = Field(max_length=10)
    target: int  # position of the target in the activity's list, from 1
    period: str = Field(max_length=30)
    org_id: str = Field(max_length=100)
    value: float
    comment: str | None = _text()
    given_by: str
    channel: str = Field(max_length=20)
    given_at: dt.datetime = _utc(nullable=False)


class ExtensionRecord(SQLModel, table=True):
    """A request to move a due date, and its decision."""

    __tablename__ = "extension"

    id: int | None = Field(default=None, primary_key=True)
    obligation_id: str = Field(foreign_key="obligation.id", index=True, max_length=200)
    previous_due: dt.date
    requested_due: dt.date
    reason: str = Field(sa_column=Column(Text, nullable=False))
    requested_by: str
    requested_at: dt.datetime = _utc(nullable=False)
    state: str = Field(default="requested", max_length=20)
    decided_by: str | None = None
    decided_at: dt.datetime | None = _utc(nullable=True)
    decision_comment: str | None = _text()


class DueSettingRecord(SQLModel, table=True):
    """The due date a person set for an obligation counted from an event (rule 8).

    One row per obligation: set once; moving it later is an extension like any other.
    """

    __tablename__ = "due_setting"

    obligation_id: str = Field(primary_key=True, max_length=200)
    program_id: str = Field(foreign_key="program.id", index=True, max_length=100)
    due: dt.date
    basis: str = Field(sa_column=Column(Text, nullable=False))
    set_by: str
    channel: str = Field(max_length=20)
    set_at: dt.datetime = _utc(nullable=False)


class AuditRecord(SQLModel, table=True):
    """Who changed what, when, through which channel: old and new value."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: str | None = Field(default=None, max_length=100)
    at: dt.datetime = _utc(nullable=False)
    actor: str
    channel: str = Field(max_length=20)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=200)
    field: str | None = Field(default=None, max_length=60)
    old: str | None = _text()
    new: str | None = _text()


class OutboxRecord(SQLModel, table=True):
    """A message to one recipient on one channel, recorded before it is sent.

    ``key`` (obligation, ladder cycle, step, contact, channel) is unique: a rerun, a retry or
    a second worker cannot record the same message twice. ``message_id`` is fixed when the
    row is written, so a resend after a crash carries the same Message-ID.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_next", "state", "next_attempt_at"),
        Index("ix_outbox_obligation", "obligation_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True)
    program_id: str = Field(max_length=100)
    obligation_id: str | None = Field(default=None, max_length=200)
    activity: str | None = Field(default=None, max_length=10)
    period: str | None = Field(default=None, max_length=30)
    cycle: int = 0
    step: str = Field(max_length=40)
    contact_id: int | None = None
    recipient_org: str = Field(max_length=100)
    recipient_role: str = Field(max_length=20)
    recipient_name: str
    channel: str = Field(max_length=20)
    address: str = Field(max_length=320)
    is_copy: bool = False
    digest: bool = True
    scheduled_for: dt.date
    created_at: dt.datetime = _utc(nullable=False)
    not_before: dt.datetime = _utc(nullable=False)
    next_attempt_at: dt.datetime = _utc(nullable=False)
    subject: str = Field(sa_column=Column(Text, nullable=False))
    body_text: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str = Field(sa_column=Column(Text, nullable=False))
    # the template context of the item, so a digest can be rendered from several items
    context: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    thread_id: str = Field(max_length=200)
    message_id: str = Field(max_length=200)
    state: str = Field(default="pending", max_length=20)
    attempts: int = 0
    batch_id: str | None = Field(default=None, max_length=64, index=True)
    claimed_at: dt.datetime | None = _utc(nullable=True)
    sent_at: dt.datetime | None = _utc(nullable=True)
    last_error: str | None = _text()


class FlowWaitRecord(SQLModel, table=True):
    """A flow run paused until something is recorded (evidence, values, agenda items).

    Whoever records that thing (command line, intake page) resumes the runs waiting on its
    key, so a submission reaches the flow whatever the channel.
    """

    __tablename__ = "flow_wait"

    id: int | None = Field(default=None, primary_key=True)
    flow_run_id: str = Field(max_length=64)
    key: str = Field(max_length=300, index=True)
    created_at: dt.datetime = _utc(nullable=False)
    resolved_at: dt.datetime | None = _utc(nullable=True)


class AgendaItemRecord(SQLModel, table=True):
    """A proposal for the agenda of a commission meeting (activity 2.1)."""

    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    program_id: str = Field(foreign_key="program.id", max_length=100)
    period: str = Field(max_length=30)
    org_id: str = Field(max_length=100)
    text: str = Field(sa_column=Column(Text, nullable=False))
    given_by: str
    channel: str = Field(max_length=20)
    given_at: dt.datetime = _utc(nullable=False)


class UsedLinkRecord(SQLModel, table=True):
    """An intake link that has served its submission: it cannot be used again."""

    __tablename__ = "used_link"

    nonce: str = Field(primary_key=True, max_length=64)
    obligation_id: str = Field(max_length=200)
    org_id: str = Field(max_length=100)
    used_at: dt.datetime = _utc(nullable=False)


class MailMessageRecord(SQLModel, table=True):
    """A letter read from the program mailbox, once: what became of it.

    ``key`` is the letter's Message-ID (or its content's SHA-256 when it has none). The row is
    written first in the transaction that records what the letter brought, so of two runs
    reading one letter the second finds it here and only files it away.
    """

    __tablename__ = "mail_message"
    __table_args__ = (Index("ix_mail_message_program_at", "program_id", "handled_at"),)

    key: str = Field(primary_key=True, max_length=300)
    uid: int | None = None
    program_id: str | None = Field(default=None, max_length=100)
    obligation_id: str | None = Field(default=None, max_length=200)
    sender: str = Field(max_length=320)
    sender_org: str | None = Field(default=None, max_length=100)
    subject: str | None = _text()
    # accepted | refused | not-ours: also the mailbox folder the letter is moved to
    outcome: str = Field(max_length=20)
    reason: str | None = _text()
    evidence_ids: list[int] = _json()
    handled_at: dt.datetime = _utc(nullable=False)
    # who moves it out of the inbox: the run that recorded it, or, past a lease, a later one
    filing_at: dt.datetime | None = _utc(nullable=True)
    filed_at: dt.datetime | None = _utc(nullable=True)


class ShortfallReasonRecord(SQLModel, table=True):
    """An executor's reasons for a shortfall and the measures taken: for an obligation (an
    activity's checkpoint not done or late) or for an indicator off plan at a period. The
    newest per subject and organisation counts; earlier ones stay as history."""

    __tablename__ = "shortfall_reason"
    __table_args__ = (Index("ix_shortfall_reason_program", "program_id"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: str = Field(foreign_key="program.id", max_length=100)
    obligation_id: str | None = Field(default=None, max_length=200)
    indicator: str | None = Field(default=None, max_length=10)
    period: str | None = Field(default=None, max_length=30)
    org_id: str | None = Field(default=None, max_length=100)
    reasons: str = Field(sa_column=Column(Text, nullable=False))
    measures: str | None = _text()
    given_by: str
    channel: str = Field(max_length=20)
    given_at: dt.datetime = _utc(nullable=False)
