"""The mail tests' world: the program's letters sent to a real SMTP server with the program
mailbox's tagged Reply-To, replies built from those very letters, a runtime reading Dovecot."""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from sqlalchemy.engine import Engine

from notifications.delivery import ReplyTags, Transports, make_transports
from notifications.planning import plan_ladder
from notifications.sending import deliver
from roadmap.dates.workdays import get_calendar
from roadmap.obligations.expansion import expand_obligations
from roadmap.program.model import Program
from services.runtime import Runtime
from services.settings import Settings
from storage.db import session_scope
from tests.db import at
from tests.mailserver import USER, ImapServer
from tests.peers import SmtpServer

KEY = b"mail-test-intake-key-0123456789abcdef"
NOW = at("2025-03-20", 11)
ACTIVITY = "1.1"  # January–March 2025, due 31 March; lead minsoc, with minobr, minzdrav, kdn
EXECUTOR = "a.ivanova@minsoc.example.org"


def obligation_id(program: Program, activity: str = ACTIVITY) -> str:
    return next(o.id for o in expand_obligations(program) if o.activity == activity)


def transports(smtp: SmtpServer, home: Path) -> Transports:
    return make_transports(
        outbox_dir=home / "outbox",
        smtp_url=f"mailto://127.0.0.1:{smtp.port}?from=roadmap@minsoc.example.org",
        telegram_token=None,
        telegram_api_url="http://127.0.0.1:9/bot",
        mail_from="roadmap@minsoc.example.org",
        replies=ReplyTags(USER, lambda _program: KEY),
    )


def runtime(
    engine: Engine, program: Program, imap: ImapServer, smtp: SmtpServer, home: Path
) -> Runtime:
    settings = Settings(
        home=home,
        intake_secret=SecretStr(KEY.decode()),
        imap_url=SecretStr(imap.url),
        mail_reply_to=USER,
        quiet_hours=False,
        max_upload_mb=5,
    )
    return Runtime(
        settings,
        clock=lambda: NOW,
        program_override=program,
        transports_override=transports(smtp, home),
        engine_override=engine,
        offline=True,
    )


def send_letters(
    rt: Runtime, smtp: SmtpServer, activities: tuple[str, ...] = (ACTIVITY,)
) -> list[EmailMessage]:
    """The ladder's letters of ``activities`` up to NOW, sent to the SMTP server as e-mails."""
    ids = [obligation_id(rt.program, a) for a in activities]
    with session_scope(rt.engine) as s:
        plan_ladder(session=s, program=rt.program, as_of=NOW.date(), now=NOW,
                    calendar=get_calendar(), obligation_ids=ids)  # fmt: skip
    deliver(engine=rt.engine, now=NOW, transports=rt.transports, zone=ZoneInfo(rt.program.timezone),
            calendar=get_calendar(), program_title=rt.program.title, quiet_hours=False)  # fmt: skip
    return [parsed(raw) for raw in smtp.raw]


def parsed(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def letter_to(letters: list[EmailMessage], address: str, obligation_text: str = "") -> EmailMessage:
    found = [m for m in letters if m["To"] == address and obligation_text in str(m.get_body())]
    assert found, f"no letter to {address}"
    return found[0]


def reply(
    original: EmailMessage,
    *,
    sender: str = EXECUTOR,
    name: str = "Анна Петровна Иванова",
    text: str = "Направляем подтверждающий документ.",
    files: tuple[tuple[str, bytes, str], ...] = (),
    to: str | None = None,
    threaded: bool = True,
    quote: bool = False,
) -> bytes:
    """A reply to ``original`` as a mail client writes it: to its Reply-To, In-Reply-To and
    References its Message-ID, the subject with «Re:», files attached (name, bytes, type)."""
    msg = EmailMessage()
    msg["From"] = f"{name} <{sender}>"
    msg["To"] = to or str(original["Reply-To"])
    msg["Subject"] = "Re: " + str(original["Subject"])
    msg["Message-ID"] = make_msgid(domain="minsoc.example.org")
    msg["Date"] = email.utils.format_datetime(dt.datetime(2025, 3, 20, 4, 0, tzinfo=dt.UTC))
    if threaded:
        msg["In-Reply-To"] = str(original["Message-ID"])
        msg["References"] = str(original["Message-ID"])
    body = text
    if quote:
        old = original.get_body(preferencelist=("plain",))
        assert old is not None
        body += "\n\n-----Original Message-----\nFrom: " + str(original["From"]) + "\n"
        body += "Subject: " + str(original["Subject"]) + "\n\n" + str(old.get_content())
    msg.set_content(body)
    for name_, data, kind in files:
        maintype, subtype = kind.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name_)
    return msg.as_bytes(policy=policy.SMTP)
