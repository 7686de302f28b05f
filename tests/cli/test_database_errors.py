"""A database URL's password never reaches a message: the command line's errors, read whole."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PASSWORD = "S3cret%2FPassw0rd"  # percent-encoded in the URL: «S3cret/Passw0rd» in clear


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://roadmap:{PASSWORD}@127.0.0.1:1/roadmap",  # nothing listens there
        f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/no_such_database_x",  # no database
        f"postgresql://roadmap:{PASSWORD}@127.0.0.1:port/roadmap",  # not a URL at all
    ],
    ids=["refused", "no-database", "unreadable"],
)
def test_a_failing_database_url_is_named_without_its_password(tmp_path: Path, url: str) -> None:
    env = {**os.environ, "ROADMAP_HOME": str(tmp_path), "ROADMAP_DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "status", "--as-of", "2025-03-10"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "база данных недоступна" in output and "roadmap:***@" in output.replace(
        "postgres:***@", "roadmap:***@"
    )
    for form in (PASSWORD, "S3cret/Passw0rd", "S3cret"):
        assert form not in output
    assert "Traceback" not in output
