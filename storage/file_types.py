"""What an uploaded file is: its type read from its content, and proof that it opens as one.

The first bytes name a type (``filetype``; DOC and XLS share the OLE container, so the name
tells which). That is only a claim: the file must then open as what it claims. A PDF is read
by pypdf down to its page count; a DOCX or XLSX names its main part in
``[Content_Types].xml`` and opens in python-docx or openpyxl; an ODT or ODS names itself in
its ``mimetype`` member; a JPEG or PNG opens in Pillow, whose header checks include the
decompression-bomb limit; a DOC or XLS has a well-formed OLE header (only the header: no
parser of the old formats is installed).

Archives (ZIPs, and the DOCX, XLSX, ODT and ODS that are ZIPs inside) are judged by the bytes
they actually inflate, counted as they stream, never by the sizes their headers state: one
budget per upload, at most ``MAX_RATIO`` times the upload and never past ``MAX_UNPACKED``.
Each document inside a ZIP is checked as above, Office files inside a ZIP included, and
their inflated bytes count against the same budget.

A submitter's file name is recorded, never used as a path: it is NFC-normalised, and
refused with any character the one text rule (``roadmap.words.clean``) refuses: control
characters, bidi controls (they make «exe.pdf» read as «fdp.exe»), line and paragraph
separators, zero-width and other invisible characters.
"""

from __future__ import annotations

import tempfile
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

import filetype

from roadmap.words.clean import hidden
from storage.errors import EvidenceRejected
from storage.office_parts import PartsBudget, XmlPart, check_active_parts, is_xml_part
from storage.pdf_content import check_pdf_content
from storage.zip_layout import check_zip_layout

