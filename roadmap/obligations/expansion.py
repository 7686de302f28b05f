"""Obligations: the dated things a program's executors owe, expanded from its terms and rules.

An obligation is one activity (or report) for one period: it opens at the period's start,
is due on a date computed on the Russian production calendar (``workdays.py``), and is
owed by organizations, lead first. Rules, as the program data issue states them:

1. A month, range or year within one calendar year: one obligation, due on the last
   working day of its last month.
2. Several periods in one term: one obligation each; the same period twice is refused.
3. A long range or a continuous term: one obligation over the range (continuous = the
   program span), due on the last working day of the range. Ranges reaching outside the
   program span are cut to it («2024 - 2026» owes nothing for 2024 here).
4. Recurring terms, bounded by the term's own range or else the program span: monthly,
   due by the program's ``monthly_due`` convention (here the 5th working day of the next
   month); quarterly and half-yearly, due on the last working day of the quarter /
   half-year; yearly, due on the last working day of the year or of the part of it the
   term names.
5. Reports (narrative): each executor and co-executor — or the body that reports for a
   group or subordinate institution — reports no later than the 20th working day after
   the half-year and no later than 10 February for the year; the Ministry of Social Policy
   sends the consolidated report no later than 1 August (half-year) and 1 March (year).
   Whether the second half-year has its own executor report is the program's
   ``second_half_year_report`` convention. A deadline given as a calendar date that falls
   on a non-working day moves by the ``day_off`` convention: to the next working day
   (Civil Code art. 193) unless the program says otherwise.
7. A term that states its deadline («до 15 октября 2025 года», «ежемесячно, до 10-го
   числа месяца, следующего за отчетным»): that deadline (``term_dates.py``).
8. A term counted from an event, where the program marks the activity
   ``due_set_by_person``: a ``PendingObligation`` until a person sets its due date.

No reminder lost: an obligation due within the ladder's reach of its opening («до 1 июля
2025 г.», whose month starts on its due date) opens on its earliest reminder's day, but not
before the program's first day (``dating.opening_within_reach``); the
rule that dated it stays its ``rule``.

Dates are calendar dates in the program's own time zone (``timezone`` in program.yaml).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal, NamedTuple

from roadmap.dates.periods import Period, half_year, year
from roadmap.dates.workdays import WorkCalendar, get_calendar
from roadmap.errors import Location, ProgramErrors, RoadmapError
from roadmap.program.dating import Dated, date_term, move_off_day_off, opening_within_reach
from roadmap.program.model import Activity, Conventions, Program

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


@dataclass(frozen=True)
class PendingObligation:
    """An obligation whose due date a person sets (rule 8): dated, it becomes an ``Obligation``.

    Until then it has no due date, so no reminder or escalation can fall due for it.
    """

    id: str
    program: str
    activity: str
    period: Period
    opens: dt.date
    owners: tuple[str, ...]
    evidence: str
    rule: int = 8

    def with_due(self, due: dt.date) -> Obligation:
        """The obligation once a person has set its due date.

        Raises:
            ValueError: ``due`` is before the obligation opens.
        """
        if due < self.opens:
            raise ValueError(f"срок {due:%d.%m.%Y} раньше начала периода ({self.opens:%d.%m.%Y})")
        return Obligation(
            id=self.id,
            program=self.program,
            kind="activity",
            activity=self.activity,
            period=self.period,
            opens=self.opens,
            due=due,
            owners=self.owners,
            evidence=self.evidence,
            rule=self.rule,
        )


def expand_obligations(program: Program, calendar: WorkCalendar | None = None) -> list[Obligation]:
    """Every dated obligation of a program: its activities (rules 1–4, 7) and reports (rule 5).

    Obligations whose due date a person sets (rule 8) are not among them: see
    ``expand_pending``.

    Raises:
        ProgramErrors: terms that cannot be expanded, each located at its activity.
    """
    cal = calendar or get_calendar(program.calendar)
    dated, pending = _expand_activities(program, cal)
    reports = expand_reports(program, cal, [*dated, *pending])
    out = [*dated, *(_opened_in_reach(o, program, cal) for o in reports)]
    out.sort(key=_sort_key)
    return out


def expand_pending(
    program: Program, calendar: WorkCalendar | None = None
) -> list[PendingObligation]:
    """The obligations of a program whose due date a person sets (rule 8).

    Raises:
        ProgramErrors: terms that cannot be expanded, each located at its activity.
    """
    return _expand_activities(program, calendar or get_calendar(program.calendar))[1]


def _expand_activities(
    program: Program, cal: WorkCalendar
) -> tuple[list[Obligation], list[PendingObligation]]:
    dated: list[Obligation] = []
    pending: list[PendingObligation] = []
    errors: list[RoadmapError] = []
    for activity in program.activities:
        try:
            got = expand_activity_periods(activity, program, cal)
        except RoadmapError as exc:
            errors.append(exc)
            continue
        for d in got:
            if d.due is None:
                pending.append(_pending(activity, program, d))
            else:
                dated.append(_obligation(activity, program, d, d.due))
    if errors:
        raise ProgramErrors(errors)
    return dated, pending


def _sort_key(o: Obligation) -> tuple[object, ...]:
    act = tuple(int(x) for x in o.activity.split(".")) if o.activity else (99, 99)
    return (o.due, o.kind, act, o.owners[0], o.period.start)


def expand_activity_periods(
    activity: Activity, program: Program, cal: WorkCalendar, where: Location | None = None
) -> list[Dated]:
    """The dated periods of one activity's term (rules 1–4, 7 and 8; see ``term_dates.py``).

    Raises:
        InvalidTerm: the term cannot be read, lies wholly outside the program span, names a
            period twice, or counts from an event the program does not mark.
    """
    return date_term(
        activity.term,
        program,
        cal,
        person_sets_due=activity.due_set_by_person,
        where=where or Location(None, None, f"activities[{activity.number}].term"),
    )


def expand_activity(activity: Activity, program: Program, cal: WorkCalendar) -> list[Obligation]:
    """The dated obligations of one activity (rules 1–4 and 7).

    Raises:
        InvalidTerm: see ``expand_activity_periods``.
    """
    return [
        _obligation(activity, program, d, d.due)
        for d in expand_activity_periods(activity, program, cal)
        if d.due is not None
    ]


def _opened_in_reach(o: Obligation, program: Program, cal: WorkCalendar) -> Obligation:
    """A report, opening before its first reminder where its due date is within the ladder's
    reach of its period's end (``dating.opening_within_reach``; activities are dated so)."""
    opens = opening_within_reach(
        program.ladder, o.opens, o.due, cal, not_before=program.span_period.start
    )
    return o if opens == o.opens else replace(o, opens=opens)


