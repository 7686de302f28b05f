"""Whose a letter from the program mailbox is, from whom, and whether it counts: decided
before anything is written (``services.mail`` then records it).

A reply is matched to the letter it answers by the signed tag in the address it was sent to,
or by that letter's Message-ID in its ``In-Reply-To``/``References``, never by its subject;
it counts only from an address the contacts list gives for an organisation that owes the
obligation; its files pass the intake page's checks.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from notifications.incoming import Attachment, Letter
from notifications.mail_answers import MailAnswer, Sender
from notifications.reply_tags import tag_holds
from roadmap.obligations.states import State
from roadmap.reports.doc_details import DocumentDetails
from roadmap.reports.replies import details_from_text, own_text, read_reply_tag
from roadmap.words.clean import scrub_text
from services.runtime import Runtime
from storage.contacts import active_contacts
from storage.db import session_scope
from storage.errors import EvidenceRejected
from storage.evidence import check_document, check_name
from storage.outbox import letters_replied_to
from storage.tables import ObligationRecord, OutboxRecord

# The folders letters are filed into, by what became of them: the mailbox's owner reads them.
FOLDERS = {"accepted": "Принято", "refused": "Отказано", "not-ours": "Не распознано"}
CLOSED = {
    State.ACCEPTED: "обязательство уже исполнено: документ по нему принят координатором",
    State.CLOSED_LATE: "обязательство уже исполнено: документ по нему принят координатором",
    State.NOT_APPLICABLE: "обязательство объявлено неприменимым",
    State.CANCELLED: "обязательство отменено",
}


NO_ATTACHMENT = "к письму не приложен документ"


@dataclass
class Verdict:
    """What is to become of a letter, decided before anything is written."""

    outcome: str
    reason: str | None = None
    rt: Runtime | None = None  # the program the letter concerns
    obligation: ObligationRecord | None = None
    sender: Sender | None = None
    answer: MailAnswer | None = None
    note: list[str] = field(default_factory=list)  # lines for the coordinator, if any
    files: list[Attachment] = field(default_factory=list)
    details: DocumentDetails = field(default_factory=DocumentDetails)


def refusal(verdict: Verdict, answer: MailAnswer | None, reason: str) -> Verdict:
    return Verdict(
        "refused",
        reason,
        verdict.rt,
        verdict.obligation,
        verdict.sender,
        answer,
        verdict.note,
    )


def _not_ours(reason: str, rt: Runtime | None = None, note: Sequence[str] = ()) -> Verdict:
    return Verdict("not-ours", reason, rt, note=list(note))


def scrubbed(letter: Letter) -> Letter:
    """``letter`` with its sender's name and subject through the one text rule
    (``roadmap.words.clean``): another machine's words, every hidden character removed
    before anything records or repeats them."""
    return replace(
        letter,
        sender_name=scrub_text(letter.sender_name, limit=200),
        subject=scrub_text(letter.subject, limit=500),
    )


def judge(rt: Runtime, letter: Letter) -> Verdict:
    """Decide what is to become of ``letter``: whose it is, from whom, and whether it counts."""
    if letter.automatic:
        return _not_ours("автоматическое сообщение (автоответ или отчёт о доставке)")
    rows, forged = _letters_answered(rt, letter)
    program_rt = _program_of(rt, rows)
    if forged:
        note = [
            f"На адрес Программы поступило письмо от {letter.sender} с поддельной или "
            "повреждённой меткой в адресе ответа; оно не учтено и оставлено в папке "
            f"«{FOLDERS['not-ours']}» почтового ящика.",
            f"Тема письма: «{letter.subject}».",
        ]
        return _not_ours("метка в адресе ответа не совпадает с подписью", program_rt, note)
    if program_rt is None:
        return _not_ours("не ответ на письмо Программы")
    obligation_ids = list(dict.fromkeys(r.obligation_id for r in rows if r.obligation_id))
    with session_scope(rt.engine) as s:
        contacts = active_contacts(session=s, program_id=program_rt.program.id)
        obligations = [o for o in (s.get(ObligationRecord, i) for i in obligation_ids) if o]
    if not obligations:
        return _not_ours("ответ на письмо, не касающееся обязательства", program_rt)
    senders = [c for c in contacts if c.email and c.email.lower() == letter.sender]
    owed = [
        (o, c) for o in obligations for c in senders if _answers_for(program_rt, c.org, o.owners)
    ]
    if not owed:
        return _unknown_sender(program_rt, letter, obligations[0])
    obligation, contact = owed[0]
    sender = Sender(letter.sender, letter.sender_name, contact, contact.org)
    base = Verdict("refused", None, program_rt, obligation, sender)
    if len(dict.fromkeys(o.id for o, _ in owed)) > 1:
        why = "ответ на письмо о нескольких обязательствах"
        return refusal(base, MailAnswer("ambiguous"), why)
    return _what_it_brings(rt, letter, base)


def _unknown_sender(program_rt: Runtime, letter: Letter, first: ObligationRecord) -> Verdict:
    """A reply from an address the contacts do not list for the organisation that owes."""
    sender = Sender(letter.sender, letter.sender_name)
    note = [
        f"На письмо по обязательству {first.id} ответили с адреса {letter.sender}"
        f"{' (' + letter.sender_name + ')' if letter.sender_name else ''}, которого нет в "
        "списке контактных лиц исполнителя; документы не учтены, отправителю направлен "
        "отказ.",
        "Если адрес верный, внесите его в список контактов организации и попросите "
        "исполнителя направить документ ещё раз.",
    ]
    verdict = Verdict("refused", "адрес отправителя не указан исполнителем", program_rt)
    verdict.obligation, verdict.sender, verdict.note = first, sender, note
    verdict.answer = MailAnswer("unknown-sender")
    return verdict


def _what_it_brings(rt: Runtime, letter: Letter, base: Verdict) -> Verdict:
    """A matched reply from its executor: refused (closed, nothing attached, a file the
    checks refuse) or accepted with its files and the document's details."""
    obligation = base.obligation
    assert obligation is not None
    if obligation.cancelled_in_version is not None or obligation.state in CLOSED:
        why = CLOSED.get(State(obligation.state), CLOSED[State.CANCELLED])
        return refusal(base, MailAnswer("closed", closed_reason=why), why)
    details = details_from_text(own_text(letter.text))
    if not letter.attachments:
        if details.given:  # the details a confirmation asked for
            base.outcome, base.details = "accepted", details
            return base
        return refusal(base, MailAnswer("no-attachment"), NO_ATTACHMENT)
    problems = _file_problems(rt, letter.attachments)
    if problems:
        answer = MailAnswer("refused-file", problems=problems, max_mb=rt.settings.max_upload_mb)
        return refusal(base, answer, "; ".join(problems))
    base.outcome, base.files, base.details = "accepted", list(letter.attachments), details
    return base


