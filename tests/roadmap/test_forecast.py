"""The forecast: literal series whose answer is known, too little history, and the verdict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from roadmap.forecast.early_warning import (
    ACTUAL,
    History,
    Observation,
    Risk,
    alert_due,
    build_histories,
    forecast_indicator,
    probability,
    verdict,
)
from roadmap.forecast.projection import (
    Method,
    Predictive,
    Series,
    _holt_fit,
    checkpoint_time,
    drift,
    linear,
    month_time,
    project,
    spread_floor,
)
from roadmap.program.model import Direction, ForecastRule, Program
from roadmap.reports.report import ValueFact

D = dt.date.fromisoformat


def series(values: Sequence[float]) -> Series:
    return Series(tuple(float(i) for i in range(len(values))), tuple(values))


def monthly(*pairs: tuple[str, float]) -> History:
    return History(True, tuple(Observation(D(f"{m}-01"), v) for m, v in pairs))


def at_checkpoints(program: Program, *values: float) -> History:
    dates = [c.date for c in program.checkpoints]
    return History(False, tuple(Observation(d, v) for d, v in zip(dates, values, strict=False)))


# --- literal series -------------------------------------------------------------------------
def test_project_straight_line_continues_it_with_the_floor_of_its_level() -> None:
    p = project(series([100 + 5 * t for t in range(12)]), [17.0, 23.0])
    assert [x.mean for x in p.predictive] == pytest.approx([185.0, 215.0])
    # an exact fit has no spread of its own: the floor is 0,5 % of the mean level (127,5)
    # per month, times the square root of the months ahead (6 and 12)
    floor = 0.005 * 127.5
    assert [x.scale for x in p.predictive] == pytest.approx([floor * 6**0.5, floor * 12**0.5])
    # drift and the line agree exactly on a line: the tie goes to the simpler method
    assert p.method is Method.DRIFT


def test_project_flat_series_stays_flat_with_an_interval_around_it() -> None:
    p = project(series([49.0] * 14), [20.0])
    assert p.predictive[0].mean == pytest.approx(49.0)
    assert not p.predictive[0].certain
    assert p.predictive[0].quantile(0.1) < 49.0 < p.predictive[0].quantile(0.9)


def test_three_straight_checkpoint_values_give_an_interval_from_their_own_scale() -> None:
    # 11, 12, 13 at three half-yearly checkpoints: 14 at the next, not [14; 14], and no
    # fraction of a month's length in it (30.06 → 31.12 is not 6.03 months)
    days = [D("2025-06-30"), D("2025-12-31"), D("2026-06-30")]
    s = Series(tuple(checkpoint_time(d) for d in days), (11.0, 12.0, 13.0))
    p = project(s, [checkpoint_time(D("2026-12-31"))]).predictive[0]
    assert p.mean == 14.0
    # the floor: half the mean change between values (1) per step, one step ahead
    assert (p.quantile(0.1), p.quantile(0.9)) == pytest.approx((13.359, 14.641), abs=0.001)
    assert probability("up", p, 14.5) == pytest.approx(0.158, abs=0.001)


def test_a_degenerate_fit_never_gives_a_probability_of_exactly_0_or_1() -> None:
    certain = Predictive(100.0, 0.0)
    assert probability("up", certain, 150.0) == 0.01
    assert probability("up", certain, 50.0) == 0.99
    assert probability("down", certain, 150.0) == 0.99
    assert probability("down", Predictive(0.0, 0.0), -1.0) == 0.01


def test_spread_floor_comes_from_the_series_own_scale() -> None:
    short = series([100.0, 90.0, 100.0, 90.0])
    # fewer than twelve values: half the mean change (10) beats 0,5 % of the level (95)
    assert spread_floor(short, 4.0) == pytest.approx(5.0)
    assert spread_floor(short, 7.0) == pytest.approx(5.0 * 2)  # four steps ahead
    long = series([100.0, 90.0] * 6)
    assert spread_floor(long, 12.0) == pytest.approx(0.005 * 95)


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


def test_a_month_later_holt_is_fitted_only_on_values_it_was_not_fitted_on() -> None:
    noise = [3, -4, 1, 5, -2, -5, 4, 0, -3, 2, 5, -1, -4, 3, 1, -2, 0, 4, -3]
    values = [1000 - 10 * t + e for t, e in enumerate(noise)]
    _holt_fit.cache_clear()
    project(series(values[:18]), [23.0])
    fitted = _holt_fit.cache_info().misses
    assert fitted >= 8  # the back-test's eight origins, and the whole series if chosen
    later = project(series(values), [23.0])
    # a month later the origins move by one: only the newest one and the whole are new
    assert _holt_fit.cache_info().misses - fitted <= 2
    _holt_fit.cache_clear()
    assert project(series(values), [23.0]) == later  # the same as with nothing kept


def test_project_refuses_too_short_series_and_past_times() -> None:
    with pytest.raises(ValueError, match="three values"):
        project(series([1.0, 2.0]), [5.0])
    with pytest.raises(ValueError, match="after the last value"):
        project(series([1.0, 2.0, 3.0]), [2.0])


def test_month_time_counts_months_and_their_fractions() -> None:
    assert month_time(D("2025-07-01")) - month_time(D("2025-01-01")) == 6
    assert month_time(D("2025-06-16")) == pytest.approx(month_time(D("2025-06-01")) + 0.5)


def test_checkpoint_time_is_the_days_end_so_half_years_are_six_months() -> None:
    assert checkpoint_time(D("2025-12-31")) - checkpoint_time(D("2025-06-30")) == 6
    assert checkpoint_time(D("2026-06-30")) - checkpoint_time(D("2025-12-31")) == 6
    assert checkpoint_time(D("2025-12-31")) == month_time(D("2026-01-01"))


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
    assert f.low is not None and f.high is not None
    assert all(f.low[k] < v < f.high[k] for k, v in expected.items())
    # 2 211 − 30 × 24 ≈ 1 491 at the end of 2026, below the target 1 658: reached, though a
    # projection is never certain
    assert f.end_target is not None and f.end_target.value == 1658
    assert f.next_target is not None and f.next_target.period == "2025"
    assert (f.risk, f.probability, f.status) == (Risk.ON_TRACK, 0.99, "в пределах плана")


def test_flat_headcount_misses_the_target_with_certainty(program: Program) -> None:
    history = monthly(*((f"2025-{m:02d}", 2211.0) for m in range(1, 13)))
    f = forecast_indicator(program, program.indicator_map["1.1"], history, as_of=D("2025-12-20"))
    assert f.projected == pytest.approx({"2025": 2211, "2026-H1": 2211, "2026": 2211})
    # the whole interval (its floor: 0,5 % of the level a month) 33 % above the target 1 658
    assert (f.risk, f.probability, f.status) == (
        Risk.HIGH_RISK,
        0.01,
        "высокий риск недостижения",
    )


def test_less_than_a_year_of_monthly_values_is_too_little_history(program: Program) -> None:
    ind = program.indicator_map["1.1"]
    eleven = monthly(*((f"2025-{m:02d}", 2211.0 - m) for m in range(1, 12)))
    f = forecast_indicator(program, ind, eleven, as_of=D("2025-11-01"))
    assert program.forecast.min_monthly_values == 12
    assert (f.risk, f.status, f.points) == (Risk.INSUFFICIENT_DATA, "недостаточно данных", 11)
    assert (f.method, f.projected, f.low, f.high, f.probability) == (None, None, None, None, None)
    twelve = monthly(*((f"2025-{m:02d}", 2211.0 - m) for m in range(1, 13)))
    f = forecast_indicator(program, ind, twelve, as_of=D("2025-12-01"))
    assert f.risk is not Risk.INSUFFICIENT_DATA and f.projected is not None


def test_a_program_may_judge_from_fewer_monthly_values(program: Program) -> None:
    six = monthly(*((f"2025-{m:02d}", 2211.0 - m) for m in range(1, 7)))
    ind = program.indicator_map["1.1"]
    assert forecast_indicator(program, ind, six, as_of=D("2025-06-01")).projected is None
    own = program.model_copy(update={"forecast": ForecastRule(min_monthly_values=6)})
    f = forecast_indicator(own, ind, six, as_of=D("2025-06-01"))
    assert f.projected is not None and f.risk is Risk.HIGH_RISK


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
    # 1 250 against 1 253: missed, by 0,2 %, within the 5 % tolerance
    close = forecast_indicator(
        program, up, at_checkpoints(program, 1203, 1233, 1243, 1250), as_of=D("2027-02-01")
    )
    assert (close.risk, close.probability) == (Risk.ON_TRACK, 0.0)
    assert close.at_end is not None and close.at_end.shortfall == pytest.approx(3 / 1253)
    missed = forecast_indicator(
        program, up, at_checkpoints(program, 1203, 1233, 1243, 1100), as_of=D("2027-02-01")
    )
    assert (missed.risk, missed.probability) == (Risk.HIGH_RISK, 0.0)


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
        "tolerance",
        "interval",
        "checkpoints",
    ]
    assert (d["tolerance"], d["interval"]) == (0.05, 0.8)
    assert d["checkpoints"]["next"] == d["checkpoints"]["end"]
    assert list(d["checkpoints"]["end"]) == [
        "period",
        "date",
        "value",
        "projected",
        "low",
        "high",
        "probability",
        "shortfall",
        "needed_per_month",
        "trend_per_month",
        "risk",
        "status",
    ]
    assert d["target"]["end"] == {"period": "2026", "date": "2026-12-31", "value": 1253.0}
    assert d["risk"] in {"on_track", "at_risk", "high_risk"} and d["direction"] == "up"


# --- the verdict and the probability --------------------------------------------------------
@pytest.mark.parametrize(
    ("direction", "projected", "low", "high", "risk"),
    [
        # less is better; target 100, tolerance 5 %: within it up to 105
        ("down", 90, 80, 95, Risk.ON_TRACK),  # better than the target
        ("down", 105, 95, 115, Risk.ON_TRACK),  # 5 % worse: on the tolerance's edge
        ("down", 105.01, 95, 115, Risk.AT_RISK),  # unrounded: just beyond it
        ("down", 115, 98, 130, Risk.AT_RISK),  # 15 % worse, the interval reaches the target
        ("down", 115, 105, 130, Risk.AT_RISK),  # the interval's better end within tolerance
        ("down", 115, 106, 130, Risk.HIGH_RISK),  # the whole interval beyond tolerance
        # more is better: the mirror image
        ("up", 110, 105, 120, Risk.ON_TRACK),
        ("up", 95, 85, 105, Risk.ON_TRACK),
        ("up", 94.99, 85, 105, Risk.AT_RISK),
        ("up", 85, 70, 102, Risk.AT_RISK),
        ("up", 85, 70, 95, Risk.AT_RISK),
        ("up", 85, 70, 94, Risk.HIGH_RISK),
    ],
)
def test_verdict_judges_the_projection_within_tolerance_in_the_indicators_direction(
    direction: Direction, projected: float, low: float, high: float, risk: Risk
) -> None:
    assert verdict(direction, 100.0, projected, low, high, 0.05) is risk


def test_the_same_projection_is_on_track_or_at_risk_by_direction() -> None:
    # 85 against 100 with the interval 70–102: 15 % worse when more is better, better else
    assert verdict("up", 100.0, 85.0, 70.0, 102.0, 0.05) is Risk.AT_RISK
    assert verdict("down", 100.0, 85.0, 70.0, 102.0, 0.05) is Risk.ON_TRACK
    # the whole interval 110–130 beyond tolerance when less is better, better when more is
    assert verdict("down", 100.0, 120.0, 110.0, 130.0, 0.05) is Risk.HIGH_RISK
    assert verdict("up", 100.0, 120.0, 110.0, 130.0, 0.05) is Risk.ON_TRACK


@pytest.mark.parametrize(
    ("projected", "low", "high", "chance", "risk"),
    [
        # less is better; target 100, tolerance 5 %, a risk only when reaching it is unlikely
        (110, 90, 130, 0.34, Risk.ON_TRACK),  # 10 % worse, but still one chance in three
        (110, 90, 130, 0.3333, Risk.AT_RISK),  # unrounded: just under one in three
        (110, 90, 130, 0.2, Risk.AT_RISK),
        (104, 90, 118, 0.05, Risk.ON_TRACK),  # within tolerance whatever the probability
        (105.004, 90, 118, 0.2, Risk.AT_RISK),  # 5,004 % worse: reads «5,0 %», is beyond
        (104.996, 90, 118, 0.2, Risk.ON_TRACK),  # 4,996 %: within, though it reads «5,0 %»
        (120, 106, 134, 0.05, Risk.HIGH_RISK),  # the whole interval beyond tolerance
    ],
)
def test_verdict_asks_for_risk_that_reaching_the_target_is_unlikely(
    projected: float, low: float, high: float, chance: float, risk: Risk
) -> None:
    got = verdict("down", 100.0, projected, low, high, 0.05, probability=chance, unlikely=1 / 3)
    assert got is risk


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


def test_high_risk_means_a_probability_below_the_intervals_tail() -> None:
    for mean in (60.0, 90.0, 100.0, 104.0, 110.0, 140.0):
        p = Predictive(mean=mean, scale=10.0, dof=5)
        low, high = p.quantile(0.1), p.quantile(0.9)
        directions: tuple[Direction, ...] = ("down", "up")
        for direction in directions:
            risk = verdict(direction, 100.0, mean, low, high, 0.05)
            if risk is Risk.HIGH_RISK:
                assert probability(direction, p, 100.0) < 0.1
            if probability(direction, p, 100.0) >= 0.5:
                assert risk is Risk.ON_TRACK


# --- the verdict on literal series -----------------------------------------------------------
# Twelve monthly headcounts of 2025 with a spread of ±160 around a line from 2 211; as of
# 10 January 2026, projected to the end of 2025 (2 027) and of 2026 (1 658).
SPREAD = [0, 150, -120, 100, -160, 120, -80, 160, -140, 60, -100, 0]
CALM = [0, 40, -30, 25, -40, 30, -20, 40, -35, 15, -25, 0]


def headcount(slope: float, spread: Sequence[float]) -> History:
    return monthly(*((f"2025-{i + 1:02d}", 2211.0 - slope * i + e) for i, e in enumerate(spread)))


def test_a_projection_15_percent_off_with_a_wide_interval_is_at_risk(program: Program) -> None:
    f = forecast_indicator(
        program, program.indicator_map["1.1"], headcount(9, SPREAD), as_of=D("2026-01-10")
    )
    end = f.at_end
    assert end is not None and end.goal.period == "2026"
    assert end.projected == pytest.approx(1902.1, abs=0.1)
    assert end.shortfall == pytest.approx(0.147, abs=0.001)  # 14,7 % above 1 658
    assert end.low < 1658 < end.high  # the interval still holds the target
    assert (f.risk, f.status) == (Risk.AT_RISK, "риск недостижения")
    assert f.probability == pytest.approx(0.154, abs=0.001)
    # the pace: 35 fewer a month from 2 043 on 1 December 2025 reach it; the line makes 16
    assert end.needed == pytest.approx(-35.0, abs=0.1)
    assert end.trend == pytest.approx(-16.2, abs=0.1)


# a wider spread, ±260: the same kind of year, less sure of its trend
WIDE = [0, 250, -200, 170, -260, 200, -130, 260, -230, 100, -170, 0]


def test_a_miss_beyond_tolerance_still_likely_to_be_made_up_is_on_track(
    program: Program,
) -> None:
    ind = program.indicator_map["1.1"]
    f = forecast_indicator(program, ind, headcount(12, WIDE), as_of=D("2026-01-10"))
    end = f.at_end
    assert end is not None and end.projected == pytest.approx(1764.4, abs=0.1)
    assert end.shortfall == pytest.approx(0.064, abs=0.001)  # 6,4 % above 1 658
    assert end.probability == pytest.approx(0.391, abs=0.001)  # not unlikely: over 1/3
    assert (f.risk, f.status) == (Risk.ON_TRACK, "в пределах плана")
    # a program that does not ask the probability judges the projection alone
    bare = program.model_copy(update={"forecast": ForecastRule(risk_probability=None)})
    assert forecast_indicator(bare, ind, headcount(12, WIDE), as_of=D("2026-01-10")).risk is (
        Risk.AT_RISK
    )


def test_a_projection_within_tolerance_is_on_track(program: Program) -> None:
    f = forecast_indicator(
        program, program.indicator_map["1.1"], headcount(20, CALM), as_of=D("2026-01-10")
    )
    end = f.at_end
    assert end is not None and end.projected == pytest.approx(1707.1, abs=0.1)
    assert 0 < end.shortfall < 0.05  # 3,0 % above the target: worse, within the 5 %
    assert (f.risk, f.status) == (Risk.ON_TRACK, "в пределах плана")
    assert f.probability is not None and f.probability < 0.5
    # a tolerance of the program's own, 2 %, judges the same projection at risk
    strict = program.model_copy(update={"forecast": ForecastRule(tolerance=0.02)})
    f = forecast_indicator(
        strict, strict.indicator_map["1.1"], headcount(20, CALM), as_of=D("2026-01-10")
    )
    assert f.risk is Risk.AT_RISK and f.tolerance == 0.02


def test_the_explanation_margin_is_the_tolerance_unless_the_program_sets_one(
    program: Program,
) -> None:
    history = headcount(20, CALM)  # 3,0 % above the target
    ind = program.indicator_map["1.1"]
    assert forecast_indicator(program, ind, history, as_of=D("2026-01-10")).tolerance == 0.05
    f = forecast_indicator(program, ind, history, as_of=D("2026-01-10"), margin=0.02)
    assert (f.tolerance, f.risk) == (0.02, Risk.AT_RISK)


def test_a_projection_whose_whole_interval_misses_is_high_risk(program: Program) -> None:
    f = forecast_indicator(
        program, program.indicator_map["1.1"], headcount(9, CALM), as_of=D("2026-01-10")
    )
    end = f.at_end
    assert end is not None and end.low > 1658 * 1.05  # even the better end beyond tolerance
    assert (f.risk, f.status) == (Risk.HIGH_RISK, "высокий риск недостижения")
    assert f.probability is not None and f.probability < 0.1


def test_an_up_indicator_falling_is_at_risk_and_the_same_values_down_are_not(
    program: Program,
) -> None:
    up = program.indicator_map["1.5"]  # children returned to their families: more is better
    down = up.model_copy(update={"direction": "down"})
    history = at_checkpoints(program, 1203, 1150, 1100)
    rising = forecast_indicator(program, up, history, as_of=D("2026-07-15"))
    assert rising.at_end is not None and rising.at_end.projected < 1253 * 0.95
    assert rising.risk.warns and rising.probability is not None and rising.probability < 0.5
    falling = forecast_indicator(program, down, history, as_of=D("2026-07-15"))
    assert falling.risk is Risk.ON_TRACK and falling.probability is not None
    assert falling.probability > 0.5


def test_the_next_checkpoint_and_the_end_are_judged_each_with_its_interval(
    program: Program,
) -> None:
    # as of 10 January 2026, December's value the last: the next checkpoint is the end of
    # 2025 (target 2 027), then 2026
    f = forecast_indicator(
        program, program.indicator_map["1.1"], headcount(20, CALM), as_of=D("2026-01-10")
    )
    assert f.at_next is not None and f.at_end is not None and f.at_next is not f.at_end
    assert (f.at_next.goal.period, f.at_end.goal.period) == ("2025", "2026")
    for o in (f.at_next, f.at_end):
        assert o.low <= o.projected <= o.high and 0 <= o.probability <= 1
        assert f.projected is not None and f.projected[o.goal.period] == o.projected
    assert f.risk is f.at_end.risk and f.probability == f.at_end.probability
    d = f.as_dict()["checkpoints"]
    assert (d["next"]["period"], d["end"]["period"]) == ("2025", "2026")


# --- the alert ----------------------------------------------------------------------------
ON, AT, HIGH, NONE = Risk.ON_TRACK, Risk.AT_RISK, Risk.HIGH_RISK, Risk.INSUFFICIENT_DATA


@pytest.mark.parametrize(
    ("risks", "months", "due"),
    [
        ([NONE, ON, AT], 2, False),  # one month at risk: not yet
        ([ON, AT, AT], 2, True),  # the second month running: the letter
        ([AT, AT, AT], 2, False),  # a third says nothing new
        ([AT, ON, AT], 2, False),  # a noisy month between: not running
        ([AT, AT, HIGH], 2, False),  # high risk once: the risk already told
        ([AT, HIGH, HIGH], 2, True),  # high risk held two months: told again
        ([ON, HIGH, HIGH], 2, True),  # straight to high risk, held
        ([ON, HIGH, AT], 2, True),  # a risk held two months, the worse one first
        ([ON, ON, AT], 1, True),  # a program that alerts the first month
        ([ON, AT, HIGH], 1, True),
        ([AT], 2, False),
        ([], 2, False),
    ],
)
def test_alert_goes_out_when_a_risk_holds_for_the_programs_months(
    risks: list[Risk], months: int, due: bool
) -> None:
    assert alert_due(risks, months) is due


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
