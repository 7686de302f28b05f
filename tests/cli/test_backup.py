"""Backup and restore through the command line, on both databases: a fresh home and an
empty database get back the same status, the same document bytes and the same report."""

from __future__ import annotations

import json
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from cli.main import app
from storage.db import normalize_url
from tests.db import POSTGRES_URL, _admin_conninfo
from tests.storage.files import pdf_bytes

# the schema a fresh database is migrated to: the newest migration
NEWEST_MIGRATION = ScriptDirectory.from_config(
    Config(str(Path(__file__).resolve().parents[2] / "alembic.ini"))
).get_current_head()

runner = CliRunner()
PROGRAM = "krasnoyarsk-2025-2026"
REPORT = f"{PROGRAM}/on-demand/2025-08-01/svodnyi-otchet-2025-H1-na-2025-08-01.docx"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def new_postgres() -> Iterator[object]:
    """Makes empty PostgreSQL databases on demand; drops them afterwards."""
    made: list[str] = []

    def make() -> str:
        name = f"roadmap_backup_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(_admin_conninfo(POSTGRES_URL), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return make_url(normalize_url(POSTGRES_URL)).set(database=name).render_as_string(False)

    yield make
    with psycopg.connect(_admin_conninfo(POSTGRES_URL), autocommit=True) as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _use(monkeypatch: pytest.MonkeyPatch, home: Path, url: str | None) -> None:
    monkeypatch.setenv("ROADMAP_HOME", str(home))
    if url:
        monkeypatch.setenv("ROADMAP_DATABASE_URL", url)
    else:
        monkeypatch.delenv("ROADMAP_DATABASE_URL", raising=False)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_restore_into_a_fresh_home_finds_the_same_status_evidence_and_report(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_postgres: object
) -> None:
    make = new_postgres if backend == "postgresql" else (lambda: None)
    _use(monkeypatch, tmp_path / "first", make())  # type: ignore[operator]
    assert run("sync", "--as-of", "2025-01-09")[0] == 0
    doc = tmp_path / "отчёт март.pdf"
    doc.write_bytes(pdf_bytes("март"))
    code, _, err = run("submit", "evidence", "--obligation", "6.1:2025-03", "--file", str(doc))
    assert code == 0, err
    code, _, err = run("consolidate", "--as-of", "2025-08-01", "--period", "2025-H1")
    assert code == 0, err
    written = (tmp_path / "first" / "reports" / REPORT).read_bytes()
    status = run("status", "--as-of", "2025-08-01", "--json")[1]
    archive = tmp_path / "copies" / "roadmap.tar.gz"
    code, out, err = run("backup", "--out", str(archive))
    assert code == 0, err
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["database"] == backend and manifest["revision"] == NEWEST_MIGRATION

    _use(monkeypatch, tmp_path / "second", make())  # type: ignore[operator]
    code, out, err = run("restore", str(archive))
    assert code == 0, err
    assert "проверено файлов: 5" in out  # the document, the report's four files
    assert run("status", "--as-of", "2025-08-01", "--json")[1] == status
    code, _, err = run("evidence", "--obligation", "6.1:2025-03", "--save", str(tmp_path / "got"))
    assert code == 0, err
    assert (tmp_path / "got" / "v1-отчёт март.pdf").read_bytes() == doc.read_bytes()
    code, _, err = run("files", "get", REPORT, "--out", str(tmp_path / "report.docx"))
    assert code == 0, err
    assert (tmp_path / "report.docx").read_bytes() == written
    assert not (tmp_path / "second" / "reports").exists()  # from the store, not a disk

    # a second restore finds the database filled and changes nothing
    code, _, err = run("restore", str(archive))
    assert code == 1 and "база данных не пуста" in err
    assert run("status", "--as-of", "2025-08-01", "--json")[1] == status


