"""The flows' edge: the process's runtime, and the day and moment a run acts for.

Settings become values in ``services.runtime`` only; this module adds what is Prefect's
own: a run is for the program its deployment names (its ``program`` parameter; the only
program when one is loaded), and its as-of date is its parameter when given, else the day
it was scheduled for (in that program's time zone), so a run shows and does what its
scheduled moment meant.

Every flow module imports this one, so once Prefect has loaded a flow, every call its engine,
its artifacts and its pauses make to the Prefect API has an end (``services.prefect_calls``).
"""

from __future__ import annotations

import datetime as dt

from services import prefect_calls
from services import runtime as services_runtime
from services.runtime import Runtime

prefect_calls.install()


def run_program() -> str | None:
    """The ``program`` parameter of the flow run this code runs in, if any."""
    from prefect.runtime import flow_run

    try:
        value = flow_run.parameters.get("program")
    except Exception:  # outside a flow run Prefect has no parameters to give
        return None
    return str(value) if value else None


def rt(program: str | None = None) -> Runtime:
    """The runtime of this worker process, bound to ``program`` (else the run's program)."""
    base = services_runtime.current()
    chosen = program or run_program()
    return base.for_program(chosen) if chosen else base


def run_name(text: str) -> str:
    """A run's name, led by its program's region («<region> · <text>»): with several programs
    side by side, the UI's run list tells their runs apart."""
    return f"{rt().program.region} · {text}"


def run_moment(as_of: dt.date | str | None, program: str | None = None) -> dt.datetime:
    """When this run acts (UTC): 10:00 of ``as_of``, or the run's scheduled moment, or now."""
    if as_of:
        day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
        return rt(program).morning(day)
    from prefect.runtime import flow_run

    scheduled = flow_run.scheduled_start_time
    if scheduled is not None:
        return dt.datetime.fromtimestamp(scheduled.timestamp(), dt.UTC)
    return rt(program).now()


def run_day(as_of: dt.date | str | None, program: str | None = None) -> dt.date:
    """The program-local date this run acts for."""
    return run_moment(as_of, program).astimezone(rt(program).zone).date()
