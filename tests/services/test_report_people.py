"""The consolidated report names who signs it and who prepared it: the program data gives
the position, the contacts list the people (both backends)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from roadmap.program.contacts import load_contacts
from roadmap.program.model import Person, Program
from services.reports import build
from storage.contacts import replace_contacts
from storage.db import session_scope
from storage.sync import sync_program
from tests.db import SYNC_AT
from tests.fixtures import CONTACTS
from tests.services.test_due_set_by_person import runtime


def test_the_head_signs_and_the_coordinator_prepared_it_unless_the_program_names_them(
    engine: Engine, program: Program
) -> None:
    with session_scope(engine) as s:
        sync_program(session=s, program=program, at=SYNC_AT)
    blank = build(runtime(engine, program, "2025-08-01"), as_of=dt.date(2025, 8, 1))
    assert blank.requisites.signatory is not None and blank.requisites.signatory.name is None
    assert blank.requisites.performer is None  # no contacts: lines to write on
    with session_scope(engine) as s:
        specs = load_contacts(CONTACTS, program)
        replace_contacts(session=s, program_id=program.id, specs=specs, by="test", at=SYNC_AT)
    named = build(runtime(engine, program, "2025-08-01"), as_of=dt.date(2025, 8, 1)).requisites
    assert named.signatory == Person(
        name="Сергей Викторович Орлов", position="Министр социальной политики Красноярского края"
    )
    assert named.performer is not None
    assert (named.performer.name, named.performer.phone) == (
        "Ольга Николаевна Белова",
        "+7 (391) 000-00-02",
    )
    # a name the program data gives stands
    given = Person(name="Иванов Иван Иванович", phone="+7 (391) 111-11-11")
    c = program.consolidated.model_copy(update={"performer": given})
    own = program.model_copy(update={"consolidated": c})
    assert (
        build(runtime(engine, own, "2025-08-01"), as_of=dt.date(2025, 8, 1)).requisites.performer
        == given
    )
