"""What a person types on the intake page goes through the one text rule, as an attacker
would try it: raw multipart bodies over a socket to a real uvicorn server on loopback."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from sqlmodel import select as sql_select

from intake.app import Intake
from storage.db import session_scope
from storage.tables import AuditRecord, EvidenceRecord, UsedLinkRecord
from tests.intake.test_server import connect, count, head, read_response, serving, status, text
from tests.storage.files import PDF

sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

# Each character the rule refuses, as the issue lists them: bidi overrides and isolates,
# zero-width, separators, marks, invisible operators, the soft hyphen, Hangul fillers.
HIDDEN = [
    "\u202e", "\u200b", "\u2066", "\u2069", "\u2028", "\ufeff", "\u200e", "\u200f",
    "\u061c", "\u180e", "\u00ad", "\u2061", "\u2064", "\u115f", "\u1160", "\u3164", "\uffa0",
]  # fmt: skip


def form(fields: dict[str, str], filename: str = "report.pdf") -> tuple[bytes, bytes]:
    """A multipart form as a hand-written client sends it: the fields, then one PDF."""
    boundary = b"xyzBOUNDARYxyz"
    parts = [
        f'Content-Disposition: form-data; name="{k}"\r\n\r\n'.encode() + v.encode()
        for k, v in {"action": "submit", **fields}.items()
    ]
    parts.append(
        b'Content-Disposition: form-data; name="files"; filename="'
        + filename.encode()
        + b'"\r\nContent-Type: application/pdf\r\n\r\n'
        + PDF
    )
    body = b"".join(b"--" + boundary + b"\r\n" + p + b"\r\n" for p in parts)
    return b"multipart/form-data; boundary=" + boundary, body + b"--" + boundary + b"--\r\n"


def post(port: int, url: str, fields: dict[str, str], filename: str = "report.pdf") -> bytes:
    content_type, body = form(fields, filename)
    sock = connect(port)
    try:
        sock.sendall(
            head("POST", url, {"Content-Type": content_type, "Content-Length": str(len(body))})
            + body
        )
        return read_response(sock)
    finally:
        sock.close()


@sqlite_only
def test_hidden_characters_in_any_typed_field_or_file_name_are_refused_and_nothing_stored(
    intake: Intake, link: Callable[..., str]
) -> None:
    url = link()
    intake.limiter.limit = 10_000  # the rate limit has its own tests; here every try counts
    fields = (
        "name",
        "comment",
        "explanation",
        "causes",
        "measures",
        "doc_type",
        "doc_number",
        "doc_title",
    )
    with serving(intake) as port:
        for ch in HIDDEN:
            for field in fields:
                given = {"name": "Козлова Т. Ю.", field: f"Козлова{ch} Т. Ю. (minsoc)"}
                response = post(port, url, given)
                assert status(response) == 400, (hex(ord(ch)), field, response[:300])
                assert f"U+{ord(ch):04X}" in html.unescape(text(response)), (hex(ord(ch)), field)
            response = post(port, url, {"name": "Козлова Т. Ю."}, f"отчёт{ch}.pdf")
            assert status(response) == 400, (hex(ord(ch)), "filename", response[:300])
        assert count(intake, EvidenceRecord) == 0 and count(intake, UsedLinkRecord) == 0
        # the same link then takes a clean submission: NFC and ordinary spaces recorded
        # no-break and em spaces; the Cyrillic «Ӓ» decomposed (А and a combining diaeresis)
        decomposed = "Козлова\u00a0Т. Ю.\u2003\u0410\u0308"
        response = post(port, url, {"name": decomposed, "comment": "строка 1\r\nстрока 2"})
        assert status(response) == 200, response[:300]
    with session_scope(intake.rt.engine) as s:
        (ev,) = s.exec(sql_select(EvidenceRecord)).all()
        actors = {a.actor for a in s.exec(sql_select(AuditRecord)).all()}
    assert ev.submitted_by.startswith("Козлова Т. Ю. \u04d2 (")
    assert ev.comment == "строка 1\nстрока 2"
    assert any(a.startswith("Козлова Т. Ю. \u04d2 (") for a in actors)


@sqlite_only
def test_a_name_of_a_hundred_thousand_characters_is_refused_in_russian(
    intake: Intake, link: Callable[..., str]
) -> None:
    with serving(intake) as port:
        response = post(port, link(), {"name": "Я" * 100_000})
    assert status(response) == 400
    assert "длиннее 200 символов" in html.unescape(text(response))
    assert count(intake, EvidenceRecord) == 0
