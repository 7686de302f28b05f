"""Recording what people give: documents, values, reviews, «неприменимо», and waking flows.

One function per thing a person does, whatever the face: the command line, the intake
page, a run's form and the simulation all record through these, and each wakes the flow
runs waiting on what it recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Literal

from sqlmodel import Session

from notifications.alerts import record_alert
from notifications.messages import ObligationView, obligation_context
from roadmap.errors import NotPermitted, RoadmapError
from roadmap.obligations.asks import Ask
from roadmap.obligations.keys import TargetCode, WaitKey
from roadmap.obligations.states import OWED, State
from roadmap.reports.doc_details import DocumentDetails
from services.runtime import Runtime
from services.sweep import send_waiting
from services.tokens import LinkClaims
from services.upload_checks import Upload, UploadRefused, check_uploads, link_locked
from services.wakeups import wake_waiting
from storage.actuals import record_indicator_value, record_target_value
from storage.db import session_scope
from storage.errors import LinkAlreadyUsed, NotFound
from storage.evidence import CheckedDocument, check_name, record_evidence, review_evidence
from storage.obligations import declare_not_applicable, resolve_obligation
from storage.reasons import record_shortfall_reason
from storage.tables import EvidenceRecord, IndicatorValueRecord, ObligationRecord
from storage.waits import link_used, mark_link_used

# what the faces name of storage, through this use case: the obligation's row, a file
# name's check, the loser of two answers through one link
__all__ = ["LinkAlreadyUsed", "ObligationRecord", "Upload", "UploadRefused", "check_name"]


@dataclass(frozen=True)
class Who:
    """Who gives something, and through which channel."""

    name: str
    channel: str
    org: str | None = None


def wake(rt: Runtime, keys: Sequence[WaitKey]) -> list[str]:
    """Resume the flow runs waiting on ``keys`` (nothing without a Prefect API)."""
    return wake_waiting(
        engine=rt.engine, keys=keys, api_url=rt.prefect_api_url, at=rt.now(), auth=rt.prefect_auth
    )


def submit_document(
    rt: Runtime,
    *,
    obligation_id: str,
    stream: BinaryIO,
    name: str,
    who: Who,
    effective: dt.date | None = None,
    comment: str | None = None,
    at: dt.datetime | None = None,
    details: DocumentDetails | None = None,
) -> EvidenceRecord:
    """Store a document as the obligation's next evidence version, then wake its waiters.

    ``details`` are the document's type, number, date and title, as the report names it.
    """
    with session_scope(rt.engine) as s:
        ev = record_evidence(
            session=s,
            store=rt.evidence,
            obligation_id=obligation_id,
            stream=stream,
            original_name=name,
            submitted_by=who.name,
            submitted_org=who.org,
            channel=who.channel,
            at=at or rt.now(),
            max_bytes=rt.settings.max_upload_mb * 1024 * 1024,
            effective_date=effective,
            comment=comment,
            details=details,
        )
    wake(rt, [WaitKey.evidence(ev.obligation_id)])
    return ev


def review(
    rt: Runtime,
    *,
    obligation_id: str,
    accept: bool,
    comment: str | None,
    who: Who,
    at: dt.datetime | None = None,
    version: int | None = None,
) -> EvidenceRecord:
    """Accept the newest evidence version, or return it for rework.

    ``version``: the one the reviewer read; refused when a newer one has come in since.
    """
    with session_scope(rt.engine) as s:
        return review_evidence(
            session=s,
            obligation_id=obligation_id,
            accept=accept,
            comment=comment,
            reviewer=who.name,
            channel=who.channel,
            at=at or rt.now(),
            version=version,
        )


def give_value(
    rt: Runtime,
    *,
    indicator: str,
    period: str,
    value: float,
    who: Who,
    explanation: str | None = None,
    at: dt.datetime | None = None,
) -> IndicatorValueRecord:
    """Record an indicator's actual value for ``period`` from ``who.org``, then wake waiters."""
    if who.org is None:
        raise ValueError("не указано, от какой организации значение")
    with session_scope(rt.engine) as s:
        row = record_indicator_value(
            session=s,
            program=rt.program,
            indicator=indicator,
            period=period,
            org=who.org,
            value=value,
            given_by=who.name,
            channel=who.channel,
            at=at or rt.now(),
            margin=rt.settings.explanation_margin,
            explanation=explanation,
        )
    wake(rt, [WaitKey.indicator(indicator, period)])
    return row


