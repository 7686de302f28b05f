"""The file store on both databases, in the database and in a shared folder: bytes by hash,
streamed in chunks, named per owner, never lost to a race."""

from __future__ import annotations

import hashlib
import io
import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.db import session_scope
from storage.errors import FileRefused, NotFound
from storage.file_tables import FileBlobRecord, FileChunkRecord
from storage.files import (
    CHUNK,
    DATABASE,
    DIRECTORY,
    FileStore,
    Received,
    blob_problem,
    find_file,
    list_files,
    put_file,
    read_blob,
    receive,
)
from storage.tables import AuditRecord
from tests.db import at

NOW = at("2025-08-01")
PROGRAM = "krasnoyarsk-2025-2026"


@pytest.fixture(params=[DATABASE, DIRECTORY])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> FileStore:
    if request.param == DATABASE:
        return FileStore(scratch=tmp_path / "scratch")
    return FileStore(root=tmp_path / "shared")


def _put(engine: Engine, store: FileStore, data: bytes, *, owner: str = PROGRAM,
         path: str = "on-demand/2025-08-01/svod.docx") -> str:  # fmt: skip
    received = receive(io.BytesIO(data), store=store, max_bytes=10 * CHUNK)
    try:
        with session_scope(engine) as s:
            entry = put_file(session=s, store=store, owner=owner, path=path, received=received,
                             actor="test", channel="test", at=NOW)  # fmt: skip
            return entry.sha256
    finally:
        received.discard()


def test_a_file_of_several_chunks_reads_back_whole_in_chunks(
    engine: Engine, store: FileStore
) -> None:
    data = bytes(range(256)) * (CHUNK * 2 // 256) + b"tail"
    sha = _put(engine, store, data)
    assert sha == hashlib.sha256(data).hexdigest()
    chunks = list(read_blob(engine=engine, store=store, sha256=sha))
    assert b"".join(chunks) == data and len(chunks) == 3 and max(map(len, chunks)) == CHUNK
    with Session(engine) as s:
        blob = s.get(FileBlobRecord, sha)
        assert blob is not None and blob.place == store.kind and blob.size == len(data)
        rows = s.exec(select(FileChunkRecord.seq).where(FileChunkRecord.sha256 == sha)).all()
        assert len(rows) == (3 if store.kind == DATABASE else 0)
    # outside the session: on SQLite an open transaction holds the write lock
    assert blob_problem(engine=engine, store=store, blob=blob) is None
    if store.root is not None:
        assert store.path_for(sha).read_bytes() == data
        assert not list((store.root / "tmp").iterdir())  # nothing left half-written


def test_the_same_bytes_are_kept_once_and_each_owner_names_its_own(
    engine: Engine, store: FileStore
) -> None:
    first = _put(engine, store, b"report", owner=PROGRAM)
    second = _put(engine, store, b"report", owner="federal", path="2025-08-01/svod.docx")
    assert first == second
    with Session(engine) as s:
        assert len(s.exec(select(FileBlobRecord)).all()) == 1
        assert [(e.owner, e.path) for e in list_files(session=s)] == [
            ("federal", "2025-08-01/svod.docx"),
            (PROGRAM, "on-demand/2025-08-01/svod.docx"),
        ]
        assert find_file(session=s, owner="tver", path="on-demand/2025-08-01/svod.docx") is None


def test_writing_a_path_again_names_the_new_bytes_keeps_the_old_and_audits(
    engine: Engine, store: FileStore
) -> None:
    old = _put(engine, store, b"first")
    new = _put(engine, store, b"second")
    _put(engine, store, b"second")  # the same again: nothing to record
    with Session(engine) as s:
        entry = find_file(session=s, owner=PROGRAM, path="on-demand/2025-08-01/svod.docx")
        assert entry is not None and entry.sha256 == new
        audit = s.exec(select(AuditRecord).where(AuditRecord.action == "file_stored")).all()
        assert [(a.old, a.new, a.program_id) for a in audit] == [
            (None, old, PROGRAM),
            (old, new, PROGRAM),
        ]
    assert b"".join(read_blob(engine=engine, store=store, sha256=old)) == b"first"


@pytest.mark.parametrize("path", ["../federal/x.docx", "/etc/passwd", "a//b", ""])
def test_a_path_outside_the_owners_folder_is_refused(
    engine: Engine, store: FileStore, path: str
) -> None:
    with pytest.raises(FileRefused, match="не в папке владельца"):
        _put(engine, store, b"x", path=path)
    with Session(engine) as s:
        assert find_file(session=s, owner=PROGRAM, path=path) is None


def test_empty_and_too_large_files_are_refused_and_nothing_is_left(
    tmp_path: Path, store: FileStore
) -> None:
    with pytest.raises(FileRefused, match="пустой"):
        receive(io.BytesIO(b""), store=store, max_bytes=10)
    with pytest.raises(FileRefused, match="больше допустимого"):
        receive(io.BytesIO(b"x" * 11), store=store, max_bytes=10)
    assert not [p for p in store.scratch_dir.iterdir() if p.is_file()]


def test_unknown_bytes_are_not_found(engine: Engine, store: FileStore) -> None:
    with pytest.raises(NotFound):
        read_blob(engine=engine, store=store, sha256="0" * 64)


def test_a_file_read_in_place_is_copied_not_moved(
    engine: Engine, store: FileStore, tmp_path: Path
) -> None:
    written = tmp_path / "work" / "svod.docx"
    written.parent.mkdir()
    written.write_bytes(b"a report")
    received = Received.in_place(written, max_bytes=100)
    with session_scope(engine) as s:
        put_file(session=s, store=store, owner=PROGRAM, path="svod.docx", received=received,
                 actor="test", channel="test", at=NOW)  # fmt: skip
    received.discard()  # never deletes what it did not make
    assert written.read_bytes() == b"a report"


def test_many_writers_of_the_same_bytes_at_once_all_succeed(
    engine: Engine, store: FileStore
) -> None:
    """Each thread its own session: on PostgreSQL the later ones wait for the first's commit
    and find its row; on SQLite they queue at BEGIN IMMEDIATE."""
    data = b"same bytes " * 50_000
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def write(i: int) -> None:
        try:
            barrier.wait()
            _put(engine, store, data, path=f"copy-{i}.docx")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sha = hashlib.sha256(data).hexdigest()
    assert b"".join(read_blob(engine=engine, store=store, sha256=sha)) == data
    with Session(engine) as s:
        assert len(list_files(session=s, owner=PROGRAM)) == 4
