"""Status classification as a table: one obligation, one as-of date, one expected standing.

Every row is literal: the obligation's dates and state as storage hands them over, the
as-of date, and the standing ``classify`` must give on the Russian production calendar.
The working days were counted by hand (the calendar facts the rows lean on: 28 December
2024 was a working Saturday, 30 and 31 December 2024 and 1–8 January 2025 days off;
1 November 2025 a working Saturday, 3 and 4 November 2025 days off; 31 December 2025 and
1–11 January 2026 days off).

The status model has no notion of an extension: storage passes the obligation's current
due date (the extended one) and the rows below say so.
"""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap.dates.workdays import get_calendar
from roadmap.obligations.states import State
from roadmap.obligations.status import STATUS_RU, ObligationFacts, Status, classify, rates_by_org

D = dt.date.fromisoformat
CAL = get_calendar("RU")

# (status, overdue working days, fulfilled, on time, due passed, counts as due)
Expected = tuple[Status, int, bool, bool | None, bool, bool]


def facts(
    opens: str,
    due: str,
    state: State,
    fulfilled_on: str | None = None,
    na_on: str | None = None,
    owners: tuple[str, ...] = ("minsoc",),
) -> ObligationFacts:
    return ObligationFacts(
        id="1.1:test",
        opens=D(opens),
        due=D(due),
        owners=owners,
        state=state,
        fulfilled_on=D(fulfilled_on) if fulfilled_on else None,
        na_on=D(na_on) if na_on else None,
    )


OPEN, OVERDUE, SUBMITTED = State.OPEN, State.OVERDUE, State.SUBMITTED
ACCEPTED, CLOSED_LATE, REJECTED = State.ACCEPTED, State.CLOSED_LATE, State.REJECTED
NA = State.NOT_APPLICABLE

# October 2025: opens Wednesday 1 October, due Friday 31 October (its last working day).
OCT = ("2025-10-01", "2025-10-31")

