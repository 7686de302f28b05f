"""E-mail through a real SMTP server: recipients, subject, both parts, one Message-ID, no duplicates."""

from __future__ import annotations

import datetime as dt
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from notifications.delivery import make_transports
from notifications.sending import deliver
from roadmap.program import Program
from roadmap.workdays import get_calendar
from services.sweep import run_sweep
from storage.db import session_scope
from storage.outbox import outbox_items
from tests.db import at
from tests.peers import SmtpServer

ZONE = ZoneInfo("Asia/Krasnoyarsk")
OB = "krasnoyarsk-2025-2026:1.5:2025-H1"


def subject(m: Message) -> str:
    return str(make_header(decode_header(m["Subject"])))


def parts(m: Message) -> dict[str, str]:
    return {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in m.walk()
        if not p.is_multipart()
    }


def transports(smtp: SmtpServer, tmp: Path):  # type: ignore[no-untyped-def]
    return make_transports(outbox_dir=tmp, smtp_url=smtp.url, telegram_token=None,
                           telegram_api_url="http://127.0.0.1:9/bot", mail_from="r@example.org")  # fmt: skip


def sweep(engine: Engine, program: Program, day: str, tr, hour: int = 10, ids=None):  # type: ignore[no-untyped-def]
    return run_sweep(engine=engine, program=program, as_of=dt.date.fromisoformat(day),
                     now=at(day, hour), calendar=get_calendar(), transports=tr,
                     obligation_ids=ids if ids is not None else [OB])  # fmt: skip


def test_escalation_mail_has_both_parts_one_message_id_and_threads(
    with_contacts: Engine, program: Program, smtp: SmtpServer, tmp_path: Path
) -> None:
    tr = transports(smtp, tmp_path)
    sweep(with_contacts, program, "2025-01-09", tr)  # the opening notice
    sweep(with_contacts, program, "2025-07-07", tr)  # everything up to escalation 1, caught up
    with session_scope(with_contacts) as s:
        items = {(i.step, i.recipient_name, i.channel): i for i in outbox_items(session=s)}
    esc_head = items[("escalate-1", "Игорь Павлович Лебедев", "email")]
    esc_coord = items[("escalate-1", "Ольга Николаевна Белова", "email")]
    mails = smtp.wait_for(3)
    by_rcpt = {tuple(rcpt): m for (_, rcpt), m in zip(smtp.envelopes, mails, strict=True)}
    head = by_rcpt[("head@minobr.example.org",)]
    assert head.get_all("Message-ID") == [esc_head.message_id]
    assert head.get_all("In-Reply-To") == [esc_head.thread_id]
    assert subject(head).startswith("Эскалация, уровень 1: 1.5 «Изучение судебной практики")
    body = parts(head)
    assert set(body) == {"text/plain", "text/html"}
    assert body["text/plain"].replace("\r\n", "\n").strip() == esc_head.body_text.strip()
    assert "просрочка 5 рабочих дней" in body["text/plain"]
    assert "<strong>Эскалация, уровень 1</strong>" in body["text/html"]
    # the coordinator gets a copy, as a separate message marked as such
    coord = by_rcpt[("coordinator@minsoc.example.org",)]
    assert coord.get_all("Message-ID") == [esc_coord.message_id]
    assert subject(coord).endswith("(копия)")


def test_digest_gathers_a_recipients_items_of_a_day(
    with_contacts: Engine, program: Program, smtp: SmtpServer, tmp_path: Path
) -> None:
    tr = transports(smtp, tmp_path)
    # on 9 January 2025 minobr's executor gets many opening notices: one digest
    sweep(with_contacts, program, "2025-01-09", tr, ids=[
        OB, "krasnoyarsk-2025-2026:7.16:2025..2026", "krasnoyarsk-2025-2026:5.20:2025-12",
    ])  # fmt: skip
    mails = smtp.wait_for(1)
    assert len(mails) == 1
    digest = mails[0]
    assert subject(digest) == "Сводка на 9 января 2025\u00a0г.: 2 обязательства"
    assert len(digest.get_all("Message-ID")) == 1
    text = parts(digest)["text/plain"]
    assert "1.5 «Изучение судебной практики лишения прав»" in text
    assert "7.16 «Помощь семьям детей раннего возраста»" in text
    assert "5.20" not in text  # opens in December


def test_rerun_of_the_same_day_records_and_sends_nothing_new(
    with_contacts: Engine, program: Program, smtp: SmtpServer, tmp_path: Path
) -> None:
    tr = transports(smtp, tmp_path)
    first = sweep(with_contacts, program, "2025-07-07", tr)
    again = sweep(with_contacts, program, "2025-07-07", tr)
    assert first.plan.recorded > 0 and again.plan.recorded == 0
    assert again.delivery is not None and again.delivery.sent == []
    with session_scope(with_contacts) as s:
        email_batches = {i.batch_id for i in outbox_items(session=s) if i.channel == "email"}
    mails = smtp.wait_for(len(email_batches))
    assert len(mails) == len(email_batches)  # one mail per batch; nothing sent again
    ids = [m["Message-ID"] for m in mails]
    assert len(ids) == len(set(ids))


def test_quiet_hours_hold_messages_until_nine_on_a_working_day(
    with_contacts: Engine, program: Program, smtp: SmtpServer, tmp_path: Path
) -> None:
    tr = transports(smtp, tmp_path)
    evening = sweep(with_contacts, program, "2025-07-04", tr, hour=19)  # Friday 19:00
    assert evening.plan.recorded > 0
    assert evening.delivery is not None and evening.delivery.skipped_quiet_hours
    with session_scope(with_contacts) as s:
        held = outbox_items(session=s, states=["pending"])
    assert held and all(i.not_before == at("2025-07-07", 9) for i in held)  # Monday 09:00
    saturday = deliver(engine=with_contacts, now=at("2025-07-05", 11), transports=tr, zone=ZONE,
                       calendar=get_calendar(), program_title=program.title)  # fmt: skip
    assert saturday.skipped_quiet_hours and smtp.messages == []
    monday = deliver(engine=with_contacts, now=at("2025-07-07", 9), transports=tr, zone=ZONE,
                     calendar=get_calendar(), program_title=program.title)  # fmt: skip
    assert len(monday.sent) == len(held)


def test_file_outbox_writes_eml_and_txt_when_no_channel_is_configured(
    with_contacts: Engine, program: Program, tmp_path: Path
) -> None:
    tr = make_transports(outbox_dir=tmp_path / "outbox", smtp_url=None, telegram_token=None,
                         telegram_api_url="x", mail_from="roadmap@localhost")  # fmt: skip
    sweep(with_contacts, program, "2025-07-01", tr)
    folder = tmp_path / "outbox" / "2025-07-01"
    emls = sorted(folder.glob("*.eml"))
    assert emls and len(list(folder.glob("*.txt"))) >= len(emls)
    import email

    mail = email.message_from_bytes(emls[0].read_bytes())
    assert len(mail.get_all("Message-ID")) == 1
    assert {p.get_content_type() for p in mail.walk() if not p.is_multipart()} == {
        "text/plain",
        "text/html",
    }
