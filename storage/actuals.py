"""Indicator actuals in storage: recording a value with its checks, and reading the latest ones."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from roadmap.errors import InvalidPeriod
from roadmap.obligations.asks import fulfils, parts_that_fulfil
from roadmap.obligations.expansion import obligation_id as make_obligation_id
from roadmap.obligations.states import OWED, Event
from roadmap.program.model import Indicator, Program
from roadmap.reports.actuals import (
    InvalidValue,
    check,
    check_plausible,
    previous_month,
    validate_period,
)
from storage.audit import AuditTrail
from storage.errors import ExplanationRequired
from storage.obligations import change_state, local_date, lock_obligation
from storage.tables import IndicatorValueRecord, ObligationRecord, TargetValueRecord


def latest_values(
    *,
    session: Session,
    program_id: str,
    indicator: str | None = None,
    period: str | None = None,
    before: dt.datetime | None = None,
) -> dict[tuple[str, str, str], IndicatorValueRecord]:
    """The newest value per (indicator, period, organization), among those given before
    ``before`` (None: all; ``storage.as_of.AsOf.end`` for a value as of a date)."""
    stmt = select(IndicatorValueRecord).where(IndicatorValueRecord.program_id == program_id)
    if before is not None:
        stmt = stmt.where(col(IndicatorValueRecord.given_at) < before)
    if indicator:
        stmt = stmt.where(IndicatorValueRecord.indicator == indicator)
    if period:
        stmt = stmt.where(IndicatorValueRecord.period == period)
    latest: dict[tuple[str, str, str], IndicatorValueRecord] = {}
    for row in session.exec(stmt.order_by(col(IndicatorValueRecord.id))):
        latest[(row.indicator, row.period, row.org_id)] = row
    return latest


def _checked_indicator(
    program: Program, indicator: str, period: str, org: str, value: float
) -> Indicator:
    """The program's indicator a value is given for, once the value and its place are valid.

    Raises:
        InvalidValue: unknown indicator, organization or period; negative or not a number.
    """
    ind = program.indicator_map.get(indicator)
    if ind is None:
        raise InvalidValue(f"показателя «{indicator}» нет в программе")
    if org not in program.orgs:
        raise InvalidValue(f"организации «{org}» нет в программе")
    check_plausible(value, unit=ind.unit, program=program)
    validate_period(program, period)
    return ind


def _values_by_org(
    session: Session, program_id: str, indicator: str, period: str
) -> dict[str, float]:
    """The newest value each organization gave for the indicator in ``period``."""
    latest = latest_values(
        session=session, program_id=program_id, indicator=indicator, period=period
    )
    return {org: row.value for (_, _, org), row in latest.items()}


def _last_month_value(
    session: Session, program_id: str, indicator: str, period: str, org: str
) -> float | None:
    """The newest value the organization gave for the month before ``period``, if any."""
    prev_period = previous_month(period)
    if not prev_period:
        return None
    prev = latest_values(
        session=session, program_id=program_id, indicator=indicator, period=prev_period
    ).get((indicator, prev_period, org))
    return prev.value if prev else None


def record_indicator_value(
    *,
    session: Session,
    program: Program,
    indicator: str,
    period: str,
    org: str,
    value: float,
    given_by: str,
    channel: str,
    at: dt.datetime,
    margin: float,
    explanation: str | None = None,
    obligation_id: str | None = None,
) -> IndicatorValueRecord:
    """Record a value (earlier ones stay as history; the newest counts).

    Raises:
        InvalidValue: unknown indicator, organization or period; negative or not a number.
        ExplanationRequired: the value misses its target by more than ``margin`` or jumps by
            more than half from last month, and no explanation was given.
    """
    ind = _checked_indicator(program, indicator, period, org, value)
    current = _values_by_org(session, program.id, indicator, period)
    previous = _last_month_value(session, program.id, indicator, period, org)
    result = check(
        program, ind, period, org, value, margin=margin, current=current, previous=previous
    )
    note = (explanation or "").strip() or None
    if result.needs_explanation and note is None:
        raise ExplanationRequired("нужно пояснение: " + "; ".join(result.reasons), result.reasons)
    row = IndicatorValueRecord(
        program_id=program.id,
        indicator=indicator,
        period=period,
        org_id=org,
        value=value,
        target=result.target,
        explanation=note,
        given_by=given_by,
        channel=channel,
        given_at=at,
        obligation_id=obligation_id,
    )
    session.add(row)
    session.flush()
    trail = AuditTrail(
        session=session, at=at, actor=given_by, channel=channel, program_id=program.id
    )
    trail.record(
        "indicator_value",
        entity="indicator_value",
        entity_id=f"{indicator}:{period}:{org}",
        field="value",
        old=current.get(org),
        new=value,
    )
    _fulfil_by_values(session, program, row)
    return row


def _answered_obligation(
    session: Session, program: Program, value: IndicatorValueRecord
) -> ObligationRecord | None:
    """The obligation a value answers: the one it was given for, or else the monitoring's
    obligation for its month when it is a part of the monitored indicator."""
    wanted = value.obligation_id
    m = program.monitoring
    if wanted is None and m is not None and value.indicator == m.indicator:
        wanted = make_obligation_id(program.id, m.activity, value.period)
    return session.get(ObligationRecord, wanted) if wanted else None


def _fulfil_by_values(session: Session, program: Program, value: IndicatorValueRecord) -> None:
    """Fulfil the obligation ``value`` answers once every part it asks has a value
    (``asks.parts_that_fulfil``): submitted and accepted at once, or closed late after
    its due date, as of the day the last part came."""
    if not fulfils(program, value.indicator):
        return
    row = _answered_obligation(session, program, value)
    if row is None or row.state not in OWED:
        return
    parts = parts_that_fulfil(program, activity=row.activity, owners=tuple(row.owners))
    if parts is None or value.period != row.period:
        return
    have = _values_by_org(session, program.id, value.indicator, row.period)
    if not parts <= have.keys():
        return
    row = lock_obligation(session=session, obligation_id=row.id)
    if row.state not in OWED:  # as the lock found it
        return
    today = local_date(session=session, program_id=program.id, at=value.given_at)
    accept = Event.ACCEPT_LATE if today > row.due else Event.ACCEPT
    for event in (Event.SUBMIT, accept):
        change_state(
            session=session,
            row=row,
            event=event,
            actor=value.given_by,
            channel=value.channel,
            at=value.given_at,
        )
    row.fulfilled_on = today


def record_target_value(
    *,
    session: Session,
    program: Program,
    activity: str,
    target: int,
    period: str,
    org: str,
    value: float,
    given_by: str,
    channel: str,
    at: dt.datetime,
    comment: str | None = None,
) -> TargetValueRecord:
    """Record what was achieved against an activity's target (history kept; the newest counts).

    Raises:
        InvalidValue: unknown activity, target, organization or period; a bad number.
    """
    act = program.activity_map.get(activity)
    if act is None:
        raise InvalidValue(f"мероприятия «{activity}» нет в программе")
    if not act.targets:
        raise InvalidValue(f"у мероприятия {activity} нет количественных целей")
    if not 1 <= target <= len(act.targets):
        raise InvalidValue(
            f"у мероприятия {activity} целей: {len(act.targets)}; номер {target} не подходит"
        )
    if org not in program.orgs:
        raise InvalidValue(f"организации «{org}» нет в программе")
    check_plausible(value, unit=act.targets[target - 1].unit, program=program)
    try:
        p = program.period_within(period)
    except InvalidPeriod as exc:
        raise InvalidValue(exc.message) from None
    row = TargetValueRecord(
        program_id=program.id,
        activity=activity,
        target=target,
        period=p.label,
        org_id=org,
        value=value,
        comment=(comment or "").strip() or None,
        given_by=given_by,
        channel=channel,
        given_at=at,
    )
    session.add(row)
    session.flush()
    trail = AuditTrail(
        session=session, at=at, actor=given_by, channel=channel, program_id=program.id
    )
    trail.record(
        "target_value",
        entity="target_value",
        entity_id=f"{activity}#{target}:{p.label}:{org}",
        field="value",
        new=value,
    )
    return row
