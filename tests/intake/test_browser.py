"""End to end in headless Chromium: a reminder's link, a PDF uploaded, the evidence stored.

Debian's `chromium` is driven by Playwright's Python package (its own browser download does
not work on this network); `scripts/test.sh` installs the package when it is missing.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import sync_playwright
from sqlalchemy.engine import Engine

from intake.app import Intake, create_app
from notifications.delivery import make_transports
from roadmap.dates.workdays import get_calendar
from roadmap.program.model import Program
from services.sweep import run_sweep
from services.tokens import make_token
from storage.db import session_scope
from storage.evidence import list_evidence
from tests.intake.conftest import KEY, NOW
from tests.peers import SmtpServer, free_port
from tests.storage.files import PDF

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
OB = "krasnoyarsk-2025-2026:6.1:2025-06"


@pytest.fixture
def served(intake: Intake) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(intake), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    end = time.monotonic() + 15
    while not server.started and time.monotonic() < end:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_reminder_link_opens_in_chromium_and_a_pdf_upload_is_stored(
    with_contacts: Engine, program: Program, intake: Intake, served: str, smtp: SmtpServer, tmp_path: Path
) -> None:  # fmt: skip
    assert Path(CHROMIUM).exists(), (
        "Debian's chromium is not installed (scripts/test.sh installs it)"
    )
    transports = make_transports(outbox_dir=tmp_path / "outbox", smtp_url=smtp.url, telegram_token=None,
                                 telegram_api_url="x", mail_from="robot@example.org")  # fmt: skip

    def link_for(obligation_id: str, org: str) -> str:
        return f"{served}/i/" + make_token(
            obligation_id, org, key=KEY, now=NOW, ttl=dt.timedelta(days=30)
        )

    run_sweep(engine=with_contacts, program=program, as_of=NOW.date(), now=NOW, calendar=get_calendar(),
              transports=transports, link_for=link_for, obligation_ids=[OB])  # fmt: skip
    mails = smtp.wait_for(1)
    to_minzdrav = next(
        m
        for (_, rcpt), m in zip(smtp.envelopes, mails, strict=True)
        if rcpt == ["t.kozlova@minzdrav.example.org"]
    )
    text = next(
        p.get_payload(decode=True).decode()
        for p in to_minzdrav.walk()
        if p.get_content_type() == "text/plain"
    )
    url = re.search(rf"{re.escape(served)}/i/\S+", text)
    assert url, text
    document = tmp_path / "численность июнь.pdf"
    document.write_bytes(PDF)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.goto(url.group(0))
        assert "Мониторинг численности детей в учреждениях" in page.content()
        page.fill("#name", "Козлова Татьяна Юрьевна")
        page.set_input_files("#files", str(document))
        page.fill("#indicator-1_1", "118")
        page.screenshot(path=str(tmp_path / "form.png"), full_page=True)
        page.click("button[value=submit]")
        page.wait_for_selector("text=Спасибо", timeout=15000)
        # the confirmation names what came (the document, the value), never a file name
        seen = page.content()
        assert "Получены документы" in seen and "численность июнь.pdf" not in seen
        assert "118" in seen
        browser.close()
    with session_scope(with_contacts) as s:
        versions = list_evidence(session=s, obligation_id=OB)
    assert [(v.original_name, v.channel, v.submitted_org) for v in versions] == [
        ("численность июнь.pdf", "intake", "minzdrav")
    ]
