"""Intake tests: the app over the synced program (both backends), a fixed clock, test limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from intake.app import Intake, create_app
from intake.limits import RateLimiter
from notifications.delivery import make_transports
from roadmap.links import make_token
from roadmap.program import Program
from roadmap.workdays import get_calendar
from storage.evidence import EvidenceStore
from tests.db import at

KEY = b"test-intake-key"
NOW = at("2025-07-10", 11)


@pytest.fixture
def intake(with_contacts: Engine, program: Program, tmp_path: Path) -> Intake:
    return Intake(
        engine=with_contacts, program=program, calendar=get_calendar(), key=KEY,
        store=EvidenceStore(tmp_path / "evidence"), max_file_bytes=1024 * 1024, max_files=3,
        margin=0.05, limiter=RateLimiter(20), prefect_api_url=None,
        transports=make_transports(outbox_dir=tmp_path / "outbox", smtp_url=None, telegram_token=None,
                                   telegram_api_url="x", mail_from="r@example.org"),
        clock=lambda: NOW,
    )  # fmt: skip


@pytest.fixture
def client(intake: Intake) -> TestClient:
    return TestClient(create_app(intake, max_request_bytes=2 * 1024 * 1024))


@pytest.fixture
def link() -> Callable[..., str]:
    def make(obligation: str = "krasnoyarsk-2025-2026:6.1:2025-06", org: str = "minzdrav",
             now: dt.datetime = NOW, days: int = 30, key: bytes = KEY) -> str:  # fmt: skip
        return "/i/" + make_token(obligation, org, key=key, now=now, ttl=dt.timedelta(days=days))

    return make
