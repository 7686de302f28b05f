"""Limits and headers around the intake page: body size and pace, rate per link, headers.

The body limit counts the bytes as they arrive (a missing or false Content-Length does not
help), so a huge upload is cut off before it fills the disk; a body that arrives too slowly
is cut off too; the rate limit counts requests per link in a sliding window, in memory (one
intake process; several would each count).
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
        b"base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class Refused(Exception):
    """The request is refused while its body arrives; ``status`` says why."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


TOO_LARGE, TOO_SLOW = 413, 408


class LimitsMiddleware:
    """Caps request bodies, cuts off slow ones, and adds security headers to every response.

    A body is refused (413) once more than ``max_body`` bytes have arrived, whatever length
    was declared, and cut off (408) when one wait for data exceeds ``receive_timeout``
    seconds or the body falls behind ``body_grace + received / min_rate`` seconds in all: a
    byte every few seconds ends within ``body_grace`` seconds, while anything faster than
    ``min_rate`` bytes a second is never cut. A response sent before the body has arrived
    whole closes the connection, so a client cannot go on trickling into it.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int,
        pages: dict[int, bytes],
        receive_timeout: float = 20.0,
        body_grace: float = 20.0,
        min_rate: float = 500.0,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.pages = pages
        self.receive_timeout = receive_timeout
        self.body_grace = body_grace
        self.min_rate = min_rate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await self._reject(send, TOO_LARGE)
            return
        has_body = b"chunked" in headers.get(b"transfer-encoding", b"").lower() or (
            declared is not None and declared.strip(b"0") != b""
        )
        guard = _Guard(self, receive, send, whole=not has_body)
        try:
            await self.app(scope, guard.receive, guard.send)
        except Exception:
            if guard.refused is None:
                raise
        if guard.refused is not None and not guard.started:  # raised through, or swallowed
            await self._reject(send, guard.refused.status)

    async def _reject(self, send: Send, status: int) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"connection", b"close"),
                    *SECURITY_HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": self.pages[status]})


class _Guard:
    """One request's body watched as it arrives (its size and pace) and its response
    marked: the state ``LimitsMiddleware`` keeps for one request."""

    def __init__(self, limits: LimitsMiddleware, receive: Receive, send: Send, *, whole: bool):
        self.limits = limits
        self._receive = receive
        self._send = send
        self.seen = 0
        self.whole = whole  # the body has arrived whole (or there is none)
        self.started = False
        self.refused: Refused | None = None
        self.began: float | None = None

    async def receive(self) -> Message:
        if self.refused is not None:
            raise self.refused
        now = asyncio.get_running_loop().time()
        self.began = now if self.began is None else self.began
        limits = self.limits
        budget = self.began + limits.body_grace + self.seen / limits.min_rate - now
        try:
            message = await asyncio.wait_for(self._receive(), min(limits.receive_timeout, budget))
        except TimeoutError:
            self.refused = Refused(TOO_SLOW)
            raise self.refused from None
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            self.whole = not message.get("more_body", False)
            if self.seen > limits.max_body:
                self.refused = Refused(TOO_LARGE)
                raise self.refused
        return message

    async def send(self, message: Message) -> None:
        if self.refused is not None:  # the app's own error page for our refusal: not sent
            return
        if message["type"] == "http.response.start":
            self.started = True
            extra = [] if self.whole else [(b"connection", b"close")]
            message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS, *extra]
        await self._send(message)


class RateLimiter:
    """At most ``limit`` requests per key in ``window`` seconds."""

    def __init__(
        self, limit: int, window: float = 600.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._hits: defaultdict[str, deque[float]] = defaultdict(deque)

    def allow(self, key: str) -> bool:
        now = self.clock()
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True
