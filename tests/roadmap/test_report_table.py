"""Report building as tables: literal facts in, literal report lines and «what is missing» out.

A tiny program is written out here (three executors, three activities, five indicators,
the four checkpoints of a two-year program), so every expected value below can be checked
by hand against it. The facts are the dataclasses storage would hand over.

Calendar facts the rows use: June 2025 ends on Monday 30 June; July 2025 has 23 working
days; the executors' half-year report is due on 28 July 2025.
"""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap.dates.periods import parse_period
from roadmap.dates.workdays import get_calendar
from roadmap.obligations.states import State
from roadmap.obligations.status import ObligationFacts
from roadmap.program.model import (
    Activity,
    Checkpoint,
    ConsolidatedReport,
    Indicator,
    IndicatorGroup,
    Monitoring,
    MonitoringPart,
    Organization,
    Program,
    ReportingRules,
    Section,
    Target,
)
from roadmap.reports.report import (
    EvidenceFact,
    IndicatorLine,
    ObligationFact,
    Report,
    ReportFacts,
    TargetFact,
    ValueFact,
    build_report,
    judged_checkpoint,
)
from roadmap.words.verdicts import ExecutionStatus

D = dt.date.fromisoformat
CAL = get_calendar("RU")
H1_LABEL = "I полугодие 2025 года"
E = ExecutionStatus


def _org(id_: str, short: str, kind: str = "ministry") -> Organization:
    return Organization.model_validate(
        {"id": id_, "name": f"{short} (полное наименование)", "short_name": short, "kind": kind}
    )


def _activity(
    number: str, executors: tuple[str, ...], targets: tuple[Target, ...] = ()
) -> Activity:
    return Activity(
        number=number,
        section="I",
        name=f"Мероприятие {number}",
        short_name=f"Мероприятие {number}",
        term="2025 год",
        executors_text=", ".join(executors),
        executors=executors,
        evidence="информация",
        result="результат",
        targets=targets,
    )


def _indicator(
    code: str,
    direction: str,
    targets: tuple[float | None, ...],
    contributors: tuple[str, ...] = (),
) -> Indicator:
    return Indicator.model_validate(
        {
            "code": code,
            "group": 1,
            "name": f"Показатель {code}",
            "unit": "единиц",
            "direction": direction,
            "contributors": contributors,
            "targets": targets,
        }
    )


FAMILIES = Target(value=10, unit="семей", text="10 семей получили помощь")


def _program(indicators: tuple[Indicator, ...], *, with_group: bool = False) -> Program:
    """The tiny program; ``with_group`` adds a group of institutions reporting through soc,
    co-executing 1.3, and the monthly monitoring of 1.1 by the three ministries."""
    group = _org("inst", "Учреждения соцобслуживания", "institution_group")
    group = group.model_copy(update={"reports_via": "soc"})
    parts = tuple(
        MonitoringPart(org=o, label=o.capitalize(), institutions="учреждения")
        for o in ("soc", "edu", "med")
    )
    monitoring = Monitoring(activity="1.1", indicator="1.1", title="Дети", parts=parts)
    return Program(
        id="tiny-2025-2026",
        title="Тестовая программа",
        region="Тестовый край",
        span="2025..2026",
        timezone="Europe/Moscow",
        checkpoints=(
            Checkpoint(period="2025-H1", date=D("2025-06-30"), label=H1_LABEL),
            Checkpoint(period="2025", date=D("2025-12-31"), label="2025 год"),
            Checkpoint(period="2026-H1", date=D("2026-06-30"), label="I полугодие 2026 года"),
            Checkpoint(period="2026", date=D("2026-12-31"), label="2026 год"),
        ),
        reporting=ReportingRules(consolidated_owner="soc", consolidated_recipient="ombudsman"),
        consolidated=ConsolidatedReport(submitted_by="министерством социальной политики"),
        sections=(Section(number="I", title="Раздел первый"),),
        indicator_groups=(IndicatorGroup(number=1, title="Группа показателей"),),
        organizations=(
            _org("soc", "Минсоц"),
            _org("edu", "Минобр"),
            _org("med", "Минздрав"),
            _org("ombudsman", "Аппарат Уполномоченного", "government_office"),
            *((group,) if with_group else ()),
        ),
        indicators=indicators,
        activities=(
            _activity("1.1", ("med",)),
            _activity("1.2", ("soc", "edu"), (FAMILIES,)),
            _activity("1.3", ("edu", "inst") if with_group else ("edu",)),
        ),
        monitoring=monitoring if with_group else None,
    )


