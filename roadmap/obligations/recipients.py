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

from roadmap.program.model import Program, Role

OWNER_ROLES = frozenset({"executor", "head"})
CHANNELS = ("email", "telegram", "max")


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
    max_id: str | None = None  # «user:123» or «chat:-123»
    salutation: str | None = None  # overrides the one made from the name
    position: str | None = None
    phone: str | None = None

    def address(self, channel: str) -> str | None:
        """Where ``channel`` reaches this person: an e-mail address, a chat or user id."""
        return {"email": self.email, "telegram": self.telegram_chat_id, "max": self.max_id}[channel]

    def channels(self) -> list[str]:
        return [c for c in CHANNELS if self.address(c)]


@dataclass(frozen=True)
class Recipient:
    contact: Contact
    role: Role
    channel: str
    copy: bool = False  # a copy (cc) rather than the addressee
    lead: bool = False  # reached for the lead executor (the first owner), not a co-executor

    @property
    def address(self) -> str:
        return self.contact.address(self.channel) or ""


def resolve_recipients(
    program: Program,
    owners: Sequence[str],
    to: Iterable[Role],
    contacts: Sequence[Contact],
    cc: Iterable[Role] = (),
) -> list[Recipient]:
    """The recipients of a step addressed ``to`` roles (and ``cc`` roles), each contact once.

    A contact reached both as addressee and as copy is an addressee. An executor or head
    reached for the first owner is marked ``lead``: the others answer for co-executors.
    """
    chosen: dict[int, tuple[Contact, Role, bool]] = {}
    lead: set[int] = set()
    for roles, copy in ((list(to), False), (list(cc), True)):
        for role in roles:
            for contact in _contacts_for(program, owners, role, contacts):
                if contact.id not in chosen:
                    chosen[contact.id] = (contact, role, copy)
            if role in OWNER_ROLES and owners:
                lead.update(c.id for c in _contacts_for(program, owners[:1], role, contacts))
    out: list[Recipient] = []
    for contact, role, copy in chosen.values():
        for channel in contact.channels():
            out.append(Recipient(contact, role, channel, copy, contact.id in lead))
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
