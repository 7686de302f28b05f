"""Reading and checking an intake form, then writing it through the storage functions.

Everything is checked before anything is written, and everything is written in one
transaction with the link marked used: a submission is stored whole or not at all (a file
kept by hash before a failure stays unreferenced, which is harmless).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData, UploadFile

from roadmap.errors import RoadmapError
from roadmap.obligations.asks import Ask
from roadmap.reports.actuals import InvalidValue, parse_value
from roadmap.reports.doc_details import DocumentDetails, InvalidDetails, clean_details
from services.answers import check_name


@dataclass
class Parsed:
    action: str
    name: str
    comment: str | None
    explanation: str | None
    reason: str | None
    effective: dt.date | None
    files: list[UploadFile]
    values: list[tuple[Ask, float]]
    details: DocumentDetails = field(default_factory=DocumentDetails)
    raw: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def parse_form(form: FormData, asks: list[Ask], *, max_files: int) -> Parsed:
    def text(key: str, limit: int = 2000) -> str | None:
        value = form.get(key)
        if not isinstance(value, str):
            return None
        value = value.strip()
        return value[:limit] if value else None

    errors: list[str] = []
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    action = text("action") or "submit"
    name = text("name", 200) or ""
    if action not in ("submit", "na"):
        errors.append("неизвестное действие")
    if not name:
        errors.append("укажите ваши фамилию, имя и отчество")
    if len(files) > max_files:
        errors.append(f"не больше {max_files} файлов за раз")
    for f in files:
        try:
            check_name(f.filename or "")
        except RoadmapError as exc:
            errors.append(f"«{f.filename!r}»: {exc.message}")
    effective = _date(text("effective", 20), "дата, с которой документ учитывается", errors)
    raw_doc_date = text("doc_date", 20)
    details = DocumentDetails()
    try:
        details = clean_details(
            doc_type=text("doc_type", 400),
            number=text("doc_number", 200),
            date=_date(raw_doc_date, "дата документа", errors),
            title=text("doc_title", 2000),
        )
    except InvalidDetails as exc:
        errors.append(exc.message)
    values: list[tuple[Ask, float]] = []
    raw_values: dict[str, str] = {}
    for a in asks:
        given = text(a.field, 40)
        if given is None:
            continue
        raw_values[a.field] = given
        try:
            values.append((a, parse_value(given)))
        except InvalidValue as exc:
            errors.append(f"{a.label}: {exc.message}")
    reason = text("reason")
    if action == "na" and not reason:
        errors.append("укажите причину, по которой обязательство неприменимо")
    if action == "submit" and not files and not values:
        errors.append("приложите документ или внесите значения")
    return Parsed(
        action=action,
        name=name,
        comment=text("comment"),
        explanation=text("explanation"),
        reason=reason,
        effective=effective,
        files=files,
        values=values,
        details=details,
        raw={
            "name": name,
            "comment": text("comment") or "",
            "explanation": text("explanation") or "",
            "effective": text("effective", 20) or "",
            "doc_type": text("doc_type", 400) or "",
            "doc_number": text("doc_number", 200) or "",
            "doc_date": raw_doc_date or "",
            "doc_title": text("doc_title", 2000) or "",
            "given": raw_values,
        },
        errors=errors,
    )


EMPTY_FORM: dict[str, Any] = {
    "name": "",
    "comment": "",
    "explanation": "",
    "effective": "",
    "doc_type": "",
    "doc_number": "",
    "doc_date": "",
    "doc_title": "",
    "given": {},
}


def _date(raw: str | None, what: str, errors: list[str]) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(f"{what}: ожидается ГГГГ-ММ-ДД")
        return None
