"""What the daily sweep records when it runs every working day: the reference the missed-run
tests (engine and Prefect paths) compare with."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from sqlalchemy.engine import Engine

from roadmap.dates.workdays import get_calendar
from roadmap.program.contacts import load_contacts
from roadmap.program.model import Program
from services.sweep import run_sweep
from storage.contacts import replace_contacts
from storage.db import open_database, session_scope
from storage.outbox import outbox_items
from storage.sync import sync_program
from tests.db import SYNC_AT, at
from tests.fixtures import CONTACTS

DAYS = ["2025-01-09", "2025-01-10", "2025-01-13", "2025-01-14"]
# the server was down over the first three: back on the last, that day's run goes first,
# then the late runs of the days it missed, then the last day once more (a rerun)
AFTER_OUTAGE = [DAYS[3], *DAYS[:3], DAYS[3]]

Step = tuple[str, str, str, str, str]


def recorded_steps(engine: Engine) -> Counter[Step]:
    """How many times each (obligation, step, recipient org, role, channel) was recorded."""
    with session_scope(engine) as s:
        return Counter((i.obligation_id, i.step, i.recipient_org, i.recipient_role, i.channel)
                       for i in outbox_items(session=s))  # fmt: skip


def swept_every_day(program: Program, path: Path) -> Counter[Step]:
    """A fresh SQLite database at ``path``, swept (recording only) on each of ``DAYS``."""
    engine = open_database(f"sqlite:///{path}")
    try:
        with session_scope(engine) as s:
            sync_program(session=s, program=program, at=SYNC_AT)
            replace_contacts(session=s, program_id=program.id,
                             specs=load_contacts(CONTACTS, program), by="test", at=SYNC_AT)  # fmt: skip
        for day in DAYS:
            run_sweep(engine=engine, program=program, as_of=dt.date.fromisoformat(day),
                      now=at(day), calendar=get_calendar(), transports=None)  # fmt: skip
        return recorded_steps(engine)
    finally:
        engine.dispose()
