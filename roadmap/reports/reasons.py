"""Reasons for shortfalls: each activity's checkpoint not done or late and each indicator off
plan, with the executor's reasons and the measures taken, or none given.

The program asks the consolidated report for «причины отклонения» and «принятые меры» (as
the monitoring of national and regional projects does); the executors give them through
the intake page's form or on paper (the coordinator records them). Rules:

1. a checkpoint carries the newest reasons each organisation gave for its obligation;
2. an indicator carries those given for it at the checkpoint judged, or at the period
   whose values gave its fact;
   (in both, only reasons given by the report's as-of date count);
3. a shortfall is an activity «не выполнено» or «выполнено с нарушением срока», or an
   indicator «не достигнуто»; each is listed, with «причины не представлены» where none came.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from roadmap.reports.facts import ReasonFact
from roadmap.reports.lines import ActivityLine, IndicatorLine, ObligationLine, SectionLine
from roadmap.words.labels import EXECUTION_RU
from roadmap.words.verdicts import ExecutionStatus, IndicatorStatus


class Lines(Protocol):
    """What reasons are attached to (``roadmap.reports.report.Report`` has all of it)."""

    as_of: dt.date
    sections: list[SectionLine]
    report_obligations: list[tuple[str, ObligationLine]]
    indicators: list[IndicatorLine]


NONE_GIVEN = "причины не представлены"
SHORT = (ExecutionStatus.NOT_DONE, ExecutionStatus.DONE_LATE)


@dataclass(frozen=True)
class Shortfall:
    """One shortfall as the report lists it: what, its status in words, reasons, measures."""

    number: str
    name: str
    status: str
    reasons: str | None
    measures: str | None

    def text(self) -> str:
        """«5.16. «…» — не выполнено: причины — …; принятые меры — …»."""
        head = f"{self.number}. {self.name} — {self.status}"
        if not self.reasons:
            return f"{head}: {NONE_GIVEN}."
        measures = self.measures or "не указаны"
        return f"{head}: причины — {_bare(self.reasons)}; принятые меры — {_bare(measures)}."


def _bare(text: str) -> str:
    """One line, without its closing stop, and lower-case when it runs on in a sentence
    («Задержка поставки» → «задержка поставки»; «КДНиЗП …» stays)."""
    flat = " ".join(text.split()).rstrip(" .;")
    if len(flat) > 1 and flat[0].isupper() and flat[1].islower():
        flat = flat[0].lower() + flat[1:]
    return flat


def attach_reasons(report: Lines, reasons: Iterable[ReasonFact]) -> None:
    """Give each checkpoint and indicator line of ``report`` the reasons given for it by the
    report's as-of date (those given later are not yet known to it)."""
    by_obligation: dict[str, list[ReasonFact]] = {}
    by_indicator: dict[tuple[str, str], list[ReasonFact]] = {}
    for r in reasons:
        if r.given_on > report.as_of:
            continue
        if r.obligation_id:
            by_obligation.setdefault(r.obligation_id, []).append(r)
        elif r.indicator and r.period:
            by_indicator.setdefault((r.indicator, r.period), []).append(r)

    def line(o: ObligationLine) -> ObligationLine:
        got = tuple(by_obligation.get(o.id, ()))
        return replace(o, reasons=got) if got else o

    def activity(a: ActivityLine) -> ActivityLine:
        return replace(a, obligations=tuple(line(o) for o in a.obligations))

    report.sections = [
        SectionLine(s.number, s.title, tuple(activity(a) for a in s.activities))
        for s in report.sections
    ]
    report.report_obligations = [(org, line(o)) for org, o in report.report_obligations]
    report.indicators = [_indicator(i, by_indicator) for i in report.indicators]


def _indicator(
    i: IndicatorLine, by_indicator: dict[tuple[str, str], list[ReasonFact]]
) -> IndicatorLine:
    periods = dict.fromkeys(p for p in (i.checkpoint, i.source_period) if p)
    got = tuple(r for p in periods for r in by_indicator.get((i.indicator.code, p), ()))
    return replace(i, given_reasons=got) if got else i


def checkpoint_reasons(
    o: ObligationLine, names: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """(reasons, measures) of a checkpoint; several organisations' each on a line of its own,
    named by ``names`` (short names by id)."""
    named = len({r.org for r in o.reasons}) > 1

    def who(r: ReasonFact) -> str:
        return f"{names.get(r.org, r.org)}: " if named and r.org else ""

    reasons = [who(r) + r.reasons for r in o.reasons]
    measures = [who(r) + r.measures for r in o.reasons if r.measures]
    return "\n".join(reasons) or None, "\n".join(measures) or None


def activity_shortfalls(
    activities: Sequence[ActivityLine], names: Mapping[str, str]
) -> list[Shortfall]:
    """Each activity not done or done late, with the reasons given for its checkpoints."""
    out = []
    for a in activities:
        if a.execution not in SHORT:
            continue
        given = [checkpoint_reasons(o, names) for o in a.obligations if o.execution in SHORT]
        reasons = "\n".join(r for r, _ in given if r) or None
        measures = "\n".join(m for _, m in given if m) or None
        name = a.activity.name
        out.append(Shortfall(a.activity.number, name, EXECUTION_RU[a.execution], reasons, measures))
    return out


def indicator_shortfalls(indicators: Sequence[IndicatorLine]) -> list[Shortfall]:
    """Each indicator whose plan is not achieved at the checkpoint, with its reasons."""
    return [
        Shortfall(
            i.indicator.code,
            i.indicator.name,
            "плановое значение не достигнуто",
            i.reasons,
            i.measures,
        )
        for i in indicators
        if i.status == IndicatorStatus.NOT_ACHIEVED
    ]
