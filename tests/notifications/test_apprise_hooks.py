"""apprise is left as it is: importing delivery changes nothing of it, and our hooks (our own
Message-ID, Telegram's answers kept for 429) are in place only while one of our sends runs;
an apprise e-mail sent by other code meanwhile is apprise's own."""

from __future__ import annotations

import subprocess
import sys
import threading

import apprise
import apprise.plugins.email.base as apprise_email
import apprise.plugins.telegram as apprise_telegram
import requests

from notifications.delivery import EmailTransport, TelegramTransport
from tests.conftest import REPO
from tests.notifications.test_subjects import NOW, outgoing
from tests.peers import BotApi, SmtpServer

STATE = """
import apprise.plugins.email.base as e, apprise.plugins.telegram as t
def state():
    return (vars(e.NotifyEmail)["prepare_emails"], t.requests, t.NotifyTelegram.notify_url)
before = state()
import notifications.delivery
print(before == state())
"""


def apprise_state() -> tuple[object, object, str]:
    return (
        vars(apprise_email.NotifyEmail)["prepare_emails"],
        apprise_telegram.requests,
        apprise_telegram.NotifyTelegram.notify_url,
    )


def test_importing_delivery_changes_nothing_of_apprise() -> None:
    done = subprocess.run(
        [sys.executable, "-c", STATE], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "True", done.stderr


def test_our_sends_leave_apprise_as_they_found_it(smtp: SmtpServer, telegram: BotApi) -> None:
    before = apprise_state()
    assert apprise_telegram.requests is requests
    assert EmailTransport(smtp.url, timeout=5).send(outgoing("Тема", 1), NOW).ok
    message = outgoing("Тема", 2)
    chat = TelegramTransport("123456:TEST", telegram.url, timeout=5)
    assert chat.send(
        type(message)(**{**message.__dict__, "address": "100001", "chat": "Текст"}), NOW
    ).ok
    assert apprise_state() == before
    assert apprise_telegram.NotifyTelegram.notify_url == "https://api.telegram.org/bot"
    assert [r["chat_id"] for r in telegram.requests] == [100001]
    assert smtp.wait_for(1)[0].get_all("Message-ID") == ["<s1@test.roadmap>"]


def test_other_apprise_mail_during_our_send_is_apprises_own(smtp: SmtpServer) -> None:
    smtp.delay = 0.5  # our send holds the hook while the server answers
    ours = threading.Thread(
        target=EmailTransport(smtp.url, timeout=5).send, args=(outgoing("Наше", 1), NOW)
    )
    ours.start()
    smtp.wait_for(1)
    other = apprise.Apprise()
    assert other.add(f"{smtp.url}&to=b@example.org")
    assert other.notify(body="чужое письмо", title="Чужое")
    ours.join()
    mails = smtp.wait_for(2)
    assert sorted(len(m.get_all("Message-ID")) for m in mails) == [1, 1]
    theirs = next(m for m in mails if m["To"] == "b@example.org")
    assert theirs["Message-ID"] != "<s1@test.roadmap>"
    assert "X-Roadmap-Keys" not in theirs
