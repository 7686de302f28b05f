"""Answers by e-mail against real peers: the program's own letters sent to an SMTP server,
replies to them delivered to Dovecot, read by the engine, on both databases."""

from __future__ import annotations

import datetime as dt
import email
import os
import socket
import subprocess
import sys
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from roadmap.program.model import Program
from roadmap.reports.replies import read_reply_tag
from roadmap.views.mail import mail_markdown
from services.answers import Who, review
from services.mail import FOLDERS, fetch_mail, mail_received
from services.runtime import Runtime
from storage.db import session_scope
from storage.tables import AuditRecord, EvidenceRecord, MailMessageRecord, OutboxRecord
from tests.conftest import REPO
from tests.mailserver import USER, ImapServer
from tests.peers import SmtpServer
from tests.services.mail_case import (
    EXECUTOR,
    NOW,
    letter_to,
    obligation_id,
    parsed,
    reply,
    runtime,
    send_letters,
)
from tests.storage.files import docx_bytes, pdf_bytes, xlsx_bytes, zip_bomb

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def rt(
    with_contacts: Engine, program: Program, imap: ImapServer, smtp: SmtpServer, tmp_path: Path
) -> Runtime:
    return runtime(with_contacts, program, imap, smtp, tmp_path)


@pytest.fixture
def letter(rt: Runtime, smtp: SmtpServer) -> EmailMessage:
    """The letter the lead executor's contact received about activity 1.1."""
    return letter_to(send_letters(rt, smtp), EXECUTOR)


def evidence(rt: Runtime) -> list[EvidenceRecord]:
    with session_scope(rt.engine) as s:
        return list(s.exec(select(EvidenceRecord).order_by(col(EvidenceRecord.id))))


def answers(smtp: SmtpServer, to: str) -> list[EmailMessage]:
    """The answers the engine sent to ``to`` (not the ladder's own letters)."""
    starts = ("Документ", "Реквизиты документа", "Письмо не может быть принято")
    found = [parsed(raw) for raw in smtp.raw]
    return [m for m in found if m["To"] == to and str(m["Subject"]).startswith(starts)]


def outbox(rt: Runtime, step: str) -> list[OutboxRecord]:
    with session_scope(rt.engine) as s:
        return list(s.exec(select(OutboxRecord).where(OutboxRecord.step == step)))


def test_letters_ask_for_replies_at_the_mailbox_with_a_tag_and_their_own_message_id(
    letter: EmailMessage, rt: Runtime
) -> None:
    reply_to = str(letter["Reply-To"])
    assert reply_to.startswith("roadmap+") and reply_to.endswith("@minsoc.example.org")
    tag = read_reply_tag(reply_to, USER)
    assert tag and not isinstance(tag, bool)
    with session_scope(rt.engine) as s:
        row = s.get(OutboxRecord, tag.outbox_id)
    assert row is not None and row.message_id == str(letter["Message-ID"])
    assert len(letter.get_all("Message-ID") or []) == 1


def test_a_reply_with_pdf_docx_and_xlsx_is_recorded_answered_and_filed(
    letter: EmailMessage, rt: Runtime, imap: ImapServer, smtp: SmtpServer
) -> None:
    text = "Направляем приказ от 12.03.2025 № 17-п «Об утверждении региональной программы»."
    files = (
        ("Приказ.pdf", pdf_bytes("mail"), PDF),
        ("Программа.docx", docx_bytes("Региональная программа"), DOCX),
        ("Показатели.xlsx", xlsx_bytes(), XLSX),
    )
    imap.deliver(reply(letter, text=text, files=files))
    report = fetch_mail(rt)
    assert (report.read, len(report.accepted), report.documents) == (1, 1, 3)
    docs = evidence(rt)
    assert [d.version for d in docs] == [1, 2, 3]
    assert {d.media_type for d in docs} == {PDF, DOCX, XLSX}
    assert [d.original_name for d in docs] == ["Приказ.pdf", "Программа.docx", "Показатели.xlsx"]
    first = docs[0]
    assert first.obligation_id == obligation_id(rt.program)
    assert (first.channel, first.submitted_org) == ("e-mail", "minsoc")
    assert EXECUTOR in first.submitted_by
    assert (first.doc_type, first.doc_number, str(first.doc_date)) == (
        "приказ",
        "17-п",
        "2025-03-12",
    )
    assert first.doc_title == "Об утверждении региональной программы"
    with session_scope(rt.engine) as s:
        audit = list(s.exec(select(AuditRecord).where(AuditRecord.action == "evidence_submitted")))
        mail = list(s.exec(select(MailMessageRecord)))
    assert len(audit) == 3 and {(a.channel, EXECUTOR in a.actor) for a in audit} == {
        ("e-mail", True)
    }
    assert [(m.outcome, m.evidence_ids) for m in mail] == [("accepted", [d.id for d in docs])]
    # the letter leaves the inbox for «Принято» once recorded
    assert imap.folder("INBOX") == [] and len(imap.folder(FOLDERS["accepted"])) == 1
    # the sender's confirmation: in reply to the letter, the document by its details
    (confirmation,) = answers(smtp, EXECUTOR)
    body = str(confirmation.get_body(preferencelist=("plain",)).get_content())
    assert confirmation["In-Reply-To"] == parsed(imap.folder(FOLDERS["accepted"])[0])["Message-ID"]
    assert str(confirmation["Subject"]).startswith("Документ получен: Мероприятие 1.1")
    assert body.startswith("Уважаемая Анна Петровна!")
    assert "приказ от 12.03.2025 № 17-п «Об утверждении региональной программы»" in body
    assert "Приказ.pdf" not in body and "sha" not in body and "application/" not in body
    assert "Ольга Николаевна Белова" in body  # the closing block: whom to contact
    # the coordinator is told what came by mail
    assert [r.recipient_role for r in outbox(rt, "alert")] == ["coordinator"] * len(
        outbox(rt, "alert")
    )
    assert outbox(rt, "alert")


