"""A document's details as its submitter gives them: type, number, date and title.

Officials name a document by its details, not by a file: «постановление КДНиЗП от
12.03.2025 № 17-кдн «Об утверждении …»». The intake page and the command line ask for
them; every part is optional, and a document without any is named by the date it was
handed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roadmap.errors import RoadmapError

LIMITS = {"doc_type": 200, "number": 100, "title": 1000}
_WORDS = {"doc_type": "вид документа", "number": "номер документа", "title": "наименование"}


class InvalidDetails(RoadmapError):
    """Document details that cannot be recorded (too long)."""


@dataclass(frozen=True)
class DocumentDetails:
    """A document's type («постановление»), number, date and title, each optional."""

    doc_type: str | None = None
    number: str | None = None
    date: dt.date | None = None
    title: str | None = None

    @property
    def given(self) -> bool:
        return any((self.doc_type, self.number, self.date, self.title))

    def text(self) -> str | None:
        """«постановление от 12.03.2025 № 17-кдн «О …»», or None when nothing was given."""
        if not self.given:
            return None
        parts = [self.doc_type or "документ"]
        if self.date:
            parts.append(f"от {self.date:%d.%m.%Y}")
        if self.number:
            parts.append(f"№ {self.number}")
        if self.title:
            parts.append(self.title if self.title.startswith("«") else f"«{self.title}»")
        return " ".join(parts)


def clean_details(
    *,
    doc_type: str | None = None,
    number: str | None = None,
    date: dt.date | None = None,
    title: str | None = None,
) -> DocumentDetails:
    """Details with blanks dropped and spaces collapsed.

    Raises:
        InvalidDetails: a part longer than its limit (``LIMITS``), in Russian.
    """
    given = {"doc_type": doc_type, "number": number, "title": title}
    clean: dict[str, str | None] = {}
    for key, value in given.items():
        text = " ".join(value.split()) if value else ""
        if len(text) > LIMITS[key]:
            raise InvalidDetails(f"{_WORDS[key]} длиннее {LIMITS[key]} символов")
        clean[key] = text or None
    number_text = clean["number"]
    if number_text and number_text.startswith("№"):
        number_text = number_text.lstrip("№ ") or None
    return DocumentDetails(clean["doc_type"], number_text, date, clean["title"])