def give_target_value(
    rt: Runtime,
    *,
    activity: str,
    target: int,
    period: str,
    value: float,
    who: Who,
    comment: str | None = None,
) -> None:
    """Record what an activity's quantitative target reached in ``period``."""
    if who.org is None:
        raise ValueError("не указано, от какой организации значение")
    with session_scope(rt.engine) as s:
        record_target_value(
            session=s,
            program=rt.program,
            activity=activity,
            target=target,
            period=period,
            org=who.org,
            value=value,
            given_by=who.name,
            channel=who.channel,
            at=rt.now(),
            comment=comment,
        )


def not_applicable(rt: Runtime, *, obligation_id: str, reason: str, who: Who) -> ObligationRecord:
    """Declare an obligation not applicable; its reminders stop."""
    with session_scope(rt.engine) as s:
        row = declare_not_applicable(
            session=s,
            obligation_id=obligation_id,
            reason=reason,
            by=who.name,
            channel=who.channel,
            at=rt.now(),
        )
    wake(rt, [WaitKey.evidence(row.id)])
    return row


class LinkRefused(RoadmapError):
    """A signed link that may not be answered: ``reason`` is used, locked, mismatch or
    closed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def linked_obligation(rt: Runtime, claims: LinkClaims) -> ObligationRecord:
    """The obligation a valid link's claims name, if the link may still be answered.

    Raises:
        LinkRefused: the link was used or locked (refused too often for its files); it
            names no obligation of the program, or an organisation with no part in it; or
            the obligation is closed.
    """
    if link_locked(rt, claims):
        raise LinkRefused("locked")
    with session_scope(rt.engine) as s:
        if link_used(session=s, nonce=claims.nonce):
            raise LinkRefused("used")
        try:
            row = resolve_obligation(session=s, obligation_id=claims.obligation_id)
        except NotFound:
            raise LinkRefused("mismatch") from None
    program = rt.program
    bodies = {program.reporting_body(o) if o in program.orgs else o for o in row.owners}
    if claims.org not in set(row.owners) | bodies:
        raise LinkRefused("mismatch")
    if row.cancelled_in_version is not None or row.state not in OWED | {State.SUBMITTED}:
        raise LinkRefused("closed")
    return row


def may_declare_not_applicable(rt: Runtime, org: str, obligation: ObligationRecord) -> bool:
    """«Неприменимо» is the lead executor's to declare (or the body that reports for it)."""
    return rt.program.speaks_for_lead(org, obligation.lead)


def owed_view(rt: Runtime, obligation: ObligationRecord) -> dict[str, Any]:
    """What the intake page shows of an obligation: what is owed, by whom, and by when."""
    view = ObligationView(
        id=obligation.id,
        activity=obligation.activity,
        kind=obligation.kind,
        report_kind=obligation.report_kind,
        period=obligation.period,
        due=obligation.due,
        owners=tuple(obligation.owners),
        evidence=obligation.evidence_kind,
    )
    context = obligation_context(rt.program, view)
    context["overdue"] = obligation.due < rt.today()
    return context


@dataclass
class LinkAnswer:
    """What a person sent through an intake link, already checked by the page."""

    action: Literal["submit", "na"]
    name: str
    files: list[Upload] = field(default_factory=list)
    values: list[tuple[Ask, float]] = field(default_factory=list)
    comment: str | None = None
    explanation: str | None = None
    reason: str | None = None
    effective: dt.date | None = None
    details: DocumentDetails | None = None
    # why the term was missed or a value is worse than plan, and the measures taken
    causes: str | None = None
    measures: str | None = None


