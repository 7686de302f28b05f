"""The evidence disk full or read-only (a real small tmpfs, remounted read-only): the upload
is refused with a clear message, and storage and files stay as they were."""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from storage.db import session_scope
from storage.errors import EvidenceRejected
from storage.evidence import EvidenceStore, record_evidence
from storage.tables import EvidenceRecord, ObligationRecord
from tests.db import at
from tests.storage.files import PDF, pdf_bytes

OB = "krasnoyarsk-2025-2026:6.1:2025-03"


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs for the evidence store, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    root = tmp_path / "evidence"
    root.mkdir()
    mount("-t", "tmpfs", "-o", "size=256k", "tmpfs", str(root))
    try:
        yield root
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False, timeout=30)


def pdf(size: int) -> bytes:
    """A valid PDF of about ``size`` bytes, distinct each time (random padding)."""
    return pdf_bytes(os.urandom(size // 2).hex()[: max(0, size - len(PDF) - 3)])


def submit(engine: Engine, store: EvidenceStore, data: bytes) -> EvidenceRecord:
    with session_scope(engine) as s:
        return record_evidence(session=s, store=store, obligation_id=OB, stream=io.BytesIO(data),
                               original_name="отчёт.pdf", submitted_by="Петрова", channel="test",
                               at=at("2025-04-01", 11), max_bytes=10 * 2**20)  # fmt: skip


def state(engine: Engine) -> tuple[str, int]:
    with session_scope(engine) as s:
        row = s.get(ObligationRecord, OB)
        assert row is not None
        versions = len(
            list(s.exec(select(EvidenceRecord).where(EvidenceRecord.obligation_id == OB)))
        )
        return row.state, versions


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_full_disk_refuses_the_upload_and_keeps_storage_consistent(
    synced: Engine, small_disk: Path
) -> None:
    store = EvidenceStore(small_disk)
    with pytest.raises(EvidenceRejected, match="нет места для хранения документов"):
        submit(synced, store, pdf(600 * 1024))
    assert state(synced) == ("open", 0)
    assert files(small_disk) == []  # no half-written file, no temporary left behind
    first = submit(synced, store, pdf(20 * 1024))  # what fits still goes in
    assert state(synced) == ("submitted", 1)
    assert store.path_for(first.sha256).exists()


def test_a_read_only_disk_refuses_the_upload_and_keeps_storage_consistent(
    synced: Engine, small_disk: Path
) -> None:
    store = EvidenceStore(small_disk)
    kept = submit(synced, store, pdf(10 * 1024))
    before = files(small_disk)
    mount("-o", "remount,ro", str(small_disk))
    with pytest.raises(EvidenceRejected, match="недоступно для записи"):
        submit(synced, store, pdf(12 * 1024))
    assert state(synced) == ("submitted", 1)
    assert files(small_disk) == before
    assert store.path_for(kept.sha256).exists()
