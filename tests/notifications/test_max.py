"""MAX through a local server speaking its Bot API: HTML text to a user or a chat, the token in
the Authorization header, 429 honoured, 5xx and timeouts retried, nothing sent twice."""

from __future__ import annotations

import datetime as dt
import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from notifications.delivery import FileTransport, MaxTransport, Outgoing, Transports
from notifications.planning import plan_ladder
from notifications.sending import DeliveryReport, deliver
from roadmap.dates.workdays import get_calendar
from roadmap.program.model import Program
from storage.db import session_scope
from storage.outbox import outbox_items
from storage.tables import OutboxRecord
from tests.db import at
from tests.notifications.test_telegram import long_digest
from tests.peers import MaxApi

ZONE = ZoneInfo("Asia/Krasnoyarsk")
OB = "krasnoyarsk-2025-2026:6.1:2025-05"  # minzdrav's executor (a co-executor) reads MAX
OPENS = "2025-05-05"  # 1–4 May are days off


def plan(engine: Engine, program: Program, day: str, ids: list[str] | None = None) -> None:
    with session_scope(engine) as s:
        plan_ladder(
            session=s,
            program=program,
            as_of=dt.date.fromisoformat(day),
            now=at(day, 10),
            calendar=get_calendar(),
            obligation_ids=ids or [OB],
        )


def send(
    engine: Engine, program: Program, tr: Transports, when: dt.datetime, attempts: int = 6
) -> DeliveryReport:
    return deliver(
        engine=engine,
        now=when,
        transports=tr,
        zone=ZONE,
        calendar=get_calendar(),
        program_title=program.title,
        max_attempts=attempts,
    )


def max_only(
    api: MaxApi, tmp: Path, timeout: float = 10.0, token: str | None = None, total: float = 60.0
) -> Transports:
    transport = MaxTransport(token or api.token, api.url, timeout=timeout, total=total)
    return Transports(files=FileTransport(tmp), max=transport)


def max_items(engine: Engine) -> list[OutboxRecord]:
    with session_scope(engine) as s:
        return [i for i in outbox_items(session=s) if i.channel == "max"]


def test_a_message_reaches_the_user_in_html_with_the_token_in_the_header(
    with_contacts: Engine, program: Program, max_bot: MaxApi, tmp_path: Path
) -> None:
    plan(with_contacts, program, OPENS)
    (item,) = max_items(with_contacts)
    assert (item.recipient_name, item.address) == ("Татьяна Юрьевна Козлова", "user:300003")
    assert send(with_contacts, program, max_only(max_bot, tmp_path), at(OPENS, 10)).sent
    (request,) = max_bot.requests
    assert request["path"] == "/messages" and request["query"] == {"user_id": "300003"}
    assert request["headers"]["Authorization"] == max_bot.token
    assert "access_token" not in request["query"]  # the token never travels in the URL
    (delivered,) = max_bot.delivered
    assert delivered["format"] == "html" and delivered["text"] == item.body_html
    assert delivered["text"].startswith(
        "<b>Уведомление: до 6 июня 2025\u00a0г. — мероприятие 6.1</b>\n\nУважаемая Татьяна Юрьевна!\n"
    )
    assert "Ваша организация является соисполнителем мероприятия." in delivered["text"]
    assert max_items(with_contacts)[0].state == "sent"


def test_a_group_chat_is_addressed_by_chat_id_and_markup_in_values_is_escaped(
    max_bot: MaxApi,
) -> None:
    text = "<b>Заголовок</b>\n\nИмя &lt;script&gt; &amp; «Ко»"
    message = Outgoing(
        channel="max",
        address="chat:-700000000001",
        recipient_name="x",
        subject="s",
        text="t",
        html="",
        chat=text,
        message_id="<m@x>",
        thread_id="<t@x>",
    )
    assert MaxTransport(max_bot.token, max_bot.url).send(message, at(OPENS, 10)).ok
    assert max_bot.requests[0]["query"] == {"chat_id": "-700000000001"}
    assert max_bot.delivered[0]["text"] == text  # sent as rendered: blank lines and escapes kept


def test_429_waits_as_long_as_retry_after_says_then_sends_once(
    with_contacts: Engine, program: Program, max_bot: MaxApi, tmp_path: Path
) -> None:
    plan(with_contacts, program, OPENS)
    max_bot.script = ["429:900"]  # fifteen minutes: longer than the first backoff
    tr = max_only(max_bot, tmp_path)
    start = at(OPENS, 10)
    first = send(with_contacts, program, tr, start)
    (item,) = max_items(with_contacts)
    assert first.retried == [item.id] and item.id not in first.sent
    assert item.next_attempt_at == start + dt.timedelta(minutes=15)
    assert item.last_error == "MAX не принял сообщение: 429 too.many.requests"
    assert not send(with_contacts, program, tr, start + dt.timedelta(minutes=14)).sent
    later = send(with_contacts, program, tr, start + dt.timedelta(minutes=15))
    assert later.sent == [item.id]  # the other channels went out at the start
    assert len(max_bot.requests) == 2 and len(max_bot.delivered) == 1
    assert max_items(with_contacts)[0].attempts == 2


