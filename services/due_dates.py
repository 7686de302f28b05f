"""Due dates a person sets: the activities counted from an event (``due_set_by_person``).

``pending`` lists them with what has been set; ``set_due`` sets one, after which it is an
obligation like any other, reminded from that day by the ladder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roadmap.obligations.expansion import PendingObligation, expand_obligations, expand_pending
from services.answers import Who
from services.runtime import Runtime
from storage.as_of import day_end
from storage.db import session_scope
from storage.due_settings import set_due as store_due
from storage.errors import NotFound
from storage.sync import due_settings
from storage.tables import DueSettingRecord, ObligationRecord


@dataclass(frozen=True)
class PendingDue:
    """An obligation counted from an event, with its due date once a person has set it."""

    pending: PendingObligation
    setting: DueSettingRecord | None

    def to_json(self) -> dict[str, object]:
        p, s = self.pending, self.setting
        return {
            "id": p.id,
            "program": p.program,
            "activity": p.activity,
            "period": p.period.label,
            "opens": p.opens.isoformat(),
            "owners": list(p.owners),
            "due": s.due.isoformat() if s else None,
            "basis": s.basis if s else None,
            "set_by": s.set_by if s else None,
            "set_at": s.set_at.isoformat() if s else None,
        }


def pending(rt: Runtime, *, as_of: dt.date | None = None) -> list[PendingDue]:
    """The program's obligations counted from an event, set or not (by the end of ``as_of``,
    when given), in activity order."""
    before = None if as_of is None else day_end(rt.zone, as_of)
    with session_scope(rt.engine) as s:
        settings = due_settings(session=s, program_id=rt.program.id, before=before)
        for row in settings.values():
            s.expunge(row)
    return [PendingDue(p, settings.get(p.id)) for p in expand_pending(rt.program, rt.calendar)]


def find_pending(rt: Runtime, obligation_id: str) -> PendingObligation:
    """The pending obligation with this id (the program prefix may be left out).

    Raises:
        NotFound: no such obligation counted from an event; the message says why.
    """
    program = rt.program
    wanted = {obligation_id, f"{program.id}:{obligation_id}"}
    found = [p for p in expand_pending(program, rt.calendar) if p.id in wanted]
    if found:
        return found[0]
    dated = [o for o in expand_obligations(program, rt.calendar) if o.id in wanted]
    if dated:
        raise NotFound(
            f"срок обязательства {dated[0].id} установлен программой ({dated[0].due:%d.%m.%Y}); "
            f"перенести его можно запросом: roadmap extend request"
        )
    ids = ", ".join(p.id.removeprefix(program.id + ":") for p in expand_pending(program))
    known = (
        f" Сроки устанавливаются по обязательствам: {ids}."
        if ids
        else (
            " В программе нет мероприятий, срок которых устанавливается от события"
            " (отметка due_set_by_person)."
        )
    )
    raise NotFound(f"обязательство «{obligation_id}» не найдено среди ожидающих срока.{known}")


def set_due(
    rt: Runtime,
    *,
    obligation_id: str,
    due: dt.date,
    basis: str,
    who: Who,
    at: dt.datetime | None = None,
) -> ObligationRecord:
    """Set the due date of an obligation counted from an event (see ``storage.due_settings``).

    Raises:
        NotFound, ValueError, DateOutOfRange, DueAlreadySet, NotSynced: refused, nothing stored.
    """
    target = find_pending(rt, obligation_id)
    with session_scope(rt.engine) as s:
        row = store_due(
            session=s,
            program=rt.program,
            pending=target,
            due=due,
            basis=basis,
            by=who.name,
            channel=who.channel,
            at=at or rt.now(),
        )
        s.expunge(row)
    return row
