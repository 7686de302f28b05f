"""Replies by e-mail: the form of the tag a letter's reply address carries, and what a reply says.

Every letter the engine sends asks for replies at the program mailbox with a tag:
``roadmap+<tag>@ministry.example.ru`` (sub-addressing, RFC 5233), where the tag names the
outbox message the letter was and carries a signature of it (made and checked with the
program's key in ``notifications.reply_tags``; here only its form). A reply is matched to
its letter by that tag or by the letter's Message-ID in its ``In-Reply-To``/``References``,
never by the subject. The tag is lower-case letters and digits only, so a mail system that
folds the local part's case keeps it valid, and it fits the local part's 64 characters.

A reply's own words are the lines above the quoted letter; the document's details
(«приказ от 12.03.2025 № 17-п») are read from them when the sender wrote them there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from roadmap.reports.doc_details import DocumentDetails, clean_details

SIGNATURE_CHARS = 16  # base32 characters of the signature (80 bits)
_TAG = re.compile(r"^([0-9a-z]{1,12})-([a-z2-7]{16})$")


@dataclass(frozen=True)
class ReplyTag:
    """A tag: the outbox message it names and the signature it carries.

    Its text is ``<outbox id in base 36>-<signature>`` (``format``).
    """

    outbox_id: int
    signature: str

    def format(self) -> str:
        return f"{_base36(self.outbox_id)}-{self.signature}"


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def reply_address(mailbox: str, tag: str) -> str:
    """``mailbox`` (``roadmap@host``) with ``tag`` after a plus: ``roadmap+<tag>@host``."""
    local, _, domain = mailbox.rpartition("@")
    return f"{local.split('+', 1)[0]}+{tag}@{domain}"


def read_reply_tag(address: str, mailbox: str) -> ReplyTag | None | bool:
    """The tag ``address`` carries when it is the mailbox's own with a tag.

    Returns:
        the tag; ``None`` when the address is not the mailbox's or carries no tag; ``False``
        when it is the mailbox's with a tag that is not one of ours (malformed: forged).
    """
    local, _, domain = address.strip().lower().rpartition("@")
    box_local, _, box_domain = mailbox.strip().lower().rpartition("@")
    base, plus, tag = local.partition("+")
    if domain != box_domain or base != box_local.split("+", 1)[0] or not plus:
        return None
    found = _TAG.match(tag)
    if not found:
        return False
    return ReplyTag(int(found.group(1), 36), found.group(2))


# Where a mail client starts quoting the letter replied to: a «>» line, an «Original
# Message» rule (Outlook, Thunderbird, Яндекс, Mail.ru in Russian and English), a «wrote:»
# line, or an Outlook header block («От:», «From:» followed by «Отправлено:»/«Sent:»).
_QUOTE_STARTS = re.compile(
    r"^\s*(>|-{2,}\s*(Original Message|Исходное сообщение|Пересылаемое сообщение|"
    r"Forwarded message)|.{0,200}\b(wrote|пишет|написал|написала)\s*:\s*$|"
    r"(От|From)\s*:.+$)",
    re.IGNORECASE,
)


def own_text(body: str) -> str:
    """The lines of a reply above the letter it quotes (the whole body when it quotes none)."""
    lines = body.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        if _QUOTE_STARTS.match(line):
            return "\n".join(lines[:i]).strip()
    return body.strip()


# Kinds of documents regional acts and ministries' answers name, as they are written.
_KINDS = (
    "постановление",
    "распоряжение",
    "приказ",
    "протокол",
    "решение",
    "письмо",
    "отчёт",
    "отчет",
    "информация",
    "справка",
    "закон",
    "план",
    "программа",
)
_DETAILS = re.compile(
    r"(?P<kind>" + "|".join(_KINDS) + r")\b[^\n]{0,120}?\bот\s+(?P<date>\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:\s*(?:г\.|года)?\s*(?:,\s*)?№\s*(?P<number>[^\s,;«»\"]+))?",
    re.IGNORECASE,
)
_NUMBER_FIRST = re.compile(
    r"(?P<kind>" + "|".join(_KINDS) + r")\b[^\n]{0,120}?№\s*(?P<number>[^\s,;«»\"]+)\s+"
    r"от\s+(?P<date>\d{1,2}\.\d{1,2}\.\d{4})",
    re.IGNORECASE,
)
_TITLE = re.compile(r"«([^»\n]{3,1000})»")


def details_from_text(text: str) -> DocumentDetails:
    """The details of the document a reply's own words name, as far as they name them.

    Reads «приказ от 12.03.2025 № 17-п», «постановление № 17-кдн от 12.03.2025 «Об …»»: a
    kind of document, its date and number, and a title in «ёлочки» after them. Nothing is
    guessed: what the text does not say is left empty.
    """
    found = _NUMBER_FIRST.search(text) or _DETAILS.search(text)
    if not found:
        return DocumentDetails()
    try:
        day, month, year = (int(x) for x in found.group("date").split("."))
        date: dt.date | None = dt.date(year, month, day)
    except ValueError:
        date = None
    title = _TITLE.search(text, found.end())
    return clean_details(
        doc_type=found.group("kind").lower(),
        number=(found.group("number") or "").rstrip(".") or None,
        date=date,
        title=title.group(1) if title else None,
    )
