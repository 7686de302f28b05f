"""The intake page's application: configuration read at this edge, the FastAPI app built once.

``uvicorn intake.app:create_app --factory`` serves it (``roadmap intake`` does that).
"""

from __future__ import annotations

from fastapi import FastAPI

from intake.deps import GENERAL_TITLE, Intake, build_intake
from intake.files import router as files_router
from intake.limits import BUSY, TOO_LARGE, TOO_MANY, TOO_SLOW, LimitsMiddleware
from intake.pages import router
from services import runtime as services_runtime

__all__ = ["GENERAL_TITLE", "Intake", "build_intake", "create_app"]


def create_app(intake: Intake | None = None, *, max_request_bytes: int | None = None) -> FastAPI:
    """The FastAPI app; without arguments it is configured from ``ROADMAP_*`` settings."""
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
        TOO_MANY: _refusal(
            intake,
            "Слишком много отправок одновременно",
            "С вашего адреса уже передаётся несколько отправок. "
            "Дождитесь их завершения и отправьте ещё раз через минуту.",
        ),
        BUSY: _refusal(
            intake,
            "Сервер занят",
            "Сейчас передаётся слишком много отправок. Отправьте ещё раз через минуту.",
        ),
    }
    return LimitsMiddleware(app, max_body=limit, pages=pages)  # type: ignore[return-value]


def _refusal(intake: Intake, headline: str, detail: str) -> bytes:
    template = intake.templates.get_template("refused.html.j2")
    return template.render(program_title=intake.title, headline=headline, detail=detail).encode()
