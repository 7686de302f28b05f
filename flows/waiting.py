"""Waiting in a flow for a person's input: a form in the Prefect UI, or the same input
recorded through the command line or the intake page.

The run pauses with a typed form (``FormInput``: all fields optional, so a plain resume is
valid too, and those left empty are left out) and
registers the storage keys it waits on; the command line and the intake page resume runs
waiting on what they just recorded. When the wait times out the flow carries on and the
ladder takes over chasing. Pausing keeps the run's process (``pause_flow_run``), which is
why the wait is bounded (``ROADMAP_INPUT_TIMEOUT_MINUTES``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, TypeVar

from prefect.exceptions import FlowPauseTimeout
from prefect.flow_runs import pause_flow_run
from prefect.input import RunInput
from prefect.runtime import flow_run
from pydantic import ConfigDict

from flows import runtime
from flows.forms import drop_null_defaults
from roadmap.obligations.keys import WaitKey
from storage.db import session_scope
from storage.waits import register_wait, resolve_waits

T = TypeVar("T", bound=RunInput)


def _form_schema(schema: dict[str, Any], model: type) -> None:
    drop_null_defaults(schema)


class FormInput(RunInput):
    """A pause form whose fields left empty are left out rather than sent as ``null``."""

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="forbid", json_schema_extra=_form_schema)


def wait_for_input(
    form: type[T],
    *,
    keys: list[WaitKey],
    description: str,
    timeout: dt.timedelta,
    pause_key: str,
) -> T | None:
    """The form's content, or None if the wait timed out (or the run was resumed without it)."""
    run_id = str(flow_run.id)
    now = dt.datetime.now(dt.UTC)  # the wait itself happens in real time, even in a replayed day
    with session_scope(runtime.rt().engine) as s:
        register_wait(session=s, flow_run_id=run_id, keys=keys, at=now)
    try:
        return pause_flow_run(
            wait_for_input=form.with_initial_data(description=description),
            timeout=max(1, int(timeout.total_seconds())),
            poll_interval=2,
            key=pause_key,
        )
    except FlowPauseTimeout:
        return None
    finally:
        with session_scope(runtime.rt().engine) as s:
            resolve_waits(session=s, flow_run_id=run_id, at=dt.datetime.now(dt.UTC))
