"""Signed links: intake links ``<base URL>/i/<token>``, bound to an obligation and an
organization, and file links ``<base URL>/f/<token>`` to one report file.

The token is ``<payload>.<signature>``: the payload (base64url JSON) names the obligation,
the recipient's organization, the expiry and a random nonce; the signature is HMAC-SHA256
of the payload with a secret key, compared in constant time. Anything altered, forged or
expired is refused with a reason a person can read. The nonce lets storage refuse a link
that was already used. A file link's payload names its kind (``"k": "file"``), its owner
(a program, or the federal view) and the file's path under the owner's reports folder
instead of an obligation: one kind of token is never read as the other.

Each owner may have a key of its own (a program's ``intake_secret``): a token is checked
with the key of the owner it names, so one region's key opens none of another's links.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from roadmap.errors import RoadmapError
from roadmap.obligations.keys import program_of


class InvalidLink(RoadmapError):
    """A link that cannot be honoured; ``reason`` is one of forged, expired, malformed."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class LinkClaims:
    obligation_id: str
    org: str
    expires: dt.datetime
    nonce: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(payload: str, key: bytes) -> str:
    return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())


def make_token(
    obligation_id: str,
    org: str,
    *,
    key: bytes,
    now: dt.datetime,
    ttl: dt.timedelta,
    nonce: str | None = None,
) -> str:
    """A signed token for ``obligation_id`` and ``org`` that expires ``ttl`` after ``now``."""
    body = {
        "o": obligation_id,
        "g": org,
        "e": int((now + ttl).timestamp()),
        "n": nonce or secrets.token_urlsafe(12),
    }
    payload = _b64(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{payload}.{_sign(payload, key)}"


# The key that signs an owner's links: a program's id (or «federal») → its key, None when the
# owner is not served here. One key for every owner is the plain ``bytes``.
Keys = bytes | Callable[[str], bytes | None]


def token_owner(body: dict[str, Any]) -> str:
    """Whose link a token's payload is: a file link names its owner, an intake link's owner
    is the program its obligation id starts with («<program>:<activity>:<period>»)."""
    if body.get("k") == "file":
        return str(body.get("g", ""))
    return program_of(str(body.get("o", "")))


def _signed_body(token: str, key: Keys) -> dict[str, Any]:
    """The payload of a token whose signature holds, under its owner's key.

    The payload is read before the signature is checked only to learn whose key to check it
    with; a token whose owner has no key here is as good as forged.

    Raises:
        InvalidLink: malformed, or forged or altered (signature mismatch).
    """
    payload, dot, signature = token.partition(".")
    if not dot or not payload or not signature or len(token) > 2000 or not token.isascii():
        raise InvalidLink("ссылка повреждена", "malformed")
    try:
        body = json.loads(_unb64(payload))
    except (ValueError, binascii.Error):
        body = None
    chosen = key if isinstance(key, bytes) else None
    if not isinstance(key, bytes) and isinstance(body, dict):
        chosen = key(token_owner(body))
    if chosen is None or not hmac.compare_digest(_sign(payload, chosen), signature):
        raise InvalidLink("ссылка недействительна: подпись не совпадает", "forged")
    if not isinstance(body, dict):
        raise InvalidLink("ссылка повреждена", "malformed")
    return body


def read_token(token: str, *, key: Keys, now: dt.datetime) -> LinkClaims:
    """The claims of a valid intake token.

    Raises:
        InvalidLink: malformed (or a token of another kind), forged or altered (signature
            mismatch), or expired.
    """
    body = _signed_body(token, key)
    if body.get("k", "intake") != "intake":
        raise InvalidLink("ссылка повреждена", "malformed")
    try:
        claims = LinkClaims(
            obligation_id=str(body["o"]),
            org=str(body["g"]),
            expires=dt.datetime.fromtimestamp(int(body["e"]), dt.UTC),
            nonce=str(body["n"]),
        )
    except (ValueError, KeyError, TypeError):
        raise InvalidLink("ссылка повреждена", "malformed") from None
    if now >= claims.expires:
        raise InvalidLink(f"срок действия ссылки истёк {claims.expires:%d.%m.%Y}", "expired")
    return claims


@dataclass(frozen=True)
class FileClaims:
    owner: str  # the program's id, or «federal»: whose reports folder the file is in
    path: str  # relative to the owner's reports folder, with «/» between parts
    expires: dt.datetime


def make_file_token(
    path: str, *, owner: str, key: bytes, now: dt.datetime, ttl: dt.timedelta
) -> str:
    """A signed token for the report file at ``path`` (relative to ``owner``'s reports
    folder, «/»-separated), signed with ``owner``'s key."""
    body = {"k": "file", "g": owner, "p": path, "e": int((now + ttl).timestamp())}
    payload = _b64(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{payload}.{_sign(payload, key)}"


def read_file_token(token: str, *, key: Keys, now: dt.datetime) -> FileClaims:
    """The claims of a valid file token.

    Raises:
        InvalidLink: malformed (or a token of another kind), forged or altered, or expired.
    """
    body = _signed_body(token, key)
    if body.get("k") != "file":
        raise InvalidLink("ссылка повреждена", "malformed")
    try:
        claims = FileClaims(
            owner=str(body["g"]),
            path=str(body["p"]),
            expires=dt.datetime.fromtimestamp(int(body["e"]), dt.UTC),
        )
    except (ValueError, KeyError, TypeError):
        raise InvalidLink("ссылка повреждена", "malformed") from None
    if now >= claims.expires:
        raise InvalidLink(f"срок действия ссылки истёк {claims.expires:%d.%m.%Y}", "expired")
    return claims


def link_maker(
    *, base_url: str, key: bytes, now: dt.datetime, ttl: dt.timedelta
) -> Callable[[str, str], str]:
    """The intake link for (obligation, organization): ``<base_url>/i/<token>``.

    Production and the simulation both build their messages' links with this, from the
    public address of the intake page (``ROADMAP_PUBLIC_BASE_URL``).
    """
    base = base_url.rstrip("/")

    def link(obligation_id: str, org: str) -> str:
        return f"{base}/i/{make_token(obligation_id, org, key=key, now=now, ttl=ttl)}"

    return link
