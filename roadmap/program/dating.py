"""From a read term to dated periods, on a program's span, conventions and calendar.

Two steps. ``plan_term`` needs no calendar: it cuts the term's periods to the program span,
spreads recurrences over it, reads the calendar dates the words give, and refuses what
cannot be owed: a term wholly outside the span (a date after it is owed for the span's last
month while it falls no later than the program's own last report, which comes after the
span), the same period twice, a deadline before its period starts, and a mark
``due_set_by_person`` on a term that dates itself. ``date_plan`` then puts due dates on the
working-day calendar:

- no deadline in the words: the last working day of the period's last month (rules 1, 3,
  4); «ежемесячно» alone: the program's ``monthly_due`` convention (rule 4);
- a deadline in the words (rule 7): that calendar date, or the N-th working day of the
  month after the period, a day of the period's own month («до 15 числа»), or a quarter of
  the next year (its last working day). A day the month lacks («31 числа» after February)
  is the month's last day, by analogy with Civil Code art. 192(3). «до <даты>» is read by
  the ``until`` convention (the date itself,
  or the day before: for a working-day deadline, the working day before); a calendar date
  that falls on a day off moves by the ``day_off`` convention (forward by Civil Code art.
  193 unless the program says otherwise);
- a term counted from an event (rule 8): no due date; a person sets it, whether the program
  marks the activity ``due_set_by_person`` or not.

Every obligation opens at its period's start, or on its due date if a deadline moved back
before it, or earlier still where its due date is within the ladder's reach of that opening
(«до 1 июля 2025 г.»): on its earliest reminder's day, never before the program's first day,
so no reminder is lost. Dates are calendar dates in the program's time
zone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace

from roadmap.dates.periods import Month, Period
from roadmap.dates.workdays import WorkCalendar
from roadmap.errors import InvalidPeriod, InvalidTerm, Location, RoadmapError
from roadmap.program.model import Conventions, DayOff, LadderStep, Program
from roadmap.terms.model import (
    AfterPeriod,
    ByDate,
    DayOfMonth,
    Deadline,
    EventRelative,
    Fixed,
    InYear,
    OnDate,
    PartOfYearAfter,
    Recurring,
    Term,
)
from roadmap.terms.reading import parse_term, read_activity_term
from roadmap.terms.rules import calendar_date
from roadmap.words.wording import date_ru, period_ru


@dataclass(frozen=True)
class Planned:
    """A period owed, and how its due date is found (no calendar yet).

    ``written`` is the calendar date the words give, as the ``until`` convention reads it,
    before a day off moves it; None when the due date is counted in working days or is
    the period's last working day. ``counted_from`` is the period a stated deadline
    counts from: the term's own, before it was cut to the program span.
    ``conventions`` names the conventions consulted.
    """

    period: Period
    rule: int
    due: Deadline | None = None
    written: dt.date | None = None
    counted_from: Period | None = None
    person_sets_due: bool = False
    conventions: tuple[str, ...] = ()
    stated: str | None = None


@dataclass(frozen=True)
class Dated:
    """A period owed, with its dates; ``due`` None: a person sets it (rule 8).

    ``stated`` is how the program wrote a deadline that names no period («до 1 июля 2025
    г.»): the period is only the month it falls in, so a person reads these words instead.
    """

    period: Period
    opens: dt.date
    due: dt.date | None
    rule: int
    written: dt.date | None = None
    conventions: tuple[str, ...] = ()
    stated: str | None = None


def date_term(
    text: str,
    program: Program,
    cal: WorkCalendar,
    *,
    person_sets_due: bool = False,
    where: Location | None = None,
) -> list[Dated]:
    """Every period a term owes in ``program``, with its dates.

    Raises:
        InvalidTerm: the term cannot be read or owes nothing that can be dated.
    """
    term = read_activity_term(text, where, person_sets_due=person_sets_due)
    plan = plan_term(
        term,
        program.span_period,
        program.conventions,
        person_sets_due=person_sets_due,
        where=where,
        reports_until=last_report_date(program),
    )
    return [_in_reach(date_plan(p, program.conventions, cal), program, cal) for p in plan]


def _in_reach(d: Dated, program: Program, cal: WorkCalendar) -> Dated:
    """``d``, opening before its first reminder (``opening_within_reach``)."""
    if d.due is None:
        return d
    opens = opening_within_reach(
        program.ladder, d.opens, d.due, cal, not_before=program.span_period.start
    )
    return d if opens == d.opens else replace(d, opens=opens)


def last_report_date(program: Program) -> dt.date:
    """The program's own last report: the consolidated report on the span's last year, due
    in the year after it (``reporting.consolidated_annual_due``)."""
    month, day = (int(x) for x in program.reporting.consolidated_annual_due.split("-"))
    return calendar_date(program.span_period.last.year + 1, month, day)


def counts_from_event(term: Term) -> bool:
    """Whether a person sets the term's due date: it is counted from an event (rule 8)."""
    return any(isinstance(i, EventRelative) for i in term.items)