def test_a_second_fetch_leaves_a_handled_letter_alone(
    letter: EmailMessage, rt: Runtime, imap: ImapServer
) -> None:
    imap.deliver(reply(letter, files=(("Приказ.pdf", pdf_bytes("once"), PDF),)))
    fetch_mail(rt)
    again = fetch_mail(rt)
    assert again.read == 0 and len(evidence(rt)) == 1


def test_a_forged_tag_is_not_ours_whatever_else_the_letter_says(
    letter: EmailMessage, rt: Runtime, imap: ImapServer, smtp: SmtpServer
) -> None:
    tag = read_reply_tag(str(letter["Reply-To"]), USER)
    assert tag and not isinstance(tag, bool)
    forged = f"roadmap+{tag.outbox_id + 1:x}-{'a' * 16}@minsoc.example.org"
    # threaded to the real letter too: a forged tag is never explained away
    imap.deliver(reply(letter, to=forged, files=(("Приказ.pdf", pdf_bytes("forged"), PDF),)))
    report = fetch_mail(rt)
    assert len(report.not_ours) == 1 and evidence(rt) == []
    assert len(imap.folder(FOLDERS["not-ours"])) == 1 and imap.folder("INBOX") == []
    assert answers(smtp, EXECUTOR) == []  # nobody answers a forgery


def test_an_unknown_sender_gets_a_polite_refusal_and_the_coordinator_a_note(
    letter: EmailMessage, rt: Runtime, imap: ImapServer, smtp: SmtpServer
) -> None:
    stranger = "p.sidorov@gmail.example.com"
    raw = reply(letter, sender=stranger, name="Пётр Ильич Сидоров",
                files=(("Приказ.pdf", pdf_bytes("stranger"), PDF),))  # fmt: skip
    imap.deliver(raw)
    report = fetch_mail(rt)
    assert len(report.refused) == 1 and evidence(rt) == []
    assert len(imap.folder(FOLDERS["refused"])) == 1
    (refusal,) = answers(smtp, stranger)
    body = str(refusal.get_body(preferencelist=("plain",)).get_content())
    assert body.startswith("Уважаемый Пётр Ильич!")
    assert "не указан исполнителем этого обязательства" in body and stranger in body
    notes = outbox(rt, "alert")
    assert notes and {n.recipient_role for n in notes} == {"coordinator"}
    assert stranger in notes[0].body_text


def test_a_sender_name_with_hidden_characters_reaches_no_letter_or_note_with_them(
    letter: EmailMessage, rt: Runtime, imap: ImapServer, smtp: SmtpServer
) -> None:
    """A display name carrying a bidi override, zero-width and invisible characters (as an
    attacker writes it to flip what the coordinator reads) is recorded without them."""
    stranger = "p.sidorov@gmail.example.com"
    name = "Пётр\u202e Ильич\u200b\u2066 Сидоров\u2069\u00ad\u3164"
    raw = reply(letter, sender=stranger, name=name,
                files=(("Приказ.pdf", pdf_bytes("stranger"), PDF),))  # fmt: skip
    imap.deliver(raw)
    fetch_mail(rt)
    (refusal,) = answers(smtp, stranger)
    body = str(refusal.get_body(preferencelist=("plain",)).get_content())
    assert body.startswith("Уважаемый Пётр Ильич!")
    notes = outbox(rt, "alert")
    assert "(Пётр Ильич Сидоров)" in notes[0].body_text
    hidden = "\u202e\u200b\u2066\u2069\u00ad\u3164"
    for text in (body, notes[0].body_text, notes[0].subject or ""):
        assert not set(hidden) & set(text)


