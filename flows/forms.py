"""Run-form fields: every flow parameter typed, titled and described in Russian.

Prefect titles a flow's parameters with their names whatever ``Field(title=…)`` says, but
keeps a ``json_schema_extra`` dict: the title goes there. A date is ``datetime.date`` (the
UI's date picker), shown as a plain date field even though it may be left empty: the run
then acts for the day it was scheduled for, or today. Choices that come from the program
data (its periods, in words) are added to a deployment's schema when it is registered
(``flows.deployments.form_schema``).

A field that may be left empty is drawn as a plain field of its type, not as a «type |
None» switch, and has no ``null`` default in the form: the UI would send that ``null`` and
refuse it («None is not of type 'string'»). Left empty, it is left out, and the Python
default (None) applies.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, WithJsonSchema

# a date or nothing, drawn as a date picker
Day = Annotated[dt.date | None, WithJsonSchema({"type": "string", "format": "date"})]
# a count or nothing, drawn as a number field
Count = Annotated[int | None, WithJsonSchema({"type": "integer", "minimum": 0})]
# a text or nothing, drawn as a text field
Text = Annotated[str | None, WithJsonSchema({"type": "string"})]


def drop_null_defaults(schema: dict[str, Any]) -> None:
    """Remove ``"default": null`` from a form schema's fields, in place."""
    for prop in schema.get("properties", {}).values():
        if "default" in prop and prop["default"] is None:
            del prop["default"]


def titled(default: Any, title: str, description: str) -> Any:
    """A parameter's default with the title and one-line description its form shows."""
    return Field(default, description=description, json_schema_extra={"title": title})


def run_date(what: str) -> Any:
    """The as-of date: what the run does on it; left empty, the day the run was planned for."""
    return titled(
        None, "Дата", f"{what}. Если не указана — день запуска по расписанию или сегодня."
    )
