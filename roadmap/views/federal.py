"""The federal view: every region of the project as the Commissioner's Office sees it.

One row per regional program, as of a date (each region's calendar date): the
consolidated reports due by then, received in time, late or missing; the executors'
completeness and timeliness (DHIS2's definitions, as ``roadmap.obligations.status``); the headline
indicator (the program's monitored one, ``monitoring.indicator``: children in
round-the-clock care) against its trajectory, with the forecast's verdict at the
program's end; and the activities with an obligation overdue. Pure: storage gives the
obligations' standing and the indicator's history, the forecast gives the verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from roadmap.forecast.early_warning import History, IndicatorForecast, Risk
from roadmap.obligations.status import ObligationFacts, Rates, StatusEntry, scored
from roadmap.program.model import Program, activity_key
from roadmap.reports.actuals import trajectory


class Received(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    NOT_DUE = "not_due"


# Labels: the one place the federal view's Russian words live (the forecast's are RISK_RU).
RECEIVED_RU: dict[Received, str] = {
    Received.ON_TIME: "получен в срок",
    Received.LATE: "получен с нарушением срока",
    Received.OVERDUE: "не получен, срок прошёл",
    Received.DUE_TODAY: "не получен, срок истекает сегодня",
    Received.NOT_DUE: "срок не наступил",
}


class Standing(Protocol):
    """An obligation's standing as of the date (storage's status items are these)."""

    facts: ObligationFacts
    entry: StatusEntry
    activity: str | None
    report_kind: str | None
    period: str


NOT_SYNCED = "программа не загружена в базу"
UNREADABLE = "данные региона не читаются"


@dataclass(frozen=True)
class ConsolidatedLine:
    """A consolidated report to the Commissioner's Office."""

    period: str
    due: dt.date
    received: Received
    received_on: dt.date | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "due": self.due.isoformat(),
            "received": self.received.value,
            "received_on": self.received_on.isoformat() if self.received_on else None,
            "status": RECEIVED_RU[self.received],
        }


@dataclass(frozen=True)
class ExecutorLine:
    """One executor's rates, named as the program names it."""

    org: str
    name: str
    due: int
    completeness: float | None
    timeliness: float | None


@dataclass(frozen=True)
class Headline:
    """The monitored indicator: its latest value against the trajectory, and the verdict."""

    code: str
    name: str
    unit: str
    direction: str
    baseline: float | None
    target: float | None
    target_period: str | None
    actual: float | None
    actual_on: dt.date | None
    planned: float | None  # the trajectory on the date of the latest value
    forecast: IndicatorForecast

    @property
    def deviation(self) -> float | None:
        """(actual − planned) / planned, or None without both."""
        if self.actual is None or not self.planned:
            return None
        return (self.actual - self.planned) / self.planned

    @property
    def risk(self) -> Risk:
        return self.forecast.risk

    def as_dict(self) -> dict[str, Any]:
        f = self.forecast
        at = self.target_period
        return {
            "indicator": self.code,
            "name": self.name,
            "unit": self.unit,
            "direction": self.direction,
            "baseline": self.baseline,
            "target": self.target,
            "target_period": at,
            "actual": self.actual,
            "actual_on": self.actual_on.isoformat() if self.actual_on else None,
            "planned": None if self.planned is None else round(self.planned, 2),
            "deviation": None if self.deviation is None else round(self.deviation, 4),
            "risk": f.risk.value,
            "status": f.status,
            "projected": _at(f.projected, at),
            "low": _at(f.low, at),
            "high": _at(f.high, at),
            "probability": None if f.probability is None else round(f.probability, 3),
        }


def _at(values: Any, period: str | None) -> float | None:
    if not values or period is None or period not in values:
        return None
    return round(float(values[period]), 2)


@dataclass(frozen=True)
class RegionRow:
    """One region's line of the federal view."""

    program: str
    region: str
    title: str
    timezone: str
    as_of: dt.date
    synced: bool
    consolidated: tuple[ConsolidatedLine, ...] = ()
    executors_due: int = 0
    executors_fulfilled: int = 0
    executors_on_time: int = 0
    weakest: tuple[ExecutorLine, ...] = ()
    headline: Headline | None = None
    overdue_activities: tuple[str, ...] = ()
    overdue_obligations: int = 0
    # why the region's data cannot be read (a missing folder, a refused file, a value no
    # arithmetic takes): the region is shown so, the others as usual
    unreadable: str | None = None

    @property
    def missing(self) -> str:
        """What a row without figures says instead of them."""
        return UNREADABLE if self.unreadable else NOT_SYNCED

    @property
    def completeness(self) -> float | None:
        return self.executors_fulfilled / self.executors_due if self.executors_due else None

    @property
    def timeliness(self) -> float | None:
        return self.executors_on_time / self.executors_due if self.executors_due else None

    def count(self, *kinds: Received) -> int:
        return sum(1 for c in self.consolidated if c.received in kinds)

    @property
    def consolidated_due(self) -> int:
        """Due on or before the date, as every count of obligations counts (``Basis``)."""
        return self.count(Received.ON_TIME, Received.LATE, Received.OVERDUE, Received.DUE_TODAY)

    @property
    def consolidated_received(self) -> int:
        return self.count(Received.ON_TIME, Received.LATE)

    @property
    def consolidated_late(self) -> int:
        """Received after the due date (a report not received is not late-received)."""
        return self.count(Received.LATE)

    @property
    def consolidated_not_received(self) -> int:
        """Due and not received (the due date past, or today)."""
        return self.count(Received.OVERDUE, Received.DUE_TODAY)

    def as_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "region": self.region,
            "title": self.title,
            "timezone": self.timezone,
            "as_of": self.as_of.isoformat(),
            "synced": self.synced,
            "unreadable": self.unreadable,
            "consolidated": {
                "due": self.consolidated_due,
                "received": self.consolidated_received,
                "late": self.consolidated_late,
                "not_received": self.consolidated_not_received,
                "reports": [c.as_dict() for c in self.consolidated],
            },
            "executors": {
                "due": self.executors_due,
                "fulfilled": self.executors_fulfilled,
                "on_time": self.executors_on_time,
                "completeness": _round(self.completeness),
                "timeliness": _round(self.timeliness),
                "weakest": [
                    {
                        "org": e.org,
                        "name": e.name,
                        "due": e.due,
                        "completeness": _round(e.completeness),
                        "timeliness": _round(e.timeliness),
                    }
                    for e in self.weakest
                ],
            },
            "headline": self.headline.as_dict() if self.headline else None,
            "overdue": {
                "activities": list(self.overdue_activities),
                "obligations": self.overdue_obligations,
            },
        }


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


