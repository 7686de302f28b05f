"""Calls to the Prefect API with an end: a total deadline for each call, a ceiling on each answer.

Prefect's client (``prefect.client.base``, under the flow engine, the runner, ``Secret.load``
and every ``get_client()``) times out each socket read, never the call: a server, or a proxy
in its place, that sends a byte every few seconds never trips the 60 s read timeout, and one
that sends an endless body is read whole into memory. Its retries wait whatever a
``Retry-After`` asks. Once ``install()`` has run (the flows' runtime, the registration and a
secret's resolution call it), every call through Prefect's two clients is bounded, and so is
every call through ``BoundedClient`` and ``BoundedAsyncClient`` (our own requests to Prefect:
the registration's upserts, the stack's health check, wake-ups):

- a call, Prefect's retries and its waits between them included, ends ``TOTAL`` seconds after
  it began: an async call is cancelled then; in a sync one each socket read and write waits
  at most until then, and a wait before a retry that would end later is not begun;
- an answer is read to ``ANSWER_LIMIT`` bytes; it is asked for uncompressed (an inflated
  size is known only once inflated), and one sent compressed anyway is refused unread;
- either end is a ``PrefectCallCut``, an ``httpx.TransportError`` that Prefect's retry loop
  does not retry, whose message says in Russian what happened; the connection is closed and
  nothing of the answer is kept.

The hooks on httpcore's sync socket stream act only while such a call is under way.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import anyio
import httpx

TOTAL = 120.0  # seconds: twice Prefect's read timeout, what the registration's upserts had
ANSWER_LIMIT = 16 * 1024 * 1024  # Prefect's lists come in pages of at most 200 items


class PrefectCallCut(httpx.TransportError):
    """A call to the Prefect API ended by its bounds; the message says why, in Russian."""


class PrefectTooSlow(PrefectCallCut):
    """The call's total deadline passed, or a retry would have begun after it."""

    @classmethod
    def after(cls, total: float) -> PrefectTooSlow:
        return cls(f"сервер Prefect не ответил за {total:.0f} с")


class PrefectAnswerTooLarge(PrefectCallCut):
    """The answer went past the ceiling, or came compressed; the rest was not read."""


def size_words(size: int) -> str:
    """A ceiling in bytes as a person reads it: «16 МБ», «64 КБ»."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} МБ"
    return f"{size / 1024:g} КБ"


@dataclass
class Bounds:
    """A call's deadline in seconds and its answer's ceiling in bytes (None: the default)."""

    total: float | None = None
    answer: int | None = None


_default = Bounds(TOTAL, ANSWER_LIMIT)


@contextlib.contextmanager
def limits(*, total: float | None = None, answer: int | None = None) -> Iterator[None]:
    """Calls begun inside, in any thread, have these bounds (the tests shorten them so)."""
    saved = (_default.total, _default.answer)
    _default.total = total or _default.total
    _default.answer = answer or _default.answer
    try:
        yield
    finally:
        _default.total, _default.answer = saved


@dataclass
class _Call:
    total: float
    answer: int
    end: float

    def left(self) -> float:
        return self.end - time.monotonic()

    def check(self, read: int) -> None:
        """Raise if ``read`` bytes of an answer are past the ceiling or time is up."""
        if read > self.answer:
            raise PrefectAnswerTooLarge(
                f"ответ сервера Prefect больше {size_words(self.answer)}: дальше не читался"
            )
        if self.left() <= 0:
            raise PrefectTooSlow.after(self.total)


_call: ContextVar[_Call | None] = ContextVar("roadmap_prefect_call", default=None)


@contextlib.contextmanager
def _calling(client: object) -> Iterator[_Call]:
    """The call under way in this context, or a new one with ``client``'s bounds (a request
    made inside a call, e.g. Prefect's CSRF token, is part of that call)."""
    current = _call.get()
    if current is not None:
        yield current
        return
    own = getattr(client, "_roadmap_bounds", None) or Bounds()
    total = own.total or _default.total or TOTAL
    call = _Call(total, own.answer or _default.answer or ANSWER_LIMIT, time.monotonic() + total)
    token = _call.set(call)
    try:
        yield call
    finally:
        _call.reset(token)


def _sync_send(original: Callable[..., httpx.Response]) -> Callable[..., httpx.Response]:
    def send(self: httpx.Client, request: httpx.Request, *args: Any, **kwargs: Any) -> Any:
        with _calling(self):
            return original(self, request, *args, **kwargs)

    return send


def _async_send(original: Callable[..., Any]) -> Callable[..., Any]:
    async def send(self: httpx.AsyncClient, request: httpx.Request, *args: Any, **kw: Any) -> Any:
        # a sync call may run this in another thread's loop: its own scope, the same end
        with _calling(self) as call:
            with anyio.move_on_after(call.left()):
                return await original(self, request, *args, **kw)
            raise PrefectTooSlow.after(call.total)

    return send


def _prepare(request: httpx.Request, call: _Call) -> None:
    """Ask for the answer uncompressed; no wait of the exchange may pass the call's end."""
    left = call.left()
    if left <= 0:
        raise PrefectTooSlow.after(call.total)
    request.headers["Accept-Encoding"] = "identity"
    timeouts = request.extensions.get("timeout") or {}
    request.extensions["timeout"] = {
        name: left if value is None else min(value, left) for name, value in timeouts.items()
    } or dict.fromkeys(("connect", "read", "write", "pool"), left)