CHUNK = 1 << 16
MB = 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
JPEG = "image/jpeg"
PNG = "image/png"
ZIP = "application/zip"
DOCUMENT_TYPES: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    DOC: (".doc",),
    XLS: (".xls",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    ODT: (".odt",),
    ODS: (".ods",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
}
ALLOWED_TYPES = {**DOCUMENT_TYPES, ZIP: (".zip",)}
TYPE_NAMES = "PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, JPEG/PNG или ZIP с такими файлами"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# The main part an Office file's [Content_Types].xml must name (ECMA-376 part 2).
OOXML_MAIN = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_NAMES = {PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX", ODT: "ODT", ODS: "ODS", JPEG: "JPEG", PNG: "PNG"}

# Archive limits (a docx is an archive too).
MAX_MEMBERS = 500
MAX_UNPACKED = 512 * MB
MAX_RATIO = 200
RATIO_FLOOR = 16 * MB  # a small upload may inflate this much whatever its ratio


def check_name(name: str) -> str:
    """A submitter's file name as it will be recorded (NFC; never used as a path).

    Raises:
        EvidenceRejected: empty, too long, a path («/», «\\», «..»), control characters,
            bidi controls, line or paragraph separators, zero-width characters.
    """
    name = unicodedata.normalize("NFC", name or "")
    if not name.strip():
        raise EvidenceRejected("у файла нет имени")
    if len(name) > 255:
        raise EvidenceRejected("имя файла длиннее 255 символов")
    if found := next((ch for ch in name if hidden(ch)), None):
        if unicodedata.category(found) == "Cc":
            raise EvidenceRejected("в имени файла есть управляющие символы")
        raise EvidenceRejected(
            f"в имени файла есть невидимый символ U+{ord(found):04X} (меняет порядок "
            "или разрывает текст): переименуйте файл"
        )
    # «../» and the like are refused through the separators; the name is never used on disk
    if "/" in name or "\\" in name or name.strip() in (".", ".."):
        raise EvidenceRejected("имя файла не может содержать путь («/», «\\»)")
    return name.strip()


class _Inflated:
    """The bytes an upload's archives have inflated so far, against one budget."""

    def __init__(self, upload_size: int) -> None:
        self.cap = min(MAX_UNPACKED, max(RATIO_FLOOR, MAX_RATIO * upload_size))
        self.total = 0

    def take(self, n: int) -> None:
        self.total += n
        if self.total > self.cap:
            raise EvidenceRejected(
                f"архив распаковывается больше чем в {self.cap // MB} МБ (zip-бомба?)"
            )


def sniff(path: Path, name: str) -> str:
    """The media type of a stored file, read from its content, once it opens as that type.

    Raises:
        EvidenceRejected: a type outside the allowed list, a name that claims another type,
            or a file that does not open as the type its first bytes claim.
    """
    ext = Path(name).suffix.lower()
    with path.open("rb") as f:
        media = _claimed_type(f.read(8192), ext)
        f.seek(0)
        _check_opens(f, media, _Inflated(path.stat().st_size), top_level=True)
    if ext and ext not in ALLOWED_TYPES[media]:
        raise EvidenceRejected(
            f"по содержимому это {ALLOWED_TYPES[media][0][1:].upper()}, а имя файла — «{ext}»"
        )
    return media


def check_word_bounds(path: Path) -> None:
    """A Word file's archive and XML parts within the bounds evidence is held to (members,
    inflated bytes, XML nodes, no document type); its active content is not refused: it is
    read for its text, never opened in Word.

    Raises:
        EvidenceRejected: the file is out of bounds or not an archive.
    """
    with path.open("rb") as f:
        _inflate(f, _Inflated(path.stat().st_size), documents=False, active=False)


def _claimed_type(head: bytes, ext: str) -> str:
    if head.startswith(OLE_MAGIC):
        # DOC and XLS share the OLE container; the name tells which one was meant.
        media = {".doc": DOC, ".xls": XLS}.get(ext)
        if media is None:
            named = ext or "без расширения"
            raise EvidenceRejected(
                f"файл — документ Microsoft Office старого формата, а назван «{named}»"
            )
        return media
    kind = filetype.guess(head)
    media = kind.mime if kind else None
    if media not in ALLOWED_TYPES:
        described = f"«{media}»" if media else "не распознан"
        raise EvidenceRejected(f"тип файла {described}; принимаются {TYPE_NAMES}")
    return media


def _check_opens(f: IO[bytes], media: str, budget: _Inflated, *, top_level: bool) -> None:
    """Raise EvidenceRejected unless ``f`` opens as ``media`` (``f`` is at its start)."""
    if media == ZIP:
        if not top_level:
            raise EvidenceRejected("архив внутри архива не принимается")
        _inflate(f, budget, documents=True)
    elif media in (DOCX, XLSX, ODT, ODS):
        _inflate(f, budget, documents=False)
        _check_office(f, media)
    else:
        if zipfile.is_zipfile(f):
            raise EvidenceRejected(f"к файлу {_NAMES.get(media, media)} приклеен архив")
        f.seek(0)
        if media == PDF:
            _check_pdf(f)
        elif media in (JPEG, PNG):
            _check_image(f, media)
        else:
            _check_ole(f)


def _inflate(f: IO[bytes], budget: _Inflated, *, documents: bool, active: bool = True) -> None:
    """Stream every member of an archive through the budget; with ``documents``, check each
    member as a document of its own (a top-level ZIP), else read the XML parts of an Office
    file within their bounds and refuse its active content (``office_parts.py``)."""
    parts = PartsBudget()
    try:
        with zipfile.ZipFile(f) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise EvidenceRejected(f"в архиве больше {MAX_MEMBERS} файлов")
            check_zip_layout(f, infos)
            for info in infos:
                _inflate_member(zf, info, budget, parts if not documents else None)
        if not documents and active:
            check_active_parts([i.filename for i in infos], parts.rels)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise EvidenceRejected("архив повреждён или сжат неподдерживаемым способом") from None
    finally:
        f.seek(0)


def _inflate_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Inflated, parts: PartsBudget | None
) -> None:
    """One member through the budget: checked as a document of its own (``parts`` None),
    or, inside an Office file, its XML fed to a bounded parser as it inflates."""
    if info.filename.startswith("/") or ".." in info.filename.split("/"):
        raise EvidenceRejected(f"в архиве файл с недопустимым путём «{info.filename}»")
    if info.is_dir():
        return
    if info.flag_bits & 0x1:
        raise EvidenceRejected(f"в архиве зашифрованный файл «{info.filename}»")
    xml = XmlPart(info.filename, parts) if parts and is_xml_part(info.filename) else None
    with tempfile.SpooledTemporaryFile(max_size=MB) as out, zf.open(info) as member:
        while chunk := member.read(CHUNK):
            budget.take(len(chunk))
            if xml is not None:
                xml.feed(chunk)
            elif parts is None:
                out.write(chunk)
        if xml is not None:
            xml.close()
        if parts is None:
            out.seek(0)
            _check_member(out, info, budget)


def _check_member(out: IO[bytes], info: zipfile.ZipInfo, budget: _Inflated) -> None:
    inner = info.filename.rsplit("/", 1)[-1]
    ext = Path(inner).suffix.lower()
    head = out.read(8192)
    out.seek(0)
    if head.startswith(OLE_MAGIC) and ext in (".doc", ".xls"):
        media = DOC if ext == ".doc" else XLS
    else:
        kind = filetype.guess(head)
        if kind is None or kind.mime not in DOCUMENT_TYPES:
            raise EvidenceRejected(
                f"в архиве недопустимый файл «{inner}»; принимаются {TYPE_NAMES}"
            )
        media = kind.mime
    try:
        _check_opens(out, media, budget, top_level=False)
    except EvidenceRejected as exc:
        raise EvidenceRejected(f"в архиве файл «{inner}»: {exc.message}") from None


def _check_pdf(f: IO[bytes]) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(f, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EvidenceRejected("PDF защищён паролем: приложите файл без пароля")
        pages = len(reader.pages)
        check_pdf_content(reader.trailer)
    except EvidenceRejected:
        raise
    except MemoryError:  # the inspecting process's ceiling: said as such by its parent
        raise
    except Exception:  # pypdf raises many kinds on a broken file; any of them is a refusal
        raise EvidenceRejected("файл начинается как PDF, но не открывается как PDF") from None
    if pages < 1:
        raise EvidenceRejected("в PDF нет ни одной страницы")


def _check_image(f: IO[bytes], media: str) -> None:
    from PIL import Image

    expected = "JPEG" if media == JPEG else "PNG"
    try:
        with Image.open(f, formats=[expected]) as image:
            image.verify()
            width, height = image.size
    except Image.DecompressionBombError:
        raise EvidenceRejected("изображение слишком велико в пикселях") from None
    except MemoryError:  # the inspecting process's ceiling: said as such by its parent
        raise
    except Exception:  # Pillow's refusals differ by format; any of them is a refusal
        raise EvidenceRejected(
            f"файл начинается как {expected}, но не открывается как изображение"
        ) from None
    if width < 1 or height < 1:
        raise EvidenceRejected("изображение без размеров")


def _check_ole(f: IO[bytes]) -> None:
    """An OLE compound file header (MS-CFB 2.2): version 3 with 512-byte sectors or version
    4 with 4096-byte ones, little-endian byte order, 64-byte mini sectors."""
    header = f.read(512)
    major = int.from_bytes(header[26:28], "little")
    shift = int.from_bytes(header[30:32], "little")
    if (
        len(header) < 512
        or header[28:30] != b"\xfe\xff"
        or (major, shift) not in ((3, 9), (4, 12))
        or int.from_bytes(header[32:34], "little") != 6
    ):
        raise EvidenceRejected("файл начинается как документ Office старого формата, но повреждён")


def _check_office(f: IO[bytes], media: str) -> None:
    name = _NAMES[media]
    try:
        with zipfile.ZipFile(f) as zf:
            if media in (ODT, ODS):
                if zf.read("mimetype").decode("ascii", "replace").strip() != media:
                    raise EvidenceRejected(f"файл назван {name}, но это другой документ")
                zf.getinfo("content.xml")
                return
            info = zf.getinfo("[Content_Types].xml")
            if info.file_size > MB:
                raise EvidenceRejected(f"в {name} слишком большой [Content_Types].xml")
            types = ElementTree.fromstring(zf.read(info))
            parts = [
                e.get("PartName", "").lstrip("/")
                for e in types
                if e.tag.endswith("}Override") and e.get("ContentType") == OOXML_MAIN[media]
            ]
            if len(parts) != 1 or parts[0] not in zf.namelist():
                raise EvidenceRejected(f"в файле {name} нет основной части документа")
    except KeyError:
        raise EvidenceRejected(f"файл назван {name}, но в нём нет частей документа") from None
    except (zipfile.BadZipFile, ElementTree.ParseError):
        raise EvidenceRejected(f"файл {name} повреждён") from None
    finally:
        f.seek(0)
    _open_office(f, media)


def _open_office(f: IO[bytes], media: str) -> None:
    """Open the file as Word or Excel would, in the libraries that write our own reports."""
    try:
        if media == DOCX:
            import docx

            docx.Document(f)
        else:
            import openpyxl

            openpyxl.load_workbook(f, read_only=True).close()
    except MemoryError:  # the inspecting process's ceiling: said as such by its parent
        raise
    except Exception:  # the libraries' refusals vary; any of them is a refusal
        raise EvidenceRejected(
            f"файл {_NAMES[media]} не открывается: он повреждён или слишком сложен для разбора"
        ) from None
    finally:
        f.seek(0)
