"""The intake page's application: configuration read at this edge, the FastAPI app built once.

``uvicorn intake.app:create_app --factory`` serves it (``roadmap intake`` does that).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy.engine import Engine

from intake.limits import LimitsMiddleware, RateLimiter
from notifications.delivery import Transports
from roadmap.loader import load_program
from roadmap.program import Program
from roadmap.settings import Settings, get_settings
from roadmap.workdays import WorkCalendar, get_calendar
from storage.db import open_database
from storage.evidence import EvidenceStore


@dataclass
class Intake:
    """Everything the routes need, built once from plain values."""

    engine: Engine
    program: Program
    calendar: WorkCalendar
    key: bytes
    store: EvidenceStore
    max_file_bytes: int
    max_files: int
    margin: float
    limiter: RateLimiter
    transports: Transports | None
    prefect_api_url: str | None
    quiet_hours: bool = True
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    templates: Environment = field(
        default_factory=lambda: Environment(
            loader=PackageLoader("intake", "templates"),
            autoescape=select_autoescape(enabled_extensions=("j2",)),
            undefined=StrictUndefined,
        )
    )


def build_intake(s: Settings, clock: Callable[[], dt.datetime] | None = None) -> Intake:
    """An ``Intake`` from the settings (the edge: the only place this room reads them)."""
    from notifications.delivery import make_transports

    program = load_program(s.program)
    transports = make_transports(
        outbox_dir=s.resolved_outbox_dir,
        smtp_url=s.smtp_url.get_secret_value() if s.smtp_url else None,
        telegram_token=s.telegram_bot_token.get_secret_value() if s.telegram_bot_token else None,
        telegram_api_url=s.telegram_api_url,
        mail_from=s.mail_from,
        max_token=s.max_bot_token.get_secret_value() if s.max_bot_token else None,
        max_api_url=s.max_api_url,
        max_ca_bundle=str(s.max_ca_bundle) if s.max_ca_bundle else None,
    )
    intake = Intake(
        engine=open_database(s.resolved_database_url),
        program=program,
        calendar=get_calendar(program.calendar),
        key=s.intake_secret.get_secret_value().encode(),
        store=EvidenceStore(Path(s.resolved_evidence_dir)),
        max_file_bytes=s.max_upload_mb * 1024 * 1024,
        max_files=s.intake_max_files,
        margin=s.explanation_margin,
        limiter=RateLimiter(s.intake_rate_limit),
        transports=transports,
        prefect_api_url=s.prefect_api_url,
        quiet_hours=s.quiet_hours,
    )
    if clock is not None:
        intake.clock = clock
    return intake


def create_app(intake: Intake | None = None, *, max_request_bytes: int | None = None) -> FastAPI:
    """The FastAPI app; without arguments it is configured from ``ROADMAP_*`` settings."""
    from intake.pages import router

    if intake is None:
        s = get_settings()
        intake = build_intake(s)
        max_request_bytes = max_request_bytes or s.intake_max_request_mb * 1024 * 1024
    app = FastAPI(title="Представление документов", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.intake = intake
    app.include_router(router)
    limit = max_request_bytes or 120 * 1024 * 1024
    page = intake.templates.get_template("refused.html.j2").render(
        program_title=intake.program.title, headline="Слишком большой запрос",
        detail=f"Все файлы вместе должны быть не больше {limit // (1024 * 1024)} МБ.",
    )  # fmt: skip
    return LimitsMiddleware(app, max_body=limit, too_large=page.encode())  # type: ignore[return-value]
