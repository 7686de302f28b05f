"""Evidence documents: files kept by their SHA-256 in the file store, versions recorded,
reviews applied.

A file is streamed into a local scratch file while it is hashed and measured, its type is
read from its content (never from its name), and only then does it go into the file store
(``storage/files.py``: the database, or a folder every machine mounts) as its program's
file ``evidence/<sha256>``: the name a submitter chose is kept in the database, never used
as a file name. The evidence row is written in the transaction that stores the bytes (or,
in a folder, after they are in place), so a row never points at a missing file.

Accepted types: PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, JPEG/PNG scans, and ZIP archives of
those; each must open as what it claims, and archives are judged by the bytes they really
inflate (``file_types.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from roadmap.dates.date_window import check_in_window
from roadmap.obligations.states import Event, State
from roadmap.reports.doc_details import DocumentDetails
from storage.audit import AuditTrail
from storage.errors import EvidenceRejected, FileRefused, NotFound, StaleVersion
from storage.file_types import check_name
from storage.files import FileStore, Received, put_blob, put_file, read_blob, receive
from storage.inspection import inspect_evidence
from storage.obligations import (
    change_state,
    local_date,
    lock_obligation,
    program_span,
    resolve_obligation,
)
from storage.tables import EvidenceRecord, ObligationRecord

__all__ = [
    "EvidenceStore",
    "check_document",
    "CheckedDocument",
    "check_name",
    "check_upload",
    "complete_details",
    "evidence_owners",
    "evidence_path",
    "get_evidence",
    "list_evidence",
    "read_evidence",
    "record_evidence",
    "review_evidence",
]

# the store evidence is kept in: the same file store as every other file
EvidenceStore = FileStore


def evidence_path(sha256: str) -> str:
    """A document's path under its program's folder in the file store."""
    return f"evidence/{sha256}"


def _receive_document(
    stream: BinaryIO, *, store: FileStore, name: str, max_bytes: int
) -> tuple[Received, str]:
    """The upload in a scratch file, hashed, and its media type read from its content."""
    try:
        received = receive(stream, store=store, max_bytes=max_bytes)
    except FileRefused as exc:
        raise EvidenceRejected(str(exc)) from None
    try:
        return received, inspect_evidence(received.path, name)
    except BaseException:
        received.discard()
        raise


def check_document(stream: BinaryIO, *, store: FileStore, name: str, max_bytes: int) -> str:
    """What ``record_evidence`` would make of a file, without keeping it: its media type.

    Raises:
        EvidenceRejected: the file is empty, too big, or does not open as what it claims.
    """
    received, media_type = _receive_document(stream, store=store, name=name, max_bytes=max_bytes)
    received.discard()
    return media_type


@dataclass
class CheckedDocument:
    """An upload in a local scratch file, its name and content checked: ready to record.

    ``discard`` it once recorded or given up (``record_evidence`` does not).
    """

    name: str
    received: Received
    media_type: str

    def discard(self) -> None:
        self.received.discard()


def check_upload(
    stream: BinaryIO, *, store: FileStore, name: str, max_bytes: int
) -> CheckedDocument:
    """Receive and check one upload before anything of its submission is written, so that
    a submission with one bad file is refused whole having cost nothing but the checks.

    Raises:
        EvidenceRejected: the name, or the file (empty, too big, not what it claims, out of
            the inspection's bounds, active content).
    """
    checked = check_name(name)
    received, media_type = _receive_document(stream, store=store, name=checked, max_bytes=max_bytes)
    return CheckedDocument(checked, received, media_type)


def record_evidence(
    *,
    session: Session,
    store: FileStore,
    obligation_id: str,
    stream: BinaryIO | CheckedDocument,
    original_name: str,
    submitted_by: str,
    channel: str,
    at: dt.datetime,
    max_bytes: int,
    effective_date: dt.date | None = None,
    submitted_org: str | None = None,
    comment: str | None = None,
    details: DocumentDetails | None = None,
) -> EvidenceRecord:
    """Store a document and record it as the next version of an obligation's evidence.

    The obligation becomes *submitted* (the ladder stops for it); two submissions at once
    become versions one after the other under the obligation's lock, and a «неприменимо»
    that lands first refuses this one. ``details`` (type, number, date, title) date the
    document unless ``effective_date`` does; the bytes are the program's ``evidence/<sha256>``.
    ``stream`` may be a document ``check_upload`` has checked already (its name is then
    the one recorded, and the caller discards it).

    Raises:
        NotFound: no such obligation. EvidenceRejected: the file or its name.
        DateOutOfRange: the document's date is outside the program's window.
        InvalidTransition: the obligation cannot take evidence (cancelled, not applicable).
    """
    if not isinstance(stream, CheckedDocument):
        name = check_name(original_name)
    row = _taking_evidence(session, obligation_id, effective_date)
    who = _Submitter(submitted_by, submitted_org, channel, comment, at)
    if isinstance(stream, CheckedDocument):
        document = stream
    else:
        received, media_type = _receive_document(
            stream, store=store, name=name, max_bytes=max_bytes
        )
        document = CheckedDocument(name, received, media_type)
    try:
        evidence, row, today = _store_version(session, store, row, document, details, who)
    finally:
        if document is not stream:
            document.discard()
    evidence.effective_date = effective_date or evidence.effective_date
    _mark_submitted(session, row, evidence, who, today)
    return evidence


def _store_version(
    session: Session,
    store: FileStore,
    row: ObligationRecord,
    document: CheckedDocument,
    details: DocumentDetails | None,
    who: _Submitter,
) -> tuple[EvidenceRecord, ObligationRecord, dt.date]:
    """The bytes in the file store and the next version's row, under the obligation's lock
    (the row as the lock found it is returned)."""
    received = document.received
    try:
        # the bytes go in before the row lock is taken: nobody waits on an upload
        put_blob(session=session, store=store, received=received, at=who.at)
        row = lock_obligation(session=session, obligation_id=row.id)
        _check_takes_evidence(row)  # again, as the lock found it
        today = local_date(session=session, program_id=row.program_id, at=who.at)
        doc = details or DocumentDetails()
        evidence = _new_version(
            session, row, received, document.media_type, document.name, doc, who
        )
        evidence.effective_date = doc.date or today
        session.add(evidence)
        session.flush()
        put_file(
            session=session,
            store=store,
            owner=row.program_id,
            path=evidence_path(received.sha256),
            received=received,
            actor=who.by,
            channel=who.channel,
            at=who.at,
        )
    except FileRefused as exc:
        raise EvidenceRejected(str(exc)) from None
    return evidence, row, today


def _mark_submitted(
    session: Session,
    row: ObligationRecord,
    evidence: EvidenceRecord,
    who: _Submitter,
    today: dt.date,
) -> None:
    """The obligation stands submitted from today; the audit names the version's hash."""
    change_state(
        session=session, row=row, event=Event.SUBMIT, actor=who.by, channel=who.channel, at=who.at
    )
    row.fulfilled_on = today
    trail = AuditTrail(
        session=session, at=who.at, actor=who.by, channel=who.channel, program_id=row.program_id
    )
    trail.record(
        "evidence_submitted",
        entity="evidence",
        entity_id=f"{row.id}#{evidence.version}",
        field="sha256",
        new=evidence.sha256,
    )


@dataclass(frozen=True)
class _Submitter:
    """Who hands a document in, through which channel, when, and what they say of it."""

    by: str
    org: str | None
    channel: str
    comment: str | None
    at: dt.datetime


def _new_version(
    session: Session,
    row: ObligationRecord,
    received: Received,
    media_type: str,
    name: str,
    doc: DocumentDetails,
    who: _Submitter,
) -> EvidenceRecord:
    """The obligation's next version (the row lock serialises submissions, so the next
    number is free); its effective date is the caller's to set."""
    latest = session.exec(
        select(func.max(EvidenceRecord.version)).where(EvidenceRecord.obligation_id == row.id)
    ).one()
    return EvidenceRecord(
        obligation_id=row.id,
        version=(latest or 0) + 1,
        period=row.period,
        sha256=received.sha256,
        size=received.size,
        media_type=media_type,
        original_name=name,
        effective_date=who.at.date(),
        doc_type=doc.doc_type,
        doc_number=doc.number,
        doc_date=doc.date,
        doc_title=doc.title,
        submitted_by=who.by,
        submitted_org=who.org,
        channel=who.channel,
        comment=who.comment,
        submitted_at=who.at,
    )


def _taking_evidence(
    session: Session, obligation_id: str, effective_date: dt.date | None
) -> ObligationRecord:
    """The obligation, if it takes evidence and the document's date is within the program."""
    row = resolve_obligation(session=session, obligation_id=obligation_id)
    _check_takes_evidence(row)
    if effective_date is not None:
        span = program_span(session=session, program_id=row.program_id)
        check_in_window(effective_date, span, "дата документа")
    return row


def _check_takes_evidence(row: ObligationRecord) -> None:
    if row.cancelled_in_version is not None or row.state in (State.CANCELLED, State.NOT_APPLICABLE):
        raise EvidenceRejected(
            "обязательство отменено или объявлено неприменимым: документ не нужен"
        )


def review_evidence(
    *,
    session: Session,
    obligation_id: str,
    accept: bool,
    comment: str | None,
    reviewer: str,
    channel: str,
    at: dt.datetime,
    version: int | None = None,
) -> EvidenceRecord:
    """Accept or reject the newest version; a rejection reopens the obligation.

    Accepting evidence handed in after the due date closes the obligation *late*. The newest
    version and the obligation's state are read under its lock: a resubmission that lands
    first is what gets reviewed, one that lands after finds the review done.

    Args:
        version: the version the reviewer read; when a newer one has come in since, the
            review is refused, so that nobody accepts a document unread.

    Raises:
        NotFound: no evidence awaits review. ValueError: a rejection without a comment.
        StaleVersion: ``version`` is not the newest one.
    """
    row = lock_obligation(session=session, obligation_id=obligation_id)
    latest = _pending_version(session, row, version)
    if not accept and not (comment or "").strip():
        raise ValueError("при возврате на доработку укажите комментарий: что исправить")
    latest.review_state = "accepted" if accept else "rejected"
    latest.reviewed_by, latest.reviewed_at, latest.review_comment = reviewer, at, comment
    if accept:
        late = row.fulfilled_on is not None and row.fulfilled_on > row.due
        event = Event.ACCEPT_LATE if late else Event.ACCEPT
    else:
        event = Event.REJECT
    change_state(session=session, row=row, event=event, actor=reviewer, channel=channel, at=at)
    if not accept:
        _restart_ladder(session, row, at)
    trail = AuditTrail(
        session=session, at=at, actor=reviewer, channel=channel, program_id=row.program_id
    )
    entity_id = f"{row.id}#{latest.version}"
    trail.record(
        f"evidence_{latest.review_state}",
        entity="evidence",
        entity_id=entity_id,
        field="review_state",
        old="pending",
        new=latest.review_state,
    )
    if comment:
        trail.record(
            "review_comment",
            entity="evidence",
            entity_id=entity_id,
            field="review_comment",
            new=comment,
        )
    return latest


def _pending_version(
    session: Session, row: ObligationRecord, version: int | None
) -> EvidenceRecord:
    """The newest version, awaiting review, and the one the reviewer read (when named).

    Raises:
        NotFound: no evidence awaits review. StaleVersion: ``version`` is not the newest.
    """
    latest = session.exec(
        select(EvidenceRecord)
        .where(EvidenceRecord.obligation_id == row.id)
        .order_by(col(EvidenceRecord.version).desc())
    ).first()
    if latest is None or latest.review_state != "pending":
        raise NotFound("нет документа, ожидающего проверки")
    if version is not None and latest.version != version:
        raise StaleVersion(
            f"на проверке уже версия {latest.version}, а не {version}: пока вы её смотрели, "
            f"пришла новая; откройте версию {latest.version} (roadmap evidence) и проверьте её"
        )
    return latest


def _restart_ladder(session: Session, row: ObligationRecord, at: dt.datetime) -> None:
    """A rejection reopens the obligation: the ladder starts a new cycle today, from the
    overdue step if the due date has passed."""
    row.fulfilled_on = None
    row.ladder_cycle += 1
    today = local_date(session=session, program_id=row.program_id, at=at)
    row.ladder_since = row.ladder_next_on = today
    row.ladder_anchor = today if today > row.due else None


def list_evidence(*, session: Session, obligation_id: str) -> list[EvidenceRecord]:
    """Every version of an obligation's evidence, oldest first."""
    row = resolve_obligation(session=session, obligation_id=obligation_id)
    stmt = (
        select(EvidenceRecord)
        .where(EvidenceRecord.obligation_id == row.id)
        .order_by(col(EvidenceRecord.version))
    )
    return list(session.exec(stmt))


def get_evidence(*, session: Session, evidence_id: int) -> EvidenceRecord:
    ev = session.get(EvidenceRecord, evidence_id)
    if ev is None:
        raise NotFound(f"документ №{evidence_id} не найден")
    return ev


def complete_details(
    *,
    session: Session,
    obligation_id: str,
    org: str,
    details: DocumentDetails,
    by: str,
    channel: str,
    at: dt.datetime,
) -> list[EvidenceRecord]:
    """Give the details of the documents ``org`` handed in without them, still under review.

    Only the versions of the newest submission (the same moment) that carry no details are
    completed; a document already named keeps its name. Each change leaves an audit row.

    Returns:
        the versions completed (none: nothing was waiting for details).
    """
    row = lock_obligation(session=session, obligation_id=obligation_id)
    versions = list(
        session.exec(
            select(EvidenceRecord)
            .where(EvidenceRecord.obligation_id == row.id, EvidenceRecord.submitted_org == org)
            .order_by(col(EvidenceRecord.version).desc())
        )
    )
    if not versions:
        return []
    newest = versions[0].submitted_at
    waiting = [
        v
        for v in versions
        if v.submitted_at == newest
        and v.review_state == "pending"
        and not any((v.doc_type, v.doc_number, v.doc_date, v.doc_title))
    ]
    trail = AuditTrail(session=session, at=at, actor=by, channel=channel, program_id=row.program_id)
    for v in waiting:
        v.doc_type, v.doc_number, v.doc_date, v.doc_title = (
            details.doc_type,
            details.number,
            details.date,
            details.title,
        )
        if details.date is not None and details.date.year == v.effective_date.year:
            v.effective_date = details.date  # a date from another year is kept as said only
        session.add(v)
        trail.record(
            "evidence_details",
            entity="evidence",
            entity_id=f"{row.id}#{v.version}",
            field="details",
            new=details.text(),
        )
    session.flush()
    return sorted(waiting, key=lambda v: v.version)


def read_evidence(*, engine: Engine, store: FileStore, evidence: EvidenceRecord) -> Iterator[bytes]:
    """A document's bytes from the file store, a chunk at a time.

    Raises:
        NotFound: the store does not have them (a file stored before the file store that
            ``roadmap files import`` has not moved in yet).
    """
    return read_blob(engine=engine, store=store, sha256=evidence.sha256)


def evidence_owners(*, session: Session, sha256: str) -> list[str]:
    """The programs with a document whose bytes hash to ``sha256``, sorted."""
    stmt = (
        select(ObligationRecord.program_id)
        .join(EvidenceRecord, col(EvidenceRecord.obligation_id) == col(ObligationRecord.id))
        .where(EvidenceRecord.sha256 == sha256)
        .distinct()
    )
    return sorted(session.exec(stmt))
