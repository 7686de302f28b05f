"""roadmap mail fetch through the command line, against the test session's Dovecot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from services.mail import FOLDERS
from tests.mailserver import USER, ImapServer

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return r.exit_code, r.stdout, r.stderr


def test_mail_fetch_without_a_mailbox_says_which_setting_is_missing(home: Path) -> None:
    code, _, err = run("mail", "fetch")
    assert code == 1 and "ROADMAP_IMAP_URL" in err


def test_mail_fetch_refuses_plain_imap_beyond_this_machine(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_IMAP_URL", "imap://u:secret-pass@mail.example.org/INBOX")
    code, _, err = run("mail", "fetch")
    assert code == 1 and "imaps://" in err and "secret-pass" not in err


def test_mail_fetch_files_a_stray_letter_as_not_ours(
    home: Path, imap: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_IMAP_URL", imap.url)
    monkeypatch.setenv("ROADMAP_MAIL_REPLY_TO", USER)
    assert run("sync", "--as-of", "2025-01-09")[0] == 0
    imap.deliver(
        b"From: Someone <someone@example.com>\r\nTo: " + USER.encode() + b"\r\n"
        b"Subject: =?utf-8?b?0J7RgtGH0ZHRgg==?=\r\nMessage-ID: <stray@example.com>\r\n\r\nHello\r\n"
    )
    code, out, _ = run("mail", "fetch", "--as-of", "2025-03-20", "--json")
    assert code == 0 and json.loads(out) == {
        "read": 1, "accepted": 0, "refused": 0, "not_ours": 1, "filed_again": 0, "documents": 0,
    }  # fmt: skip
    assert len(imap.folder(FOLDERS["not-ours"])) == 1 and imap.folder("INBOX") == []
    code, out, _ = run("mail", "fetch")
    assert code == 0 and "Писем прочитано: 0" in out
