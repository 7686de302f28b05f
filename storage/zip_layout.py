"""A ZIP (or an Office file, which is one) laid out as nothing else: no polyglot.

A reader of ZIPs trusts the directory at the end; a PDF reader looks for ``%PDF`` in the
first kilobyte (ISO 32000-1, annex H.3: Acrobat accepts it within 1024 bytes) and a
browser sniffs the start. A file built to be both, say a ZIP whose first member is a
stored PDF, passes each check made for one type and opens as the other. So an archive must
be exactly its members, one after another from byte 0, then its central directory, then
its end record (APPNOTE 6.3.10, §§ 4.3.6–4.3.16), with nothing between or after; and
neither its first kilobyte nor its comment may hold a PDF header.
"""

from __future__ import annotations

import zipfile
from typing import IO

from storage.errors import EvidenceRejected

_LOCAL = b"PK\x03\x04"
_END = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_DESCRIPTOR = b"PK\x07\x08"
PDF_WINDOW = 1024
POLYGLOT = (
    "файл одновременно архив и PDF (полиглот): такие файлы не принимаются; "
    "упакуйте документы заново, со сжатием"
)


def check_zip_layout(f: IO[bytes], infos: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive with bytes outside its members and directory, or a PDF inside its
    first kilobyte or its comment. ``f`` is left at its start.

    Raises:
        EvidenceRejected: a polyglot, or an archive with hidden bytes.
    """
    try:
        f.seek(0)
        if b"%PDF" in f.read(PDF_WINDOW):
            raise EvidenceRejected(POLYGLOT)
        end = _members_end(f, infos)
        _check_end(f, end)
    finally:
        f.seek(0)


def _members_end(f: IO[bytes], infos: list[zipfile.ZipInfo]) -> int:
    """Where the last member ends, once every member is found right after the one before."""
    expected = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset != expected:
            raise EvidenceRejected(_HIDDEN)
        f.seek(info.header_offset)
        local = f.read(30)
        if len(local) < 30 or not local.startswith(_LOCAL):
            raise EvidenceRejected(_HIDDEN)
        name_len = int.from_bytes(local[26:28], "little")
        extra_len = int.from_bytes(local[28:30], "little")
        expected = info.header_offset + 30 + name_len + extra_len + info.compress_size
        if info.flag_bits & 0x8:  # a data descriptor follows the data (§ 4.3.9)
            f.seek(expected)
            signed = f.read(4) == _DESCRIPTOR
            wide = info.compress_size > 0xFFFFFFFF or info.file_size > 0xFFFFFFFF
            expected += (4 if signed else 0) + (20 if wide else 12)
    return expected


def _check_end(f: IO[bytes], members_end: int) -> None:
    """The central directory starts where the members end; the end record ends the file."""
    size = f.seek(0, 2)
    tail_start = max(0, size - 22 - 0xFFFF)
    f.seek(tail_start)
    tail = f.read()
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < 22:
        raise EvidenceRejected(_HIDDEN)
    record = tail[at : at + 22]
    directory_size = int.from_bytes(record[12:16], "little")
    directory_start = int.from_bytes(record[16:20], "little")
    comment_len = int.from_bytes(record[20:22], "little")
    if at + 22 + comment_len != len(tail):
        raise EvidenceRejected(_HIDDEN)  # bytes after the end record
    if b"%PDF" in tail[at + 22 :]:
        raise EvidenceRejected(POLYGLOT)
    if directory_start == 0xFFFFFFFF or tail[max(0, at - 20) : at].startswith(_ZIP64_LOCATOR):
        return  # ZIP64: the directory's place is in another record; the members are checked
    if directory_start != members_end or directory_start + directory_size != tail_start + at:
        raise EvidenceRejected(_HIDDEN)


_HIDDEN = (
    "в архиве есть данные вне его файлов (так устроены файлы-полиглоты): "
    "такие файлы не принимаются; упакуйте документы заново"
)
