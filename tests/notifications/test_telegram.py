"""Telegram through a local Bot API: markup escaped, 429/5xx/timeouts retried, never duplicated."""

from __future__ import annotations

import datetime as dt
import logging
import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from notifications.delivery import FileTransport, Outgoing, TelegramTransport, Transports
from notifications.planning import plan_ladder
from notifications.sending import deliver
from roadmap.dates.workdays import get_calendar
from roadmap.program.model import Program
from storage.db import session_scope
from storage.outbox import outbox_items
from tests.db import at
from tests.peers import BotApi

ZONE = ZoneInfo("Asia/Krasnoyarsk")
OB = "krasnoyarsk-2025-2026:6.1:2025-05"  # due 2025-06-06; minsoc and minzdrav executors have Telegram


def plan(engine: Engine, program: Program, day: str) -> None:
    with session_scope(engine) as s:
        plan_ladder(session=s, program=program, as_of=dt.date.fromisoformat(day), now=at(day, 10),
                    calendar=get_calendar(), obligation_ids=[OB])  # fmt: skip


def send(engine: Engine, program: Program, tr: Transports, when: dt.datetime, attempts: int = 6):  # type: ignore[no-untyped-def]
    return deliver(engine=engine, now=when, transports=tr, zone=ZONE, calendar=get_calendar(),
                   program_title=program.title, max_attempts=attempts)  # fmt: skip


def telegram_only(api: BotApi, tmp: Path, timeout: float = 10.0, total: float = 60.0) -> Transports:
    return Transports(
        files=FileTransport(tmp),
        telegram=TelegramTransport("123456:TEST", api.url, timeout=timeout, total=total),
    )


def telegram_items(engine: Engine) -> list:  # type: ignore[type-arg]
    with session_scope(engine) as s:
        return [i for i in outbox_items(session=s) if i.channel == "telegram"]


def test_message_arrives_in_html_mode_with_values_escaped(
    with_contacts: Engine, program: Program, telegram: BotApi, tmp_path: Path
) -> None:
    tr = telegram_only(telegram, tmp_path)
    plan(with_contacts, program, "2025-05-05")  # 6.1 May opens (1–4 May are days off)
    assert send(with_contacts, program, tr, at("2025-05-05", 10)).sent
    telegram.delivered.clear()
    plan(with_contacts, program, "2025-05-23")  # remind-10
    assert send(with_contacts, program, tr, at("2025-05-23", 10)).sent
    sent = telegram.delivered
    assert {m["chat_id"] for m in sent} == {100001, 100003}
    text = sent[0]["text"]
    assert sent[0]["parse_mode"] == "HTML"
    assert text.startswith("<b>Напоминание: до 6 июня 2025\u00a0г. — мероприятие 6.1</b>")
    assert "\nМероприятие 6.1, май 2025\u00a0г.\nПроведение регулярного мониторинга" in text
    assert all("\n\u00a0\n" in m["text"] for m in sent)  # paragraphs kept apart
    assert {m["text"].splitlines()[2] for m in sent} == {
        "Уважаемая Анна Петровна!",
        "Уважаемая Татьяна Юрьевна!",
    }


def test_429_then_success_is_retried_after_backoff_and_sent_once(
    with_contacts: Engine, program: Program, telegram: BotApi, tmp_path: Path
) -> None:
    plan(with_contacts, program, "2025-05-05")  # the opening notice, one per chat
    telegram.script = ["429", "429"]  # both chats are refused once
    tr = telegram_only(telegram, tmp_path)
    first = send(with_contacts, program, tr, at("2025-05-05", 10))
    tg_ids = {i.id for i in telegram_items(with_contacts)}
    assert set(first.retried) == tg_ids and not tg_ids & set(first.sent)
    too_soon = send(with_contacts, program, tr, at("2025-05-05", 10) + dt.timedelta(seconds=30))
    assert not too_soon.sent and not too_soon.retried  # backoff: not before a minute has passed
    later = send(with_contacts, program, tr, at("2025-05-05", 10) + dt.timedelta(minutes=2))
    assert set(later.sent) == tg_ids
    assert len(telegram.delivered) == 2
    assert len(telegram.requests) == 4
    assert all(i.state == "sent" and i.attempts == 2 for i in telegram_items(with_contacts))


def test_429_is_not_retried_before_the_time_telegram_names(
    with_contacts: Engine, program: Program, telegram: BotApi, tmp_path: Path
) -> None:
    plan(with_contacts, program, "2025-05-05")
    telegram.script = ["429:600", "429:600"]  # ten minutes: longer than the first backoff
    tr = telegram_only(telegram, tmp_path)
    start = at("2025-05-05", 10)
    first = send(with_contacts, program, tr, start)
    items = telegram_items(with_contacts)
    assert set(first.retried) == {i.id for i in items}
    assert all(i.next_attempt_at == start + dt.timedelta(minutes=10) for i in items)
    assert all(i.last_error == "Telegram просит повторить позже (429)" for i in items)
    early = send(with_contacts, program, tr, start + dt.timedelta(minutes=9))
    assert not early.sent and len(telegram.requests) == 2
    later = send(with_contacts, program, tr, start + dt.timedelta(minutes=10))
    assert set(later.sent) == {i.id for i in items} and len(telegram.delivered) == 2


