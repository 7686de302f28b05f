"""The command line's edge: the process's runtime, with failures turned into plain messages.

Settings become values in ``services.runtime`` only; this module reads them from there and
turns a connection failure or a domain error into a Russian message and exit code 1.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlmodel import Session

from cli.output import fail, fail_with, parse_date
from notifications.delivery import Transports
from notifications.planning import LinkFor
from roadmap.date_window import check_in_window
from roadmap.errors import RoadmapError
from roadmap.program import Program
from roadmap.settings import Settings
from services import answers
from services import runtime as services_runtime
from services.answers import Who
from services.runtime import Runtime
from storage.db import mask_password, safe_url, session_scope
from storage.files import FileStore

CHANNEL = "cli"


_chosen: str | None = None


def choose_program(choice: str | None) -> None:
    """Remember the program the root ``--program`` option names (an id or a folder)."""
    global _chosen
    _chosen = choice


def rt() -> Runtime:
    """The process's runtime, bound to the program ``--program`` chose, if it chose one."""
    try:
        base = services_runtime.current()
    except RoadmapError as exc:
        fail_with(exc)
    if _chosen is None:
        return base
    try:
        return base.for_program(_chosen)
    except RoadmapError as exc:
        fail_with(exc)


def runtimes() -> list[Runtime]:
    """The chosen program's runtime, or one per program when none was chosen."""
    try:
        return rt().each_program()
    except RoadmapError as exc:
        fail_with(exc)


def qualify_obligation(value: str | None) -> str | None:
    """An obligation id with its program: «6.1:2025-03» → «<chosen program>:6.1:2025-03».

    Without a chosen program the id is kept as given (one program loaded: storage finds it).
    """
    if value is None or _chosen is None:
        return value
    program_id = program().id
    return value if value.startswith(program_id + ":") else f"{program_id}:{value}"


def settings() -> Settings:
    return rt().settings


def now() -> dt.datetime:
    """The current time (UTC), from the runtime's clock."""
    return rt().now()


def at_morning(day: dt.date) -> dt.datetime:
    """10:00 on ``day`` in the program's zone, as UTC: the moment a time-travelling command acts."""
    return rt().morning(day)


def today() -> dt.date:
    """Today in the program's time zone."""
    return rt().today()


def whoami() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "cli"


def who(by: str | None, org: str | None = None) -> Who:
    """The person at the terminal (``--by``, else the system user), through the command line."""
    return Who(by or whoami(), CHANNEL, org)


def engine() -> Engine:
    runtime = rt()
    try:
        return runtime.engine
    except RoadmapError as exc:  # storage names the URL without its password
        fail_with(exc)
    except Exception as exc:  # a face turns any connection failure into a plain message
        url = runtime.settings.resolved_database_url
        fail(f"база данных недоступна ({safe_url(url)}): {mask_password(str(exc), url)}")


@contextmanager
def session() -> Iterator[Session]:
    """A session that commits on success; domain errors become a message and exit code 1."""
    try:
        with session_scope(engine()) as s:
            yield s
    except RoadmapError as exc:
        fail_with(exc)
    except ValueError as exc:
        fail(str(exc))


@contextmanager
def plain_errors() -> Iterator[None]:
    """Domain errors and refusals inside the block become a message and exit code 1."""
    try:
        yield
    except RoadmapError as exc:
        fail_with(exc)
    except ValueError as exc:
        fail(str(exc))


def program() -> Program:
    try:
        return rt().program
    except RoadmapError as exc:
        fail_with(exc)


def program_day(value: str | None, option: str) -> dt.date | None:
    """A date option (--as-of) read, and refused outside the program's window of dates."""
    day = parse_date(value, option)
    if day is not None:
        with plain_errors():
            for each in runtimes():
                check_in_window(day, each.program.span_period, option)
    return day


def evidence_store() -> FileStore:
    return rt().evidence


def transports() -> Transports:
    """Delivery as configured: SMTP and Telegram when set, else the file outbox."""
    try:
        return rt().transports
    except ValueError as exc:
        fail(str(exc))


def link_for(at: dt.datetime | None = None) -> LinkFor | None:
    """Signed intake links for messages, when ROADMAP_PUBLIC_BASE_URL is set."""
    return rt().links(at or now())


def wake(keys: list[str]) -> None:
    """Resume flow runs waiting on what was just recorded (no-op without a Prefect API)."""
    answers.wake(rt(), keys)
