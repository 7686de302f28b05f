"""The contacts file: who to notify for each organization, kept outside the program data.

Real addresses are not part of the repository; ``examples/contacts.example.yaml`` shows the
shape with made-up addresses on reserved domains. Loading checks every entry against the
program and reports every problem with its line, like the program loader.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from roadmap.errors import ProgramDataError, ProgramErrors, RoadmapError
from roadmap.loader import locate, read_program_yaml
from roadmap.program import Program, Role

_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


class ContactSpec(BaseModel):
    """One contact as the file gives it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    org: str
    role: Role
    name: str = Field(min_length=1)
    email: str | None = None
    telegram: str | None = None
    digest: bool = True

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is not None and not _EMAIL.match(v):
            raise ValueError(f"некорректный адрес e-mail «{v}»")
        return v

    @field_validator("telegram", mode="before")
    @classmethod
    def _chat_id(cls, v: Any) -> str | None:
        if v is None:
            return None
        s = str(v).strip()
        if not re.fullmatch(r"-?\d{1,20}|@[A-Za-z0-9_]{5,32}", s):
            raise ValueError(f"некорректный идентификатор чата Telegram «{s}»")
        return s


def load_contacts(path: Path, program: Program) -> list[ContactSpec]:
    """Read and check a contacts file.

    Raises:
        ProgramErrors: every problem, with file, line and field.
    """
    raw, lines = read_program_yaml(Path(path))
    items = raw.get("contacts")
    errors: list[RoadmapError] = []
    if not isinstance(items, list):
        raise ProgramErrors(
            [ProgramDataError("нужен список contacts", locate(lines, ("contacts",)))]
        )
    specs: list[ContactSpec] = []
    for i, item in enumerate(items):
        try:
            spec = ContactSpec.model_validate(item)
        except ValidationError as exc:
            for e in exc.errors():
                message = str(e.get("ctx", {}).get("error", e["msg"]))
                if e["type"] == "literal_error":
                    message = f"роль «{e.get('input')}» неизвестна; допустимо: {', '.join(get_args(Role))}"  # noqa: E501
                errors.append(ProgramDataError(message, locate(lines, ("contacts", i, *e["loc"]))))
            continue
        if spec.org not in program.orgs:
            errors.append(
                ProgramDataError(
                    f"организации «{spec.org}» нет в программе",
                    locate(lines, ("contacts", i, "org")),
                )
            )
        if not spec.email and not spec.telegram:
            errors.append(
                ProgramDataError("нужен e-mail или чат Telegram", locate(lines, ("contacts", i)))
            )
        specs.append(spec)
    if errors:
        raise ProgramErrors(errors)
    return specs
