"""The consolidated report as data: what happened in a period, as of a date, from stored facts.

``build_report`` is pure: storage gathers ``ReportFacts``, the documents room renders the
result to Word, Excel, charts and the information panel. The program asks for a report
«об исполнении мероприятий Программы в целях оценки эффективности реализации ее мероприятий
и достижения установленных ключевых показателей»; its parts: the key indicators assessed
at a checkpoint (plan, fact, level of achievement, status, reasons and measures); every
activity of the road map with its checkpoints in the period and their status; the
executors' reports; executor discipline; the monthly headcount against its trajectory;
what is missing; and the overall figures with their conclusions (``assessment.py``).

Which obligations a report covers: those of activities whose period overlaps the report
period, and the executors' reports for a period inside it (the half-year's reports are due
after it); the consolidated reports are the report itself and are left out. Which
checkpoint indicators are judged at and which values give their facts: see
``indicator_facts.py``. The facts are in ``report_facts.py``, the lines in
``report_lines.py``; this module re-exports both.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from roadmap.dates.periods import Period, parse_period
from roadmap.dates.workdays import WorkCalendar
from roadmap.obligations.status import Basis, StatusEntry, classify, rates_by_org, scored
from roadmap.program.model import Checkpoint, MonitoringPart, Program
from roadmap.reports.actuals import deviation
from roadmap.reports.assessment import (
    Forecast,
    Summary,
    activity_execution,
    checkpoint_execution,
    conclusions,
)
from roadmap.reports.facts import (
    EvidenceFact,
    ObligationFact,
    ReportFacts,
    TargetFact,
    ValueFact,
)
from roadmap.reports.indicator_facts import (
    checkpoint_actual,
    headcount_series,
    indicator_actual,
    judged_checkpoint,
)
from roadmap.reports.lines import (
    ActivityLine,
    DisciplineLine,
    HeadcountPoint,
    IndicatorLine,
    ObligationLine,
    Requisites,
    SectionLine,
    TargetLine,
)
from roadmap.reports.reasons import attach_reasons
from roadmap.reports.shortfalls import missing_lines
from roadmap.words.verdicts import ExecutionStatus, IndicatorStatus
from roadmap.words.wording import date_ru, period_ru

MINISTRY_KINDS = frozenset({"ministry", "agency", "government_office", "commission"})
__all__ = [
    "MINISTRY_KINDS",
    "ActivityLine",
    "DisciplineLine",
    "EvidenceFact",
    "Forecast",
    "HeadcountPoint",
    "IndicatorLine",
    "ObligationFact",
    "ObligationLine",
    "Report",
    "ReportFacts",
    "Requisites",
    "SectionLine",
    "TargetFact",
    "TargetLine",
    "ValueFact",
    "build_report",
    "escalation_level",
    "escalation_levels",
    "headcount_series",
    "indicator_actual",
    "judged_checkpoint",
    "summarize",
]


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
    requisites: Requisites | None = None
    # the checkpoint indicators are judged at, and all of them (the trajectory's reading)
    checkpoint: Checkpoint | None = None
    checkpoints: tuple[Checkpoint, ...] = ()
    # the monthly monitoring: its indicator and its parts (``headcount`` follows them)
    headcount_indicator: str = ""
    headcount_title: str = ""
    headcount_parts: tuple[MonitoringPart, ...] = ()
    # the indicators the panel shows of the target groups
    panel_indicators: tuple[str, ...] = ()
    summary: Summary | None = None
    # organisations' short names by id, for the lines that name them
    org_names: dict[str, str] = field(default_factory=dict)

    @property
    def period_text(self) -> str:
        return period_ru(self.period)

    @property
    def basis(self) -> Basis:
        """What the report's counts of obligations count (Table «Исполнение обязательств»,
        the panel's discipline, ``roadmap status --by-org --period``)."""
        return Basis(self.as_of, self.period)

    @property
    def as_of_text(self) -> str:
        return date_ru(self.as_of)

    @property
    def activities(self) -> list[ActivityLine]:
        return [a for s in self.sections for a in s.activities]

    @property
    def all_lines(self) -> list[ObligationLine]:
        lines = [o for a in self.activities for o in a.obligations]
        return lines + [o for _, o in self.report_obligations]

    @property
    def misses(self) -> list[IndicatorLine]:
        """Every indicator not achieved, however small the deviation."""
        return [i for i in self.indicators if i.status == IndicatorStatus.NOT_ACHIEVED]

    @property
    def conclusions(self) -> tuple[str, ...]:
        return conclusions(self.summary) if self.summary else ()


