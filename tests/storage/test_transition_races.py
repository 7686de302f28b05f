"""Two processes changing one obligation's state at the same moment, for every pair of
transitions, 50 rounds a pair, on both backends.

Each round has an obligation of its own, brought to a state in which both transitions may
apply (through the storage functions, so its audit chain starts at «open»). Two spawned
processes then meet at a barrier before every round and act on it at once. Afterwards:
every audit row of the obligation's state is a legal transition from the previous row's
new state to its own, the last one is the stored state, the newest evidence version
agrees with the state, and every transition a process was told succeeded left its row.

PostgreSQL connections here commit without waiting for the disk (``synchronous_commit=off``):
locks and what each transaction sees are the same, only a crash could lose the newest
commits, and the rounds run several times faster.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import multiprocessing as mp
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from roadmap.obligations.states import Event, State, transition
from storage.db import session_scope
from storage.evidence import CheckedDocument, EvidenceStore, check_upload, record_evidence
from storage.obligations import change_state, request_extension
from storage.tables import AuditRecord, EvidenceRecord, ExtensionRecord, ObligationRecord
from tests.storage.files import PDF

ROUNDS = 50
TEMPLATE = "krasnoyarsk-2025-2026:6.1:2025-03"
AT = dt.datetime(2025, 4, 3, 3, 0, tzinfo=dt.UTC)
# Each round's obligation falls due a day after the previous one's, long before the program's
# own obligations: the sweep of round k (as of the day after its due date) reaches only the
# obligations of rounds up to k, never one still waiting for its round.
FIRST_DUE = dt.date(2020, 1, 1)
NEW_DUE = dt.date(2025, 12, 31)
MB = 1 << 20

# (first process, second process, the state both find)
PAIRS: list[tuple[str, str, str]] = [
    ("submit", "submit", "open"),
    ("submit", "accept", "submitted"),
    ("submit", "reject", "submitted"),
    ("submit", "na", "open"),
    ("submit", "extend", "overdue+request"),
    ("submit", "sweep", "open"),
    ("accept", "accept", "submitted"),
    ("accept", "reject", "submitted"),
    ("accept", "na", "submitted"),
    ("accept", "extend", "submitted+request"),
    ("accept", "sweep", "submitted"),
    ("reject", "reject", "submitted"),
    ("reject", "na", "submitted"),
    ("reject", "extend", "submitted+request"),
    ("reject", "sweep", "submitted"),
    ("na", "na", "open"),
    ("na", "extend", "overdue+request"),
    ("na", "sweep", "open"),
    ("extend", "extend", "overdue+request"),
    ("extend", "sweep", "open+request"),
    ("sweep", "sweep", "open"),
]


@dataclass(frozen=True)
class Round:
    ob: str
    actions: tuple[str, str]
    ext: int | None
    due: dt.date


@dataclass(frozen=True)
class Task:
    ob: str
    action: str
    ext: int | None
    due: dt.date


def _tasks(rounds: list[Round], side: int) -> list[Task]:
    return [Task(r.ob, r.actions[side], r.ext, r.due) for r in rounds]


def _engine(url: str) -> Engine:
    from storage.db import make_engine

    if url.startswith("sqlite"):
        return make_engine(url)
    return make_engine(url, connect_args={"options": "-c synchronous_commit=off"})


def _act(url: str, root: str, tasks: list[Task], barrier: Any, out: str) -> None:
    """One process: meet the other at the barrier, act, note what happened; every round."""
    from roadmap.errors import RoadmapError
    from storage.evidence import check_upload, review_evidence
    from storage.obligations import decide_extension, declare_not_applicable, mark_overdue

    engine = _engine(url)
    store = EvidenceStore(Path(root))
    rng = random.Random(hash(out))
    outcomes: list[str] = []
    # the file is received and inspected once, before the rounds, as the intake page checks
    # a file before it records it: what races is the recording (a recorded file is copied
    # from the checked one, which stays for the next round)
    document = check_upload(io.BytesIO(PDF), store=store, name="отчёт.pdf", max_bytes=MB)
    for task in tasks:
        ob, action = task.ob, task.action
        barrier.wait(timeout=60)
        time.sleep(rng.random() / 1000)  # up to a millisecond: either side may land first
        try:
            with session_scope(engine) as s:
                if action == "submit":
                    record_evidence(
                        session=s,
                        store=store,
                        obligation_id=ob,
                        stream=document,
                        original_name="отчёт.pdf",
                        submitted_by="исполнитель",
                        channel="test",
                        at=AT,
                        max_bytes=MB,
                    )
                elif action in ("accept", "reject"):
                    review_evidence(
                        session=s,
                        obligation_id=ob,
                        accept=action == "accept",
                        comment=None if action == "accept" else "исправить",
                        reviewer="куратор",
                        channel="test",
                        at=AT,
                    )
                elif action == "na":
                    declare_not_applicable(
                        session=s,
                        obligation_id=ob,
                        reason="не проводится",
                        by="исполнитель",
                        channel="test",
                        at=AT,
                    )
                elif action == "extend":
                    decide_extension(
                        session=s,
                        extension_id=task.ext or 0,
                        approve=True,
                        by="координатор",
                        comment=None,
                        channel="test",
                        at=AT,
                    )
                else:
                    mark_overdue(
                        session=s,
                        program_id=TEMPLATE.split(":")[0],
                        as_of=task.due + dt.timedelta(days=1),
                        at=AT,
                    )
            outcomes.append("ok")
        except (RoadmapError, ValueError) as exc:
            outcomes.append("refused:" + type(exc).__name__)
        except Exception as exc:  # anything else is what the test looks for
            outcomes.append(f"error:{type(exc).__name__}: {exc}")
    document.discard()
    Path(out).write_text(json.dumps(outcomes))


def _prepare(engine: Engine, store: EvidenceStore) -> list[Round]:
    """One obligation per round, in the state its pair starts from."""
    rounds: list[Round] = []
    # one checked file for every round that starts with a document in (see ``_act``)
    document = check_upload(io.BytesIO(PDF), store=store, name="отчёт.pdf", max_bytes=MB)
    with session_scope(engine) as s:
        template = s.get(ObligationRecord, TEMPLATE)
        assert template is not None
        base = template.model_dump()
        k = 0
        for first, second, start in PAIRS:
            for n in range(ROUNDS):
                due = FIRST_DUE + dt.timedelta(days=k)
                row = ObligationRecord(
                    **{
                        **base,
                        "id": f"{base['program_id']}:race-{first}-{second}:{n}",
                        "opens": due - dt.timedelta(days=30),
                        "due": due,
                        "program_due": due,
                        "ladder_since": due - dt.timedelta(days=30),
                    }
                )
                s.add(row)
                s.flush()
                ext = _bring_to(s, store, row, start, document)
                rounds.append(Round(row.id, (first, second), ext, due))
                k += 1
    document.discard()
    return rounds


def _bring_to(
    s: Session, store: EvidenceStore, row: ObligationRecord, start: str, document: CheckedDocument
) -> int | None:
    ext = None
    if "overdue" in start:
        change_state(session=s, row=row, event=Event.MARK_OVERDUE, actor="t", channel="t", at=AT)
    if "request" in start:
        ext = request_extension(
            session=s,
            obligation_id=row.id,
            until=NEW_DUE,
            reason="нет данных",
            by="t",
            channel="t",
            at=AT,
        ).id
    if "submitted" in start:
        record_evidence(
            session=s,
            store=store,
            obligation_id=row.id,
            stream=document,
            original_name="отчёт.pdf",
            submitted_by="t",
            channel="t",
            at=AT,
            max_bytes=MB,
        )
    return ext


def _check(s: Session, rnd: Round, outcomes: tuple[str, str]) -> list[str]:
    """What is wrong with one round's obligation (nothing: an empty list)."""
    ob = rnd.ob
    where = f"{ob} {outcomes}"
    row = s.get(ObligationRecord, ob)
    assert row is not None
    chain = list(
        s.exec(
            select(AuditRecord)
            .where(
                AuditRecord.entity == "obligation",
                AuditRecord.entity_id == ob,
                AuditRecord.field == "state",
            )
            .order_by(col(AuditRecord.id))
        )
    )
    problems: list[str] = []
    previous = State.OPEN.value
    for a in chain:
        if a.old != previous:
            problems.append(f"{where}: audit says {a.old}→{a.new}, but the state was {previous}")
        elif transition(a.old, Event(a.action)) != a.new:
            problems.append(f"{where}: {a.action} does not take {a.old} to {a.new}")
        previous = str(a.new)
    if previous != row.state:
        problems.append(f"{where}: the last event left {previous}, the row says {row.state}")
    latest = s.exec(
        select(EvidenceRecord)
        .where(EvidenceRecord.obligation_id == ob)
        .order_by(col(EvidenceRecord.version).desc())
    ).first()
    review = latest.review_state if latest else None
    expected_review = {
        State.SUBMITTED: "pending",
        State.ACCEPTED: "accepted",
        State.CLOSED_LATE: "accepted",
        State.REJECTED: "rejected",
    }.get(State(row.state))
    if expected_review != review and not (row.state in (State.OPEN, State.OVERDUE) and not latest):
        if not (row.state == State.NOT_APPLICABLE and review != "pending"):
            problems.append(f"{where}: state {row.state} with the newest document {review}")
    actions = Counter(a.action for a in chain)
    oks = Counter(
        action for action, outcome in zip(rnd.actions, outcomes, strict=True) if outcome == "ok"
    )
    setup_submits = int(actions[Event.SUBMIT] - oks["submit"])
    versions = len(
        list(s.exec(select(EvidenceRecord.id).where(EvidenceRecord.obligation_id == ob)))
    )
    counted = {
        "submit": (versions - (1 if setup_submits else 0), oks["submit"]),
        "accept": (actions[Event.ACCEPT] + actions[Event.ACCEPT_LATE], oks["accept"]),
        "reject": (actions[Event.REJECT], oks["reject"]),
        "na": (actions[Event.DECLARE_NA], oks["na"]),
    }
    if rnd.ext is not None:
        ext = s.get(ExtensionRecord, rnd.ext)
        assert ext is not None
        approvals = len(
            list(
                s.exec(
                    select(AuditRecord.id).where(
                        AuditRecord.entity == "extension",
                        AuditRecord.entity_id == str(ext.id),
                        AuditRecord.action == "extension_approved",
                    )
                )
            )
        )
        counted["extend"] = (approvals, oks["extend"])
        if (ext.state == "approved") != (row.due == NEW_DUE):
            problems.append(f"{where}: extension {ext.state}, due {row.due}")
    for action, (recorded, told) in counted.items():
        if recorded != told:
            problems.append(f"{where}: {told} {action} reported done, {recorded} recorded")
    return problems


def test_every_pair_of_transitions_racing_on_one_obligation_keeps_state_and_audit_whole(
    synced: Engine, tmp_path: Path
) -> None:
    store = EvidenceStore(tmp_path / "evidence")
    url = synced.url.render_as_string(hide_password=False)
    setup = _engine(url)
    rounds = _prepare(setup, store)
    setup.dispose()
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    outs = [tmp_path / f"side-{side}.json" for side in (0, 1)]
    procs = [
        ctx.Process(
            target=_act, args=(url, str(store.root), _tasks(rounds, side), barrier, str(outs[side]))
        )
        for side in (0, 1)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=600)
    assert [p.exitcode for p in procs] == [0, 0]
    first, second = (json.loads(o.read_text()) for o in outs)
    errors = [o for o in first + second if o.startswith("error:")]
    assert errors == []
    with session_scope(synced) as s:
        problems = [
            p
            for rnd, a, b in zip(rounds, first, second, strict=True)
            for p in _check(s, rnd, (a, b))
        ]
    assert problems == []
