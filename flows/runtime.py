"""What every flow needs: settings, the database, the program, delivery, the run's date.

Flows are an edge: this is where settings are read and secrets resolved. A secret setting
may name a Prefect Secret block instead of holding the value: ``prefect-secret:smtp-url``.
A flow's as-of date is its parameter when given, else the day it was scheduled for (in the
program's time zone), so a run shows and does what its scheduled moment meant.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from sqlalchemy.engine import Engine

from notifications.delivery import Transports, make_transports
from notifications.planning import LinkFor
from roadmap.links import link_maker
from roadmap.loader import load_program
from roadmap.program import Program
from roadmap.settings import Settings, get_settings
from roadmap.workdays import WorkCalendar, get_calendar
from storage.db import open_database

SECRET_BLOCK = "prefect-secret:"


def settings() -> Settings:
    return get_settings()


@lru_cache(maxsize=1)
def engine() -> Engine:
    return open_database(settings().resolved_database_url)


@lru_cache(maxsize=1)
def program() -> Program:
    return load_program(settings().program)


def calendar() -> WorkCalendar:
    return get_calendar(program().calendar)


def zone() -> ZoneInfo:
    return ZoneInfo(program().timezone)


def resolve_secret(value: SecretStr | None) -> str | None:
    """The secret's value, loading it from a Prefect Secret block when the setting names one."""
    if value is None:
        return None
    raw = value.get_secret_value()
    if raw.startswith(SECRET_BLOCK):
        from prefect.blocks.system import Secret

        return str(Secret.load(raw[len(SECRET_BLOCK) :]).get())
    return raw


def transports() -> Transports:
    s = settings()
    return make_transports(
        outbox_dir=s.resolved_outbox_dir,
        smtp_url=resolve_secret(s.smtp_url),
        telegram_token=resolve_secret(s.telegram_bot_token),
        telegram_api_url=s.telegram_api_url,
        mail_from=s.mail_from,
        max_token=resolve_secret(s.max_bot_token),
        max_api_url=s.max_api_url,
        max_ca_bundle=str(s.max_ca_bundle) if s.max_ca_bundle else None,
    )


def link_for(now: dt.datetime) -> LinkFor | None:
    """Signed intake links for messages, when ``ROADMAP_PUBLIC_BASE_URL`` is set."""
    return links_from_settings(settings(), now)


def prefect_api_url() -> str | None:
    return settings().prefect_api_url or os.environ.get("PREFECT_API_URL")


def run_moment(as_of: str | None) -> dt.datetime:
    """When this run acts (UTC): 10:00 of ``as_of``, or the run's scheduled moment, or now."""
    if as_of:
        day = dt.date.fromisoformat(as_of)
        return dt.datetime.combine(day, dt.time(10), zone()).astimezone(dt.UTC)
    from prefect.runtime import flow_run

    scheduled = flow_run.scheduled_start_time
    if scheduled is not None:
        return dt.datetime.fromtimestamp(scheduled.timestamp(), dt.UTC)
    return dt.datetime.now(dt.UTC)


def run_day(as_of: str | None) -> dt.date:
    """The program-local date this run acts for."""
    return run_moment(as_of).astimezone(zone()).date()


def links_from_settings(s: Settings, now: dt.datetime) -> LinkFor | None:
    """A link maker from plain settings (shared by the command line)."""
    if not s.public_base_url:
        return None
    key = s.intake_secret.get_secret_value().encode()
    ttl = dt.timedelta(days=s.link_ttl_days)
    return link_maker(base_url=s.public_base_url, key=key, now=now, ttl=ttl)