def build_report(
    program: Program,
    facts: ReportFacts,
    *,
    as_of: dt.date,
    period: Period,
    calendar: WorkCalendar,
    margin: float = 0.05,
    forecasts: Mapping[str, Forecast] | None = None,
) -> Report:
    """The consolidated report for ``period`` as of ``as_of`` (see the module docstring).

    Args:
        forecasts: by indicator code, what a forecast says of it (adds «риск недостижения»).
    """
    obligations = [o for o in facts.obligations if o.report_kind != "consolidated"]
    entries = {o.facts.id: classify(o.facts, as_of, calendar) for o in obligations}
    sections = _sections(program, obligations, facts.targets, entries, period)
    reports = sorted(
        (
            (_org_name(program, o.facts.owners[0]), _line(o, entries[o.facts.id]))
            for o in obligations
            if o.kind == "report" and _within(parse_period(o.period), period)
        ),
        key=lambda r: (r[1].due, r[0], r[1].period),
    )
    in_scope = [o for o in obligations if _in_scope(o, period)]
    k = judged_checkpoint(program, period, as_of)
    indicators = _indicators(program, facts.values, k, margin, forecasts or {})
    report = Report(
        program_id=program.id,
        program_title=program.title,
        as_of=as_of,
        period=period,
        sections=sections,
        indicators=indicators,
        discipline=_discipline(program, in_scope, entries),
        missing=[],
        headcount=headcount_series(program, facts.values, as_of, period),
        report_obligations=reports,
        margin=margin,
        requisites=_requisites(program),
        checkpoint=program.checkpoints[k] if program.checkpoints else None,
        checkpoints=program.checkpoints,
        headcount_indicator=program.monitoring.indicator if program.monitoring else "",
        headcount_title=program.monitoring.title if program.monitoring else "",
        headcount_parts=program.monitoring.parts if program.monitoring else (),
        panel_indicators=program.panel.indicators if program.panel else (),
        org_names={o.id: o.short_name for o in program.organizations},
    )
    attach_reasons(report, facts.reasons)
    report.missing = missing_lines(program, report, as_of)
    report.summary = summarize(report)
    return report


def _requisites(program: Program) -> Requisites:
    c = program.consolidated
    owner = program.orgs.get(program.reporting.consolidated_owner)
    recipient = program.orgs.get(program.reporting.consolidated_recipient)
    recipient_name = recipient.name if recipient else program.reporting.consolidated_recipient
    return Requisites(
        sender=owner.name if owner else program.reporting.consolidated_owner,
        submitted_by=c.submitted_by,
        recipient=recipient_name,
        addressee=c.addressee or recipient_name,
        outgoing_number=c.outgoing_number,
        outgoing_date=c.outgoing_date,
        signatory=c.signatory,
        performer=c.performer,
    )


def summarize(report: Report) -> Summary:
    """The overall figures of a report (the one source of every count)."""
    planned = [i for i in report.indicators if i.target is not None]
    assessed = [i for i in planned if i.achieved is not None]
    required = [i for i in planned if i.needs_explanation]
    activities = report.activities
    return Summary(
        checkpoint_label=report.checkpoint.label if report.checkpoint else "",
        margin=report.margin,
        indicators_planned=len(planned),
        indicators_assessed=len(assessed),
        indicators_achieved=sum(1 for i in assessed if i.achieved),
        not_achieved=tuple(i.indicator.code for i in report.misses),
        no_data=tuple(i.indicator.code for i in planned if i.actual is None),
        at_risk=tuple(i.indicator.code for i in planned if i.forecast_warns),
        explanations_required=tuple(i.indicator.code for i in required),
        explanations_missing=tuple(i.indicator.code for i in required if not i.reasons),
        activities=dict(Counter(a.execution for a in activities)),
        not_done=tuple(
            a.activity.number for a in activities if a.execution == ExecutionStatus.NOT_DONE
        ),
    )


def _org_name(program: Program, org: str) -> str:
    return program.orgs[org].short_name if org in program.orgs else org


def _within(inner: Period, outer: Period) -> bool:
    return outer.first <= inner.first and inner.last <= outer.last


def _in_scope(o: ObligationFact, period: Period) -> bool:
    """Activities overlapping the period; reports for a period inside it (due after it):
    the ``Basis`` every count of obligations uses."""
    return Basis(period.end, period).covers(kind=o.kind, report_kind=o.report_kind, period=o.period)


