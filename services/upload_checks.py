"""A link's files checked before anything of its answer is written, and refusals counted.

Every file of a submission is received and inspected (``storage.evidence.check_upload``:
bounded, in a child process) before the link is marked used or any row is written: one bad
file refuses the whole submission, nothing of it is kept, and the link stays usable, so a
person whose scan is broken can send a good one. A refusal is not free, though: each is an
audit row against the link (``intake_refused``), and once a link has been refused
``ROADMAP_INTAKE_MAX_REFUSED`` times it is locked (its page says so) and the program's
coordinator is told, with the command that sends its organisation a fresh link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from notifications.alerts import record_alert
from roadmap.errors import RoadmapError
from roadmap.obligations.keys import local_id
from services.runtime import Runtime
from services.tokens import LinkClaims
from storage.db import session_scope
from storage.errors import EvidenceRejected
from storage.evidence import CheckedDocument, check_upload
from storage.tables import ObligationRecord
from storage.waits import record_refused_attempt, refused_attempts


class UploadRefused(RoadmapError):
    """A submission refused whole for one of its files; ``locked``: the link is now locked."""

    def __init__(self, message: str, *, locked: bool) -> None:
        super().__init__(message)
        self.locked = locked


@dataclass(frozen=True)
class Upload:
    name: str
    stream: BinaryIO


def link_locked(rt: Runtime, claims: LinkClaims) -> bool:
    """Whether a link has been refused too often to be answered any more."""
    with session_scope(rt.engine) as s:
        return refused_attempts(session=s, nonce=claims.nonce) >= rt.settings.intake_max_refused


def check_uploads(
    rt: Runtime,
    *,
    claims: LinkClaims,
    obligation: ObligationRecord,
    files: Sequence[Upload],
    actor: str,
    channel: str,
) -> list[CheckedDocument]:
    """Every file of a link's answer, checked (the caller records then discards them).

    Raises:
        UploadRefused: a file is refused: its name and why, in Russian; nothing is kept,
            the refusal is counted against the link, which may now be locked.
    """
    checked: list[CheckedDocument] = []
    limit = rt.settings.max_upload_mb * 1024 * 1024
    try:
        for f in files:
            checked.append(check_upload(f.stream, store=rt.evidence, name=f.name, max_bytes=limit))
    except EvidenceRejected as exc:
        for done in checked:
            done.discard()
        bad = files[len(checked)].name
        reason = f"файл «{bad}»: {exc.message}"
        locked = _count_refusal(rt, claims, obligation, reason, actor=actor, channel=channel)
        raise UploadRefused(
            f"{reason}. Отправка не принята целиком: ничего не сохранено. "
            + (_LOCKED if locked else "Исправьте файл и отправьте всё заново."),
            locked=locked,
        ) from None
    return checked


_LOCKED = (
    "Ссылка заблокирована: по ней слишком много раз присылали файлы, не прошедшие проверку. "
    "Координатор программы уведомлён; новую ссылку пришлёт он."
)


def _count_refusal(
    rt: Runtime,
    claims: LinkClaims,
    obligation: ObligationRecord,
    reason: str,
    *,
    actor: str,
    channel: str,
) -> bool:
    """Count a refused submission against its link; at the limit, tell the coordinator.

    Returns whether the link is locked now.
    """
    now, limit = rt.now(), rt.settings.intake_max_refused
    with session_scope(rt.engine) as s:
        count = record_refused_attempt(
            session=s,
            nonce=claims.nonce,
            program_id=obligation.program_id,
            actor=actor,
            reason=reason[:1000],
            channel=channel,
            at=now,
        )
        if count == limit:
            record_alert(
                session=s,
                program=rt.program,
                key=f"intake-locked:{claims.nonce}",
                roles=("coordinator",),
                now=now,
                calendar=rt.calendar,
                title="Ссылка для представления документов заблокирована",
                lines=_locked_lines(obligation, claims, count, reason, actor),
            )
    return count >= limit


def _locked_lines(
    obligation: ObligationRecord, claims: LinkClaims, count: int, reason: str, actor: str
) -> list[str]:
    local = local_id(obligation.id)
    return [
        f"По ссылке для организации {claims.org} на обязательство {local} {count} раз "
        "присылали файлы, которые не прошли проверку; ссылка заблокирована.",
        f"Последний отказ: {reason}.",
        f"Отправитель назвался: {actor}.",
        "Если это был исполнитель, пришлите ему новую ссылку: "
        f"roadmap intake link --obligation {local} --org {claims.org}. "
        "Если нет, ссылка могла попасть к посторонним.",
    ]
