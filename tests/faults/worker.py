"""A separate process for the fault tests: ``python -m tests.faults.worker ACTION DB SMTP DAY``.

``sweep`` runs the day's sweep (record and send), ``deliver`` only sends; e-mail goes to
the SMTP URL, Telegram to the file outbox under the DB's folder.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from notifications.delivery import make_transports
from notifications.sending import deliver
from roadmap.dates.workdays import get_calendar
from roadmap.program.loader import DEFAULT_PROGRAM, load_program
from services.sweep import run_sweep
from storage.db import make_engine
from tests.db import at


def main(action: str, db: str, smtp: str, day: str) -> None:
    program, cal = load_program(DEFAULT_PROGRAM), get_calendar()
    engine = make_engine(db)
    transports = make_transports(
        outbox_dir=Path(tempfile.mkdtemp(prefix="worker-outbox-")), smtp_url=smtp,
        telegram_token=None, telegram_api_url="http://127.0.0.1:9/bot", mail_from="r@example.org",
    )  # fmt: skip
    now = at(day, 10)
    if action == "sweep":
        run_sweep(engine=engine, program=program, as_of=dt.date.fromisoformat(day), now=now,
                  calendar=cal, transports=transports)  # fmt: skip
    else:
        deliver(engine=engine, now=now, transports=transports,
                zone=ZoneInfo(program.timezone), calendar=cal, program_title=program.title)  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:5])
