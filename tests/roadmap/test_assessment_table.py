"""The assessment's rules as tables: level of achievement, status and colour, execution.

Every row states the case in the program's terms; the expected values can be checked by
hand (a level is fact / plan when more is better and plan / fact when less is better).
"""

from __future__ import annotations

import dataclasses

import pytest

from roadmap.obligations.states import State
from roadmap.obligations.status import Status, StatusEntry
from roadmap.program.model import Program
from roadmap.reports.assessment import (
    Forecast,
    achievement_level,
    activity_execution,
    checkpoint_execution,
    indicator_status,
    indicator_tone,
    split_explanation,
)
from roadmap.reports.lines import IndicatorLine
from roadmap.words.labels import (
    EXECUTION_RU,
    FORECAST_RU,
    INDICATOR_STATUS_RU,
    REVIEW_RU,
    STATE_RU,
    STATUS_RU,
    indicator_legend,
)
from roadmap.words.verdicts import (
    ExecutionStatus,
    ForecastVerdict,
    IndicatorStatus,
    ReviewState,
    Tone,
)

E = ExecutionStatus
S = IndicatorStatus


@pytest.mark.parametrize(
    ("direction", "actual", "target", "level"),
    [
        pytest.param("up", 1100, 1203, 0.9144, id="more is better: fact / plan"),
        pytest.param("up", 22, 20, 1.1, id="more is better, above the plan"),
        pytest.param("down", 2062, 2211, 1.0723, id="less is better: plan / fact"),
        pytest.param("down", 2299, 2211, 0.9617, id="less is better, above the plan"),
        pytest.param("down", 2, 0, 0.0, id="less is better, plan zero: any fact misses"),
        pytest.param("down", 0, 0, 1.0, id="both zero: the plan is hit"),
        pytest.param("down", 0, 5, None, id="less is better, fact zero: undefined, achieved"),
        pytest.param("up", 3, 0, None, id="more is better, plan zero: undefined, achieved"),
    ],
)
def test_achievement_level_respects_the_direction(
    direction: str, actual: float, target: float, level: float | None
) -> None:
    got = achievement_level(direction, actual, target)
    assert got == (None if level is None else pytest.approx(level, abs=1e-4))


AT_RISK = Forecast(ForecastVerdict.AT_RISK, 2100, 2050, 2150, "31 декабря 2025 г.")
ON_TRACK = Forecast(ForecastVerdict.ON_TRACK, 2000, 1950, 2027, "31 декабря 2025 г.")


@pytest.mark.parametrize(
    ("deviation", "target", "margin_exceeded", "status", "tone"),
    [
        pytest.param(-0.1, 100, False, S.ACHIEVED, Tone.GREEN, id="better than planned"),
        pytest.param(0.0, 100, False, S.ACHIEVED, Tone.GREEN, id="exactly the plan"),
        pytest.param(0.03, 100, False, S.NOT_ACHIEVED, Tone.AMBER, id="a miss within 5 %"),
        pytest.param(0.2, 100, True, S.NOT_ACHIEVED, Tone.RED, id="a miss beyond 5 %"),
        pytest.param(None, 100, False, S.NO_DATA, Tone.GREY, id="no fact"),
        pytest.param(None, None, False, S.NO_TARGET, Tone.GREY, id="no plan"),
    ],
)
def test_status_and_colour_say_the_same(
    deviation: float | None,
    target: float | None,
    margin_exceeded: bool,
    status: IndicatorStatus,
    tone: Tone,
) -> None:
    got = indicator_status(deviation, target)
    assert (got, indicator_tone(got, margin_exceeded)) == (status, tone)


@pytest.mark.parametrize(
    ("deviation", "forecast", "status", "warns"),
    [
        pytest.param(-0.1, AT_RISK, S.ACHIEVED, True, id="achieved, the forecast at risk"),
        pytest.param(None, AT_RISK, S.NO_DATA, True, id="no fact, the forecast at risk"),
        pytest.param(0.2, AT_RISK, S.NOT_ACHIEVED, True, id="a miss, the forecast at risk"),
        pytest.param(0.2, ON_TRACK, S.NOT_ACHIEVED, False, id="a miss, the forecast on track"),
    ],
)
def test_the_checkpoints_result_and_the_forecasts_verdict_are_apart(
    program: Program,
    deviation: float | None,
    forecast: Forecast,
    status: IndicatorStatus,
    warns: bool,
) -> None:
    ind = program.indicator_map["1.1"]
    line = IndicatorLine(ind, "", "2025", "2025 год", 100.0, None, deviation, None)
    line = dataclasses.replace(line, forecast=forecast)
    assert (line.status, line.forecast_warns) == (status, warns)


