"""The ladder's dates and conditions, with the dates written out."""

from __future__ import annotations

import datetime as dt

from roadmap.dates.quiet_hours import in_window, next_window
from roadmap.dates.workdays import get_calendar
from roadmap.obligations.ladder import LadderFacts, next_step_dates, steps_due
from roadmap.program.model import DEFAULT_LADDER

D = dt.date.fromisoformat
cal = get_calendar()
# 1.5 «январь - июнь 2025», due Monday 30 June 2025 (12–13 June are days off)
FACTS = LadderFacts(
    opens=D("2025-01-01"), due=D("2025-06-30"), state="open", cycle=0, since=D("2025-01-09")
)


def dates(facts: LadderFacts) -> list[tuple[str, str]]:
    return [(d.step.step, d.date.isoformat()) for d in next_step_dates(DEFAULT_LADDER, facts, cal)]


def test_default_ladder_dates_on_the_production_calendar() -> None:
    assert dates(FACTS) == [
        ("open", "2025-01-09"),  # 1–8 January are holidays
        ("remind-10", "2025-06-16"),
        ("remind-3", "2025-06-25"),
        ("due", "2025-06-30"),
        ("overdue", "2025-07-01"),
        ("escalate-1", "2025-07-07"),
        ("escalate-2", "2025-07-14"),
        ("escalate-3", "2025-07-28"),
    ]


def test_steps_due_catches_up_missed_days_but_not_before_since() -> None:
    due = steps_due(DEFAULT_LADDER, FACTS, D("2025-07-02"), cal)
    assert [d.step.step for d in due] == ["open", "remind-10", "remind-3", "due", "overdue"]
    late = LadderFacts(**{**FACTS.__dict__, "since": D("2025-06-20")})
    assert [d.step.step for d in steps_due(DEFAULT_LADDER, late, D("2025-07-02"), cal)] == [
        "remind-3", "due", "overdue",
    ]  # fmt: skip


def test_submission_stops_the_ladder_and_na_or_cancel_silence_it() -> None:
    for state in ("submitted", "accepted", "closed_late", "not_applicable", "cancelled"):
        facts = LadderFacts(**{**FACTS.__dict__, "state": state})
        assert steps_due(DEFAULT_LADDER, facts, D("2025-07-30"), cal) == []


def test_rejection_after_due_restarts_from_overdue_on_the_rejection_day() -> None:
    anchored = LadderFacts(**{**FACTS.__dict__, "state": "rejected", "cycle": 1,
                              "since": D("2025-08-05"), "anchor": D("2025-08-05")})  # fmt: skip
    assert dates(anchored) == [
        ("overdue", "2025-08-05"),
        ("escalate-1", "2025-08-11"),
        ("escalate-2", "2025-08-18"),
        ("escalate-3", "2025-09-01"),
    ]


def test_extension_moves_the_ladder_without_a_second_opening_notice() -> None:
    extended = LadderFacts(
        **{**FACTS.__dict__, "due": D("2025-07-31"), "cycle": 1, "since": D("2025-06-20")}
    )
    assert dates(extended)[:2] == [("remind-10", "2025-07-17"), ("remind-3", "2025-07-28")]


def test_quiet_hours_window() -> None:
    from zoneinfo import ZoneInfo

    z = ZoneInfo("Asia/Krasnoyarsk")

    def local(s: str) -> dt.datetime:
        return dt.datetime.fromisoformat(s).replace(tzinfo=z)

    assert in_window(local("2025-07-07T09:00"), z, cal)
    assert not in_window(local("2025-07-07T18:00"), z, cal)
    assert next_window(local("2025-07-04T19:30"), z, cal) == local("2025-07-07T09:00")  # Fri → Mon
    assert next_window(local("2025-07-07T07:10"), z, cal) == local("2025-07-07T09:00")
    assert next_window(local("2025-06-12T10:00"), z, cal) == local("2025-06-16T09:00")  # holidays
