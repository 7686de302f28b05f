"""Reasons for shortfalls as a use case: what an executor gives (the intake page's form) or the
coordinator records from a letter on paper (the command line), and the list of them."""

from __future__ import annotations

from dataclasses import dataclass

from services.answers import Who
from services.runtime import Runtime
from storage.db import session_scope
from storage.reasons import record_shortfall_reason, shortfall_reasons
from storage.tables import ShortfallReasonRecord


@dataclass(frozen=True)
class Subject:
    """What a shortfall is of: an obligation (an activity's checkpoint), or an indicator at a
    period (a checkpoint's label such as 2026-H1, or a month)."""

    obligation_id: str | None = None
    indicator: str | None = None
    period: str | None = None


def give_reasons(
    rt: Runtime, *, subject: Subject, reasons: str, measures: str | None, who: Who
) -> ShortfallReasonRecord:
    """Record the reasons for a shortfall and the measures taken, with who gave them.

    Raises:
        ValueError: no subject, or both; no reasons.
        NotFound: the obligation is not the program's.
        InvalidValue: unknown indicator, organisation or period.
    """
    with session_scope(rt.engine) as s:
        return record_shortfall_reason(
            session=s,
            program=rt.program,
            obligation_id=subject.obligation_id,
            indicator=subject.indicator,
            period=subject.period,
            org=who.org,
            reasons=reasons,
            measures=measures,
            given_by=who.name,
            channel=who.channel,
            at=rt.now(),
        )


def list_reasons(rt: Runtime) -> list[tuple[str, str, str, str]]:
    """(subject, organisation, reasons, measures) of the newest reasons given, oldest first;
    the subject in the program's words where it has them."""
    names = {o.id: o.short_name for o in rt.program.organizations}
    with session_scope(rt.engine) as s:
        given = shortfall_reasons(session=s, program_id=rt.program.id)
    out = []
    for r in given:
        prefix = f"{rt.program.id}:"
        subject = (
            r.obligation_id.removeprefix(prefix)
            if r.obligation_id
            else f"показатель {r.indicator} ({r.period})"
        )
        out.append((subject, names.get(r.org or "", r.org or ""), r.reasons, r.measures or ""))
    return out
