"""Fixtures shared by the rooms: contacts loaded, an SMTP server, Telegram and MAX Bot APIs, an
IMAP server (Dovecot, one per test session, emptied before each test that uses it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from roadmap.program.contacts import load_contacts
from roadmap.program.model import Program
from storage.contacts import replace_contacts
from storage.db import session_scope
from tests.conftest import REPO
from tests.db import SYNC_AT
from tests.mailserver import ImapServer, dovecot
from tests.peers import BotApi, MaxApi, SmtpServer, bot_api, max_api, smtp_server

CONTACTS = REPO / "examples" / "contacts.example.yaml"


@pytest.fixture
def with_contacts(synced: Engine, program: Program) -> Engine:
    with session_scope(synced) as s:
        replace_contacts(session=s, program_id=program.id, specs=load_contacts(CONTACTS, program),
                         by="test", at=SYNC_AT)  # fmt: skip
    return synced


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def telegram() -> Iterator[BotApi]:
    with bot_api() as api:
        yield api


@pytest.fixture
def max_bot() -> Iterator[MaxApi]:
    with max_api() as api:
        yield api


@pytest.fixture
def outbox_dir(tmp_path: Path) -> Path:
    return tmp_path / "outbox"


@pytest.fixture(scope="session")
def imap_server() -> Iterator[ImapServer]:
    with dovecot() as server:
        yield server


@pytest.fixture
def imap(imap_server: ImapServer) -> ImapServer:
    imap_server.empty()
    return imap_server