INDICATORS = (
    _indicator("1.1", "down", (2211, 2027, 1843, 1658), ("soc", "edu", "med")),
    _indicator("1.2", "down", (200, 195, 195, 195)),
    _indicator("2.1", "up", (10, 20, 30, 40)),
    _indicator("2.2", "up", (None, 5, None, 10)),
    _indicator("3.1", "down", (0, 0, 0, 0)),
)
TINY = _program(INDICATORS)
# The same program without indicators: reports about obligations only.
NO_INDICATORS = _program(())


def ev(version: int, submitted_on: str, review: str) -> EvidenceFact:
    return EvidenceFact(
        original_name=f"документ-{version}.pdf",
        submitted_on=D(submitted_on),
        effective_date=D(submitted_on),
        version=version,
        sha256=f"{version:064d}",
        review_state=review,
    )


def ob(
    activity: str | None,
    period: str,
    opens: str,
    due: str,
    state: State,
    fulfilled_on: str | None = None,
    *,
    owners: tuple[str, ...] = ("med",),
    evidence: tuple[EvidenceFact, ...] = (),
    na_on: str | None = None,
) -> ObligationFact:
    """An activity's obligation, or an executor's report when ``activity`` is None."""
    what = activity if activity else f"report:{owners[0]}"
    return ObligationFact(
        facts=ObligationFacts(
            id=f"tiny-2025-2026:{what}:{period}",
            opens=D(opens),
            due=D(due),
            owners=owners,
            state=state,
            fulfilled_on=D(fulfilled_on) if fulfilled_on else None,
            na_on=D(na_on) if na_on else None,
        ),
        activity=activity,
        kind="activity" if activity else "report",
        report_kind=None if activity else "executor",
        period=period,
        evidence_kind="информация",
        state=state,
        evidence=evidence,
        na_reason="не проводилось" if na_on else None,
    )


def val(indicator: str, period: str, org: str, value: float) -> ValueFact:
    return ValueFact(indicator, period, org, value, None, D("2025-07-10"))


def tgt(period: str, value: float, given_on: str = "2025-07-10") -> TargetFact:
    return TargetFact("1.2", 1, period, "soc", value, D(given_on))


def report(
    program: Program,
    obligations: tuple[ObligationFact, ...] = (),
    values: tuple[ValueFact, ...] = (),
    targets: tuple[TargetFact, ...] = (),
    *,
    as_of: str,
    period: str,
) -> Report:
    facts = ReportFacts(obligations, values, targets)
    return build_report(program, facts, as_of=D(as_of), period=parse_period(period), calendar=CAL)


# --- indicators: judged at 2025-H1 (a 2025-H1 report as of 31 July 2025) ----------------------
# (actual, target, deviation, achieved, a miss beyond the 5 % margin (an explanation is
# required), missing contributors)
IndicatorExpected = tuple[
    float | None, float | None, float | None, bool | None, bool, tuple[str, ...]
]

