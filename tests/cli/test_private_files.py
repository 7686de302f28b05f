"""What the commands write under ROADMAP_HOME is its owner's alone, whatever the shell's umask:
the database (contacts, letters with live links), reports, evidence and the file store."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
from pathlib import Path

from tests.cli.process import roadmap as run_roadmap
from tests.notifications.conftest import CONTACTS
from tests.storage.files import pdf_bytes


def roadmap(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # the folder store, and an ordinary shell's umask: what the command itself narrows
    return run_roadmap(home, *args, extra={"ROADMAP_FILE_STORE": "directory"}, umask=0o022)


def open_to_others(home: Path) -> list[str]:
    found = []
    for path in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            found.append(f"{path.relative_to(home)}: {mode:o}")
    return found


def test_the_database_reports_evidence_and_file_store_are_0600_and_0700(tmp_path: Path) -> None:
    home = tmp_path / "home"
    pdf = tmp_path / "приказ.pdf"
    pdf.write_bytes(pdf_bytes("private"))
    for args in (
        ("sync", "--as-of", "2025-01-09"),
        ("contacts", "load", str(CONTACTS)),
        (
            "submit",
            "evidence",
            "--obligation",
            "6.1:2025-03",
            "--file",
            str(pdf),
            "--by",
            "Иванова",
        ),
        ("consolidate", "--as-of", "2025-08-01", "--period", "2025-H1"),
    ):
        done = roadmap(home, *args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    assert (home / "roadmap.db").exists() and list((home / "reports").rglob("*.xlsx"))
    assert [p for p in (home / "files").rglob("*") if p.is_file()]  # the evidence's bytes
    assert open_to_others(home) == []


def test_a_database_left_readable_by_an_older_version_is_made_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert roadmap(home, "sync", "--as-of", "2025-01-09").returncode == 0
    (home / "roadmap.db").chmod(0o644)
    assert roadmap(home, "status", "--as-of", "2025-02-01").returncode == 0
    assert stat.S_IMODE((home / "roadmap.db").stat().st_mode) == 0o600


def test_contacts_forget_leaves_the_name_nowhere_in_the_database(tmp_path: Path) -> None:
    """The person's full name is searched for in every column of every table, the audit's
    entity ids included, after `roadmap contacts forget` in a process of its own. Letters
    to others that name her as whom to contact keep it, as a letter already sent does."""
    home, name = tmp_path / "home", "Марина Олеговна Соколова"
    for args in (
        ("sync", "--as-of", "2025-01-09"),
        ("contacts", "load", str(CONTACTS)),
        ("notify", "--as-of", "2025-01-09"),
        ("contacts", "forget", "--name", name),
    ):
        done = roadmap(home, *args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    with sqlite3.connect(home / "roadmap.db") as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = []
        for table in tables:
            columns = [c[1] for c in db.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                if table == "outbox" and column in ("body_text", "body_html"):
                    continue  # checked below: only letters to others may name her
                hits = db.execute(
                    f'SELECT count(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE ?',
                    (f"%{name}%",),
                ).fetchone()[0]
                if hits:
                    found.append(f"{table}.{column}: {hits}")
        to_her = db.execute(
            "SELECT count(*) FROM outbox JOIN contact ON contact.id = outbox.contact_id "
            "WHERE contact.active = 0 AND (body_text LIKE ? OR body_html LIKE ?)",
            (f"%{name}%", f"%{name}%"),
        ).fetchone()[0]
        erased = db.execute(
            "SELECT count(*) FROM audit WHERE action = 'contact_erased'"
        ).fetchone()[0]
    assert found == [], found
    assert to_her == 0 and erased == 1
