"""Limits and headers around the intake page: body size and pace, rate per link, headers.

The body limit counts the bytes as they arrive (a missing or false Content-Length does not
help), so a huge upload is cut off before it fills the disk; a body that arrives too slowly
is cut off too, and so is one that has not arrived whole within a total deadline; one client
address may send only a few bodies at once, and the last places for bodies are kept for
addresses sending none, so one sender trickling many uploads cannot hold the page from the
others; the rate limit counts requests per link in a sliding window, in memory (one intake
process; several would each count).
"""

from __future__ import annotations

import asyncio
import ipaddress
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


TOO_LARGE, TOO_SLOW, TOO_MANY, BUSY = 413, 408, 429, 503


def client_key(scope: Scope) -> str:
    """Who sends a request, for the body slots: its address (an IPv6 address by its /64,
    the block one subscriber is given)."""
    client = scope.get("client")
    host = str(client[0]) if client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{host}/64", strict=False))
    return host


class BodySlots:
    """Places for request bodies in flight: ``per_client`` for one address, ``total`` in
    all, of which the last ``reserve`` go only to an address with no body in flight.

    So one sender, however many links it holds, keeps at most ``per_client`` bodies open,
    and a newcomer finds a place even while many senders fill the rest.
    """

    def __init__(self, *, per_client: int = 8, total: int = 150, reserve: int = 30) -> None:
        self.per_client, self.total, self.reserve = per_client, total, reserve
        self.held: dict[str, int] = {}

    def take(self, client: str) -> int | None:
        """Take a place for ``client``: ``None`` if taken, else the status that refuses it."""
        mine, in_flight = self.held.get(client, 0), sum(self.held.values())
        if mine >= self.per_client:
            return TOO_MANY
        if in_flight >= self.total or (mine and in_flight >= self.total - self.reserve):
            return BUSY
        self.held[client] = mine + 1
        return None

    def give_back(self, client: str) -> None:
        left = self.held.get(client, 0) - 1
        if left > 0:
            self.held[client] = left
        else:
            self.held.pop(client, None)


class LimitsMiddleware:
    """Caps request bodies, cuts off slow ones, and adds security headers to every response.

    A body is refused (413) once more than ``max_body`` bytes have arrived, whatever length
    was declared, and cut off (408) when one wait for data exceeds ``receive_timeout``
    seconds, when the body falls behind ``body_grace + received / min_rate`` seconds in all
    (a byte every few seconds ends within ``body_grace`` seconds), or when it has not
    arrived whole ``body_deadline`` seconds after it began, however fast it comes. A body
    needs a place in ``slots`` before it is read: without one it is refused at once (429
    for an address already sending ``per_client`` bodies, 503 when all are taken). A
    response sent before the body has arrived whole closes the connection, so a client
    cannot go on trickling into it.
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
        body_deadline: float = 1800.0,
        slots: BodySlots | None = None,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.pages = pages
        self.receive_timeout = receive_timeout
        self.body_grace = body_grace
        self.min_rate = min_rate
        self.body_deadline = body_deadline
        self.slots = slots or BodySlots()

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
        client = client_key(scope)
        refused = self.slots.take(client) if has_body else None
        if refused is not None:
            await self._reject(send, refused)
            return
        try:
            await self._guarded(scope, receive, send, whole=not has_body)
        finally:
            if has_body:
                self.slots.give_back(client)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send, *, whole: bool) -> None:
        guard = _Guard(self, receive, send, whole=whole)
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
                    *([(b"retry-after", b"60")] if status in (TOO_MANY, BUSY) else []),
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
        paced = limits.body_grace + self.seen / limits.min_rate
        budget = self.began + min(paced, limits.body_deadline) - now
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
