"""The forecast: literal series whose answer is known, too little history, and the verdict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from roadmap.forecast import (
    ACTUAL,
    History,
    Observation,
    Risk,
    build_histories,
    forecast_indicator,
    probability,
    verdict,
)
from roadmap.program import Direction, Program
from roadmap.projection import Method, Predictive, Series, drift, linear, month_time, project
from roadmap.report import ValueFact

D = dt.date.fromisoformat


def series(values: Sequence[float]) -> Series:
    return Series(tuple(float(i) for i in range(len(values))), tuple(values))


def monthly(*pairs: tuple[str, float]) -> History:
    return History(True, tuple(Observation(D(f"{m}-01"), v) for m, v in pairs))


def at_checkpoints(program: Program, *values: float) -> History:
    dates = [c.date for c in program.checkpoints]
    return History(False, tuple(Observation(d, v) for d, v in zip(dates, values, strict=False)))


# --- literal series -------------------------------------------------------------------------
def test_project_straight_line_continues_it_with_no_spread() -> None:
    p = project(series([100 + 5 * t for t in range(12)]), [17.0, 23.0])
    assert [x.mean for x in p.predictive] == pytest.approx([185.0, 215.0])
    assert all(x.quantile(0.1) == pytest.approx(x.quantile(0.9)) for x in p.predictive)
    # drift and the line agree exactly on a line: the tie goes to the simpler method
    assert p.method is Method.DRIFT


def test_project_flat_series_stays_flat() -> None:
    p = project(series([49.0] * 14), [20.0])
    assert p.predictive[0].mean == pytest.approx(49.0)
    assert p.predictive[0].quantile(0.1) == pytest.approx(49.0)
    assert p.predictive[0].quantile(0.9) == pytest.approx(49.0)


def test_project_series_with_a_break_follows_the_new_trend() -> None:
    # flat at 2 000 for six months, then 30 fewer every month for eighteen: the line goes on
    values = [2000.0] * 6 + [2000.0 - 30 * i for i in range(1, 19)]
    truth = 2000.0 - 30 * 24  # six months after the last value
    p = project(series(values), [29.0])
    assert p.method is Method.HOLT_DAMPED
    assert p.predictive[0].mean == pytest.approx(truth, abs=20)
    assert p.predictive[0].quantile(0.1) <= truth <= p.predictive[0].quantile(0.9)
    # one line through the whole history, or the average drift, would miss by more
    assert abs(linear(series(values), [29.0])[0].mean - truth) > 40
    assert abs(drift(series(values), [29.0])[0].mean - truth) > 30


def test_project_noisy_trend_interval_covers_the_trend() -> None:
    noise = [3, -4, 1, 5, -2, -5, 4, 0, -3, 2, 5, -1, -4, 3, 1, -2, 0, 4]
    values = [1000 - 10 * t + e for t, e in enumerate(noise)]
    p = project(series(values), [23.0]).predictive[0]
    assert p.mean == pytest.approx(770, abs=15)
    assert p.quantile(0.1) < 770 < p.quantile(0.9)
    assert p.quantile(0.9) - p.quantile(0.1) < 60


def test_project_refuses_too_short_series_and_past_times() -> None:
    with pytest.raises(ValueError, match="three values"):
        project(series([1.0, 2.0]), [5.0])
    with pytest.raises(ValueError, match="after the last value"):
        project(series([1.0, 2.0, 3.0]), [2.0])


def test_month_time_counts_months_and_their_fractions() -> None:
    assert month_time(D("2025-07-01")) - month_time(D("2025-01-01")) == 6
    assert month_time(D("2025-06-16")) == pytest.approx(month_time(D("2025-06-01")) + 0.5)


# --- indicators -----------------------------------------------------------------------------
def test_headcount_on_a_straight_line_is_projected_to_each_remaining_checkpoint(
    program: Program,
) -> None:
    # 1.1: 2 211 in January 2025, 30 fewer a month; twelve monthly values, as of 10 January 2026
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    history = monthly(*((m, 2211.0 - 30 * i) for i, m in enumerate(months)))
    f = forecast_indicator(program, program.indicator_map["1.1"], history, as_of=D("2026-01-10"))
    start = month_time(D("2025-01-01"))
    expected = {
        "2025": 2211 - 30 * (month_time(D("2025-12-31")) - start),
        "2026-H1": 2211 - 30 * (month_time(D("2026-06-30")) - start),
        "2026": 2211 - 30 * (month_time(D("2026-12-31")) - start),
    }
    assert f.points == 12 and f.method == "drift"
    assert f.projected == pytest.approx(expected)
    assert f.low == pytest.approx(expected) and f.high == pytest.approx(expected)
    # 2 211 − 30 × 24 ≈ 1 491 at the end of 2026, below the target 1 658: reached for certain
    assert f.end_target is not None and f.end_target.value == 1658
    assert f.next_target is not None and f.next_target.period == "2025"
    assert (f.risk, f.probability, f.status) == (Risk.ON_TRACK, 1.0, "в пределах плана")


def test_flat_headcount_misses_the_target_with_certainty(program: Program) -> None:
    history = monthly(*((f"2025-{m:02d}", 2211.0) for m in range(1, 10)))
    f = forecast_indicator(program, program.indicator_map["1.1"], history, as_of=D("2025-09-20"))
    assert f.projected == pytest.approx({"2025": 2211, "2026-H1": 2211, "2026": 2211})
    assert (f.risk, f.probability, f.status) == (Risk.AT_RISK, 0.0, "риск недостижения")


def test_fewer_than_six_monthly_values_is_too_little_history(program: Program) -> None:
    five = monthly(*((f"2025-{m:02d}", 2211.0 - m) for m in range(1, 6)))
    f = forecast_indicator(program, program.indicator_map["1.1"], five, as_of=D("2025-06-01"))
    assert (f.risk, f.status, f.points) == (Risk.INSUFFICIENT_DATA, "недостаточно данных", 5)
    assert (f.method, f.projected, f.low, f.high, f.probability) == (None, None, None, None, None)
    six = monthly(*((f"2025-{m:02d}", 2211.0 - m) for m in range(1, 7)))
    f = forecast_indicator(program, program.indicator_map["1.1"], six, as_of=D("2025-06-01"))
    assert f.risk is not Risk.INSUFFICIENT_DATA and f.projected is not None


def test_fewer_than_three_checkpoint_values_is_too_little_history(program: Program) -> None:
    ind = program.indicator_map["1.5"]  # children returned to their families: up is better
    two = forecast_indicator(
        program, ind, at_checkpoints(program, 1203, 1233), as_of=D("2026-07-15")
    )
    assert (two.risk, two.points, two.projected) == (Risk.INSUFFICIENT_DATA, 2, None)
    none = forecast_indicator(program, ind, History(False), as_of=D("2025-01-15"))
    assert (none.risk, none.points, none.method) == (Risk.INSUFFICIENT_DATA, 0, None)
    assert none.next_target is not None and none.next_target.period == "2025-H1"
    three = forecast_indicator(
        program, ind, at_checkpoints(program, 1203, 1233, 1243), as_of=D("2026-07-15")
    )
    assert three.points == 3 and three.projected is not None
    assert set(three.projected) == {"2026"}


def test_values_after_the_as_of_date_are_not_history(program: Program) -> None:
    ind = program.indicator_map["1.5"]
    history = at_checkpoints(program, 1203, 1233, 1243)
    f = forecast_indicator(program, ind, history, as_of=D("2026-06-29"))
    assert (f.points, f.risk) == (2, Risk.INSUFFICIENT_DATA)


def test_a_count_is_never_projected_below_zero(program: Program) -> None:
    # 1.2 orphans in institutions (down is better): 200, 100, 5 at the first three checkpoints
    ind = program.indicator_map["1.2"]
    f = forecast_indicator(
        program, ind, at_checkpoints(program, 200, 100, 5), as_of=D("2026-08-01")
    )
    assert f.projected is not None and f.low is not None and f.high is not None
    assert f.projected["2026"] == 0.0 and f.low["2026"] == 0.0 and f.high["2026"] >= 0.0
    assert f.risk is Risk.ON_TRACK and f.probability is not None and f.probability > 0.95


def test_when_no_checkpoint_is_left_the_verdict_is_the_fact(program: Program) -> None:
    up = program.indicator_map["1.5"]  # target 1 253 at the end of 2026
    met = forecast_indicator(
        program, up, at_checkpoints(program, 1203, 1233, 1243, 1260), as_of=D("2027-02-01")
    )
    assert (met.method, met.projected, met.risk, met.probability) == (
        ACTUAL,
        {},
        Risk.ON_TRACK,
        1.0,
    )
    missed = forecast_indicator(
        program, up, at_checkpoints(program, 1203, 1233, 1243, 1250), as_of=D("2027-02-01")
    )
    assert (missed.risk, missed.probability) == (Risk.AT_RISK, 0.0)


def test_as_dict_has_the_documented_fields(program: Program) -> None:
    f = forecast_indicator(
        program,
        program.indicator_map["1.5"],
        at_checkpoints(program, 1203, 1233, 1243),
        as_of=D("2026-07-15"),
    )
    d = f.as_dict()
    assert list(d) == [
        "code",
        "name",
        "direction",
        "target",
        "points",
        "method",
        "projected",
        "low",
        "high",
        "probability",
        "risk",
        "status",
    ]
    assert d["target"]["end"] == {"period": "2026", "date": "2026-12-31", "value": 1253.0}
    assert d["risk"] in {"on_track", "at_risk"} and d["direction"] == "up"


# --- the verdict and the probability --------------------------------------------------------
@pytest.mark.parametrize(
    ("direction", "low", "high", "risk"),
    [
        ("down", 80, 95, Risk.ON_TRACK),  # the whole interval below the target: better side
        ("down", 95, 110, Risk.ON_TRACK),  # the target inside
        ("down", 100, 120, Risk.ON_TRACK),  # the target on the interval's edge
        ("down", 101, 120, Risk.AT_RISK),  # the whole interval above: worse side
        ("up", 101, 120, Risk.ON_TRACK),
        ("up", 95, 110, Risk.ON_TRACK),
        ("up", 80, 100, Risk.ON_TRACK),
        ("up", 80, 99, Risk.AT_RISK),
    ],
)
def test_verdict_follows_the_indicators_direction(
    direction: Direction, low: float, high: float, risk: Risk
) -> None:
    assert verdict(direction, 100.0, low, high) is risk


def test_probability_of_reaching_the_target_for_both_directions() -> None:
    p = Predictive(mean=100.0, scale=10.0)  # normal
    assert probability("down", p, 100.0) == pytest.approx(0.5)
    assert probability("up", p, 100.0) == pytest.approx(0.5)
    # the target at the 10th percentile: 10 % chance to get at most it, 90 % at least it
    tenth = p.quantile(0.1)
    assert tenth == pytest.approx(100 - 12.8155, abs=1e-3)
    assert probability("down", p, tenth) == pytest.approx(0.1)
    assert probability("up", p, tenth) == pytest.approx(0.9)
    # Student's t with 3 degrees of freedom has fatter tails than the normal
    t3 = Predictive(mean=100.0, scale=10.0, dof=3)
    assert probability("down", t3, 80.0) > probability("down", p, 80.0)


def test_at_risk_means_a_probability_below_the_intervals_tail() -> None:
    for mean in (60.0, 90.0, 100.0, 110.0, 140.0):
        p = Predictive(mean=mean, scale=10.0, dof=5)
        low, high = p.quantile(0.1), p.quantile(0.9)
        directions: tuple[Direction, ...] = ("down", "up")
        for direction in directions:
            risky = verdict(direction, 100.0, low, high) is Risk.AT_RISK
            assert risky == (probability(direction, p, 100.0) < 0.1)


# --- histories ------------------------------------------------------------------------------
def fact(indicator: str, period: str, org: str, value: float, on: str = "2026-01-20") -> ValueFact:
    return ValueFact(indicator, period, org, value, None, D(on))


def test_histories_add_up_contributors_and_skip_incomplete_months(program: Program) -> None:
    values = [
        fact("1.1", "2025-01", "minsoc", 800),
        fact("1.1", "2025-01", "minobr", 1250),
        fact("1.1", "2025-01", "minzdrav", 160),
        fact("1.1", "2025-02", "minsoc", 790),
        fact("1.1", "2025-02", "minobr", 1240),  # minzdrav has not given February yet
        fact("1.1", "2025-H1", "minsoc", 2100),  # a checkpoint value: the months come first
        fact("1.5", "2025", "minsoc", 1230),
        fact("1.5", "2025-H1", "minsoc", 1210),
        fact("1.5", "2026-H1", "minsoc", 1240),  # for a date after the as-of date
    ]
    h = build_histories(program, values, D("2026-01-31"))
    assert h["1.1"] == History(True, (Observation(D("2025-01-01"), 2210),))
    assert h["1.5"] == History(
        False, (Observation(D("2025-06-30"), 1210), Observation(D("2025-12-31"), 1230))
    )
    assert h["2.1"] == History(False, ())
    assert len(h) == len(program.indicators) == 43
