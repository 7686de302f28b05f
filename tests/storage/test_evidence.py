"""Evidence: kept by hash, versioned, reviewed; bad files refused with nothing left behind."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
import unicodedata
import zipfile
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from roadmap.obligations.states import InvalidTransition, State
from storage.errors import EvidenceRejected, NotFound, StaleVersion
from storage.evidence import EvidenceStore, list_evidence, record_evidence, review_evidence
from storage.obligations import declare_not_applicable, resolve_obligation
from storage.tables import AuditRecord, EvidenceRecord
from tests.db import at
from tests.storage.files import (
    ELF,
    FAKE_PDF,
    PDF,
    docx_bytes,
    lying_zip,
    ole_bytes,
    pdf_bytes,
    png,
    xlsx_bytes,
    zip_bomb,
    zip_of,
)

OB = "6.1:2025-03"  # due 2025-04-07
MB = 1024 * 1024


def submit(session: Session, store: EvidenceStore, data: bytes, name: str = "отчёт.pdf",
           day: str = "2025-04-03", ob: str = OB, **kw: object) -> EvidenceRecord:  # fmt: skip
    return record_evidence(
        session=session, store=store, obligation_id=ob, stream=io.BytesIO(data),
        original_name=name, submitted_by="Петрова А.В.", submitted_org="minsoc", channel="cli",
        at=at(day), max_bytes=25 * MB, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def stored_files(store: EvidenceStore) -> list[Path]:
    return [p for p in store.root.rglob("*") if p.is_file()]


def test_file_is_stored_by_its_hash_and_the_name_is_only_recorded(
    session: Session, store: EvidenceStore
) -> None:
    ev = submit(session, store, PDF, name="../../etc/отчёт за март.pdf".split("/")[-1])
    sha = hashlib.sha256(PDF).hexdigest()
    assert ev.sha256 == sha and ev.size == len(PDF) and ev.media_type == "application/pdf"
    assert ev.original_name == "отчёт за март.pdf"
    assert stored_files(store) == [store.root / sha[:2] / sha[2:4] / sha]
    assert ev.period == "2025-03" and ev.version == 1
    assert ev.submitted_by == "Петрова А.В." and ev.channel == "cli"


def test_effective_date_is_the_documents_own_date(session: Session, store: EvidenceStore) -> None:
    import datetime as dt

    ev = submit(session, store, PDF, effective_date=dt.date(2025, 4, 1))
    assert ev.effective_date == dt.date(2025, 4, 1)
    assert ev.submitted_at == at("2025-04-03")


def test_document_details_are_recorded_and_its_date_counts_from_then(
    session: Session, store: EvidenceStore
) -> None:
    import datetime as dt

    from roadmap.reports.doc_details import DocumentDetails

    details = DocumentDetails("постановление КДНиЗП", "17-кдн", dt.date(2025, 3, 12), "О плане")
    ev = submit(session, store, PDF, details=details)
    assert (ev.doc_type, ev.doc_number, ev.doc_date, ev.doc_title) == (
        "постановление КДНиЗП",
        "17-кдн",
        dt.date(2025, 3, 12),
        "О плане",
    )
    assert ev.effective_date == dt.date(2025, 3, 12)  # the document's date, unless told otherwise
    bare = submit(session, store, PDF)
    assert (bare.doc_type, bare.doc_number, bare.doc_date, bare.doc_title) == (None,) * 4
    assert bare.effective_date == dt.date(2025, 4, 3)  # the day it was handed in


def test_resubmission_is_a_new_version_and_nothing_is_overwritten(
    session: Session, store: EvidenceStore
) -> None:
    first = submit(session, store, PDF)
    second = submit(session, store, docx_bytes(), name="отчёт.docx", day="2025-04-04")
    versions = list_evidence(session=session, obligation_id=OB)
    assert [v.version for v in versions] == [1, 2]
    assert (versions[0].sha256, versions[1].sha256) == (first.sha256, second.sha256)
    assert len(stored_files(store)) == 2


def test_submission_stops_the_obligation_and_records_when(
    session: Session, store: EvidenceStore
) -> None:
    submit(session, store, PDF, day="2025-04-09")
    row = resolve_obligation(session=session, obligation_id=OB)
    assert row.state == State.SUBMITTED
    assert str(row.fulfilled_on) == "2025-04-09"
    audit = session.exec(
        select(AuditRecord).where(AuditRecord.action == "evidence_submitted")
    ).one()
    assert audit.actor == "Петрова А.В." and audit.channel == "cli"


@pytest.mark.parametrize(
    ("data", "name", "media"),
    [
        (
            docx_bytes(),
            "протокол.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            xlsx_bytes(),
            "численность.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (png(), "скан.png", "image/png"),
        (
            zip_of({"протокол.pdf": PDF, "приложение.docx": docx_bytes()}),
            "пакет.zip",
            "application/zip",
        ),
        (ole_bytes(), "старый.doc", "application/msword"),
        (ole_bytes(), "старая таблица.xls", "application/vnd.ms-excel"),
        (
            zip_of({"отчёт.docx": docx_bytes(), "таблица.xlsx": xlsx_bytes(), "скан.png": png()}),
            "пакет.zip",
            "application/zip",
        ),
        (PDF, "без_расширения", "application/pdf"),
    ],
)
def test_allowed_types_are_read_from_content(
    session: Session, store: EvidenceStore, data: bytes, name: str, media: str
) -> None:
    assert submit(session, store, data, name=name).media_type == media


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "пусто.pdf", "пустой"),
        (ELF, "отчёт.pdf", "тип файла"),  # an executable disguised by its extension
        (b"just text, no document", "отчёт.pdf", "не распознан"),
        (PDF, "отчёт.docx", "по содержимому это PDF"),
        (zip_of({"virus.exe": ELF}), "пакет.zip", "недопустимый файл"),
        (zip_of({"inner.zip": zip_of({"a.pdf": PDF})}), "пакет.zip", "недопустимый файл"),
        (zip_bomb(), "пакет.zip", "zip-бомба"),
        (ole_bytes(), "макрос.exe", "старого формата"),
        (PDF, "../../etc/passwd.pdf", "путь"),
        (PDF, "a\\b.pdf", "путь"),
        (PDF, "отчёт\x00.pdf", "управляющие"),
        (PDF, "отчёт\n.pdf", "управляющие"),
        (PDF, "..", "путь"),
        (PDF, "   ", "нет имени"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    session: Session, store: EvidenceStore, data: bytes, name: str, message: str
) -> None:
    with pytest.raises(EvidenceRejected, match=message):
        submit(session, store, data, name=name)
    assert stored_files(store) == []
    assert session.exec(select(func.count()).select_from(EvidenceRecord)).one() == 0
    assert resolve_obligation(session=session, obligation_id=OB).state == State.OPEN


def test_file_over_the_limit_is_refused_while_streaming(
    session: Session, store: EvidenceStore
) -> None:
    big = io.BytesIO(PDF + b"0" * (2 * MB))
    with pytest.raises(EvidenceRejected, match="больше допустимого размера 1 МБ"):
        record_evidence(
            session=session, store=store, obligation_id=OB, stream=big, original_name="big.pdf",
            submitted_by="x", channel="cli", at=at("2025-04-03"), max_bytes=1 * MB,
        )  # fmt: skip
    assert stored_files(store) == []


def test_unknown_obligation_is_refused_before_the_file_is_kept(
    session: Session, store: EvidenceStore
) -> None:
    with pytest.raises(NotFound, match="не найдено"):
        submit(session, store, PDF, ob="9.9:2025-01")
    assert stored_files(store) == []


def test_not_applicable_obligation_takes_no_evidence(
    session: Session, store: EvidenceStore
) -> None:
    declare_not_applicable(session=session, obligation_id=OB, reason="учреждение закрыто",
                           by="Сидоров", channel="cli", at=at("2025-03-20"))  # fmt: skip
    with pytest.raises(EvidenceRejected, match="неприменимым"):
        submit(session, store, PDF)


def test_accept_on_time_and_late(session: Session, store: EvidenceStore) -> None:
    submit(session, store, PDF, day="2025-04-07")  # on the due date
    review_evidence(session=session, obligation_id=OB, accept=True, comment=None,
                    reviewer="Координатор", channel="cli", at=at("2025-04-08"))  # fmt: skip
    assert resolve_obligation(session=session, obligation_id=OB).state == State.ACCEPTED
    submit(session, store, PDF, day="2025-05-20", ob="6.1:2025-04")  # due 2025-05-13
    review_evidence(session=session, obligation_id="6.1:2025-04", accept=True, comment="ок",
                    reviewer="Координатор", channel="cli", at=at("2025-05-21"))  # fmt: skip
    assert (
        resolve_obligation(session=session, obligation_id="6.1:2025-04").state == State.CLOSED_LATE
    )


def test_a_review_of_a_version_a_newer_one_replaced_is_refused(
    session: Session, store: EvidenceStore
) -> None:
    submit(session, store, PDF, day="2025-04-07")
    submit(session, store, docx_bytes(), name="отчёт исправленный.docx", day="2025-04-08")
    with pytest.raises(StaleVersion, match="на проверке уже версия 2, а не 1"):
        review_evidence(
            session=session,
            obligation_id=OB,
            accept=True,
            comment=None,
            reviewer="Координатор",
            channel="cli",
            at=at("2025-04-08"),
            version=1,
        )
    assert resolve_obligation(session=session, obligation_id=OB).state == State.SUBMITTED
    ev = review_evidence(
        session=session,
        obligation_id=OB,
        accept=True,
        comment=None,
        reviewer="Координатор",
        channel="cli",
        at=at("2025-04-08"),
        version=2,
    )
    assert (ev.version, ev.review_state) == (2, "accepted")


def test_rejection_reopens_and_needs_a_comment(session: Session, store: EvidenceStore) -> None:
    submit(session, store, PDF, day="2025-04-10")
    with pytest.raises(ValueError, match="комментарий"):
        review_evidence(session=session, obligation_id=OB, accept=False, comment="",
                        reviewer="К", channel="cli", at=at("2025-04-11"))  # fmt: skip
    ev = review_evidence(session=session, obligation_id=OB, accept=False, comment="нет подписи",
                         reviewer="К", channel="cli", at=at("2025-04-11"))  # fmt: skip
    row = resolve_obligation(session=session, obligation_id=OB)
    assert (row.state, row.fulfilled_on, row.ladder_cycle) == (State.REJECTED, None, 1)
    assert str(row.ladder_anchor) == "2025-04-11"  # past the due date: the ladder restarts
    assert ev.review_state == "rejected" and ev.review_comment == "нет подписи"
    with pytest.raises(NotFound):
        review_evidence(session=session, obligation_id=OB, accept=True, comment=None,
                        reviewer="К", channel="cli", at=at("2025-04-12"))  # fmt: skip
    submit(session, store, docx_bytes(), name="исправлено.docx", day="2025-04-14")
    assert resolve_obligation(session=session, obligation_id=OB).state == State.SUBMITTED


def test_na_needs_a_reason_and_cannot_follow_submission(
    session: Session, store: EvidenceStore
) -> None:
    with pytest.raises(ValueError, match="причину"):
        declare_not_applicable(session=session, obligation_id=OB, reason=" ", by="x",
                               channel="cli", at=at("2025-03-20"))  # fmt: skip
    submit(session, store, PDF)
    with pytest.raises(InvalidTransition, match="представлено"):
        declare_not_applicable(session=session, obligation_id=OB, reason="нет", by="x",
                               channel="cli", at=at("2025-04-05"))  # fmt: skip


def _office_with(data: bytes, replace: dict[str, bytes]) -> bytes:
    """An Office file with parts replaced or added (or removed, for b"")."""
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {i.filename: src.read(i) for i in src.infolist()}
    parts.update(replace)
    return zip_of({name: part for name, part in parts.items() if part != b""})


def _docx_as_docm() -> bytes:
    data = docx_bytes()
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    macro = types.replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    return _office_with(data, {"[Content_Types].xml": macro})


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        # a PDF by its first bytes, but not a PDF: no cross-reference table, no pages
        (FAKE_PDF, "отчёт.pdf", "не открывается как PDF"),
        (PDF[: len(PDF) // 2], "отчёт.pdf", "не открывается как PDF"),
        (
            PDF.replace(b"/Count 1", b"/Count 0").replace(b"[3 0 R]", b"[]"),
            "пусто.pdf",
            "нет ни одной страницы",
        ),
        # an Office file by its first bytes, but not one
        (
            _office_with(docx_bytes(), {"[Content_Types].xml": b""}),
            "отчёт.docx",
            "нет частей документа",
        ),
        (
            _office_with(docx_bytes(), {"word/document.xml": b"<not xml"}),
            "отчёт.docx",
            "не открывается",
        ),
        (_docx_as_docm(), "отчёт.docx", "нет основной части"),
        (
            _office_with(xlsx_bytes(), {"xl/workbook.xml": b""}),
            "таблица.xlsx",
            "нет основной части",
        ),
        (png()[:30], "скан.png", "не открывается как изображение"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "скан.jpg", "не открывается как изображение"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600, "старый.doc", "повреждён"),
        # a polyglot: a PDF with a ZIP glued on
        (PDF + zip_of({"a.pdf": PDF}), "отчёт.pdf", "приклеен архив"),
        # inside a ZIP, each document is checked the same way, Office files included
        (
            zip_of({"протокол.pdf": FAKE_PDF}),
            "пакет.zip",
            "«протокол.pdf»: файл начинается как PDF",
        ),
        (zip_of({"отчёт.docx": _docx_as_docm()}), "пакет.zip", "«отчёт.docx»: в файле DOCX нет"),
        # headers that say 10 bytes while the members inflate to 100 MB
        (lying_zip({"отчёт.pdf": pdf_bytes(pad=100 * MB)}), "пакет.zip", "zip-бомба|повреждён"),
        # an Office file inside a ZIP inflating past the budget
        (
            zip_of(
                {"отчёт.docx": _office_with(docx_bytes(), {"word/media/x.bin": bytes(100 * MB)})}
            ),
            "пакет.zip",
            "zip-бомба",
        ),
    ],
    ids=[
        "fake-pdf",
        "half-pdf",
        "no-pages",
        "docx-no-types",
        "docx-broken-xml",
        "docm-as-docx",
        "xlsx-no-workbook",
        "png-truncated",
        "jpeg-header-only",
        "ole-garbage",
        "pdf-zip-polyglot",
        "zip-fake-pdf",
        "zip-docm",
        "zip-lying-headers",
        "zip-docx-bomb",
    ],
)
def test_a_file_that_does_not_open_as_what_it_claims_is_refused(
    session: Session, store: EvidenceStore, data: bytes, name: str, message: str
) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(EvidenceRejected, match=message):
            submit(session, store, data, name=name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, peak  # refused by its headers, never inflated
    assert stored_files(store) == []
    assert session.exec(select(func.count()).select_from(EvidenceRecord)).one() == 0


@pytest.mark.parametrize(
    "char",
    [
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u2028",
        "\u2029",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
    ],
)
def test_names_with_bidi_separator_or_zero_width_characters_are_refused(
    session: Session, store: EvidenceStore, char: str
) -> None:
    with pytest.raises(EvidenceRejected, match=f"U\\+{ord(char):04X}"):
        submit(session, store, PDF, name=f"отчёт{char}fdp.exe.pdf")
    assert stored_files(store) == []


def test_names_are_recorded_in_nfc(session: Session, store: EvidenceStore) -> None:
    decomposed = "отч\u0435\u0308т.pdf"  # «ё» as «е» and a combining diaeresis (as macOS writes it)
    ev = submit(session, store, PDF, name=decomposed)
    assert ev.original_name == "отчёт.pdf" == unicodedata.normalize("NFC", decomposed)