def _refusal(response: httpx.Response, call: _Call) -> PrefectAnswerTooLarge | None:
    """Why an answer is refused before its body is read, if it is."""
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if encoding not in ("", "identity"):
        return PrefectAnswerTooLarge(
            f"сервер Prefect прислал ответ сжатым ({encoding}), хотя его просили не сжимать: "
            "ответ не читался"
        )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > call.answer:
        return PrefectAnswerTooLarge(
            f"ответ сервера Prefect больше {size_words(call.answer)}: не читался"
        )
    return None


class _SyncBody(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, call: _Call) -> None:
        self._inner, self._call = inner, call

    def __iter__(self) -> Iterator[bytes]:
        read = 0
        for chunk in self._inner:
            read += len(chunk)
            self._call.check(read)
            yield chunk

    def close(self) -> None:
        self._inner.close()


class _AsyncBody(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, call: _Call) -> None:
        self._inner, self._call = inner, call

    async def __aiter__(self) -> AsyncIterator[bytes]:
        read = 0
        async for chunk in self._inner:
            read += len(chunk)
            self._call.check(read)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


def _sync_single(original: Callable[..., httpx.Response]) -> Callable[..., httpx.Response]:
    def single(self: httpx.Client, request: httpx.Request) -> httpx.Response:
        with _calling(self) as call:
            _prepare(request, call)
            response = original(self, request)
            if (refused := _refusal(response, call)) is not None:
                response.close()
                raise refused
            assert isinstance(response.stream, httpx.SyncByteStream)
            response.stream = _SyncBody(response.stream, call)
            return response

    return single


def _async_single(original: Callable[..., Any]) -> Callable[..., Any]:
    async def single(self: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
        with _calling(self) as call:
            _prepare(request, call)
            response = await original(self, request)
            if (refused := _refusal(response, call)) is not None:
                await response.aclose()
                raise refused
            assert isinstance(response.stream, httpx.AsyncByteStream)
            response.stream = _AsyncBody(response.stream, call)
            return response

    return single


def _clamped(original: Callable[..., Any], timeout_error: type[Exception]) -> Callable[..., Any]:
    """httpcore's sync socket read or write, waiting at most until the call's end."""

    def io(self: Any, data: Any, timeout: float | None = None) -> Any:
        call = _call.get()
        if call is None:
            return original(self, data, timeout)
        left = call.left()
        if left <= 0:
            raise PrefectTooSlow.after(call.total)
        if timeout is not None and timeout < left:
            return original(self, data, timeout)
        try:
            return original(self, data, left)
        except timeout_error:
            raise PrefectTooSlow.after(call.total) from None

    return io


class _RetryClock:
    """The ``time`` module as Prefect's sync client sees it: a wait before a retry that would
    end after the call's deadline is not begun (a ``Retry-After`` may ask for hours)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        call = _call.get()
        if call is not None and seconds > call.left():
            raise PrefectTooSlow(
                f"сервер Prefect просит подождать {seconds:.0f} с, дольше срока вызова "
                f"({call.total:.0f} с)"
            )
        time.sleep(seconds)


_lock = threading.Lock()
_done: set[str] = set()


def _wrap(owner: Any, name: str, bound: Callable[..., Any], *args: Any) -> None:
    """``owner.name`` replaced by ``bound(owner.name, *args)``."""
    setattr(owner, name, bound(getattr(owner, name), *args))


def _patch_httpcore() -> None:
    import httpcore
    from httpcore._backends.sync import SyncStream

    with _lock:
        if "httpcore" not in _done:
            _wrap(SyncStream, "read", _clamped, httpcore.ReadTimeout)
            _wrap(SyncStream, "write", _clamped, httpcore.WriteTimeout)
            _done.add("httpcore")


def install() -> None:
    """Bound every call through Prefect's own clients (once per process; imports Prefect)."""
    _patch_httpcore()
    from prefect.client import base

    with _lock:
        if "prefect" in _done:
            return
        _wrap(base.PrefectHttpxSyncClient, "send", _sync_send)
        _wrap(base.PrefectHttpxSyncClient, "_send_single_request", _sync_single)
        _wrap(base.PrefectHttpxAsyncClient, "send", _async_send)
        _wrap(base.PrefectHttpxAsyncClient, "_send_single_request", _async_single)
        base.time = _RetryClock()  # type: ignore[assignment]
        _done.add("prefect")


class BoundedClient(httpx.Client):
    """An httpx client whose every call is bounded as Prefect's are: ``total`` seconds,
    ``answer`` bytes (by default ``TOTAL`` and ``ANSWER_LIMIT``)."""

    def __init__(
        self, *, total: float | None = None, answer: int | None = None, **kwargs: Any
    ) -> None:
        _patch_httpcore()
        super().__init__(**kwargs)
        self._roadmap_bounds = Bounds(total, answer)

    send = _sync_send(httpx.Client.send)
    _send_single_request = _sync_single(httpx.Client._send_single_request)


class BoundedAsyncClient(httpx.AsyncClient):
    """The async ``BoundedClient``."""

    def __init__(
        self, *, total: float | None = None, answer: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._roadmap_bounds = Bounds(total, answer)

    send = _async_send(httpx.AsyncClient.send)
    _send_single_request = _async_single(httpx.AsyncClient._send_single_request)
