"""Files every machine reaches, as use cases: keep what a writer wrote, open an owner's file
for a download, save a document handed in, move files already on disk into the store, and
check every file against its hash.

Writers write into the local working folder (ROADMAP_REPORTS_DIR, each owner's own folder
in it); ``keep`` then puts each file into the store under its owner and its path in that
folder, which is what a ``/f/`` link names. A machine that did not write a file reads it
from the store, never from another machine's disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from roadmap.errors import RoadmapError
from roadmap.obligations.keys import program_of
from services.runtime import FEDERAL, Runtime
from storage.db import session_scope
from storage.errors import FileRefused, NotFound
from storage.evidence import evidence_owners, evidence_path, get_evidence, list_evidence
from storage.files import (
    CHUNK,
    Received,
    adopt_blob,
    blob_problem,
    find_blob,
    find_file,
    list_blobs,
    put_file,
    read_blob,
    save_blob,
)

ACTOR, CHANNEL = "roadmap", "store"


@dataclass(frozen=True)
class OpenFile:
    """An owner's file from the store: its name, size and bytes, a chunk at a time."""

    owner: str
    path: str
    size: int
    chunks: Iterator[bytes]

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def file_key(rt: Runtime, path: Path) -> tuple[str, str] | None:
    """The owner and the path under the owner's folder of a file in the working folder, or
    None when it is in no owner's folder (a program's of this installation, or «federal»)."""
    try:
        owner, *parts = path.resolve().relative_to(rt.reports_root.resolve()).parts
    except ValueError:
        return None
    if not parts or rt.key_for(owner) is None:
        return None
    return owner, "/".join(parts)


def keep(rt: Runtime, paths: Sequence[Path]) -> list[Path]:
    """Put each written file into the store under its owner; returns ``paths``.

    A file outside every owner's folder (``--out`` somewhere else) is the person's own copy
    and stays only where it was written.

    Raises:
        FileRefused: a file larger than the store takes, or no room for it.
    """
    for path in paths:
        key = file_key(rt, path)
        if key is None:
            continue
        received = Received.in_place(path, max_bytes=rt.max_file_bytes)
        with session_scope(rt.engine) as s:
            put_file(
                session=s,
                store=rt.files,
                owner=key[0],
                path=key[1],
                received=received,
                actor=ACTOR,
                channel=CHANNEL,
                at=rt.now(),
            )
    return list(paths)


def open_file(rt: Runtime, *, owner: str, path: str) -> OpenFile | None:
    """``owner``'s file ``path`` from the store, or None when the store has no such file."""
    with session_scope(rt.engine) as s:
        entry = find_file(session=s, owner=owner, path=path)
    if entry is None:
        return None
    try:
        chunks = read_blob(engine=rt.engine, store=rt.files, sha256=entry.sha256)
    except NotFound:
        return None
    return OpenFile(entry.owner, entry.path, entry.size, chunks)


def save_file(rt: Runtime, *, key: str, target: Path) -> Path:
    """Save the file ``<owner>/<path>`` (as an artifact names it) from the store to ``target``
    (a file, or a folder to save it in under its own name).

    Raises:
        NotFound: the store has no such file. FileRefused: its bytes no longer match its hash.
    """
    owner, _, path = key.strip().partition("/")
    with session_scope(rt.engine) as s:
        entry = find_file(session=s, owner=owner, path=path)
    if entry is None:
        raise NotFound(f"в хранилище нет файла «{key}»")
    out = target / f"{owner}-{entry.path.rsplit('/', 1)[-1]}" if target.is_dir() else target
    save_blob(engine=rt.engine, store=rt.files, sha256=entry.sha256, target=out)
    return out


def save_evidence(
    rt: Runtime, *, obligation_id: str, folder: Path, version: int | None = None
) -> list[Path]:
    """Save the versions of an obligation's documents (one, with ``version``) from the store
    into ``folder``, each as ``v<version>-<its original name>``, checked against its hash.

    Raises:
        NotFound: no such obligation or version, or a document the store does not have.
    """
    with session_scope(rt.engine) as s:
        rows = list_evidence(session=s, obligation_id=obligation_id)
    chosen = [r for r in rows if version is None or r.version == version]
    if version is not None and not chosen:
        raise NotFound(f"у обязательства {obligation_id} нет версии {version}")
    saved = []
    for r in chosen:
        target = folder / f"v{r.version}-{r.original_name}"
        save_blob(engine=rt.engine, store=rt.files, sha256=r.sha256, target=target)
        saved.append(target)
    return saved