INDICATOR_ROWS = [
    pytest.param(
        "1.2",
        (val("1.2", "2025-H1", "soc", 200),),
        (200, 200, 0.0, True, False, ()),
        id="down is better: hit exactly",
    ),
    pytest.param(
        "1.2",
        (val("1.2", "2025-H1", "soc", 220),),
        (220, 200, 0.1, False, True, ()),
        id="down is better: 10 % above, missed",
    ),
    pytest.param(
        "1.2",
        (val("1.2", "2025-H1", "soc", 180),),
        (180, 200, -0.1, True, False, ()),
        id="down is better: 10 % below, better",
    ),
    pytest.param(
        "1.2",
        (val("1.2", "2025-H1", "soc", 210),),
        (210, 200, 0.05, False, False, ()),
        id="down is better: 5 % above, within the margin",
    ),
    pytest.param(
        "1.2",
        (val("1.2", "2025-H1", "soc", 211),),
        (211, 200, 0.055, False, True, ()),
        id="down is better: 5.5 % above, just beyond the margin",
    ),
    pytest.param(
        "2.1",
        (val("2.1", "2025-H1", "soc", 10),),
        (10, 10, 0.0, True, False, ()),
        id="up is better: hit exactly",
    ),
    pytest.param(
        "2.1",
        (val("2.1", "2025-H1", "soc", 8),),
        (8, 10, 0.2, False, True, ()),
        id="up is better: 20 % below, missed",
    ),
    pytest.param(
        "2.1",
        (val("2.1", "2025-H1", "soc", 12),),
        (12, 10, -0.2, True, False, ()),
        id="up is better: 20 % above, better",
    ),
    pytest.param(
        "2.1",
        (val("2.1", "2025-H1", "soc", 9.5),),
        (9.5, 10, 0.05, False, False, ()),
        id="up is better: 5 % below, within the margin",
    ),
    pytest.param("1.2", (), (None, 200, None, None, False, ()), id="no data"),
    pytest.param(
        "1.2",
        (val("1.2", "2025", "soc", 190),),
        (None, 200, None, None, False, ()),
        id="a value for another checkpoint only: no data at this one",
    ),
    pytest.param(
        "2.2",
        (val("2.2", "2025-H1", "soc", 3),),
        (3, None, None, None, False, ()),
        id="no target at the checkpoint: no deviation",
    ),
    pytest.param(
        "3.1",
        (val("3.1", "2025-H1", "soc", 0),),
        (0, 0, 0.0, True, False, ()),
        id="target zero, down is better: zero hits it",
    ),
    pytest.param(
        "3.1",
        (val("3.1", "2025-H1", "soc", 2),),
        (2, 0, 1.0, False, True, ()),
        id="target zero, down is better: any value misses it",
    ),
    pytest.param(
        "1.1",
        (
            val("1.1", "2025-H1", "soc", 800),
            val("1.1", "2025-H1", "edu", 1200),
            val("1.1", "2025-H1", "med", 150),
        ),
        (2150, 2211, -0.0276, True, False, ()),
        id="contributors: the three values add up",
    ),
    pytest.param(
        "1.1",
        (val("1.1", "2025-H1", "soc", 800), val("1.1", "2025-H1", "edu", 1200)),
        (None, 2211, None, None, False, ("med",)),
        id="contributors: one missing at the checkpoint and none the month after",
    ),
    pytest.param(
        "1.1",
        (
            val("1.1", "2025-H1", "soc", 800),
            val("1.1", "2025-07", "soc", 820),
            val("1.1", "2025-07", "edu", 1250),
        ),
        (None, 2211, None, None, False, ("med",)),
        id="contributors: the month after, closer to complete, names who is still missing",
    ),
    pytest.param(
        "1.1",
        (
            val("1.1", "2025-H1", "soc", 800),
            val("1.1", "2025-H1", "edu", 1200),
            val("1.1", "2025-07", "soc", 820),
            val("1.1", "2025-07", "edu", 1250),
        ),
        (None, 2211, None, None, False, ("med",)),
        id="contributors: the same one missing at the checkpoint and the month after",
    ),
    pytest.param(
        "1.1",
        (
            val("1.1", "2025-07", "soc", 820),
            val("1.1", "2025-07", "edu", 1250),
            val("1.1", "2025-07", "med", 130),
        ),
        (2200, 2211, -0.005, True, False, ()),
        id="contributors: the headcount as of 1 July stands for the half-year",
    ),
    pytest.param(
        "1.1",
        (
            val("1.1", "2025-H1", "soc", 800),
            val("1.1", "2025-H1", "edu", 1200),
            val("1.1", "2025-H1", "med", 150),
            val("1.1", "2025-07", "soc", 820),
            val("1.1", "2025-07", "edu", 1250),
            val("1.1", "2025-07", "med", 130),
        ),
        (2150, 2211, -0.0276, True, False, ()),
        id="contributors: the checkpoint's own values come before the next month's",
    ),
    pytest.param(
        "1.1",
        (
            val("1.1", "2025-H1", "soc", 800),
            val("1.1", "2025-H1", "edu", 1200),
            val("1.1", "2025-07", "soc", 820),
            val("1.1", "2025-07", "edu", 1250),
            val("1.1", "2025-07", "med", 130),
        ),
        (2200, 2211, -0.005, True, False, ()),
        id="contributors: incomplete at the checkpoint, complete the month after",
    ),
]


@pytest.mark.parametrize(("code", "values", "expected"), INDICATOR_ROWS)
def test_indicator_line(
    code: str, values: tuple[ValueFact, ...], expected: IndicatorExpected
) -> None:
    r = report(TINY, values=values, as_of="2025-07-31", period="2025-H1")
    line: IndicatorLine = next(i for i in r.indicators if i.indicator.code == code)
    actual, target, deviation, achieved, explain, missing = expected
    assert (line.checkpoint, line.checkpoint_label) == ("2025-H1", H1_LABEL)
    assert (line.actual, line.target) == (actual, target)
    assert line.deviation == (None if deviation is None else pytest.approx(deviation, abs=1e-4))
    assert (line.achieved, line.needs_explanation, line.missing_contributors) == (
        achieved,
        explain,
        missing,
    )
    # a miss is a miss, however small: the margin only asks for an explanation
    assert (line in r.misses) == (achieved is False)