def test_a_zip_bomb_is_refused_and_the_sender_told_why(
    letter: EmailMessage, rt: Runtime, imap: ImapServer, smtp: SmtpServer
) -> None:
    imap.deliver(reply(letter, files=(("Отчёт.zip", zip_bomb(), "application/zip"),)))
    report = fetch_mail(rt)
    assert len(report.refused) == 1 and evidence(rt) == []
    (refusal,) = answers(smtp, EXECUTOR)
    body = str(refusal.get_body(preferencelist=("plain",)).get_content())
    assert "«Отчёт.zip»" in body and "zip-бомба" in body
    assert "ответить на письмо-уведомление ещё раз" in body


def test_a_reply_without_attachment_is_answered_with_what_to_do(
    letter: EmailMessage, rt: Runtime, imap: ImapServer, smtp: SmtpServer
) -> None:
    imap.deliver(reply(letter, text="Документ направим позже."))
    fetch_mail(rt)
    (answer,) = answers(smtp, EXECUTOR)
    body = str(answer.get_body(preferencelist=("plain",)).get_content())
    assert "не приложен документ" in body and evidence(rt) == []


def test_a_non_ascii_file_name_in_rfc_2231_form_is_kept_as_written(
    letter: EmailMessage, rt: Runtime, imap: ImapServer
) -> None:
    name = "Постановление КДНиЗП № 17 от 12.03.2025.pdf"
    raw = reply(letter, files=((name, pdf_bytes("2231"), PDF),))
    # RFC 2231, as mail clients write a long one: encoded and continued over several lines
    assert b"filename*0*=utf-8''" in raw and b"filename*1*=" in raw
    imap.deliver(raw)
    fetch_mail(rt)
    assert [d.original_name for d in evidence(rt)] == [name]


def test_a_reply_quoting_the_whole_letter_reads_only_its_own_words(
    letter: EmailMessage, rt: Runtime, imap: ImapServer
) -> None:
    # sent to the plain mailbox (the tag lost on the way): matched by its reference alone
    raw = reply(letter, to=USER, text="Направляем документ.", quote=True,
                files=(("scan.pdf", pdf_bytes("quoted"), PDF),))  # fmt: skip
    assert (
        "Мероприятие 1.1"
        in email.message_from_bytes(raw, policy=policy.default)
        .get_body(preferencelist=("plain",))
        .get_content()
    )  # type: ignore[union-attr]
    imap.deliver(raw)
    report = fetch_mail(rt)
    assert len(report.accepted) == 1
    (doc,) = evidence(rt)
    # the quoted letter names the program's act; the reply itself names no document
    assert (doc.doc_type, doc.doc_number, doc.doc_date) == (None, None, None)


def _worker(rt: Runtime, imap: ImapServer, home: Path, fault: str = "") -> subprocess.Popen[bytes]:
    url = rt.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = [sys.executable, "-m", "tests.services.mail_worker", url, imap.url, str(home)]
    return subprocess.Popen([*args, *([fault] if fault else [])], cwd=REPO, env=env)


def test_two_fetch_runs_at_once_record_each_letter_once(
    rt: Runtime, imap: ImapServer, smtp: SmtpServer, tmp_path: Path
) -> None:
    # activity 1.1's four executors each reply to their own letter
    executors = [EXECUTOR, "m.sokolova@minobr.example.org", "t.kozlova@minzdrav.example.org",
                 "e.volkova@kdn.example.org"]  # fmt: skip
    letters = send_letters(rt, smtp)
    mine = [letter_to(letters, address) for address in executors]
    for n, original in enumerate(mine):
        raw = reply(original, sender=str(original["To"]), name="",
                    files=(("Документ.pdf", pdf_bytes(f"race {n}"), PDF),))  # fmt: skip
        imap.deliver(raw)
    runs = [_worker(rt, imap, tmp_path / f"run{i}") for i in range(2)]
    assert [r.wait(timeout=120) for r in runs] == [0, 0]
    with session_scope(rt.engine) as s:
        mail = list(s.exec(select(MailMessageRecord)))
    assert len(mail) == len(mine) and {m.outcome for m in mail} == {"accepted"}
    assert len(evidence(rt)) == len(mine)
    assert len(outbox(rt, "mail-accepted")) == len(mine)
    assert imap.folder("INBOX") == [] and len(imap.folder(FOLDERS["accepted"])) == len(mine)


