"""Obligation state transitions as a table: every (state, event) pair and its outcome.

The table is written out in full: 8 states × 9 events, each pair either the state it
leads to or the refusal a person reads (in Russian). A test checks that the module's
rules give exactly this table and that it covers every pair, so a new state or event
cannot slip in without a row here.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import pytest

from roadmap.obligations.states import (
    FULFILLED,
    NOT_SUBMITTED,
    OWED,
    Event,
    InvalidTransition,
    State,
    state_ru,
    transition,
)

S, E = State, Event


class Refused(NamedTuple):
    """The event is not allowed; ``message`` is what ``InvalidTransition`` says."""

    message: str


Outcome = State | Refused

TABLE: list[tuple[State, Event, Outcome]] = [
    # open
    (S.OPEN, E.SUBMIT, S.SUBMITTED),
    (S.OPEN, E.ACCEPT, Refused("нельзя принять: обязательство в состоянии «открыто»")),
    (S.OPEN, E.ACCEPT_LATE, Refused("нельзя принять: обязательство в состоянии «открыто»")),
    (S.OPEN, E.REJECT, Refused("нельзя вернуть на доработку: обязательство в состоянии «открыто»")),
    (S.OPEN, E.DECLARE_NA, S.NOT_APPLICABLE),
    (S.OPEN, E.MARK_OVERDUE, S.OVERDUE),
    (S.OPEN, E.EXTEND, Refused("нельзя продлить срок: обязательство в состоянии «открыто»")),
    (S.OPEN, E.CANCEL, S.CANCELLED),
    (S.OPEN, E.REOPEN, Refused("нельзя открыть заново: обязательство в состоянии «открыто»")),
    # overdue
    (S.OVERDUE, E.SUBMIT, S.SUBMITTED),
    (S.OVERDUE, E.ACCEPT, Refused("нельзя принять: обязательство в состоянии «просрочено»")),
    (S.OVERDUE, E.ACCEPT_LATE, Refused("нельзя принять: обязательство в состоянии «просрочено»")),
    (
        S.OVERDUE,
        E.REJECT,
        Refused("нельзя вернуть на доработку: обязательство в состоянии «просрочено»"),
    ),
    (S.OVERDUE, E.DECLARE_NA, S.NOT_APPLICABLE),
    (
        S.OVERDUE,
        E.MARK_OVERDUE,
        Refused("нельзя отметить просроченным: обязательство в состоянии «просрочено»"),
    ),
    (S.OVERDUE, E.EXTEND, S.OPEN),
    (S.OVERDUE, E.CANCEL, S.CANCELLED),
    (S.OVERDUE, E.REOPEN, Refused("нельзя открыть заново: обязательство в состоянии «просрочено»")),
    # submitted
    (S.SUBMITTED, E.SUBMIT, S.SUBMITTED),
    (S.SUBMITTED, E.ACCEPT, S.ACCEPTED),
    (S.SUBMITTED, E.ACCEPT_LATE, S.CLOSED_LATE),
    (S.SUBMITTED, E.REJECT, S.REJECTED),
    (
        S.SUBMITTED,
        E.DECLARE_NA,
        Refused("нельзя объявить неприменимым: обязательство в состоянии «представлено»"),
    ),
    (
        S.SUBMITTED,
        E.MARK_OVERDUE,
        Refused("нельзя отметить просроченным: обязательство в состоянии «представлено»"),
    ),
    (
        S.SUBMITTED,
        E.EXTEND,
        Refused("нельзя продлить срок: обязательство в состоянии «представлено»"),
    ),
    (S.SUBMITTED, E.CANCEL, Refused("нельзя отменить: обязательство в состоянии «представлено»")),
    (
        S.SUBMITTED,
        E.REOPEN,
        Refused("нельзя открыть заново: обязательство в состоянии «представлено»"),
    ),
    # accepted
    (S.ACCEPTED, E.SUBMIT, S.SUBMITTED),
    (S.ACCEPTED, E.ACCEPT, Refused("нельзя принять: обязательство в состоянии «принято»")),
    (S.ACCEPTED, E.ACCEPT_LATE, Refused("нельзя принять: обязательство в состоянии «принято»")),
    (
        S.ACCEPTED,
        E.REJECT,
        Refused("нельзя вернуть на доработку: обязательство в состоянии «принято»"),
    ),
    (
        S.ACCEPTED,
        E.DECLARE_NA,
        Refused("нельзя объявить неприменимым: обязательство в состоянии «принято»"),
    ),
    (
        S.ACCEPTED,
        E.MARK_OVERDUE,
        Refused("нельзя отметить просроченным: обязательство в состоянии «принято»"),
    ),
    (S.ACCEPTED, E.EXTEND, Refused("нельзя продлить срок: обязательство в состоянии «принято»")),
    (S.ACCEPTED, E.CANCEL, Refused("нельзя отменить: обязательство в состоянии «принято»")),
    (S.ACCEPTED, E.REOPEN, Refused("нельзя открыть заново: обязательство в состоянии «принято»")),
    # rejected
    (S.REJECTED, E.SUBMIT, S.SUBMITTED),
    (
        S.REJECTED,
        E.ACCEPT,
        Refused("нельзя принять: обязательство в состоянии «возвращено на доработку»"),
    ),
    (
        S.REJECTED,
        E.ACCEPT_LATE,
        Refused("нельзя принять: обязательство в состоянии «возвращено на доработку»"),
    ),
    (
        S.REJECTED,
        E.REJECT,
        Refused("нельзя вернуть на доработку: обязательство в состоянии «возвращено на доработку»"),
    ),
    (S.REJECTED, E.DECLARE_NA, S.NOT_APPLICABLE),
    (
        S.REJECTED,
        E.MARK_OVERDUE,
        Refused(
            "нельзя отметить просроченным: обязательство в состоянии «возвращено на доработку»"
        ),
    ),
    (
        S.REJECTED,
        E.EXTEND,
        Refused("нельзя продлить срок: обязательство в состоянии «возвращено на доработку»"),
    ),
    (S.REJECTED, E.CANCEL, S.CANCELLED),
    (
        S.REJECTED,
        E.REOPEN,
        Refused("нельзя открыть заново: обязательство в состоянии «возвращено на доработку»"),
    ),
    # not_applicable
    (
        S.NOT_APPLICABLE,
        E.SUBMIT,
        Refused("нельзя представить документ: обязательство в состоянии «неприменимо»"),
    ),
    (
        S.NOT_APPLICABLE,
        E.ACCEPT,
        Refused("нельзя принять: обязательство в состоянии «неприменимо»"),
    ),
    (
        S.NOT_APPLICABLE,
        E.ACCEPT_LATE,
        Refused("нельзя принять: обязательство в состоянии «неприменимо»"),
    ),
    (
        S.NOT_APPLICABLE,
        E.REJECT,
        Refused("нельзя вернуть на доработку: обязательство в состоянии «неприменимо»"),
    ),
    (
        S.NOT_APPLICABLE,
        E.DECLARE_NA,
        Refused("нельзя объявить неприменимым: обязательство в состоянии «неприменимо»"),
    ),
    (
        S.NOT_APPLICABLE,
        E.MARK_OVERDUE,
        Refused("нельзя отметить просроченным: обязательство в состоянии «неприменимо»"),
    ),
    (
        S.NOT_APPLICABLE,
        E.EXTEND,
        Refused("нельзя продлить срок: обязательство в состоянии «неприменимо»"),
    ),
    (
        S.NOT_APPLICABLE,
        E.CANCEL,
        Refused("нельзя отменить: обязательство в состоянии «неприменимо»"),
    ),
    (
        S.NOT_APPLICABLE,
        E.REOPEN,
        Refused("нельзя открыть заново: обязательство в состоянии «неприменимо»"),
    ),
    # closed_late
    (S.CLOSED_LATE, E.SUBMIT, S.SUBMITTED),
    (
        S.CLOSED_LATE,
        E.ACCEPT,
        Refused("нельзя принять: обязательство в состоянии «закрыто с опозданием»"),
    ),
    (
        S.CLOSED_LATE,
        E.ACCEPT_LATE,
        Refused("нельзя принять: обязательство в состоянии «закрыто с опозданием»"),
    ),
    (
        S.CLOSED_LATE,
        E.REJECT,
        Refused("нельзя вернуть на доработку: обязательство в состоянии «закрыто с опозданием»"),
    ),
    (
        S.CLOSED_LATE,
        E.DECLARE_NA,
        Refused("нельзя объявить неприменимым: обязательство в состоянии «закрыто с опозданием»"),
    ),
    (
        S.CLOSED_LATE,
        E.MARK_OVERDUE,
        Refused("нельзя отметить просроченным: обязательство в состоянии «закрыто с опозданием»"),
    ),
    (
        S.CLOSED_LATE,
        E.EXTEND,
        Refused("нельзя продлить срок: обязательство в состоянии «закрыто с опозданием»"),
    ),
    (
        S.CLOSED_LATE,
        E.CANCEL,
        Refused("нельзя отменить: обязательство в состоянии «закрыто с опозданием»"),
    ),
    (
        S.CLOSED_LATE,
        E.REOPEN,
        Refused("нельзя открыть заново: обязательство в состоянии «закрыто с опозданием»"),
    ),
    # cancelled
    (
        S.CANCELLED,
        E.SUBMIT,
        Refused("нельзя представить документ: обязательство в состоянии «отменено»"),
    ),
    (S.CANCELLED, E.ACCEPT, Refused("нельзя принять: обязательство в состоянии «отменено»")),
    (S.CANCELLED, E.ACCEPT_LATE, Refused("нельзя принять: обязательство в состоянии «отменено»")),
    (
        S.CANCELLED,
        E.REJECT,
        Refused("нельзя вернуть на доработку: обязательство в состоянии «отменено»"),
    ),
    (
        S.CANCELLED,
        E.DECLARE_NA,
        Refused("нельзя объявить неприменимым: обязательство в состоянии «отменено»"),
    ),
    (
        S.CANCELLED,
        E.MARK_OVERDUE,
        Refused("нельзя отметить просроченным: обязательство в состоянии «отменено»"),
    ),
    (S.CANCELLED, E.EXTEND, Refused("нельзя продлить срок: обязательство в состоянии «отменено»")),
    (S.CANCELLED, E.CANCEL, Refused("нельзя отменить: обязательство в состоянии «отменено»")),
    (S.CANCELLED, E.REOPEN, S.OPEN),
]


def _outcome(state: State, event: Event) -> Outcome:
    try:
        return transition(state, event)
    except InvalidTransition as exc:
        return Refused(exc.message)


@pytest.mark.parametrize(
    ("state", "event", "expected"),
    [pytest.param(s, e, x, id=f"{s.value} + {e.value}") for s, e, x in TABLE],
)
def test_transition(state: State, event: Event, expected: Outcome) -> None:
    if isinstance(expected, Refused):
        with pytest.raises(InvalidTransition) as caught:
            transition(state, event)
        assert caught.value.message == expected.message
    else:
        assert transition(state, event) is expected


def test_the_table_covers_every_pair_once() -> None:
    pairs = [(s, e) for s, e, _ in TABLE]
    assert len(pairs) == len(set(pairs)) == 72
    assert set(pairs) == set(itertools.product(State, Event))


def test_the_module_gives_exactly_this_table() -> None:
    module = {(s, e): _outcome(s, e) for s, e in itertools.product(State, Event)}
    assert module == {(s, e): x for s, e, x in TABLE}


@pytest.mark.parametrize(
    ("stored", "event", "expected"),
    [
        pytest.param("open", E.SUBMIT, S.SUBMITTED, id="open as stored text + submit"),
        pytest.param(
            "submitted", E.ACCEPT_LATE, S.CLOSED_LATE, id="submitted as text + accept late"
        ),
        pytest.param("cancelled", E.REOPEN, S.OPEN, id="cancelled as text + reopen"),
    ],
)
def test_transition_takes_the_stored_text(stored: str, event: Event, expected: State) -> None:
    assert transition(stored, event) is expected


def test_an_unknown_stored_state_is_not_a_state() -> None:
    with pytest.raises(ValueError):
        transition("archived", E.SUBMIT)


@pytest.mark.parametrize(
    ("state", "fulfilled", "owed", "not_submitted"),
    [
        pytest.param(S.OPEN, False, True, True, id="open"),
        pytest.param(S.OVERDUE, False, True, True, id="overdue"),
        pytest.param(S.SUBMITTED, True, False, False, id="submitted"),
        pytest.param(S.ACCEPTED, True, False, False, id="accepted"),
        pytest.param(S.REJECTED, False, True, True, id="rejected"),
        pytest.param(S.NOT_APPLICABLE, False, False, False, id="not_applicable"),
        pytest.param(S.CLOSED_LATE, True, False, False, id="closed_late"),
        pytest.param(S.CANCELLED, False, False, True, id="cancelled"),
    ],
)
def test_state_groups(state: State, fulfilled: bool, owed: bool, not_submitted: bool) -> None:
    assert (state in FULFILLED, state in OWED, state in NOT_SUBMITTED) == (
        fulfilled,
        owed,
        not_submitted,
    )


@pytest.mark.parametrize(
    ("stored", "words"),
    [
        pytest.param("open", "открыто", id="open"),
        pytest.param("overdue", "просрочено", id="overdue"),
        pytest.param("submitted", "представлено", id="submitted"),
        pytest.param("accepted", "принято", id="accepted"),
        pytest.param("rejected", "возвращено на доработку", id="rejected"),
        pytest.param("not_applicable", "неприменимо", id="not_applicable"),
        pytest.param("closed_late", "закрыто с опозданием", id="closed_late"),
        pytest.param("cancelled", "отменено", id="cancelled"),
        pytest.param("archived", "archived", id="unknown text is shown as stored"),
    ],
)
def test_state_words(stored: str, words: str) -> None:
    assert state_ru(stored) == words
