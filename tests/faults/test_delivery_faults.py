"""Delivery faults caused for real: an SMTP server that is down for days, a sender killed with
SIGKILL mid-batch, two workers sweeping the same day; and sweeps run late in any order (the
real Prefect outage, a server stopped and started again, is
``tests/flows/test_faults_and_secrets.py``)."""

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

from notifications.delivery import Transports, make_transports
from notifications.sending import deliver
from roadmap.dates.workdays import get_calendar
from roadmap.program.model import Program
from services.sweep import run_sweep
from storage.db import session_scope
from storage.outbox import outbox_items
from storage.tables import OutboxRecord
from tests.db import at
from tests.faults.daily import AFTER_OUTAGE, recorded_steps, swept_every_day
from tests.peers import SmtpServer, free_port, smtp_server

ROOT = Path(__file__).resolve().parents[2]


def transports(smtp_url: str, tmp: Path) -> Transports:
    """E-mail to ``smtp_url``, Telegram to the file outbox."""
    return make_transports(outbox_dir=tmp / "outbox", smtp_url=smtp_url, telegram_token=None,
                           telegram_api_url="http://127.0.0.1:9/bot", mail_from="r@example.org")  # fmt: skip


def sweep(engine: Engine, program: Program, day: str, smtp_url: str | None, tmp: Path):  # type: ignore[no-untyped-def]
    tr = transports(smtp_url, tmp) if smtp_url is not None else None
    return run_sweep(engine=engine, program=program, as_of=dt.date.fromisoformat(day),
                     now=at(day, 10), calendar=get_calendar(), transports=tr)  # fmt: skip


def send(engine: Engine, program: Program, smtp: SmtpServer, tmp: Path, now: dt.datetime):  # type: ignore[no-untyped-def]
    return deliver(engine=engine, now=now, transports=transports(smtp.url, tmp), zone=ZoneInfo(program.timezone),
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


def test_sweeps_run_late_in_any_order_record_each_reminder_once(
    with_contacts: Engine, program: Program, tmp_path: Path
) -> None:
    for day in AFTER_OUTAGE:
        sweep(with_contacts, program, day, None, tmp_path)
    caught_up = recorded_steps(with_contacts)
    assert caught_up and caught_up == swept_every_day(program, tmp_path / "daily.db")
    assert max(caught_up.values()) == 1
