"""The forecast's inputs: each indicator's history as known at the end of a day."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from roadmap.forecast.early_warning import History, Observation
from roadmap.program.model import Program
from storage.actuals import record_indicator_value
from storage.forecast_inputs import indicator_histories, values_as_of
from tests.db import at

D = dt.date.fromisoformat


def give(
    session: Session,
    program: Program,
    indicator: str,
    period: str,
    value: float,
    when: dt.datetime,
    org: str = "minsoc",
) -> None:
    record_indicator_value(
        session=session,
        program=program,
        indicator=indicator,
        period=period,
        org=org,
        value=value,
        given_by="Аналитик",
        channel="cli",
        at=when,
        margin=0.05,
        explanation="проверено",
    )


def test_values_as_of_see_what_was_known_at_the_end_of_the_day_in_krasnoyarsk(
    session: Session, program: Program
) -> None:
    give(session, program, "1.5", "2025", 1233, at("2026-01-20"))
    # a correction at 02:00 on 6 February in Krasnoyarsk: still 5 February in UTC
    give(session, program, "1.5", "2025", 1240, at("2026-02-06", hour=2))
    assert at("2026-02-06", hour=2).date() == D("2026-02-05")

    def known(day: str) -> list[float]:
        return [v.value for v in values_as_of(session=session, program=program, as_of=D(day))]

    assert known("2026-01-19") == []
    assert known("2026-01-20") == [1233]
    assert known("2026-02-05") == [1233]
    assert known("2026-02-06") == [1240]


def test_indicator_histories_sum_the_headcount_and_date_checkpoint_values(
    session: Session, program: Program
) -> None:
    # 1.1 = minsoc + minobr + minzdrav: 2 200, 2 180, 2 150 children
    for month, by_org in (
        ("2025-01", {"minsoc": 800, "minobr": 1250, "minzdrav": 150}),
        ("2025-02", {"minsoc": 790, "minobr": 1240, "minzdrav": 150}),
        ("2025-03", {"minsoc": 780, "minobr": 1220, "minzdrav": 150}),
    ):
        for org, value in by_org.items():
            give(session, program, "1.1", month, value, at(f"{month}-05"), org)
    give(session, program, "1.1", "2025-04", 800, at("2025-04-04"), "minsoc")  # one of three
    give(session, program, "1.5", "2025-H1", 1203, at("2025-07-10"))
    give(session, program, "1.5", "2025", 1233, at("2026-01-20"))

    h = indicator_histories(session=session, program=program, as_of=D("2026-01-31"))
    assert len(h) == 43
    assert h["1.1"] == History(
        True,
        (
            Observation(D("2025-01-01"), 2200),
            Observation(D("2025-02-01"), 2180),
            Observation(D("2025-03-01"), 2150),
        ),
    )
    assert h["1.5"] == History(
        False, (Observation(D("2025-06-30"), 1203), Observation(D("2025-12-31"), 1233))
    )
    earlier = indicator_histories(session=session, program=program, as_of=D("2025-12-31"))
    assert earlier["1.5"].observations == (Observation(D("2025-06-30"), 1203),)
