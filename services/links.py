"""Intake links as a use case: a signed link for one obligation and the organisation asked."""

from __future__ import annotations

from services.runtime import Runtime
from services.status import obligation


def obligation_link(rt: Runtime, *, obligation_id: str, org: str | None = None) -> str:
    """A signed intake link for ``obligation_id`` addressed to ``org`` (default: the lead).

    Raises:
        ValueError: no public address is set, or ``org`` has no part in the obligation.
        NotFound: no such obligation.
    """
    if rt.signer is None:
        raise ValueError("задайте ROADMAP_PUBLIC_BASE_URL — адрес страницы приёма документов")
    row = obligation(rt, obligation_id)
    target = org or row.lead
    program = rt.program
    bodies = {program.reporting_body(o) if o in program.orgs else o for o in row.owners}
    if target not in set(row.owners) | bodies:
        raise ValueError(f"--org: «{target}» не исполняет обязательство {row.id}")
    return rt.signer.link(row.id, target, now=rt.now())
