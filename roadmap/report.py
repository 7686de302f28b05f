"""The consolidated report as data: what happened in a period, as of a date, from stored facts.

``build_report`` is pure: storage gathers ``ReportFacts``, the documents room renders the
result to Word, Excel, charts and the information panel. Parts, as the reports issue asks:
what is missing (first, in plain words); road-map execution by section; the 43 key
indicators against their targets; executor discipline (completeness, timeliness, current
escalations); and the monthly headcount against indicator 1.1's trajectory.

Which obligations a report covers: those of activities whose period overlaps the report
period, and the reports for a period inside it (the half-year's reports are due after
it). Which checkpoint an indicator is judged at: the
last checkpoint within the period that the as-of date has reached (for a range without one,
the last before its end). An indicator with contributors (1.1) adds up their values; without
a value for the checkpoint itself, the month after it is used (the headcount counted «as of
the 1st»).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from roadmap.actuals import deviation, trajectory
from roadmap.periods import Period, month, parse_period
from roadmap.program import Activity, Indicator, Program
from roadmap.states import state_ru
from roadmap.status import STATUS_RU, ObligationFacts, Rates, StatusEntry, classify, rates_by_org
from roadmap.wording import date_ru, period_ru
from roadmap.workdays import WorkCalendar

MINISTRY_KINDS = frozenset({"ministry", "agency", "government_office", "commission"})


# --- facts, as storage gives them -----------------------------------------------------------
@dataclass(frozen=True)
class EvidenceFact:
    original_name: str
    submitted_on: dt.date
    effective_date: dt.date
    version: int
    sha256: str
    review_state: str  # pending | accepted | rejected


@dataclass(frozen=True)
class ObligationFact:
    facts: ObligationFacts
    activity: str | None
    kind: str
    report_kind: str | None
    period: str
    evidence_kind: str
    state: str
    evidence: tuple[EvidenceFact, ...] = ()
    na_reason: str | None = None


@dataclass(frozen=True)
class ValueFact:
    indicator: str
    period: str
    org: str
    value: float
    explanation: str | None
    given_on: dt.date


@dataclass(frozen=True)
class TargetFact:
    activity: str
    target: int
    period: str
    org: str
    value: float
    given_on: dt.date


@dataclass(frozen=True)
class ReportFacts:
    obligations: tuple[ObligationFact, ...]
    values: tuple[ValueFact, ...]  # the newest value per (indicator, period, org)
    targets: tuple[TargetFact, ...]  # the newest value per (activity, target, period, org)


# --- the report -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ObligationLine:
    id: str
    period: str
    due: dt.date
    status: str
    state: str
    overdue_days: int
    fulfilled: bool
    on_time: bool | None
    evidence: tuple[EvidenceFact, ...]
    accepted: bool | None


@dataclass(frozen=True)
class TargetLine:
    text: str
    unit: str
    value: float
    reported: float | None
    reported_period: str | None

    @property
    def met(self) -> bool | None:
        return None if self.reported is None else self.reported >= self.value


@dataclass(frozen=True)
class ActivityLine:
    activity: Activity
    owners: str
    obligations: tuple[ObligationLine, ...]
    targets: tuple[TargetLine, ...]


@dataclass(frozen=True)
class SectionLine:
    number: str
    title: str
    activities: tuple[ActivityLine, ...]


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    group_title: str
    checkpoint: str
    checkpoint_label: str
    target: float | None
    actual: float | None
    deviation: float | None  # > 0 worse, < 0 better, as a share of the target
    explanation: str | None
    missing_contributors: tuple[str, ...] = ()

    @property
    def better(self) -> bool | None:
        return None if self.deviation is None else self.deviation <= 0

    @property
    def change(self) -> float | None:
        """(actual − target) / target: negative when the actual is below the target."""
        if self.actual is None or not self.target:
            return None
        return (self.actual - self.target) / abs(self.target)


@dataclass(frozen=True)
class DisciplineLine:
    org: str
    name: str
    rates: Rates
    escalations: tuple[int, int, int]


@dataclass(frozen=True)
class HeadcountPoint:
    month: str
    actual: float | None
    trajectory: float | None


@dataclass
class Report:
    program_id: str
    program_title: str
    as_of: dt.date
    period: Period
    sections: list[SectionLine]
    indicators: list[IndicatorLine]
    discipline: list[DisciplineLine]
    missing: list[str]
    headcount: list[HeadcountPoint]
    report_obligations: list[tuple[str, ObligationLine]] = field(default_factory=list)
    margin: float = 0.05
    # the title block: «Представляется <submitted_by> в <recipient>»
    submitted_by: str = ""
    recipient: str = ""
    # the indicator the monthly monitoring collects (``headcount`` follows it)
    headcount_indicator: str = ""

    @property
    def period_text(self) -> str:
        return period_ru(self.period)

    @property
    def as_of_text(self) -> str:
        return date_ru(self.as_of)

    @property
    def all_lines(self) -> list[ObligationLine]:
        lines = [o for s in self.sections for a in s.activities for o in a.obligations]
        return lines + [o for _, o in self.report_obligations]

    @property
    def misses(self) -> list[IndicatorLine]:
        return [i for i in self.indicators if i.deviation is not None and i.deviation > self.margin]


def build_report(
    program: Program,
    facts: ReportFacts,
    *,
    as_of: dt.date,
    period: Period,
    calendar: WorkCalendar,
    margin: float = 0.05,
) -> Report:
    """The consolidated report for ``period`` as of ``as_of`` (see the module docstring)."""
    entries = {o.facts.id: classify(o.facts, as_of, calendar) for o in facts.obligations}
    sections = _sections(program, facts, entries, period)
    reports = [
        (_org_name(program, o.facts.owners[0]), _line(o, entries[o.facts.id]))
        for o in facts.obligations
        if o.kind == "report" and _within(parse_period(o.period), period)
    ]
    in_scope = [o for o in facts.obligations if _in_scope(o, period)]
    indicators = _indicators(program, facts.values, period, as_of)
    discipline = _discipline(program, in_scope, entries)
    report = Report(
        program_id=program.id,
        program_title=program.title,
        as_of=as_of,
        period=period,
        sections=sections,
        indicators=indicators,
        discipline=discipline,
        missing=[],
        headcount=headcount_series(program, facts.values, as_of, period),
        report_obligations=reports,
        margin=margin,
        submitted_by=program.consolidated.submitted_by,
        recipient=program.orgs[program.reporting.consolidated_recipient].name,
        headcount_indicator=program.monitoring.indicator if program.monitoring else "",
    )
    report.missing = _missing(program, report, as_of)
    return report


def _org_name(program: Program, org: str) -> str:
    return program.orgs[org].short_name if org in program.orgs else org


def _within(inner: Period, outer: Period) -> bool:
    return outer.first <= inner.first and inner.last <= outer.last


def _in_scope(o: ObligationFact, period: Period) -> bool:
    """Activities overlapping the period; reports for a period inside it (due after it)."""
    if o.kind == "report":
        return _within(parse_period(o.period), period)
    return parse_period(o.period).overlaps(period)


def _line(o: ObligationFact, e: StatusEntry) -> ObligationLine:
    latest = max(o.evidence, key=lambda x: x.version) if o.evidence else None
    accepted = (
        None if latest is None else {"accepted": True, "rejected": False}.get(latest.review_state)
    )
    return ObligationLine(
        id=o.facts.id,
        period=o.period,
        due=o.facts.due,
        status=STATUS_RU[e.status],
        state=state_ru(o.state),
        overdue_days=e.overdue_working_days,
        fulfilled=e.fulfilled,
        on_time=e.on_time,
        evidence=o.evidence,
        accepted=accepted,
    )


def _sections(
    program: Program, facts: ReportFacts, entries: dict[str, StatusEntry], period: Period
) -> list[SectionLine]:
    by_activity: dict[str, list[ObligationFact]] = {}
    for o in facts.obligations:
        if o.activity and _in_scope(o, period):
            by_activity.setdefault(o.activity, []).append(o)
    reported: dict[tuple[str, int], TargetFact] = {}
    for t in sorted(facts.targets, key=lambda t: (t.given_on, t.period)):
        if parse_period(t.period).first <= period.last:
            reported[(t.activity, t.target)] = t  # the newest report up to the period's end
    out = []
    for section in program.sections:
        acts = []
        for a in sorted(program.activities, key=lambda a: a.sort_key):
            if a.section != section.number or a.number not in by_activity:
                continue
            lines = tuple(
                _line(o, entries[o.facts.id])
                for o in sorted(by_activity[a.number], key=lambda o: o.facts.due)
            )
            targets = tuple(
                TargetLine(
                    t.text,
                    t.unit,
                    t.value,
                    reported[(a.number, i)].value if (a.number, i) in reported else None,
                    reported[(a.number, i)].period if (a.number, i) in reported else None,
                )
                for i, t in enumerate(a.targets, start=1)
            )
            owners = ", ".join(program.orgs[x].short_name for x in a.executors if x in program.orgs)
            acts.append(ActivityLine(a, owners, lines, targets))
        if acts:
            out.append(SectionLine(section.number, section.title, tuple(acts)))
    return out


def judged_checkpoint(program: Program, period: Period, as_of: dt.date) -> int:
    """The index of the checkpoint a report over ``period`` as of ``as_of`` judges indicators at.

    The last checkpoint within the period that the as-of date has reached; if none has been
    reached yet, the first within the period; for a period without one, the last before it.
    """
    inside = [i for i, c in enumerate(program.checkpoints) if period.contains(c.date)]
    reached = [i for i in inside if program.checkpoints[i].date <= as_of]
    if reached:
        return reached[-1]
    if inside:
        return inside[0]
    before = [i for i, c in enumerate(program.checkpoints) if c.date <= period.end]
    return before[-1] if before else 0


def indicator_actual(
    program: Program, ind: Indicator, values: Iterable[ValueFact], period: str
) -> tuple[float | None, str | None, tuple[str, ...]]:
    """(actual, explanation, missing contributors) of an indicator for a period label."""
    vals = [v for v in values if v.indicator == ind.code and v.period == period]
    if ind.contributors:
        by_org = {v.org: v for v in vals}
        missing = tuple(c for c in ind.contributors if c not in by_org)
        if missing:
            return None, None, missing
        notes = list(dict.fromkeys(v.explanation for v in by_org.values() if v.explanation))
        return sum(by_org[c].value for c in ind.contributors), "; ".join(notes) or None, ()
    if not vals:
        return None, None, ()
    latest = max(vals, key=lambda v: v.given_on)
    return latest.value, latest.explanation, ()


def _indicators(
    program: Program, values: Sequence[ValueFact], period: Period, as_of: dt.date
) -> list[IndicatorLine]:
    k = judged_checkpoint(program, period, as_of)
    cp = program.checkpoints[k]
    groups = {g.number: g.title for g in program.indicator_groups}
    out = []
    for ind in program.indicators:
        actual, note, missing = indicator_actual(program, ind, values, cp.period)
        if actual is None and ind.contributors:
            after = cp.date + dt.timedelta(days=1)
            actual, note, missing = indicator_actual(
                program, ind, values, month(after.year, after.month).label
            )
        target = ind.targets[k]
        dev = deviation(ind, actual, target) if actual is not None and target is not None else None
        out.append(
            IndicatorLine(
                ind,
                groups.get(ind.group, ""),
                cp.period,
                cp.label,
                target,
                actual,
                dev,
                note,
                missing,
            )
        )
    return out


def escalation_levels(program: Program) -> list[tuple[int, int]]:
    """(level, working days overdue) of the ladder's escalation steps, lowest first."""
    out = []
    for step in program.ladder:
        if step.step.startswith("escalate-") and step.offset is not None:
            out.append((int(step.step.split("-")[1]), step.offset))
    return sorted(out)