def plan_term(
    term: Term,
    span: Period,
    conventions: Conventions,
    *,
    person_sets_due: bool = False,
    where: Location | None = None,
    reports_until: dt.date | None = None,
) -> list[Planned]:
    """The periods ``term`` owes within ``span``, each with how its due date is found.

    ``reports_until`` is the program's last report date (``last_report_date``): a date
    after the span and no later than it is owed for the span's last month.

    Raises:
        InvalidTerm: see the module docstring.
    """
    planner = _TermPlanner(term, span, conventions, where, reports_until)
    # Civil Code art. 190: a term set by an event the program cannot date; a person sets it
    # (rule 8), whether the activity is marked or not.
    events = [i for i in term.items if isinstance(i, EventRelative)]
    if person_sets_due and not events:
        # the mark keeps a term the program cannot date (outside the span, a period twice)
        # for a person to date; on a term that dates itself it is refused
        try:
            plan_term(term, span, conventions, where=where, reports_until=reports_until)
        except InvalidTerm:
            return [Planned(span, 8, person_sets_due=True)]
        raise planner.refuse(
            "мероприятие отмечено due_set_by_person: true, но срок сам даёт даты; уберите отметку"
        )
    plan = planner.plan_items(beside_event=bool(events))
    if events and not plan:
        plan.append(Planned(span, 8, person_sets_due=True))
    planner.check(plan)
    return plan


@dataclass(frozen=True)
class _TermPlanner:
    """One term planned on one program's span: its items to periods, and the checks."""

    term: Term
    span: Period
    conventions: Conventions
    where: Location | None
    reports_until: dt.date | None

    def refuse(self, what: str) -> InvalidTerm:
        return InvalidTerm(f"срок «{self.term.text}»: {what}", self.where)

    def inside(self, wanted: Period) -> Period:
        p = wanted.clamp(self.span)
        if p is None:
            raise self.refuse(f"лежит вне срока программы ({period_ru(self.span)})")
        return p

    def month_of(self, day: dt.date) -> Period:
        span, reports_until = self.span, self.reports_until
        wanted = Period(Month.of(day), Month.of(day))
        if day > span.end and reports_until is not None and day <= reports_until:
            # Civil Code art. 190: the date binds though it falls after the span; the
            # program's own reports on its last year are due then too
            return Period(span.last, span.last)
        if day > span.end and reports_until is not None:
            raise self.refuse(
                f"дата {day:%d.%m.%Y} позже срока программы ({period_ru(span)}) и её последнего "
                f"сводного отчёта ({reports_until:%d.%m.%Y}): проверьте год"
            )
        return self.inside(wanted)

    def plan_items(self, *, beside_event: bool) -> list[Planned]:
        """The periods the term's items owe (an event's own item owes none of its own)."""
        plan: list[Planned] = []
        try:
            for item in self.term.items:
                if not isinstance(item, EventRelative):
                    plan.extend(self._plan_item(item, beside_event))
        except InvalidPeriod as exc:
            raise self.refuse(exc.message) from None
        return plan

    def _plan_item(self, item: Fixed | ByDate | Recurring, beside_event: bool) -> list[Planned]:
        span, conventions = self.span, self.conventions
        if beside_event:
            assert isinstance(item, Fixed)  # parse_term allows one period beside an event
            return [Planned(self.inside(item.period or span), 8, person_sets_due=True)]
        if isinstance(item, Fixed):
            wanted = item.period or span
            return [_planned(self.inside(wanted), item.rule, item.due, conventions, wanted)]
        if isinstance(item, ByDate):
            day = _as_read(item.due.day, item.due, conventions)
            planned = _planned(self.month_of(day), item.rule, item.due, conventions)
            return [replace(planned, stated=deadline_words(item.due))]
        return _recurring(item, self.inside(item.within or span), conventions)

    def check(self, plan: list[Planned]) -> None:
        """No period owed twice, and no deadline before its period starts."""
        seen: set[Period] = set()
        for p in plan:
            if p.period in seen:
                raise self.refuse(f"период «{period_ru(p.period)}» указан в сроке дважды")
            seen.add(p.period)
            if p.written is not None and p.written < p.period.start:
                raise self.refuse(
                    f"срок исполнения {p.written:%d.%m.%Y} раньше начала периода "
                    f"«{period_ru(p.period)}»"
                )


