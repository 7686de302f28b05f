"""Who signs the consolidated report and who prepared it, where the program data names
only a position: the contacts list knows the people.

The report is signed by the head of the ministry that sends it and prepared by its
coordinator (ГОСТ Р 7.0.97-2016: the signature block and «Исполнитель» with a phone). A
name the program data gives stands; a name it leaves out is taken from the sending
ministry's contacts (its ``head``, its ``coordinator``); with no such contact the document
keeps a line to write it on.
"""

from __future__ import annotations

from collections.abc import Sequence

from roadmap.obligations.recipients import Contact
from roadmap.program.model import ConsolidatedReport, Person, Program, Role


def with_people(program: Program, contacts: Sequence[Contact]) -> Program:
    """``program`` with the consolidated report's signatory and performer named."""
    c = program.consolidated
    owner = program.reporting.consolidated_owner
    signatory = _named(c.signatory, _contact(contacts, owner, "head"), phone=False)
    performer = _named(c.performer, _contact(contacts, owner, "coordinator"), phone=True)
    people: ConsolidatedReport = c.model_copy(
        update={"signatory": signatory, "performer": performer}
    )
    return program.model_copy(update={"consolidated": people})


def _contact(contacts: Sequence[Contact], org: str, role: Role) -> Contact | None:
    return next((x for x in contacts if x.org == org and x.role == role), None)


def _named(given: Person | None, contact: Contact | None, *, phone: bool) -> Person | None:
    if contact is None or (given is not None and given.name):
        return given
    base = given or Person()
    return base.model_copy(
        update={
            "name": contact.name,
            "position": base.position or contact.position,
            "phone": (base.phone or contact.phone) if phone else base.phone,
            "email": (base.email or contact.email) if phone else base.email,
        }
    )
