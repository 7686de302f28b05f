"""The intake page's application: configuration read at this edge, the FastAPI app built once.

``uvicorn intake.app:create_app --factory`` serves it (``roadmap intake`` does that).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from fastapi import FastAPI
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy.engine import Engine

from intake.limits import TOO_LARGE, TOO_SLOW, LimitsMiddleware, RateLimiter
from roadmap.errors import ProgramNotChosen, RoadmapError
from roadmap.links import Keys
from roadmap.program import Program
from roadmap.workdays import WorkCalendar
from services import runtime as services_runtime
from services.runtime import Runtime
from storage.files import FileStore

GENERAL_TITLE = "Представление документов по региональной программе"


def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("intake", "templates"),
        autoescape=select_autoescape(enabled_extensions=("j2",)),
        undefined=StrictUndefined,
    )


@dataclass
class Intake:
    """Everything the routes need: the runtime, the rate limiter and the page templates."""

    rt: Runtime
    limiter: RateLimiter
    templates: Environment = field(default_factory=_templates)

    @property
    def engine(self) -> Engine:
        return self.rt.engine

    @property
    def program(self) -> Program:
        return self.rt.program

    @property
    def calendar(self) -> WorkCalendar:
        return self.rt.calendar

    @property
    def key(self) -> Keys:
        """Each link's key, by the program (or the federal view) it names."""
        return self.rt.key_for

    @property
    def store(self) -> FileStore:
        return self.rt.evidence

    @property
    def max_files(self) -> int:
        return self.rt.settings.intake_max_files

    @property
    def max_file_bytes(self) -> int:
        return self.rt.settings.max_upload_mb * 1024 * 1024

    @property
    def max_request_bytes(self) -> int:
        return self.rt.settings.intake_max_request_mb * 1024 * 1024

    def clock(self) -> dt.datetime:
        return self.rt.now()

    @property
    def title(self) -> str:
        """The page's heading: the program's title, or a general one until a link names it."""
        try:
            return self.rt.program.title
        except ProgramNotChosen:
            return GENERAL_TITLE

    def for_obligation(self, obligation_id: str) -> Intake:
        """The intake of the program an obligation belongs to (its id's first part).

        One page serves every program: the link's obligation says which one answers.
        """
        try:
            rt = self.rt.for_program(obligation_id.split(":", 1)[0])
        except RoadmapError:
            return self  # not a program of ours: storage will not find the obligation either
        return self if rt is self.rt else replace(self, rt=rt)


def build_intake(rt: Runtime) -> Intake:
    """An ``Intake`` over the runtime (the page's edge)."""
    return Intake(rt=rt, limiter=RateLimiter(rt.settings.intake_rate_limit))


def create_app(intake: Intake | None = None, *, max_request_bytes: int | None = None) -> FastAPI:
    """The FastAPI app; without arguments it is configured from ``ROADMAP_*`` settings."""
    from intake.files import router as files_router
    from intake.pages import router

    if intake is None:
        intake = build_intake(services_runtime.current())
    app = FastAPI(title="Представление документов", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.intake = intake
    app.include_router(router)
    app.include_router(files_router)
    limit = max_request_bytes or intake.max_request_bytes
    pages = {
        TOO_LARGE: _refusal(
            intake,
            "Слишком большой запрос",
            f"Все файлы вместе должны быть не больше {limit // (1024 * 1024)} МБ.",
        ),
        TOO_SLOW: _refusal(
            intake,
            "Данные поступали слишком медленно",
            "Соединение прервано: файлы передавались слишком медленно. "
            "Проверьте подключение к интернету и отправьте ещё раз.",
        ),
    }
    return LimitsMiddleware(app, max_body=limit, pages=pages)  # type: ignore[return-value]


def _refusal(intake: Intake, headline: str, detail: str) -> bytes:
    template = intake.templates.get_template("refused.html.j2")
    return template.render(program_title=intake.title, headline=headline, detail=detail).encode()
