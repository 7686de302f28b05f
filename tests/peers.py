"""Real peers the tests start: an SMTP server (aiosmtpd) and a local Telegram Bot API server.

The SMTP server keeps every message it receives, parsed; the Bot API server answers
``sendMessage`` from a script of responses (success, 429 with retry_after, 5xx, a stall
longer than the client's timeout), and records every request.
"""

from __future__ import annotations

import asyncio
import email
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    controller: Controller | None = None
    delay: float = 0.0  # seconds the server holds each message before it answers 250

    @property
    def url(self) -> str:
        return f"mailto://{self.host}:{self.port}?from=robot@roadmap.example.org"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Message]:
        end = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < end:
            time.sleep(0.02)
        return list(self.messages)

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def start(self) -> None:
        server = self

        class Handler:
            async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
                server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
                server.messages.append(email.message_from_bytes(envelope.content))
                if server.delay:
                    await asyncio.sleep(server.delay)
                return "250 OK"

        self.controller = Controller(Handler(), hostname=self.host, port=self.port)
        self.controller.start()


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[SmtpServer]:
    server = SmtpServer("127.0.0.1", port or free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class BotApi:
    """A local Bot API: ``script`` is consumed per request (then "ok" forever)."""

    port: int
    requests: list[dict[str, Any]] = field(default_factory=list)
    script: list[str] = field(default_factory=list)
    delivered: list[dict[str, Any]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"


@contextmanager
def bot_api() -> Iterator[BotApi]:
    api = BotApi(free_port())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            api.requests.append({"path": self.path, **body})
            action = api.script.pop(0) if api.script else "ok"
            if action == "stall":
                time.sleep(3)
                return self._answer(200, {"ok": True, "result": {"message_id": 0}})
            if action == "429":
                return self._answer(429, {"ok": False, "error_code": 429,
                                          "description": "Too Many Requests: retry after 1",
                                          "parameters": {"retry_after": 1}})  # fmt: skip
            if action == "500":
                return self._answer(
                    500, {"ok": False, "error_code": 500, "description": "Internal"}
                )
            api.delivered.append(body)
            self._answer(200, {"ok": True, "result": {"message_id": len(api.delivered)}})

        def _answer(self, code: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except BrokenPipeError:  # the client gave up (timeout test)
                pass

        def log_message(self, *args: Any) -> None:
            pass

    api.server = ThreadingHTTPServer(("127.0.0.1", api.port), Handler)
    thread = threading.Thread(target=api.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        api.server.shutdown()
        api.server.server_close()
