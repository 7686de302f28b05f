"""Subjects arrive intact: long Cyrillic subjects of every step, decoded by Python's e-mail
parser from the file outbox and from what a real SMTP server received, equal the text meant.

The bug this guards against: a header folded between two encoded-words loses the space that
stood at the fold («численностидетей»), which every client then shows.
"""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from notifications.delivery import EmailTransport, FileTransport, Outgoing
from notifications.messages import Addressee, ObligationView, item_context, render_item
from roadmap.obligations.expansion import expand_obligations
from roadmap.obligations.recipients import Contact
from roadmap.program.model import Program
from tests.peers import SmtpServer

NOW = dt.datetime(2025, 6, 16, 3, 0, tzinfo=dt.UTC)
STEPS = [
    "open",
    "remind-10",
    "remind-3",
    "due",
    "overdue",
    "escalate-1",
    "escalate-2",
    "escalate-3",
]
PERSON = Contact(1, "minsoc", "executor", "Анна Петровна Иванова", email="a@minsoc.example.org")


def subjects(program: Program) -> list[str]:
    """Each step's subject for an activity, a report and the consolidated report, each also
    lengthened by the activity's full name (up to 300 characters)."""
    obligations = expand_obligations(program)
    chosen = [
        next(o for o in obligations if o.activity == "6.1"),
        next(o for o in obligations if o.report_kind == "executor"),
        next(o for o in obligations if o.report_kind == "consolidated"),
    ]
    out = []
    for o in chosen:
        view = ObligationView(
            o.id, o.activity, o.kind, o.report_kind, o.period.label, o.due, o.owners, o.evidence
        )
        for step in STEPS:
            for copy in (False, True):
                to = Addressee(PERSON, "executor", True, copy, None)
                ctx = item_context(
                    program, view, step=step, to=to, overdue_days=7, coordinator=None
                )
                subject = render_item(ctx).subject
                out += [subject, f"{subject} — {program.activity_map['6.1'].name}"[:300]]
    return out


def outgoing(subject: str, n: int) -> Outgoing:
    return Outgoing(
        channel="email",
        address="a@minsoc.example.org",
        recipient_name="Анна Петровна Иванова",
        subject=subject,
        text="Текст письма",
        html="<p>Текст письма</p>",
        chat="",
        message_id=f"<s{n}@test.roadmap>",
        thread_id="<t@test.roadmap>",
        keys=(f"k{n}",),
    )


def decoded(raw: bytes) -> tuple[str, str]:
    """The subject as the modern parser and as the legacy ``decode_header`` API read it."""
    modern = email.message_from_bytes(raw, policy=policy.default)
    legacy = email.message_from_bytes(raw)
    return str(modern["Subject"]), str(make_header(decode_header(legacy["Subject"])))


def header_lines(raw: bytes) -> list[str]:
    return raw.split(b"\r\n\r\n", 1)[0].decode("ascii").split("\r\n")


def test_file_outbox_subjects_decode_to_the_exact_text(program: Program, tmp_path: Path) -> None:
    meant = subjects(program)
    assert max(len(s) for s in meant) > 150 and len(meant) == 3 * len(STEPS) * 4
    files = FileTransport(tmp_path)
    for n, subject in enumerate(meant):
        assert files.send(outgoing(subject, n), NOW).ok
        raw = (tmp_path / "2025-06-16" / f"s{n}_test.roadmap.eml").read_bytes()
        assert decoded(raw) == (subject, subject)
        assert all(len(line) <= 78 for line in header_lines(raw))


@pytest.mark.parametrize("batch", [0, 1])
def test_subjects_an_smtp_server_receives_decode_to_the_exact_text(
    program: Program, smtp: SmtpServer, batch: int
) -> None:
    meant = subjects(program)[batch::2]  # as rendered, then lengthened
    transport = EmailTransport(smtp.url, timeout=5)
    for n, subject in enumerate(meant):
        assert transport.send(outgoing(subject, n), NOW).ok
    received = smtp.wait_for(len(meant))
    assert len(received) == len(meant)
    for subject, raw in zip(meant, smtp.raw, strict=True):
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        assert decoded(raw) == (subject, subject)
        assert all(len(line) <= 78 for line in header_lines(raw))


def test_an_smtp_mail_carries_one_message_id_our_text_part_and_reply_to(
    smtp: SmtpServer,
) -> None:
    message = outgoing("Напоминание: до 30 июня 2025\u00a0г. — мероприятие 1.5", 1)
    message = Outgoing(**{**message.__dict__, "reply_to": "coordinator@minsoc.example.org"})
    assert EmailTransport(smtp.url, timeout=5).send(message, NOW).ok
    (mail,) = smtp.wait_for(1)
    parsed = email.message_from_bytes(smtp.raw[0], policy=policy.default)
    assert mail.get_all("Message-ID") == ["<s1@test.roadmap>"]
    assert parsed["From"] == "robot@roadmap.example.org"  # as the SMTP URL gives it
    assert smtp.envelopes[0] == ("robot@roadmap.example.org", ["a@minsoc.example.org"])
    assert parsed["Reply-To"] == "coordinator@minsoc.example.org"
    assert parsed["X-Roadmap-Keys"] == "k1"
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().strip() == "Текст письма"


def sender_of(raw: bytes) -> tuple[str, str]:
    """The From header's name as RFC 2047 reads it (the whitespace between encoded words is
    folding: mail clients drop it; Python's address parser would keep a space there) and its
    address."""
    legacy = email.message_from_bytes(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    header = str(legacy["From"])
    name, _, address = header.rpartition(" <")
    return str(make_header(decode_header(name))), address.rstrip(">")


def test_a_programs_letters_come_from_its_name_at_the_smtp_settings_address(
    smtp: SmtpServer, tmp_path: Path
) -> None:
    sender = "Министерство социальной политики Энского края (дорожная карта)"
    message = outgoing("Напоминание: до 30 июня 2025\u00a0г. — мероприятие 1.5", 2)
    message = Outgoing(**{**message.__dict__, "sender": sender})
    assert EmailTransport(smtp.url, timeout=5).send(message, NOW).ok
    smtp.wait_for(1)
    assert sender_of(smtp.raw[0]) == (sender, "robot@roadmap.example.org")
    assert smtp.envelopes[0][0] == "robot@roadmap.example.org"
    crlf = smtp.raw[0].replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    assert all(len(line) <= 78 for line in header_lines(crlf))
    files = FileTransport(tmp_path, "roadmap@roadmap.example.org")
    assert files.send(message, NOW).ok
    kept = (tmp_path / "2025-06-16" / "s2_test.roadmap.eml").read_bytes()
    assert sender_of(kept) == (sender, "roadmap@roadmap.example.org")
