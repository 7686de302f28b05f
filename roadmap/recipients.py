"""Who receives a ladder step: contacts by role, found through the organizations that owe.

Roles (the notifications issue): *executor* (does the work), *head* (the organization's
head), *coordinator* (Ministry of Social Policy), *curator* (the Governor's adviser who
coordinates the program), *commission* (secretary of the regional commission on minors).
Executor and head are looked up in each owner organization; an owner without such a
contact (a group such as «краевые учреждения социального обслуживания населения», or an
institution without its own contact) is reached through the body that reports for it.
Coordinator, curator and commission are looked up program-wide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from roadmap.program import Program, Role

OWNER_ROLES = frozenset({"executor", "head"})
CHANNELS = ("email", "telegram")


@dataclass(frozen=True)
class Contact:
    """A person to notify; real addresses live outside the program data."""

    id: int
    org: str
    role: Role
    name: str
    email: str | None = None
    telegram_chat_id: str | None = None
    digest: bool = True

    def channels(self) -> list[str]:
        return [c for c, v in zip(CHANNELS, (self.email, self.telegram_chat_id), strict=True) if v]


@dataclass(frozen=True)
class Recipient:
    contact: Contact
    role: Role
    channel: str
    copy: bool = False  # a copy (cc) rather than the addressee


def resolve_recipients(
    program: Program,
    owners: Sequence[str],
    to: Iterable[Role],
    contacts: Sequence[Contact],
    cc: Iterable[Role] = (),
) -> list[Recipient]:
    """The recipients of a step addressed ``to`` roles (and ``cc`` roles), each contact once.

    A contact reached both as addressee and as copy is an addressee.
    """
    chosen: dict[int, tuple[Contact, Role, bool]] = {}
    for roles, copy in ((list(to), False), (list(cc), True)):
        for role in roles:
            for contact in _contacts_for(program, owners, role, contacts):
                if contact.id not in chosen:
                    chosen[contact.id] = (contact, role, copy)
    out: list[Recipient] = []
    for contact, role, copy in chosen.values():
        for channel in contact.channels():
            out.append(Recipient(contact, role, channel, copy))
    return out


def _contacts_for(
    program: Program, owners: Sequence[str], role: Role, contacts: Sequence[Contact]
) -> list[Contact]:
    if role not in OWNER_ROLES:
        return [c for c in contacts if c.role == role]
    found: list[Contact] = []
    for owner in owners:
        for org in _chain(program, owner):
            matches = [c for c in contacts if c.org == org and c.role == role]
            if matches:
                found.extend(m for m in matches if m not in found)
                break
    return found


def _chain(program: Program, org: str) -> list[str]:
    """``org`` and the bodies above it, following ``reports_via``."""
    chain = [org]
    seen = {org}
    current = program.orgs.get(org)
    while current is not None and current.reports_via and current.reports_via not in seen:
        chain.append(current.reports_via)
        seen.add(current.reports_via)
        current = program.orgs.get(current.reports_via)
    return chain