@pytest.mark.parametrize(
    ("period", "as_of", "index"),
    [
        pytest.param("2025-H1", "2025-07-31", 0, id="half-year, after its checkpoint"),
        pytest.param("2025-H1", "2025-05-15", 0, id="half-year, before its checkpoint"),
        pytest.param("2025", "2025-10-01", 0, id="year, only the half-year reached"),
        pytest.param("2025", "2026-01-20", 1, id="year, its end reached"),
        pytest.param("2025..2026", "2026-08-01", 2, id="two years, three checkpoints reached"),
        pytest.param("2025-Q3", "2025-10-15", 0, id="quarter without one: the last before it"),
        pytest.param("2026-Q1", "2026-04-15", 1, id="quarter of 2026: the end of 2025"),
    ],
)
def test_judged_checkpoint(period: str, as_of: str, index: int) -> None:
    assert judged_checkpoint(TINY, parse_period(period), D(as_of)) == index


# --- obligations: a 2025 report as of 31 July 2025, activity 1.1 (Минздрав) ----------------------
DOCS_1 = (
    "Не представлены документы по 1 обязательству со сроком до 31 июля 2025\u00a0г.: Минздрав — 1."
)
JUNE = ("1.1", "2025-06", "2025-06-01", "2025-06-30")
A, R, P = "accepted", "rejected", "pending"

# (standing, state, execution, overdue working days, fulfilled, on time, evidence accepted,
# missing)
LineExpected = tuple[str, str, ExecutionStatus, int, bool, bool | None, bool | None, list[str]]

OBLIGATION_ROWS = [
    pytest.param(
        ob(*JUNE, State.ACCEPTED, "2025-06-20", evidence=(ev(1, "2025-06-20", A),)),
        ("done", "accepted", E.DONE, 0, True, True, True, []),
        id="fulfilled on time and accepted",
    ),
    pytest.param(
        ob(*JUNE, State.CLOSED_LATE, "2025-07-03", evidence=(ev(1, "2025-07-03", A),)),
        ("done", "closed_late", E.DONE_LATE, 0, True, False, True, []),
        id="fulfilled late, closed late",
    ),
    pytest.param(
        ob(*JUNE, State.SUBMITTED, "2025-06-25", evidence=(ev(1, "2025-06-25", P),)),
        ("done", "submitted", E.ON_REVIEW, 0, True, True, None, []),
        id="submitted on time, not yet reviewed: on review, not done",
    ),
    pytest.param(
        ob(*JUNE, State.OVERDUE),
        ("overdue", "overdue", E.NOT_DONE, 23, False, False, None, [DOCS_1]),
        id="outstanding: 23 working days late",
    ),
    pytest.param(
        ob(*JUNE, State.REJECTED, evidence=(ev(1, "2025-06-25", R),)),
        ("overdue", "rejected", E.NOT_DONE, 23, False, False, False, [DOCS_1]),
        id="rejected: outstanding again",
    ),
    pytest.param(
        ob(
            *JUNE,
            State.SUBMITTED,
            "2025-07-10",
            evidence=(ev(1, "2025-06-25", R), ev(2, "2025-07-10", P)),
        ),
        ("done", "submitted", E.ON_REVIEW, 0, True, False, None, []),
        id="rejected, resubmitted late: the newest version is on review, not done late",
    ),
    pytest.param(
        ob(
            *JUNE,
            State.CLOSED_LATE,
            "2025-07-10",
            evidence=(ev(1, "2025-06-25", R), ev(2, "2025-07-10", A)),
        ),
        ("done", "closed_late", E.DONE_LATE, 0, True, False, True, []),
        id="rejected, resubmitted late and accepted",
    ),
    pytest.param(
        ob("1.1", "2025-Q3", "2025-07-01", "2025-09-30", State.OPEN),
        ("open", "open", E.IN_PROGRESS, 0, False, None, None, []),
        id="not yet due",
    ),
    pytest.param(
        ob("1.1", "2025-10", "2025-10-01", "2025-10-31", State.OPEN),
        ("upcoming", "open", E.NOT_DUE, 0, False, None, None, []),
        id="not yet open",
    ),
    pytest.param(
        ob("1.1", "2025-07", "2025-07-01", "2025-07-31", State.OPEN),
        ("due_soon", "open", E.NOT_DONE, 0, False, None, None, [DOCS_1]),
        id="due on the as-of date: already missing",
    ),
    pytest.param(
        ob("1.1", "2025-06", "2025-06-01", "2025-08-29", State.OPEN),
        ("open", "open", E.IN_PROGRESS, 0, False, None, None, []),
        id="extended to 29 August: not missing",
    ),
    pytest.param(
        ob(*JUNE, State.NOT_APPLICABLE, na_on="2025-06-10"),
        ("not_applicable", "not_applicable", E.NOT_APPLICABLE, 0, False, None, None, []),
        id="not applicable: not missing",
    ),
]