@dataclass(frozen=True)
class Recorded:
    documents: list[EvidenceRecord]
    values: list[str]


def record_link_answer(
    rt: Runtime,
    *,
    claims: LinkClaims,
    obligation: ObligationRecord,
    answer: LinkAnswer,
    channel: str = "intake",
) -> Recorded:
    """Store a link's answer whole, in one transaction with the link marked used.

    Raises:
        LinkAlreadyUsed: the link served a submission already (perhaps a moment ago).
        UploadRefused: a file is refused; nothing is kept, the refusal is counted against
            the link (``services.upload_checks``), which may now be locked.
        NotPermitted: «неприменимо» from a link addressed to a co-executor: only the lead
            executor (or the body reporting for it) may declare it; the coordinator does so
            through the command line.
    """
    if answer.action == "na" and not may_declare_not_applicable(rt, claims.org, obligation):
        lead = rt.program.orgs.get(obligation.lead)
        raise NotPermitted(
            "объявить обязательство неприменимым может только ответственный исполнитель"
            f" ({lead.short_name if lead else obligation.lead}) или координатор программы;"
            " по этой ссылке ваша организация представляет свои документы и значения"
        )
    now = rt.now()
    given = _Given(org=claims.org, by=f"{answer.name} ({claims.org})", channel=channel, at=now)
    # every file is checked before anything is written: one bad file refuses them all
    documents = check_uploads(
        rt,
        claims=claims,
        obligation=obligation,
        files=answer.files,
        actor=given.by,
        channel=channel,
    )
    try:
        return _record_answer(rt, claims, obligation, answer, given, documents)
    finally:
        for d in documents:
            d.discard()


def _record_answer(
    rt: Runtime,
    claims: LinkClaims,
    obligation: ObligationRecord,
    answer: LinkAnswer,
    given: _Given,
    documents: list[CheckedDocument],
) -> Recorded:
    """A link's answer, its files checked already, in one transaction with the link used."""
    with session_scope(rt.engine) as s:
        # first: of two submissions through one link at once, the second stops here
        mark_link_used(
            session=s, nonce=claims.nonce, obligation_id=obligation.id, org=claims.org, at=given.at
        )
        if answer.action == "na":
            declare_not_applicable(
                session=s,
                obligation_id=obligation.id,
                reason=answer.reason or "",
                by=given.by,
                channel=given.channel,
                at=given.at,
            )
            recorded = Recorded([], [])
        else:
            recorded = _record_given(rt, s, obligation, answer, given, documents)
        record_alert(
            session=s,
            program=rt.program,
            key=f"intake:{claims.nonce}",
            roles=("executor", "coordinator"),
            orgs=[claims.org],
            now=given.at,
            calendar=rt.calendar,
            title=received_title(rt, obligation, answer),
            lines=_received_lines(answer, recorded.documents, recorded.values),
        )
    return recorded


def _record_given(
    rt: Runtime,
    session: Session,
    obligation: ObligationRecord,
    answer: LinkAnswer,
    given: _Given,
    documents: list[CheckedDocument],
) -> Recorded:
    """The documents and values a link's answer brings, each recorded in ``session``."""
    stored: list[EvidenceRecord] = []
    for document in documents:
        ev = record_evidence(
            session=session,
            store=rt.evidence,
            obligation_id=obligation.id,
            stream=document,
            original_name=document.name,
            submitted_by=given.by,
            submitted_org=given.org,
            channel=given.channel,
            at=given.at,
            max_bytes=rt.settings.max_upload_mb * 1024 * 1024,
            effective_date=answer.effective,
            comment=answer.comment,
            details=answer.details,
        )
        stored.append(ev)
    values: list[str] = []
    for ask, value in answer.values:
        _record_asked(rt, session, ask, value, given, answer, obligation.id)
        values.append(f"{ask.label}: {value:g}")
    if answer.causes:
        record_shortfall_reason(
            session=session,
            program=rt.program,
            obligation_id=obligation.id,
            org=given.org,
            reasons=answer.causes,
            measures=answer.measures,
            given_by=given.by,
            channel=given.channel,
            at=given.at,
        )
    return Recorded(stored, values)


