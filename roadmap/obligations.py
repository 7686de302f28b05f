"""Obligations: the dated things a program's executors owe, expanded from its terms and rules.

An obligation is one activity (or report) for one period: it opens at the period's start,
is due on a date computed on the Russian production calendar (``workdays.py``), and is
owed by organizations, lead first. Rules, as the program data issue states them:

1. A month, range or year within one calendar year: one obligation, due on the last
   working day of its last month.
2. Several periods in one term: one obligation each.
3. A long range or a continuous term: one obligation over the range (continuous = the
   program span), due on the last working day of the range. Ranges reaching outside the
   program span are cut to it («2024 - 2026» owes nothing for 2024 here).
4. Recurring terms, bounded by the term's own range or else the program span: monthly,
   due on the 5th working day of the next month; quarterly and half-yearly, due on the
   last working day of the quarter / half-year; yearly, due on the last working day of
   the year or of the quarter the term names.
5. Reports (narrative): each executor and co-executor — or the body that reports for a
   group or subordinate institution — reports no later than the 20th working day after
   the half-year and no later than 10 February for the year; the Ministry of Social Policy
   sends the consolidated report no later than 1 August (half-year) and 1 March (year).
   A deadline given as a calendar date that falls on a non-working day moves to the next
   working day (Civil Code art. 193).

Dates are calendar dates in the program's own time zone (``timezone`` in program.yaml).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from roadmap.errors import InvalidTerm, Location, ProgramErrors, RoadmapError
from roadmap.periods import Period, half_year, quarter, year
from roadmap.program import Activity, Program
from roadmap.terms import Fixed, Recurring, parse_term
from roadmap.workdays import WorkCalendar, get_calendar

Kind = Literal["activity", "report"]
ReportKind = Literal["executor", "consolidated"]


@dataclass(frozen=True)
class Obligation:
    """One dated thing owed: an activity for a period, or a report."""

    id: str
    program: str
    kind: Kind
    activity: str | None
    period: Period
    opens: dt.date
    due: dt.date
    owners: tuple[str, ...]
    evidence: str
    rule: int
    report_kind: ReportKind | None = None
    covers: tuple[str, ...] = field(default=())
    recipient: str | None = None

    @property
    def period_label(self) -> str:
        return self.period.label

    @property
    def lead(self) -> str:
        return self.owners[0]

    def to_json(self) -> dict[str, object]:
        """The stable JSON form (`roadmap obligations --json`)."""
        return {
            "id": self.id,
            "program": self.program,
            "activity": self.activity,
            "kind": self.kind,
            "report_kind": self.report_kind,
            "period": self.period.label,
            "opens": self.opens.isoformat(),
            "due": self.due.isoformat(),
            "owners": list(self.owners),
            "evidence": self.evidence,
            "rule": self.rule,
            "covers": list(self.covers),
            "recipient": self.recipient,
        }


def obligation_id(program: str, *parts: str) -> str:
    """Ids are the program, what is owed and the period: stable across runs and syncs."""
    return ":".join((program, *parts))


def expand_obligations(program: Program, calendar: WorkCalendar | None = None) -> list[Obligation]:
    """Every obligation of a program: its activities (rules 1–4) and its reports (rule 5).

    Raises:
        ProgramErrors: terms that cannot be expanded, each located at its activity.
    """
    cal = calendar or get_calendar(program.calendar)
    out: list[Obligation] = []
    errors: list[RoadmapError] = []
    for activity in program.activities:
        try:
            out.extend(expand_activity(activity, program, cal))
        except RoadmapError as exc:
            errors.append(exc)
    if errors:
        raise ProgramErrors(errors)
    out.extend(expand_reports(program, cal, out))
    out.sort(key=_sort_key)
    return out


def _sort_key(o: Obligation) -> tuple[object, ...]:
    act = tuple(int(x) for x in o.activity.split(".")) if o.activity else (99, 99)
    return (o.due, o.kind, act, o.owners[0], o.period.start)


def expand_activity(activity: Activity, program: Program, cal: WorkCalendar) -> list[Obligation]:
    """The obligations of one activity (rules 1–4).

    Raises:
        InvalidTerm: the term cannot be read, or lies wholly outside the program span.
    """
    where = Location(None, None, f"activities[{activity.number}].term")
    term = parse_term(activity.term, where)
    span = program.span_period
    periods: list[tuple[Period, dt.date, int]] = []
    for item in term.items:
        if isinstance(item, Fixed):
            wanted = item.period or span
            p = wanted.clamp(span)
            if p is None:
                raise InvalidTerm(
                    f"срок «{activity.term}» лежит вне срока программы ({span.label})", where
                )
            periods.append((p, cal.last_working_day_of_month(p.last.year, p.last.month), item.rule))
        else:
            periods.extend(_expand_recurring(item, span, program, cal, where, activity.term))
    owners = activity.executors
    return [
        Obligation(
            id=obligation_id(program.id, activity.number, p.label),
            program=program.id,
            kind="activity",
            activity=activity.number,
            period=p,
            opens=p.start,
            due=due,
            owners=owners,
            evidence=activity.evidence,
            rule=rule,
        )
        for p, due, rule in periods
    ]


def _expand_recurring(
    item: Recurring,
    span: Period,
    program: Program,
    cal: WorkCalendar,
    where: Location,
    text: str,
) -> list[tuple[Period, dt.date, int]]:
    bounds = (item.within or span).clamp(span)
    if bounds is None:
        raise InvalidTerm(f"срок «{text}» лежит вне срока программы ({span.label})", where)
    out: list[tuple[Period, dt.date, int]] = []
    if item.every == "month":
        n = program.reporting.monthly_due_working_day
        for p in bounds.iter_months():
            out.append((p, cal.nth_working_day_after(p.end, n), 4))
    elif item.every in ("quarter", "half"):
        blocks = bounds.iter_quarters() if item.every == "quarter" else bounds.iter_halves()
        for p in blocks:
            out.append((p, cal.last_working_day_of_month(p.last.year, p.last.month), 4))
    else:
        for p in bounds.iter_years():
            if item.in_quarter is not None:
                named = quarter(p.first.year, item.in_quarter).clamp(bounds)
                if named is None:
                    continue
                p = named
            out.append((p, cal.last_working_day_of_month(p.last.year, p.last.month), 4))
    return out


def calendar_deadline(cal: WorkCalendar, day: dt.date) -> dt.date:
    """A deadline given as a calendar date, moved off a non-working day (Civil Code art. 193)."""
    return cal.roll_forward(day)


def _month_day(y: int, md: str) -> dt.date:
    m, d = (int(x) for x in md.split("-"))
    return dt.date(y, m, d)


def expand_reports(
    program: Program, cal: WorkCalendar, activity_obligations: Iterable[Obligation]
) -> list[Obligation]:
    """Rule 5: executors' half-yearly and annual reports, and the consolidated reports."""
    rules = program.reporting
    active: dict[str, list[Period]] = {}
    for o in activity_obligations:
        if o.activity:
            active.setdefault(o.activity, []).append(o.period)
    reporters: dict[str, list[str]] = {}
    for activity in sorted(program.activities, key=lambda a: a.sort_key):
        for ex in activity.executors:
            body = program.reporting_body(ex)
            acts = reporters.setdefault(body, [])
            if activity.number not in acts:
                acts.append(activity.number)

    def covered(numbers: Iterable[str], period: Period) -> tuple[str, ...]:
        return tuple(n for n in numbers if any(p.overlaps(period) for p in active.get(n, ())))

    out: list[Obligation] = []
    span = program.span_period
    for y in range(span.first.year, span.last.year + 1):
        report_periods: list[tuple[Period, dt.date, dt.date, dt.date | None]] = []
        for h in rules.executor_half_years:
            p = half_year(y, h)
            if p.clamp(span) == p:
                due = cal.nth_working_day_after(p.end, rules.executor_half_year_working_days)
                cons = (
                    calendar_deadline(cal, _month_day(y, rules.consolidated_half_year_due))
                    if h in rules.consolidated_half_years
                    else None
                )
                report_periods.append((p, p.end + dt.timedelta(days=1), due, cons))
        p = year(y)
        if p.clamp(span) == p:
            due = calendar_deadline(cal, _month_day(y + 1, rules.executor_annual_due))
            cons = calendar_deadline(cal, _month_day(y + 1, rules.consolidated_annual_due))
            report_periods.append((p, p.end + dt.timedelta(days=1), due, cons))
        for period, opens, due, consolidated_due in report_periods:
            for body, numbers in reporters.items():
                covers = covered(numbers, period)
                if not covers:
                    continue
                out.append(
                    Obligation(
                        id=obligation_id(program.id, "report", body, period.label),
                        program=program.id,
                        kind="report",
                        activity=None,
                        period=period,
                        opens=opens,
                        due=due,
                        owners=(body,),
                        evidence=rules.report_evidence,
                        rule=5,
                        report_kind="executor",
                        covers=covers,
                    )
                )
            if consolidated_due is not None:
                out.append(
                    Obligation(
                        id=obligation_id(program.id, "consolidated", period.label),
                        program=program.id,
                        kind="report",
                        activity=None,
                        period=period,
                        opens=opens,
                        due=consolidated_due,
                        owners=(rules.consolidated_owner,),
                        evidence=rules.consolidated_evidence,
                        rule=5,
                        report_kind="consolidated",
                        covers=covered([a.number for a in program.activities], period),
                        recipient=rules.consolidated_recipient,
                    )
                )
    return out
