"""Facts for reports, read from storage only: obligations with their evidence, values, targets."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from roadmap.obligations.status import ObligationFacts
from roadmap.reports.doc_details import DocumentDetails
from roadmap.reports.report import EvidenceFact, ObligationFact, ReportFacts, TargetFact, ValueFact
from storage.actuals import latest_values
from storage.obligations import program_zone
from storage.reasons import shortfall_reasons
from storage.tables import EvidenceRecord, ObligationRecord, TargetValueRecord


def report_facts(*, session: Session, program_id: str) -> ReportFacts:
    """Every live obligation of a program with its evidence, and the newest values given."""
    zone: ZoneInfo = program_zone(session=session, program_id=program_id)
    return ReportFacts(
        _obligation_facts(session, program_id, _evidence_facts(session, program_id, zone)),
        _value_facts(session, program_id, zone),
        _target_facts(session, program_id, zone),
        shortfall_reasons(session=session, program_id=program_id),
    )


def _evidence_facts(
    session: Session, program_id: str, zone: ZoneInfo
) -> dict[str, list[EvidenceFact]]:
    """The evidence handed in for each obligation of the program, oldest first."""
    evidence: dict[str, list[EvidenceFact]] = {}
    stmt = (
        select(EvidenceRecord)
        .join(ObligationRecord, col(ObligationRecord.id) == EvidenceRecord.obligation_id)
        .where(ObligationRecord.program_id == program_id)
        .order_by(col(EvidenceRecord.id))
    )
    for e in session.exec(stmt):
        evidence.setdefault(e.obligation_id, []).append(
            EvidenceFact(
                original_name=e.original_name,
                submitted_on=e.submitted_at.astimezone(zone).date(),
                effective_date=e.effective_date,
                version=e.version,
                sha256=e.sha256,
                review_state=e.review_state,
                document=DocumentDetails(e.doc_type, e.doc_number, e.doc_date, e.doc_title),
                submitted_by=e.submitted_by,
                submitted_org=e.submitted_org,
            )
        )
    return evidence


def _obligation_facts(
    session: Session, program_id: str, evidence: dict[str, list[EvidenceFact]]
) -> tuple[ObligationFact, ...]:
    """Every obligation the program still has, with its evidence."""
    return tuple(
        ObligationFact(
            facts=ObligationFacts(
                id=r.id,
                opens=r.opens,
                due=r.due,
                owners=tuple(r.owners),
                state=r.state,
                fulfilled_on=r.fulfilled_on,
                na_on=r.na_on,
            ),
            activity=r.activity,
            kind=r.kind,
            report_kind=r.report_kind,
            period=r.period,
            evidence_kind=r.evidence_kind,
            state=r.state,
            evidence=tuple(evidence.get(r.id, ())),
            na_reason=r.na_reason,
        )
        for r in session.exec(
            select(ObligationRecord).where(
                ObligationRecord.program_id == program_id,
                col(ObligationRecord.cancelled_in_version).is_(None),
            )
        )
    )


def _value_facts(session: Session, program_id: str, zone: ZoneInfo) -> tuple[ValueFact, ...]:
    """The newest value given for each indicator, period and organization."""
    return tuple(
        ValueFact(
            r.indicator,
            r.period,
            r.org_id,
            r.value,
            r.explanation,
            r.given_at.astimezone(zone).date(),
        )
        for r in latest_values(session=session, program_id=program_id).values()
    )


def _target_facts(session: Session, program_id: str, zone: ZoneInfo) -> tuple[TargetFact, ...]:
    """The newest achievement given for each activity target, period and organization."""
    newest: dict[tuple[str, int, str, str], TargetValueRecord] = {}
    for t in session.exec(
        select(TargetValueRecord)
        .where(TargetValueRecord.program_id == program_id)
        .order_by(col(TargetValueRecord.id))
    ):
        newest[(t.activity, t.target, t.period, t.org_id)] = t
    return tuple(
        TargetFact(
            t.activity, t.target, t.period, t.org_id, t.value, t.given_at.astimezone(zone).date()
        )
        for t in newest.values()
    )