@dataclass(frozen=True)
class _Given:
    org: str
    by: str
    channel: str
    at: dt.datetime


def _record_asked(
    rt: Runtime,
    session: Session,
    ask: Ask,
    value: float,
    given: _Given,
    answer: LinkAnswer,
    obligation_id: str,
) -> None:
    """Record one value a link's form asked for: a target's reach or an indicator's value."""
    if ask.kind == "target":
        target = TargetCode.parse(ask.code)
        record_target_value(
            session=session,
            program=rt.program,
            activity=target.activity,
            target=target.index,
            period=ask.period,
            org=given.org,
            value=value,
            given_by=given.by,
            channel=given.channel,
            at=given.at,
            comment=answer.comment,
        )
        return
    record_indicator_value(
        session=session,
        program=rt.program,
        indicator=ask.code,
        period=ask.period,
        org=given.org,
        value=value,
        given_by=given.by,
        channel=given.channel,
        at=given.at,
        margin=rt.settings.explanation_margin,
        explanation=answer.explanation,
        obligation_id=obligation_id,
    )


def received_title(rt: Runtime, obligation: ObligationRecord, answer: LinkAnswer) -> str:
    """The confirmation's subject in the program's words: the activity's number and name
    (or the report) and the period, never the obligation's code."""
    o = owed_view(rt, obligation)
    what = (
        "Сведения о неприменимости получены"
        if answer.action == "na"
        else "Получены документы"
        if answer.files or answer.values
        else "Получены причины невыполнения и принятые меры"
    )
    return f"{what}: {o['title']}, {o['period']}"


def _received_lines(
    answer: LinkAnswer, stored: list[EvidenceRecord], values: list[str]
) -> list[str]:
    """What came, each document by its own details (never a file name, type or checksum),
    and what happens next."""
    if answer.action == "na":
        return [
            "Через страницу приёма документов сообщено, что обязательство неприменимо: "
            f"{answer.reason or 'причина не указана'}.",
            f"Представил(а): {answer.name.rstrip('.')}.",
            "Координатор программы рассмотрит сообщение.",
        ]
    documents = [f"{n}. {received_document(d)}" for n, d in enumerate(stored, start=1)]
    causes = [f"— причины: {answer.causes}"] if answer.causes else []
    if answer.causes:
        causes.append(f"— принятые меры: {answer.measures or 'не указаны'}")
    return [
        "Через страницу приёма документов получены:",
        *documents,
        *(f"— {v}" for v in values),
        *causes,
        f"Представил(а): {answer.name.rstrip('.')}.",
        "Документы будут проверены; если их вернут на доработку, придёт новое письмо со ссылкой.",
    ]


def received_document(d: EvidenceRecord) -> str:
    """A document handed in, by the details its submitter gave («постановление … от
    12.03.2025 № 17-кдн»), the version when it replaces an earlier one."""
    details = DocumentDetails(d.doc_type, d.doc_number, d.doc_date, d.doc_title).text()
    named = details or "документ (реквизиты не указаны)"
    return named if d.version == 1 else f"{named}, редакция {d.version}"


def after_link_answer(rt: Runtime, *, obligation_id: str, asks: Sequence[Ask]) -> None:
    """After a link's answer is stored: wake waiting flows, send the confirmations."""
    keys: list[WaitKey] = [WaitKey.evidence(obligation_id)]
    keys += [WaitKey.indicator(a.code, a.period) for a in asks if a.kind == "indicator"]
    wake(rt, keys)
    send_waiting(rt, rt.now())