@pytest.mark.parametrize(("fact", "expected"), OBLIGATION_ROWS)
def test_obligation_line(fact: ObligationFact, expected: LineExpected) -> None:
    r = report(NO_INDICATORS, (fact,), as_of="2025-07-31", period="2025")
    [section] = r.sections
    activity = section.activities[0]
    [line] = activity.obligations
    got = (
        line.status,
        line.state,
        line.execution,
        line.overdue_days,
        line.fulfilled,
        line.on_time,
        line.accepted,
        r.missing,
    )
    assert (activity.activity.number, activity.owners, line.id) == (
        "1.1",
        "Минздрав",
        fact.facts.id,
    )
    assert got == expected


@pytest.mark.parametrize(
    ("fact", "period", "in_sections", "in_reports"),
    [
        pytest.param(ob(*JUNE, State.OPEN), "2025-H1", True, False, id="a month inside"),
        pytest.param(
            ob("1.1", "2025-Q3", "2025-07-01", "2025-09-30", State.OPEN),
            "2025-H1",
            False,
            False,
            id="a quarter after it",
        ),
        pytest.param(
            ob("1.1", "2025-04..2025-09", "2025-04-01", "2025-09-30", State.OPEN),
            "2025-H1",
            True,
            False,
            id="a range overlapping it",
        ),
        pytest.param(
            ob("1.1", "2025..2026", "2025-01-01", "2026-12-30", State.OPEN),
            "2025-H1",
            True,
            False,
            id="the whole program span",
        ),
        pytest.param(
            ob(None, "2025-H1", "2025-07-01", "2025-07-28", State.OPEN),
            "2025-H1",
            False,
            True,
            id="the half-year's report, due after it",
        ),
        pytest.param(
            ob(None, "2025", "2026-01-01", "2026-02-10", State.OPEN),
            "2025-H1",
            False,
            False,
            id="the year's report in a half-year report",
        ),
        pytest.param(
            ob(None, "2025-H1", "2025-07-01", "2025-07-28", State.OPEN),
            "2025",
            False,
            True,
            id="the half-year's report in a year report",
        ),
    ],
)
def test_which_obligations_a_report_covers(
    fact: ObligationFact, period: str, in_sections: bool, in_reports: bool
) -> None:
    r = report(NO_INDICATORS, (fact,), as_of="2025-07-31", period=period)
    sections = [o.id for s in r.sections for a in s.activities for o in a.obligations]
    reports = [o.id for _, o in r.report_obligations]
    assert (fact.facts.id in sections, fact.facts.id in reports) == (in_sections, in_reports)


# --- quantitative targets of activity 1.2 (10 families) in a 2025 report ---------------------------
FAMILIES_ON_TIME = ob(
    "1.2",
    "2025-06",
    "2025-06-01",
    "2025-06-30",
    State.ACCEPTED,
    "2025-06-20",
    owners=("soc", "edu"),
)


@pytest.mark.parametrize(
    ("targets", "reported", "reported_period", "met"),
    [
        pytest.param((), None, None, None, id="nothing reported"),
        pytest.param((tgt("2025-H1", 12),), 12, "2025-H1", True, id="more than promised"),
        pytest.param((tgt("2025-H1", 10),), 10, "2025-H1", True, id="exactly as promised"),
        pytest.param((tgt("2025-H1", 8),), 8, "2025-H1", False, id="less than promised"),
        pytest.param(
            (tgt("2025-H1", 8, "2025-07-10"), tgt("2025", 11, "2026-01-15")),
            11,
            "2025",
            True,
            id="the newest report wins",
        ),
        pytest.param((tgt("2026-H1", 12),), None, None, None, id="a report for after the period"),
        pytest.param(
            (tgt("2025", 11, "2026-01-15"), tgt("2025-H1", 8, "2026-01-15")),
            11,
            "2025",
            True,
            id="given the same day: the year's value over the half-year's",
        ),
        pytest.param(
            (tgt("2025-H1", 8, "2026-01-15"), tgt("2025", 11, "2026-01-15")),
            11,
            "2025",
            True,
            id="given the same day, in the other order: still the year's value",
        ),
    ],
)
def test_target_line(
    targets: tuple[TargetFact, ...],
    reported: float | None,
    reported_period: str | None,
    met: bool | None,
) -> None:
    r = report(
        NO_INDICATORS, (FAMILIES_ON_TIME,), targets=targets, as_of="2026-01-20", period="2025"
    )
    [line] = next(a for a in r.activities if a.activity.number == "1.2").targets
    assert (line.value, line.unit) == (10, "семей")
    assert (line.reported, line.reported_period, line.met) == (reported, reported_period, met)