def _recurring(item: Recurring, bounds: Period, conventions: Conventions) -> list[Planned]:
    """Rule 4: one period per month, quarter, half-year or year (or named part of a year)."""
    blocks: list[Period] = []
    if item.every == "month":
        blocks.extend(bounds.iter_months())
    elif item.every == "quarter":
        blocks.extend(bounds.iter_quarters())
    elif item.every == "half":
        blocks.extend(bounds.iter_halves())
    elif item.in_months is None:
        blocks.extend(bounds.iter_years())
    else:
        first, last = item.in_months
        for y in range(bounds.first.year, bounds.last.year + 1):
            named = Period(Month(y, first), Month(y, last)).clamp(bounds)
            if named is not None:
                blocks.append(named)
    if item.due is None and item.every == "month":
        monthly = [
            _planned(p, item.rule, conventions.monthly_deadline, conventions) for p in blocks
        ]
        return [replace(p, conventions=("monthly_due", *p.conventions)) for p in monthly]
    return [_planned(p, item.rule, item.due, conventions) for p in blocks]


def _planned(
    period: Period,
    rule: int,
    due: Deadline | None,
    conventions: Conventions,
    counted_from: Period | None = None,
) -> Planned:
    """``period`` owed, due by ``due`` counted from ``counted_from`` (default: ``period``)."""
    if due is None:
        return Planned(period, rule)
    base = counted_from or period
    used = ("until",) if due.until else ()
    if isinstance(due, OnDate):
        written = _as_read(due.day, due, conventions)
    elif isinstance(due, InYear):
        y = base.last.year + due.years_after
        written = _as_read(calendar_date(y, due.month, due.day), due, conventions)
    elif isinstance(due, DayOfMonth):
        written = _day_as_read(base.last, due, conventions)
    elif isinstance(due, PartOfYearAfter):
        return Planned(period, rule, due, counted_from=base)
    elif due.working:
        return Planned(period, rule, due, counted_from=base, conventions=used)
    else:
        written = _day_as_read(base.last.next(), due, conventions)
    return Planned(period, rule, due, written, base, conventions=used)


def _day_as_read(month: Month, due: AfterPeriod | DayOfMonth, conventions: Conventions) -> dt.date:
    """The ``due.day``-th of ``month`` as the ``until`` convention reads «до»: «до 31 числа»
    under ``day_before`` is the 30th, and either is the month's last day when it has fewer."""
    day = due.day
    if due.until and conventions.until == "day_before":
        if day == 1:
            return month.first_day - dt.timedelta(days=1)
        day -= 1
    return day_in_month(month.year, month.month, day)


def day_in_month(y: int, m: int, d: int) -> dt.date:
    """The ``d``-th of the month, or its last day when it has fewer (Civil Code art. 192(3):
    a term in months ending in a month without that date ends on the month's last day)."""
    return dt.date(y, m, min(d, calendar.monthrange(y, m)[1]))


