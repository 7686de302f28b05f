"""The inspecting child process: its memory ceiling holds whatever the counts let through;
each file is opened in a child of one kept inspecting process, which a refusal, the clock or
its own death does not leave broken."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfWriter

from storage import inspection
from storage.errors import EvidenceRejected
from storage.file_types import DOCX, PDF
from tests.intake.hostile_files import dense_word, pdf_with_javascript


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


def _pdf(path: Path, text: str = "акт") -> Path:
    """A clean one-page PDF."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    with path.open("wb") as f:
        writer.write(f)
    return path


def test_files_are_opened_in_children_of_one_kept_inspecting_process(tmp_path: Path) -> None:
    good = _pdf(tmp_path / "акт.pdf")
    bad = tmp_path / "сценарий.pdf"
    bad.write_bytes(pdf_with_javascript())
    inspection.inspect_evidence(good, "акт.pdf")  # one is running, idle, from here on
    started = inspection.INSPECTORS.started
    for _ in range(3):
        assert inspection.inspect_evidence(good, "акт.pdf") == PDF
        with pytest.raises(EvidenceRejected, match="JavaScript"):
            inspection.inspect_evidence(bad, "сценарий.pdf")
    # a refused file ends its child only: the same inspecting process answered all six
    assert inspection.INSPECTORS.started == started


def test_the_clock_kills_the_child_and_keeps_the_inspecting_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _pdf(tmp_path / "акт.pdf")
    inspection.inspect_evidence(good, "акт.pdf")
    started = inspection.INSPECTORS.started
    monkeypatch.setattr(inspection, "WALL_SECONDS", 0)  # the clock has run out at the start
    with pytest.raises(EvidenceRejected, match="не удалось проверить за 0 с"):
        inspection.inspect_evidence(good, "акт.pdf")
    monkeypatch.undo()
    assert inspection.inspect_evidence(good, "акт.pdf") == PDF
    assert inspection.INSPECTORS.started == started


def test_an_inspecting_process_that_died_is_replaced_and_holds_no_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _pdf(tmp_path / "акт.pdf")
    monkeypatch.setenv("ROADMAP_INTAKE_SECRET", "a-secret-the-child-must-not-see")
    inspection.INSPECTORS.close()  # the next one starts with the secret in this environment
    inspection.inspect_evidence(good, "акт.pdf")
    [kept] = inspection.INSPECTORS._idle
    environ = Path(f"/proc/{kept.process.pid}/environ").read_bytes().split(b"\0")
    assert not any(v.startswith(b"ROADMAP_") or b"a-secret" in v for v in environ)
    started = inspection.INSPECTORS.started
    kept.process.kill()
    kept.process.wait()
    assert inspection.inspect_evidence(good, "акт.pdf") == PDF
    assert inspection.INSPECTORS.started == started + 1
