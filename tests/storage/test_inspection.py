"""The inspecting child process: its memory ceiling holds whatever the counts let through."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import inspection
from storage.errors import EvidenceRejected
from storage.file_types import DOCX
from tests.intake.hostile_files import dense_word


def test_a_file_within_the_counts_that_needs_more_than_the_ceiling_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dense = dense_word(tmp_path / "плотный.docx")
    # within every count, python-docx needs about 500 MB to open it: under the 1 GB ceiling
    assert inspection.inspect_evidence(dense, "плотный.docx") == DOCX
    # the same file under a 256 MB ceiling: the child cannot build it, and says so
    monkeypatch.setattr(inspection, "MEMORY_CEILING", 256 * 1024 * 1024)
    with pytest.raises(EvidenceRejected, match="не открывается"):
        inspection.inspect_evidence(dense, "плотный.docx")


def test_the_inspecting_process_gets_no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROADMAP_INTAKE_SECRET", "a-secret-the-child-must-not-see")
    env = inspection._environment()
    assert not any(name.startswith("ROADMAP_") for name in env)
    assert "a-secret-the-child-must-not-see" not in env.values()
