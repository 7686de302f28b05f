"""The life of an obligation: its states and the transitions between them.

Storage changes an obligation's state only through ``transition``, so the rules live here
once: evidence submitted (or resubmitted) makes it *submitted*; a reviewer accepts it
(*accepted*, or *closed late* if it came in after the due date) or rejects it (*rejected*,
which reopens it); an executor may declare it *not applicable* with a reason; the daily
sweep marks an open obligation *overdue*, and an approved extension whose new date is
still ahead makes it *open* again; a program amendment that drops it *cancels* it,
and one that brings it back reopens it.
"""

from __future__ import annotations

from enum import StrEnum

from roadmap.errors import RoadmapError
from roadmap.words.labels import STATE_RU, state_word


class State(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NOT_APPLICABLE = "not_applicable"
    CLOSED_LATE = "closed_late"
    CANCELLED = "cancelled"


class Event(StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    ACCEPT_LATE = "accept_late"
    REJECT = "reject"
    DECLARE_NA = "declare_na"
    MARK_OVERDUE = "mark_overdue"
    EXTEND = "extend"
    CANCEL = "cancel"
    REOPEN = "reopen"


# States in which something has been handed in that stands (not rejected).
FULFILLED = frozenset({State.SUBMITTED, State.ACCEPTED, State.CLOSED_LATE})
# States in which the executors still owe something.
OWED = frozenset({State.OPEN, State.OVERDUE, State.REJECTED})
# States a program amendment may recompute (nothing handed in yet).
NOT_SUBMITTED = frozenset({State.OPEN, State.OVERDUE, State.REJECTED, State.CANCELLED})

RUSSIAN = STATE_RU  # the words live in labels.py


def state_ru(state: str) -> str:
    """A stored state's Russian word (the stored text itself when it is not a known state)."""
    return state_word(state)


_TRANSITIONS: dict[Event, tuple[frozenset[State], State]] = {
    Event.SUBMIT: (OWED | FULFILLED, State.SUBMITTED),
    Event.ACCEPT: (frozenset({State.SUBMITTED}), State.ACCEPTED),
    Event.ACCEPT_LATE: (frozenset({State.SUBMITTED}), State.CLOSED_LATE),
    Event.REJECT: (frozenset({State.SUBMITTED}), State.REJECTED),
    Event.DECLARE_NA: (OWED, State.NOT_APPLICABLE),
    Event.MARK_OVERDUE: (frozenset({State.OPEN}), State.OVERDUE),
    # an approved extension moved the due date past today
    Event.EXTEND: (frozenset({State.OVERDUE}), State.OPEN),
    Event.CANCEL: (OWED, State.CANCELLED),
    Event.REOPEN: (frozenset({State.CANCELLED}), State.OPEN),
}


class InvalidTransition(RoadmapError):
    """An event that the obligation's current state does not allow."""


def transition(current: State | str, event: Event) -> State:
    """The state after ``event``.

    Raises:
        InvalidTransition: ``event`` is not allowed in ``current`` (message in Russian).
    """
    state = State(current)
    allowed, target = _TRANSITIONS[event]
    if state not in allowed:
        raise InvalidTransition(
            f"нельзя {_VERBS[event]}: обязательство в состоянии «{RUSSIAN[state]}»"
        )
    return target


_VERBS = {
    Event.SUBMIT: "представить документ",
    Event.ACCEPT: "принять",
    Event.ACCEPT_LATE: "принять",
    Event.REJECT: "вернуть на доработку",
    Event.DECLARE_NA: "объявить неприменимым",
    Event.MARK_OVERDUE: "отметить просроченным",
    Event.EXTEND: "продлить срок",
    Event.CANCEL: "отменить",
    Event.REOPEN: "открыть заново",
}
