"""Facts for reports, read from storage only: obligations with their evidence, values, targets.

Read as of a date (``storage.as_of``): what was recorded by the end of that day, so a report
made later for a past date says what was known on it.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from roadmap.obligations.status import ObligationFacts
from roadmap.reports.doc_details import DocumentDetails
from roadmap.reports.report import EvidenceFact, ObligationFact, ReportFacts, TargetFact, ValueFact
from storage.actuals import latest_values
from storage.as_of import AsOf, as_of_day, recorded_before, standings, stored_standing
from storage.reasons import shortfall_reasons
from storage.tables import AuditRecord, EvidenceRecord, ObligationRecord, TargetValueRecord


def report_facts(*, session: Session, program_id: str, as_of: dt.date | None = None) -> ReportFacts:
    """Every live obligation of a program with its evidence, and the newest values given,
    as recorded by the end of ``as_of`` (None: everything recorded so far)."""
    day = as_of_day(session=session, program_id=program_id, day=as_of)
    return ReportFacts(
        _obligation_facts(session, day, _evidence_facts(session, day)),
        _value_facts(session, day),
        _target_facts(session, day),
        shortfall_reasons(session=session, program_id=program_id, until=day.end),
    )


def _evidence_facts(session: Session, day: AsOf) -> dict[str, list[EvidenceFact]]:
    """The evidence handed in for each obligation of the program by the day, oldest first;
    a review decided later leaves its version pending, details given later leave it unnamed."""
    evidence: dict[str, list[EvidenceFact]] = {}
    stmt = (
        select(EvidenceRecord)
        .join(ObligationRecord, col(ObligationRecord.id) == EvidenceRecord.obligation_id)
        .where(
            ObligationRecord.program_id == day.program_id,
            recorded_before(EvidenceRecord.submitted_at, day.end),
        )
        .order_by(col(EvidenceRecord.id))
    )
    named_later = _details_given_after(session, day)
    for e in session.exec(stmt):
        submitted_on = day.local(e.submitted_at)
        document = DocumentDetails(e.doc_type, e.doc_number, e.doc_date, e.doc_title)
        effective = e.effective_date
        if f"{e.obligation_id}#{e.version}" in named_later:
            # as ``record_evidence`` dates a document given without details
            document, effective = DocumentDetails(), submitted_on
        evidence.setdefault(e.obligation_id, []).append(
            EvidenceFact(
                original_name=e.original_name,
                submitted_on=submitted_on,
                effective_date=effective,
                version=e.version,
                sha256=e.sha256,
                review_state=e.review_state if day.recorded(e.reviewed_at) else "pending",
                document=document,
                submitted_by=e.submitted_by,
                submitted_org=e.submitted_org,
            )
        )
    return evidence


def _details_given_after(session: Session, day: AsOf) -> set[str]:
    """The versions («obligation#version») whose details were given after the day ended."""
    stmt = select(AuditRecord.entity_id).where(
        AuditRecord.program_id == day.program_id,
        AuditRecord.entity == "evidence",
        AuditRecord.action == "evidence_details",
    )
    if day.end is None:
        return set()
    return set(session.exec(stmt.where(col(AuditRecord.at) >= day.end)))


def _obligation_facts(
    session: Session, day: AsOf, evidence: dict[str, list[EvidenceFact]]
) -> tuple[ObligationFact, ...]:
    """Every obligation the program had on the day (not cancelled by then), with its evidence."""
    rows = list(
        session.exec(select(ObligationRecord).where(ObligationRecord.program_id == day.program_id))
    )
    then = standings(
        session=session,
        as_of=day,
        changed={r.id: stored_standing(r) for r in rows if day.changed_since(r.updated_at)},
    )
    out = []
    for r in rows:
        st = then[r.id] if r.id in then else stored_standing(r)
        if st is None or st.cancelled:
            continue
        out.append(
            ObligationFact(
                facts=ObligationFacts(
                    id=r.id,
                    opens=st.opens,
                    due=st.due,
                    owners=st.owners,
                    state=st.state,
                    fulfilled_on=st.fulfilled_on,
                    na_on=st.na_on,
                ),
                activity=r.activity,
                kind=r.kind,
                report_kind=r.report_kind,
                period=r.period,
                evidence_kind=r.evidence_kind,
                state=st.state,
                evidence=tuple(evidence.get(r.id, ())),
                na_reason=r.na_reason if st.na_on is not None else None,
            )
        )
    return tuple(out)


def _value_facts(session: Session, day: AsOf) -> tuple[ValueFact, ...]:
    """The newest value given by the day for each indicator, period and organization."""
    return tuple(
        ValueFact(r.indicator, r.period, r.org_id, r.value, r.explanation, day.local(r.given_at))
        for r in latest_values(session=session, program_id=day.program_id, before=day.end).values()
    )


def _target_facts(session: Session, day: AsOf) -> tuple[TargetFact, ...]:
    """The newest achievement given by the day for each activity target, period and
    organization."""
    newest: dict[tuple[str, int, str, str], TargetValueRecord] = {}
    for t in session.exec(
        select(TargetValueRecord)
        .where(
            TargetValueRecord.program_id == day.program_id,
            recorded_before(TargetValueRecord.given_at, day.end),
        )
        .order_by(col(TargetValueRecord.id))
    ):
        newest[(t.activity, t.target, t.period, t.org_id)] = t
    return tuple(
        TargetFact(t.activity, t.target, t.period, t.org_id, t.value, day.local(t.given_at))
        for t in newest.values()
    )
