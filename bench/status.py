"""2. ``status`` and the daily sweep at the scale of 85 regions, on SQLite and PostgreSQL.

A program has about 200 obligations, fourteen regions about 3 000, all 85 regions of the
country about 20 000. The Krasnoyarsk program is synced with the example contacts, then its
212 obligations are copied 94 times (ids ``…~k``) into the same program, to 20 140 live
obligations in a steady state: the even copies two years earlier (overdue, their escalation
ladder run out), the odd ones two years later (open, not due yet); the originals run as in
life.
Measured on working days in October 2025: ``status_as_of`` (every obligation's standing
and each owner's rates) and ``run_sweep`` without delivery (overdue marking, ladder planning,
messages recorded; sending is benchmark 4). Reference, in the same run: one hand-written SQL
query selecting the same overdue rows.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from typing import Any

import psycopg
from sqlalchemy import Engine, insert, select, text

from bench.common import Results, at, best, median, program, synced_database
from roadmap.dates.workdays import get_calendar
from services.sweep import run_sweep
from storage.db import session_scope
from storage.status import status_as_of
from storage.tables import ObligationOwnerRecord, ObligationRecord

COPIES = 94
SHIFT = dt.timedelta(weeks=104)  # whole weeks: the same weekdays
DAYS = [dt.date(2025, 10, 14), dt.date(2025, 10, 15), dt.date(2025, 10, 16)]
DATES = ("period_start", "period_end", "opens", "due", "program_due", "ladder_since",
         "ladder_anchor", "ladder_next_on", "fulfilled_on", "na_on")  # fmt: skip
OVERDUE_SQL = text(
    "SELECT id, due, lead FROM obligation WHERE program_id = :p AND cancelled_in_version IS NULL"
    " AND state IN ('open', 'overdue') AND due < :d"
)


def _populate(url: str) -> tuple[Engine, int]:
    engine = synced_database(url)
    with session_scope(engine) as s:
        rows = [dict(r._mapping) for r in s.execute(select(ObligationRecord.__table__))]
        owners = [dict(r._mapping) for r in s.execute(select(ObligationOwnerRecord.__table__))]
    for k in range(1, COPIES + 1):
        sign = -1 if k % 2 == 0 else 1
        copies = []
        for r in rows:
            c = {**r, "id": f"{r['id']}~{k}"}
            for f in DATES:
                if c[f] is not None:
                    c[f] = c[f] + sign * SHIFT
            if sign < 0:
                c["state"], c["ladder_next_on"] = "overdue", None
            copies.append(c)
        copy_owners = [{**o, "obligation_id": f"{o['obligation_id']}~{k}"} for o in owners]
        with session_scope(engine) as s:
            s.execute(insert(ObligationRecord.__table__), copies)
            s.execute(insert(ObligationOwnerRecord.__table__), copy_owners)
    with engine.connect() as c:
        c.execute(text("ANALYZE"))  # fresh statistics for the planner, on both backends
        c.commit()
        return engine, int(c.execute(text("SELECT count(*) FROM obligation")).scalar_one())


def _one_backend(results: Results, name: str, url: str) -> None:
    t = time.perf_counter()
    engine, total = _populate(url)
    print(f"  {name}: {total} obligations loaded in {time.perf_counter() - t:.0f} s", flush=True)
    prog, cal = program(), get_calendar("RU")
    first = DAYS[0]
    run_sweep(engine=engine, program=prog, as_of=first - dt.timedelta(days=1),
              now=at(first - dt.timedelta(days=1)), calendar=cal, transports=None)  # fmt: skip

    def reference() -> Any:
        with engine.connect() as c:
            return c.execute(OVERDUE_SQL, {"p": prog.id, "d": first}).all()

    overdue = len(reference())
    ref = best(reference)

    def status() -> Any:
        with session_scope(engine) as s:
            return status_as_of(session=s, program_id=prog.id, as_of=first, calendar=cal)

    report = status()
    assert len(report.items) == total
    assert sum(1 for i in report.items if i.entry.status == "overdue") >= overdue * 0.9
    t_status = best(status, repeat=3)
    sweeps, steps = [], 0
    for day in DAYS:
        t = time.perf_counter()
        rep = run_sweep(engine=engine, program=prog, as_of=day, now=at(day), calendar=cal,
                        transports=None)  # fmt: skip
        sweeps.append(time.perf_counter() - t)
        steps += rep.plan.recorded
    t_sweep = median(sweeps)
    results.add("status", f"{name}: reference SQL, {overdue} overdue of {total}",
                f"{ref * 1000:.0f} ms")  # fmt: skip
    # plain code at the scale of the country: within a second (the hand-written query only
    # selects the overdue ids, the status classifies every obligation and counts the rates)
    results.add("status", f"{name}: status over {total}",
                f"{t_status * 1000:.0f} ms = {t_status / ref:.1f}× reference",
                "< 1 s", t_status < 1)  # fmt: skip
    results.add("status", f"{name}: daily sweep ({steps // len(DAYS)} messages recorded a day)",
                f"{t_sweep * 1000:.0f} ms = {t_sweep / ref:.1f}× reference",
                "< 1 s, ≤ 3×", t_sweep < 1 and t_sweep <= 3 * ref)  # fmt: skip
    engine.dispose()


def run(results: Results) -> None:
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        _one_backend(results, "SQLite", f"sqlite:///{tmp}/bench.db")
    admin = os.environ.get(
        "ROADMAP_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    )
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS roadmap_bench")
        c.execute("CREATE DATABASE roadmap_bench")
    try:
        _one_backend(results, "PostgreSQL", admin.rsplit("/", 1)[0] + "/roadmap_bench")
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS roadmap_bench WITH (FORCE)")
