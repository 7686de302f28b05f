"""A person's words given to the command line go through the one text rule: the real
`roadmap` process, as a person (or a script an attacker wrote) runs it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from tests.cli.process import roadmap as run_roadmap
from tests.services.test_due_set_by_person import marked_program

# A few of the characters the rule refuses (each is tried on the page in tests/intake):
# a bidi override, a line separator, a Hangul filler. Each try is a process of its own.
HIDDEN = ["\u202e", "\u2028", "\u3164"]
OBLIGATION = "3.4:2025..2026"


def roadmap(home: Path, programs: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_roadmap(home, *args, programs=programs)


def set_due(home: Path, programs: Path, basis: str, *more: str) -> subprocess.CompletedProcess[str]:
    return roadmap(
        home, programs, "due", "set", "--obligation", OBLIGATION, "--date", "2025-04-14",
        "--basis", basis, *more,
    )  # fmt: skip


def test_due_set_refuses_a_bare_a_huge_or_a_hidden_basis_and_a_hidden_name(
    tmp_path: Path,
) -> None:
    home, programs = tmp_path / "home", marked_program(tmp_path)
    assert roadmap(home, programs, "sync", "--as-of", "2025-01-09").returncode == 0
    refused = [
        ("ab", "--basis: основание: короче 5 символов"),
        ("x" * 100_000, "--basis: основание: длиннее 1000 символов"),
    ]
    refused += [(f"закон вступил{ch} в силу 15.03.2025", f"U+{ord(ch):04X}") for ch in HIDDEN]
    for basis, said in refused:
        done = set_due(home, programs, basis)
        assert done.returncode == 1, (basis[:20], done.stdout, done.stderr)
        assert said in " ".join(done.stderr.split()), (basis[:20], done.stderr)
        assert "Traceback" not in done.stderr
    done = set_due(home, programs, "закон вступил в силу 15.03.2025", "--by", "Ив\u2066анова")
    assert done.returncode == 1 and "--by: кто: есть невидимый" in done.stderr
    listed = json.loads(roadmap(home, programs, "due", "list", "--json").stdout)
    assert [r["due"] for r in listed] == [None]  # nothing set by any refused try
    # a basis with a no-break space and a decomposed «й» is recorded as a person reads it
    done = set_due(
        home, programs, "закон\u00a0вступил в силу 15.03.2025 (и\u0306)", "--by", "Иванова"
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(home / "roadmap.db") as db:
        (basis, by) = db.execute("SELECT basis, set_by FROM due_setting").fetchone()
    assert basis == "закон вступил в силу 15.03.2025 (й)" and by.startswith("Иванова")


def test_reasons_and_comments_with_hidden_characters_are_refused(tmp_path: Path) -> None:
    home, programs = tmp_path / "home", marked_program(tmp_path)
    assert roadmap(home, programs, "sync", "--as-of", "2025-01-09").returncode == 0
    tries = [
        ("na", "--obligation", "6.1:2025-03", "--reason", "курсы\u202e перенесены"),
        ("na", "--obligation", "6.1:2025-03", "--reason", "ab"),
        ("extend", "request", "--obligation", "6.1:2025-03", "--until", "2025-05-30",
         "--reason", "нет\u2028данных"),
        ("submit", "indicator", "--indicator", "1.1", "--period", "2025-03", "--org", "minsoc",
         "--value", "812", "--explanation", "рост\u200bдетей"),
    ]  # fmt: skip
    for args in tries:
        done = roadmap(home, programs, *args)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and args[-2] in done.stderr, (args, done.stderr)
    with sqlite3.connect(home / "roadmap.db") as db:
        states = dict(db.execute("SELECT id, state FROM obligation WHERE id LIKE '%:6.1:2025-03'"))
        extensions = db.execute("SELECT count(*) FROM extension").fetchone()[0]
        values = db.execute("SELECT count(*) FROM indicator_value").fetchone()[0]
    assert set(states.values()) != {"not_applicable"} and extensions == 0 and values == 0
