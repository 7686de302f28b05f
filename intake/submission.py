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
from roadmap.words.clean import UncleanText, clean_text
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
    # why the term was missed or a value is worse than plan, and the measures taken
    causes: str | None = None
    measures: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


# Each field a person types, in Russian, with its longest length and whether it has lines.
FIELDS: dict[str, tuple[str, int, bool]] = {
    "name": ("фамилия, имя и отчество", 200, False),
    "comment": ("комментарий", 2000, True),
    "explanation": ("пояснение", 2000, True),
    "reason": ("причина", 2000, True),
    "causes": ("причины", 2000, True),
    "measures": ("принятые меры", 2000, True),
    "doc_type": ("вид документа", 400, False),
    "doc_number": ("номер документа", 200, False),
    "doc_title": ("наименование документа", 2000, False),
}


def _text(form: FormData, key: str, limit: int = 2000) -> str | None:
    """A field as typed, trimmed and cut at ``limit`` (to show it again); None when empty."""
    value = form.get(key)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value[:limit] if value else None


def _clean(form: FormData, key: str, errors: list[str]) -> str | None:
    """A field a person typed, through the one text rule (``roadmap.words.clean``): NFC,
    no hidden characters, bounded; None when empty, the refusal in ``errors``."""
    what, limit, lines = FIELDS[key]
    value = form.get(key)
    if not isinstance(value, str):
        return None
    try:
        return clean_text(value, what, limit=limit, least=0, lines=lines) or None
    except UncleanText as exc:
        errors.append(exc.message)
        return None


def parse_form(form: FormData, asks: list[Ask], *, max_files: int) -> Parsed:
    """What the page's form says, checked: every problem in ``errors``, in Russian."""

    def text(key: str, limit: int = 2000) -> str | None:
        return _text(form, key, limit)

    errors: list[str] = []
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    action = text("action") or "submit"
    refused = len(errors)
    name = _clean(form, "name", errors) or ""
    named = bool(name) or len(errors) > refused  # a name refused is already said
    errors += _who_and_files(action, named, files, max_files)
    effective = _date(text("effective", 20), "дата, с которой документ учитывается", errors)
    details = _details(form, errors)
    values, raw_values = _values(form, asks, errors)
    reason = _clean(form, "reason", errors)
    if action == "na" and not reason:
        errors.append("укажите причину, по которой обязательство неприменимо")
    causes, measures = _clean(form, "causes", errors), _clean(form, "measures", errors)
    if measures and not causes:
        errors.append("укажите причины, к которым относятся принятые меры")
    if action == "submit" and not files and not values and not causes:
        errors.append("приложите документ, внесите значения или укажите причины")
    return Parsed(
        action=action,
        name=name,
        comment=_clean(form, "comment", errors),
        explanation=_clean(form, "explanation", errors) or _explanation(causes, measures),
        reason=reason,
        effective=effective,
        files=files,
        values=values,
        details=details,
        causes=causes,
        measures=measures,
        raw=_raw(form, text("name", 200) or "", raw_values),
        errors=errors,
    )


def _explanation(causes: str | None, measures: str | None) -> str | None:
    """The values' explanation from the two fields, as ``split_explanation`` reads it back."""
    if not causes:
        return None
    return f"Причины: {causes}" + (f"\nМеры: {measures}" if measures else "")


def _who_and_files(action: str, named: bool, files: list[UploadFile], max_files: int) -> list[str]:
    """What is wrong with the action, the name given and the files' number and names."""
    errors = []
    if action not in ("submit", "na"):
        errors.append("неизвестное действие")
    if not named:
        errors.append("укажите ваши фамилию, имя и отчество")
    if len(files) > max_files:
        errors.append(f"не больше {max_files} файлов за раз")
    for f in files:
        try:
            check_name(f.filename or "")
        except RoadmapError as exc:
            errors.append(f"«{f.filename!r}»: {exc.message}")
    return errors


def _details(form: FormData, errors: list[str]) -> DocumentDetails:
    """The document's type, number, date and title as given (problems go to ``errors``)."""
    try:
        return clean_details(
            doc_type=_clean(form, "doc_type", errors),
            number=_clean(form, "doc_number", errors),
            date=_date(_text(form, "doc_date", 20), "дата документа", errors),
            title=_clean(form, "doc_title", errors),
        )
    except InvalidDetails as exc:
        errors.append(exc.message)
        return DocumentDetails()


def _values(
    form: FormData, asks: list[Ask], errors: list[str]
) -> tuple[list[tuple[Ask, float]], dict[str, str]]:
    """The values the obligation asks for, read; and each as typed, to show it again."""
    values: list[tuple[Ask, float]] = []
    raw: dict[str, str] = {}
    for a in asks:
        given = _text(form, a.field, 40)
        if given is None:
            continue
        raw[a.field] = given
        try:
            values.append((a, parse_value(given)))
        except InvalidValue as exc:
            errors.append(f"{a.label}: {exc.message}")
    return values, raw


def _raw(form: FormData, name: str, given: dict[str, str]) -> dict[str, Any]:
    """The form as typed, to fill it in again when it is refused."""
    return {
        "name": name,
        "comment": _text(form, "comment") or "",
        "explanation": _text(form, "explanation") or "",
        "causes": _text(form, "causes") or "",
        "measures": _text(form, "measures") or "",
        "effective": _text(form, "effective", 20) or "",
        "doc_type": _text(form, "doc_type", 400) or "",
        "doc_number": _text(form, "doc_number", 200) or "",
        "doc_date": _text(form, "doc_date", 20) or "",
        "doc_title": _text(form, "doc_title", 2000) or "",
        "given": given,
    }


EMPTY_FORM: dict[str, Any] = {
    "name": "",
    "comment": "",
    "explanation": "",
    "causes": "",
    "measures": "",
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
