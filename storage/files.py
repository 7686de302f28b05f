"""The file store: files every process of the stack reaches, their bytes named by SHA-256.

Bytes live in the database (``file_chunk`` rows of ``CHUNK`` bytes: the default) or in a
folder every machine mounts (``<root>/<aa>/<bb>/<sha256>``); either way ``file_blob``
records each file's bytes once, and ``file_entry`` names an owner's file (a program's id, or
«federal») by its path under that owner's folder. Nothing is deleted: a path written again
names the new bytes, and the old ones stay.

A file arrives in a local scratch file first, hashed and measured as it streams in
(``receive``), and only then goes into the store (``put_blob``): in the database its chunks
are written in the transaction of the rows that name them; in a folder the bytes are in
place before any row names them. Either way a row never names bytes that are not there,
and a failure between the two leaves at most bytes nobody names, which is harmless because
they are named by content.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from storage.audit import record_change
from storage.errors import FileRefused, NotFound
from storage.file_tables import FileBlobRecord, FileChunkRecord, FileEntryRecord

__all__ = [
    "CHUNK",
    "adopt_blob",
    "DATABASE",
    "DIRECTORY",
    "FileStore",
    "Received",
    "blob_problem",
    "check_path",
    "find_blob",
    "find_file",
    "list_blobs",
    "list_files",
    "put_blob",
    "put_file",
    "read_blob",
    "receive",
    "save_blob",
]

CHUNK = 1 << 20  # one row of file_chunk, and one read of a file in a folder
DATABASE, DIRECTORY = "database", "directory"


@dataclass(frozen=True)
class FileStore:
    """Where files' bytes are kept: under ``root`` (a folder every machine mounts), or in the
    database when ``root`` is None. ``scratch`` is a local folder for files being received
    (default: ``root/tmp``, on the same disk as the store, else the system's temporary
    folder)."""

    root: Path | None = None
    scratch: Path | None = None

    @property
    def kind(self) -> str:
        return DATABASE if self.root is None else DIRECTORY

    def path_for(self, sha256: str) -> Path:
        """Where a file's bytes are in the folder."""
        if self.root is None:
            raise ValueError("хранилище файлов в базе данных: у файлов нет пути на диске")
        return Path(self.root) / sha256[:2] / sha256[2:4] / sha256

    @property
    def scratch_dir(self) -> Path:
        if self.scratch is not None:
            return Path(self.scratch)
        if self.root is not None:
            return Path(self.root) / "tmp"
        return Path(tempfile.gettempdir())


@dataclass(frozen=True)
class Received:
    """A file received into the scratch folder, hashed and measured (the caller removes it)."""

    path: Path
    sha256: str
    size: int
    # a scratch copy the caller removes; False: a file of someone else's, read in place
    scratch: bool = True

    @classmethod
    def in_place(cls, path: Path, *, max_bytes: int) -> Received:
        """A file on local disk hashed where it is (it is copied, never moved, into a folder
        store).

        Raises:
            FileRefused: empty, or larger than ``max_bytes``.
        """
        size = path.stat().st_size
        if size == 0:
            raise FileRefused(f"файл {path.name} пустой")
        if size > max_bytes:
            raise FileRefused(
                f"файл {path.name} больше допустимого размера {max_bytes // (1024 * 1024)} МБ"
            )
        digest = hashlib.sha256()
        with path.open("rb") as f:
            while data := f.read(CHUNK):
                digest.update(data)
        return cls(path, digest.hexdigest(), size, scratch=False)

    def discard(self) -> None:
        """Remove the scratch copy (a file read in place is left alone)."""
        if self.scratch:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


def disk_message(exc: OSError) -> str:
    """Why a file could not be kept, in Russian."""
    if exc.errno == errno.ENOSPC:
        return "нет места для хранения документов; файл не сохранён, попробуйте позже"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "хранилище документов недоступно для записи; файл не сохранён"
    return f"не удалось сохранить файл ({exc.strerror or exc})"