# --- what is missing: a 2025-H1 report as of 5 August 2025 -----------------------------------------
# Indicators 1.2 (target 200 at 2025-H1) and 2.2 (no target at 2025-H1).
MISSING_PROGRAM = _program((INDICATORS[1], INDICATORS[3]))


def _h1(
    activity: str,
    month: str,
    state: State,
    owners: tuple[str, ...],
    fulfilled_on: str | None = None,
    na_on: str | None = None,
) -> ObligationFact:
    """An activity's obligation for May or June 2025 (due 30 May, 30 June)."""
    due = {"2025-05": "2025-05-30", "2025-06": "2025-06-30"}[month]
    return ob(activity, month, f"{month}-01", due, state, fulfilled_on, owners=owners, na_on=na_on)


def _exec_report(
    owner: str, state: State, fulfilled_on: str | None = None, na_on: str | None = None
) -> ObligationFact:
    """An executor's report for 2025-H1, due 28 July 2025."""
    return ob(
        None,
        "2025-H1",
        "2025-07-01",
        "2025-07-28",
        state,
        fulfilled_on,
        owners=(owner,),
        na_on=na_on,
    )


VALUE_1_2 = val("1.2", "2025-H1", "soc", 190)
FAMILIES_12 = tgt("2025-H1", 12)
FAMILIES_DONE = _h1("1.2", "2025-06", State.ACCEPTED, ("soc", "edu"), fulfilled_on="2025-06-20")
MED_OWES = _h1("1.1", "2025-06", State.OVERDUE, ("med",))
DOCS_MED = "Не представлены документы по {n} со сроком до 5 августа 2025\u00a0г.: Минздрав — 1."
ONE = "1 обязательству"
NO_VALUES = f"Нет фактических значений 1 показателя на контрольную точку «{H1_LABEL}»: 1.2."
NO_TARGETS = "Не указаны достигнутые значения по количественным целям мероприятий: 1.2."

MISSING_ROWS = [
    pytest.param((FAMILIES_DONE,), (VALUE_1_2,), (FAMILIES_12,), [], id="nothing missing"),
    pytest.param(
        (MED_OWES,), (VALUE_1_2,), (), [DOCS_MED.format(n=ONE)], id="one activity outstanding"
    ),
    pytest.param(
        (
            MED_OWES,
            _h1("1.2", "2025-05", State.OVERDUE, ("soc", "edu")),
            _h1("1.2", "2025-06", State.REJECTED, ("soc", "edu")),
        ),
        (VALUE_1_2,),
        (FAMILIES_12,),
        [
            "Не представлены документы по 3 обязательствам со сроком до 5 августа 2025\u00a0г.: "
            "Минсоц, Минобр (совместно) — 2; Минздрав — 1."
        ],
        id="executors listed by how much they owe, co-executors together: the parts add up",
    ),
    pytest.param(
        (
            _h1("1.1", "2025-06", State.NOT_APPLICABLE, ("med",), na_on="2025-06-10"),
            ob("1.3", "2025-06", "2025-06-01", "2025-08-29", State.OPEN, owners=("edu",)),
        ),
        (VALUE_1_2,),
        (),
        [],
        id="not applicable, and extended past the as-of date: nothing missing",
    ),
    pytest.param(
        (_exec_report("med", State.OPEN),),
        (VALUE_1_2,),
        (),
        ["Не представлены отчёты исполнителей: Минздрав."],
        id="an executor's report outstanding",
    ),
    pytest.param(
        (_exec_report("soc", State.OVERDUE), _exec_report("med", State.OPEN)),
        (VALUE_1_2,),
        (),
        ["Не представлены отчёты исполнителей: Минздрав, Минсоц."],
        id="reports outstanding, named alphabetically",
    ),
    pytest.param(
        (_exec_report("med", State.SUBMITTED, fulfilled_on="2025-07-25"),),
        (VALUE_1_2,),
        (),
        [],
        id="an executor's report handed in",
    ),
    pytest.param(
        (MED_OWES, _exec_report("med", State.OPEN)),
        (VALUE_1_2,),
        (),
        [DOCS_MED.format(n=ONE), "Не представлены отчёты исполнителей: Минздрав."],
        id="an activity and a report outstanding: each in its own sentence, counted once",
    ),
    pytest.param(
        (),
        (),
        (),
        [NO_VALUES],
        id="no value for an indicator with a target (2.2 has none at 2025-H1)",
    ),
    pytest.param(
        (FAMILIES_DONE,),
        (VALUE_1_2,),
        (),
        [NO_TARGETS],
        id="no value reported for an activity's quantitative target",
    ),
    pytest.param(
        (MED_OWES, FAMILIES_DONE, _exec_report("med", State.OPEN)),
        (),
        (),
        [
            DOCS_MED.format(n=ONE),
            "Не представлены отчёты исполнителей: Минздрав.",
            NO_VALUES,
            NO_TARGETS,
        ],
        id="all four, in this order",
    ),
    pytest.param(
        (_exec_report("med", State.NOT_APPLICABLE, na_on="2025-07-15"),),
        (VALUE_1_2,),
        (),
        [],
        id="an executor's report declared not applicable",
    ),
]

