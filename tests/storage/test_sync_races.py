"""A program amendment synced while an executor hands in a document for an obligation the
amendment drops: 20 rounds on each backend, two spawned processes.

Each round the amendment (activity 6.1 becomes a single December 2026 activity) cancels
every monthly 6.1 obligation still owed, while the other process submits a document for
one of them, a little later by a random delay within the sync's own duration. Either the
document lands first, and the sync keeps it (submitted, marked dropped), or the sync does,
and the submission is refused. So that both orders happen on a busy machine too, every third
round gives the document a head start of twice the sync's duration and every third the
sync the same; the others are left to chance. Afterwards the state, the documents and the audit chain of
that obligation agree. The parent then syncs the program back (the cancelled ones reopen).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import multiprocessing as mp
import random
import time
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from roadmap.obligations.expansion import expand_obligations
from roadmap.obligations.states import Event, State, transition
from roadmap.program.loader import DEFAULT_PROGRAM, load_program
from roadmap.program.model import Program
from storage.db import session_scope
from storage.evidence import EvidenceStore
from storage.sync import program_version, sync_program
from storage.tables import AuditRecord, EvidenceRecord, ObligationRecord
from tests.storage.files import PDF

ROUNDS = 20
MONTHS = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)][:ROUNDS]
PROGRAM = "krasnoyarsk-2025-2026"
AT = dt.datetime(2025, 1, 10, 3, 0, tzinfo=dt.UTC)


def amended(program: Program) -> Program:
    """The program with activity 6.1 (monthly) made a single December 2026 activity."""
    data = program.model_dump()
    for a in data["activities"]:
        if a["number"] == "6.1":
            a["term"] = "декабрь 2026"
    return Program.model_validate(data)


def _engine(url: str) -> Engine:
    from storage.db import make_engine

    if url.startswith("sqlite"):
        return make_engine(url)
    return make_engine(url, connect_args={"options": "-c synchronous_commit=off"})


def _head_start(k: int, window: float) -> tuple[float, float] | None:
    """Round ``k``'s waits before acting, (sync, submission): the document's head start, the
    sync's, or None: the round is left to chance."""
    return ((2 * window, 0.0), (0.0, 2 * window), None)[k % 3]


def _sync_side(url: str, window: float, barrier: Any, out: str) -> None:
    """Each round: sync the amendment once both sides are at the barrier (and up to 30 ms,
    after its head start's wait)."""
    program = amended(load_program(DEFAULT_PROGRAM))
    obligations = expand_obligations(program)
    engine = _engine(url)
    rng = random.Random(3)
    outcomes: list[str] = []
    took: list[float] = []
    for k in range(ROUNDS):
        barrier.wait(timeout=60)
        chance = rng.random() * 0.03  # so that the document is sometimes first
        head_start = _head_start(k, window)
        time.sleep(chance if head_start is None else head_start[0])
        t = time.perf_counter()
        try:
            with session_scope(engine) as s:
                at = AT + dt.timedelta(minutes=2 * k + 1)
                sync_program(session=s, program=program, at=at, obligations=obligations)
            outcomes.append("ok")
        except Exception as exc:  # anything is what the test looks for
            outcomes.append(f"error:{type(exc).__name__}: {exc}")
        took.append(time.perf_counter() - t)
        barrier.wait(timeout=60)  # the parent checks and syncs the program back
        barrier.wait(timeout=60)
    Path(out).write_text(json.dumps({"outcomes": outcomes, "took": took}))


