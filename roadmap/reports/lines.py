"""The lines of a report: obligations, activities, indicators, discipline, the headcount.

Each line carries the codes of its verdicts (``verdicts.py``); the documents ask
``labels.py`` for their words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roadmap.dates.periods import parse_period
from roadmap.obligations.status import Rates, Status
from roadmap.program.model import Activity, Indicator, Person
from roadmap.reports.assessment import (
    Forecast,
    achievement_level,
    indicator_status,
    indicator_tone,
    split_explanation,
)
from roadmap.reports.facts import EvidenceFact, ReasonFact
from roadmap.words.verdicts import ExecutionStatus, IndicatorStatus, Tone
from roadmap.words.wording import period_ru


@dataclass(frozen=True)
class ObligationLine:
    """An obligation in the report: an activity's checkpoint, or an executor's report."""

    id: str
    period: str
    due: dt.date
    status: Status
    state: str
    overdue_days: int
    fulfilled: bool
    on_time: bool | None
    evidence: tuple[EvidenceFact, ...]
    accepted: bool | None
    execution: ExecutionStatus = ExecutionStatus.IN_PROGRESS
    na_reason: str | None = None
    # the executors' reasons for a checkpoint not done or late, and the measures taken
    reasons: tuple[ReasonFact, ...] = ()

    @property
    def period_text(self) -> str:
        return period_ru(parse_period(self.period))

    @property
    def latest(self) -> EvidenceFact | None:
        return max(self.evidence, key=lambda e: e.version) if self.evidence else None


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
    """An activity of the road map: its checkpoints in the period and its status.

    An activity with no checkpoint in the period is listed too: not yet due (``next_due``
    is its first due date after the period) or with nothing to execute in it.
    """

    activity: Activity
    owners: str
    obligations: tuple[ObligationLine, ...]
    targets: tuple[TargetLine, ...]
    execution: ExecutionStatus = ExecutionStatus.NONE_IN_PERIOD
    next_due: dt.date | None = None


@dataclass(frozen=True)
class SectionLine:
    number: str
    title: str
    activities: tuple[ActivityLine, ...]


@dataclass(frozen=True)
class IndicatorLine:
    """A key indicator assessed at a checkpoint (see ``assessment.py`` for the rules)."""

    indicator: Indicator
    group_title: str
    checkpoint: str
    checkpoint_label: str
    target: float | None
    actual: float | None
    deviation: float | None  # > 0 worse, < 0 better, as a share of the target
    explanation: str | None
    missing_contributors: tuple[str, ...] = ()
    margin: float = 0.05
    forecast: Forecast | None = None
    # the period whose values gave the fact: the checkpoint's, or the month after it
    source_period: str | None = None
    # reasons and measures given on their own (the intake form's fields, or on paper)
    given_reasons: tuple[ReasonFact, ...] = ()

    @property
    def achieved(self) -> bool | None:
        """Whether the fact is at least as good as the plan (None without both)."""
        return None if self.deviation is None else self.deviation <= 0

    @property
    def level(self) -> float | None:
        """The level of achievement (1.0 is 100 %), by the indicator's direction."""
        if self.actual is None or self.target is None:
            return None
        return achievement_level(self.indicator.direction, self.actual, self.target)

    @property
    def difference(self) -> float | None:
        """Fact − plan, in the indicator's unit."""
        if self.actual is None or self.target is None:
            return None
        return self.actual - self.target

    @property
    def needs_explanation(self) -> bool:
        """A miss beyond the margin must be explained; a smaller miss is still a miss."""
        return self.deviation is not None and self.deviation > self.margin

    @property
    def status(self) -> IndicatorStatus:
        return indicator_status(self.deviation, self.target)

    @property
    def forecast_warns(self) -> bool:
        """The forecast's own verdict: a risk at the next checkpoint or at the end."""
        return self.forecast is not None and self.forecast.warns

    @property
    def tone(self) -> Tone:
        return indicator_tone(self.status, self.needs_explanation)

    @property
    def reasons(self) -> str | None:
        """The reasons given on their own, else those of the values' explanation."""
        given = "\n".join(r.reasons for r in self.given_reasons)
        return given or split_explanation(self.explanation)[0]

    @property
    def measures(self) -> str | None:
        given = "\n".join(r.measures for r in self.given_reasons if r.measures)
        if self.given_reasons:
            return given or None
        return split_explanation(self.explanation)[1]


@dataclass(frozen=True)
class DisciplineLine:
    org: str
    name: str
    rates: Rates
    escalations: tuple[int, int, int]

    @property
    def late(self) -> int:
        """Fulfilled after the due date (``Rates.late``)."""
        return self.rates.late

    @property
    def not_done(self) -> int:
        """Due and not fulfilled (``Rates.not_done``)."""
        return self.rates.not_done


@dataclass(frozen=True)
class HeadcountPoint:
    """The monitored indicator «as of the 1st» of ``month``, its parts and its trajectory."""

    month: str
    actual: float | None
    trajectory: float | None
    parts: tuple[float | None, ...] = ()

    @property
    def day(self) -> dt.date:
        return parse_period(self.month).start


@dataclass(frozen=True)
class Requisites:
    """The official form's requisites: who writes to whom, the number and date, who signs."""

    sender: str
    submitted_by: str
    recipient: str
    addressee: str
    outgoing_number: str | None = None
    outgoing_date: dt.date | None = None
    signatory: Person | None = None
    performer: Person | None = None
