"""PostgreSQL restarted (for real) while a submission's transaction is open: the submission
is either all there (evidence, state, audit) or not at all, and writing goes on after."""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from storage.db import session_scope
from storage.evidence import EvidenceStore, record_evidence
from storage.tables import AuditRecord, EvidenceRecord, ObligationRecord
from tests.db import POSTGRES_URL, at
from tests.storage.files import pdf_bytes

OBLIGATIONS = [f"krasnoyarsk-2025-2026:6.1:2025-0{m}" for m in range(1, 7)]


def pdf(n: int) -> bytes:
    return pdf_bytes(f"submission {n}")


def restart_postgres() -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
                   check=True, timeout=120, capture_output=True)  # fmt: skip
    end = time.monotonic() + 60
    while True:
        try:
            psycopg.connect(POSTGRES_URL, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > end:
                raise
            time.sleep(0.2)


def submit(engine: Engine, store: EvidenceStore, n: int, hold: threading.Event | None = None,
           held: threading.Event | None = None) -> None:  # fmt: skip
    with session_scope(engine) as s:
        record_evidence(session=s, store=store, obligation_id=OBLIGATIONS[n], stream=io.BytesIO(pdf(n)),
                        original_name="отчёт.pdf", submitted_by="Петрова", channel="test",
                        at=at("2025-07-01", 11), max_bytes=10**6)  # fmt: skip
        if hold is not None and held is not None:
            held.set()  # the transaction is open, its rows written but not committed
            hold.wait(180)


def whole_or_absent(engine: Engine, store: EvidenceStore, n: int) -> bool:
    """True when the submission is all there, False when none of it is; fails when partial."""
    with session_scope(engine) as s:
        row = s.get(ObligationRecord, OBLIGATIONS[n])
        evidence = list(
            s.exec(select(EvidenceRecord).where(EvidenceRecord.obligation_id == OBLIGATIONS[n]))
        )
        audit = list(
            s.exec(select(AuditRecord).where(AuditRecord.entity_id == f"{OBLIGATIONS[n]}#1"))
        )
        assert row is not None
        there = [
            bool(evidence),
            row.state == "submitted",
            row.fulfilled_on is not None,
            bool(audit),
        ]
        assert len(set(there)) == 1, f"partial submission {OBLIGATIONS[n]}: {there}"
        for e in evidence:
            assert store.path_for(e.sha256).read_bytes() == pdf(n)
        return there[0]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.alone  # the restart ends every connection, the other processes' tests' too
@pytest.mark.skipif(shutil.which("pg_ctlcluster") is None, reason="needs the local cluster")
def test_a_restart_mid_transaction_leaves_the_submission_whole_or_absent(
    synced: Engine, tmp_path: Path
) -> None:
    store = EvidenceStore(tmp_path / "evidence")
    submit(synced, store, 0)
    hold, held, failures = threading.Event(), threading.Event(), []

    def flow() -> None:
        try:
            submit(synced, store, 1, hold, held)
        except DBAPIError as exc:
            failures.append(exc)

    thread = threading.Thread(target=flow)
    thread.start()
    assert held.wait(30)
    try:
        restart_postgres()
    finally:
        hold.set()
        thread.join(60)
    assert failures and failures[0].connection_invalidated, "the commit must fail, not hang"
    assert whole_or_absent(synced, store, 0) is True
    assert whole_or_absent(synced, store, 1) is False
    submit(synced, store, 1)  # the flow's retry, on a fresh connection
    submit(synced, store, 2)
    assert whole_or_absent(synced, store, 1) is True
    assert whole_or_absent(synced, store, 2) is True
