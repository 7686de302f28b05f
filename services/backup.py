"""Backup and restore as use cases: one archive holds the database and the file store.

``backup`` takes a consistent snapshot of the database while the stack runs (SQLite's
online backup, ``pg_dump`` on PostgreSQL) and then the files kept in a shared folder: files
are written before any row names them and never deleted, so every file the snapshot names
is already there. A file store in the database is in the snapshot itself. ``restore``
brings an archive into an empty database and an empty store, and refuses anything else.

The archive is a gzip'd tar: ``manifest.json``, ``database.sqlite`` or ``database.sql``, and
``files/<aa>/<bb>/<sha256>`` for each file kept in a folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import text

from services.files import check_store
from services.runtime import Runtime
from storage.db import session_scope, upgrade
from storage.errors import FileRefused
from storage.files import CHUNK, DIRECTORY, Received, adopt_blob, list_blobs
from storage.snapshots import SQLITE, filled_tables, restore_database, snapshot_database

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {SQLITE: "database.sqlite", "postgresql": "database.sql"}


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    database: str
    revision: str | None
    files_in_folder: int
    files_in_database: int


@dataclass(frozen=True)
class RestoreSummary:
    database: str
    revision: str | None
    files_restored: int
    files_checked: int
    problems: list[str]


def _revision(rt: Runtime) -> str | None:
    with rt.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


class _Hashing:
    """A file read for the archive, hashed as tar reads it."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f, self.digest = f, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self.f.read(n)
        self.digest.update(data)
        return data


def backup(rt: Runtime, *, out: Path) -> BackupSummary:
    """Write a consistent copy of the database and the file store to ``out``.

    Raises:
        FileRefused: the database could not be copied, or a file in the shared folder is
            missing or no longer matches its hash (the archive is then not written).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as work:
        kind = snapshot_database(engine=rt.engine, target=Path(work) / "database")
        revision = _revision(rt)
        # after the snapshot: every file it names is in the folder by now
        with session_scope(rt.engine) as s:
            blobs = list_blobs(session=s)
        in_folder = [b for b in blobs if b.place == DIRECTORY]
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(Path(work) / "database", arcname=DATABASE_FILES[kind])
            for blob in in_folder:
                _add_blob(rt, tar, blob.sha256, blob.size)
            manifest = {
                "format": FORMAT,
                "database": kind,
                "revision": revision,
                "made_at": rt.now().isoformat(),
                "files_in_folder": len(in_folder),
                "files_in_database": len(blobs) - len(in_folder),
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
        os.replace(partial, out)
    return BackupSummary(out, kind, revision, len(in_folder), len(blobs) - len(in_folder))


def _add_blob(rt: Runtime, tar: tarfile.TarFile, sha256: str, size: int) -> None:
    store = rt.files
    if store.root is None:
        raise FileRefused(
            f"файл {sha256[:12]}… хранится в общей папке, а она не задана "
            "(ROADMAP_FILE_STORE=directory, ROADMAP_FILE_STORE_DIR): копия не записана"
        )
    path = store.path_for(sha256)
    if not path.is_file() or path.stat().st_size != size:
        raise FileRefused(f"файла {sha256[:12]}… нет в общей папке {store.root}: копия не записана")
    info = tarfile.TarInfo(f"files/{sha256[:2]}/{sha256[2:4]}/{sha256}")
    info.size = size
    with path.open("rb") as f:
        reader = _Hashing(f)
        tar.addfile(info, reader)
    if reader.digest.hexdigest() != sha256:
        raise FileRefused(f"файл {sha256[:12]}… в общей папке повреждён: копия не записана")


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _refuse_filled(rt: Runtime) -> None:
    filled = filled_tables(engine=rt.engine)
    if filled:
        found = ", ".join(f"{name}: {n}" for name, n in sorted(filled.items())[:6])
        raise FileRefused(
            f"база данных не пуста ({found}): восстанавливать можно только в пустую базу и "
            "пустое хранилище файлов; создайте новую базу (ROADMAP_DATABASE_URL) и новую "
            "папку (ROADMAP_HOME), ничего не удаляя из этой"
        )
    root = rt.files.root
    if root is not None and any(p.is_file() for p in root.glob("??/??/*")):
        raise FileRefused(
            f"хранилище файлов {root} не пусто: восстанавливать можно только в пустую базу и "
            "пустое хранилище; укажите новую папку (ROADMAP_FILE_STORE_DIR)"
        )


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    """The archive's manifest.

    Raises:
        FileRefused: not an archive ``roadmap backup`` made, or one of a newer format.
    """
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise FileRefused("это не копия, сделанная roadmap backup: в архиве нет manifest.json")
    manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT or manifest.get("database") not in DATABASE_FILES:
        raise FileRefused(f"формат копии {manifest.get('format')} не поддерживается")
    return manifest


def restore(rt: Runtime, *, source: Path) -> RestoreSummary:
    """Bring the archive ``source`` into this installation's empty database and file store,
    then read every file back and check it against its hash.

    Raises:
        FileRefused: the database or the store is not empty (nothing is changed), the archive
            is not one ``backup`` made, a file in it does not match its hash, or the
            database tools failed.
    """
    if not source.is_file():
        raise FileRefused(f"файл копии {source} не найден")
    try:
        tar = tarfile.open(source, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise FileRefused(f"{source} не читается как копия: {exc}") from None
    with tar, tempfile.TemporaryDirectory(prefix="restore-") as work:
        manifest = read_manifest(tar)
        _refuse_filled(rt)
        kind = manifest["database"]
        database = Path(work) / DATABASE_FILES[kind]
        _extract(tar, DATABASE_FILES[kind], database)
        restore_database(engine=rt.engine, source=database, kind=kind)
        upgrade(rt.engine)  # a copy made by an older version is brought up to date
        restored = 0
        for member in tar.getmembers():
            if member.isfile() and member.name.startswith("files/"):
                _restore_blob(rt, tar, member, Path(work))
                restored += 1
    checked, problems = check_store(rt)
    return RestoreSummary(kind, manifest.get("revision"), restored, checked, problems)


def _extract(tar: tarfile.TarFile, name: str, target: Path) -> None:
    member = tar.extractfile(name)
    if member is None:
        raise FileRefused(f"в копии нет {name}")
    with target.open("wb") as out:
        while data := member.read(CHUNK):
            out.write(data)


def _restore_blob(rt: Runtime, tar: tarfile.TarFile, member: tarfile.TarInfo, work: Path) -> None:
    sha = member.name.rsplit("/", 1)[-1]
    scratch = work / "blob"
    _extract(tar, member.name, scratch)
    received = Received.in_place(scratch, max_bytes=max(member.size, 1))
    if received.sha256 != sha:
        raise FileRefused(f"файл {sha[:12]}… в копии повреждён: хэш не совпадает")
    with session_scope(rt.engine) as s:
        adopt_blob(session=s, store=rt.files, received=received)
    scratch.unlink()


__all__ = ["BackupSummary", "RestoreSummary", "backup", "read_manifest", "restore"]
