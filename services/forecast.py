"""The early warning as one call: every key indicator's forecast as of a date, from storage.

A forecast costs a statistical fit per indicator, and the daily overview, the monthly
monitoring and the reports ask for it again and again while nothing it depends on has
changed; so each is kept under a fingerprint of everything it is computed from (the
program's indicators, targets, checkpoints and rule, the values known, the tolerance and
the checkpoints passed) and computed anew only when one of those changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping

from roadmap.forecast.early_warning import (
    History,
    IndicatorForecast,
    forecast_indicators,
    passed_checkpoints,
)
from roadmap.program.model import Program
from services.runtime import Runtime
from storage.as_of import program_as_of
from storage.db import session_scope
from storage.forecast_inputs import indicator_histories
from storage.status import the_program_id

# what of the program a forecast reads (``roadmap.forecast.early_warning``)
FORECAST_FIELDS = {"id", "checkpoints", "indicators", "forecast", "monitoring"}


class ForecastMemo:
    """The forecasts computed lately, by the fingerprint of their inputs (least recently
    used dropped past ``size``); ``computed`` and ``reused`` count what it saved."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.computed = 0
        self.reused = 0
        self._kept: OrderedDict[str, tuple[IndicatorForecast, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[IndicatorForecast, ...] | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                self.reused += 1
            return found

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self.computed = self.reused = 0

    def put(self, key: str, forecasts: tuple[IndicatorForecast, ...]) -> None:
        with self._lock:
            self.computed += 1
            self._kept[key] = forecasts
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


# the forecasts are values of their inputs alone, so every runtime of the process shares them
MEMO = ForecastMemo()


def fingerprint(
    program: Program, histories: Mapping[str, History], *, as_of: dt.date, margin: float
) -> str:
    """A digest of everything the forecast of ``program`` as of ``as_of`` is computed from."""
    digest = hashlib.sha256(program.model_dump_json(include=FORECAST_FIELDS).encode())
    digest.update(repr(sorted(histories.items())).encode())
    digest.update(repr((margin, passed_checkpoints(program, as_of))).encode())
    return digest.hexdigest()


def forecast_program(rt: Runtime, *, as_of: dt.date) -> list[IndicatorForecast]:
    """The forecast of each of the program's indicators as of ``as_of``, in the program's order.

    Reads the values known at the end of ``as_of`` (in the program's time zone) and projects
    each indicator to its remaining checkpoints (``roadmap.forecast.early_warning``), judged
    within the program's tolerance (the explanation margin unless the program data sets its
    own); the indicators, targets and checkpoints are those of the version of the program in
    force then (``storage.as_of.program_as_of``). The projection is computed only when its
    inputs differ from one computed lately.

    Raises:
        NotSynced: the program is not in the database (run ``roadmap sync``).
    """
    margin = rt.settings.explanation_margin
    with session_scope(rt.engine) as session:
        the_program_id(session=session, program_id=rt.program.id)
        program = program_as_of(session=session, program=rt.program, as_of=as_of)
        histories = indicator_histories(session=session, program=program, as_of=as_of)
    key = fingerprint(program, histories, as_of=as_of, margin=margin)
    kept = MEMO.get(key)
    if kept is None:
        kept = tuple(forecast_indicators(program, histories, as_of=as_of, margin=margin))
        MEMO.put(key, kept)
    return list(kept)