def receive(stream: BinaryIO, *, store: FileStore, max_bytes: int) -> Received:
    """Read ``stream`` into a scratch file, hashing and counting the bytes as they come.

    Raises:
        FileRefused: empty, larger than ``max_bytes``, or the scratch disk is full or
            read-only (nothing is left behind).
    """
    try:
        store.scratch_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=store.scratch_dir, prefix="upload-")
    except OSError as exc:
        raise FileRefused(disk_message(exc)) from None
    tmp = Path(name)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FileRefused(
                        f"файл больше допустимого размера {max_bytes // (1024 * 1024)} МБ"
                    )
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise FileRefused("файл пустой")
        return Received(tmp, digest.hexdigest(), size)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FileRefused(disk_message(exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _table(row: type[SQLModel]) -> Table:
    """The Core table of a row class: its INSERTs bypass the ORM's bulk path."""
    return SQLModel.metadata.tables[str(row.__tablename__)]


def _insert(session: Session, table: Table) -> Any:
    """An INSERT with the backend's ON CONFLICT clauses (the same on PostgreSQL and SQLite)."""
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def put_blob(*, session: Session, store: FileStore, received: Received, at: dt.datetime) -> bool:
    """Keep ``received``'s bytes in the store, once; True when they were new.

    In the database the chunks go into ``session``'s transaction, so they commit with the
    rows that name them. Two sessions storing the same bytes at once both succeed: the
    second finds the first's row (on PostgreSQL it waits for the first to commit).

    Raises:
        FileRefused: the folder is full or read-only (nothing is left behind).
    """
    if store.root is not None:
        _put_in_folder(store, received)
    stmt = _insert(session, _table(FileBlobRecord)).values(
        sha256=received.sha256, size=received.size, place=store.kind, stored_at=at
    )
    stmt = stmt.on_conflict_do_nothing(index_elements=["sha256"]).returning(stmt.table.c.sha256)
    new = session.execute(stmt).first() is not None
    if new and store.root is None:
        _write_chunks(session, received)
    return new


def _write_chunks(session: Session, received: Received) -> None:
    with received.path.open("rb") as f:
        seq = 0
        while data := f.read(CHUNK):
            chunk = FileChunkRecord(sha256=received.sha256, seq=seq, data=data)
            session.add(chunk)
            session.flush()
            session.expunge(chunk)  # one chunk in memory at a time
            seq += 1


def adopt_blob(*, session: Session, store: FileStore, received: Received) -> None:
    """Keep the bytes of a file the database already records (one restored from a
    snapshot) in this store, and record that they are here.

    Raises:
        NotFound: the database records no such file. FileRefused: no room for it.
    """
    row = session.get(FileBlobRecord, received.sha256, with_for_update=True)
    if row is None:
        raise NotFound(f"база данных не знает файла {received.sha256[:12]}…")
    if store.root is not None:
        _put_in_folder(store, received)
    else:
        has = session.exec(
            select(FileChunkRecord.seq).where(FileChunkRecord.sha256 == received.sha256)
        ).first()
        if has is None:
            _write_chunks(session, received)
    row.place = store.kind
    session.add(row)


def _put_in_folder(store: FileStore, received: Received) -> None:
    final = store.path_for(received.sha256)
    try:
        final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if final.exists():
            return
        tmp = received.path
        same_disk = received.scratch and store.scratch is None
        if not same_disk or tmp.parent.resolve() != store.scratch_dir.resolve():
            # not on the store's disk: copy beside the final name first, then rename
            fd, name = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
            with os.fdopen(fd, "wb") as out, tmp.open("rb") as src:
                shutil.copyfileobj(src, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            tmp = Path(name)
        os.replace(tmp, final)
    except OSError as exc:
        raise FileRefused(disk_message(exc)) from None


def check_path(path: str) -> str:
    """A path under an owner's folder as the store keeps it: relative, ``/``-separated.

    Raises:
        FileRefused: empty, absolute, or climbing out of the owner's folder.
    """
    parts = path.replace("\\", "/").split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise FileRefused(f"путь «{path}» не в папке владельца")
    return "/".join(parts)


def put_file(
    *,
    session: Session,
    store: FileStore,
    owner: str,
    path: str,
    received: Received,
    actor: str,
    channel: str,
    at: dt.datetime,
) -> FileEntryRecord:
    """Keep ``received`` as ``owner``'s file ``path``, with an audit row when it changed.

    Raises:
        FileRefused: a path outside the owner's folder, or no room for the bytes.
    """
    key = check_path(path)
    put_blob(session=session, store=store, received=received, at=at)
    row = session.get(FileEntryRecord, (owner, key))
    old = row.sha256 if row is not None else None
    if old == received.sha256:
        return row  # type: ignore[return-value]
    values = {"sha256": received.sha256, "size": received.size, "stored_by": actor}
    stmt = _insert(session, _table(FileEntryRecord)).values(
        owner=owner, path=key, stored_at=at, **values
    )
    # two writers of one path at once: the later one's bytes win, neither fails
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["owner", "path"], set_={**values, "stored_at": at}
        )
    )
    record_change(
        session=session,
        at=at,
        actor=actor,
        channel=channel,
        action="file_stored",
        entity="file",
        entity_id=f"{owner}/{key}"[:200],
        program_id=owner,
        field="sha256",
        old=old,
        new=received.sha256,
    )
    session.flush()
    entry = session.get(FileEntryRecord, (owner, key), populate_existing=True)
    assert entry is not None
    return entry


def find_file(*, session: Session, owner: str, path: str) -> FileEntryRecord | None:
    """``owner``'s file ``path``, or None (also for a path outside the owner's folder)."""
    try:
        key = check_path(path)
    except FileRefused:
        return None
    return session.get(FileEntryRecord, (owner, key))


def list_files(
    *, session: Session, owner: str | None = None, prefix: str = ""
) -> list[FileEntryRecord]:
    """Named files, by owner and path; only ``owner``'s and under ``prefix`` when given."""
    stmt = select(FileEntryRecord).order_by(col(FileEntryRecord.owner), col(FileEntryRecord.path))
    if owner is not None:
        stmt = stmt.where(FileEntryRecord.owner == owner)
    if prefix:
        stmt = stmt.where(col(FileEntryRecord.path).startswith(prefix, autoescape=True))
    return list(session.exec(stmt))


def find_blob(*, session: Session, sha256: str) -> FileBlobRecord | None:
    """What the store records of the bytes that hash to ``sha256``, or None."""
    return session.get(FileBlobRecord, sha256)


def list_blobs(*, session: Session) -> list[FileBlobRecord]:
    """Every file's bytes the store records, by hash."""
    return list(session.exec(select(FileBlobRecord).order_by(col(FileBlobRecord.sha256))))


def read_blob(*, engine: Engine, store: FileStore, sha256: str) -> Iterator[bytes]:
    """A file's bytes, a chunk at a time.

    Takes the engine rather than a session: each chunk is read in a short transaction of
    its own, so a slow download holds no transaction open (on SQLite every transaction
    holds the write lock).

    Raises:
        NotFound: the store does not have these bytes.
    """
    with Session(engine) as s:
        blob = s.get(FileBlobRecord, sha256)
    if blob is None:
        raise NotFound(f"в хранилище нет файла {sha256[:12]}…")
    if blob.place == DIRECTORY:
        return _read_folder(store, sha256)
    return _read_chunks(engine, sha256)


def _read_folder(store: FileStore, sha256: str) -> Iterator[bytes]:
    if store.root is None:
        raise NotFound(
            f"файл {sha256[:12]}… хранится в общей папке, а она не задана "
            "(ROADMAP_FILE_STORE=directory, ROADMAP_FILE_STORE_DIR)"
        )
    path = store.path_for(sha256)
    if not path.is_file():
        raise NotFound(f"файла {sha256[:12]}… нет в общей папке {store.root}")
    f = path.open("rb")

    def chunks() -> Iterator[bytes]:
        with f:
            while data := f.read(CHUNK):
                yield data

    return chunks()


def _read_chunks(engine: Engine, sha256: str) -> Iterator[bytes]:
    seq = 0
    while True:
        with Session(engine) as s:
            data = s.exec(
                select(FileChunkRecord.data).where(
                    FileChunkRecord.sha256 == sha256, FileChunkRecord.seq == seq
                )
            ).first()
        if data is None:
            return
        yield data
        seq += 1


def save_blob(*, engine: Engine, store: FileStore, sha256: str, target: Path) -> int:
    """Write a file's bytes to ``target`` (through a temporary name), checking their hash.

    Returns:
        The number of bytes written.

    Raises:
        NotFound: no such bytes. FileRefused: what the store holds does not match its hash.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".saving-")
    tmp = Path(name)
    try:
        digest, size = hashlib.sha256(), 0
        with os.fdopen(fd, "wb") as out:
            for data in read_blob(engine=engine, store=store, sha256=sha256):
                digest.update(data)
                size += len(data)
                out.write(data)
        if digest.hexdigest() != sha256:
            raise FileRefused(f"файл {sha256[:12]}… в хранилище повреждён: хэш не совпадает")
        os.replace(tmp, target)
        return size
    finally:
        tmp.unlink(missing_ok=True)


def blob_problem(*, engine: Engine, store: FileStore, blob: FileBlobRecord) -> str | None:
    """What is wrong with a file's bytes in the store (missing, short, another hash), or None."""
    digest, size = hashlib.sha256(), 0
    try:
        for data in read_blob(engine=engine, store=store, sha256=blob.sha256):
            digest.update(data)
            size += len(data)
    except NotFound as exc:
        return str(exc)
    if size != blob.size:
        return f"файл {blob.sha256[:12]}…: {size} байт вместо {blob.size}"
    if digest.hexdigest() != blob.sha256:
        return f"файл {blob.sha256[:12]}…: хэш не совпадает"
    return None