def escalation_level(program: Program, overdue_days: int) -> int:
    level = 0
    for lvl, days in escalation_levels(program):
        if overdue_days >= days:
            level = lvl
    return level


def _discipline(
    program: Program, obligations: Sequence[ObligationFact], entries: dict[str, StatusEntry]
) -> list[DisciplineLine]:
    rates = rates_by_org((o.facts, entries[o.facts.id]) for o in obligations)
    esc: dict[str, list[int]] = {}
    for o in obligations:
        level = escalation_level(program, entries[o.facts.id].overdue_working_days)
        if level:
            for org in o.facts.owners:
                esc.setdefault(org, [0, 0, 0])[level - 1] += 1
    out = []
    for r in rates:
        lvl1, lvl2, lvl3 = esc.get(r.org, [0, 0, 0])
        name = program.orgs[r.org].short_name if r.org in program.orgs else r.org
        out.append(DisciplineLine(r.org, name, r, (lvl1, lvl2, lvl3)))
    return out


def headcount_series(
    program: Program, values: Iterable[ValueFact], as_of: dt.date, period: Period | None = None
) -> list[HeadcountPoint]:
    """The monitored indicator by month («as of the 1st») against its trajectory, to the as-of date.

    The indicator is the one the program's monthly monitoring collects (``monitoring``).
    """
    if program.monitoring is None:
        return []
    ind = program.indicator_map[program.monitoring.indicator]
    values = list(values)
    last = min(as_of, period.end) if period else as_of
    out = []
    for p in program.span_period.iter_months():
        if p.start > last:
            break
        actual, _, _ = indicator_actual(program, ind, values, p.label)
        out.append(HeadcountPoint(p.label, actual, trajectory(program, ind, p.start)))
    return out


