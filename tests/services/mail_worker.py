"""A separate process for the mail tests: ``python -m tests.services.mail_worker DB IMAP HOME
[die-before-move|die-before-commit]``.

It reads the mailbox as the «Входящая почта» deployment does, on a fixed clock; with
``die-before-move`` it kills itself (SIGKILL) when it is about to move the first letter out
of the inbox, after that letter's record is committed; with ``die-before-commit`` when it is
about to commit it.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from notifications import mailbox
from notifications.delivery import ReplyTags, make_transports
from roadmap.program.loader import DEFAULT_PROGRAM, load_program
from services import mail
from services.runtime import Runtime
from services.settings import Settings
from storage import mail as storage_mail
from storage.db import make_engine
from tests.mailserver import USER
from tests.services.mail_case import KEY, NOW


def _die(*_args: Any, **_kwargs: Any) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(db: str, imap_url: str, home: str, fault: str = "") -> None:
    program = load_program(DEFAULT_PROGRAM)
    settings = Settings(
        home=Path(home),
        intake_secret=SecretStr(KEY.decode()),
        imap_url=SecretStr(imap_url),
        mail_reply_to=USER,
        quiet_hours=False,
    )
    transports = make_transports(
        outbox_dir=Path(home) / "outbox", smtp_url=None, telegram_token=None,
        telegram_api_url="http://127.0.0.1:9/bot", mail_from="roadmap@minsoc.example.org",
        replies=ReplyTags(USER, lambda _p: KEY),
    )  # fmt: skip
    rt = Runtime(settings, clock=lambda: NOW, program_override=program,
                 transports_override=transports, engine_override=make_engine(db), offline=True)  # fmt: skip
    if fault == "die-before-move":
        mailbox.Mailbox.move = _die  # type: ignore[method-assign]
    if fault == "die-before-commit":
        mail.settle_mail = _die  # type: ignore[assignment]
        storage_mail.settle_mail = _die  # type: ignore[assignment]
    mail.fetch_mail(rt)


if __name__ == "__main__":
    main(*sys.argv[1:5])
