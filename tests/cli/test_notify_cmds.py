"""contacts, notify and outbox through the command line, with the file outbox."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from tests.notifications.conftest import CONTACTS

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return r.exit_code, r.stdout, r.stderr


def test_contacts_notify_and_outbox(home: Path) -> None:
    assert run("sync", "--as-of", "2025-01-09")[0] == 0
    code, out, _ = run("contacts", "load", str(CONTACTS))
    assert code == 0 and "добавлено 19" in out
    assert "изменено 0" in run("contacts", "load", str(CONTACTS))[1]
    code, out, _ = run("notify", "--as-of", "2025-01-09")
    assert code == 0 and "записано сообщений" in out and "Отправлено сообщений" in out
    items = json.loads(run("outbox", "--json")[1])
    assert items and {i["state"] for i in items} == {"sent"}
    assert {
        "date",
        "obligation",
        "activity",
        "period",
        "step",
        "recipient_org",
        "recipient_role",
        "channel",
    } <= set(items[0])
    assert list((home / "outbox" / "2025-01-09").glob("*.eml"))
    code, out, _ = run("notify", "--as-of", "2025-01-09")
    assert "записано сообщений 0" in out


def test_notify_without_contacts_says_so(home: Path) -> None:
    run("sync", "--as-of", "2025-01-09")
    code, out, _ = run("notify", "--as-of", "2025-01-09", "--no-send")
    assert code == 0 and "Нет получателей" in out


def test_bad_contacts_file_is_refused_with_locations(home: Path, tmp_path: Path) -> None:
    run("sync")
    bad = tmp_path / "contacts.yaml"
    bad.write_text(
        "contacts:\n"
        "  - {org: nobody, role: executor, name: X, email: x@example.org}\n"
        "  - {org: minsoc, role: boss, name: Y, email: y@example.org}\n"
        "  - {org: minsoc, role: head, name: Z, email: not-an-address}\n"
        "  - {org: minsoc, role: head, name: W}\n",
        "utf-8",
    )
    code, _, err = run("contacts", "load", str(bad))
    assert code == 1
    assert f"{bad}:2: contacts[0].org: организации «nobody» нет в программе" in err
    assert f"{bad}:3: contacts[1].role" in err and f"{bad}:4: contacts[2].email" in err
    assert "нужен e-mail, чат Telegram или получатель в MAX" in err
    assert "добавлено" not in run("contacts", "list")[1]


def test_forget_person_erases_name_and_addresses(home: Path) -> None:
    run("sync", "--as-of", "2025-01-09")
    run("contacts", "load", str(CONTACTS))
    run("notify", "--as-of", "2025-01-09")
    assert "m.sokolova@minobr.example.org" in run("outbox", "--json")[1]
    code, out, _ = run("contacts", "forget", "--name", "Марина Олеговна Соколова")
    assert code == 0
    assert "Соколова" not in run("contacts", "list")[1]
    outbox = run("outbox", "--json")[1]
    assert "sokolova" not in outbox and "Соколова" not in outbox
    assert run("contacts", "forget", "--name", "Нет Такого")[0] == 1
