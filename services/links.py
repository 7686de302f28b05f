"""Signed links as use cases: an intake link for one obligation and the organisation asked,
and a download link for one report file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from services.files import file_key
from services.runtime import Runtime
from services.status import obligation
from services.tokens import make_file_token


def obligation_link(rt: Runtime, *, obligation_id: str, org: str | None = None) -> str:
    """A signed intake link for ``obligation_id`` addressed to ``org`` (default: the lead).

    Raises:
        ValueError: no public address is set, or ``org`` has no part in the obligation.
        NotFound: no such obligation.
    """
    if rt.signer is None:
        raise ValueError("задайте ROADMAP_PUBLIC_BASE_URL — адрес страницы приёма документов")
    row = obligation(rt, obligation_id)
    target = org or row.lead
    program = rt.program
    bodies = {program.reporting_body(o) if o in program.orgs else o for o in row.owners}
    if target not in set(row.owners) | bodies:
        raise ValueError(f"--org: «{target}» не исполняет обязательство {row.id}")
    return rt.signer.link(row.id, target, now=rt.now())


def file_link(rt: Runtime, path: Path) -> str | None:
    """A signed, expiring download link for a report file, or None without a public address.

    The link names the file's owner (the program whose reports folder holds it, or the
    federal view) and its path under that folder, which is its key in the file store, and
    is signed with the owner's key; the web app serves that file from the store and
    nothing else (``intake/files.py``), whichever machine wrote it.

    Raises:
        ValueError: ``path`` is in no owner's reports folder.
    """
    found = file_key(rt, path)
    if found is None:
        raise ValueError(f"файл {path} лежит вне папок отчётов программ в {rt.reports_root}")
    if rt.signer is None:
        return None
    owner, relative = found
    key = rt.key_for(owner)
    assert key is not None  # file_key found the owner among those this runtime serves
    ttl = dt.timedelta(days=rt.settings.link_ttl_days)
    token = make_file_token(relative, owner=owner, key=key, now=rt.now(), ttl=ttl)
    return f"{rt.signer.base_url.rstrip('/')}/f/{token}"
