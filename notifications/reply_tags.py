"""Reply tags signed and checked: the HMAC a letter's reply address carries.

The tag's form (``roadmap.reports.replies``) names the outbox message; its signature is the
first 80 bits of HMAC-SHA256 of ``reply-tag:<outbox id>`` with the program's key, in
lower-case base32, compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from roadmap.reports.replies import SIGNATURE_CHARS, ReplyTag

TAG_BYTES = SIGNATURE_CHARS * 5 // 8  # base32: 5 bits a character


def _signature(outbox_id: int, key: bytes) -> str:
    mac = hmac.new(key, f"reply-tag:{outbox_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(mac[:TAG_BYTES]).decode().lower()


def sign_reply_tag(outbox_id: int, key: bytes) -> ReplyTag:
    """The tag of the outbox message ``outbox_id``, signed with ``key``."""
    return ReplyTag(outbox_id, _signature(outbox_id, key))


def make_reply_tag(outbox_id: int, key: bytes) -> str:
    """The tag's text for the outbox message ``outbox_id``, signed with ``key``."""
    return sign_reply_tag(outbox_id, key).format()


def tag_holds(tag: ReplyTag, key: bytes) -> bool:
    """Whether ``tag``'s signature is the one ``key`` gives its outbox message."""
    return hmac.compare_digest(_signature(tag.outbox_id, key), tag.signature)
