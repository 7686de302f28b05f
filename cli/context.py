"""What every storage command needs: settings, an up-to-date database, the clock, the program.

The command line is an edge: it is allowed to read the environment and the wall clock,
and it passes plain values (a URL, a time) down to storage.
"""

from __future__ import annotations

import datetime as dt
import getpass
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy.engine import Engine
from sqlmodel import Session

from cli.output import fail, fail_with
from notifications.delivery import Transports, make_transports
from notifications.planning import LinkFor
from roadmap.errors import RoadmapError
from roadmap.loader import load_program
from roadmap.program import Program
from roadmap.settings import get_settings
from storage.db import open_database, session_scope
from storage.evidence import EvidenceStore


def now() -> dt.datetime:
    """The current time (UTC): the one place the command line reads the clock."""
    return dt.datetime.now(dt.UTC)


def at_morning(day: dt.date, tz: str) -> dt.datetime:
    """10:00 on ``day`` in ``tz``, as UTC: the moment a time-travelling command acts at."""
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(10), ZoneInfo(tz)).astimezone(dt.UTC)


def today_in(tz: str = "Asia/Krasnoyarsk") -> dt.date:
    from zoneinfo import ZoneInfo

    return now().astimezone(ZoneInfo(tz)).date()


def whoami() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "cli"


@lru_cache(maxsize=1)
def engine() -> Engine:
    try:
        return open_database(get_settings().resolved_database_url)
    except Exception as exc:  # a face turns any connection failure into a plain message
        fail(f"база данных недоступна ({get_settings().resolved_database_url}): {exc}")


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


def program() -> Program:
    try:
        return load_program(get_settings().program)
    except RoadmapError as exc:
        fail_with(exc)


def evidence_store() -> EvidenceStore:
    return EvidenceStore(get_settings().resolved_evidence_dir)


def transports() -> Transports:
    """Delivery as configured: SMTP, Telegram and MAX when set, else the file outbox."""
    s = get_settings()
    try:
        return make_transports(
            outbox_dir=s.resolved_outbox_dir,
            smtp_url=s.smtp_url.get_secret_value() if s.smtp_url else None,
            telegram_token=s.telegram_bot_token.get_secret_value()
            if s.telegram_bot_token
            else None,
            telegram_api_url=s.telegram_api_url,
            mail_from=s.mail_from,
            max_token=s.max_bot_token.get_secret_value() if s.max_bot_token else None,
            max_api_url=s.max_api_url,
            max_ca_bundle=str(s.max_ca_bundle) if s.max_ca_bundle else None,
        )
    except ValueError as exc:
        fail(str(exc))


def link_for(at: dt.datetime | None = None) -> LinkFor | None:
    """Signed intake links for messages, when ROADMAP_PUBLIC_BASE_URL is set."""
    from flows.runtime import links_from_settings

    return links_from_settings(get_settings(), at or now())


def wake(keys: list[str]) -> None:
    """Resume flow runs waiting on what was just recorded (no-op without a Prefect API)."""
    import os

    from notifications.wakeups import wake_waiting

    api = get_settings().prefect_api_url or os.environ.get("PREFECT_API_URL")
    wake_waiting(engine=engine(), keys=keys, api_url=api, at=now())


def start_intake(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start the intake page beside the Prefect server, in its own session (see `roadmap up`)."""
    from cli.intake_cmds import intake_command

    s = get_settings()
    log = (s.home / "intake.log").open("ab")
    return subprocess.Popen(intake_command(s.intake_host, s.intake_port), env=env,
                            stdout=log, stderr=log, start_new_session=True)  # fmt: skip