@dataclass(frozen=True)
class FederalView:
    as_of: dt.date
    regions: tuple[RegionRow, ...]

    def as_rows(self) -> list[dict[str, Any]]:
        return [r.as_dict() for r in self.regions]


WEAKEST = 3


def consolidated_line(item: Standing) -> ConsolidatedLine:
    """A consolidated report's standing: received in time or late, overdue, due today, not
    yet due."""
    entry, facts = item.entry, item.facts
    if entry.status == "done":
        received = Received.ON_TIME if entry.on_time else Received.LATE
    elif entry.status == "overdue":
        received = Received.OVERDUE
    elif entry.counts_as_due:
        received = Received.DUE_TODAY
    else:
        received = Received.NOT_DUE
    on = facts.fulfilled_on if entry.status == "done" else None
    return ConsolidatedLine(item.period, facts.due, received, on)


def headline_of(
    program: Program, history: History | None, forecast: IndicatorForecast | None
) -> Headline | None:
    """The monitored indicator's line, or None when the program monitors none."""
    if program.monitoring is None or forecast is None:
        return None
    ind = program.indicator_map[program.monitoring.indicator]
    last = history.observations[-1] if history and history.observations else None
    end = forecast.end_target
    return Headline(
        code=ind.code,
        name=ind.name,
        unit=ind.unit,
        direction=ind.direction,
        baseline=ind.baseline,
        target=end.value if end else None,
        target_period=end.period if end else None,
        actual=last.value if last else None,
        actual_on=last.on if last else None,
        planned=trajectory(program, ind, last.on) if last else None,
        forecast=forecast,
    )


def region_row(
    program: Program,
    *,
    as_of: dt.date,
    items: Iterable[Standing],
    rates: Sequence[Rates],
    history: History | None,
    forecast: IndicatorForecast | None,
) -> RegionRow:
    """One region's line from its obligations' standing, rates and headline forecast; the
    executors' figures add up the executors scored (``scored``), as the report's table."""
    items = list(items)
    rates = scored(rates, {o.id for o in program.organizations if o.is_group})
    consolidated = tuple(
        sorted(
            (consolidated_line(i) for i in items if i.report_kind == "consolidated"),
            key=lambda c: c.due,
        )
    )
    overdue = [i for i in items if i.entry.status == "overdue"]
    activities = sorted(
        {i.activity for i in overdue if i.activity},
        key=activity_key,
    )
    names = {o.id: o.short_name for o in program.organizations}
    weakest = sorted(
        (r for r in rates if r.due),
        key=lambda r: (r.completeness or 0.0, r.timeliness or 0.0, r.org),
    )[:WEAKEST]
    return RegionRow(
        program=program.id,
        region=program.region,
        title=program.title,
        timezone=program.timezone,
        as_of=as_of,
        synced=True,
        consolidated=consolidated,
        executors_due=sum(r.due for r in rates),
        executors_fulfilled=sum(r.fulfilled for r in rates),
        executors_on_time=sum(r.on_time for r in rates),
        weakest=tuple(
            ExecutorLine(r.org, names.get(r.org, r.org), r.due, r.completeness, r.timeliness)
            for r in weakest
        ),
        headline=headline_of(program, history, forecast),
        overdue_activities=tuple(activities),
        overdue_obligations=len(overdue),
    )


def unreadable_row(program: str, region: str, as_of: dt.date, why: str) -> RegionRow:
    """A region whose data cannot be read: named, with why, and nothing counted."""
    return RegionRow(
        program=program,
        region=region,
        title="",
        timezone="",
        as_of=as_of,
        synced=False,
        unreadable=why,
    )


def not_synced_row(program: Program, as_of: dt.date) -> RegionRow:
    """A program the database does not hold yet: named, with nothing to count."""
    return RegionRow(
        program=program.id,
        region=program.region,
        title=program.title,
        timezone=program.timezone,
        as_of=as_of,
        synced=False,
    )
