"""Delivery: e-mail, Telegram and MAX through apprise, or files in an outbox folder.

This is the one module that imports apprise. What apprise 1.13 does not offer is added
with the smallest hook we could find, each tested against a real peer:

- **E-mail.** We build the whole message ourselves (``build_email``): our own plain-text
  part, a stable Message-ID per item (apprise would add a random one beside it), Reply-To
  the coordinator, and a subject encoded so that every decoder gets the exact text back
  (folded RFC 2047 encoded-words, each holding its spaces: Python 3.11's own header folder
  drops a space that falls on a fold, and clients then show «численностидетей»). apprise
  connects, authenticates and sends: its e-mail module asks ``NotifyEmail.prepare_emails``
  for the messages to send, and while our send runs that hook hands over the one we built.
- **Telegram.** apprise's plugin returns plain failure on HTTP 429; while our send runs,
  its module's view of ``requests`` keeps the answers, so the ``retry_after`` Telegram
  names reaches the outbox, which waits that long. The plugin also folds blank lines, so
  each paragraph break is sent as a line holding a no-break space. The Bot API's address
  is our plugin object's own.

Both hooks are installed for the length of a send and removed after it (``_Hook``):
importing this module changes nothing of apprise.
- **MAX** (the national messenger) is a notification service of our own on apprise's
  ``NotifyBase``: ``POST /messages?user_id=…`` or ``?chat_id=…`` with a JSON body
  (``text``, ``format: "html"``) and the bot token in the ``Authorization`` header, as the
  official clients of the max-messenger organisation send it (Bot API schema 0.0.30; host
  ``platform-api2.max.ru`` since June 2026, ``platform-api.max.ru`` retired).

Every send has a total deadline besides the per-read timeouts (``notifications.bounded``:
its connections are shut down when it passes), and a Bot API answer is read only up to
1 MB, so a peer answering a byte every few seconds or 300 MB holds neither a worker nor its
memory.

Values set for the current send travel in context variables (apprise sends to a single
service in the calling thread). Secrets (the SMTP URL with its password, the bot tokens)
are only ever passed to apprise; nothing here logs a URL or puts one in an error message.
apprise and the HTTP library under it do log URLs at debug level (the bot token is part of
every Bot API URL): their loggers carry a filter that replaces each secret a transport was
given by ``***``, at any level.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import smtplib
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlsplit

import apprise
import apprise.plugins.email.base as _apprise_email
import apprise.plugins.telegram as _apprise_telegram
import requests
from apprise.plugins.base import NotifyBase

from notifications.bounded import AnswerTooLarge, bounded_post, deadline
from notifications.reply_tags import make_reply_tag
from roadmap.reports.replies import reply_address

logging.getLogger("apprise").setLevel(logging.ERROR)  # its debug lines can carry URLs

DEFAULT_MAX_API_URL = "https://platform-api2.max.ru"
MAX_TEXT_LIMIT = 4000  # NewMessageBody.text, maxLength in the Bot API schema
# sendMessage's text: 1–4096 characters after entities parsing (Bot API); a longer message is
# refused, not cut, so a long digest goes as several messages
TELEGRAM_TEXT_LIMIT = 4096
_PART = "({n} из {total})\n"
_TAG = re.compile(r"<[^>]+>")


def chat_parts(text: str, limit: int) -> list[str]:
    """A messenger text in parts of at most ``limit`` characters, split between lines.

    Every item of a digest is one line with its own link, so an item and its link stay
    together in one part; the parts are numbered «(1 из 2)». A single line longer than a
    part (never written by our templates) loses its markup and is shortened with «…».
    """
    if len(text) <= limit:
        return [text]
    room = limit - len(_PART.format(n=99, total=99))
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        if len(line) > room:
            line = _TAG.sub("", line)[: room - 1].rsplit(" ", 1)[0] + "…"
        joined = f"{current}\n{line}" if current else line
        if len(joined) > room and current:
            parts.append(current.strip("\n"))
            current = line
        else:
            current = joined
    if current.strip():
        parts.append(current.strip("\n"))
    total = len(parts)
    return [_PART.format(n=n, total=total) + part for n, part in enumerate(parts, start=1)]


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


# 7bit: every part base64 or quoted-printable, so the message is ASCII (smtplib sends it as
# such); CRLF line ends. Headers set raw are written as given (refold_source="none"): the
# subject comes folded from ``encode_subject``, identifiers are never folded.
_MAIL_POLICY = policy.SMTP.clone(cte_type="7bit", refold_source="none")


@dataclass(frozen=True)
class Outgoing:
    """One message to one address on one channel, ready to go."""

    channel: str  # "email" | "telegram" | "max"
    address: str
    recipient_name: str
    subject: str
    text: str
    html: str  # the e-mail's HTML part
    chat: str  # the messenger text (Telegram's and MAX's HTML)
    message_id: str
    thread_id: str
    keys: tuple[str, ...] = field(default=())
    reply_to: str | None = None
    sender: str | None = None  # the name the letter comes from, beside the sending address


@dataclass(frozen=True)
class Result:
    ok: bool
    error: str | None = None
    retry_after: dt.timedelta | None = None  # the peer asked not to come back before this


class Transport(Protocol):
    def send(self, message: Outgoing, now: dt.datetime) -> Result: ...


# --- E-mail -------------------------------------------------------------------------------


def encode_subject(text: str) -> str:
    """``text`` as RFC 2047 encoded-words, folded between words (CRLF and a space).

    Every character, spaces included, is inside a base64 UTF-8 word and no word splits a
    character, so the whitespace between words is folding only and every decoder returns
    ``text`` exactly. Each word holds at most 36 bytes (60 characters): with «Subject: »
    the first line stays within RFC 2047's 76.
    """
    if text.isascii() and len(text) <= 60:
        return text
    words: list[str] = []
    chunk = b""
    for char in text:
        encoded = char.encode()
        if len(chunk) + len(encoded) > 36:
            words.append(chunk.decode())
            chunk = b""
        chunk += encoded
    words.append(chunk.decode())
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(w.encode()).decode()}?=" for w in words)


def sender_header(name: str | None, address: str) -> str:
    """The From header: ``address`` alone, or ``name <address>`` with a non-ASCII name in
    encoded words of whole characters (as the subject's)."""
    if not name:
        return address
    if name.isascii():
        return formataddr((name, address))
    return f"{encode_subject(name)} <{address}>"


def build_email(message: Outgoing, *, mail_from: str, now: dt.datetime) -> EmailMessage:
    """The e-mail as it is sent and as the file outbox keeps it: text and HTML parts, the
    item's Message-ID, threading headers, Reply-To the coordinator, the outbox keys."""
    mail = EmailMessage(policy=_MAIL_POLICY)
    mail.set_raw("Subject", encode_subject(message.subject))
    mail.set_raw("From", sender_header(message.sender, mail_from))
    mail["To"] = message.address
    if message.reply_to:
        mail["Reply-To"] = message.reply_to
    mail["Date"] = format_datetime(now)
    mail.set_raw("Message-ID", message.message_id)
    mail.set_raw("In-Reply-To", message.thread_id)
    mail.set_raw("References", message.thread_id)
    if message.keys:
        mail.set_raw("X-Roadmap-Keys", ",\r\n ".join(message.keys))
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    # the boundary from the Message-ID, not at random: the same message, the same bytes
    mail.set_boundary("=_" + hashlib.sha256(message.message_id.encode()).hexdigest()[:32])
    return mail


# the message we built, and the name it comes from (None: the SMTP settings' own)
_prepared: ContextVar[tuple[EmailMessage, str | None] | None] = ContextVar(
    "roadmap_prepared_mail", default=None
)


class _Hook:
    """One attribute of apprise replaced while our sends run and put back after the last.

    apprise offers no seam for a message built by its caller, nor for the answers its
    Telegram plugin receives, so each is replaced for the length of a send (``installed``),
    not at import: importing this module changes nothing of apprise. Sends in several
    threads share one installation (counted under a lock); the replacement serves only
    sends that set its context variable and leaves any other apprise call as apprise has it.
    """

    def __init__(self, owner: Any, name: str, replacement: Any) -> None:
        self.owner, self.name, self.replacement = owner, name, replacement
        self.original: Any = None
        self._users = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        with self._lock:
            if self._users == 0:
                self.original = vars(self.owner)[self.name]
                setattr(self.owner, self.name, self.replacement)
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    setattr(self.owner, self.name, self.original)


def _prepare_emails(*args: Any, **kwargs: Any) -> Iterator[Any]:
    """apprise's message generator; for our sends, the message we built, From as configured."""
    prepared = _prepared.get()
    if prepared is None:
        yield from _EMAILS.original(*args, **kwargs)
        return
    mail, sender = prepared
    name, address = kwargs["from_addr"]
    del mail["From"]
    mail.set_raw("From", sender_header(sender or name, address))
    for _, to_addr in kwargs["to"]:
        yield _apprise_email.EmailMessage(
            recipient=to_addr, to_addrs=[to_addr], body=mail.as_string()
        )


# apprise's e-mail plugin asks NotifyEmail.prepare_emails for the messages it sends
_EMAILS = _Hook(_apprise_email.NotifyEmail, "prepare_emails", staticmethod(_prepare_emails))


# An SMTP reply may run on over continuation lines («250-…») without end, and smtplib keeps
# every line: our sends read at most this much of one reply.
SMTP_REPLY_CEILING = 64 * 1024


class _CountedReplies:
    """An SMTP connection's reading file that refuses a reply longer than the ceiling."""

    def __init__(self, raw: Any) -> None:
        self._raw, self.read = raw, 0

    def readline(self, limit: int = -1) -> bytes:
        line: bytes = self._raw.readline(limit)
        self.read += len(line)
        if self.read > SMTP_REPLY_CEILING:
            raise smtplib.SMTPResponseException(
                554, f"ответ SMTP-сервера длиннее {SMTP_REPLY_CEILING // 1024} КБ"
            )
        return line

    def close(self) -> None:
        self._raw.close()


class _BoundedReplies:
    """Reads each reply through ``_CountedReplies`` (its count starting afresh)."""

    sock: Any
    file: Any

    def getreply(self) -> tuple[int, bytes]:
        if self.file is None and self.sock is not None:
            self.file = _CountedReplies(self.sock.makefile("rb"))
        elif isinstance(self.file, _CountedReplies):
            self.file.read = 0
        return super().getreply()  # type: ignore[misc]


class _BoundedSMTP(_BoundedReplies, smtplib.SMTP):
    pass


class _BoundedSMTPSSL(_BoundedReplies, smtplib.SMTP_SSL):
    pass


class _Smtplib:
    """``smtplib`` as apprise's e-mail plugin sees it during our sends: the same, but its
    connections read bounded replies."""

    SMTP = _BoundedSMTP
    SMTP_SSL = _BoundedSMTPSSL

    def __getattr__(self, name: str) -> Any:
        return getattr(smtplib, name)


# apprise's e-mail plugin connects through its module's ``smtplib``
_SMTPLIB = _Hook(_apprise_email, "smtplib", _Smtplib())


@contextlib.contextmanager
def _sending(mail: EmailMessage, sender: str | None = None) -> Iterator[None]:
    token = _prepared.set((mail, sender))
    try:
        with _EMAILS.installed(), _SMTPLIB.installed():
            yield
    finally:
        _prepared.reset(token)


class EmailTransport:
    """E-mail through apprise to the SMTP server of ``smtp_url`` (an apprise mailto URL).

    ``smtp_url`` is e.g. ``mailtos://user:password@smtp.example.org:465?from=robot@example.org``
    (or ``mailto://127.0.0.1:2525?from=…`` for a plain local server); the recipient is added
    per message.
    """

    def __init__(self, smtp_url: str, timeout: float = 30.0, total: float = 120.0) -> None:
        self._url = smtp_url
        self._timeout = timeout
        self._total = total
        password = urlsplit(smtp_url).password
        if password:
            hide_secrets.add(password)
            hide_secrets.add(unquote(password))

    def send(self, message: Outgoing, now: dt.datetime) -> Result:
        sep = "&" if urlsplit(self._url).query else "?"
        url = (
            f"{self._url}{sep}to={quote(message.address, safe='@')}&format=html"
            f"&cto={self._timeout}&rto={self._timeout}"
        )
        app = apprise.Apprise()
        if not app.add(url):
            return Result(False, "адрес SMTP-сервера не распознан (проверьте ROADMAP_SMTP_URL)")
        # the hook replaces From with the URL's, the envelope sender's address
        mail = build_email(message, mail_from="roadmap@localhost", now=now)
        with _sending(mail, message.sender), deadline(self._total) as watch:
            ok = app.notify(body=message.html, title=message.subject)
        if watch.expired and not ok:
            return Result(False, f"SMTP-сервер не ответил за {self._total:.0f} с")
        return Result(bool(ok), None if ok else "SMTP-сервер не принял письмо")


# --- Telegram -----------------------------------------------------------------------------

_answers: ContextVar[list[requests.Response] | None] = ContextVar("roadmap_answers", default=None)


class _KeepingAnswers:
    """``requests`` as apprise's Telegram module sees it during our sends: the same, but
    ``post`` keeps each answer of the current send (apprise reports only success or failure)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        answer = bounded_post(url, **kwargs)
        kept = _answers.get()
        if kept is not None:
            kept.append(answer)
        return answer


# apprise's Telegram plugin posts through its module's ``requests``
_TELEGRAM_ANSWERS = _Hook(_apprise_telegram, "requests", _KeepingAnswers())


@contextlib.contextmanager
def _keeping_answers(kept: list[requests.Response]) -> Iterator[None]:
    token = _answers.set(kept)
    try:
        with _TELEGRAM_ANSWERS.installed():
            yield
    finally:
        _answers.reset(token)


def retry_after(answer: requests.Response) -> dt.timedelta | None:
    """How long a 429 answer asks us to wait: its Retry-After header (seconds), or the
    ``retry_after`` Telegram puts in the body's ``parameters``."""
    if answer.status_code != 429:
        return None
    header = answer.headers.get("Retry-After", "")
    if header.strip().isdigit():
        return dt.timedelta(seconds=int(header))
    with contextlib.suppress(ValueError, AttributeError, TypeError):
        return dt.timedelta(seconds=int(answer.json()["parameters"]["retry_after"]))
    return None


class TelegramTransport:
    """Telegram messages in its HTML mode, through the Bot API at ``api_url``.

    ``api_url`` is Telegram's own (``https://api.telegram.org/bot``) or a self-hosted Bot API
    server's; apprise keeps it as a class attribute, which each of our plugin objects
    shadows with its own (other Telegram sends of the process keep theirs).
    """

    def __init__(
        self, bot_token: str, api_url: str, timeout: float = 10.0, total: float = 60.0
    ) -> None:
        if not re.fullmatch(r"\d+:[A-Za-z0-9_-]+", bot_token):
            raise ValueError("токен бота Telegram имеет неверный вид (ожидается 123456:ABC…)")
        self._token = bot_token
        self._timeout = timeout
        self._total = total
        hide_secrets.add(bot_token)
        self._api_url = api_url

    def send(self, message: Outgoing, now: dt.datetime) -> Result:
        url = (
            f"tgram://{self._token}/{quote(message.address)}/"
            f"?format=html&preview=no&cto={self._timeout}&rto={self._timeout}"
        )
        service = apprise.Apprise.instantiate(url)
        if not isinstance(service, _apprise_telegram.NotifyTelegram):
            return Result(False, "не удалось настроить отправку в Telegram")
        service.notify_url = self._api_url
        app = apprise.Apprise()
        app.add(service)
        kept: list[requests.Response] = []
        with _keeping_answers(kept):
            # apprise folds blank lines in Telegram's HTML; a line holding a no-break space
            # keeps the paragraphs apart
            body = message.chat.replace("\n\n", "\n\u00a0\n")
            with deadline(self._total) as watch:
                ok = all(
                    app.notify(body=part, body_format=apprise.NotifyFormat.HTML)
                    for part in chat_parts(body, TELEGRAM_TEXT_LIMIT)
                )
        if ok:
            return Result(True)
        if watch.expired:
            return Result(False, f"Telegram не ответил за {self._total:.0f} с")
        wait = next((w for w in map(retry_after, kept) if w is not None), None)
        error = "Telegram просит повторить позже (429)" if wait else "Telegram не принял сообщение"
        return Result(False, error, wait)


# --- MAX ----------------------------------------------------------------------------------


class NotifyMax(NotifyBase):
    """MAX Bot API as an apprise service: one message to one user or chat, in HTML."""

    service_name: Any = "MAX"
    service_url: Any = "https://dev.max.ru"
    protocol: Any = "roadmap-max"
    title_maxlen = 0  # no separate title: the text's first line is bold
    body_maxlen = MAX_TEXT_LIMIT
    notify_format = apprise.NotifyFormat.HTML
    request_rate_per_sec = 0  # the outbox paces; apprise need not sleep

    def __init__(
        self, *, api_url: str, token: str, target: str, ca_bundle: str | None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.api_url = api_url.rstrip("/")
        self.token = token
        kind, _, number = target.partition(":")
        self.query = {"chat_id" if kind == "chat" else "user_id": number}
        self.ca_bundle = ca_bundle
        self.answer: requests.Response | None = None
        self.failure: str | None = None

    def url(self, privacy: bool = False, *args: Any, **kwargs: Any) -> str:
        token = self.pprint(self.token, privacy, safe="")
        return f"{self.protocol}://{token}@{urlsplit(self.api_url).netloc}/"

    def send(self, body: str, title: str = "", notify_type: Any = None, **kwargs: Any) -> bool:
        try:
            self.answer = bounded_post(
                f"{self.api_url}/messages",
                params=self.query,
                data=json.dumps({"text": body, "format": "html"}),
                headers={"Authorization": self.token, "Content-Type": "application/json"},
                verify=self.ca_bundle or self.verify_certificate,
                timeout=self.request_timeout,
                allow_redirects=False,
            )
        except AnswerTooLarge:
            self.failure = "ответ больше 1 МБ"
            return False
        except requests.RequestException as exc:
            self.failure = type(exc).__name__
            return False
        return bool(self.answer.status_code == 200)


def _max_error(answer: requests.Response) -> str:
    """A MAX refusal in words: its status and the ``code`` of its Error body."""
    with contextlib.suppress(ValueError, AttributeError, TypeError):
        return f"MAX не принял сообщение: {answer.status_code} {answer.json()['code']}"
    return f"MAX не принял сообщение: {answer.status_code}"


class MaxTransport:
    """MAX messages in its HTML format, through the Bot API at ``api_url``.

    The address is ``user:<id>`` (a person's dialog with the bot) or ``chat:<id>`` (a group
    chat). ``ca_bundle`` is a file of CA certificates for the API's TLS when the system's
    do not cover it (the official host has a certificate of the Russian Trusted Root CA).
    """

    def __init__(
        self,
        token: str,
        api_url: str = DEFAULT_MAX_API_URL,
        *,
        timeout: float = 10.0,
        total: float = 60.0,
        ca_bundle: str | None = None,
    ) -> None:
        if not token.strip() or any(c.isspace() for c in token):
            raise ValueError("токен бота MAX пуст или содержит пробелы")
        hide_secrets.add(token)
        self._token = token
        self._api_url = api_url
        self._timeout = timeout
        self._total = total
        self._ca_bundle = ca_bundle

    def send(self, message: Outgoing, now: dt.datetime) -> Result:
        if not re.fullmatch(r"(user|chat):-?\d{1,20}", message.address):
            return Result(False, "получатель в MAX указан неверно (ожидается user:… или chat:…)")
        service = NotifyMax(
            api_url=self._api_url,
            token=self._token,
            target=message.address,
            ca_bundle=self._ca_bundle,
            cto=self._timeout,
            rto=self._timeout,
        )
        app = apprise.Apprise()
        app.add(service)
        parts = chat_parts(message.chat, MAX_TEXT_LIMIT)
        with deadline(self._total) as watch:
            if all(app.notify(body=p, body_format=apprise.NotifyFormat.HTML) for p in parts):
                return Result(True)
        if watch.expired:
            return Result(False, f"MAX не ответил за {self._total:.0f} с")
        answer = service.answer
        if answer is None:
            return Result(False, f"MAX недоступен ({service.failure or 'нет ответа'})")
        return Result(False, _max_error(answer), retry_after(answer))


# --- The file outbox ----------------------------------------------------------------------


class FileTransport:
    """The embedded default: each message becomes files in an outbox folder.

    An e-mail is written as ``.eml`` (exactly what would be sent) and its plain text as
    ``.txt``; a Telegram or MAX message as ``.telegram.txt`` / ``.max.txt``. Files appear
    whole (written to a temporary name, then renamed).
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
                mail = build_email(message, mail_from=self._from, now=now)
                _atomic_write(day / f"{stem}.eml", mail.as_bytes())
                _atomic_write(day / f"{stem}.txt", message.text.encode())
            else:
                label = "MAX" if message.channel == "max" else "Telegram"
                body = f"{label} → {message.address}\n\n{message.chat}\n"
                _atomic_write(day / f"{stem}.{message.channel}.txt", body.encode())
        except OSError as exc:
            return Result(False, f"не удалось записать в папку исходящих: {exc.strerror}")
        return Result(True)


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@dataclass(frozen=True)
class ReplyTags:
    """Where replies to letters go: the program mailbox, with each letter's signed tag.

    ``key_for`` gives the key that signs a program's tags (its link key), None when this
    installation does not serve that program.
    """

    mailbox: str
    key_for: Callable[[str], bytes | None]

    def address(self, outbox_id: int, program_id: str) -> str | None:
        key = self.key_for(program_id)
        if key is None:
            return None
        return reply_address(self.mailbox, make_reply_tag(outbox_id, key))


@dataclass
class Transports:
    """The transport for each channel; a channel without one goes to the file outbox.

    With ``replies``, every e-mail asks for replies at the program mailbox (its tagged
    address in Reply-To) instead of the coordinator's.
    """

    files: FileTransport
    email: Transport | None = None
    telegram: Transport | None = None
    max: Transport | None = None
    replies: ReplyTags | None = None

    def for_channel(self, channel: str) -> Transport:
        chosen = {"email": self.email, "telegram": self.telegram, "max": self.max}.get(channel)
        return chosen or self.files


def make_transports(
    *,
    outbox_dir: Path,
    smtp_url: str | None,
    telegram_token: str | None,
    telegram_api_url: str,
    mail_from: str,
    max_token: str | None = None,
    max_api_url: str = DEFAULT_MAX_API_URL,
    max_ca_bundle: str | None = None,
    replies: ReplyTags | None = None,
) -> Transports:
    """Transports from plain settings values (the edges read the settings)."""
    return Transports(
        files=FileTransport(outbox_dir, mail_from),
        email=EmailTransport(smtp_url) if smtp_url else None,
        telegram=TelegramTransport(telegram_token, telegram_api_url) if telegram_token else None,
        max=MaxTransport(max_token, max_api_url, ca_bundle=max_ca_bundle) if max_token else None,
        replies=replies,
    )
