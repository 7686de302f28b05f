"""A letter from the program mailbox read into plain facts: who, to whom, in reply to what,
its own words and its attachments.

Parsing is the standard library's (``email`` with the default policy): encoded-word subjects
and RFC 2231 file names (``filename*=utf-8''%D0%9F…``) come back as text. A letter forwarded
inside the reply (``message/rfc822``) is part of the quote, not an attachment. Automatic
letters (out-of-office answers, delivery reports) are flagged, so that nobody answers them
and no two robots write to each other for ever.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

_ID = re.compile(r"<[^<>\s]{1,250}>")


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes


@dataclass(frozen=True)
class Letter:
    """What the engine needs of a letter; ``key`` identifies it across runs."""

    key: str
    message_id: str | None
    sender: str  # the From address, lower-case
    sender_name: str
    subject: str
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To
    references: tuple[str, ...]  # In-Reply-To first, then References, newest first
    text: str
    attachments: tuple[Attachment, ...] = field(default=())
    automatic: bool = False


def _ids(value: str | None) -> list[str]:
    return _ID.findall(value or "")


def _automatic(msg: Message) -> bool:
    """An out-of-office answer, a delivery report or a list's robot (RFC 3834, RFC 3464)."""
    auto = str(msg.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(msg.get("Precedence", "")).strip().lower()
    sender = parseaddr(str(msg.get("From", "")))[1].lower()
    return (
        auto != "no"
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or msg.get_content_type() == "multipart/report"
        or "X-Autoreply" in msg
        or "X-Autorespond" in msg
        or sender.startswith(("mailer-daemon@", "postmaster@"))
        or not sender
    )


def _text_of(msg: EmailMessage) -> str:
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        text = str(body.get_content())
    except (LookupError, UnicodeError):
        return ""
    if body.get_content_type() == "text/html":
        text = re.sub(r"(?is)<(script|style).*?</\1>", "", text)
        text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|<blockquote", "\n\\g<0>", text)
        text = re.sub(r"(?i)<blockquote[^>]*>", "\n> ", text)
        text = re.sub(r"<[^>]+>", "", text)
    return text


def _attachments(msg: EmailMessage) -> list[Attachment]:
    found: list[Attachment] = []
    stack: list[Message] = [msg]
    body = msg.get_body(preferencelist=("plain", "html"))
    while stack:
        part = stack.pop(0)
        if part.is_multipart():
            stack.extend(part.get_payload())  # type: ignore[arg-type]
            continue
        if part.get_content_type() == "message/rfc822" or part is body:
            continue  # the letter replied to, forwarded whole: part of the quote
        name = part.get_filename()
        disposition = part.get_content_disposition()
        if name is None and disposition != "attachment":
            continue  # a text or HTML alternative, an inline picture without a name
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            found.append(Attachment(str(name or ""), data))
    return found


def read_letter(raw: bytes) -> Letter:
    """The facts of the letter ``raw`` (its bytes as the server gave them)."""
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    message_id = next(iter(_ids(str(msg.get("Message-ID", "")))), None)
    key = message_id or "sha256:" + hashlib.sha256(raw).hexdigest()
    name, sender = parseaddr(str(msg.get("From", "")))
    recipients = [
        addr.lower()
        for header in ("To", "Cc", "Delivered-To", "X-Original-To")
        for _, addr in getaddresses([str(v) for v in msg.get_all(header, [])])
        if addr
    ]
    references = _ids(str(msg.get("In-Reply-To", "")))
    references += reversed(_ids(str(msg.get("References", ""))))
    return Letter(
        key=key,
        message_id=message_id,
        sender=sender.lower(),
        sender_name=name,
        subject=str(msg.get("Subject", "")),
        recipients=tuple(dict.fromkeys(recipients)),
        references=tuple(dict.fromkeys(references)),
        text=_text_of(msg),
        attachments=tuple(_attachments(msg)),
        automatic=_automatic(msg),
    )
