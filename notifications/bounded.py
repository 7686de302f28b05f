"""Outbound calls with an end: a total deadline for one send, and a ceiling on an answer's size.

A peer that answers a byte every few seconds never trips a read timeout (each byte resets
it), and one that answers 300 MB would be read whole into memory. So:

- ``deadline(seconds)`` around a send: every HTTP connection (urllib3, under ``requests``)
  and SMTP connection (``smtplib``, under apprise) opened in it is shut down when the time
  is up, which ends whatever read is waiting; the send then fails as on a broken connection
  and ``expired`` says why.
- ``bounded_post`` reads an HTTP answer as it comes, at most ``limit`` bytes (after any
  gzip or deflate, itself bounded), else raises ``AnswerTooLarge`` (a
  ``requests.RequestException``, so apprise's plugins count it as a failed send).

The hooks on urllib3's and smtplib's connection set-up act only inside ``deadline``;
elsewhere they pass through unchanged.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import threading
import zlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import requests
import urllib3.connection

ANSWER_LIMIT = 1024 * 1024  # a Bot API answer to one send is a few hundred bytes
_CHUNK = 64 * 1024


class AnswerTooLarge(requests.RequestException):
    """The peer's answer went past the ceiling; the rest was not read."""


class DeadlinePassed(requests.Timeout):
    """The send's total deadline passed while the answer was coming; what came is dropped."""


class Deadline:
    """One send's watch: the connections it opened, shut down together when time is up."""

    def __init__(self) -> None:
        self.expired = False
        self._closers: list[Callable[[], Any]] = []
        self._lock = threading.Lock()

    def watch(self, current_socket: Callable[[], socket.socket | None]) -> None:
        with self._lock:
            self._closers.append(current_socket)
            if self.expired:
                _shut(current_socket())

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for current_socket in self._closers:
                _shut(current_socket())


def _shut(sock: socket.socket | None) -> None:
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


_watch: ContextVar[Deadline | None] = ContextVar("roadmap_deadline", default=None)


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Connections opened inside are shut down ``seconds`` after entry, if still open."""
    watch = Deadline()
    timer = threading.Timer(seconds, watch.expire)
    timer.daemon = True
    token = _watch.set(watch)
    timer.start()
    try:
        yield watch
    finally:
        timer.cancel()
        _watch.reset(token)


_urllib3_new_conn = urllib3.connection.HTTPConnection._new_conn


def _watched_new_conn(self: urllib3.connection.HTTPConnection) -> socket.socket:
    sock = _urllib3_new_conn(self)
    watch = _watch.get()
    if watch is not None:  # the TLS socket replaces the plain one later: read it at expiry
        watch.watch(lambda: self.sock or sock)
    return sock


_smtp_get_socket = smtplib.SMTP._get_socket  # type: ignore[attr-defined]


def _watched_get_socket(self: smtplib.SMTP, host: str, port: int, timeout: float) -> Any:
    sock = _smtp_get_socket(self, host, port, timeout)
    watch = _watch.get()
    if watch is not None:  # STARTTLS replaces ``self.sock``: read it at expiry
        watch.watch(lambda: getattr(self, "sock", None) or sock)
    return sock


urllib3.connection.HTTPConnection._new_conn = _watched_new_conn  # type: ignore[method-assign]
smtplib.SMTP._get_socket = _watched_get_socket  # type: ignore[attr-defined]


def bounded_post(url: str, *, limit: int = ANSWER_LIMIT, **kwargs: Any) -> requests.Response:
    """``requests.post``, the answer read whole only if it is at most ``limit`` bytes.

    Raises:
        AnswerTooLarge: the answer (declared, raw or inflated) is past ``limit``.
        DeadlinePassed: the ``deadline`` around the call passed before the answer ended.
    """
    kwargs["stream"] = True
    answer = requests.post(url, **kwargs)
    try:
        declared = answer.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise AnswerTooLarge(f"answer of {declared} bytes")
        answer._content = _read(answer, limit)
    finally:
        answer.close()
    watch = _watch.get()
    if watch is not None and watch.expired:  # the shutdown reads as the answer's end
        raise DeadlinePassed("the send's deadline passed")
    return answer


def _read(answer: requests.Response, limit: int) -> bytes:
    encoding = answer.headers.get("Content-Encoding", "").strip().lower()
    inflate = zlib.decompressobj(47) if encoding in ("gzip", "deflate") else None
    body = bytearray()
    while chunk := answer.raw.read(_CHUNK, decode_content=False):
        if inflate is not None:
            try:
                chunk = inflate.decompress(chunk, limit + 1 - len(body))
            except zlib.error as exc:
                raise requests.exceptions.ContentDecodingError(str(exc)) from None
        body += chunk
        if len(body) > limit:
            raise AnswerTooLarge(f"answer past {limit} bytes")
    return bytes(body)
