"""Typed keys: an obligation's id, what a waiting flow run waits on, a target's code.

Each is stored or passed as text; here is its one form, written by ``format`` and read back
by ``parse``, so no caller splits a string on «:» or «#» of its own.

- **Obligation id** ``<program>:<what is owed…>:<period>``: the program, then what is owed
  (an activity's number; ``report`` and the body reporting; ``consolidated``), then the
  period's label. Program ids and period labels hold no «:».
- **Wait key** ``evidence:<obligation id>``, ``indicator:<code>:<period>``,
  ``agenda:<period>``: a document handed in for an obligation, an indicator's value for a
  period, a proposal for a commission meeting's agenda.
- **Target code** ``<activity number>#<index>``: the index-th target of an activity
  (counted from 1 in the program's order).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from roadmap.errors import RoadmapError


class MalformedKey(RoadmapError, ValueError):
    """A text that is not the form of the key it was read as."""


@dataclass(frozen=True)
class ObligationId:
    """An obligation's id: its program, what is owed (one or more parts) and the period."""

    program: str
    owed: tuple[str, ...]
    period: str

    @classmethod
    def parse(cls, text: str) -> ObligationId:
        """Raises:
        MalformedKey: fewer than three parts, or an empty one."""
        parts = text.split(":")
        if len(parts) < 3 or not all(parts):
            raise MalformedKey(f"обязательство «{text}»: ожидается программа:что:период")
        return cls(parts[0], tuple(parts[1:-1]), parts[-1])

    def format(self) -> str:
        return ":".join((self.program, *self.owed, self.period))

    @property
    def local(self) -> str:
        """The id within its program (``6.1:2025-05``): what a person of the program reads."""
        return local_id(self.format())

    @property
    def activity(self) -> str:
        """The activity's number, or the kind of report (``report``, ``consolidated``)."""
        return self.owed[0]

    def __str__(self) -> str:
        return self.format()


def program_of(obligation_id: str) -> str:
    """The program an obligation id names (its first part), whatever follows it."""
    return obligation_id.partition(":")[0]


def local_id(obligation_id: str | None) -> str:
    """The id within its program (``6.1:2025-05``); empty for no obligation."""
    return (obligation_id or "").partition(":")[2]


class WaitKind(StrEnum):
    EVIDENCE = "evidence"  # a document handed in for an obligation
    INDICATOR = "indicator"  # an indicator's value for a period
    AGENDA = "agenda"  # a proposal for a commission meeting's agenda


@dataclass(frozen=True)
class WaitKey:
    """What a waiting flow run waits on: ``subject`` is the obligation id, the indicator's
    code or the meeting's period; ``period`` the indicator value's period (else None)."""

    kind: WaitKind
    subject: str
    period: str | None = None

    @classmethod
    def evidence(cls, obligation_id: str) -> WaitKey:
        return cls(WaitKind.EVIDENCE, obligation_id)

    @classmethod
    def indicator(cls, code: str, period: str) -> WaitKey:
        return cls(WaitKind.INDICATOR, code, period)

    @classmethod
    def agenda(cls, period: str) -> WaitKey:
        return cls(WaitKind.AGENDA, period)

    @classmethod
    def parse(cls, text: str) -> WaitKey:
        """Raises:
        MalformedKey: an unknown kind, or an indicator key without its period."""
        kind, _, rest = text.partition(":")
        if kind not in WaitKind.__members__.values() or not rest:
            raise MalformedKey(f"ключ ожидания «{text}» не распознан")
        if kind == WaitKind.INDICATOR:
            code, _, period = rest.rpartition(":")
            if not code or not period:
                raise MalformedKey(f"ключ ожидания «{text}»: нет периода показателя")
            return cls(WaitKind.INDICATOR, code, period)
        return cls(WaitKind(kind), rest)

    def format(self) -> str:
        tail = f":{self.period}" if self.period is not None else ""
        return f"{self.kind.value}:{self.subject}{tail}"

    def __str__(self) -> str:
        return self.format()


@dataclass(frozen=True)
class TargetCode:
    """One target of an activity: the activity's number and the target's index in it."""

    activity: str
    index: int

    @classmethod
    def parse(cls, text: str) -> TargetCode:
        """Raises:
        MalformedKey: not ``<number>#<index>``."""
        activity, sep, index = text.partition("#")
        if not sep or not activity or not index.isdigit():
            raise MalformedKey(f"цель «{text}»: ожидается номер#индекс")
        return cls(activity, int(index))

    def format(self) -> str:
        return f"{self.activity}#{self.index}"

    def __str__(self) -> str:
        return self.format()