def evidence_file(rt: Runtime, evidence_id: int) -> OpenFile:
    """A document handed in, from the store, as its program's file ``evidence/<sha256>``.

    Raises:
        NotFound: no such document, or its bytes are not in the store.
    """
    with session_scope(rt.engine) as s:
        ev = get_evidence(session=s, evidence_id=evidence_id)
        owner = program_of(ev.obligation_id)
    found = open_file(rt, owner=owner, path=evidence_path(ev.sha256))
    if found is None:
        raise NotFound(f"документа №{evidence_id} нет в хранилище файлов (roadmap files import)")
    return found


@dataclass
class ImportReport:
    """What ``import_files`` moved in, what it found already there, and what it refused."""

    stored: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    removed: int = 0


def import_files(rt: Runtime, *, remove: bool = False) -> ImportReport:
    """Move files already on this machine's disk into the store: the documents under
    ROADMAP_EVIDENCE_DIR (``<aa>/<bb>/<sha256>``, kept as the program's file
    ``evidence/<sha256>`` of every program whose evidence names them) and each owner's
    reports under ROADMAP_REPORTS_DIR.

    Each file is hashed as it is read, a document's hash must be its name, and what the
    store then holds is read back and hashed again. With ``remove`` a file is deleted from
    the disk only once the store's copy has been checked. Running it again moves nothing
    twice.
    """
    report = ImportReport()
    evidence_root = rt.settings.resolved_evidence_dir
    if evidence_root.is_dir() and evidence_root != rt.files.root:
        for path in sorted(evidence_root.glob("??/??/*")):
            if path.is_file():
                _import_document(rt, path, report, remove=remove)
    root = rt.reports_root
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            _import_report(rt, path, report, remove=remove)
    return report


def _import_document(rt: Runtime, path: Path, report: ImportReport, *, remove: bool) -> None:
    try:
        received = Received.in_place(path, max_bytes=rt.max_file_bytes)
    except FileRefused as exc:
        report.refused.append(f"{path}: {exc}")
        return
    if received.sha256 != path.name:
        report.refused.append(f"{path}: содержимое не совпадает с хэшем в имени файла")
        return
    with session_scope(rt.engine) as s:
        owners = evidence_owners(session=s, sha256=received.sha256)
    if not owners:
        report.refused.append(f"{path}: ни один документ в базе не ссылается на этот файл")
        return
    for i, owner in enumerate(owners):
        last = i == len(owners) - 1
        _put_checked(
            rt,
            owner,
            evidence_path(received.sha256),
            received,
            report,
            path,
            remove=remove and last,
        )


def _import_report(rt: Runtime, path: Path, report: ImportReport, *, remove: bool) -> None:
    key = file_key(rt, path)
    if key is None:
        report.refused.append(f"{path}: не в папке программы или федерального свода")
        return
    try:
        received = Received.in_place(path, max_bytes=rt.max_file_bytes)
    except FileRefused as exc:
        report.refused.append(f"{path}: {exc}")
        return
    _put_checked(rt, key[0], key[1], received, report, path, remove=remove)


def _put_checked(
    rt: Runtime,
    owner: str,
    key: str,
    received: Received,
    report: ImportReport,
    path: Path,
    *,
    remove: bool,
) -> None:
    name = f"{owner}/{key}"
    moved = False
    with session_scope(rt.engine) as s:
        before = find_file(session=s, owner=owner, path=key)
        blob = find_blob(session=s, sha256=received.sha256)
        if blob is not None and blob.place != rt.files.kind:
            # kept where this installation no longer keeps files (another ROADMAP_FILE_STORE)
            adopt_blob(session=s, store=rt.files, received=received)
            moved = True
        if before is None or before.sha256 != received.sha256:
            put_file(
                session=s,
                store=rt.files,
                owner=owner,
                path=key,
                received=received,
                actor=ACTOR,
                channel=CHANNEL,
                at=rt.now(),
            )
            moved = True
    (report.stored if moved else report.already).append(name)
    if not _stored_ok(rt, received.sha256):
        report.refused.append(f"{path}: копия в хранилище не совпала с файлом; файл оставлен")
        return
    if remove:
        path.unlink()
        report.removed += 1


def _stored_ok(rt: Runtime, sha256: str) -> bool:
    digest = hashlib.sha256()
    try:
        for data in read_blob(engine=rt.engine, store=rt.files, sha256=sha256):
            digest.update(data)
    except RoadmapError:
        return False
    return digest.hexdigest() == sha256


def check_store(rt: Runtime) -> tuple[int, list[str]]:
    """Read every file in the store back and hash it; how many were read, and what is wrong."""
    with session_scope(rt.engine) as s:
        blobs = list_blobs(session=s)
    problems = [p for b in blobs if (p := blob_problem(engine=rt.engine, store=rt.files, blob=b))]
    return len(blobs), problems


__all__ = [
    "CHUNK",
    "FEDERAL",
    "ImportReport",
    "OpenFile",
    "check_store",
    "evidence_file",
    "file_key",
    "import_files",
    "keep",
    "open_file",
    "save_evidence",
    "save_file",
]
