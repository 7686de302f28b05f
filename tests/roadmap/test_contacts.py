"""The contacts file: the MAX notation, the fields letters use, every problem with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap.errors import ProgramErrors
from roadmap.program.contacts import load_contacts
from roadmap.program.model import Program
from tests.fixtures import CONTACTS


def write(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "contacts.yaml"
    path.write_text("contacts:\n" + "".join(f"  - {e}\n" for e in entries), "utf-8")
    return path


def test_max_recipients_read_as_user_or_chat(program: Program, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "{org: minsoc, role: executor, name: A, max: 300001}",
        '{org: minobr, role: executor, name: B, max: "user:300002"}',
        '{org: minzdrav, role: executor, name: C, max: "chat:-700000000001"}',
    )
    assert [c.max for c in load_contacts(path, program)] == [
        "user:300001",
        "user:300002",
        "chat:-700000000001",
    ]


def test_bad_max_recipients_are_refused_with_their_lines(program: Program, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{org: minsoc, role: executor, name: A, max: "chat:abc"}',
        "{org: minobr, role: executor, name: B, max: -5}",
        '{org: minzdrav, role: executor, name: C, max: "group:5"}',
    )
    with pytest.raises(ProgramErrors) as caught:
        load_contacts(path, program)
    text = str(caught.value)
    for line in (2, 3, 4):
        assert f"{path}:{line}: contacts[{line - 2}].max: некорректный получатель в MAX" in text


def test_the_fields_of_the_closing_block_and_the_salutation_load(
    program: Program, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "{org: minsoc, role: coordinator, name: Иванова А. П., email: c@minsoc.example.org,"
        " salutation: Уважаемая Анна Петровна!, position: консультант, phone: +7 391 000-00-00}",
    )
    (c,) = load_contacts(path, program)
    assert (c.salutation, c.position, c.phone) == (
        "Уважаемая Анна Петровна!",
        "консультант",
        "+7 391 000-00-00",
    )


def test_the_example_file_has_a_coordinator_to_name_in_every_letter(program: Program) -> None:
    coordinators = [c for c in load_contacts(CONTACTS, program) if c.role == "coordinator"]
    assert len(coordinators) == 1
    assert coordinators[0].email and coordinators[0].phone and coordinators[0].position
