"""The forecast is computed when what it is computed from changes, not on every day asked:
the same answer as a fresh computation on each day, and fits only when values come in or a
checkpoint passes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from roadmap.forecast.early_warning import IndicatorForecast, forecast_indicators
from roadmap.program.model import Program
from services.forecast import MEMO, forecast_program
from storage.db import session_scope
from storage.forecast_inputs import indicator_histories
from tests.services.test_early_warning import give_month, runtime


def fresh(engine: Engine, program: Program, day: dt.date, margin: float) -> list[IndicatorForecast]:
    """The forecast computed from storage with nothing kept."""
    with session_scope(engine) as s:
        histories = indicator_histories(session=s, program=program, as_of=day)
    return forecast_indicators(program, histories, as_of=day, margin=margin)


def days(first: str, last: str) -> list[dt.date]:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def test_forecast_is_computed_once_per_change_of_its_inputs_and_equals_a_fresh_one(
    with_contacts: Engine, program: Program
) -> None:
    for i in range(12):
        give_month(with_contacts, program, f"2025-{i + 1:02d}", 2211 - 9 * i)
    rt = runtime(with_contacts, program, "2026-01-02")
    margin = rt.settings.explanation_margin
    MEMO.clear()
    # December and early January: the 2025 checkpoint (31 December) passes on the way
    for day in days("2025-12-02", "2026-01-10"):
        assert forecast_program(rt, as_of=day) == fresh(with_contacts, rt.program, day, margin)
    # one computation before the checkpoint, one from it on
    assert MEMO.computed == 2
    # January's values, recorded now, change the inputs: computed anew, and followed
    give_month(with_contacts, program, "2026-01", 2090)
    for day in days("2026-01-12", "2026-01-20"):
        assert forecast_program(rt, as_of=day) == fresh(with_contacts, rt.program, day, margin)
    assert MEMO.computed == 3


def test_another_programs_targets_are_another_forecast(
    with_contacts: Engine, program: Program
) -> None:
    for i in range(12):
        give_month(with_contacts, program, f"2025-{i + 1:02d}", 2211 - 9 * i)
    rt = runtime(with_contacts, program, "2026-01-02")
    day = dt.date(2026, 1, 5)
    first = forecast_program(rt, as_of=day)
    head = program.indicators[0]
    lowered = tuple(t if t is None else t / 2 for t in head.targets)
    changed = rt.program.model_copy(
        update={
            "indicators": (head.model_copy(update={"targets": lowered}), *program.indicators[1:])
        }
    )
    other = runtime(with_contacts, changed, "2026-01-02")
    second = forecast_program(other, as_of=day)
    assert second != first
    assert second == fresh(with_contacts, other.program, day, other.settings.explanation_margin)
