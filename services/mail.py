"""Answers by e-mail: read the program mailbox, record what replies bring, answer each sender.

A reply is matched to the letter it answers by the signed tag in the address it was sent to
(``roadmap+<tag>@…``) or by that letter's Message-ID in its ``In-Reply-To``/``References``,
never by its subject; it counts only from an address the contacts list gives for an
organisation that owes the obligation. Each attachment passes the intake page's checks and
is stored as the obligation's next evidence version (channel ``e-mail``); the run waiting for
it is woken as for an upload; the sender gets a confirmation, or a letter saying what went
wrong and what to do; the coordinator a note.

Nothing is lost or done twice: a letter is claimed in the database by its Message-ID in the
transaction that records what it brought, and only then moved out of the inbox, to the
folder that says what became of it. A run killed before its commit leaves the letter in the
inbox untouched; one killed after it leaves a letter the next run finds recorded and only
files away; of two runs at once, the second finds the claim and files the letter away too.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from notifications.alerts import record_alert
from notifications.incoming import Attachment, Letter, read_letter
from notifications.mail_answers import MailAnswer, Sender, record_mail_answer
from notifications.mailbox import open_mailbox
from notifications.sending import deliver
from roadmap.doc_details import DocumentDetails
from roadmap.errors import RoadmapError
from roadmap.mail_overview import MAIL_DAYS, MailItem
from roadmap.mail_replies import details_from_text, own_text, read_reply_tag, tag_holds
from roadmap.periods import parse_period
from roadmap.states import State
from roadmap.wording import date_ru, period_ru
from services.runtime import Runtime
from services.wakeups import wake_waiting
from storage.contacts import active_contacts
from storage.db import session_scope
from storage.errors import EvidenceRejected, MailAlreadyHandled
from storage.evidence import check_name, complete_details, record_evidence
from storage.mail import (
    MAIL_CHANNEL,
    claim_mail,
    handled_mail,
    mail_since,
    mark_filed,
    settle_mail,
    take_filing,
)
from storage.outbox import letters_replied_to
from storage.tables import MailMessageRecord, ObligationRecord, OutboxRecord
from storage.waits import evidence_key

log = logging.getLogger(__name__)

# The folders letters are filed into, by what became of them: the mailbox's owner reads them.
FOLDERS = {"accepted": "Принято", "refused": "Отказано", "not-ours": "Не распознано"}
CLOSED = {
    State.ACCEPTED: "обязательство уже исполнено: документ по нему принят координатором",
    State.CLOSED_LATE: "обязательство уже исполнено: документ по нему принят координатором",
    State.NOT_APPLICABLE: "обязательство объявлено неприменимым",
    State.CANCELLED: "обязательство отменено",
}


NO_ATTACHMENT = "к письму не приложен документ"


class MailNotConfigured(RoadmapError):
    """No mailbox to read: ROADMAP_IMAP_URL is not set."""


@dataclass
class MailReport:
    """What a run did with the letters it found."""

    read: int = 0
    accepted: list[str] = field(default_factory=list)  # letter keys
    refused: list[str] = field(default_factory=list)
    not_ours: list[str] = field(default_factory=list)
    filed_again: int = 0  # recorded by an earlier run that died before moving it: moved now
    documents: int = 0
    lines: list[str] = field(default_factory=list)  # one Russian line per letter handled


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


def fetch_mail(rt: Runtime, *, now: dt.datetime | None = None) -> MailReport:
    """Read every letter in the program mailbox and file each away (see the module docstring).

    ``now``: the moment the letters count as received (a time-travelling run's); None: now.

    Raises:
        MailNotConfigured: ROADMAP_IMAP_URL is not set.
        MailboxError: the mailbox cannot be reached or read.
    """
    url = rt.secret(rt.settings.imap_url)
    if not url:
        raise MailNotConfigured("почтовый ящик программы не задан (ROADMAP_IMAP_URL)")
    report = MailReport()
    touched: dict[str, Runtime] = {}
    with open_mailbox(url) as box:
        box.ensure_folders(list(FOLDERS.values()))
        for uid in box.uids():
            raw = box.download(uid)
            if raw is None:
                continue  # another run filed it away meanwhile
            report.read += 1
            letter = read_letter(raw)
            outcome, program_rt = handle_letter(rt, letter, uid=uid, report=report, now=now)
            if program_rt is not None:
                touched[program_rt.program.id] = program_rt
            at = now or rt.now()
            if outcome is None:
                continue  # another run recorded it a moment ago and files it
            box.move(uid, FOLDERS[outcome])
            with session_scope(rt.engine) as s:
                mark_filed(session=s, key=letter.key, at=at)
    for program_rt in touched.values():
        _send_answers(program_rt, now or program_rt.now())
    return report


def handle_letter(
    rt: Runtime,
    letter: Letter,
    *,
    uid: int | None,
    report: MailReport,
    now: dt.datetime | None = None,
) -> tuple[str | None, Runtime | None]:
    """Record what one letter brings, once.

    Returns:
        the folder's outcome when this run is to move the letter (None: another run does),
        and the program the letter concerns when this run recorded it.
    """
    at = now or rt.now()
    with session_scope(rt.engine) as s:
        done = handled_mail(session=s, key=letter.key)
        mine = done is not None and take_filing(session=s, key=letter.key, now=at)
    if done is not None:
        report.filed_again += int(mine)
        return (done.outcome if mine else None), None
    verdict = judge(rt, letter)
    try:
        row, evidence = _record(rt, letter, uid, verdict, at)
    except (EvidenceRejected, RoadmapError) as exc:
        if isinstance(exc, MailAlreadyHandled):
            return None, None  # recorded by a parallel run, which files it
        # the obligation changed between the check and the record: refused, and said so
        verdict = _refusal(verdict, MailAnswer("closed", closed_reason=exc.message), exc.message)
        row, evidence = _record(rt, letter, uid, verdict, at)
    if evidence and verdict.rt is not None:
        target = verdict.rt
        wake_waiting(
            engine=target.engine,
            keys=[evidence_key(evidence[0])],
            api_url=target.prefect_api_url,
            at=at,
            auth=target.prefect_auth,
        )
    getattr(report, {"not-ours": "not_ours"}.get(row.outcome, row.outcome)).append(letter.key)
    report.documents += len(row.evidence_ids)
    report.lines.append(_line(letter, row, verdict))
    return row.outcome, verdict.rt


def _line(letter: Letter, row: MailMessageRecord, verdict: Verdict) -> str:
    what = {"accepted": "принято", "refused": "отказано", "not-ours": "не распознано"}
    item = f" по обязательству {row.obligation_id}" if row.obligation_id else ""
    found = f", документов: {len(row.evidence_ids)}" if row.evidence_ids else ""
    why = f" ({row.reason})" if row.reason else ""
    return f"Письмо от {letter.sender}{item}: {what[row.outcome]}{found}{why}."


def _refusal(verdict: Verdict, answer: MailAnswer | None, reason: str) -> Verdict:
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


def judge(rt: Runtime, letter: Letter) -> Verdict:
    """Decide what is to become of ``letter``: whose it is, from whom, and whether it counts."""
    if letter.automatic:
        return _not_ours("автоматическое сообщение (автоответ или отчёт о доставке)")
    rows, forged = _letters_answered(rt, letter)
    if forged:
        program_rt = _program_of(rt, rows)
        note = [
            f"На адрес Программы поступило письмо от {letter.sender} с поддельной или "
            "повреждённой меткой в адресе ответа; оно не учтено и оставлено в папке "
            f"«{FOLDERS['not-ours']}» почтового ящика.",
            f"Тема письма: «{letter.subject}».",
        ]
        return _not_ours("метка в адресе ответа не совпадает с подписью", program_rt, note)
    program_rt = _program_of(rt, rows)
    if program_rt is None:
        return _not_ours("не ответ на письмо Программы")
    program = program_rt.program
    obligation_ids = list(dict.fromkeys(r.obligation_id for r in rows if r.obligation_id))
    with session_scope(rt.engine) as s:
        contacts = active_contacts(session=s, program_id=program.id)
        obligations = [o for o in (s.get(ObligationRecord, i) for i in obligation_ids) if o]
    if not obligations:
        return _not_ours("ответ на письмо, не касающееся обязательства", program_rt)
    senders = [c for c in contacts if c.email and c.email.lower() == letter.sender]
    owed = [
        (o, c) for o in obligations for c in senders if _answers_for(program_rt, c.org, o.owners)
    ]
    first = owed[0][0] if owed else obligations[0]
    if not owed:
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
    chosen = list(dict.fromkeys(o.id for o, _ in owed))
    obligation, contact = owed[0]
    sender = Sender(letter.sender, letter.sender_name, contact, contact.org)
    base = Verdict("refused", None, program_rt, obligation, sender)
    if len(chosen) > 1:
        why = "ответ на письмо о нескольких обязательствах"
        return _refusal(base, MailAnswer("ambiguous"), why)
    if obligation.cancelled_in_version is not None or obligation.state in CLOSED:
        why = CLOSED.get(State(obligation.state), CLOSED[State.CANCELLED])
        return _refusal(base, MailAnswer("closed", closed_reason=why), why)
    if not letter.attachments:
        details = details_from_text(own_text(letter.text))
        if details.given:  # the details a confirmation asked for
            base.outcome, base.details = "accepted", details
            return base
        return _refusal(base, MailAnswer("no-attachment"), NO_ATTACHMENT)
    max_mb = rt.settings.max_upload_mb
    problems = _file_problems(rt, letter.attachments)
    if problems:
        answer = MailAnswer("refused-file", problems=problems, max_mb=max_mb)
        return _refusal(base, answer, "; ".join(problems))
    details = details_from_text(own_text(letter.text))
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
            rt.evidence.put(io.BytesIO(a.data), name=name, max_bytes=limit)
        except EvidenceRejected as exc:
            problems.append(f"«{shown}»: {exc.message}")
    return problems


def _record(
    rt: Runtime, letter: Letter, uid: int | None, verdict: Verdict, now: dt.datetime
) -> tuple[MailMessageRecord, list[str]]:
    """Claim the letter and write everything it brings, in one transaction."""
    target = verdict.rt
    ob = verdict.obligation
    sender = verdict.sender
    stored: list[int] = []
    described: list[str] = []
    with session_scope(rt.engine) as s:
        row = claim_mail(
            session=s, key=letter.key, uid=uid, sender=letter.sender, subject=letter.subject, at=now
        )
        answer = verdict.answer
        if verdict.outcome == "accepted" and not verdict.files and target and ob and sender:
            answer = _complete_details(s, verdict, target, now)
        elif verdict.outcome == "accepted" and target and ob and sender:
            who = f"{sender.contact.name if sender.contact else letter.sender} <{letter.sender}>"
            for n, a in enumerate(verdict.files, 1):
                ev = record_evidence(
                    session=s,
                    store=target.evidence,
                    obligation_id=ob.id,
                    stream=io.BytesIO(a.data),
                    original_name=a.name,
                    submitted_by=f"{who} ({sender.org})",
                    submitted_org=sender.org,
                    channel=MAIL_CHANNEL,
                    at=now,
                    max_bytes=target.settings.max_upload_mb * 1024 * 1024,
                    details=verdict.details if verdict.details.given else None,
                )
                stored.append(ev.id or 0)
                described.append(_described(verdict.details, now, target, n, len(verdict.files)))
            answer = MailAnswer(
                "accepted", documents=described, details_missing=not verdict.details.given
            )
            verdict.note = [
                f"По электронной почте от {who} ({_org_name(target, sender.org)}) поступило "
                f"документов: {len(stored)}.",
                *described,
                "Документы ожидают проверки (roadmap evidence, roadmap review).",
            ]
        if target is not None and answer is not None and sender is not None:
            record_mail_answer(
                session=s,
                program=target.program,
                letter_key=letter.key,
                in_reply_to=letter.message_id,
                answer=answer,
                sender=sender,
                obligation=ob,
                now=now,
                calendar=target.calendar,
            )
        if target is not None and verdict.note:
            item = f" по обязательству {ob.id.split(':', 1)[1]}" if ob else ""
            record_alert(
                session=s,
                program=target.program,
                key=f"mail:{letter.key}",
                roles=("coordinator",),
                now=now,
                calendar=target.calendar,
                title=f"Письмо в почтовый ящик Программы{item}",
                lines=verdict.note,
            )
        settle_mail(
            session=s,
            row=row,
            outcome=verdict.outcome,
            reason=verdict.reason,
            program_id=target.program.id if target else None,
            obligation_id=ob.id if ob else None,
            sender_org=sender.org if sender else None,
            evidence_ids=stored,
        )
    return row, [ob.id] if stored and ob else []


def _complete_details(
    session: Session, verdict: Verdict, rt: Runtime, now: dt.datetime
) -> MailAnswer:
    """The details a reply gives, for the documents its sender handed in without them; a
    reply with details but nothing waiting for them is one without a document."""
    assert verdict.obligation is not None and verdict.sender is not None
    sender = verdict.sender
    done = complete_details(
        session=session,
        obligation_id=verdict.obligation.id,
        org=sender.org or "",
        details=verdict.details,
        by=f"{sender.contact.name if sender.contact else sender.address} <{sender.address}>",
        channel=MAIL_CHANNEL,
        at=now,
    )
    if not done:
        verdict.outcome, verdict.reason = "refused", NO_ATTACHMENT
        return MailAnswer("no-attachment")
    text = verdict.details.text() or ""
    return MailAnswer(
        "details", documents=[_described(verdict.details, now, rt, 1, 1)] if text else []
    )


def _org_name(rt: Runtime, org: str | None) -> str:
    found = rt.program.orgs.get(org or "")
    return found.short_name if found else org or "организация не указана"


def _described(details: DocumentDetails, now: dt.datetime, rt: Runtime, n: int, total: int) -> str:
    """A document as a letter names it: by its details, never by its file."""
    text = details.text() or f"документ, поступивший {date_ru(now.astimezone(rt.zone).date())}"
    return text if total == 1 else f"{text} (приложение {n} из {total})"


def mail_summary(report: MailReport) -> str:
    """What a run did, in one Russian line."""
    return (
        f"Писем прочитано: {report.read}; принято {len(report.accepted)}, отказано "
        f"{len(report.refused)}, не распознано {len(report.not_ours)}; документов учтено "
        f"{report.documents}."
    )


def _send_answers(rt: Runtime, now: dt.datetime) -> None:
    deliver(
        engine=rt.engine,
        now=now,
        transports=rt.transports,
        zone=rt.zone,
        calendar=rt.calendar,
        program_title=rt.program.title,
        quiet_hours=rt.settings.quiet_hours,
        program_id=rt.program.id,
    )


def mail_received(rt: Runtime, as_of: dt.date) -> list[MailItem]:
    """The program's letters of the ``MAIL_DAYS`` days up to ``as_of`` (the overview's)."""
    start = dt.datetime.combine(as_of - dt.timedelta(days=MAIL_DAYS - 1), dt.time(), rt.zone)
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), rt.zone)
    with session_scope(rt.engine) as s:
        rows = mail_since(session=s, program_id=rt.program.id, since=start, until=end)
    return [
        MailItem(
            received=r.handled_at.astimezone(rt.zone),
            sender=r.sender,
            org=_org_name(rt, r.sender_org) if r.sender_org else None,
            obligation=_obligation_words(r.obligation_id),
            outcome=r.outcome,
            reason=r.reason,
            documents=len(r.evidence_ids),
        )
        for r in rows
    ]


def _obligation_words(obligation_id: str | None) -> str | None:
    """«1.1, I квартал 2025 года» for «<program>:1.1:2025-Q1»."""
    if not obligation_id:
        return None
    parts = obligation_id.split(":")
    try:
        period = period_ru(parse_period(parts[-1]))
    except (ValueError, RoadmapError):
        return ":".join(parts[1:])
    return f"{parts[1]}, {period}" if len(parts) > 2 else period
