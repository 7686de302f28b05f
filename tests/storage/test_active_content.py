"""Evidence with active content refused through the storage function, links that only open
when clicked kept, and refused submissions counted per link (both backends)."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
from sqlmodel import Session

from storage.errors import EvidenceRejected
from storage.evidence import EvidenceStore
from storage.waits import record_refused_attempt, refused_attempts
from tests.db import at
from tests.intake import hostile_files as hostile
from tests.storage.test_evidence import stored_files, submit


def _docx_with_hyperlink() -> bytes:
    """A DOCX with an ordinary web link: an external relationship of type hyperlink."""
    document = docx.Document()
    paragraph = document.add_paragraph("Приказ опубликован: ")
    part = document.part
    rid = part.relate_to(
        "https://minsoc.example.org/prikaz",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    link = docx.oxml.OxmlElement("w:hyperlink")
    link.set(docx.oxml.ns.qn("r:id"), rid)
    run = docx.oxml.OxmlElement("w:r")
    text = docx.oxml.OxmlElement("w:t")
    text.text = "minsoc.example.org"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf_with_uri_link() -> bytes:
    """A PDF with a link annotation to a web page (a /URI action, opened only on a click)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    action = {
        NameObject("/S"): NameObject("/URI"),
        NameObject("/URI"): TextStringObject("https://example.org"),
    }
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/A"): DictionaryObject(action),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "build"),
    [("приказ.docx", _docx_with_hyperlink), ("акт.pdf", _pdf_with_uri_link)],
    ids=["docx-hyperlink", "pdf-uri-link"],
)
def test_links_that_open_only_when_clicked_are_kept(
    session: Session, store: EvidenceStore, name: str, build: Callable[[], bytes]
) -> None:
    assert submit(session, store, build(), name=name).version == 1


@pytest.mark.parametrize(
    ("name", "build", "why"),
    [
        ("свод.xlsx", hostile.xlsx_with_external_link, "внешней книгой"),
        ("приказ.docx", hostile.docx_with_remote_template, "http://evil.example/t.dotm"),
        ("акт.pdf", hostile.pdf_with_escaped_javascript, "JavaScript"),
        ("акты.zip", hostile.zip_first_polyglot, "полиглот"),
    ],
    ids=["xlsx-external-link", "docx-remote-template", "pdf-escaped-js", "zip-polyglot"],
)
def test_active_content_is_refused_through_the_storage_function_and_nothing_is_kept(
    session: Session, store: EvidenceStore, name: str, build: Callable[[], bytes], why: str
) -> None:
    with pytest.raises(EvidenceRejected, match=why):
        submit(session, store, build(), name=name)
    assert stored_files(store) == []


def test_refused_submissions_are_counted_per_link(session: Session) -> None:
    def refuse(nonce: str) -> int:
        return record_refused_attempt(
            session=session,
            nonce=nonce,
            program_id="krasnoyarsk-2025-2026",
            actor="Козлова Т. Ю. (minzdrav)",
            reason="файл «акт.pdf»: в PDF есть сценарий JavaScript",
            channel="intake",
            at=at("2025-04-03"),
        )

    assert refused_attempts(session=session, nonce="link-a") == 0
    assert [refuse("link-a"), refuse("link-a"), refuse("link-b")] == [1, 2, 1]
    assert refused_attempts(session=session, nonce="link-a") == 2
