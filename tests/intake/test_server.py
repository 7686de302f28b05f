"""The intake page behind a real uvicorn server on a free port, driven through raw sockets.

The server is configured exactly as ``roadmap intake`` configures it (``intake.server``),
over the test app of ``conftest`` (both backends). Every loop here is bounded in time.
"""

from __future__ import annotations

import json
import logging
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from sqlmodel import func
from sqlmodel import select as sql_select

from intake.app import Intake, create_app
from intake.limits import BodySlots
from intake.server import HEADER_TIMEOUT, MAX_WAITING, server_config
from storage.db import session_scope
from storage.tables import EvidenceRecord, UsedLinkRecord
from tests.peers import free_port
from tests.storage.files import PDF

LIMIT = 2 * 1024 * 1024
log = logging.getLogger(__name__)
# timing tests that do not depend on the database run on one backend only
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@contextmanager
def serving(intake: Intake, body_deadline: float | None = None) -> Iterator[int]:
    """The app served by uvicorn in a thread, as ``roadmap intake`` serves it (a body's total
    deadline shortened if given)."""
    port = free_port()
    app = create_app(intake, max_request_bytes=LIMIT)
    if body_deadline is not None:
        app.body_deadline = body_deadline  # type: ignore[attr-defined]
    server = uvicorn.Server(server_config(app, "127.0.0.1", port, log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    end = time.monotonic() + 20
    while not server.started and time.monotonic() < end:
        time.sleep(0.05)
    assert server.started
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(30)


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def read_response(sock: socket.socket, timeout: float = 10) -> bytes:
    """Everything the server sends until it closes or ``timeout`` passes with nothing new."""
    sock.settimeout(timeout)
    out = b""
    try:
        while chunk := sock.recv(65536):
            out += chunk
            if b"\r\n\r\n" in out and _complete(out):
                break
    except (TimeoutError, ConnectionResetError):
        pass
    return out


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1") else 0


def text(response: bytes) -> str:
    return response.partition(b"\r\n\r\n")[2].decode("utf-8", "replace")


def closed_by_server(sock: socket.socket, timeout: float) -> bool:
    """Whether the server closes ``sock`` within ``timeout`` seconds (data before EOF is read)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ready, _, _ = select.select([sock], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            return False
        try:
            if not sock.recv(65536):
                return True
        except ConnectionResetError:
            return True
    return False


def multipart(name: str = "Козлова Т. Ю.") -> tuple[bytes, bytes]:
    """A form with a name and one PDF: (content type, body)."""
    boundary = b"xyzBOUNDARYxyz"
    parts = [
        b'Content-Disposition: form-data; name="action"\r\n\r\nsubmit',
        b'Content-Disposition: form-data; name="name"\r\n\r\n' + name.encode(),
        b'Content-Disposition: form-data; name="files"; filename="report.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + PDF,
    ]
    body = b"".join(b"--" + boundary + b"\r\n" + p + b"\r\n" for p in parts)
    body += b"--" + boundary + b"--\r\n"
    return b"multipart/form-data; boundary=" + boundary, body


def head(method: str, path: str, headers: dict[str, str | bytes]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: intake.test"]
    for k, v in headers.items():
        lines.append(k.encode() + b": " + (v if isinstance(v, bytes) else v.encode()))
    return b"\r\n".join(lines) + b"\r\n\r\n"


def count(intake: Intake, table: Any) -> int:
    with session_scope(intake.rt.engine) as s:
        return int(s.exec(sql_select(func.count()).select_from(table)).one())


def test_a_non_ascii_token_gets_a_russian_refusal_not_a_500(
    intake: Intake, link: Callable[..., str]
) -> None:
    with serving(intake) as port:
        signature_ya = link()[:-2] + "%D1%8F"  # «я» in the signature, as a browser sends it
        for path in (signature_ya, "/i/%D1%82%D0%BE%D0%BA%D0%B5%D0%BD.x"):
            sock = connect(port)
            sock.sendall(head("GET", path, {"Connection": "close"}))
            response = read_response(sock)
            sock.close()
            assert status(response) == 403, (path, response[:200])
            assert "Ссылка недействительна" in text(response)
        # the raw UTF-8 bytes of «я» in the request line: h11 refuses it, in Russian too
        sock = connect(port)
        sock.sendall(b"GET /i/\xd1\x8f.x HTTP/1.1\r\nHost: a\r\n\r\n")
        response = read_response(sock)
        sock.close()
        assert status(response) == 400 and "Запрос не распознан" in text(response)


def test_a_chunked_body_over_the_limit_is_refused_with_a_russian_413(
    intake: Intake, link: Callable[..., str]
) -> None:
    """No Content-Length at all: the limit is counted on the bytes as they arrive."""
    content_type, form = multipart()
    body = form.replace(PDF, PDF + b"0" * (3 * 1024 * 1024))
    with serving(intake) as port:
        sock = connect(port)
        chunked = {"Content-Type": content_type, "Transfer-Encoding": "chunked"}
        sock.sendall(head("POST", link(), chunked))
        sent, response = 0, b""
        for start in range(0, len(body), 64 * 1024):
            piece = body[start : start + 64 * 1024]
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
            if select.select([sock], [], [], 0.005)[0]:  # the server answered mid-upload
                break
        response = read_response(sock)
        sock.close()
    assert status(response) == 413, response[:300]
    assert "Слишком большой запрос" in text(response)
    assert LIMIT < sent < len(body)  # refused once past the limit, before the end
    assert count(intake, EvidenceRecord) == 0


def test_a_false_content_length_gets_a_russian_4xx(
    intake: Intake, link: Callable[..., str]
) -> None:
    """Declared shorter than sent: the form is cut where the length says and refused."""
    content_type, form = multipart()
    with serving(intake) as port:
        sock = connect(port)
        short = head("POST", link(), {"Content-Type": content_type, "Content-Length": "100"})
        sock.sendall(short + form)
        response = read_response(sock)
        sock.close()
    page = text(response)
    assert status(response) == 400 and 'lang="ru"' in page, response[:300]
    assert "Не сохранено ничего" in page or "Форма не распознана" in page
    assert count(intake, EvidenceRecord) == 0


def test_two_submissions_through_one_link_at_once_one_wins_the_other_gets_410(
    intake: Intake, link: Callable[..., str]
) -> None:
    """Both requests pass the link check before either is stored (their bodies are held back
    until both are in), then both bodies complete at once."""
    url = link()
    content_type, form = multipart()
    with serving(intake) as port:
        socks = [connect(port) for _ in range(2)]
        for sock in socks:
            sock.sendall(
                head("POST", url, {"Content-Type": content_type, "Content-Length": str(len(form))})
                + form[:100]
            )
        time.sleep(1.0)  # both are now past the link check, waiting for the rest of the form
        for sock in socks:
            sock.sendall(form[100:])
        responses = [read_response(sock) for sock in socks]
        for sock in socks:
            sock.close()
    assert sorted(status(r) for r in responses) == [200, 410], [r[:200] for r in responses]
    loser = next(r for r in responses if status(r) == 410)
    assert "Ссылка уже использована" in text(loser)
    assert count(intake, EvidenceRecord) == 1 and count(intake, UsedLinkRecord) == 1


@sqlite_only
def test_an_upload_dripping_a_byte_every_three_seconds_is_cut_after_a_few_bytes(
    intake: Intake, link: Callable[..., str]
) -> None:
    content_type, form = multipart()
    with serving(intake) as port:
        sock = connect(port)
        sock.sendall(
            head("POST", link(), {"Content-Type": content_type, "Content-Length": str(len(form))})
        )
        response = b""
        sent = 0
        for byte in form[:40]:  # a hang guard: 40 bytes at one per three seconds is two minutes
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += 1
            if select.select([sock], [], [], 3.0)[0]:
                response = read_response(sock)
                break
        sock.close()
    log.info("drip upload cut after %d bytes", sent)
    assert status(response) == 408 and "слишком медленно" in text(response), response[:300]
    # cut by the body's deadline (20 s with no data), not by the form's end: at one byte per
    # three seconds that is some seven bytes; the bound leaves room for a slow machine
    assert sent < 20
    assert count(intake, EvidenceRecord) == 0


@sqlite_only
def test_a_request_head_dripping_is_cut_after_the_header_timeout(intake: Intake) -> None:
    with serving(intake) as port:
        sock = connect(port)
        sock.sendall(b"GET /i/x HTTP/1.1\r\n")
        closed = False
        sent = 0
        while sent < 2 * HEADER_TIMEOUT and not closed:  # a hang guard: twice the timeout
            try:
                sock.sendall(b"X")  # one header byte every two seconds
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            sent += 1
            closed = closed_by_server(sock, 2.0)
        sock.close()
    log.info("dripping request head cut after %d bytes", sent)
    # cut by the header deadline: about HEADER_TIMEOUT / 2 bytes at one per two seconds
    assert closed and sent < HEADER_TIMEOUT


@sqlite_only
def test_two_hundred_half_open_connections_do_not_deny_a_real_user(
    intake: Intake, link: Callable[..., str]
) -> None:
    with serving(intake) as port:
        idle = [connect(port) for _ in range(100)]  # connect and say nothing
        partial = [connect(port) for _ in range(100)]  # start a request head, never finish it
        for sock in partial:
            sock.sendall(b"POST /i/x HTTP/1.1\r\nHost: a\r\nContent-Length: 999999\r\n")
        began = time.monotonic()
        user = connect(port)
        user.sendall(head("GET", link(), {"Connection": "close"}))
        response = read_response(user)
        served_in = time.monotonic() - began
        user.close()
        assert status(response) == 200 and "Мониторинг численности" in text(response)
        assert served_in < 2
        # every half-open connection is closed by the server: the oldest when newer ones
        # came past the cap, the rest when their head timed out
        end = time.monotonic() + HEADER_TIMEOUT + 5
        still_open = list(idle + partial)
        while still_open and time.monotonic() < end:
            still_open = [s for s in still_open if not closed_by_server(s, 0.01)]
            time.sleep(0.2)
        for sock in idle + partial:
            sock.close()
    log.info("200 half-open connections; a real user served in %.2f s", served_in)
    assert not still_open, f"{len(still_open)} half-open connections left open"


@sqlite_only
def test_a_refusal_before_the_body_closes_the_connection(intake: Intake) -> None:
    """A forged link is refused at once; the client cannot go on trickling a body into it."""
    with serving(intake) as port:
        sock = connect(port)
        sock.sendall(head("POST", "/i/forged.token", {"Content-Length": "100000"}) + b"x" * 10)
        response = read_response(sock)
        assert status(response) == 403 and "connection: close" in response.decode().lower()
        assert closed_by_server(sock, 3)
        sock.close()


@sqlite_only
def test_the_cap_on_waiting_connections_closes_the_oldest_first(intake: Intake) -> None:
    with serving(intake) as port:
        socks = [connect(port) for _ in range(MAX_WAITING + 10)]
        time.sleep(0.5)
        closed = [closed_by_server(s, 0.05) for s in socks]
        for sock in socks:
            sock.close()
    assert closed[:10] == [True] * 10 and not any(closed[10:])


def connect_from(source: str, port: int) -> socket.socket:
    """A connection from another loopback address: to the server, another client."""
    return socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))


@sqlite_only
def test_three_hundred_trickling_uploads_from_one_address_do_not_deny_another(
    intake: Intake, link: Callable[..., str]
) -> None:
    """The attack: 300 POSTs through 15 valid links at 600 B/s each, from 127.0.0.2, in a
    process of their own; a person at 127.0.0.3 then opens a link and sends a document."""
    links = [link() for _ in range(15)]  # 20 requests a link in the test limiter: 300
    with serving(intake) as port:
        attacker = subprocess.Popen(
            [sys.executable, "-m", "tests.intake.trickler", str(port), "127.0.0.2", "300", "120"]
            + links,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            opened = json.loads(attacker.stdout.readline())  # type: ignore[union-attr]
            user = connect_from("127.0.0.3", port)
            user.sendall(head("GET", link(), {"Connection": "close"}))
            page = read_response(user)
            user.close()
            content_type, form = multipart()
            upload = connect_from("127.0.0.3", port)
            upload.sendall(
                head(
                    "POST", link(), {"Content-Type": content_type, "Content-Length": str(len(form))}
                )
                + form
            )
            sent = read_response(upload)
            upload.close()
            held = json.loads(attacker.stdout.readline())  # type: ignore[union-attr]
        finally:
            attacker.kill()
            attacker.wait(10)
    log.info("attacker: %s at first, then %s", opened, held)
    assert status(page) == 200 and "Мониторинг численности" in text(page), page[:300]
    assert status(sent) == 200 and "Спасибо" in text(sent), sent[:300]
    assert count(intake, EvidenceRecord) == 1
    # the attacker keeps at most its eight places; every other upload was refused at once
    # with a 429 (the connection then closed; one still sending sees a reset instead)
    refused = held["statuses"].get("429", 0) + held["statuses"].get("reset", 0)
    assert held["open"] <= 8 and refused >= 292 and held["statuses"]["429"] > 0, held


@sqlite_only
def test_an_upload_faster_than_the_floor_is_cut_at_its_total_deadline(
    intake: Intake, link: Callable[..., str]
) -> None:
    """600 B/s never falls behind the pace rule; the body's total deadline (here 3 s instead
    of 30 minutes) ends it all the same."""
    content_type, form = multipart()
    padded = form.replace(b"%PDF", b"%PDF" + b" " * 40_000, 1)
    with serving(intake, body_deadline=3) as port:
        sock = connect(port)
        sock.sendall(
            head("POST", link(), {"Content-Type": content_type, "Content-Length": str(len(padded))})
        )
        response, sent = b"", 0
        while sent < len(padded) and not response:  # a hang guard: the whole body is 70 s
            try:
                sock.sendall(padded[sent : sent + 300])
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += 300
            if select.select([sock], [], [], 0.5)[0]:
                response = read_response(sock)
        sock.close()
    log.info("a body at 600 B/s cut after %d of %d bytes", sent, len(padded))
    assert status(response) == 408 and "слишком медленно" in text(response), response[:300]
    assert sent < len(padded) and count(intake, EvidenceRecord) == 0


@pytest.mark.parametrize(
    ("held", "client", "outcome"),
    [
        ({}, "a", None),
        ({"a": 7}, "a", None),
        ({"a": 8}, "a", 429),  # one address: eight bodies at most
        ({"a": 8, "b": 8, "c": 8, "d": 8, "e": 7}, "e", 503),  # 39 of 40: the reserve
        ({"a": 8, "b": 8, "c": 8, "d": 8, "e": 7}, "f", None),  # a newcomer takes it
        ({"a": 8, "b": 8, "c": 8, "d": 8, "e": 8}, "f", 503),  # all 40 taken
    ],
)
def test_body_slots_keep_a_reserve_for_an_address_sending_nothing(
    held: dict[str, int], client: str, outcome: int | None
) -> None:
    slots = BodySlots(per_client=8, total=40, reserve=10)
    slots.held = dict(held)
    assert slots.take(client) == outcome
