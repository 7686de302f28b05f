"""The whole ladder over simulated days, through a real SMTP server and a local Bot API.

Four obligations: one never submitted, one submitted on time, one submitted after
escalation level 1, one rejected after its due date and resubmitted. Exactly the expected
messages go to the expected people on the expected dates (counted by hand on the
production calendar: 12–13 June 2025 are days off).
"""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy.engine import Engine

from notifications.delivery import make_transports
from roadmap.dates.workdays import get_calendar
from roadmap.program.model import Program
from services.sweep import run_sweep
from storage.db import session_scope
from storage.evidence import EvidenceStore, record_evidence, review_evidence
from storage.outbox import outbox_items
from tests.db import at
from tests.peers import BotApi, SmtpServer
from tests.storage.files import PDF

PID = "krasnoyarsk-2025-2026"
NEVER = f"{PID}:1.5:2025-H1"  # minobr, «январь - июнь 2025», due 2025-06-30
ON_TIME = f"{PID}:5.20:2025-12"  # minobr, «декабрь 2025», due 2025-12-30
AFTER_ESCALATION = f"{PID}:2.4:2025-H1"  # the commission (through its government office)
REJECTED = f"{PID}:1.3:2025-07"  # the commission, «июль 2025», due 2025-07-31

COORDINATOR = "Ольга Николаевна Белова"
EXPECTED = {
    NEVER: [
        ("2025-01-09", "open", "Марина Олеговна Соколова", "email"),
        ("2025-06-16", "remind-10", "Марина Олеговна Соколова", "email"),
        ("2025-06-25", "remind-3", "Марина Олеговна Соколова", "email"),
        ("2025-06-30", "due", "Марина Олеговна Соколова", "email"),
        ("2025-07-01", "overdue", "Марина Олеговна Соколова", "email"),
        ("2025-07-07", "escalate-1", "Игорь Павлович Лебедев", "email"),
        ("2025-07-07", "escalate-1", COORDINATOR, "email"),
        ("2025-07-07", "escalate-1", COORDINATOR, "telegram"),
        ("2025-07-14", "escalate-2", "Юлия Александровна Семенова", "email"),
        ("2025-07-14", "escalate-2", "Юлия Александровна Семенова", "telegram"),
        ("2025-07-28", "escalate-3", "Наталья Владимировна Павлова", "email"),
    ],
    ON_TIME: [
        ("2025-12-01", "open", "Марина Олеговна Соколова", "email"),
        ("2025-12-16", "remind-10", "Марина Олеговна Соколова", "email"),
    ],
    AFTER_ESCALATION: [
        ("2025-01-09", "open", "Елена Сергеевна Волкова", "email"),
        ("2025-06-16", "remind-10", "Елена Сергеевна Волкова", "email"),
        ("2025-06-25", "remind-3", "Елена Сергеевна Волкова", "email"),
        ("2025-06-30", "due", "Елена Сергеевна Волкова", "email"),
        ("2025-07-01", "overdue", "Елена Сергеевна Волкова", "email"),
        ("2025-07-07", "escalate-1", "Дмитрий Андреевич Новиков", "email"),
        ("2025-07-07", "escalate-1", COORDINATOR, "email"),
        ("2025-07-07", "escalate-1", COORDINATOR, "telegram"),
    ],
    REJECTED: [
        ("2025-07-01", "open", "Елена Сергеевна Волкова", "email"),
        ("2025-07-17", "remind-10", "Елена Сергеевна Волкова", "email"),
        # rejected on 5 August, after the due date: the ladder restarts from «overdue»
        ("2025-08-05", "overdue", "Елена Сергеевна Волкова", "email"),
    ],
}
EVENTS = {
    "2025-07-08": ("submit", AFTER_ESCALATION),
    "2025-07-22": ("submit", REJECTED),
    "2025-08-05": ("reject", REJECTED),
    "2025-08-08": ("submit", REJECTED),
    "2025-12-20": ("submit", ON_TIME),
}


def test_ladder_sends_exactly_the_expected_messages(
    with_contacts: Engine,
    program: Program,
    smtp: SmtpServer,
    telegram: BotApi,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    cal = get_calendar()
    store = EvidenceStore(tmp_path / "evidence")
    transports = make_transports(outbox_dir=tmp_path / "outbox", smtp_url=smtp.url,
                                 telegram_token="123456:TEST-token", telegram_api_url=telegram.url,
                                 mail_from="robot@roadmap.example.org")  # fmt: skip
    day = dt.date(2025, 1, 9)
    while day <= dt.date(2026, 1, 31):
        event = EVENTS.get(day.isoformat())
        if event:
            with session_scope(with_contacts) as s:
                if event[0] == "submit":
                    record_evidence(session=s, store=store, obligation_id=event[1],
                                    stream=io.BytesIO(PDF), original_name="d.pdf",
                                    submitted_by="исполнитель", channel="cli", at=at(day.isoformat(), 9),
                                    max_bytes=1 << 20)  # fmt: skip
                else:
                    review_evidence(session=s, obligation_id=event[1], accept=False,
                                    comment="нет подписи", reviewer="координатор", channel="cli",
                                    at=at(day.isoformat(), 9))  # fmt: skip
        if cal.is_working_day(day):
            run_sweep(engine=with_contacts, program=program, as_of=day, now=at(day.isoformat(), 10),
                      calendar=cal, transports=transports, obligation_ids=list(EXPECTED))  # fmt: skip
        day += dt.timedelta(days=1)

    with session_scope(with_contacts) as s:
        items = outbox_items(session=s, program_id=PID)
    got = {ob: [] for ob in EXPECTED}  # type: ignore[var-annotated]
    for i in items:
        got[i.obligation_id].append(
            (i.scheduled_for.isoformat(), i.step, i.recipient_name, i.channel)
        )
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in EXPECTED.items()}
    assert all(i.state == "sent" for i in items)
    # each sent on the day it fell due (the sweep ran every working day at 10:00)
    assert all(i.sent_at is not None and i.sent_at.date() == i.scheduled_for for i in items)
    # what the peers received: e-mails (digests gather one recipient's items of a day) and
    # Telegram messages, each item once
    emails = smtp.wait_for(len({i.batch_id for i in items if i.channel == "email"}))
    ids = [m["Message-ID"] for m in emails]
    assert len(ids) == len(set(ids))
    assert len(telegram.delivered) == len({i.batch_id for i in items if i.channel == "telegram"})
