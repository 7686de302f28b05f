"""The sync diff as a table: what happened before, which program versions are synced, and what
the last sync reports, on SQLite and PostgreSQL.

Every row starts from the embedded program synced on 9 January 2025 (``synced``), applies
its history (evidence handed in, not applicable, an extension, the overdue sweep), then
syncs each program version in turn on 8 April 2025. A version is the embedded program with
literal changes. Expected: the last sync's ``SyncReport.summary()``, and a few obligations
afterwards as (state, due date, dropped from the program).

The counts were worked out by hand from the program data: an executor's report and the
consolidated report list the activities they cover, so a change that adds an activity to a
period, or takes one out, recomputes those reports too (e.g. 8.3 is owed in December by
Минсоцполитики and Минздрав: dropping it recomputes their annual reports for 2025 and
2026 and the two annual consolidated reports, six in all).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from sqlalchemy.engine import Engine

from roadmap.program.model import Program
from storage.db import session_scope
from storage.evidence import EvidenceStore, record_evidence
from storage.obligations import (
    decide_extension,
    declare_not_applicable,
    mark_overdue,
    request_extension,
    resolve_obligation,
)
from storage.sync import SyncReport, sync_program
from tests.db import at
from tests.storage.files import PDF

SYNC_DAY = "2025-04-08"


# --- changes that make a program version --------------------------------------------------------
@dataclass(frozen=True)
class Term:
    number: str
    term: str


@dataclass(frozen=True)
class Executors:
    number: str
    executors: tuple[str, ...]


@dataclass(frozen=True)
class Drop:
    number: str


@dataclass(frozen=True)
class Add:
    """A new activity ``number``: a copy of activity ``like`` with its own term."""

    number: str
    like: str
    term: str


@dataclass(frozen=True)
class MonthlyDue:
    """Monthly obligations due on this working day of the next month (the program says 5)."""

    working_day: int


Change = Term | Executors | Drop | Add | MonthlyDue


def version(program: Program, changes: tuple[Change, ...]) -> Program:
    """The program with ``changes``; organizations and span stay, so the look-ups that
    ``model_copy`` carries over from ``program`` (``orgs``, ``span_period``) still hold."""
    activities = list(program.activities)
    reporting, conventions = program.reporting, program.conventions
    for c in changes:
        if isinstance(c, Term):
            activities = [
                a.model_copy(update={"term": c.term}) if a.number == c.number else a
                for a in activities
            ]
        elif isinstance(c, Executors):
            activities = [
                a.model_copy(update={"executors": c.executors}) if a.number == c.number else a
                for a in activities
            ]
        elif isinstance(c, Drop):
            activities = [a for a in activities if a.number != c.number]
        elif isinstance(c, Add):
            like = next(a for a in activities if a.number == c.like)
            activities.append(like.model_copy(update={"number": c.number, "term": c.term}))
        else:
            due = (
                f"не позднее {c.working_day}-го рабочего дня месяца, следующего за отчетным месяцем"
            )
            conventions = conventions.model_copy(update={"monthly_due": due})
    return program.model_copy(
        update={"activities": tuple(activities), "reporting": reporting, "conventions": conventions}
    )


# --- what happened before the amendment ---------------------------------------------------------
@dataclass(frozen=True)
class Submit:
    obligation: str
    day: str


@dataclass(frozen=True)
class NotApplicable:
    obligation: str
    day: str


@dataclass(frozen=True)
class Extend:
    obligation: str
    until: str
    day: str


@dataclass(frozen=True)
class Sweep:
    """The daily sweep marks what is past its due date overdue."""

    day: str


Step = Submit | NotApplicable | Extend | Sweep


def happen(engine: Engine, store: EvidenceStore, program: Program, step: Step) -> None:
    with session_scope(engine) as s:
        if isinstance(step, Submit):
            record_evidence(
                session=s,
                store=store,
                obligation_id=step.obligation,
                stream=io.BytesIO(PDF),
                original_name="отчёт.pdf",
                submitted_by="Исполнитель",
                channel="cli",
                at=at(step.day),
                max_bytes=1 << 20,
            )
        elif isinstance(step, NotApplicable):
            declare_not_applicable(
                session=s,
                obligation_id=step.obligation,
                reason="мероприятие не проводилось",
                by="Исполнитель",
                channel="cli",
                at=at(step.day),
            )
        elif isinstance(step, Extend):
            ext = request_extension(
                session=s,
                obligation_id=step.obligation,
                until=dt.date.fromisoformat(step.until),
                reason="ждём данные",
                by="Исполнитель",
                channel="cli",
                at=at(step.day),
            )
            assert ext.id is not None
            decide_extension(
                session=s,
                extension_id=ext.id,
                approve=True,
                by="Координатор",
                comment=None,
                channel="cli",
                at=at(step.day, 15),
            )
        else:
            mark_overdue(
                session=s,
                program_id=program.id,
                as_of=dt.date.fromisoformat(step.day),
                at=at(step.day, 3),
            )


def counts(
    *,
    created: int = 0,
    recomputed: int = 0,
    cancelled: int = 0,
    reopened: int = 0,
    kept_submitted: int = 0,
    dropped_submitted: int = 0,
    reference_changes: int = 0,
) -> dict[str, int]:
    """``SyncReport.summary()``, with the zeros left out of the rows."""
    return {
        "created": created,
        "recomputed": recomputed,
        "cancelled": cancelled,
        "reopened": reopened,
        "kept_submitted": kept_submitted,
        "dropped_submitted": dropped_submitted,
        "reference_changes": reference_changes,
    }


# obligation → (state, due date, dropped from the program)
After = dict[str, tuple[str, str, bool]]

ROWS = [
    pytest.param(
        (Submit("5.10:2025", "2025-04-03"),),
        ((),),
        counts(),
        {"5.10:2025": ("submitted", "2025-12-30", False)},
        id="nothing changed: no-op, even after evidence came in",
    ),
    pytest.param(
        (),
        ((Term("5.10", "2025; 2026"),),),
        counts(recomputed=2, reference_changes=1),
        {"5.10:2025": ("open", "2025-12-30", False)},
        id="term reworded, same years: both obligations recomputed (rule 4 becomes rule 1)",
    ),
    pytest.param(
        (),
        ((Executors("1.8", ("minsoc", "minzdrav")),),),
        counts(recomputed=3, reference_changes=1),
        {"1.8:2026-06": ("open", "2026-06-30", False)},
        id="a co-executor taken off: the obligation and that executor's two 2026 reports",
    ),
    pytest.param(
        (),
        ((Term("1.8", "июль 2026"),),),
        counts(created=1, cancelled=1, recomputed=4, reference_changes=1),
        {
            "1.8:2026-06": ("cancelled", "2026-06-30", True),
            "1.8:2026-07": ("open", "2026-07-31", False),
        },
        id="term moved a month: new obligation, old one cancelled, four 2026-H1 reports",
    ),
    pytest.param(
        (Submit("5.10:2025", "2025-04-03"),),
        ((Term("5.10", "2025; 2026"),),),
        counts(recomputed=1, kept_submitted=1, reference_changes=1),
        {
            "5.10:2025": ("submitted", "2025-12-30", False),
            "5.10:2026": ("open", "2026-12-30", False),
        },
        id="term changed after evidence came in: the submitted one is kept as it is",
    ),
    pytest.param(
        (Submit("1.8:2026-06", "2025-04-03"),),
        ((Term("1.8", "июль 2026"),),),
        counts(created=1, recomputed=4, dropped_submitted=1, reference_changes=1),
        {
            "1.8:2026-06": ("submitted", "2026-06-30", True),
            "1.8:2026-07": ("open", "2026-07-31", False),
        },
        id="term moved a month after evidence came in: the submitted one is dropped, kept",
    ),
    pytest.param(
        (),
        ((Drop("8.3"),),),
        counts(cancelled=2, recomputed=6, reference_changes=1),
        {
            "8.3:2025-12": ("cancelled", "2025-12-30", True),
            "8.3:2026-12": ("cancelled", "2026-12-30", True),
        },
        id="activity removed: its two obligations cancelled, six annual reports recomputed",
    ),
    pytest.param(
        (),
        ((Drop("8.3"),), ()),
        counts(reopened=2, recomputed=6, reference_changes=1),
        {
            "8.3:2025-12": ("open", "2025-12-30", False),
            "8.3:2026-12": ("open", "2026-12-30", False),
        },
        id="activity removed, then re-added: its obligations reopened",
    ),
    pytest.param(
        (Submit("1.8:2026-06", "2025-04-03"),),
        ((Drop("1.8"),), ()),
        counts(reopened=1, kept_submitted=1, recomputed=8, reference_changes=1),
        {"1.8:2026-06": ("submitted", "2026-06-30", False)},
        id="activity with evidence removed, then re-added: restored as submitted",
    ),
    pytest.param(
        (NotApplicable("8.3:2025-12", "2025-04-03"),),
        ((Drop("8.3"),),),
        counts(cancelled=1, dropped_submitted=1, recomputed=6, reference_changes=1),
        {
            "8.3:2025-12": ("not_applicable", "2025-12-30", True),
            "8.3:2026-12": ("cancelled", "2026-12-30", True),
        },
        id="activity removed, one obligation not applicable: counted with the submitted ones",
    ),
    pytest.param(
        (),
        ((Add("2.7", like="2.5", term="декабрь 2025"),),),
        counts(created=1, recomputed=2, reference_changes=1),
        {"2.7:2025-12": ("open", "2025-12-30", False)},
        id="activity added: one obligation, its executor's and the consolidated 2025 reports",
    ),
    pytest.param(
        (),
        ((MonthlyDue(10),),),
        counts(recomputed=24),
        {"6.1:2025-03": ("open", "2025-04-14", False)},
        id="monthly reports due on the 10th working day: the 24 months of 6.1 recomputed",
    ),
    pytest.param(
        (Extend("6.1:2025-03", "2025-04-30", "2025-04-01"),),
        ((MonthlyDue(10),),),
        counts(recomputed=24),
        {"6.1:2025-03": ("open", "2025-04-30", False)},
        id="an extended obligation keeps its extended due date when the program's moves",
    ),
    pytest.param(
        (Extend("6.1:2025-03", "2025-04-10", "2025-04-01"),),
        ((MonthlyDue(10),),),
        counts(recomputed=24),
        {"6.1:2025-03": ("open", "2025-04-14", False)},
        id="an extension shorter than the amended program date does not shorten it",
    ),
    pytest.param(
        (Sweep("2025-04-08"),),
        ((MonthlyDue(10),),),
        counts(recomputed=24),
        {"6.1:2025-03": ("open", "2025-04-14", False)},
        id="overdue, then the amendment moves the due date past today: open again",
    ),
]


@pytest.mark.parametrize(("history", "versions", "expected", "after"), ROWS)
def test_sync_diff(
    synced: Engine,
    program: Program,
    store: EvidenceStore,
    history: tuple[Step, ...],
    versions: tuple[tuple[Change, ...], ...],
    expected: dict[str, int],
    after: After,
) -> None:
    for step in history:
        happen(synced, store, program, step)
    reports: list[SyncReport] = []
    for hour, changes in enumerate(versions, start=10):
        with session_scope(synced) as s:
            reports.append(
                sync_program(session=s, program=version(program, changes), at=at(SYNC_DAY, hour))
            )
    last = reports[-1]
    assert last.summary() == expected
    assert last.changed is any(expected.values())
    with session_scope(synced) as s:
        got = {}
        for ob in after:
            row = resolve_obligation(session=s, obligation_id=ob)
            got[ob] = (row.state, row.due.isoformat(), row.cancelled_in_version is not None)
    assert got == after