ROWS = [
    # --- before the due date: upcoming, open, due soon ----------------------------------------
    pytest.param(
        facts(*OCT, OPEN),
        "2025-09-30",
        ("upcoming", 0, False, None, False, False),
        id="upcoming: the day before the period opens",
    ),
    pytest.param(
        facts(*OCT, OPEN),
        "2025-10-01",
        ("open", 0, False, None, False, False),
        id="open: first day of the period, 22 working days to go",
    ),
    pytest.param(
        facts(*OCT, OPEN),
        "2025-10-16",
        ("open", 0, False, None, False, False),
        id="open: 11 working days to go",
    ),
    pytest.param(
        facts(*OCT, OPEN),
        "2025-10-17",
        ("due_soon", 0, False, None, False, False),
        id="due soon: 10 working days to go",
    ),
    pytest.param(
        facts(*OCT, OPEN),
        "2025-10-31",
        ("due_soon", 0, False, None, True, True),
        id="due soon: on the due date itself, which already counts as due",
    ),
    pytest.param(
        facts(*OCT, OVERDUE),
        "2025-10-30",
        ("due_soon", 0, False, None, False, False),
        id="stored state overdue, due date ahead: the dates decide",
    ),
    # --- overdue: due on a Friday vs on a Monday ------------------------------------------------
    pytest.param(
        facts("2025-07-01", "2025-07-25", OPEN),
        "2025-07-26",
        ("overdue", 0, False, False, True, True),
        id="due Friday, seen Saturday: overdue by 0 working days",
    ),
    pytest.param(
        facts("2025-07-01", "2025-07-25", OPEN),
        "2025-07-28",
        ("overdue", 1, False, False, True, True),
        id="due Friday, seen Monday: overdue by 1",
    ),
    pytest.param(
        facts("2025-07-01", "2025-07-28", OPEN),
        "2025-07-29",
        ("overdue", 1, False, False, True, True),
        id="due Monday, seen Tuesday: overdue by 1",
    ),
    pytest.param(
        facts("2025-07-01", "2025-07-25", OPEN),
        "2025-08-03",
        ("overdue", 5, False, False, True, True),
        id="due Friday, seen Sunday a week later: overdue by 5",
    ),
    pytest.param(
        facts("2025-07-01", "2025-07-28", OPEN),
        "2025-08-03",
        ("overdue", 4, False, False, True, True),
        id="due Monday, seen the same Sunday: overdue by 4",
    ),
    # --- holidays of the production calendar ---------------------------------------------------
    pytest.param(
        facts("2024-12-01", "2024-12-27", OPEN),
        "2025-01-08",
        ("overdue", 1, False, False, True, True),
        id="due 27 Dec 2024, seen 8 Jan 2025: only the working Saturday 28 Dec counts",
    ),
    pytest.param(
        facts("2024-12-01", "2024-12-27", OPEN),
        "2025-01-09",
        ("overdue", 2, False, False, True, True),
        id="due 27 Dec 2024, seen 9 Jan 2025: the first working day after the holidays",
    ),
    pytest.param(
        facts("2025-01-01", "2025-01-24", OPEN),
        "2025-01-06",
        ("open", 0, False, None, False, False),
        id="due 24 Jan 2025, seen 6 Jan: the holidays are not working days (12 to go)",
    ),
    pytest.param(
        facts("2025-01-01", "2025-01-24", OPEN),
        "2025-01-10",
        ("due_soon", 0, False, None, False, False),
        id="due 24 Jan 2025, seen 10 Jan: 10 working days to go",
    ),
    pytest.param(
        facts(*OCT, OPEN),
        "2025-11-01",
        ("overdue", 1, False, False, True, True),
        id="due 31 Oct 2025, seen on the working Saturday 1 Nov: overdue by 1",
    ),
    pytest.param(
        facts(*OCT, OPEN),
        "2025-11-04",
        ("overdue", 1, False, False, True, True),
        id="due 31 Oct 2025, seen on Unity Day 4 Nov: 3 and 4 Nov are days off",
    ),
    pytest.param(
        facts(*OCT, OPEN),
        "2025-11-05",
        ("overdue", 2, False, False, True, True),
        id="due 31 Oct 2025, seen 5 Nov: overdue by 2",
    ),
    pytest.param(
        facts("2025-12-01", "2025-12-30", OPEN),
        "2025-12-31",
        ("overdue", 0, False, False, True, True),
        id="due 30 Dec 2025, seen 31 Dec (a day off): overdue by 0",
    ),
    pytest.param(
        facts("2025-12-01", "2025-12-30", OPEN),
        "2026-01-11",
        ("overdue", 0, False, False, True, True),
        id="due 30 Dec 2025, seen 11 Jan 2026: still 0 through the holidays",
    ),
    pytest.param(
        facts("2025-12-01", "2025-12-30", OPEN),
        "2026-01-12",
        ("overdue", 1, False, False, True, True),
        id="due 30 Dec 2025, seen 12 Jan 2026: overdue by 1",
    ),
    pytest.param(
        facts("2025-12-01", "2026-01-16", OPEN),
        "2025-12-19",
        ("open", 0, False, None, False, False),
        id="December monthly due 16 Jan 2026, seen 19 Dec: 12 working days to go",
    ),
    pytest.param(
        facts("2025-12-01", "2026-01-16", OPEN),
        "2025-12-26",
        ("due_soon", 0, False, None, False, False),
        id="December monthly due 16 Jan 2026, seen 26 Dec: 7 working days to go",
    ),
    # --- handed in before, on or after the due date -------------------------------------------
    pytest.param(
        facts(*OCT, SUBMITTED, "2025-10-20"),
        "2025-10-25",
        ("done", 0, True, True, False, False),
        id="submitted before the due date, seen before it: done, not yet counted",
    ),
    pytest.param(
        facts(*OCT, ACCEPTED, "2025-10-20"),
        "2025-11-10",
        ("done", 0, True, True, True, True),
        id="submitted before the due date and accepted: done on time",
    ),
    pytest.param(
        facts(*OCT, SUBMITTED, "2025-10-31"),
        "2025-11-10",
        ("done", 0, True, True, True, True),
        id="submitted on the due date: on time",
    ),
    pytest.param(
        facts(*OCT, CLOSED_LATE, "2025-11-01"),
        "2025-11-10",
        ("done", 0, True, False, True, True),
        id="submitted the day after (working Saturday), closed late: late",
    ),
    pytest.param(
        facts(*OCT, SUBMITTED, "2025-11-05"),
        "2025-11-03",
        ("overdue", 1, False, False, True, True),
        id="submitted 5 Nov, seen 3 Nov: not yet handed in then, overdue",
    ),
    pytest.param(
        facts(*OCT, ACCEPTED, "2025-10-31"),
        "2025-10-30",
        ("due_soon", 0, False, None, False, False),
        id="accepted later, seen the day before submission: still owed",
    ),
    pytest.param(
        facts(*OCT, SUBMITTED, "2025-09-25"),
        "2025-09-28",
        ("done", 0, True, True, False, False),
        id="submitted before the period opened: done, not upcoming",
    ),
    # --- rejected, then resubmitted ------------------------------------------------------------
    pytest.param(
        facts(*OCT, REJECTED),
        "2025-10-30",
        ("due_soon", 0, False, None, False, False),
        id="rejected before the due date: owed again",
    ),
    pytest.param(
        facts(*OCT, REJECTED),
        "2025-11-05",
        ("overdue", 2, False, False, True, True),
        id="rejected, due date passed: overdue",
    ),
    pytest.param(
        facts(*OCT, REJECTED, "2025-10-20"),
        "2025-11-10",
        ("overdue", 5, False, False, True, True),
        id="rejected with a submission date left behind: the state decides",
    ),
    pytest.param(
        facts(*OCT, SUBMITTED, "2025-10-29"),
        "2025-11-05",
        ("done", 0, True, True, True, True),
        id="rejected, resubmitted before the due date: on time",
    ),
    pytest.param(
        facts(*OCT, SUBMITTED, "2025-11-05"),
        "2025-11-10",
        ("done", 0, True, False, True, True),
        id="rejected, resubmitted after the due date: late",
    ),
    pytest.param(
        facts(*OCT, SUBMITTED, "2025-11-05"),
        "2025-11-04",
        ("overdue", 1, False, False, True, True),
        id="rejected, resubmitted 5 Nov, seen 4 Nov: overdue",
    ),
    # --- not applicable ------------------------------------------------------------------------
    pytest.param(
        facts(*OCT, NA, na_on="2025-10-15"),
        "2025-11-10",
        ("not_applicable", 0, False, None, True, False),
        id="not applicable: never counted as due",
    ),
    pytest.param(
        facts(*OCT, NA, na_on="2025-10-15"),
        "2025-10-10",
        ("open", 0, False, None, False, False),
        id="not applicable from 15 Oct, seen 10 Oct: open then",
    ),
    pytest.param(
        facts(*OCT, NA, na_on="2025-11-05"),
        "2025-11-03",
        ("overdue", 1, False, False, True, True),
        id="declared not applicable after the due date, seen before: overdue",
    ),
    pytest.param(
        facts(*OCT, NA, na_on="2025-11-05"),
        "2025-11-05",
        ("not_applicable", 0, False, None, True, False),
        id="declared not applicable after the due date, seen that day",
    ),
    pytest.param(
        facts(*OCT, NA, na_on="2025-09-20"),
        "2025-09-25",
        ("not_applicable", 0, False, None, False, False),
        id="declared not applicable before the period opened",
    ),
    # --- extensions: storage passes the extended due date (program due 31 Oct) -----------------
    pytest.param(
        facts("2025-10-01", "2025-11-28", OPEN),
        "2025-11-05",
        ("open", 0, False, None, False, False),
        id="extended to 28 Nov, seen 5 Nov: open, 17 working days to go",
    ),
    pytest.param(
        facts("2025-10-01", "2025-11-28", SUBMITTED, "2025-11-20"),
        "2025-12-01",
        ("done", 0, True, True, True, True),
        id="extended to 28 Nov, submitted 20 Nov: on time",
    ),
    pytest.param(
        facts("2025-10-01", "2025-11-28", OPEN),
        "2025-12-01",
        ("overdue", 1, False, False, True, True),
        id="extended to 28 Nov (Friday), seen Monday 1 Dec: overdue by 1",
    ),
]


