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
from roadmap.program.loader import locate, read_program_yaml
from roadmap.program.model import Program, Role

_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
# MAX: «user:123» (a person's dialog with the bot), «chat:-123» (a group chat) or a plain
# number, which is a user id; stored in the first two forms.
_MAX = re.compile(r"(?:(user|chat):)?(-?\d{1,20})")


class ContactSpec(BaseModel):
    """One contact as the file gives it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    org: str
    role: Role
    name: str = Field(min_length=1)
    email: str | None = None
    telegram: str | None = None
    max: str | None = None
    digest: bool = True
    # how letters address the person and the closing block that names them
    salutation: str | None = Field(default=None, min_length=1)
    position: str | None = Field(default=None, min_length=1)
    phone: str | None = Field(default=None, min_length=1)

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

    @field_validator("max", mode="before")
    @classmethod
    def _max_id(cls, v: Any) -> str | None:
        if v is None:
            return None
        s = str(v).strip()
        found = _MAX.fullmatch(s)
        if not found or (found.group(1) != "chat" and found.group(2).startswith("-")):
            raise ValueError(
                f"некорректный получатель в MAX «{s}»: ожидается user:ЧИСЛО, chat:ЧИСЛО или число"
            )
        return f"{found.group(1) or 'user'}:{found.group(2)}"


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
                    allowed = ", ".join(get_args(Role))
                    message = f"роль «{e.get('input')}» неизвестна; допустимо: {allowed}"
                errors.append(ProgramDataError(message, locate(lines, ("contacts", i, *e["loc"]))))
            continue
        if spec.org not in program.orgs:
            errors.append(
                ProgramDataError(
                    f"организации «{spec.org}» нет в программе",
                    locate(lines, ("contacts", i, "org")),
                )
            )
        if not spec.email and not spec.telegram and not spec.max:
            errors.append(
                ProgramDataError(
                    "нужен e-mail, чат Telegram или получатель в MAX",
                    locate(lines, ("contacts", i)),
                )
            )
        specs.append(spec)
    if errors:
        raise ProgramErrors(errors)
    return specs