def _obligation(activity: Activity, program: Program, d: Dated, due: dt.date) -> Obligation:
    return Obligation(
        id=obligation_id(program.id, activity.number, d.period.label),
        program=program.id,
        kind="activity",
        activity=activity.number,
        period=d.period,
        opens=d.opens,
        due=due,
        owners=activity.executors,
        evidence=activity.evidence,
        rule=d.rule,
    )


def _pending(activity: Activity, program: Program, d: Dated) -> PendingObligation:
    return PendingObligation(
        id=obligation_id(program.id, activity.number, d.period.label),
        program=program.id,
        activity=activity.number,
        period=d.period,
        opens=d.opens,
        owners=activity.executors,
        evidence=activity.evidence,
        rule=d.rule,
    )


def calendar_deadline(cal: WorkCalendar, day: dt.date, conventions: Conventions) -> dt.date:
    """A deadline given as a calendar date, moved off a day off by the program's convention
    (forward by Civil Code art. 193 unless the program says otherwise)."""
    return move_off_day_off(cal, day, conventions.day_off)


def _month_day(y: int, md: str) -> dt.date:
    m, d = (int(x) for x in md.split("-"))
    return dt.date(y, m, d)


class _ReportPeriod(NamedTuple):
    """A period reported on: when its reports open, and the executors' and the
    consolidated report's due dates (None: no consolidated report for it)."""

    period: Period
    opens: dt.date
    due: dt.date
    consolidated_due: dt.date | None


