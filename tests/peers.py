"""Real peers the tests start: an SMTP server (aiosmtpd), a local Telegram Bot API server,
a local MAX Bot API server, and a hostile server in the Prefect API's place.

The SMTP server keeps every message it receives, as bytes and parsed; the two Bot API
servers answer from a script of responses (success, 429 with a time to wait, 5xx, a stall
longer than the client's timeout) and record every request.
"""

from __future__ import annotations

import asyncio
import email
import fcntl
import gzip
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
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
    raw: list[bytes] = field(default_factory=list)
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
                server.raw.append(envelope.content)
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


HUGE = 300 * 1024 * 1024


def misbehave(handler: BaseHTTPRequestHandler, action: str) -> bool:
    """Answer as a hostile or broken peer would, if ``action`` says so: "huge" is a 200 of
    300 MB (no length: the body ends when the connection does), "trickle" a 200 whose body
    comes a byte a second (for a minute at most, a hang guard). Returns whether it did."""
    if action not in ("huge", "trickle"):
        return False
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    handler.close_connection = True
    try:
        if action == "huge":
            block = b'{"ok":true,"pad":"' + b"x" * (1024 * 1024 - 18)
            for _ in range(HUGE // len(block)):
                handler.wfile.write(block)
        else:
            for _ in range(60):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(1)
    except (BrokenPipeError, ConnectionResetError):  # the client stopped reading: good
        pass
    return True


@dataclass
class BotApi:
    """A local Bot API: ``script`` is consumed per request (then "ok" forever).

    Actions: "ok", "500", "stall", "429" (retry_after 1) or "429:N" (retry_after N seconds),
    "huge" or "trickle" (``misbehave``).
    """

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
            if misbehave(self, action):
                return None
            if action == "stall":
                time.sleep(3)
                return self._answer(200, {"ok": True, "result": {"message_id": 0}})
            if action.startswith("429"):
                wait = int(action.partition(":")[2] or 1)
                return self._answer(
                    429,
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {wait}",
                        "parameters": {"retry_after": wait},
                    },
                )
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


