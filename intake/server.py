"""Serving the intake page: uvicorn with the limits a page open to the internet needs.

``python -m intake.server --host H --port P`` is what ``roadmap intake`` runs (and ``roadmap
up`` beside the Prefect server). Besides the body limits of ``intake.limits``:

- **Request heads.** A connection must deliver its request line and headers within
  ``HEADER_TIMEOUT`` seconds of opening (or of its previous response); at most
  ``MAX_WAITING`` connections may wait for one at a time, and a new connection beyond that
  closes the one that has waited longest. So half-open connections, however many, hold
  neither the server nor a slot a person needs: a real request sends its head at once.
- **Keep-alive** connections close after ``KEEP_ALIVE`` idle seconds; the head of a request
  is at most 16 KiB (h11's limit); ``LIMIT_CONCURRENCY`` connections at once, then 503.
  Bodies in flight are capped below that, per client address and in all (``BodySlots``),
  so the waiting heads and the bodies together never reach it.
- **Logs.** Tokens never reach a log: every record of the server's loggers (the access log
  included) has ``/i/<token>`` replaced by ``/i/***`` and a download link's ``/f/<token>``
  (valid for weeks) by ``/f/***``.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import logging
import re
import sys
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.h11_impl import H11Protocol

from intake.app import build_intake, create_app
from roadmap.errors import RoadmapError
from services import runtime as services_runtime

HEADER_TIMEOUT = 15.0
MAX_WAITING = 100
KEEP_ALIVE = 5
LIMIT_CONCURRENCY = 300
GRACEFUL_SHUTDOWN = 10
BAD_REQUEST = (
    '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Запрос не распознан'
    "</title></head><body><h1>Запрос не распознан</h1><p>Адрес или заголовки запроса "
    "повреждены (например, в ссылке есть недопустимые символы). Ничего не сохранено. "
    "Откройте ссылку из письма ещё раз, скопировав её полностью.</p></body></html>"
)
_TOKEN = re.compile(r"/([if])/[^\s\"'?#/]+")


def hide_tokens(text: str) -> str:
    """``text`` with every intake (``/i/``) and download (``/f/``) token replaced by ``***``."""
    return _TOKEN.sub(r"/\1/***", text)


class HideTokens(logging.Filter):
    """Masks intake tokens in a record's message, arguments and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = hide_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(hide_tokens(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: hide_tokens(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        if record.exc_info and not record.exc_text:
            record.exc_text = hide_tokens(logging.Formatter().formatException(record.exc_info))
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging, every handler behind ``HideTokens``, other loggers through it too."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"hide_tokens": {"()": HideTokens}}
    for handler in config["handlers"].values():
        handler["filters"] = ["hide_tokens"]
    config["root"] = {"handlers": ["default"], "level": "WARNING"}
    return config


class GuardedProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request head and a cap on waiters.

    The connections waiting for a head are kept in arrival order, so the oldest is the one
    closed when a new connection would exceed ``max_waiting``; each server has its own
    class (``guarded_protocol``), and so its own ``waiting``.
    """

    header_timeout: float = HEADER_TIMEOUT
    max_waiting: int = MAX_WAITING
    waiting: dict[GuardedProtocol, None] = {}
    _head_timer: asyncio.TimerHandle | None = None

    def _await_head(self) -> None:
        self._stop_waiting()
        self.waiting[self] = None
        self._head_timer = self.loop.call_later(self.header_timeout, self._drop)
        while len(self.waiting) > self.max_waiting:
            next(iter(self.waiting))._drop()

    def _stop_waiting(self) -> None:
        self.waiting.pop(self, None)
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _drop(self) -> None:
        self._stop_waiting()
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:  # a request head arrived whole
            self._stop_waiting()

    def send_400_response(self, msg: str) -> None:  # h11 could not read the request
        page = BAD_REQUEST.encode()
        self.transport.write(
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/html; charset=utf-8\r\n"
            b"connection: close\r\ncontent-length: %d\r\n\r\n%s" % (len(page), page)
        )
        self.transport.close()

    def on_response_complete(self) -> None:
        if not self.transport.is_closing():  # kept alive: the next head has a deadline too
            self._await_head()
        super().on_response_complete()


def guarded_protocol(
    header_timeout: float = HEADER_TIMEOUT, max_waiting: int = MAX_WAITING
) -> type[H11Protocol]:
    """A ``GuardedProtocol`` class of one server's own: its deadline, cap and waiters."""
    own = {"header_timeout": header_timeout, "max_waiting": max_waiting, "waiting": {}}
    return type("GuardedProtocol", (GuardedProtocol,), own)


def server_config(
    app: Any,
    host: str,
    port: int,
    *,
    header_timeout: float = HEADER_TIMEOUT,
    max_waiting: int = MAX_WAITING,
    log: bool = True,
) -> uvicorn.Config:
    """The uvicorn configuration ``roadmap intake`` serves ``app`` with.

    ``log=False`` leaves the process's logging as it is (a server inside a test run).
    """
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=guarded_protocol(header_timeout, max_waiting),
        ws="none",
        lifespan="off",
        server_header=False,
        timeout_keep_alive=KEEP_ALIVE,
        limit_concurrency=LIMIT_CONCURRENCY,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
        log_config=log_config() if log else None,
    )


def main(argv: list[str] | None = None) -> int:
    """Serve the page configured from ``ROADMAP_*`` settings until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m intake.server")
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    try:
        rt = services_runtime.current()
        # a key production refuses, or a program's key not where its data says, stops the
        # page before it listens
        for each in [rt, *rt.each_program()]:
            _ = each.intake_key
        app = create_app(build_intake(rt))
    except RoadmapError as exc:
        sys.stderr.write(f"Ошибка: {exc}\n")
        return 1
    uvicorn.Server(server_config(app, args.host, args.port)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
