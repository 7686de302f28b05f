"""The road map's current overview as a use case: status, contacts and calendar together."""

from __future__ import annotations

import datetime as dt

from roadmap.obligations.recipients import Contact
from roadmap.views.overview import Overview, Responsible, build_overview
from services.due_dates import pending
from services.forecast import forecast_program
from services.runtime import Runtime
from services.status import status_on
from storage.as_of import program_as_of
from storage.contacts import active_contacts
from storage.db import session_scope
from storage.status import StatusReport

# whom the overview names for an organisation, in order of preference
ROLES = ("executor", "head")


def responsible_people(contacts: list[Contact]) -> dict[str, list[Responsible]]:
    """Each organisation's people to call: its executors, or its head when it has none."""
    by_org: dict[str, dict[str, list[Responsible]]] = {}
    for c in contacts:
        if c.role in ROLES:
            # contacts give a phone once the contacts file has one (``phone``)
            person = Responsible(c.name, getattr(c, "phone", None))
            by_org.setdefault(c.org, {}).setdefault(c.role, []).append(person)
    return {org: next(roles[r] for r in ROLES if r in roles) for org, roles in by_org.items()}


def overview_on(rt: Runtime, as_of: dt.date, *, status: StatusReport | None = None) -> Overview:
    """What is overdue on ``as_of``, whose it is and whom to call; what falls due soon (the
    activities named as the version of the program in force then words them).

    Args:
        status: the status on ``as_of`` when the caller has read it already.
    """
    status = status or status_on(rt, as_of)
    with session_scope(rt.engine) as s:
        contacts = active_contacts(session=s, program_id=rt.program.id)
        program = program_as_of(session=s, program=rt.program, as_of=as_of)
    return build_overview(
        program,
        status.items,
        as_of=as_of,
        calendar=rt.calendar,
        responsible=responsible_people(contacts),
        forecasts=forecast_program(rt, as_of=as_of),
        awaiting=[p.pending for p in pending(rt, as_of=as_of) if p.setting is None],
    )