@dataclass
class MaxApi:
    """A local MAX Bot API (``POST /messages``), after the official schema (0.0.30).

    The request names its recipient with the query parameter ``user_id`` or ``chat_id`` and
    carries the token in the ``Authorization`` header; the JSON body is a NewMessageBody
    (``text`` up to 4000 characters, ``format`` "markdown" or "html"). A request without
    the token is refused 401, a malformed one 400, as the API does. ``script`` is consumed
    per request (then "ok" forever): "ok", "500", "503", "stall", "429" or "429:N" (with
    ``Retry-After: N``), "huge" or "trickle" (``misbehave``).
    """

    port: int
    token: str = "max-test-token"
    requests: list[dict[str, Any]] = field(default_factory=list)
    script: list[str] = field(default_factory=list)
    delivered: list[dict[str, Any]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _max_refusal(status: int, code: str, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"code": code, "message": message}


@contextmanager
def max_api() -> Iterator[MaxApi]:
    api = MaxApi(free_port())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            request = {"path": url.path, "query": query, "headers": dict(self.headers)}
            api.requests.append(request)
            if api.script and api.script[0] in ("huge", "trickle"):
                misbehave(self, api.script.pop(0))
                return
            status, payload = self._handle(url.path, query, raw)
            self._answer(status, payload)

        def _handle(self, path: str, query: dict[str, str], raw: bytes) -> tuple[int, Any]:
            if path != "/messages":
                return _max_refusal(404, "not.found", f"Path {path} is not recognized")
            if self.headers.get("Authorization") != api.token:
                return _max_refusal(401, "verify.token", "Invalid access_token")
            try:
                body = json.loads(raw)
            except ValueError:
                return _max_refusal(400, "proto.payload", "Invalid JSON")
            targets = [k for k in ("user_id", "chat_id") if k in query]
            text = body.get("text")
            if len(targets) != 1 or not query[targets[0]].lstrip("-").isdigit():
                return _max_refusal(400, "proto.payload", "user_id or chat_id is required")
            if not isinstance(text, str) or len(text) > 4000:
                return _max_refusal(400, "proto.payload", "text: up to 4000 characters")
            if body.get("format") not in (None, "markdown", "html"):
                return _max_refusal(400, "proto.payload", "format: markdown or html")
            action = api.script.pop(0) if api.script else "ok"
            if action == "stall":
                time.sleep(3)
            elif action.startswith("429"):
                self._retry_after = action.partition(":")[2] or "1"
                return _max_refusal(429, "too.many.requests", "Too many requests")
            elif action in ("500", "503"):
                return _max_refusal(int(action), "internal.error", "Internal error")
            api.delivered.append({**query, **body})
            seq = len(api.delivered)
            recipient = {
                "chat_id": int(query.get("chat_id", 0)) or None,
                "user_id": int(query["user_id"]) if "user_id" in query else None,
                "chat_type": "chat" if "chat_id" in query else "dialog",
            }
            body = {"mid": f"mid.{seq:016x}", "seq": seq, "text": text}
            return 200, {"message": {"recipient": recipient, "timestamp": seq, "body": body}}

        def _answer(self, code: int, payload: Any) -> None:
            data = json.dumps(payload).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            if code == 429:
                self.send_header("Retry-After", getattr(self, "_retry_after", "1"))
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


@contextmanager
def running_server(
    server: subprocess.Popen[bytes], url: str, what: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A Prefect server process started by the caller: once its ``/api/health`` answers
    (a generous three minutes to start, or the test fails naming ``what`` and its log's
    end), yielded; stopped on leaving (terminated, killed after 30 s)."""
    try:
        end = time.monotonic() + 180
        while time.monotonic() < end and server.poll() is None:
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail(f"{what} did not start: {log.read_text(errors='replace')[-2000:]}")
        yield server
    finally:
        stop(server)


def stop(process: subprocess.Popen[bytes], wait: float = 30) -> None:
    """``process`` terminated, killed if it has not ended within ``wait`` seconds, reaped."""
    process.terminate()
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


DATABASE_SETTINGS = (
    "PREFECT_API_DATABASE_CONNECTION_URL",
    "PREFECT_SERVER_DATABASE_CONNECTION_URL",
)


def seed_prefect_home(prefect_home: Path) -> Path:
    """Put into ``prefect_home`` a Prefect database already migrated to this Prefect's schema,
    where a server started with ``PREFECT_HOME=prefect_home`` finds it: the server then starts
    in a few seconds instead of running every migration on a new database first (some seven
    seconds of a core, for each of the suite's servers). The empty migrated database is made
    once, by Prefect's own ``prefect server database upgrade``, and shared by the test
    processes; a stack test that starts from nothing at all keeps its home unseeded."""
    import prefect

    template = Path(tempfile.gettempdir()) / f"roadmap-tests-prefect-{prefect.__version__}"
    with (Path(tempfile.gettempdir()) / f"{template.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process makes it; the others wait and reuse it
        if not (template / "prefect.db").exists():
            making = Path(tempfile.mkdtemp(prefix=f"{template.name}-"))
            env = {**os.environ, "PREFECT_HOME": str(making)}
            for name in ("PREFECT_API_URL", *DATABASE_SETTINGS):
                env.pop(name, None)
            subprocess.run(
                [sys.executable, "-m", "prefect", "server", "database", "upgrade", "-y"],
                env=env,
                check=True,
                capture_output=True,
                timeout=300,
            )
            shutil.rmtree(template, ignore_errors=True)
            os.replace(making, template)
    prefect_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template / "prefect.db", prefect_home / "prefect.db")
    return prefect_home


@dataclass
class HostilePrefect:
    """A server in the Prefect API's place that answers every request as ``mode`` says;
    ``answers`` holds, per request, how many bytes of its answer went out after the headers
    (a trickled header's bytes too) and whether the client hung up before the end."""

    url: str
    mode: str
    answers: list[tuple[int, bool]] = field(default_factory=list)

    def answered(self, count: int = 1) -> list[tuple[int, bool]]:
        """``answers`` once ``count`` of them have ended (a client that hung up is noticed at
        the next write, a second later)."""
        end = time.monotonic() + 10
        while len(self.answers) < count and time.monotonic() < end:
            time.sleep(0.1)
        return list(self.answers)


TRICKLE = 60  # bytes, one a second: a minute, longer than any deadline the tests set
BOMB = 200  # MB of zeros a gzip answer inflates to (about 200 KB on the wire)


def _gzip_bomb() -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as packed:
        for _ in range(BOMB):
            packed.write(bytes(1024 * 1024))
    return out.getvalue()


class _Counted:
    """A handler's output that counts what it writes, each write sent at once."""

    def __init__(self, out: Any) -> None:
        self.out, self.written = out, 0

    def write(self, data: bytes) -> None:
        self.out.write(data)
        self.out.flush()
        self.written += len(data)


def _hostile_answer(handler: BaseHTTPRequestHandler, out: _Counted, mode: str, bomb: bytes) -> None:
    """Answer as ``mode``, what comes after the headers through ``out`` (it raises as the
    client hangs up)."""
    if mode == "trickle-head":  # the status line, then a header that never ends
        out.write(b"HTTP/1.1 200 OK\r\nX-Pad: ")
        for _ in range(TRICKLE):
            out.write(b"x")
            time.sleep(1)
        return
    if mode == "retry-after":  # busy, come back in an hour
        handler.send_response(503)
        handler.send_header("Retry-After", "3600")
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    if mode == "gzip-bomb":
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(bomb)))
        handler.end_headers()
        out.write(bomb)
        return
    handler.end_headers()  # no length: the body ends when the connection does
    handler.close_connection = True
    if mode == "huge":
        block = b"x" * (1024 * 1024)
        for _ in range(300):
            out.write(block)
        return
    for _ in range(TRICKLE):  # "trickle-body"
        out.write(b" ")
        time.sleep(1)


@contextmanager
def hostile_prefect(mode: str) -> Iterator[HostilePrefect]:
    """A ``HostilePrefect`` on a loopback port: "trickle-head" (a header a byte a second),
    "trickle-body" (a 200 whose body comes a byte a second), "huge" (300 MB, no length),
    "gzip-bomb" (200 KB inflating to 200 MB, though asked uncompressed) or "retry-after"
    (503, come back in an hour)."""
    bomb = _gzip_bomb() if mode == "gzip-bomb" else b""
    peer = HostilePrefect("", mode)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._answer()

        do_PATCH = do_PUT = do_DELETE = do_POST

        def _answer(self) -> None:
            out = _Counted(self.wfile)
            try:
                _hostile_answer(self, out, peer.mode, bomb)
            except (BrokenPipeError, ConnectionResetError):  # the client hung up: good
                self.close_connection = True
                peer.answers.append((out.written, True))
                return
            peer.answers.append((out.written, False))

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    server.daemon_threads = True
    peer.url = f"http://127.0.0.1:{server.server_address[1]}/api"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield peer
    finally:
        server.shutdown()
        server.server_close()


HANG = 90  # seconds: a call to a hostile peer still running after this long hangs


def outcome(call: Callable[[], object]) -> BaseException | None:
    """What ``call`` raised (None: nothing), run in a thread; the test fails at once if it is
    still running after ``HANG`` seconds (a guard against a hang, not a measure of speed)."""
    caught: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:
            caught.append(exc)
        else:
            caught.append(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG)
    if thread.is_alive():
        pytest.fail(f"the call still runs after {HANG} s")
    return caught[0]
