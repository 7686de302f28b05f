"""Shortfall reasons in storage: an executor's reasons and measures, recorded with the audit,
and read back as the report's facts."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from roadmap.program.model import Program
from roadmap.reports.actuals import InvalidValue, validate_period
from roadmap.reports.facts import ReasonFact
from storage.as_of import recorded_before
from storage.audit import AuditTrail
from storage.errors import NotFound
from storage.obligations import program_zone, resolve_obligation
from storage.tables import ShortfallReasonRecord


def record_shortfall_reason(
    *,
    session: Session,
    program: Program,
    reasons: str,
    given_by: str,
    channel: str,
    at: dt.datetime,
    obligation_id: str | None = None,
    indicator: str | None = None,
    period: str | None = None,
    org: str | None = None,
    measures: str | None = None,
) -> ShortfallReasonRecord:
    """Record why an obligation was not done (or done late), or why an indicator is off plan
    at ``period``, and the measures taken; earlier ones stay as history, the newest counts.

    Give either ``obligation_id`` or ``indicator`` with ``period``.

    Raises:
        ValueError: neither or both subjects, or no reasons.
        NotFound: the obligation is not the program's.
        InvalidValue: unknown indicator, organisation or period.
    """
    if not reasons.strip():
        raise ValueError("укажите причины")
    if org is not None and org not in program.orgs:
        raise InvalidValue(f"организации «{org}» нет в программе")
    obligation_id, entity, entity_id = _subject(session, program, obligation_id, indicator, period)
    record = ShortfallReasonRecord(
        program_id=program.id,
        obligation_id=obligation_id,
        indicator=indicator,
        period=period if indicator else None,
        org_id=org,
        reasons=reasons.strip(),
        measures=(measures or "").strip() or None,
        given_by=given_by,
        channel=channel,
        given_at=at,
    )
    session.add(record)
    session.flush()
    trail = AuditTrail(
        session=session, at=at, actor=given_by, channel=channel, program_id=program.id
    )
    trail.record(
        "shortfall_reason",
        entity=entity,
        entity_id=entity_id,
        field="reasons",
        new=record.reasons + (f" Меры: {record.measures}" if record.measures else ""),
    )
    return record


def _subject(
    session: Session,
    program: Program,
    obligation_id: str | None,
    indicator: str | None,
    period: str | None,
) -> tuple[str | None, str, str]:
    """(the obligation's full id, the audit's entity and its id) of what a reason is for."""
    if (obligation_id is None) == (indicator is None):
        raise ValueError("укажите либо обязательство, либо показатель с периодом")
    if obligation_id is not None:
        row = resolve_obligation(session=session, obligation_id=obligation_id)
        if row.program_id != program.id:
            raise NotFound(f"обязательство «{obligation_id}» не найдено")
        return row.id, "obligation", row.id
    if indicator not in program.indicator_map:
        raise InvalidValue(f"показателя «{indicator}» нет в программе")
    if not period:
        raise ValueError("укажите период, к которому относится отклонение показателя")
    validate_period(program, period)
    return None, "indicator", f"{indicator}:{period}"


def shortfall_reasons(
    *, session: Session, program_id: str, until: dt.datetime | None = None
) -> tuple[ReasonFact, ...]:
    """The newest reasons per subject (an obligation, or an indicator at a period) and
    organisation given before ``until`` (None: all given so far), oldest first."""
    zone = program_zone(session=session, program_id=program_id)
    newest: dict[tuple[str | None, str | None, str | None, str | None], ShortfallReasonRecord] = {}
    stmt = (
        select(ShortfallReasonRecord)
        .where(
            ShortfallReasonRecord.program_id == program_id,
            recorded_before(ShortfallReasonRecord.given_at, until),
        )
        .order_by(col(ShortfallReasonRecord.id))
    )
    for r in session.exec(stmt):
        newest[(r.obligation_id, r.indicator, r.period, r.org_id)] = r
    return tuple(
        ReasonFact(
            obligation_id=r.obligation_id,
            indicator=r.indicator,
            period=r.period,
            org=r.org_id,
            reasons=r.reasons,
            measures=r.measures,
            given_by=r.given_by,
            given_on=r.given_at.astimezone(zone).date(),
        )
        for r in sorted(newest.values(), key=lambda r: r.id or 0)
    )