def _line(o: ObligationFact, e: StatusEntry) -> ObligationLine:
    latest = max(o.evidence, key=lambda x: x.version) if o.evidence else None
    accepted = (
        None if latest is None else {"accepted": True, "rejected": False}.get(latest.review_state)
    )
    return ObligationLine(
        id=o.facts.id,
        period=o.period,
        due=o.facts.due,
        status=e.status,
        state=o.state,
        overdue_days=e.overdue_working_days,
        fulfilled=e.fulfilled,
        on_time=e.on_time,
        evidence=o.evidence,
        accepted=accepted,
        execution=checkpoint_execution(e, on_review=latest is not None and accepted is None),
        na_reason=o.na_reason,
    )


def _newest_targets(
    targets: Iterable[TargetFact], period: Period
) -> dict[tuple[str, int], TargetFact]:
    """The newest reported value of each activity target up to the period's end.

    Values given the same day: the one for the longer period ending later wins (the year's
    over its half-year's), whatever the labels' spelling.
    """

    def order(t: TargetFact) -> tuple[dt.date, dt.date, int]:
        p = parse_period(t.period)
        return t.given_on, p.end, p.months

    reported: dict[tuple[str, int], TargetFact] = {}
    for t in sorted(targets, key=order):
        if parse_period(t.period).first <= period.last:
            reported[(t.activity, t.target)] = t
    return reported


def _sections(
    program: Program,
    obligations: Sequence[ObligationFact],
    targets: Iterable[TargetFact],
    entries: dict[str, StatusEntry],
    period: Period,
) -> list[SectionLine]:
    """Every activity of the program by section, with its checkpoints in the period."""
    by_activity: dict[str, list[ObligationFact]] = {}
    later: dict[str, dt.date] = {}
    for o in obligations:
        if not o.activity:
            continue
        if _in_scope(o, period):
            by_activity.setdefault(o.activity, []).append(o)
        elif parse_period(o.period).first > period.last:
            later[o.activity] = min(o.facts.due, later.get(o.activity, o.facts.due))
    reported = _newest_targets(targets, period)
    out = []
    for section in program.sections:
        acts = []
        for a in sorted(program.activities, key=lambda a: a.sort_key):
            if a.section != section.number:
                continue
            lines = tuple(
                _line(o, entries[o.facts.id])
                for o in sorted(by_activity.get(a.number, []), key=lambda o: o.facts.due)
            )
            got = [reported.get((a.number, i)) for i in range(1, len(a.targets) + 1)]
            target_lines = tuple(
                TargetLine(t.text, t.unit, t.value, r.value if r else None, r.period if r else None)
                for t, r in zip(a.targets, got, strict=True)
            )
            owners = ", ".join(program.orgs[x].short_name for x in a.executors if x in program.orgs)
            execution = activity_execution([o.execution for o in lines], later=a.number in later)
            acts.append(
                ActivityLine(a, owners, lines, target_lines, execution, later.get(a.number))
            )
        if acts:
            out.append(SectionLine(section.number, section.title, tuple(acts)))
    return out


def _indicators(
    program: Program,
    values: Sequence[ValueFact],
    k: int,
    margin: float,
    forecasts: Mapping[str, Forecast],
) -> list[IndicatorLine]:
    if not program.checkpoints:
        return []
    cp = program.checkpoints[k]
    groups = {g.number: g.title for g in program.indicator_groups}
    out = []
    for ind in program.indicators:
        actual, note, missing, source = checkpoint_actual(program, ind, values, cp)
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
                margin,
                forecasts.get(ind.code),
                source,
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
    """Rates per organisation: groups (of institutions, of municipal bodies) are not scored."""
    groups = {o.id for o in program.organizations if o.is_group}
    rates = scored(rates_by_org((o.facts, entries[o.facts.id]) for o in obligations), groups)
    esc: dict[str, list[int]] = {}
    for o in obligations:
        level = escalation_level(program, entries[o.facts.id].overdue_working_days)
        if level:
            for org in o.facts.owners:
                esc.setdefault(org, [0, 0, 0])[level - 1] += 1
    out = []
    for r in rates:
        lvl1, lvl2, lvl3 = esc.get(r.org, [0, 0, 0])
        out.append(DisciplineLine(r.org, _org_name(program, r.org), r, (lvl1, lvl2, lvl3)))
    return sorted(out, key=lambda d: d.name)
