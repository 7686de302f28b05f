"""An activity counted from an event (``due_set_by_person``): nothing is stored or reminded
until a person sets its due date; from then on it is an obligation like any other. On both
backends, and with two processes setting the same date at once."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import random
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from roadmap.dates.date_window import DateOutOfRange
from roadmap.obligations.states import State
from roadmap.program.contacts import load_contacts
from roadmap.program.loader import DEFAULT_PROGRAM, load_program
from roadmap.program.model import Program
from roadmap.views.overview import overview_markdown
from services import due_dates
from services.answers import Who
from services.overview import overview_on
from services.runtime import Runtime
from services.settings import Settings
from services.status import status_on
from services.sweep import sweep_day
from storage.contacts import replace_contacts
from storage.db import session_scope
from storage.due_settings import DueAlreadySet
from storage.errors import NotFound
from storage.sync import sync_program
from storage.tables import (
    AuditRecord,
    DueSettingRecord,
    ObligationOwnerRecord,
    ObligationRecord,
    OutboxRecord,
)
from tests.db import SYNC_AT, at
from tests.fixtures import CONTACTS

TERM = "в 30-дневный срок со дня вступления в силу закона края"
OB = "krasnoyarsk-2025-2026:3.4:2025..2026"
COORDINATOR = Who("координатор", "cli")


def marked_program(where: Path, other_term: str | None = None) -> Path:
    """The embedded program with activity 3.4 counted from an event and marked so."""
    folder = where / "program"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(DEFAULT_PROGRAM, folder)
    f = folder / "activities.yaml"
    text = f.read_text("utf-8")
    start = text.index("number: '3.4'") if "number: '3.4'" in text else text.index("number: 3.4")
    head, tail = text[:start], text[start:]
    tail = tail.replace("  term: декабрь 2025", f"  term: {TERM}\n  due_set_by_person: true", 1)
    if other_term:  # an amendment elsewhere: activity 3.5 moves to November
        tail = tail.replace("  term: декабрь 2025", f"  term: {other_term}", 1)
    f.write_text(head + tail, "utf-8")
    return folder


def runtime(engine: Engine, program: Program, day: str) -> Runtime:
    clock = at(day, 9)
    return Runtime(
        Settings(prefect_api_url=None),
        clock=lambda: clock,
        program_override=program,
        engine_override=engine,
        offline=True,
    )


@pytest.fixture
def marked(engine: Engine, tmp_path: Path) -> Program:
    program = load_program(marked_program(tmp_path))
    with session_scope(engine) as s:
        sync_program(session=s, program=program, at=SYNC_AT)
        specs = load_contacts(CONTACTS, program)
        replace_contacts(session=s, program_id=program.id, specs=specs, by="test", at=SYNC_AT)
    return program


def messages_about(engine: Engine, ob: str) -> list[OutboxRecord]:
    with session_scope(engine) as s:
        stmt = select(OutboxRecord).where(OutboxRecord.obligation_id == ob)
        return list(s.exec(stmt.order_by(col(OutboxRecord.id))))


def sweep(engine: Engine, program: Program, first: dt.date, last: dt.date) -> None:
    day = first
    while day <= last:
        sweep_day(runtime(engine, program, day.isoformat()), as_of=day, send=False)
        day += dt.timedelta(days=1)


def test_nothing_is_stored_or_reminded_until_the_due_date_is_set(
    engine: Engine, marked: Program
) -> None:
    rt = runtime(engine, marked, "2025-03-14")
    [listed] = due_dates.pending(rt)
    assert (listed.pending.id, listed.setting) == (OB, None)
    with session_scope(engine) as s:
        assert s.get(ObligationRecord, OB) is None
    sweep(engine, marked, dt.date(2025, 3, 1), dt.date(2025, 3, 13))
    assert messages_about(engine, OB) == []
    text = overview_markdown(overview_on(rt, dt.date(2025, 3, 14)))
    assert "## Срок не установлен" in text and "| 3.4:2025..2026 | 2025–2026 годы |" in text

    row = due_dates.set_due(
        rt,
        obligation_id="3.4:2025..2026",
        due=dt.date(2025, 4, 14),
        basis="закон края от 13.03.2025 № 9-1234 вступил в силу 15.03.2025",
        who=COORDINATOR,
    )
    assert (row.id, row.state, row.due, row.program_due) == (
        OB,
        State.OPEN,
        dt.date(2025, 4, 14),
        dt.date(2025, 4, 14),
    )
    [listed] = due_dates.pending(rt)
    assert listed.setting is not None and listed.setting.set_by == "координатор"
    assert "Срок не установлен" not in overview_markdown(overview_on(rt, dt.date(2025, 3, 14)))

    sweep(engine, marked, dt.date(2025, 3, 14), dt.date(2025, 4, 16))
    sent = messages_about(engine, OB)
    assert sent, "once set, the ladder reminds the executors"
    assert {m.recipient_org for m in sent} >= {"minsoc"}
    assert min(m.scheduled_for for m in sent) >= dt.date(2025, 3, 14)
    assert any("14 апреля 2025" in m.body_text for m in sent)
    with session_scope(engine) as s:
        stored = s.get(ObligationRecord, OB)
        assert stored is not None and stored.state == State.OVERDUE
        owners = s.exec(
            select(ObligationOwnerRecord.org_id).where(ObligationOwnerRecord.obligation_id == OB)
        ).all()
        assert sorted(owners) == ["minsoc", "rmc"]


def test_a_date_set_later_is_not_seen_as_of_the_day_before(engine: Engine, marked: Program) -> None:
    rt = runtime(engine, marked, "2025-03-14")
    due_dates.set_due(rt, obligation_id="3.4:2025..2026", due=dt.date(2025, 4, 14),
                      basis="закон края вступил в силу 15.03.2025", who=COORDINATOR)  # fmt: skip
    before, after = dt.date(2025, 3, 13), dt.date(2025, 3, 14)
    assert [p.setting for p in due_dates.pending(rt, as_of=before)] == [None]
    assert "## Срок не установлен" in overview_markdown(overview_on(rt, before))
    assert OB not in {i.facts.id for i in status_on(rt, before).items}
    assert [p.setting is not None for p in due_dates.pending(rt, as_of=after)] == [True]
    assert OB in {i.facts.id for i in status_on(rt, after).items}


def test_a_set_date_is_set_once_and_refusals_write_nothing(engine: Engine, marked: Program) -> None:
    rt = runtime(engine, marked, "2025-03-14")
    basis = "закон вступил в силу 15.03.2025"

    def attempt(ob: str, due: dt.date, why: str = basis) -> None:
        due_dates.set_due(rt, obligation_id=ob, due=due, basis=why, who=COORDINATOR)

    with pytest.raises(ValueError, match="основание"):
        attempt(OB, dt.date(2025, 4, 14), "  ")
    with pytest.raises(DateOutOfRange, match="срок: 01.01.2030 вне допустимых дат"):
        attempt(OB, dt.date(2030, 1, 1))
    with pytest.raises(ValueError, match="раньше начала периода"):
        attempt(OB, dt.date(2024, 12, 31))
    with pytest.raises(NotFound, match="установлен программой .*roadmap extend request"):
        attempt("3.5:2025-12", dt.date(2025, 12, 1))
    with pytest.raises(NotFound, match="Сроки устанавливаются по обязательствам: 3.4:2025..2026"):
        attempt("9.9:2025-12", dt.date(2025, 12, 1))
    with session_scope(engine) as s:
        assert s.exec(select(DueSettingRecord)).all() == []
        assert s.get(ObligationRecord, OB) is None

    attempt(OB, dt.date(2025, 4, 14))
    with pytest.raises(DueAlreadySet, match=r"уже установлен: 14.04.2025 \(координатор"):
        attempt(OB, dt.date(2025, 5, 14))
    with session_scope(engine) as s:
        [setting] = s.exec(select(DueSettingRecord)).all()
        assert setting.due == dt.date(2025, 4, 14)
        audits = s.exec(
            select(AuditRecord.action).where(
                AuditRecord.entity_id == OB, AuditRecord.action == "due_set"
            )
        ).all()
        assert audits == ["due_set"]


def test_a_program_amendment_keeps_a_set_date(
    engine: Engine, marked: Program, tmp_path: Path
) -> None:
    rt = runtime(engine, marked, "2025-03-14")
    due_dates.set_due(
        rt, obligation_id=OB, due=dt.date(2025, 4, 14), basis="закон", who=COORDINATOR
    )
    amended = load_program(marked_program(tmp_path, other_term="ноябрь 2025"))
    with session_scope(engine) as s:
        report = sync_program(session=s, program=amended, at=at("2025-03-20"))
    assert report.changed and OB not in report.cancelled
    with session_scope(engine) as s:
        row = s.get(ObligationRecord, OB)
        assert row is not None
        assert (row.state, row.due, row.cancelled_in_version) == (
            State.OPEN,
            dt.date(2025, 4, 14),
            None,
        )

    # the activity loses its mark and gets a calendar term: the person's date no longer
    # applies, and the obligation under the old id is dropped like any other
    folder = tmp_path / "program"
    f = folder / "activities.yaml"
    f.write_text(
        f.read_text("utf-8").replace(
            f"  term: {TERM}\n  due_set_by_person: true", "  term: 2025 год"
        ),
        "utf-8",
    )
    with session_scope(engine) as s:
        report = sync_program(session=s, program=load_program(folder), at=at("2025-03-21"))
    assert OB in report.cancelled


ROUNDS = 25


def _set(url: str, folder: str, due: str, barrier: Any, out: str) -> None:
    """One process: each round, meet the others at the barrier and set the date."""
    from roadmap.errors import RoadmapError
    from storage.db import make_engine

    program = load_program(Path(folder))
    engine = make_engine(url)
    rt = runtime(engine, program, "2025-03-14")
    rng = random.Random(out)
    outcomes: list[str] = []
    for _ in range(ROUNDS):
        barrier.wait(timeout=60)
        time.sleep(rng.random() / 1000)
        try:
            due_dates.set_due(
                rt,
                obligation_id=OB,
                due=dt.date.fromisoformat(due),
                basis=f"процесс {due}",
                who=Who(due, "test"),
            )
            outcomes.append("ok")
        except RoadmapError as exc:
            outcomes.append("refused:" + type(exc).__name__)
        except Exception as exc:  # anything else is what the test looks for
            outcomes.append(f"error:{type(exc).__name__}: {exc}")
        barrier.wait(timeout=60)  # the parent checks and clears the round
        barrier.wait(timeout=60)
    Path(out).write_text(json.dumps(outcomes))


def test_two_processes_setting_one_date_at_once(
    engine: Engine, database_url: str, marked: Program, tmp_path: Path
) -> None:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(3)
    dues = ("2025-04-14", "2025-04-15")
    outs = [str(tmp_path / f"out-{i}.json") for i in range(2)]
    folder = str(tmp_path / "program")
    procs = [
        ctx.Process(target=_set, args=(database_url, folder, due, barrier, out))
        for due, out in zip(dues, outs, strict=True)
    ]
    for p in procs:
        p.start()
    winners: list[str] = []
    try:
        for _ in range(ROUNDS):
            barrier.wait(timeout=120)  # both act
            barrier.wait(timeout=120)  # both done
            with session_scope(engine) as s:
                [setting] = s.exec(select(DueSettingRecord)).all()
                row = s.get(ObligationRecord, OB)
                assert row is not None and row.due == setting.due
                assert setting.set_by == setting.due.isoformat()
                winners.append(setting.set_by)
                s.execute(delete(DueSettingRecord))
                s.execute(
                    delete(ObligationOwnerRecord).where(
                        col(ObligationOwnerRecord.obligation_id) == OB
                    )
                )
                s.execute(delete(AuditRecord).where(col(AuditRecord.entity_id) == OB))
                s.execute(delete(ObligationRecord).where(col(ObligationRecord.id) == OB))
            barrier.wait(timeout=120)  # next round
    finally:
        for p in procs:
            p.join(timeout=120)
    outcomes = [json.loads(Path(o).read_text()) for o in outs]
    for k in range(ROUNDS):
        assert sorted((outcomes[0][k], outcomes[1][k])) == ["ok", "refused:DueAlreadySet"], k
    assert [dues[0] if o == "ok" else dues[1] for o in outcomes[0]] == winners


def test_its_deployment_has_no_schedule_and_says_who_dates_it(tmp_path: Path) -> None:
    from flows.deployments import deployment_specs
    from roadmap.dates.workdays import get_calendar

    program = load_program(marked_program(tmp_path))
    specs = deployment_specs(program, get_calendar(program.calendar))
    [spec] = [s for s in specs if s.parameters.get("activity") == "3.4"]
    assert spec.schedules == ()
    assert "устанавливаются командой roadmap due set" in spec.description