def _letters_answered(rt: Runtime, letter: Letter) -> tuple[list[OutboxRecord], bool]:
    """The outbox letters ``letter`` answers, and whether it carries a forged tag."""
    mailbox = rt.settings.mail_reply_to
    tags = [read_reply_tag(a, mailbox) for a in letter.recipients] if mailbox else []
    with session_scope(rt.engine) as s:
        for tag in tags:
            if tag is None:
                continue
            if tag is False:
                return [], True
            assert not isinstance(tag, bool)
            rows = letters_replied_to(session=s, outbox_id=tag.outbox_id)
            key = rt.key_for(rows[0].program_id) if rows else None
            if key is None or not tag_holds(tag, key):
                return rows, True
            return rows, False
        return letters_replied_to(session=s, message_ids=letter.references), False


def _program_of(rt: Runtime, rows: Sequence[OutboxRecord]) -> Runtime | None:
    if not rows or rows[0].program_id not in rt.root.catalog:
        return None
    return rt.for_program(rows[0].program_id)


def _answers_for(rt: Runtime, org: str, owners: Sequence[str]) -> bool:
    """Whether ``org`` answers for an obligation of ``owners``: one of them, or the body that
    reports for one of them."""
    program = rt.program
    return any(org == o or (o in program.orgs and program.reporting_body(o) == org) for o in owners)


def _file_problems(rt: Runtime, attachments: Sequence[Attachment]) -> list[str]:
    """Each attachment the intake page's checks refuse, by its name and the reason."""
    problems = []
    limit = rt.settings.max_upload_mb * 1024 * 1024
    for n, a in enumerate(attachments, 1):
        shown = a.name or f"вложение {n}"
        try:
            name = check_name(a.name)
            check_document(io.BytesIO(a.data), store=rt.evidence, name=name, max_bytes=limit)
        except EvidenceRejected as exc:
            problems.append(f"«{shown}»: {exc.message}")
    return problems
