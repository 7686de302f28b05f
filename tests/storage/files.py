"""Real documents for the evidence tests, built with the libraries that write them."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
import openpyxl


def pdf_bytes(note: str = "", pad: int = 0) -> bytes:
    """A minimal valid one-page PDF (pypdf opens it); ``note`` and ``pad`` bytes of comment
    make each file distinct or as large as a test needs."""
    head = b"%PDF-1.4\n"
    if note or pad:
        head += b"% " + note.encode() + b"x" * pad + b"\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    body, offsets = head, []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (n, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body


PDF = pdf_bytes()
# Begins as a PDF and says so, but has no cross-reference table or pages: not a PDF.
FAKE_PDF = b"%PDF-1.4\n% a text file renamed\n%%EOF\n"


def ole_bytes(size: int = 1536) -> bytes:
    """An OLE compound file header (MS-CFB version 3) padded to ``size``: the container of
    DOC and XLS, as far as the evidence check reads it."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16)
    header += (0x3E).to_bytes(2, "little") + (3).to_bytes(2, "little")  # minor, major version
    header += b"\xfe\xff" + (9).to_bytes(2, "little") + (6).to_bytes(2, "little")
    return header + bytes(size - len(header))


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"\x00\xff\xff\xff"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def docx_bytes(text: str = "Протокол заседания") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Численность"
    wb.active["B1"] = 812
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def zip_bomb() -> bytes:
    """A small archive that unpacks to 100 MB of zeros (ratio ~1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("отчёт.pdf", b"%PDF-1.4\n" + b"\x00" * (100 * 1024 * 1024))
    return buf.getvalue()


def lying_zip(members: dict[str, bytes]) -> bytes:
    """A ZIP whose headers state every member unpacks to 10 bytes, whatever it really holds."""
    data = bytearray(zip_of(members))
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) >= 0:  # local headers: uncompressed size
        data[pos + 22 : pos + 26] = (10).to_bytes(4, "little")
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:  # central directory: the same
        data[pos + 24 : pos + 28] = (10).to_bytes(4, "little")
        pos += 4
    return bytes(data)


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
