"""4. The outbox sending to a local SMTP server (aiosmtpd), against a plain smtplib loop.

Each working day of January–March 2025 the program's messages are planned into the
outbox, then ``deliver`` (timed) sends the e-mails through apprise to the local server.
The reference sends the same e-mails (subject, text and HTML parts) with ``smtplib``
over one connection.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import tempfile
import time
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.common import Results, at, program, synced_database
from notifications.delivery import make_transports
from notifications.sending import deliver
from roadmap.dates.workdays import get_calendar
from services.sweep import run_sweep
from tests.peers import smtp_server


def _rebuilt(m: Message) -> bytes:
    """The same e-mail as a plain program would build it: subject, text and HTML parts."""
    mail = EmailMessage()
    mail["Subject"] = str(make_header(decode_header(m["Subject"])))
    mail["From"], mail["To"] = "robot@roadmap.example.org", m["To"]
    bodies = {p.get_content_type(): p.get_payload(decode=True) for p in m.walk()}
    mail.set_content(bodies["text/plain"].decode())
    mail.add_alternative(bodies["text/html"].decode(), subtype="html")
    return mail.as_bytes(policy=policy.SMTP)


def run(results: Results) -> None:
    prog, cal = program(), get_calendar("RU")
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp, smtp_server() as smtp:
        engine = synced_database(f"sqlite:///{tmp}/roadmap.db")
        transports = make_transports(outbox_dir=Path(tmp) / "outbox", smtp_url=smtp.url,
                                     telegram_token=None, telegram_api_url="http://127.0.0.1:9/bot",
                                     mail_from="robot@roadmap.example.org")  # fmt: skip
        elapsed, zone = 0.0, ZoneInfo(prog.timezone)
        for day in cal.working_days(dt.date(2025, 1, 9), dt.date(2025, 3, 31)):
            run_sweep(engine=engine, program=prog, as_of=day, now=at(day), calendar=cal,
                      transports=None)  # fmt: skip
            t = time.perf_counter()
            deliver(engine=engine, now=at(day, 11), transports=transports, zone=zone,
                    calendar=cal, program_title=prog.title)  # fmt: skip
            elapsed += time.perf_counter() - t
        mails = smtp.wait_for(1)
        engine.dispose()
        count = len(mails)
        raw = [_rebuilt(m) for m in mails]
        t = time.perf_counter()
        with smtplib.SMTP(smtp.host, smtp.port) as client:
            for data in raw:
                client.sendmail("robot@roadmap.example.org", ["x@example.org"], data)
        reference = time.perf_counter() - t
    ours, theirs = count / elapsed, count / reference
    results.add("outbox", f"plain smtplib loop, one connection ({count} e-mails)",
                f"{theirs:.0f} msg/s")  # fmt: skip
    results.add("outbox", f"outbox → apprise → SMTP ({count} e-mails, with the DB bookkeeping)",
                f"{ours:.0f} msg/s = {ours / theirs:.2f}× the reference")  # fmt: skip