@pytest.mark.parametrize("fault", ["die-before-move", "die-before-commit"])
def test_a_fetch_killed_midway_loses_nothing_and_records_nothing_twice(
    letter: EmailMessage, rt: Runtime, imap: ImapServer, tmp_path: Path, fault: str
) -> None:
    imap.deliver(reply(letter, files=(("Приказ.pdf", pdf_bytes("killed"), PDF),)))
    killed = _worker(rt, imap, tmp_path / "killed", fault)
    assert killed.wait(timeout=120) == -9
    assert len(imap.folder("INBOX")) == 1  # never moved: still there
    recorded = fault == "die-before-move"
    assert len(evidence(rt)) == int(recorded)
    if recorded:
        # within the lease the letter is its recording run's to move: left where it is
        assert fetch_mail(rt).filed_again == 0 and len(imap.folder("INBOX")) == 1
        rt.clock = lambda: NOW + dt.timedelta(minutes=15)
    report = fetch_mail(rt)
    assert report.filed_again == int(recorded)
    assert len(evidence(rt)) == 1 and len(outbox(rt, "mail-accepted")) == 1
    assert imap.folder("INBOX") == [] and len(imap.folder(FOLDERS["accepted"])) == 1


def test_the_coordinators_overview_lists_what_came_by_mail(
    letter: EmailMessage, rt: Runtime, imap: ImapServer
) -> None:
    imap.deliver(reply(letter, files=(("Приказ.pdf", pdf_bytes("overview"), PDF),)))
    stranger = "someone@example.com"
    imap.deliver(reply(letter, sender=stranger, name="", files=(("a.pdf", pdf_bytes("x"), PDF),)))
    fetch_mail(rt)
    text = mail_markdown(mail_received(rt, NOW.date()), NOW.date())
    assert text.startswith("## Поступило по электронной почте с 14.03.2025 по 20.03.2025")
    assert "Писем: 2, из них принято 1; документов учтено: 1." in text
    assert f"| {EXECUTOR} (Минсоцполитики края) | 1.1, I квартал 2025 года | принято | 1 |" in text
    assert f"| {stranger} | 1.1, I квартал 2025 года | отказано: адрес отправителя" in text


def test_the_imap_servers_login_processes_do_not_run_as_root(imap: ImapServer) -> None:
    with socket.create_connection(("127.0.0.1", imap.port), timeout=10) as conn:
        assert conn.recv(200).startswith(b"* OK")  # greeted by a login process
        ps = subprocess.run(["ps", "-eo", "user:20,args"], capture_output=True, text=True).stdout
    logins = [line.split()[0] for line in ps.splitlines() if "imap-login" in line]
    assert logins and "root" not in logins


def test_details_asked_for_by_the_confirmation_complete_the_document_when_given_in_reply(
    letter: EmailMessage, rt: Runtime, imap: ImapServer, smtp: SmtpServer
) -> None:
    imap.deliver(reply(letter, text="Направляем.", files=(("скан.pdf", pdf_bytes("d"), PDF),)))
    fetch_mail(rt)
    (confirmation,) = answers(smtp, EXECUTOR)
    body = str(confirmation.get_body(preferencelist=("plain",)).get_content())
    assert "не указаны реквизиты документа" in body and evidence(rt)[0].doc_type is None
    # the official answers the confirmation itself, with the details and no file
    imap.deliver(reply(confirmation, text="Приказ от 14.03.2025 № 21-о.", quote=True))
    report = fetch_mail(rt)
    assert len(report.accepted) == 1 and report.documents == 0
    (doc,) = evidence(rt)
    assert (doc.doc_type, doc.doc_number, str(doc.doc_date)) == ("приказ", "21-о", "2025-03-14")
    subjects = [str(m["Subject"]) for m in answers(smtp, EXECUTOR)]
    assert subjects[-1].startswith("Реквизиты документа получены: Мероприятие 1.1")
    with session_scope(rt.engine) as s:
        audit = s.exec(select(AuditRecord).where(AuditRecord.action == "evidence_details")).one()
    assert audit.channel == "e-mail" and "приказ от 14.03.2025 № 21-о" in (audit.new or "")


def test_a_reply_for_an_obligation_already_closed_is_refused_with_the_reason(
    letter: EmailMessage, rt: Runtime, imap: ImapServer, smtp: SmtpServer
) -> None:
    imap.deliver(reply(letter, files=(("Приказ.pdf", pdf_bytes("first"), PDF),)))
    fetch_mail(rt)
    review(rt, obligation_id=obligation_id(rt.program), accept=True, comment=None,
           who=Who("Белова", "cli"))  # fmt: skip
    imap.deliver(reply(letter, files=(("Приказ-2.pdf", pdf_bytes("second"), PDF),)))
    report = fetch_mail(rt)
    assert len(report.refused) == 1 and len(evidence(rt)) == 1
    refusal = answers(smtp, EXECUTOR)[-1]
    body = str(refusal.get_body(preferencelist=("plain",)).get_content())
    assert "Обязательство уже исполнено: документ по нему принят координатором" in body
    assert "не зарегистрированы" in body
