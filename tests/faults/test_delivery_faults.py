"""Delivery faults caused for real: an SMTP server that is down for days, a sender killed with
SIGKILL mid-batch, two workers sweeping the same day, sweeps missed while Prefect was down."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from notifications.delivery import make_transports
from notifications.sending import deliver
from notifications.sweep import run_sweep
from roadmap.contacts import load_contacts
from roadmap.program import Program
from roadmap.workdays import get_calendar
from storage.contacts import replace_contacts
from storage.db import open_database, session_scope
from storage.outbox import outbox_items
from storage.sync import sync_program
from storage.tables import OutboxRecord
from tests.db import SYNC_AT, at
from tests.fixtures import CONTACTS
from tests.peers import SmtpServer, free_port, smtp_server

ROOT = Path(__file__).resolve().parents[2]


def sweep(engine: Engine, program: Program, day: str, smtp_url: str | None, tmp: Path):  # type: ignore[no-untyped-def]
    tr = None
    if smtp_url is not None:
        tr = make_transports(outbox_dir=tmp / "outbox", smtp_url=smtp_url, telegram_token=None,
                             telegram_api_url="http://127.0.0.1:9/bot", mail_from="r@example.org")  # fmt: skip
    return run_sweep(engine=engine, program=program, as_of=dt.date.fromisoformat(day),
                     now=at(day, 10), calendar=get_calendar(), transports=tr)  # fmt: skip


def send(engine: Engine, program: Program, smtp: SmtpServer, tmp: Path, now: dt.datetime):  # type: ignore[no-untyped-def]
    tr = make_transports(outbox_dir=tmp / "outbox", smtp_url=smtp.url, telegram_token=None,
                         telegram_api_url="http://127.0.0.1:9/bot", mail_from="r@example.org")  # fmt: skip
    return deliver(engine=engine, now=now, transports=tr, zone=ZoneInfo(program.timezone),
                   calendar=get_calendar(), program_title=program.title)  # fmt: skip


def emails(engine: Engine) -> list[OutboxRecord]:
    with session_scope(engine) as s:
        return [i for i in outbox_items(session=s) if i.channel == "email"]


def expected_ids(items: list[OutboxRecord]) -> set[str]:
    """The Message-ID of every e-mail batch that was sent (a digest: one per batch)."""
    batches: dict[str, list[OutboxRecord]] = {}
    for i in items:
        batches.setdefault(i.batch_id or str(i.id), []).append(i)
    return {
        b[0].message_id if len(b) == 1 else f"<digest-{b[0].batch_id}@{b[0].program_id}.roadmap>"
        for b in batches.values()
    }


def received_ids(smtp: SmtpServer) -> list[str]:
    ids = []
    for m in smtp.messages:
        found = m.get_all("Message-ID") or []
        assert len(found) == 1, found
        ids.append(str(found[0]))
    return ids


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def worker(action: str, engine: Engine, smtp: SmtpServer, day: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.faults.worker", action, url_of(engine), smtp.url, day],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def test_smtp_down_for_three_days_then_back_delivers_each_once_late_and_visibly(
    with_contacts: Engine, program: Program, tmp_path: Path
) -> None:
    port = free_port()  # nothing listens there until the server comes back
    down = ["2025-05-05", "2025-05-06", "2025-05-07"]  # 8–11 May are days off
    for day in down:
        report = sweep(
            with_contacts, program, day, f"mailto://127.0.0.1:{port}?from=r@example.org", tmp_path
        )
        assert report.delivery is not None and not report.delivery.failed
    waiting = emails(with_contacts)
    assert waiting and all(i.state == "pending" and i.last_error for i in waiting)
    first_day = [i for i in waiting if i.scheduled_for == dt.date(2025, 5, 5)]
    assert first_day and all(i.attempts == 3 for i in first_day)

    with smtp_server(port) as smtp:
        report = sweep(with_contacts, program, "2025-05-12", smtp.url, tmp_path)
        assert report.delivery is not None and not report.delivery.failed
        items = emails(with_contacts)
        ids = received_ids(smtp)
    assert all(i.state == "sent" for i in items)
    assert len(ids) == len(set(ids)) == len(expected_ids(items))
    assert set(ids) == expected_ids(items)
    for i in first_day:  # what `roadmap outbox --json` shows as date, sent_at and attempts
        sent = next(x for x in items if x.id == i.id)
        assert sent.sent_at is not None
        assert sent.sent_at.astimezone(dt.timezone(dt.timedelta(hours=7))).date() == dt.date(
            2025, 5, 12
        )
        assert sent.scheduled_for == dt.date(2025, 5, 5) and sent.attempts == 4


def test_a_sender_killed_mid_batch_loses_nothing_and_resends_only_the_one_in_flight(
    with_contacts: Engine, program: Program, tmp_path: Path
) -> None:
    sweep(with_contacts, program, "2025-01-09", None, tmp_path)  # the opening notices, recorded
    with smtp_server() as smtp:
        smtp.delay = 0.5  # each message is held before the 250: time to die with one in flight
        proc = worker("deliver", with_contacts, smtp, "2025-01-09")
        end = time.monotonic() + 60
        while len(smtp.messages) < 3 and time.monotonic() < end and proc.poll() is None:
            time.sleep(0.02)
        proc.kill()
        proc.wait()
        assert proc.returncode == -9
        before = received_ids(smtp)
        smtp.delay = 0
        claimed = at("2025-01-09", 10)
        soon = send(with_contacts, program, smtp, tmp_path, claimed + dt.timedelta(minutes=5))
        assert not soon.sent, "a claim is not taken over within its lease"
        later = send(with_contacts, program, smtp, tmp_path, claimed + dt.timedelta(minutes=11))
        assert later.sent and not later.failed
        ids = received_ids(smtp)
    items = emails(with_contacts)
    assert all(i.state == "sent" for i in items)
    assert set(ids) == expected_ids(items)
    twice = [m for m, n in Counter(ids).items() if n > 1]
    assert len(twice) <= 1 and len(ids) == len(set(ids)) + len(twice)
    if twice:  # the one in flight, resent under the same Message-ID
        assert twice == [before[-1]]


def test_two_workers_sweeping_the_same_day_send_each_message_once(
    with_contacts: Engine, program: Program, tmp_path: Path
) -> None:
    with smtp_server() as smtp:
        procs = [worker("sweep", with_contacts, smtp, "2025-01-09") for _ in range(2)]
        assert [p.wait(120) for p in procs] == [0, 0]
        ids = received_ids(smtp)
    items = emails(with_contacts)
    keys = Counter((i.obligation_id, i.step, i.contact_id, i.channel) for i in items)
    assert items and max(keys.values()) == 1
    assert all(i.state == "sent" for i in items)
    assert len(ids) == len(set(ids)) and set(ids) == expected_ids(items)


def test_sweeps_missed_while_prefect_was_down_are_caught_up_once_in_any_order(
    with_contacts: Engine, program: Program, tmp_path: Path
) -> None:
    days = ["2025-01-09", "2025-01-10", "2025-01-13", "2025-01-14"]
    reference = open_database(f"sqlite:///{tmp_path / 'daily.db'}")
    with session_scope(reference) as s:
        sync_program(session=s, program=program, at=SYNC_AT)
        replace_contacts(session=s, program_id=program.id, specs=load_contacts(CONTACTS, program),
                         by="test", at=SYNC_AT)  # fmt: skip
    for day in days:
        sweep(reference, program, day, None, tmp_path)
    # down on the 9th, 10th and 13th: on the 14th its run comes first, then the late runs
    for day in [days[3], days[0], days[1], days[2], days[3]]:
        sweep(with_contacts, program, day, None, tmp_path)

    def steps(engine: Engine) -> Counter[tuple[str, str, str, str, str]]:
        with session_scope(engine) as s:
            return Counter((i.obligation_id, i.step, i.recipient_org, i.recipient_role, i.channel)
                           for i in outbox_items(session=s))  # fmt: skip

    caught_up, daily = steps(with_contacts), steps(reference)
    reference.dispose()
    assert daily and caught_up == daily
    assert max(caught_up.values()) == 1
