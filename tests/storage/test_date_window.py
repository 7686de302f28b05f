"""Dates people give are bounded to the program's window (01.01.2024–31.12.2028 for the
2025–2026 program); one given before the bound, already in the database, is refused when
someone acts on it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from roadmap.dates.date_window import DateOutOfRange
from storage.evidence import EvidenceStore, record_evidence
from storage.obligations import decide_extension, request_extension, resolve_obligation
from storage.tables import EvidenceRecord, ExtensionRecord
from tests.db import at
from tests.storage.files import PDF

OB = "1.8:2026-06"  # due 2026-06-30


def ask(session: Session, until: dt.date) -> ExtensionRecord:
    return request_extension(
        session=session,
        obligation_id=OB,
        until=until,
        reason="ждём данные",
        by="Минздрав",
        channel="cli",
        at=at("2026-06-20"),
    )


@pytest.mark.parametrize("until", [dt.date(9999, 12, 31), dt.date(2029, 1, 1)])
def test_an_extension_past_the_window_is_refused_in_russian(
    session: Session, until: dt.date
) -> None:
    with pytest.raises(
        DateOutOfRange, match="новый срок: .* вне допустимых дат 01.01.2024–31.12.2028"
    ):
        ask(session, until)
    assert session.exec(select(func.count()).select_from(ExtensionRecord)).one() == 0


def test_the_last_day_of_the_window_is_accepted(session: Session) -> None:
    assert ask(session, dt.date(2028, 12, 31)).requested_due == dt.date(2028, 12, 31)


def test_a_request_stored_before_the_bound_cannot_be_approved_but_can_be_refused(
    session: Session,
) -> None:
    ext = ask(session, dt.date(2026, 7, 31))
    session.flush()
    session.execute(
        text("UPDATE extension SET requested_due = '9999-12-31' WHERE id = :id"), {"id": ext.id}
    )
    session.expire_all()
    assert ext.id is not None
    with pytest.raises(DateOutOfRange):
        decide_extension(
            session=session,
            extension_id=ext.id,
            approve=True,
            by="Координатор",
            comment=None,
            channel="cli",
            at=at("2026-06-22"),
        )
    assert resolve_obligation(session=session, obligation_id=OB).due == dt.date(2026, 6, 30)
    refused = decide_extension(
        session=session,
        extension_id=ext.id,
        approve=False,
        by="Координатор",
        comment="такого срока нет",
        channel="cli",
        at=at("2026-06-22"),
    )
    assert refused.state == "refused"


@pytest.mark.parametrize(
    "effective", [dt.date(1, 1, 1), dt.date(2023, 12, 31), dt.date(9999, 1, 1)]
)
def test_a_document_dated_outside_the_window_is_refused_and_nothing_is_stored(
    session: Session, store: EvidenceStore, effective: dt.date
) -> None:
    with pytest.raises(DateOutOfRange, match="дата документа"):
        record_evidence(
            session=session,
            store=store,
            obligation_id=OB,
            stream=io.BytesIO(PDF),
            original_name="отчёт.pdf",
            submitted_by="Петрова",
            channel="cli",
            at=at("2026-06-20"),
            max_bytes=1 << 20,
            effective_date=effective,
        )
    assert session.exec(select(func.count()).select_from(EvidenceRecord)).one() == 0
    assert not any(p.is_file() for p in store.root.rglob("*"))
