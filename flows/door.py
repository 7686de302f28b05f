"""The Prefect server behind the project's own door: failed logins counted per client
address, refused for a while after a few, and each one logged.

The open-source Prefect server checks its auth string (HTTP basic on the API, an ``auth``
message on its websockets) but counts nothing and logs nothing: 300 guesses a second go
through. ``python -m flows.door --host H --port P`` serves Prefect's own application (API,
UI and websockets, in this process, as ``prefect server start`` does) wrapped in ``Door``:

- a request that presents a wrong auth string (a ``Basic`` header on ``/api``, or the
  ``auth`` message of a websocket) is a failure of its client address, logged with that
  address (never with what was sent) and answered by Prefect as before (401);
- after ``Throttle.allowed`` different wrong strings from one address, that address's wrong
  strings get 429 with ``Retry-After`` (a websocket is closed) for ``Throttle.base`` seconds,
  twice as long after each failure that follows, up to ``Throttle.longest``; each is logged;
- the right string is let through all the same: the stack's own clients (workers, served
  flows, the command line) share 127.0.0.1 with any local user, who could otherwise lock
  them out with five wrong strings. This tells a blocked guesser that a guess is right as
  soon as it is, so it holds only for a strong string (``services.keys``: at least 100 bits,
  as production and every exposed server require, and as ``roadmap up`` generates), which
  no number of guesses finds. With a weak one (development only) a blocked address waits
  whatever it sends, as it must, and the door says so when it starts;
- other addresses are not affected (an IPv6 address counts with its /64); requests without
  credentials and the health probe pass untouched (Prefect answers 401 to the former).

The same wrong string sent again (the UI retrying a typo on several calls at once) is
logged each time but counted once. The client's address is the connection's own: an
``X-Forwarded-For`` header is believed only from the proxies named with
``--trusted-proxy`` (uvicorn would otherwise believe one from 127.0.0.1, and a local
attacker could pose as a new address on every guess). Behind a TLS proxy, name it there.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import sys
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

OPEN_PATHS = {"/api/health", "/api/ready"}  # Prefect's unauthenticated probes
CLOSED = 1008  # a websocket's close code: policy violation
log = logging.getLogger("roadmap.door")


def bucket(address: str) -> str:
    """Whose failures ``address`` counts with: itself, or for IPv6 its /64 (one host is
    given a whole /64 and may pick a new address in it for every guess)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return address


@dataclass
class _Record:
    tried: set[bytes] = field(default_factory=set)  # salted digests, never the strings
    last: float = 0.0
    blocked_until: float = 0.0


@dataclass
class Throttle:
    """Failed logins per client address, and how long each address must wait."""

    allowed: int = 5  # different wrong strings before an address waits
    base: float = 60.0  # the first wait, in seconds
    longest: float = 3600.0
    forget_after: float = 900.0  # a quiet address starts afresh
    remember: int = 10_000  # addresses kept; the oldest are dropped first
    clock: Callable[[], float] = time.monotonic
    _records: OrderedDict[str, _Record] = field(default_factory=OrderedDict, init=False)
    _salt: bytes = field(default_factory=lambda: secrets.token_bytes(16), init=False)

    def retry_after(self, address: str) -> int:
        """Seconds ``address`` must still wait (0: it may try)."""
        record = self._records.get(bucket(address))
        if record is None:
            return 0
        left = record.blocked_until - self.clock()
        return max(0, int(left + 0.999))

    def failed(self, address: str, sent: str) -> tuple[int, int]:
        """Count ``sent`` (a wrong string) against ``address``: (failures, seconds to wait)."""
        now = self.clock()
        address = bucket(address)
        record = self._records.pop(address, None) or _Record()
        if now - max(record.last, record.blocked_until) > self.forget_after:
            record = _Record()
        record.tried.add(hashlib.sha256(self._salt + sent.encode()).digest())
        record.last = now
        count = len(record.tried)
        if count >= self.allowed:
            wait = min(self.base * 2 ** (count - self.allowed), self.longest)
            record.blocked_until = max(record.blocked_until, now + wait)
        self._records[address] = record
        while len(self._records) > self.remember:
            self._records.popitem(last=False)
        return count, self.retry_after(address)


