"""A ladder step that reached nobody stays due: it goes out once a contact exists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine

from notifications.delivery import FileTransport, Transports
from roadmap.dates.workdays import get_calendar
from roadmap.program.contacts import load_contacts
from roadmap.program.model import Program
from services.sweep import SweepReport, run_sweep
from storage.contacts import replace_contacts
from storage.db import session_scope
from storage.outbox import outbox_items
from tests.db import at
from tests.fixtures import CONTACTS

DAY1, DAY2, DAY3 = dt.date(2025, 1, 9), dt.date(2025, 1, 10), dt.date(2025, 1, 13)


def sweep(engine: Engine, program: Program, day: dt.date, outbox: Path) -> SweepReport:
    transports = Transports(files=FileTransport(outbox, "robot@example.org"))
    return run_sweep(
        engine=engine,
        program=program,
        as_of=day,
        now=at(day.isoformat()),
        calendar=get_calendar(program.calendar),
        transports=transports,
    )


def opening_notices(engine: Engine) -> dict[str, set[str]]:
    """Opening notices recorded, by obligation: the organisations they went to."""
    with session_scope(engine) as s:
        items = [i for i in outbox_items(session=s) if i.step == "open"]
    out: dict[str, set[str]] = {}
    for i in items:
        out.setdefault(i.obligation_id or "", set()).add(i.recipient_org)
    return out


def test_a_step_with_no_contact_is_sent_once_the_contact_exists(
    synced: Engine, program: Program, tmp_path: Path
) -> None:
    first = sweep(synced, program, DAY1, tmp_path / "outbox")
    unreached = first.plan.unaddressed
    opened = {u.obligation_id for u in unreached if u.step == "open"}
    assert opened, "with no contacts loaded every opening notice reaches nobody"
    assert opening_notices(synced) == {}

    # still nobody the next day: the steps are reported again, nothing is recorded
    again = sweep(synced, program, DAY2, tmp_path / "outbox")
    assert {u.obligation_id for u in again.plan.unaddressed if u.step == "open"} >= opened
    assert opening_notices(synced) == {}

    with session_scope(synced) as s:
        specs = load_contacts(CONTACTS, program)
        replace_contacts(
            session=s, program_id=program.id, specs=specs, by="test", at=at("2025-01-13", 8)
        )
    sweep(synced, program, DAY3, tmp_path / "outbox")
    sent = opening_notices(synced)
    monitoring = f"{program.id}:6.1:2025-01"
    assert monitoring in opened and sent[monitoring] >= {"minsoc", "minobr", "minzdrav"}

    # once reached, a step is not planned again
    counted = sum(len(orgs) for orgs in sent.values())
    sweep(synced, program, DAY3 + dt.timedelta(days=1), tmp_path / "outbox")
    assert sum(len(orgs) for orgs in opening_notices(synced).values()) == counted
