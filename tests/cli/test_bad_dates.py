"""Dates: the command line refuses one outside the program's window, and a bad date already
in the database (written there by hand) never takes status, notify, consolidate or panel down."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from cli.main import app
from services import runtime as services_runtime

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return r.exit_code, r.stdout, r.stderr


def test_as_of_and_until_outside_the_window_are_refused(home: Path) -> None:
    assert run("sync", "--as-of", "2025-01-09")[0] == 0
    for args in (
        ("status", "--as-of", "9999-12-31"),
        ("notify", "--as-of", "2023-12-31"),
        ("consolidate", "--as-of", "2029-01-01", "--period", "2025", "--out", str(home / "r")),
        ("panel", "--as-of", "3000-01-01", "--out", str(home / "p")),
        ("sync", "--as-of", "1999-01-01"),
    ):
        code, _, err = run(*args)
        assert code == 1 and "вне допустимых дат 01.01.2024–31.12.2028" in err, args
        assert "Traceback" not in err
    code, _, err = run(
        "extend",
        "request",
        "--obligation",
        "6.1:2025-03",
        "--until",
        "9999-12-31",
        "--reason",
        "опечатка",
    )
    assert code == 1 and "новый срок: 31.12.9999 вне допустимых дат" in err


def test_a_bad_date_in_the_database_does_not_take_the_program_down(home: Path) -> None:
    assert run("sync", "--as-of", "2025-01-09")[0] == 0
    engine = services_runtime.current().engine
    with engine.begin() as conn:
        for suffix, due in ((":6.1:2025-03", "9999-12-31"), (":6.1:2025-04", "0001-01-01")):
            conn.execute(
                text("UPDATE obligation SET due = :due WHERE id LIKE :id"),
                {"due": due, "id": "%" + suffix},
            )
    services_runtime.reset()
    code, out, err = run("status", "--as-of", "2025-08-01", "--json", "--by-org")
    assert code == 0, err
    assert '"due": "9999-12-31"' in out and '"due": "0001-01-01"' in out
    code, out, err = run("notify", "--as-of", "2025-08-01")
    assert code == 0, err
    code, _, err = run(
        "consolidate", "--as-of", "2025-08-01", "--period", "2025-H1", "--out", str(home / "r")
    )
    assert code == 0, err
    code, _, err = run("panel", "--as-of", "2025-08-01", "--out", str(home / "p"))
    assert code == 0, err