def _missing(program: Program, report: Report, as_of: dt.date) -> list[str]:
    out: list[str] = []
    owed: dict[str, int] = {}
    for section in report.sections:
        for a in section.activities:
            for o in a.obligations:
                if o.due <= as_of and not o.fulfilled and o.status != STATUS_RU["not_applicable"]:
                    for org in a.activity.executors:
                        owed[org] = owed.get(org, 0) + 1
    if owed:
        parts = [
            f"{program.orgs[k].short_name} — {v}"
            for k, v in sorted(owed.items(), key=lambda kv: -kv[1])
            if k in program.orgs
        ]
        total = sum(
            1
            for o in report.all_lines
            if o.due <= as_of and not o.fulfilled and o.status != STATUS_RU["not_applicable"]
        )
        out.append(
            f"Не представлены документы по {total} обязательствам со сроком до {date_ru(as_of)}: "
            + "; ".join(parts)
            + "."
        )
    late_reports = [
        name for name, o in report.report_obligations if o.due <= as_of and not o.fulfilled
    ]
    if late_reports:
        names = ", ".join(sorted(late_reports))
        out.append(f"Не представлены отчёты исполнителей: {names}.")
    no_value = [
        i.indicator.code for i in report.indicators if i.actual is None and i.target is not None
    ]
    if no_value:
        label = report.indicators[0].checkpoint_label if report.indicators else ""
        out.append(
            f"Нет фактических значений {len(no_value)} показателей на контрольную точку «{label}»: "
            + ", ".join(no_value)
            + "."
        )
    no_target = [
        a.activity.number
        for s in report.sections
        for a in s.activities
        if a.targets and all(t.reported is None for t in a.targets)
    ]
    if no_target:
        out.append(
            "Не указаны достигнутые значения по количественным целям мероприятий: "
            + ", ".join(no_target)
            + "."
        )
    return out