# What a person reads must follow the conventions for official Russian: counts agree with
# their nouns, a date in text carries «г.».
OFFICIAL_RU_ROWS = [
    pytest.param(
        (MED_OWES,),
        (VALUE_1_2,),
        "по 1 обязательству ",
        id="one obligation: the noun agrees with the count",
    ),
    pytest.param(
        (),
        (),
        "значений 1 показателя ",
        id="one indicator: the noun agrees with the count",
    ),
    pytest.param(
        (MED_OWES,),
        (VALUE_1_2,),
        "до 5 августа 2025\u00a0г.",
        id="a date in text carries the year mark",
    ),
    pytest.param(
        (MED_OWES, _h1("1.2", "2025-05", State.OVERDUE, ("soc", "edu"))),
        (VALUE_1_2,),
        "по 2 обязательствам ",
        id="two obligations: already agrees",
    ),
]


def _missing(
    obligations: tuple[ObligationFact, ...],
    values: tuple[ValueFact, ...],
    targets: tuple[TargetFact, ...] = (),
) -> list[str]:
    r = report(
        MISSING_PROGRAM,
        obligations,
        values,
        targets,
        as_of="2025-08-05",
        period="2025-H1",
    )
    return r.missing


@pytest.mark.parametrize(("obligations", "values", "targets", "expected"), MISSING_ROWS)
def test_missing(
    obligations: tuple[ObligationFact, ...],
    values: tuple[ValueFact, ...],
    targets: tuple[TargetFact, ...],
    expected: list[str],
) -> None:
    assert _missing(obligations, values, targets) == expected


@pytest.mark.parametrize(("obligations", "values", "fragment"), OFFICIAL_RU_ROWS)
def test_missing_reads_as_official_russian(
    obligations: tuple[ObligationFact, ...], values: tuple[ValueFact, ...], fragment: str
) -> None:
    assert fragment in " ".join(_missing(obligations, values))


# --- the whole road map, the consolidated report, groups, the headcount, forecasts ---------------
GROUPED = _program(INDICATORS, with_group=True)


def consolidated(period: str, due: str) -> ObligationFact:
    fact = ob(None, period, "2025-07-01", due, State.OPEN, owners=("soc",))
    return ObligationFact(
        facts=fact.facts,
        activity=None,
        kind="report",
        report_kind="consolidated",
        period=period,
        evidence_kind="сводный отчёт",
        state=State.OPEN,
    )


def test_every_activity_is_listed_with_its_status_those_not_yet_due_too() -> None:
    r = report(
        GROUPED,
        (
            ob("1.1", "2025-06", "2025-06-01", "2025-06-30", State.ACCEPTED, "2025-06-20"),
            ob("1.2", "2025-Q3", "2025-07-01", "2025-09-30", State.OPEN, owners=("soc", "edu")),
            ob("1.3", "2025-03", "2025-03-01", "2025-03-31", State.ACCEPTED, "2025-03-20"),
        ),
        as_of="2025-08-01",
        period="2025-Q2",
    )
    got = {a.activity.number: (a.execution, a.next_due) for a in r.activities}
    assert got == {
        "1.1": (E.DONE, None),
        "1.2": (E.NOT_DUE, D("2025-09-30")),  # its term starts after the period
        "1.3": (E.NONE_IN_PERIOD, None),  # done before it: nothing to do in the quarter
    }
    assert r.summary is not None and r.summary.activities_total == 3


def test_the_consolidated_report_is_not_among_the_executors_reports() -> None:
    r = report(
        GROUPED,
        (
            _exec_report("med", State.OPEN),
            consolidated("2025-H1", "2025-08-01"),
        ),
        as_of="2025-08-05",
        period="2025-H1",
    )
    assert [name for name, _ in r.report_obligations] == ["Минздрав"]
    assert all(":consolidated:" not in o.id for o in r.all_lines)
    assert {d.org for d in r.discipline} == {"med"}
    assert r.missing[0] == "Не представлены отчёты исполнителей: Минздрав."


def test_a_group_is_not_scored_and_owes_through_its_reporting_body() -> None:
    r = report(
        GROUPED,
        (ob("1.3", "2025-06", "2025-06-01", "2025-06-30", State.OVERDUE, owners=("edu", "inst")),),
        as_of="2025-08-05",
        period="2025-H1",
    )
    assert {d.org for d in r.discipline} == {"edu"}
    assert r.missing[0].endswith(": Минобр, Минсоц (совместно) — 1.")