@pytest.mark.parametrize(("ob", "as_of", "expected"), ROWS)
def test_classify(ob: ObligationFacts, as_of: str, expected: Expected) -> None:
    entry = classify(ob, D(as_of), CAL)
    got = (
        entry.status,
        entry.overdue_working_days,
        entry.fulfilled,
        entry.on_time,
        entry.due_passed,
        entry.counts_as_due,
    )
    assert got == expected


@pytest.mark.parametrize(
    ("status", "words"),
    [
        pytest.param("upcoming", "ещё не открыто", id="upcoming"),
        pytest.param("open", "в работе", id="open"),
        pytest.param("due_soon", "срок скоро", id="due_soon"),
        pytest.param("overdue", "просрочено", id="overdue"),
        pytest.param("done", "выполнено", id="done"),
        pytest.param("not_applicable", "неприменимо", id="not_applicable"),
    ],
)
def test_status_words(status: Status, words: str) -> None:
    assert STATUS_RU[status] == words


def test_every_status_has_its_words() -> None:
    assert set(STATUS_RU) == {"upcoming", "open", "due_soon", "overdue", "done", "not_applicable"}


def _rate(
    org: str, counts: tuple[int, int, int, int], rates: tuple[float, float]
) -> dict[str, object]:
    """Rates.to_json: (due, fulfilled, on time, overdue), (completeness, timeliness); late
    is received after the due date, not done is due and not received."""
    due, fulfilled, on_time, overdue = counts
    completeness, timeliness = rates
    return {
        "org": org,
        "due": due,
        "fulfilled": fulfilled,
        "on_time": on_time,
        "overdue": overdue,
        "late": fulfilled - on_time,
        "not_done": due - fulfilled,
        "completeness": completeness,
        "timeliness": timeliness,
    }