def test_5xx_and_timeouts_are_retried_within_limits_then_recorded_as_failed(
    with_contacts: Engine, program: Program, max_bot: MaxApi, tmp_path: Path
) -> None:
    plan(with_contacts, program, OPENS)
    max_bot.script = ["503", "stall", "500"]
    tr = max_only(max_bot, tmp_path, timeout=1.0)
    when = at(OPENS, 10)
    errors = []
    for _ in range(3):
        send(with_contacts, program, tr, when, attempts=3)
        errors.append(max_items(with_contacts)[0].last_error)
        when += dt.timedelta(hours=1)
    assert errors == [
        "MAX не принял сообщение: 503 internal.error",
        "MAX недоступен (ReadTimeout)",
        "MAX не принял сообщение: 500 internal.error",
    ]
    (item,) = max_items(with_contacts)
    assert item.state == "failed" and item.attempts == 3
    assert max_bot.delivered == []  # the stalled request timed out on our side, not delivered
    again = send(with_contacts, program, tr, when, attempts=3)
    assert not again.sent and not again.retried and len(max_bot.requests) == 3


def test_a_wrong_token_is_refused_and_recorded_without_the_token(
    with_contacts: Engine, program: Program, max_bot: MaxApi, tmp_path: Path
) -> None:
    plan(with_contacts, program, OPENS)
    tr = max_only(max_bot, tmp_path, token="not-the-token")
    report = send(with_contacts, program, tr, at(OPENS, 10))
    (item,) = max_items(with_contacts)
    assert report.retried == [item.id]
    assert item.last_error == "MAX не принял сообщение: 401 verify.token"
    assert max_bot.delivered == []


def test_without_a_max_bot_the_message_is_written_to_the_file_outbox(
    with_contacts: Engine, program: Program, tmp_path: Path
) -> None:
    # agtrud's executor reads e-mail and MAX (her contact gives a plain number: a user id)
    plan(with_contacts, program, "2025-01-09", ids=["krasnoyarsk-2025-2026:7.22:2025..2026"])
    tr = Transports(files=FileTransport(tmp_path / "outbox"))  # no MAX bot configured
    assert send(with_contacts, program, tr, at("2025-01-09", 10)).sent
    (written,) = (tmp_path / "outbox" / "2025-01-09").glob("*.max.txt")
    body = written.read_text("utf-8")
    assert body.startswith("MAX → user:300005\n\n<b>Уведомление: до 30 декабря 2026\u00a0г.")
    assert "Уважаемая Вера Михайловна!" in body


def test_a_message_longer_than_max_takes_goes_in_parts_each_item_with_its_link(
    max_bot: MaxApi, tmp_path: Path
) -> None:
    chat = long_digest(40)
    assert len(chat) > 4000
    message = Outgoing("max", "user:300003", "Козлова", "s", "t", "h", chat, "<m@x>", "<t@x>")
    transport = max_only(max_bot, tmp_path).max
    assert transport is not None and transport.send(message, at("2025-06-16", 10)).ok
    texts = [m["text"] for m in max_bot.delivered]
    assert len(texts) == 2 and all(len(t) <= 4000 for t in texts)
    assert all('<a href="https://roadmap.example.org/i/' in t for t in texts)
    assert sum(len(t) for t in texts) > len(chat)  # nothing dropped: every line went


def test_an_answer_of_300_mb_is_read_no_further_than_1_mb(
    with_contacts: Engine, program: Program, max_bot: MaxApi, tmp_path: Path
) -> None:
    plan(with_contacts, program, OPENS)
    max_bot.script = ["huge"]
    tracemalloc.start()
    try:
        send(with_contacts, program, max_only(max_bot, tmp_path), at(OPENS, 10))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (item,) = max_items(with_contacts)
    assert item.last_error == "MAX недоступен (ответ больше 1 МБ)" and item.state != "sent"
    assert peak < 16 * 1024 * 1024, f"{peak / 2**20:.0f} MB held for one send"


def test_an_answer_dripping_a_byte_a_second_ends_at_the_send_deadline(
    with_contacts: Engine, program: Program, max_bot: MaxApi, tmp_path: Path
) -> None:
    """Each byte comes well within the 10 s read timeout; the send's total deadline (here
    3 s instead of 60) ends it all the same (the peer drips for a minute at most)."""
    plan(with_contacts, program, OPENS)
    max_bot.script = ["trickle"]
    send(with_contacts, program, max_only(max_bot, tmp_path, total=3), at(OPENS, 10))
    (item,) = max_items(with_contacts)
    assert item.last_error == "MAX не ответил за 3 с" and item.state != "sent"
