"""A federal view of three regions for the federal summary's tests, without a database."""

from __future__ import annotations

import dataclasses
import datetime as dt

from roadmap.forecast.early_warning import History, Observation, forecast_indicator
from roadmap.obligations.status import Rates
from roadmap.program.model import Program
from roadmap.views.federal import FederalView, region_row
from tests.regions import FOURTEEN

AS_OF = dt.date(2026, 2, 5)  # a year of monthly values and one more: the forecast judges
REGIONS = [r for r, _, _ in FOURTEEN if "—" in r] + ["Самарская область", "Тверская область"]


def federal_view(program: Program) -> FederalView:
    """Three regions on the embedded program's data, its headcount falling behind plan."""
    indicator = program.indicator_map[program.monitoring.indicator]  # type: ignore[union-attr]
    history = History(
        monthly=True,
        observations=tuple(
            Observation(dt.date(2025 + (m - 1) // 12, (m - 1) % 12 + 1, 1), 2150.0 - 10.5 * m)
            for m in range(1, 14)
        ),
    )
    forecast = forecast_indicator(program, indicator, history, as_of=AS_OF)
    rates = [Rates(o.id, 10, 7, 5, 3) for o in program.organizations[:4]]
    row = region_row(
        program, as_of=AS_OF, items=[], rates=rates, history=history, forecast=forecast
    )
    rows = tuple(
        dataclasses.replace(row, region=name, program=f"{program.id}-{i}")
        for i, name in enumerate(REGIONS)
    )
    return FederalView(AS_OF, rows)
