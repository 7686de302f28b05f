"""E-mail through a real SMTP server: recipients, subject, both parts, one Message-ID, no duplicates."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
import time
import tracemalloc
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from notifications.delivery import EmailTransport, Outgoing, Result, make_transports
from notifications.sending import deliver
from roadmap.dates.workdays import get_calendar
from roadmap.program.model import Program
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
    assert head.get_all("Reply-To") == ["coordinator@minsoc.example.org"]  # answers reach her
    assert subject(head) == "О неисполнении мероприятия 1.5 (срок — 30 июня 2025\u00a0г.)"
    body = parts(head)
    assert set(body) == {"text/plain", "text/html"}
    assert body["text/plain"].replace("\r\n", "\n").strip() == esc_head.body_text.strip()
    assert body["text/plain"].startswith("Уважаемый Игорь Павлович!")
    assert "просрочка составляет 5 рабочих дней" in body["text/plain"]
    assert "<p>Уважаемый Игорь Павлович!</p>" in body["text/html"]
    # the coordinator gets a copy, as a separate message marked as such
    coord = by_rcpt[("coordinator@minsoc.example.org",)]
    assert coord.get_all("Message-ID") == [esc_coord.message_id]
    assert coord.get_all("Reply-To") is None
    assert subject(coord) == "Копия: о неисполнении мероприятия 1.5 (срок — 30 июня 2025\u00a0г.)"


def test_a_digest_lists_what_is_overdue_or_due_within_ten_working_days_by_due_date(
    with_contacts: Engine, program: Program, smtp: SmtpServer, tmp_path: Path
) -> None:
    tr = transports(smtp, tmp_path)
    ids = [OB, "krasnoyarsk-2025-2026:6.1:2025-05", "krasnoyarsk-2025-2026:6.1:2025-06"]
    # the first run catches up: 6.1 of May is overdue (a co-executor's part), 1.5 is due on
    # 30 June (its reminder), 6.1 of June is due on 7 July, after the window (counted only)
    sweep(with_contacts, program, "2025-06-16", tr, ids=ids)
    with session_scope(with_contacts) as s:
        batches = {i.batch_id for i in outbox_items(session=s) if i.channel == "email"}
    received = smtp.wait_for(len(batches))
    mails = {tuple(rcpt): m for (_, rcpt), m in zip(smtp.envelopes, received, strict=True)}
    digest = mails[("m.sokolova@minobr.example.org",)]
    assert subject(digest) == (
        "О сроках исполнения мероприятий Программы, в том числе истёкших (на 16 июня 2025\u00a0г.)"
    )
    assert len(digest.get_all("Message-ID")) == 1
    text = parts(digest)["text/plain"].replace("\r\n", "\n")
    assert text.startswith(
        "Уважаемая Марина Олеговна!\n\nНаправляем сводку на 16 июня 2025\u00a0г.: обязательства по "
        "Программе, срок исполнения которых истёк или истекает не позднее 30 июня 2025\u00a0г.\n"
    )
    first, second = (
        text.index("Срок — 6 июня 2025\u00a0г. (истёк)\n1. Мероприятие 6.1, май 2025\u00a0г."),
        text.index("Срок — 30 июня 2025\u00a0г.\n2. Мероприятие 1.5, I полугодие 2025 года"),
    )
    assert first < second
    assert "Просрочка — 4 рабочих дня; подтверждающий документ не поступил." in text
    assert "Осталось 10 рабочих дней; подтверждающий документ пока не поступил." in text
    assert "7 июля" not in text and "6.1, июнь" not in text
    assert (
        "Кроме того, начато исполнение ещё 1 обязательства со сроком позднее 30 июня 2025\u00a0г.; "
        "напоминания о нём будут направлены ближе к сроку." in text
    )
    assert "Контактное лицо:\nГлавный специалист отдела семейной политики" in text
    # the next day brings nothing new for her: nothing is sent to her
    sent = len(smtp.envelopes)
    sweep(with_contacts, program, "2025-06-17", tr, ids=ids)
    assert ("m.sokolova@minobr.example.org",) not in [
        tuple(rcpt) for _, rcpt in smtp.envelopes[sent:]
    ]


def test_a_day_of_far_off_openings_sends_a_count_not_a_list(
    with_contacts: Engine, program: Program, smtp: SmtpServer, tmp_path: Path
) -> None:
    tr = transports(smtp, tmp_path)
    run_sweep(
        engine=with_contacts,
        program=program,
        as_of=dt.date(2025, 1, 9),
        now=at("2025-01-09", 10),
        calendar=get_calendar(),
        transports=tr,
    )  # every item
    mails = {tuple(rcpt): m for (_, rcpt), m in zip(smtp.envelopes, smtp.messages, strict=True)}
    digest = mails[("m.sokolova@minobr.example.org",)]
    text = parts(digest)["text/plain"].replace("\r\n", "\n")
    with session_scope(with_contacts) as s:
        hers = [
            i for i in outbox_items(session=s) if i.recipient_name == "Марина Олеговна Соколова"
        ]
    n = len(hers)
    assert n > 10 and all(i.state == "sent" for i in hers)
    assert subject(digest) == "О начале исполнения мероприятий Программы (на 9 января 2025\u00a0г.)"
    assert f"Начато исполнение {n} обязательств со сроками позднее 23 января 2025\u00a0г.;" in text
    assert "2026" not in text.replace("2025–2026 годы", "") and "Мероприятие" not in text


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


def _plain_letter(n: int) -> Outgoing:
    """A short letter to one address, its Message-ID numbered ``n``."""
    return Outgoing(
        channel="email",
        address="anna@example.org",
        recipient_name="Анна Петровна",
        subject="Срок",
        text="Текст",
        html="<p>Текст</p>",
        chat="",
        message_id=f"<{n}@x>",
        thread_id=f"<{n}@x>",
    )


def test_an_smtp_server_dripping_its_greeting_ends_at_the_send_deadline() -> None:
    """A server that sends «220 …» a byte a second never trips the 30 s read timeout; the
    send's total deadline (here 3 s instead of 120) ends it (the drip lasts a minute at most)."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def drip() -> None:
        conn, _ = listener.accept()
        with conn, contextlib.suppress(OSError):
            for byte in b"220 slow.example ESMTP " + b"x" * 60:
                conn.sendall(bytes([byte]))
                time.sleep(1)

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    transport = EmailTransport(f"mailto://127.0.0.1:{port}?from=robot@example.org", total=3)
    message = _plain_letter(1)
    try:
        result = transport.send(message, dt.datetime(2025, 5, 5, 10, tzinfo=dt.UTC))
    finally:
        listener.close()
    assert result == Result(False, "SMTP-сервер не ответил за 3 с")


def test_an_smtp_reply_that_never_ends_is_cut_at_its_ceiling() -> None:
    """A server that answers the greeting with «220-…» continuation lines without end: smtplib
    would keep every line; the send reads at most the ceiling and says why, holding little
    memory (the server writes 200 MB at full speed)."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    line = b"220-" + b"x" * 996 + b"\r\n"

    def flood() -> None:
        conn, _ = listener.accept()
        with conn, contextlib.suppress(OSError):
            for _ in range(200_000):
                conn.sendall(line)

    thread = threading.Thread(target=flood, daemon=True)
    thread.start()
    transport = EmailTransport(f"mailto://127.0.0.1:{port}?from=robot@example.org", total=60)
    message = _plain_letter(2)
    tracemalloc.start()
    try:
        result = transport.send(message, dt.datetime(2025, 5, 5, 10, tzinfo=dt.UTC))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        listener.close()
    assert result == Result(False, "SMTP-сервер не принял письмо")
    assert peak < 16 * 2**20, peak
