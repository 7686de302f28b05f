"""Two processes recording evidence for the same obligation at once: both become versions."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from sqlalchemy.engine import Engine

from storage.db import session_scope
from storage.evidence import list_evidence
from tests.storage.files import PDF, docx_bytes

OB = "6.1:2025-03"


def _submit(url: str, root: str, data: bytes, name: str, barrier: mp.synchronize.Barrier) -> None:
    import io

    from storage.db import make_engine, session_scope
    from storage.evidence import EvidenceStore, record_evidence
    from tests.db import at

    engine = make_engine(url)
    barrier.wait(timeout=30)  # both processes start writing at the same moment
    with session_scope(engine) as s:
        record_evidence(
            session=s, store=EvidenceStore(Path(root)), obligation_id=OB, stream=io.BytesIO(data),
            original_name=name, submitted_by=name, channel="cli", at=at("2025-04-03"),
            max_bytes=1 << 22,
        )  # fmt: skip


def test_two_processes_submitting_at_once_both_end_up_as_versions(
    synced: Engine, tmp_path: Path
) -> None:
    url = synced.url.render_as_string(hide_password=False)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [
        ctx.Process(target=_submit, args=(url, str(tmp_path), data, name, barrier))
        for data, name in ((PDF, "первый.pdf"), (docx_bytes(), "второй.docx"))
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    with session_scope(synced) as s:
        versions = list_evidence(session=s, obligation_id=OB)
    assert sorted(v.version for v in versions) == [1, 2]
    assert {v.original_name for v in versions} == {"первый.pdf", "второй.docx"}