def expand_reports(
    program: Program,
    cal: WorkCalendar,
    activity_obligations: Iterable[Obligation | PendingObligation],
) -> list[Obligation]:
    """Rule 5: executors' half-yearly and annual reports, and the consolidated reports."""
    active: dict[str, list[Period]] = {}
    for o in activity_obligations:
        if o.activity:
            active.setdefault(o.activity, []).append(o.period)

    def covered(numbers: Iterable[str], period: Period) -> tuple[str, ...]:
        return tuple(n for n in numbers if any(p.overlaps(period) for p in active.get(n, ())))

    reporters = _reporters(program)
    out: list[Obligation] = []
    span = program.span_period
    for y in range(span.first.year, span.last.year + 1):
        for reported in _report_periods(program, cal, y):
            for body, numbers in reporters.items():
                covers = covered(numbers, reported.period)
                if covers:
                    out.append(_executor_report(program, body, reported, covers))
            if (due := reported.consolidated_due) is not None:
                covers = covered([a.number for a in program.activities], reported.period)
                out.append(_consolidated_report(program, reported, due, covers))
    return out


def _reporters(program: Program) -> dict[str, list[str]]:
    """Each reporting body and the activities it reports on, in the program's order."""
    reporters: dict[str, list[str]] = {}
    for activity in sorted(program.activities, key=lambda a: a.sort_key):
        for ex in activity.executors:
            body = program.reporting_body(ex)
            acts = reporters.setdefault(body, [])
            if activity.number not in acts:
                acts.append(activity.number)
    return reporters


def _report_periods(program: Program, cal: WorkCalendar, y: int) -> list[_ReportPeriod]:
    """The half-years and the year ``y`` reported on, those wholly within the span."""
    rules, conv, span = program.reporting, program.conventions, program.span_period
    out: list[_ReportPeriod] = []
    for h in program.conventions.executor_half_years:
        p = half_year(y, h)
        if p.clamp(span) == p:
            due = cal.nth_working_day_after(p.end, rules.executor_half_year_working_days)
            cons = (
                calendar_deadline(cal, _month_day(y, rules.consolidated_half_year_due), conv)
                if h in rules.consolidated_half_years
                else None
            )
            out.append(_ReportPeriod(p, p.end + dt.timedelta(days=1), due, cons))
    p = year(y)
    if p.clamp(span) == p:
        due = calendar_deadline(cal, _month_day(y + 1, rules.executor_annual_due), conv)
        cons = calendar_deadline(cal, _month_day(y + 1, rules.consolidated_annual_due), conv)
        out.append(_ReportPeriod(p, p.end + dt.timedelta(days=1), due, cons))
    return out


def _executor_report(
    program: Program, body: str, reported: _ReportPeriod, covers: tuple[str, ...]
) -> Obligation:
    return Obligation(
        id=obligation_id(program.id, "report", body, reported.period.label),
        program=program.id,
        kind="report",
        activity=None,
        period=reported.period,
        opens=reported.opens,
        due=reported.due,
        owners=(body,),
        evidence=program.reporting.report_evidence,
        rule=5,
        report_kind="executor",
        covers=covers,
    )


def _consolidated_report(
    program: Program, reported: _ReportPeriod, due: dt.date, covers: tuple[str, ...]
) -> Obligation:
    rules = program.reporting
    return Obligation(
        id=obligation_id(program.id, "consolidated", reported.period.label),
        program=program.id,
        kind="report",
        activity=None,
        period=reported.period,
        opens=reported.opens,
        due=due,
        owners=(rules.consolidated_owner,),
        evidence=rules.consolidated_evidence,
        rule=5,
        report_kind="consolidated",
        covers=covers,
        recipient=rules.consolidated_recipient,
    )
