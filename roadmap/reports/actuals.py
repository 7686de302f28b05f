"""Indicator actuals: what a reported value is compared with, and when it needs an explanation.

A value is given for an indicator, a period and an organization. The period is either a
checkpoint (``2025-H1``, ``2025``, …: the target is the program's) or a month (``2025-03``:
the target is the trajectory between checkpoints on the month's first day, the date the
monthly headcount is counted «as of the 1st»). Most indicators have one regional value
(the latest given wins); an indicator with ``contributors`` adds up one value from each
of them (activity 6.1's headcount comes from three ministries).

An explanation is required when the value misses its target by more than ``margin`` (in
the indicator's worse direction), and when it jumps by more than half from the previous
month's value of the same organization.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from roadmap.dates.periods import Month, parse_period
from roadmap.errors import InvalidPeriod, RoadmapError
from roadmap.program.model import Direction, Indicator, Program

JUMP_LIMIT = 0.5
_MONTH = re.compile(r"^\d{4}-\d{2}$")


class InvalidValue(RoadmapError):
    """An indicator value that cannot be accepted (negative, not a number, unknown period)."""


@dataclass(frozen=True)
class Check:
    """The outcome of checking a value: its target, the deviation, and why it needs explaining."""

    target: float | None
    deviation: float | None
    reasons: tuple[str, ...]

    @property
    def needs_explanation(self) -> bool:
        return bool(self.reasons)


# What people type between the digits of a number: spaces as thousands separators (plain,
# no-break, thin, narrow no-break), and a decimal comma or point.
_SEPARATORS = str.maketrans("", "", " \u00a0\u2009\u202f")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def parse_value(text: str) -> float:
    """«1 843», «2,5» or «18» as a number: digits 0–9, thousands spaces, a decimal comma.

    Whatever else Python's ``float`` would take is refused with the reason, because a person
    did not mean it: «1e308» (an exponent), «1_000» (an underscore), «１２» or «١٢»
    (digits of other scripts), «inf», «nan».

    Raises:
        InvalidValue: not such a number, negative, or not finite.
    """
    raw = str(text).strip()
    s = raw.translate(_SEPARATORS).replace(",", ".")
    if not _NUMBER.fullmatch(s):
        raise InvalidValue(f"значение «{raw}» — {_why_not_a_number(s)}")
    return check_value(float(s))


def _why_not_a_number(s: str) -> str:
    if any(c.isdigit() and not c.isascii() for c in s):
        return "не число: пишите цифрами 0–9"
    if "_" in s:
        return "не число: знак «_» в числе не допускается (пишите 1000 или 1 000)"
    if re.fullmatch(r"-?[0-9.]+[eE][-+]?[0-9]+", s):
        return "не число: запись с порядком («e») не допускается, пишите число полностью"
    return "не число"


def check_value(value: float) -> float:
    """A finite, non-negative number.

    Raises:
        InvalidValue: otherwise.
    """
    if not math.isfinite(value):
        raise InvalidValue(f"значение «{value}» — не число")
    if value < 0:
        raise InvalidValue(f"значение не может быть отрицательным: {value:g}")
    return value


def check_plausible(value: float, *, unit: str, program: Program) -> float:
    """A finite, non-negative number within the ceiling the program sets for ``unit``.

    Percentages never exceed 100, whatever the program data says.

    Raises:
        InvalidValue: otherwise, with the ceiling.
    """
    check_value(value)
    ceiling = program.value_ceiling(unit)
    if value > ceiling:
        raise InvalidValue(
            f"значение {value:g} больше возможного для единицы «{unit}» (не более {ceiling:g}): "
            "проверьте, нет ли опечатки"
        )
    return value


def validate_period(program: Program, period: str) -> str:
    """A checkpoint label or a month within the program span.

    Raises:
        InvalidValue: neither, or outside the program.
    """
    if any(c.period == period for c in program.checkpoints):
        return period
    if _MONTH.match(period):
        try:
            program.period_within(period)
        except InvalidPeriod as exc:
            raise InvalidValue(exc.message) from None
        return period
    known = ", ".join(c.period for c in program.checkpoints)
    raise InvalidValue(
        f"период «{period}» не подходит: нужна контрольная точка ({known}) или месяц ГГГГ-ММ"
    )


def trajectory(program: Program, indicator: Indicator, day: dt.date) -> float | None:
    """The planned value counted on ``day``: linear between checkpoints, flat outside them.

    A checkpoint's target is the state at the end of its date, which a count «as of the
    1st» takes on the next day: 30 June's target is the count as of 1 July.
    """
    after = dt.timedelta(days=1)
    points = [
        (c.date + after, t)
        for c, t in zip(program.checkpoints, indicator.targets, strict=True)
        if t is not None
    ]
    if not points:
        return None
    if day <= points[0][0]:
        return points[0][1]
    for (d0, v0), (d1, v1) in zip(points, points[1:], strict=False):
        if d0 <= day <= d1:
            share = (day - d0).days / (d1 - d0).days
            return v0 + (v1 - v0) * share
    return points[-1][1]


def target_for(program: Program, indicator: Indicator, period: str) -> float | None:
    """The target a value for ``period`` is compared with (see the module docstring)."""
    for c, t in zip(program.checkpoints, indicator.targets, strict=True):
        if c.period == period:
            return t
    if _MONTH.match(period):
        m = parse_period(period).first
        return trajectory(program, indicator, m.first_day)
    return None


def deviation(indicator: Indicator, value: float, target: float) -> float:
    """Signed share by which ``value`` is worse (> 0) or better (< 0) than ``target``."""
    return shortfall(indicator.direction, value, target)


def shortfall(direction: Direction, value: float, target: float) -> float:
    """Signed share by which ``value`` is worse (> 0) or better (< 0) than ``target``, for an
    indicator whose better ``direction`` is given (a target of zero: any miss counts as 1)."""
    if target == 0:
        return 0.0 if value == 0 else (1.0 if direction == "down" else -1.0)
    raw = (value - target) / abs(target)
    return raw if direction == "down" else -raw


def previous_month(period: str) -> str | None:
    if not _MONTH.match(period):
        return None
    first = parse_period(period).first
    prev = Month(first.year - (first.month == 1), (first.month - 2) % 12 + 1)
    return f"{prev.year}-{prev.month:02d}"


def check(
    program: Program,
    indicator: Indicator,
    period: str,
    org: str,
    value: float,
    *,
    margin: float,
    current: Mapping[str, float],
    previous: float | None,
) -> Check:
    """Check a value before it is recorded.

    Args:
        current: the latest values already recorded for this indicator and period, by org.
        previous: this organization's value for the previous month, if any.
        margin: the share by which a value may miss its target without explanation.
    """
    reasons: list[str] = []
    target = target_for(program, indicator, period)
    dev: float | None = None
    total: float | None = value
    if indicator.contributors:
        values = {**current, org: value}
        missing = [c for c in indicator.contributors if c not in values]
        total = None if missing else sum(values[c] for c in indicator.contributors)
    if target is not None and total is not None:
        dev = deviation(indicator, total, target)
        if dev > margin:
            reasons.append(
                f"значение {total:g} хуже цели {target:g} на {dev:.0%} (допустимо {margin:.0%})"
            )
    if previous is not None and previous > 0 and abs(value - previous) / previous > JUMP_LIMIT:
        reasons.append(f"изменение к прошлому месяцу более чем на 50% ({previous:g} → {value:g})")
    return Check(target, dev, tuple(reasons))