def test_a_shared_folder_store_is_in_the_copy_and_comes_back_into_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, tmp_path / "first", None)
    monkeypatch.setenv("ROADMAP_FILE_STORE", "directory")
    monkeypatch.setenv("ROADMAP_FILE_STORE_DIR", str(tmp_path / "shared"))
    run("sync", "--as-of", "2025-01-09")
    doc = tmp_path / "отчёт.pdf"
    doc.write_bytes(pdf_bytes("папка"))
    assert run("submit", "evidence", "--obligation", "6.1:2025-03", "--file", str(doc))[0] == 0
    archive = tmp_path / "roadmap.tar.gz"
    code, out, err = run("backup", "--out", str(archive))
    assert code == 0 and "в общей папке: 1" in out, err

    _use(monkeypatch, tmp_path / "second", None)
    monkeypatch.setenv("ROADMAP_FILE_STORE", "database")
    code, out, err = run("restore", str(archive))
    assert code == 0, err
    code, _, err = run("evidence", "--obligation", "6.1:2025-03", "--save", str(tmp_path / "got"))
    assert code == 0, err
    assert (tmp_path / "got" / "v1-отчёт.pdf").read_bytes() == doc.read_bytes()
    assert run("files", "check")[0] == 0


def test_restore_refuses_a_store_folder_that_is_not_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, tmp_path / "first", None)
    run("sync", "--as-of", "2025-01-09")
    archive = tmp_path / "roadmap.tar.gz"
    assert run("backup", "--out", str(archive))[0] == 0
    _use(monkeypatch, tmp_path / "second", None)
    monkeypatch.setenv("ROADMAP_FILE_STORE", "directory")
    monkeypatch.setenv("ROADMAP_FILE_STORE_DIR", str(tmp_path / "shared"))
    left = tmp_path / "shared" / "ab" / "cd" / ("abcd" + "0" * 60)
    left.parent.mkdir(parents=True)
    left.write_bytes(b"someone's file")
    code, _, err = run("restore", str(archive))
    assert code == 1 and "хранилище файлов" in err and "не пусто" in err
    assert left.read_bytes() == b"someone's file"
    code, _, err = run("restore", str(tmp_path / "нет.tar.gz"))
    assert code == 1 and "не найден" in err


def test_files_on_disk_move_in_checked_by_their_hashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A home from before the file store: documents under ROADMAP_EVIDENCE_DIR and reports
    under ROADMAP_REPORTS_DIR move in; a file whose bytes are not its name is refused."""
    _use(monkeypatch, tmp_path / "home", None)
    monkeypatch.setenv("ROADMAP_FILE_STORE", "directory")
    monkeypatch.setenv("ROADMAP_FILE_STORE_DIR", str(tmp_path / "home" / "evidence"))
    run("sync", "--as-of", "2025-01-09")
    doc = tmp_path / "отчёт.pdf"
    doc.write_bytes(pdf_bytes("старый"))
    assert run("submit", "evidence", "--obligation", "6.1:2025-03", "--file", str(doc))[0] == 0
    # now the same home on the database store, its old files still on disk
    monkeypatch.setenv("ROADMAP_FILE_STORE", "database")
    monkeypatch.delenv("ROADMAP_FILE_STORE_DIR")
    report = tmp_path / "home" / "reports" / PROGRAM / "panel" / "index.html"
    report.parent.mkdir(parents=True)
    report.write_text("<html>панель</html>", "utf-8")
    stray = tmp_path / "home" / "evidence" / "00" / "00" / ("0000" + "1" * 60)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"not what its name says")
    code, out, _ = run("files", "import", "--remove")
    assert code == 1  # the stray file is named in the output and kept
    assert "Перенесено в хранилище: 2" in out and "не совпадает с хэшем" in out
    assert stray.exists() and not report.exists()
    code, out, _ = run("files", "import")
    assert "Перенесено в хранилище: 0" in out
    code, _, err = run("evidence", "--obligation", "6.1:2025-03", "--save", str(tmp_path / "got"))
    assert code == 0, err
    assert (tmp_path / "got" / "v1-отчёт.pdf").read_bytes() == doc.read_bytes()
    code, _, err = run("files", "get", f"{PROGRAM}/panel/index.html", "--out", str(tmp_path))
    assert code == 0, err
    assert (tmp_path / f"{PROGRAM}-index.html").read_text("utf-8") == "<html>панель</html>"