RATE_ROWS = [
    pytest.param(
        [facts(*OCT, ACCEPTED, "2025-10-20")],
        "2025-11-10",
        [_rate("minsoc", (1, 1, 1, 0), (1.0, 1.0))],
        id="on time: 100 % and 100 %",
    ),
    pytest.param(
        [facts(*OCT, CLOSED_LATE, "2025-11-05")],
        "2025-11-10",
        [_rate("minsoc", (1, 1, 0, 0), (1.0, 0.0))],
        id="late: complete, not timely",
    ),
    pytest.param(
        [facts(*OCT, OPEN)],
        "2025-11-10",
        [_rate("minsoc", (1, 0, 0, 1), (0.0, 0.0))],
        id="overdue: neither",
    ),
    pytest.param(
        [facts(*OCT, OPEN)],
        "2025-10-31",
        [_rate("minsoc", (1, 0, 0, 0), (0.0, 0.0))],
        id="due today, not handed in: due, not overdue",
    ),
    pytest.param([facts(*OCT, OPEN)], "2025-10-20", [], id="not yet due: not counted"),
    pytest.param(
        [facts(*OCT, ACCEPTED, "2025-10-20")],
        "2025-10-25",
        [],
        id="handed in early, not yet due: not counted",
    ),
    pytest.param(
        [facts(*OCT, NA, na_on="2025-10-15")], "2025-11-10", [], id="not applicable: not counted"
    ),
    pytest.param(
        [facts(*OCT, OPEN, owners=("minsoc", "minobr"))],
        "2025-11-10",
        [_rate("minobr", (1, 0, 0, 1), (0.0, 0.0)), _rate("minsoc", (1, 0, 0, 1), (0.0, 0.0))],
        id="two owners: each answers for it",
    ),
    pytest.param(
        [
            facts(*OCT, ACCEPTED, "2025-10-20"),
            facts(*OCT, CLOSED_LATE, "2025-11-05"),
            facts(*OCT, OPEN),
            facts(*OCT, NA, na_on="2025-10-15"),
        ],
        "2025-11-10",
        [_rate("minsoc", (3, 2, 1, 1), (0.6667, 0.3333))],
        id="on time, late, overdue and not applicable: two of three, one of three",
    ),
]


@pytest.mark.parametrize(("obs", "as_of", "expected"), RATE_ROWS)
def test_rates(obs: list[ObligationFacts], as_of: str, expected: list[dict[str, object]]) -> None:
    entries = [(ob, classify(ob, D(as_of), CAL)) for ob in obs]
    assert [r.to_json() for r in rates_by_org(entries)] == expected
