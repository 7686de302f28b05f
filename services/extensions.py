"""Deadline extensions as use cases: a request, the coordinator's decision, the list."""

from __future__ import annotations

import datetime as dt

from services.runtime import Runtime
from storage import obligations as stored
from storage.db import session_scope
from storage.tables import ExtensionRecord

__all__ = ["ExtensionRecord", "decide", "extensions", "request"]


def request(
    rt: Runtime, *, obligation_id: str, until: dt.date, reason: str, by: str, channel: str
) -> ExtensionRecord:
    """Ask for an obligation's due date to move to ``until``."""
    with session_scope(rt.engine) as s:
        return stored.request_extension(
            session=s,
            obligation_id=obligation_id,
            until=until,
            reason=reason,
            by=by,
            channel=channel,
            at=rt.now(),
        )


def decide(
    rt: Runtime, *, extension_id: int, approve: bool, comment: str | None, by: str, channel: str
) -> ExtensionRecord:
    """Approve (the due date moves, the ladder is planned anew) or refuse a request."""
    with session_scope(rt.engine) as s:
        return stored.decide_extension(
            session=s,
            extension_id=extension_id,
            approve=approve,
            by=by,
            comment=comment,
            channel=channel,
            at=rt.now(),
        )


def extensions(rt: Runtime) -> list[ExtensionRecord]:
    """Every request and its decision, oldest first."""
    with session_scope(rt.engine) as s:
        return stored.list_extensions(session=s)
