"""Command-line tests run the real app against a fresh ROADMAP_HOME (SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from services import runtime as services_runtime


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("ROADMAP_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ROADMAP_DATABASE_URL", raising=False)
    services_runtime.reset()
    yield tmp_path / "home"
    services_runtime.reset()