def _submit_side(url: str, root: str, window: float, barrier: Any, out: str) -> None:
    """Each round: submit a document for that round's month, after a random delay."""
    from roadmap.errors import RoadmapError
    from storage.evidence import check_upload, record_evidence

    engine = _engine(url)
    store = EvidenceStore(Path(root))
    rng = random.Random(7)
    outcomes: list[str] = []
    for k, month in enumerate(MONTHS):
        # the file is received and inspected first, as the intake page does, so that what
        # races the sync is the recording itself, not the inspection's child process
        document = check_upload(io.BytesIO(PDF), store=store, name="отчёт.pdf", max_bytes=1 << 20)
        barrier.wait(timeout=60)
        chance = rng.random() * window
        head_start = _head_start(k, window)
        time.sleep(chance if head_start is None else head_start[1])
        try:
            with session_scope(engine) as s:
                record_evidence(
                    session=s,
                    store=store,
                    obligation_id=f"{PROGRAM}:6.1:{month}",
                    stream=document,
                    original_name="отчёт.pdf",
                    submitted_by="исполнитель",
                    channel="test",
                    at=AT,
                    max_bytes=1 << 20,
                )
            outcomes.append("ok")
        except (RoadmapError, ValueError) as exc:
            outcomes.append("refused:" + type(exc).__name__)
        except Exception as exc:  # anything else is what the test looks for
            outcomes.append(f"error:{type(exc).__name__}: {exc}")
        finally:
            document.discard()
        barrier.wait(timeout=60)
        barrier.wait(timeout=60)
    Path(out).write_text(json.dumps(outcomes))


def _round(s: Session, ob: str, dropping: str) -> tuple[bool, list[str]]:
    """Whether the round's document was kept, and what disagrees about its obligation."""
    row = s.get(ObligationRecord, ob)
    assert row is not None
    chain = s.exec(
        select(AuditRecord)
        .where(AuditRecord.entity_id == ob, AuditRecord.field == "state")
        .order_by(col(AuditRecord.id))
    ).all()
    problems: list[str] = []
    previous: str | None = None
    for a in chain:
        if a.old != previous:
            problems.append(f"{ob}: audit says {a.old}→{a.new}, but the state was {previous}")
        elif a.old is not None and transition(a.old, Event(a.action)) != a.new:
            problems.append(f"{ob}: {a.action} does not take {a.old} to {a.new}")
        previous = None if a.new is None else str(a.new)
    if previous != row.state:
        problems.append(f"{ob}: the last event left {previous}, the row says {row.state}")
    documents = len(
        s.exec(select(EvidenceRecord.id).where(EvidenceRecord.obligation_id == ob)).all()
    )
    if (row.state, documents) not in ((State.SUBMITTED, 1), (State.CANCELLED, 0)):
        problems.append(f"{ob}: {row.state} with {documents} documents")
    if row.cancelled_in_version != dropping:
        problems.append(f"{ob}: not marked as dropped by the amendment")
    return documents == 1, problems


def test_an_amendment_synced_while_a_document_comes_in(synced: Engine, tmp_path: Path) -> None:
    original = load_program(DEFAULT_PROGRAM)
    dropping = program_version(amended(original))
    url = synced.url.render_as_string(hide_password=False)
    store = EvidenceStore(tmp_path / "evidence")
    # the sync's own duration on this machine: the submission lands anywhere inside it
    with session_scope(synced) as s:
        t = time.perf_counter()
        sync_program(session=s, program=amended(original), at=AT)
        window = time.perf_counter() - t
    with session_scope(synced) as s:
        sync_program(session=s, program=original, at=AT + dt.timedelta(seconds=30))

    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(3)
    outs = [str(tmp_path / "sync.json"), str(tmp_path / "submit.json")]
    procs = [
        ctx.Process(target=_sync_side, args=(url, window, barrier, outs[0])),
        ctx.Process(target=_submit_side, args=(url, str(store.root), window, barrier, outs[1])),
    ]
    for p in procs:
        p.start()
    problems: list[str] = []
    kept: list[bool] = []
    try:
        for k, month in enumerate(MONTHS):
            barrier.wait(timeout=120)  # both act
            barrier.wait(timeout=120)  # both done
            with session_scope(synced) as s:
                document, wrong = _round(s, f"{PROGRAM}:6.1:{month}", dropping)
                kept.append(document)
                problems += wrong
            with session_scope(synced) as s:
                at = AT + dt.timedelta(minutes=2 * k + 2)
                sync_program(session=s, program=original, at=at)
            barrier.wait(timeout=120)  # next round
    finally:
        for p in procs:
            p.join(timeout=120)
    synced_out = json.loads(Path(outs[0]).read_text())
    submitted = json.loads(Path(outs[1]).read_text())
    assert synced_out["outcomes"] == ["ok"] * ROUNDS
    assert problems == []
    assert [o == "ok" for o in submitted] == kept, submitted
    # both orders happened, or the rounds proved nothing about the race
    assert {"ok", "refused:EvidenceRejected"} <= set(submitted), submitted