def test_5xx_and_timeouts_are_retried_within_limits_then_recorded_as_failed(
    with_contacts: Engine, program: Program, telegram: BotApi, tmp_path: Path
) -> None:
    plan(with_contacts, program, "2025-05-05")
    telegram.script = ["500", "500", "stall", "stall", "500", "500"]
    tr = telegram_only(telegram, tmp_path, timeout=1.0)
    when = at("2025-05-05", 10)
    for _ in range(3):
        send(with_contacts, program, tr, when, attempts=3)
        when += dt.timedelta(hours=1)
    items = telegram_items(with_contacts)
    assert [i.state for i in items] == ["failed", "failed"]
    assert all(i.attempts == 3 and i.last_error == "Telegram не принял сообщение" for i in items)
    assert telegram.delivered == []  # a stalled request timed out on our side, not delivered
    # a failed message stays in the outbox for the coordinator; nothing more is tried
    again = send(with_contacts, program, tr, when, attempts=3)
    assert not again.sent and not again.retried and len(telegram.requests) == 6


def test_the_bot_token_never_reaches_a_log_even_at_debug_level(
    telegram: BotApi, tmp_path: Path
) -> None:
    """apprise and urllib3 log every Bot API URL (the token is in it) at debug level."""
    token = "987654:SECRETtokenForTheLogTest"
    log_file = tmp_path / "debug.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    loggers = [root, logging.getLogger("apprise"), logging.getLogger("urllib3")]
    levels = [lg.level for lg in loggers]
    root.addHandler(handler)
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    try:
        transport = TelegramTransport(token, telegram.url)
        message = Outgoing(
            channel="telegram",
            address="100001",
            recipient_name="Козлова",
            subject="s",
            text="t",
            html="h",
            chat="<b>проверка</b>",
            message_id="<m@x>",
            thread_id="<t@x>",
        )
        assert transport.send(message, dt.datetime.now(dt.UTC)).ok
    finally:
        root.removeHandler(handler)
        handler.close()
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
    text = log_file.read_text("utf-8")
    assert telegram.delivered and "/sendMessage" in text  # the debug lines were written
    assert "SECRETtoken" not in text and "***" in text


def long_digest(items: int) -> str:
    """A chat digest longer than one message: a heading and ``items`` lines, each with its link."""
    head = "<b>О сроках исполнения мероприятий Программы (на 16 июня 2025\u00a0г.)</b>\n\n"
    lines = [
        f"Мероприятие 1.{n} «Сокращение мест в отделениях соцобслуживания», июнь 2025\u00a0г. "
        f'Просрочка — 3 рабочих дня. <a href="https://roadmap.example.org/i/{n:03d}">Ответить</a>'
        for n in range(items)
    ]
    return head + "\n".join(lines)


def test_a_digest_longer_than_telegram_takes_goes_in_parts_each_item_with_its_link(
    telegram: BotApi, tmp_path: Path
) -> None:
    chat = long_digest(40)
    assert len(chat) > 4096
    message = Outgoing("telegram", "100001", "Козлова", "s", "t", "h", chat, "<m@x>", "<t@x>")
    transport = TelegramTransport("123456:TEST", telegram.url)
    assert transport.send(message, at("2025-06-16", 10)).ok
    texts = [m["text"] for m in telegram.delivered]
    assert len(texts) == 2 and all(len(t) <= 4096 for t in texts)
    assert texts[0].startswith("(1 из 2)") and texts[1].startswith("(2 из 2)")
    for n in range(40):  # each item whole, with its link, in exactly one part
        line = chat.split("\n")[2 + n]
        assert sum(line in t for t in texts) == 1, n
    assert all('<a href="https://roadmap.example.org/i/' in t for t in texts)


def test_an_answer_of_300_mb_is_read_no_further_than_1_mb(
    with_contacts: Engine, program: Program, telegram: BotApi, tmp_path: Path
) -> None:
    plan(with_contacts, program, "2025-05-05")
    telegram.script = ["huge", "huge"]
    tracemalloc.start()
    try:
        send(with_contacts, program, telegram_only(telegram, tmp_path), at("2025-05-05", 10))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    items = telegram_items(with_contacts)
    assert [i.last_error for i in items] == ["Telegram не принял сообщение"] * 2
    assert peak < 16 * 1024 * 1024, f"{peak / 2**20:.0f} MB held for two sends"


def test_an_answer_dripping_a_byte_a_second_ends_at_the_send_deadline(
    with_contacts: Engine, program: Program, telegram: BotApi, tmp_path: Path
) -> None:
    """Each byte comes well within the read timeout; the send's total deadline (here 3 s
    instead of 60) ends it all the same (the peer drips for a minute at most)."""
    plan(with_contacts, program, "2025-05-05")
    telegram.script = ["trickle", "trickle"]
    tr = telegram_only(telegram, tmp_path, total=3)
    send(with_contacts, program, tr, at("2025-05-05", 10))
    items = telegram_items(with_contacts)
    assert [i.last_error for i in items] == ["Telegram не ответил за 3 с"] * 2
