"""Intake tests: the app over the synced program (both backends), a fixed clock, test limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from intake.app import Intake, create_app
from intake.limits import RateLimiter
from roadmap.program.model import Program
from services.runtime import Runtime
from services.settings import Settings
from services.tokens import make_token
from tests.db import at

KEY = b"test-intake-key"
NOW = at("2025-07-10", 11)


@pytest.fixture
def intake(with_contacts: Engine, program: Program, tmp_path: Path) -> Intake:
    settings = Settings(
        home=tmp_path,
        intake_secret=SecretStr(KEY.decode()),
        max_upload_mb=1,
        intake_max_files=3,
        intake_max_request_mb=2,
        mail_from="r@example.org",
        prefect_api_url=None,
        public_base_url=None,
    )
    rt = Runtime(
        settings,
        clock=lambda: NOW,
        program_override=program,
        engine_override=with_contacts,
        offline=True,
    )
    return Intake(rt=rt, limiter=RateLimiter(20))


@pytest.fixture
def client(intake: Intake) -> TestClient:
    return TestClient(create_app(intake, max_request_bytes=2 * 1024 * 1024))


@pytest.fixture
def link() -> Callable[..., str]:
    def make(obligation: str = "krasnoyarsk-2025-2026:6.1:2025-06", org: str = "minzdrav",
             now: dt.datetime = NOW, days: int = 30, key: bytes = KEY) -> str:  # fmt: skip
        return "/i/" + make_token(obligation, org, key=key, now=now, ttl=dt.timedelta(days=days))

    return make
