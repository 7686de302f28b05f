"""What a report finds missing, in plain words: documents, executors' reports, values, targets.

Four rules, in this order:

1. documents not handed in for the activities' obligations due by the as-of date, with who
   owes how many (a group of institutions or municipal bodies is named by the body it
   reports through; an obligation several bodies owe together counts once, under all of
   them, so the parts add up to the total);
2. executors' reports due and not handed in (those declared not applicable are not owed);
3. indicators with a plan at the checkpoint and no fact;
4. activities whose quantitative targets have no reported value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from roadmap.program.model import Program
from roadmap.reports.lines import ActivityLine, IndicatorLine, ObligationLine
from roadmap.words.wording import date_ru, plural_ru


class Findings(Protocol):
    """What the rules read of a report (``roadmap.reports.report.Report`` has all of it)."""

    @property
    def activities(self) -> Sequence[ActivityLine]: ...

    @property
    def all_lines(self) -> Sequence[ObligationLine]: ...

    @property
    def report_obligations(self) -> Sequence[tuple[str, ObligationLine]]: ...

    @property
    def indicators(self) -> Sequence[IndicatorLine]: ...


def owed(o: ObligationLine, as_of: dt.date) -> bool:
    """Due by ``as_of``, not handed in, and not declared not applicable."""
    return o.due <= as_of and not o.fulfilled and o.status != "not_applicable"


def _body(program: Program, org: str) -> str:
    """Who answers for ``org``: itself, or for a group the body it reports through."""
    if org in program.orgs and program.orgs[org].is_group:
        return program.reporting_body(org)
    return org


def missing_lines(program: Program, report: Findings, as_of: dt.date) -> list[str]:
    """The report's «what is missing», one sentence per rule (see the module docstring)."""
    out: list[str] = []
    counts: dict[str, int] = {}
    for a in report.activities:
        bodies = dict.fromkeys(_body(program, x) for x in a.activity.executors)
        names = ", ".join(program.orgs[b].short_name if b in program.orgs else b for b in bodies)
        names += " (совместно)" if len(bodies) > 1 else ""
        for o in a.obligations:
            if owed(o, as_of):
                counts[names] = counts.get(names, 0) + 1
    if counts:
        parts = [f"{k} — {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        total = sum(counts.values())
        noun = plural_ru(total, "обязательству", "обязательствам", "обязательствам")
        out.append(
            f"Не представлены документы по {total} {noun} со сроком до {date_ru(as_of)}: "
            + "; ".join(parts)
            + "."
        )
    late = sorted(name for name, o in report.report_obligations if owed(o, as_of))
    if late:
        out.append(f"Не представлены отчёты исполнителей: {', '.join(late)}.")
    no_value = [
        i.indicator.code for i in report.indicators if i.actual is None and i.target is not None
    ]
    if no_value:
        label = report.indicators[0].checkpoint_label if report.indicators else ""
        noun = plural_ru(len(no_value), "показателя", "показателей", "показателей")
        out.append(
            f"Нет фактических значений {len(no_value)} {noun} на контрольную точку «{label}»: "
            + ", ".join(no_value)
            + "."
        )
    no_target = [
        a.activity.number
        for a in report.activities
        if a.obligations and a.targets and all(t.reported is None for t in a.targets)
    ]
    if no_target:
        out.append(
            "Не указаны достигнутые значения по количественным целям мероприятий: "
            + ", ".join(no_target)
            + "."
        )
    return out
