"""An obligation's standing on a past date as a table: its row today, its recorded changes,
the date asked, and how it stood then.

Every row is literal: the changes as the audit keeps them (the day recorded in the
program's zone, the action, the field, the old and new value), the program first loaded on
9 January 2025.
"""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap.obligations.history import Change, Standing, standing_as_of

D = dt.date.fromisoformat
LOADED = D("2025-01-09")


def ch(on: str, action: str, field: str, old: str | None, new: str | None) -> Change:
    return Change(D(on), action, field, old, new)


def now(state: str, due: str = "2025-04-07", **kw: object) -> Standing:
    fields: dict[str, object] = {
        "state": state,
        "due": D(due),
        "opens": D("2025-03-01"),
        "fulfilled_on": None,
        "na_on": None,
        "cancelled": False,
    }
    fields.update(kw)
    return Standing(**fields)  # type: ignore[arg-type]


CREATED = ch("2025-01-09", "create", "state", None, "open")
# submitted on 1 April, accepted on 6 April
ACCEPTED = [
    CREATED,
    ch("2025-04-01", "submit", "state", "open", "submitted"),
    ch("2025-04-06", "accept", "state", "submitted", "accepted"),
]
# overdue on 8 April, submitted 10 April, returned 14 April, submitted again 16 April
RETURNED = [
    CREATED,
    ch("2025-04-08", "mark_overdue", "state", "open", "overdue"),
    ch("2025-04-10", "submit", "state", "overdue", "submitted"),
    ch("2025-04-14", "reject", "state", "submitted", "rejected"),
    ch("2025-04-16", "submit", "state", "rejected", "submitted"),
]
EXTENDED = [
    CREATED,
    ch("2025-04-08", "mark_overdue", "state", "open", "overdue"),
    ch("2025-04-09", "due_changed", "due", "2025-04-07", "2025-04-30"),
    ch("2025-04-09", "extend", "state", "overdue", "open"),
]
NOT_APPLICABLE = [CREATED, ch("2025-02-03", "declare_na", "state", "open", "not_applicable")]
DROPPED = [
    CREATED,
    ch("2025-05-12", "drop", "cancelled_in_version", None, "v2"),
    ch("2025-05-12", "cancel", "state", "open", "cancelled"),
]
AMENDED = [ch("2025-05-12", "create", "state", None, "open")]
SET_BY_PERSON = [
    ch("2025-05-12", "create", "state", None, "open"),
    ch("2025-05-12", "due_set", "due", None, "2025-06-11"),
]

CASES = [
    # (today's row, changes, as of, then: (state, due, fulfilled on, na on, cancelled) or None)
    (now("accepted", fulfilled_on=D("2025-04-01")), ACCEPTED, "2025-03-31",
     ("open", "2025-04-07", None, None, False)),
    (now("accepted", fulfilled_on=D("2025-04-01")), ACCEPTED, "2025-04-03",
     ("submitted", "2025-04-07", "2025-04-01", None, False)),
    (now("accepted", fulfilled_on=D("2025-04-01")), ACCEPTED, "2025-04-06",
     ("accepted", "2025-04-07", "2025-04-01", None, False)),
    (now("submitted", fulfilled_on=D("2025-04-16")), RETURNED, "2025-04-09",
     ("overdue", "2025-04-07", None, None, False)),
    (now("submitted", fulfilled_on=D("2025-04-16")), RETURNED, "2025-04-12",
     ("submitted", "2025-04-07", "2025-04-10", None, False)),
    (now("submitted", fulfilled_on=D("2025-04-16")), RETURNED, "2025-04-15",
     ("rejected", "2025-04-07", None, None, False)),
    (now("submitted", fulfilled_on=D("2025-04-16")), RETURNED, "2025-04-16",
     ("submitted", "2025-04-07", "2025-04-16", None, False)),
    (now("open", due="2025-04-30"), EXTENDED, "2025-04-08",
     ("overdue", "2025-04-07", None, None, False)),
    (now("open", due="2025-04-30"), EXTENDED, "2025-04-09",
     ("open", "2025-04-30", None, None, False)),
    (now("not_applicable", na_on=D("2025-02-03")), NOT_APPLICABLE, "2025-02-02",
     ("open", "2025-04-07", None, None, False)),
    (now("not_applicable", na_on=D("2025-02-03")), NOT_APPLICABLE, "2025-02-03",
     ("not_applicable", "2025-04-07", None, "2025-02-03", False)),
    (now("cancelled", cancelled=True), DROPPED, "2025-05-11",
     ("open", "2025-04-07", None, None, False)),
    (now("cancelled", cancelled=True), DROPPED, "2025-05-12",
     ("cancelled", "2025-04-07", None, None, True)),
    # brought in by an amendment, or dated by a person: not there before that day
    (now("open"), AMENDED, "2025-05-11", None),
    (now("open"), AMENDED, "2025-05-12", ("open", "2025-04-07", None, None, False)),
    (now("open", due="2025-06-11"), SET_BY_PERSON, "2025-05-11", None),
    # the program as first loaded is the plan from its first day, even before the loading
    (now("accepted", fulfilled_on=D("2025-04-01")), ACCEPTED, "2024-12-31",
     ("open", "2025-04-07", None, None, False)),
]  # fmt: skip


@pytest.mark.parametrize(("today", "changes", "as_of", "then"), CASES)
def test_standing_as_of_undoes_what_was_recorded_later(
    today: Standing,
    changes: list[Change],
    as_of: str,
    then: tuple[str, str, str | None, str | None, bool] | None,
) -> None:
    got = standing_as_of(today, changes, D(as_of), loaded_on=LOADED)
    if then is None:
        assert got is None
        return
    assert got is not None
    state, due, fulfilled_on, na_on, cancelled = then
    assert (got.state, got.due, got.fulfilled_on, got.na_on, got.cancelled) == (
        state,
        D(due),
        D(fulfilled_on) if fulfilled_on else None,
        D(na_on) if na_on else None,
        cancelled,
    )


def test_standing_with_nothing_recorded_after_the_date_is_the_row_itself() -> None:
    today = now("accepted", fulfilled_on=D("2025-04-01"))
    assert standing_as_of(today, ACCEPTED, D("2025-04-06"), loaded_on=LOADED) is today


# an amendment of 12 May named another executor beside the first; a later one on 2 June
# dropped the first (the audit writes the owners' list as text)
REASSIGNED = [
    CREATED,
    ch("2025-05-12", "recompute", "owners", "['minsoc']", "['minsoc', 'minobr']"),
    ch("2025-06-02", "recompute", "owners", "['minsoc', 'minobr']", "['minobr']"),
]


@pytest.mark.parametrize(
    ("as_of", "owners"),
    [
        ("2025-05-11", ("minsoc",)),
        ("2025-05-12", ("minsoc", "minobr")),
        ("2025-06-01", ("minsoc", "minobr")),
        ("2025-06-02", ("minobr",)),
    ],
)
def test_the_executors_are_those_the_program_named_then(
    as_of: str, owners: tuple[str, ...]
) -> None:
    today = now("open", owners=("minobr",))
    got = standing_as_of(today, REASSIGNED, D(as_of), loaded_on=LOADED)
    assert got is not None and got.owners == owners
