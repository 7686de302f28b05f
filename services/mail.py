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
from dataclasses import dataclass, field

from sqlmodel import Session

from notifications.alerts import record_alert
from notifications.incoming import Letter, read_letter
from notifications.mail_answers import MailAnswer, record_mail_answer
from notifications.mailbox import open_mailbox
from roadmap.dates.periods import parse_period
from roadmap.errors import RoadmapError
from roadmap.obligations.keys import ObligationId, WaitKey, local_id
from roadmap.reports.doc_details import DocumentDetails
from roadmap.views.mail import MAIL_DAYS, MailItem
from roadmap.words.wording import date_ru, period_ru
from services.mail_matching import FOLDERS, NO_ATTACHMENT, Verdict, judge, refusal, scrubbed
from services.runtime import Runtime
from services.sweep import send_waiting
from services.wakeups import wake_waiting
from storage.db import session_scope
from storage.errors import EvidenceRejected, MailAlreadyHandled
from storage.evidence import complete_details, record_evidence
from storage.mail import (
    MAIL_CHANNEL,
    claim_mail,
    handled_mail,
    mail_since,
    mark_filed,
    settle_mail,
    take_filing,
)
from storage.tables import MailMessageRecord

__all__ = [
    "FOLDERS",
    "MailNotConfigured",
    "MailReport",
    "fetch_mail",
    "mail_received",
    "mail_summary",
]


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


def fetch_mail(rt: Runtime, *, now: dt.datetime | None = None) -> MailReport:
    """Read every letter in the program mailbox and file each away (see the module docstring).

    ``now``: the moment the letters count as received (a time-travelling run's); None: now.

    Raises:
        MailNotConfigured: ROADMAP_IMAP_URL is not set.
        MailboxError: the mailbox cannot be reached or read.
    """
    url = rt.channel_secrets.imap_url
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
            try:
                letter = read_letter(raw)
            except Exception as exc:  # a letter no parser reads stays for a person to see
                report.lines.append(f"Письмо UID {uid} не прочитано ({type(exc).__name__}).")
                continue
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
    letter = scrubbed(letter)
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
        verdict = refusal(verdict, MailAnswer("closed", closed_reason=exc.message), exc.message)
        row, evidence = _record(rt, letter, uid, verdict, at)
    if evidence and verdict.rt is not None:
        target = verdict.rt
        wake_waiting(
            engine=target.engine,
            keys=[WaitKey.evidence(evidence[0])],
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


def _record(
    rt: Runtime, letter: Letter, uid: int | None, verdict: Verdict, now: dt.datetime
) -> tuple[MailMessageRecord, list[str]]:
    """Claim the letter and write everything it brings, in one transaction."""
    target, ob, sender = verdict.rt, verdict.obligation, verdict.sender
    stored: list[int] = []
    with session_scope(rt.engine) as s:
        row = claim_mail(
            session=s, key=letter.key, uid=uid, sender=letter.sender, subject=letter.subject, at=now
        )
        answer = verdict.answer
        if verdict.outcome == "accepted" and target and ob and sender:
            if verdict.files:
                stored, answer = _store_files(s, letter, verdict, now)
            else:
                answer = _complete_details(s, verdict, target, now)
        if target is not None:
            _answer_and_note(s, letter, verdict, answer, now)
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


def _store_files(
    session: Session, letter: Letter, verdict: Verdict, now: dt.datetime
) -> tuple[list[int], MailAnswer]:
    """Each attachment as the next version of the obligation's evidence; the confirmation,
    and the coordinator's note (``verdict.note``)."""
    target, ob, sender = verdict.rt, verdict.obligation, verdict.sender
    assert target is not None and ob is not None and sender is not None
    who = f"{sender.contact.name if sender.contact else letter.sender} <{letter.sender}>"
    stored: list[int] = []
    described: list[str] = []
    for n, a in enumerate(verdict.files, 1):
        ev = record_evidence(
            session=session,
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
    verdict.note = [
        f"По электронной почте от {who} ({_org_name(target, sender.org)}) поступило "
        f"документов: {len(stored)}.",
        *described,
        "Документы ожидают проверки (roadmap evidence, roadmap review).",
    ]
    answer = MailAnswer("accepted", documents=described, details_missing=not verdict.details.given)
    return stored, answer


def _answer_and_note(
    session: Session,
    letter: Letter,
    verdict: Verdict,
    answer: MailAnswer | None,
    now: dt.datetime,
) -> None:
    """The answer to the sender, and the coordinator's note, as outbox items."""
    target, ob, sender = verdict.rt, verdict.obligation, verdict.sender
    assert target is not None
    if answer is not None and sender is not None:
        record_mail_answer(
            session=session,
            program=target.program,
            letter_key=letter.key,
            in_reply_to=letter.message_id,
            answer=answer,
            sender=sender,
            obligation=ob,
            now=now,
            calendar=target.calendar,
        )
    if verdict.note:
        item = f" по обязательству {local_id(ob.id)}" if ob else ""
        record_alert(
            session=session,
            program=target.program,
            key=f"mail:{letter.key}",
            roles=("coordinator",),
            now=now,
            calendar=target.calendar,
            title=f"Письмо в почтовый ящик Программы{item}",
            lines=verdict.note,
        )


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
    send_waiting(rt, now)


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
    ob = ObligationId.parse(obligation_id)
    try:
        period = period_ru(parse_period(ob.period))
    except (ValueError, RoadmapError):
        return ob.local
    return f"{ob.activity}, {period}"
