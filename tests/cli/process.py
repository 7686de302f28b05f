"""The `roadmap` command as a person runs it: its own process, in a home of the test's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def roadmap(
    home: Path,
    *args: str,
    programs: str | Path | None = None,
    extra: dict[str, str] | None = None,
    umask: int | None = None,
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    """Run `roadmap *args` with ``ROADMAP_HOME=home`` on the default SQLite database
    (``programs``: ``ROADMAP_PROGRAMS``; ``umask``: the shell's, e.g. an ordinary 022)."""
    env = {**os.environ, "ROADMAP_HOME": str(home), **(extra or {})}
    env.pop("ROADMAP_DATABASE_URL", None)
    if programs is not None:
        env["ROADMAP_PROGRAMS"] = str(programs)
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=None if umask is None else lambda: os.umask(umask),
    )
