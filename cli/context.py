"""The command line's edge: the process's runtime, with failures turned into plain messages.

Settings become values in ``services.runtime`` only; this module reads them from there and
turns a connection failure or a domain error into a Russian message and exit code 1.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from cli.output import err_console, fail, fail_with, parse_date
from roadmap.dates.date_window import check_in_window
from roadmap.errors import RoadmapError
from roadmap.obligations.keys import WaitKey
from roadmap.program.model import Program
from roadmap.words.clean import UncleanText, clean_text
from services import runtime as services_runtime
from services.runtime import Runtime
from services.settings import Settings

if TYPE_CHECKING:  # the answers' use cases (and delivery under them) load with a command
    # that records an answer, not with every command
    from services.answers import Who

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
    """The chosen program's runtime, or one per program when none was chosen; a program
    folder that cannot be read is named on stderr and the others go on."""
    try:
        found = rt().each_program()
    except RoadmapError as exc:
        fail_with(exc)
    for path, why in rt().root.unreadable:
        err_console.print(f"Программа в {path} не читается, пропущена: {why}", markup=False)
    return found


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
    from services.answers import Who

    return Who(by or whoami(), CHANNEL, org)


def words(
    option: str, what: str, *, limit: int, least: int = 1, lines: bool = True
) -> Callable[[str | None], str | None]:
    """A text option's callback: the value through the one text rule (``roadmap.words.clean``),
    or a Russian message naming the option and exit code 1 before anything runs."""

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return clean_text(value, what, limit=limit, least=least, lines=lines) or None
        except UncleanText as exc:
            fail(f"{option}: {exc.message}")

    return check


# The options that carry a person's words, each through the one text rule.
BY = words("--by", "кто", limit=200, lines=False)
BASIS = words("--basis", "основание", limit=1000, least=5)
REASON = words("--reason", "причина", limit=2000, least=3)
COMMENT = words("--comment", "комментарий", limit=2000, least=0)
EXPLANATION = words("--explanation", "пояснение", limit=2000, least=0)
TEXT = words("--text", "предложение", limit=2000, least=3)
DOC_TYPE = words("--doc-type", "вид документа", limit=200, least=0, lines=False)
DOC_NUMBER = words("--doc-number", "номер документа", limit=100, least=0, lines=False)
DOC_TITLE = words("--doc-title", "наименование документа", limit=1000, least=0, lines=False)
REGION = words("--region", "регион", limit=200, least=3, lines=False)
TITLE = words("--title", "название программы", limit=500, least=0, lines=False)


def engine() -> Engine:
    """The database, its schema brought up to date; a failure is a plain message (storage
    names the URL without its password)."""
    try:
        return rt().engine
    except RoadmapError as exc:
        fail_with(exc)


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


def check_transports() -> None:
    """Refuse to go on when a delivery channel is configured wrongly."""
    try:
        _ = rt().transports
    except ValueError as exc:
        fail(str(exc))


def wake(keys: list[WaitKey]) -> None:
    """Resume flow runs waiting on what was just recorded (no-op without a Prefect API)."""
    from services import answers

    answers.wake(rt(), keys)
