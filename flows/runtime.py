"""The flows' edge: the process's runtime, and the day and moment a run acts for.

Settings become values in ``services.runtime`` only; this module adds what is Prefect's
own: a flow's as-of date is its parameter when given, else the day it was scheduled for
(in the program's time zone), so a run shows and does what its scheduled moment meant.
"""

from __future__ import annotations

import datetime as dt

from services import runtime as services_runtime
from services.runtime import Runtime


def rt() -> Runtime:
    """The runtime of this worker process."""
    return services_runtime.current()


def run_moment(as_of: dt.date | str | None) -> dt.datetime:
    """When this run acts (UTC): 10:00 of ``as_of``, or the run's scheduled moment, or now."""
    if as_of:
        day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
        return rt().morning(day)
    from prefect.runtime import flow_run

    scheduled = flow_run.scheduled_start_time
    if scheduled is not None:
        return dt.datetime.fromtimestamp(scheduled.timestamp(), dt.UTC)
    return rt().now()


def run_day(as_of: dt.date | str | None) -> dt.date:
    """The program-local date this run acts for."""
    return run_moment(as_of).astimezone(rt().zone).date()