@pytest.mark.parametrize(
    ("text", "reasons", "measures"),
    [
        ("суды отложили решения", "суды отложили решения.", None),
        (
            "Причины: суды отложили решения. Меры: направлены запросы.",
            "суды отложили решения.",
            "направлены запросы.",
        ),
        ("рост поступлений; принятые меры: проверки", "рост поступлений.", "проверки"),
        ("Меры: усилен контроль", None, "усилен контроль"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_an_explanation_gives_reasons_and_measures(
    text: str | None, reasons: str | None, measures: str | None
) -> None:
    assert split_explanation(text) == (reasons, measures)


def _entry(
    status: Status, fulfilled: bool = False, on_time: bool | None = None, due: bool = False
) -> StatusEntry:
    return StatusEntry(status, 0, fulfilled, on_time, due)


@pytest.mark.parametrize(
    ("entry", "execution"),
    [
        pytest.param(_entry("done", True, True, True), E.DONE, id="handed in on time"),
        pytest.param(_entry("done", True, False, True), E.DONE_LATE, id="handed in late"),
        pytest.param(
            _entry("done", True, False, True), E.ON_REVIEW, id="handed in late, on review"
        ),
        pytest.param(_entry("done", True, True, True), E.ON_REVIEW, id="on time, on review"),
        pytest.param(_entry("overdue", due=True), E.NOT_DONE, id="overdue"),
        pytest.param(_entry("due_soon", due=True), E.NOT_DONE, id="due today, not handed in"),
        pytest.param(_entry("due_soon"), E.IN_PROGRESS, id="due in a few days"),
        pytest.param(_entry("open"), E.IN_PROGRESS, id="open"),
        pytest.param(_entry("upcoming"), E.NOT_DUE, id="not yet open"),
        pytest.param(_entry("not_applicable", due=True), E.NOT_APPLICABLE, id="not applicable"),
    ],
)
def test_checkpoint_execution(
    entry: StatusEntry, execution: ExecutionStatus, request: pytest.FixtureRequest
) -> None:
    on_review = "on review" in request.node.callspec.id
    assert checkpoint_execution(entry, on_review=on_review) == execution


@pytest.mark.parametrize(
    ("checkpoints", "later", "execution"),
    [
        ((E.DONE, E.DONE), False, E.DONE),
        ((E.DONE, E.DONE_LATE), False, E.DONE_LATE),
        ((E.DONE, E.DONE_LATE, E.ON_REVIEW), False, E.ON_REVIEW),
        ((E.ON_REVIEW, E.IN_PROGRESS), False, E.IN_PROGRESS),
        ((E.DONE, E.NOT_DONE, E.IN_PROGRESS), False, E.NOT_DONE),
        ((E.DONE, E.IN_PROGRESS), False, E.IN_PROGRESS),
        ((E.DONE_LATE, E.NOT_DUE), False, E.IN_PROGRESS),
        ((E.NOT_DUE, E.NOT_DUE), False, E.NOT_DUE),
        ((E.NOT_APPLICABLE, E.NOT_DUE), False, E.NOT_DUE),
        ((E.NOT_APPLICABLE, E.DONE), False, E.DONE),
        ((E.NOT_APPLICABLE,), False, E.NOT_APPLICABLE),
        ((), True, E.NOT_DUE),
        ((), False, E.NONE_IN_PERIOD),
    ],
)
def test_activity_execution(
    checkpoints: tuple[ExecutionStatus, ...], later: bool, execution: ExecutionStatus
) -> None:
    assert activity_execution(checkpoints, later=later) == execution


def test_every_code_has_its_words_in_one_module() -> None:
    assert set(EXECUTION_RU) == set(ExecutionStatus)
    assert set(INDICATOR_STATUS_RU) == set(IndicatorStatus)
    assert set(STATE_RU) == {s.value for s in State}
    assert set(STATUS_RU) == {"upcoming", "open", "due_soon", "overdue", "done", "not_applicable"}
    assert set(FORECAST_RU) == set(ForecastVerdict) and set(REVIEW_RU) == set(ReviewState)
    assert set(indicator_legend(0.05)) == set(Tone)
    assert indicator_legend(0.05)[Tone.AMBER].startswith("не достигнуто, отклонение не более 5")
