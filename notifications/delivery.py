"""Delivery: e-mail and Telegram through apprise, or files in an outbox folder.

This is the one module that imports apprise. Two things apprise 1.13 does not offer are
added with the smallest hook we could find, both tested against a real SMTP server:

- it always gives an e-mail its own random Message-ID (passing one adds a second header);
  we need a stable one per item, so a resend after a crash is recognisably the same mail;
- it derives the plain-text part from the HTML; we send our own text template.

Its e-mail module looks both names up at send time (``make_msgid``, ``convert_between``),
so they are replaced there by functions that use values set for the current send through
context variables and otherwise behave as before.

Secrets (the SMTP URL with its password, the bot token) are only ever passed to apprise;
nothing here logs a URL or puts one in an error message. apprise and the HTTP library under
it do log URLs at debug level (the bot token is part of every Bot API URL): their loggers
carry a filter that replaces each secret a transport was given by ``***``, at any level.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlsplit

import apprise
import apprise.plugins.email.base as _apprise_email
from apprise.plugins.telegram import NotifyTelegram

logging.getLogger("apprise").setLevel(logging.ERROR)  # its debug lines can carry URLs


class HideSecrets(logging.Filter):
    """Replaces every secret it was given by ``***`` in a record's message and traceback."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def add(self, secret: str) -> None:
        if len(secret) >= 4:  # a few characters would mask ordinary words
            self.secrets |= {secret, quote(secret, safe="")}

    def _mask(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        masked = self._mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._mask(logging.Formatter().formatException(record.exc_info))
        return True


hide_secrets = HideSecrets()
# the loggers that write request URLs: apprise's own, and urllib3's under requests
for _name in ("apprise", "urllib3.connectionpool", "urllib3.util.retry", "requests"):
    logging.getLogger(_name).addFilter(hide_secrets)

_message_id: ContextVar[str | None] = ContextVar("roadmap_message_id", default=None)
_plain_text: ContextVar[str | None] = ContextVar("roadmap_plain_text", default=None)
_original_make_msgid = _apprise_email.make_msgid
_original_convert = _apprise_email.convert_between


def _make_msgid(*args: Any, **kwargs: Any) -> str:
    return _message_id.get() or _original_make_msgid(*args, **kwargs)


def _convert_between(from_format: Any, to_format: Any, content: str, *a: Any, **kw: Any) -> str:
    text = _plain_text.get()
    if text is not None and str(to_format) == str(apprise.NotifyFormat.TEXT):
        return text
    return _original_convert(from_format, to_format, content, *a, **kw)


_apprise_email.make_msgid = _make_msgid
_apprise_email.convert_between = _convert_between


@dataclass(frozen=True)
class Outgoing:
    """One message to one address on one channel, ready to go."""

    channel: str  # "email" | "telegram"
    address: str
    recipient_name: str
    subject: str
    text: str
    html: str
    telegram: str
    message_id: str
    thread_id: str
    keys: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Result:
    ok: bool
    error: str | None = None


class Transport(Protocol):
    def send(self, message: Outgoing, now: dt.datetime) -> Result: ...


@contextlib.contextmanager
def _email_overrides(message_id: str, text: str) -> Iterator[None]:
    t1, t2 = _message_id.set(message_id), _plain_text.set(text)
    try:
        yield
    finally:
        _message_id.reset(t1)
        _plain_text.reset(t2)


class EmailTransport:
    """E-mail through apprise to the SMTP server of ``smtp_url`` (an apprise mailto URL).

    ``smtp_url`` is e.g. ``mailtos://user:password@smtp.example.org:465?from=robot@example.org``
    (or ``mailto://127.0.0.1:2525?from=…`` for a plain local server); the recipient is added
    per message.
    """

    def __init__(self, smtp_url: str, timeout: float = 30.0) -> None:
        self._url = smtp_url
        self._timeout = timeout
        password = urlsplit(smtp_url).password
        if password:
            hide_secrets.add(password)
            hide_secrets.add(unquote(password))

    def send(self, message: Outgoing, now: dt.datetime) -> Result:
        sep = "&" if urlsplit(self._url).query else "?"
        headers = {
            "In-Reply-To": message.thread_id,
            "References": message.thread_id,
            "X-Roadmap-Keys": ",".join(message.keys)[:900],
        }
        args = "&".join(f"%2B{quote(k)}={quote(v, safe='')}" for k, v in headers.items())
        url = (
            f"{self._url}{sep}to={quote(message.address, safe='@')}&format=html"
            f"&cto={self._timeout}&rto={self._timeout}&{args}"
        )
        app = apprise.Apprise()
        if not app.add(url):
            return Result(False, "адрес SMTP-сервера не распознан (проверьте ROADMAP_SMTP_URL)")
        with _email_overrides(message.message_id, message.text):
            ok = app.notify(
                body=message.html, title=message.subject, body_format=apprise.NotifyFormat.HTML
            )
        return Result(bool(ok), None if ok else "SMTP-сервер не принял письмо")


class TelegramTransport:
    """Telegram messages in its HTML mode, through the Bot API at ``api_url``.

    ``api_url`` is Telegram's own (``https://api.telegram.org/bot``) or a self-hosted Bot API
    server's; apprise keeps it as a class attribute, so it is set for the whole process.
    """

    def __init__(self, bot_token: str, api_url: str, timeout: float = 10.0) -> None:
        if not re.fullmatch(r"\d+:[A-Za-z0-9_-]+", bot_token):
            raise ValueError("токен бота Telegram имеет неверный вид (ожидается 123456:ABC…)")
        self._token = bot_token
        self._timeout = timeout
        hide_secrets.add(bot_token)
        NotifyTelegram.notify_url = api_url

    def send(self, message: Outgoing, now: dt.datetime) -> Result:
        url = (
            f"tgram://{self._token}/{quote(message.address)}/"
            f"?format=html&preview=no&cto={self._timeout}&rto={self._timeout}"
        )
        app = apprise.Apprise()
        if not app.add(url):
            return Result(False, "не удалось настроить отправку в Telegram")
        ok = app.notify(body=message.telegram, body_format=apprise.NotifyFormat.HTML)
        return Result(bool(ok), None if ok else "Telegram не принял сообщение")


class FileTransport:
    """The embedded default: each message becomes files in an outbox folder.

    An e-mail is written as ``.eml`` (both parts, the same headers a real send carries) and
    its plain text as ``.txt``; a Telegram message as ``.txt``. Files appear whole (written
    to a temporary name, then renamed).
    """

    def __init__(self, root: Path, mail_from: str = "roadmap@localhost") -> None:
        self.root = Path(root)
        self._from = mail_from

    def send(self, message: Outgoing, now: dt.datetime) -> Result:
        day = self.root / now.strftime("%Y-%m-%d")
        stem = re.sub(r"[^A-Za-z0-9.-]", "_", message.message_id.strip("<>"))[:120]
        try:
            day.mkdir(parents=True, exist_ok=True)
            if message.channel == "email":
                _atomic_write(day / f"{stem}.eml", self._eml(message, now))
                _atomic_write(day / f"{stem}.txt", message.text.encode())
            else:
                body = f"Telegram → {message.address}\n\n{message.telegram}\n"
                _atomic_write(day / f"{stem}.telegram.txt", body.encode())
        except OSError as exc:
            return Result(False, f"не удалось записать в папку исходящих: {exc.strerror}")
        return Result(True)

    def _eml(self, message: Outgoing, now: dt.datetime) -> bytes:
        mail = EmailMessage()
        mail["Subject"] = message.subject
        mail["From"] = self._from
        mail["To"] = message.address
        mail["Date"] = format_datetime(now)
        mail["Message-ID"] = message.message_id
        mail["In-Reply-To"] = message.thread_id
        mail["References"] = message.thread_id
        mail.set_content(message.text)
        mail.add_alternative(message.html, subtype="html")
        # the boundary from the Message-ID, not at random: the same message, the same bytes
        mail.set_boundary("=_" + hashlib.sha256(message.message_id.encode()).hexdigest()[:32])
        return bytes(mail)


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@dataclass
class Transports:
    """The transport for each channel; a channel without one goes to the file outbox."""

    files: FileTransport
    email: Transport | None = None
    telegram: Transport | None = None

    def for_channel(self, channel: str) -> Transport:
        chosen = (
            self.email if channel == "email" else self.telegram if channel == "telegram" else None
        )
        return chosen or self.files


def make_transports(
    *,
    outbox_dir: Path,
    smtp_url: str | None,
    telegram_token: str | None,
    telegram_api_url: str,
    mail_from: str,
) -> Transports:
    """Transports from plain settings values (the edges read the settings)."""
    return Transports(
        files=FileTransport(outbox_dir, mail_from),
        email=EmailTransport(smtp_url) if smtp_url else None,
        telegram=TelegramTransport(telegram_token, telegram_api_url) if telegram_token else None,
    )