def _basic(scope: Scope) -> str | None:
    """The string a ``Basic`` Authorization header carries ('' when it is malformed)."""
    for name, value in scope.get("headers") or []:
        if name.lower() == b"authorization":
            scheme, _, creds = value.decode("latin-1").partition(" ")
            if scheme.lower() != "basic":
                return ""
            try:
                return base64.b64decode(creds.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return ""
    return None


def _auth_message(message: Message) -> str | None:
    """The token of a websocket's ``auth`` message, None when the message is not one."""
    raw = message.get("text") or (message.get("bytes") or b"").decode("utf-8", "replace")
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if isinstance(data, dict) and data.get("type") == "auth":
        token = data.get("token")
        return token if isinstance(token, str) else ""
    return None


@dataclass
class Door:
    """An ASGI wrapper that counts failed logins to ``app`` (see the module's docstring).

    ``let_right_in``: the right string passes even from a blocked address (a strong string);
    false, a blocked address is refused whatever it sends (a weak one).
    """

    app: App
    auth: str | None
    throttle: Throttle = field(default_factory=Throttle)
    let_right_in: bool = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if self.auth is None or kind not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        if scope.get("path") in OPEN_PATHS:
            return await self.app(scope, receive, send)
        address = (scope.get("client") or ("неизвестен", 0))[0]
        if not self.let_right_in and (wait := self.throttle.retry_after(address)):
            log.warning(
                "вход в Prefect: запрос с адреса %s отклонён, адрес заблокирован ещё на %d с",
                address,
                wait,
            )
            return await _refuse(kind, send, wait)
        if kind == "websocket":
            return await self.app(scope, self._watch(address, receive, send), send)
        sent = _basic(scope)
        if sent is not None and scope.get("path", "").startswith("/api"):
            if wait := self._check(address, sent):
                return await _refuse(kind, send, wait)
        return await self.app(scope, receive, send)

    def _check(self, address: str, sent: str) -> int:
        """Count ``sent`` if it is wrong; the seconds its address must wait if it is refused
        (0: it goes on to Prefect, which answers a wrong string 401)."""
        assert self.auth is not None
        if hmac.compare_digest(sent.encode(), self.auth.encode()):
            return 0
        blocked = self.throttle.retry_after(address)
        count, wait = self.throttle.failed(address, sent)
        if blocked:
            log.warning(
                "вход в Prefect: неверная строка входа с адреса %s (разных: %d) отклонена, "
                "адрес заблокирован ещё на %d с",
                address,
                count,
                wait,
            )
            return wait
        log.warning(
            "вход в Prefect: неверная строка входа с адреса %s (разных: %d)", address, count
        )
        if wait:
            log.warning(
                "вход в Prefect: адрес %s заблокирован на %d с после %d неудачных попыток",
                address,
                wait,
                count,
            )
        return 0

    def _watch(self, address: str, receive: Receive, send: Send) -> Receive:
        """``receive`` that checks the first message of a websocket (its ``auth``); a wrong
        token from a blocked address closes the socket, and Prefect hears a disconnect."""
        seen = False

        async def watched() -> Message:
            nonlocal seen
            message = await receive()
            if not seen and message["type"] == "websocket.receive":
                seen = True
                token = _auth_message(message)
                if token is not None and self._check(address, token):
                    await send({"type": "websocket.close", "code": CLOSED})
                    return {"type": "websocket.disconnect", "code": CLOSED}
            return message

        return watched


async def _refuse(kind: str, send: Send, wait: int) -> None:
    """429 with Retry-After; a websocket is closed before it opens."""
    if kind == "websocket":
        await send({"type": "websocket.close", "code": CLOSED, "reason": "too many failed logins"})
        return
    body = json.dumps(
        {"exception_message": f"слишком много неудачных попыток входа; повторите через {wait} с"},
        ensure_ascii=False,
    ).encode()
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"retry-after", str(wait).encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def door_for(app: App, auth: str | None) -> Door:
    """``app`` behind a door for ``auth``: one that lets the right string in from a blocked
    address only when the string is strong (said in the log when it is not)."""
    from services.settings import auth_string_problem

    problem = auth_string_problem(auth) if auth else None
    if problem:
        log.warning(
            "вход в Prefect: строка входа слабая (%s): заблокированный адрес ждёт и с верной "
            "строкой, в том числе процессы самого стека на этой машине",
            problem,
        )
    return Door(app, auth, let_right_in=problem is None)


def main(argv: list[str] | None = None) -> None:
    """Serve the Prefect server (API, UI, background services) behind the door."""
    parser = argparse.ArgumentParser(prog="python -m flows.door")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4200)
    parser.add_argument(
        "--trusted-proxy",
        default="",
        help="addresses of reverse proxies whose X-Forwarded-For names the client, by commas",
    )
    args = parser.parse_args(argv)
    trusted = [a.strip() for a in args.trusted_proxy.split(",") if a.strip()]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False

    import uvicorn
    from prefect.server.api.server import create_app
    from prefect.settings import get_current_settings

    settings = get_current_settings().server
    auth = settings.api.auth_string.get_secret_value() if settings.api.auth_string else None
    uvicorn.run(
        door_for(create_app(final=True), auth or None),
        host=args.host,
        port=args.port,
        timeout_keep_alive=settings.api.keepalive_timeout,
        ws_ping_interval=settings.api.websocket_ping_interval,
        ws_ping_timeout=settings.api.websocket_ping_timeout,
        log_level=settings.logging_level.lower(),
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
    )


if __name__ == "__main__":
    main()