def test_the_headcount_runs_to_the_first_of_the_month_after_the_period_by_part() -> None:
    values = tuple(
        val("1.1", month, org, v)
        for month, row in (("2025-06", (800, 1200, 150)), ("2025-07", (790, 1190, 140)))
        for org, v in zip(("soc", "edu", "med"), row, strict=True)
    )
    r = report(GROUPED, values=values, as_of="2025-08-05", period="2025-H1")
    last = r.headcount[-1]
    assert (last.month, last.actual, last.parts) == ("2025-07", 2120, (790, 1190, 140))
    assert last.trajectory == 2211  # 30 June's target, counted as of 1 July
    assert r.headcount[-2].parts == (800, 1200, 150)
    line = next(i for i in r.indicators if i.indicator.code == "1.1")
    assert (line.actual, line.source_period) == (2120, "2025-07")  # the same count as the chart


def test_a_forecasts_risk_stands_beside_the_checkpoints_result() -> None:
    from roadmap.reports.assessment import Forecast
    from roadmap.words.verdicts import ForecastVerdict, IndicatorStatus

    risk = Forecast(ForecastVerdict.AT_RISK, 18, 17, 19, "31 декабря 2025 г.")
    facts = ReportFacts((), (val("2.1", "2025-H1", "soc", 11),), ())
    r = build_report(
        TINY,
        facts,
        as_of=D("2025-07-31"),
        period=parse_period("2025-H1"),
        calendar=CAL,
        forecasts={"2.1": risk},
    )
    line = next(i for i in r.indicators if i.indicator.code == "2.1")
    # achieved at the checkpoint, and at risk by the forecast: two columns, never one word
    assert line.achieved and line.status == IndicatorStatus.ACHIEVED and line.forecast == risk
    assert line.forecast_warns and r.summary is not None and r.summary.indicators_achieved == 1
    assert r.summary is not None and r.summary.at_risk == ("2.1",)
    assert any("риск недостижения" in c and "2.1" in c for c in r.conclusions)


def test_conclusions_restate_the_figures_by_fixed_rules() -> None:
    r = report(
        TINY,
        (
            ob("1.1", "2025-06", "2025-06-01", "2025-06-30", State.ACCEPTED, "2025-06-20"),
            ob("1.2", "2025-06", "2025-06-01", "2025-06-30", State.OVERDUE, owners=("soc", "edu")),
            ob(
                "1.3",
                "2025-06",
                "2025-06-01",
                "2025-06-30",
                State.CLOSED_LATE,
                "2025-07-03",
                owners=("edu",),
            ),
        ),
        (
            val("1.2", "2025-H1", "soc", 205),  # 2.5 % worse: not achieved, no explanation due
            ValueFact(
                "2.1", "2025-H1", "soc", 5, "Причины: мало заявок. Меры: реклама.", D("2025-07-10")
            ),
            val("3.1", "2025-H1", "soc", 0),
        ),
        as_of="2025-08-01",
        period="2025-H1",
    )
    assert list(r.conclusions) == [
        f"На контрольную точку «{H1_LABEL}» плановые значения установлены по 4 ключевым "
        "показателям; фактические значения представлены по 3. Плановые значения достигнуты "
        "по 1 (33,3\u00a0% оценённых), не достигнуты по 2.",
        "Не достигнуты плановые значения показателей 1.2, 2.1.",
        "Отклонение более 5\u00a0%, при котором требуется пояснение причин, допущено по "
        "1 показателю (2.1); пояснения представлены.",
        "Фактические значения не представлены по 1 показателю: 1.1.",
        "Из 3 мероприятий «дорожной карты»: выполнено — 1; выполнено с нарушением срока — 1; "
        "не выполнено — 1.",
        "Доля мероприятий, выполненных в срок: 33,3\u00a0% (1 из 3 со статусами «выполнено», "
        "«выполнено с нарушением срока», «не выполнено»).",
        "Не выполнены в установленный срок мероприятия 1.2.",
    ]


def test_conclusions_with_no_fact_say_in_words_that_nothing_was_assessed() -> None:
    r = report(TINY, as_of="2025-08-01", period="2025-H1")
    first = r.conclusions[0]
    assert first == (
        f"На контрольную точку «{H1_LABEL}» плановые значения установлены по 4 ключевым "
        "показателям; фактические значения не представлены ни по одному, достижение "
        "плановых значений не оценивалось."
    )
    assert "по 0" not in " ".join(r.conclusions) and "(— оценённых)" not in first
