"""Deadline extensions: requested, approved or refused, with the due date history kept."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from roadmap.obligations.states import State
from storage.audit import history
from storage.errors import NotFound
from storage.obligations import (
    decide_extension,
    list_extensions,
    mark_overdue,
    request_extension,
    resolve_obligation,
)
from tests.db import at

OB = "1.8:2026-06"  # due 2026-06-30


def test_approved_extension_moves_the_due_date_and_keeps_history(session: Session) -> None:
    ext = request_extension(session=session, obligation_id=OB, until=dt.date(2026, 7, 31),
                            reason="ждём данные", by="Минздрав", channel="cli", at=at("2026-06-20"))  # fmt: skip
    decide_extension(session=session, extension_id=ext.id, approve=True, by="Координатор",  # type: ignore[arg-type]
                     comment=None, channel="cli", at=at("2026-06-22"))  # fmt: skip
    row = resolve_obligation(session=session, obligation_id=OB)
    assert (row.due, row.program_due, row.ladder_cycle) == (
        dt.date(2026, 7, 31),
        dt.date(2026, 6, 30),
        1,
    )
    changes = [
        (h.field, h.old, h.new)
        for h in history(session=session, entity="obligation", entity_id=row.id)
    ]
    assert ("due", "2026-06-30", "2026-07-31") in changes
    assert [e.state for e in list_extensions(session=session)] == ["approved"]


def test_extension_of_an_overdue_obligation_reopens_it(session: Session) -> None:
    mark_overdue(
        session=session,
        program_id="krasnoyarsk-2025-2026",
        as_of=dt.date(2026, 7, 3),
        at=at("2026-07-03"),
    )
    assert resolve_obligation(session=session, obligation_id=OB).state == State.OVERDUE
    ext = request_extension(session=session, obligation_id=OB, until=dt.date(2026, 7, 31),
                            reason="r", by="x", channel="cli", at=at("2026-07-03"))  # fmt: skip
    decide_extension(session=session, extension_id=ext.id, approve=True, by="y", comment=None,  # type: ignore[arg-type]
                     channel="cli", at=at("2026-07-06"))  # fmt: skip
    assert resolve_obligation(session=session, obligation_id=OB).state == State.OPEN


def test_refusal_needs_a_reason_and_changes_nothing(session: Session) -> None:
    ext = request_extension(session=session, obligation_id=OB, until=dt.date(2026, 7, 31),
                            reason="r", by="x", channel="cli", at=at("2026-06-20"))  # fmt: skip
    with pytest.raises(ValueError, match="причину отказа"):
        decide_extension(session=session, extension_id=ext.id, approve=False, by="y",  # type: ignore[arg-type]
                         comment=None, channel="cli", at=at("2026-06-21"))  # fmt: skip
    decide_extension(session=session, extension_id=ext.id, approve=False, by="y",  # type: ignore[arg-type]
                     comment="срок в постановлении", channel="cli", at=at("2026-06-21"))  # fmt: skip
    assert resolve_obligation(session=session, obligation_id=OB).due == dt.date(2026, 6, 30)
    with pytest.raises(ValueError, match="уже рассмотрен"):
        decide_extension(session=session, extension_id=ext.id, approve=True, by="y",  # type: ignore[arg-type]
                         comment=None, channel="cli", at=at("2026-06-22"))  # fmt: skip


@pytest.mark.parametrize(
    ("until", "reason", "message"),
    [("2026-06-01", "r", "должен быть позже"), ("2026-07-31", " ", "причину")],
)
def test_bad_requests_are_refused(session: Session, until: str, reason: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        request_extension(session=session, obligation_id=OB, until=dt.date.fromisoformat(until),
                          reason=reason, by="x", channel="cli", at=at("2026-06-20"))  # fmt: skip


def test_unknown_obligation_and_extension(session: Session) -> None:
    with pytest.raises(NotFound):
        resolve_obligation(session=session, obligation_id="nope")
    with pytest.raises(NotFound):
        decide_extension(session=session, extension_id=999, approve=True, by="y", comment=None,
                         channel="cli", at=at("2026-06-22"))  # fmt: skip
