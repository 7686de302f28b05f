"""The early warning as one call: every key indicator's forecast as of a date, from storage."""

from __future__ import annotations

import datetime as dt

from roadmap.forecast.early_warning import IndicatorForecast, forecast_indicators
from services.runtime import Runtime
from storage.db import session_scope
from storage.forecast_inputs import indicator_histories
from storage.status import the_program_id


def forecast_program(rt: Runtime, *, as_of: dt.date) -> list[IndicatorForecast]:
    """The forecast of each of the program's indicators as of ``as_of``, in the program's order.

    Reads the values known at the end of ``as_of`` (in the program's time zone) and projects
    each indicator to its remaining checkpoints (``roadmap.forecast.early_warning``), judged
    within the program's tolerance (the explanation margin unless the program data sets its
    own).

    Raises:
        NotSynced: the program is not in the database (run ``roadmap sync``).
    """

    program = rt.program
    with session_scope(rt.engine) as session:
        the_program_id(session=session, program_id=program.id)
        histories = indicator_histories(session=session, program=program, as_of=as_of)
    return forecast_indicators(
        program, histories, as_of=as_of, margin=rt.settings.explanation_margin
    )
