"""An Office file's parts read within bounds, and the active content it must not carry.

Every XML part of a DOCX or XLSX (and of an ODT or ODS) is fed, as it inflates, to expat
with no handler for elements, so the pass costs no memory of its own: a part that declares
a document type (the only place entities can be defined: OOXML and ODF never use one) is
refused before anything expands, and the part's nodes are counted as it streams, at the
speed of a byte search: each ``<`` (an element, its end tag, a comment) and each ``=`` (an
attribute) is one, an overcount never an undercount. A part may inflate to at most
``MAX_PART_BYTES`` and hold ``MAX_PART_NODES`` nodes, the whole file ``MAX_FILE_NODES``:
far past a long report (python-docx writes 250 000 for 6 000 paragraphs and a table of
12 000 cells) or a sheet of 600 000 cells, short of what makes python-docx build a tree of
gigabytes (a 1 MB DOCX of 190 MB of ``<w:p/>`` is 33 million nodes, 4.4 GB once parsed;
3.5 million empty paragraphs take about 500 MB, in the inspecting process only). Depth is
left to the parsers that open the file afterwards (lxml stops at 256 levels) and to the
memory ceiling of the process that inspects it (``storage/inspection.py``).

Active content is refused by what the package holds (ECMA-376 part 1, §§ 15.2, 17.18.10):
links to external workbooks (``xl/externalLinks/``), embedded files and OLE objects
(``…/embeddings/``, ``oleObject``), ActiveX controls and macros (``vbaProject.bin``), and any
relationship that fetches something from outside (``TargetMode="External"``: a remote
template, a linked picture, a frame) except a hyperlink, which only opens when clicked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.parsers import expat

from storage.errors import EvidenceRejected

MB = 1024 * 1024
MAX_PART_BYTES = 64 * MB
MAX_PART_NODES = 4_000_000
MAX_FILE_NODES = 8_000_000
MAX_RELS_BYTES = MB  # a relationships part is read whole to find external targets
XML_SUFFIXES = (".xml", ".rels", ".vml")
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# parts that carry code or other files, whatever the relationships say
_ACTIVE_PARTS = (
    (re.compile(r"(^|/)externalLinks/", re.IGNORECASE), "связь с внешней книгой"),
    (re.compile(r"(^|/)embeddings/", re.IGNORECASE), "встроенный файл или объект OLE"),
    (re.compile(r"oleObject[^/]*$", re.IGNORECASE), "встроенный объект OLE"),
    (re.compile(r"(^|/)activeX/", re.IGNORECASE), "элемент ActiveX"),
    (re.compile(r"vbaProject\.bin$|vbaData\.xml$", re.IGNORECASE), "макросы"),
    (re.compile(r"^Basic/|^Scripts/", re.IGNORECASE), "макросы"),  # ODF macro folders
)


def is_xml_part(name: str) -> bool:
    return name.lower().endswith(XML_SUFFIXES) or name == "[Content_Types].xml"


@dataclass
class PartsBudget:
    """The nodes an Office file's XML parts have shown so far, and its relationship parts."""

    nodes: int = 0
    rels: dict[str, bytes] = field(default_factory=dict)


class XmlPart:
    """One XML part checked as it streams: well-formed, no document type, bounded."""

    def __init__(self, name: str, budget: PartsBudget) -> None:
        self.name, self.budget = name, budget
        self.size = self.nodes = 0
        self.kept: list[bytes] | None = [] if name.lower().endswith(".rels") else None
        self.parser = expat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.EntityDeclHandler = self._refuse_doctype

    def _refuse_doctype(self, *_: object) -> None:
        raise EvidenceRejected(
            f"часть «{self.name}» объявляет тип документа (DOCTYPE) или сущности: "
            "в документах Office их не бывает"
        )

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_PART_BYTES:
            raise EvidenceRejected(
                f"часть «{self.name}» распаковывается больше чем в {MAX_PART_BYTES // MB} МБ"
            )
        marks = chunk.count(b"<") + chunk.count(b"=")
        self.nodes += marks
        self.budget.nodes += marks
        if self.nodes > MAX_PART_NODES or self.budget.nodes > MAX_FILE_NODES:
            raise EvidenceRejected(
                f"в части «{self.name}» слишком много элементов XML: такой файл не откроется"
            )
        if self.kept is not None:
            if self.size > MAX_RELS_BYTES:
                raise EvidenceRejected(f"часть «{self.name}» слишком велика")
            self.kept.append(chunk)
        self._parse(chunk, final=False)

    def close(self) -> None:
        self._parse(b"", final=True)
        if self.kept is not None:
            self.budget.rels[self.name] = b"".join(self.kept)

    def _parse(self, chunk: bytes, *, final: bool) -> None:
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError:
            raise EvidenceRejected(
                f"часть «{self.name}» — повреждённый XML: файл не открывается"
            ) from None


def check_active_parts(names: list[str], rels: dict[str, bytes]) -> None:
    """Refuse a package that holds code, other files, or fetches anything from outside.

    Args:
        names: every member's name. rels: the relationship parts, by name, as read.

    Raises:
        EvidenceRejected: the first such part or relationship, named, with what to do.
    """
    for name in names:
        for pattern, what in _ACTIVE_PARTS:
            if pattern.search(name):
                raise EvidenceRejected(
                    f"в документе есть {what} («{_shown(name)}»): такие документы не "
                    "принимаются; сохраните файл без них или приложите его в PDF"
                )
    for name, data in rels.items():
        for rel in ElementTree.fromstring(data).iter(_RELS):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            if rel.get("TargetMode", "").lower() == "external" and kind != "hyperlink":
                raise EvidenceRejected(
                    f"документ загружает внешний ресурс «{_shown(rel.get('Target', ''))}» "
                    f"({_EXTERNAL.get(kind, kind or 'без типа')}, часть «{_shown(name)}»): "
                    "такие документы не принимаются; сохраните файл без внешних связей "
                    "или приложите его в PDF"
                )


_EXTERNAL = {
    "attachedTemplate": "удалённый шаблон",
    "oleObject": "связанный объект OLE",
    "externalLinkPath": "связь с внешней книгой",
    "image": "рисунок из сети",
    "frame": "внешняя рамка",
    "subDocument": "внешний вложенный документ",
}


def _shown(text: str) -> str:
    """An attacker's name or address as a page may show it: printable and short."""
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    return kept[:80] + ("…" if len(kept) > 80 else "")