def _as_read(day: dt.date, due: Deadline, conventions: Conventions) -> dt.date:
    """The last day a deadline allows: ``day``, or the day before under ``until: day_before``."""
    if due.until and conventions.until == "day_before":
        return day - dt.timedelta(days=1)
    return day


def date_plan(planned: Planned, conventions: Conventions, cal: WorkCalendar) -> Dated:
    """The dates of one planned period (see the module docstring)."""
    p, due = planned.period, planned.due
    if planned.person_sets_due:
        return Dated(p, p.start, None, planned.rule)
    if planned.written is not None:
        moved = move_off_day_off(cal, planned.written, conventions.day_off)
        return Dated(
            p,
            min(p.start, moved),
            moved,
            planned.rule,
            planned.written,
            (*planned.conventions, "day_off"),
            planned.stated,
        )
    if isinstance(due, PartOfYearAfter):
        y = (planned.counted_from or p).last.year + due.years_after
        day = cal.last_working_day_of_month(y, due.last)
        return Dated(p, p.start, day, planned.rule, None, planned.conventions)
    if isinstance(due, AfterPeriod):
        day = cal.nth_working_day_after((planned.counted_from or p).end, due.day)
        if due.until and conventions.until == "day_before":
            day = cal.add_working_days(day, -1)
        return Dated(p, p.start, day, planned.rule, None, planned.conventions)
    last = cal.last_working_day_of_month(p.last.year, p.last.month)
    return Dated(p, p.start, last, planned.rule)


def deadline_words(due: OnDate) -> str:
    """A dated deadline as the program writes it: «до 1 июля 2025 г.», «не позднее 20 апреля
    2026 г.»."""
    return f"{'до' if due.until else 'не позднее'} {date_ru(due.day)}"


def period_words_of(program: Program, activity: str | None, period: Period) -> str:
    """An obligation's period as a person reads it: the program's own words for a dated
    deadline that names no period («до 1 июля 2025 г.», not «июль 2025 г.»), else the
    period in words («I квартал 2025 года»)."""
    a = program.activity_map.get(activity or "")
    if a is not None and not a.due_set_by_person:
        stated = _stated_periods(
            a.term, program.span_period, program.conventions, last_report_date(program)
        )
        if period in stated:
            return stated[period]
    return period_ru(period)


@functools.lru_cache(maxsize=1024)
def _stated_periods(
    text: str, span: Period, conventions: Conventions, reports_until: dt.date
) -> dict[Period, str]:
    """The periods of a term that a dated deadline gives, with its words (see ``Dated``)."""
    try:
        plan = plan_term(parse_term(text), span, conventions, reports_until=reports_until)
    except RoadmapError:
        return {}
    return {p.period: p.stated for p in plan if p.stated is not None}


def opening_within_reach(
    ladder: Iterable[LadderStep],
    opens: dt.date,
    due: dt.date,
    cal: WorkCalendar,
    *,
    not_before: dt.date,
) -> dt.date:
    """The day an obligation opens, early enough for the ladder's reminders before its due date.

    A due date within the ladder's reach of the period's start («до 1 июля 2025 г.» opens on
    1 July) would leave its reminders (``remind-10``, ``remind-3``) dated before the opening,
    and the ladder sends nothing before it. The obligation then opens on its earliest
    reminder's day, so the opening notice and every reminder go out; never before
    ``not_before`` (the program's first day). Where that floor cuts the reach, the opening
    notice says how many working days are left
    (``obligations.ladder.reminders_before_opening``).
    """
    reminders = [
        cal.add_working_days(cal.roll_back(due), s.offset)
        for s in ladder
        if s.offset is not None and s.offset < 0
    ]
    if not reminders:
        return opens
    return min(opens, max(not_before, min(reminders)))


def move_off_day_off(cal: WorkCalendar, day: dt.date, day_off: DayOff = "forward") -> dt.date:
    """A calendar-date deadline moved off a day off: forward (Civil Code art. 193) or back."""
    return cal.roll_forward(day) if day_off == "forward" else cal.roll_back(day)
