"""What values an obligation asks for when it is answered (the intake page's form fields).

- an activity with quantitative targets asks what was achieved against each of them;
- the monthly monitoring's activity (``monitoring`` in program.yaml) asks the organization's
  part of the monitored indicator for the obligation's month, if it gives one;
- an executor's half-yearly or annual report asks for the key indicators at the checkpoint
  of its period (each optional: an organization gives those it keeps).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from roadmap.obligations.keys import TargetCode
from roadmap.program.model import Program


@dataclass(frozen=True)
class Ask:
    kind: Literal["target", "indicator"]
    code: str  # a target's ``TargetCode`` text ("3.2#1"), an indicator's code ("1.1")
    label: str
    unit: str
    period: str
    planned: float | None = None

    @property
    def field(self) -> str:
        """A form field name: letters, digits, «_» and «-» only."""
        return f"{self.kind}-{self.code.replace('.', '_').replace('#', '-')}"


def _monitoring_asks(program: Program, activity: str, org: str, period: str) -> list[Ask]:
    m = program.monitoring
    if m is None or m.activity != activity:
        return []
    unit = program.indicator_map[m.indicator].unit
    return [
        Ask("indicator", m.indicator, f"{m.title}: {p.institutions}, на 1-е число", unit, period)
        for p in m.parts
        if p.org == org
    ]


def asks_for(
    program: Program, *, activity: str | None, report_kind: str | None, period: str, org: str
) -> list[Ask]:
    out: list[Ask] = []
    if activity and activity in program.activity_map:
        a = program.activity_map[activity]
        for i, t in enumerate(a.targets, start=1):
            out.append(
                Ask(
                    "target",
                    TargetCode(a.number, i).format(),
                    f"Достигнуто: {t.text}",
                    t.unit,
                    period,
                    t.value,
                )
            )
        out.extend(_monitoring_asks(program, a.number, org, period))
    elif report_kind == "executor":
        checkpoints = {c.period: i for i, c in enumerate(program.checkpoints)}
        if period in checkpoints:
            k = checkpoints[period]
            for ind in program.indicators:
                out.append(
                    Ask(
                        "indicator",
                        ind.code,
                        f"{ind.code}. {ind.name}",
                        ind.unit,
                        period,
                        ind.targets[k],
                    )
                )
    return out


def parts_that_fulfil(
    program: Program, *, activity: str | None, owners: tuple[str, ...] | list[str]
) -> frozenset[str] | None:
    """The organisations whose values, between them, fulfil an obligation; None: values alone
    do not (a document does).

    The monthly monitoring's activity is answered by its values: each owner that gives a
    part of the monitored indicator gives it for the obligation's month, and once every one
    of them has, the obligation is fulfilled, whichever channel brought each value (the
    run's form, the command line, the intake page). A target's reach and a report's
    indicators go with a document and fulfil nothing by themselves.
    """
    m = program.monitoring
    if m is None or activity != m.activity:
        return None
    parts = frozenset(p.org for p in m.parts if p.org in owners)
    return parts or None


def fulfils(program: Program, indicator: str) -> bool:
    """Whether values of ``indicator`` can fulfil an obligation: the monitored one's can."""
    return program.monitoring is not None and program.monitoring.indicator == indicator
