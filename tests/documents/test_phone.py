"""The information panel and its public form on a phone: Debian's Chromium at 390 px wide.

Neither page may be wider than the screen: tables fold each row into a block, cards stack,
charts shrink to the width. A screenshot of each is kept with the test's files.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy.engine import Engine

from documents.consolidation import make_charts
from documents.panel import panel_context, render_panel, write_panel
from documents.public import public_context, render_public
from roadmap.dates.periods import parse_period
from roadmap.dates.workdays import get_calendar
from roadmap.obligations.recipients import Contact
from roadmap.program.model import Program
from roadmap.reports.report import build_report
from storage.db import session_scope
from storage.evidence import EvidenceStore
from storage.reporting import report_facts
from tests.documents.reports_data import populate
from tests.intake.test_browser import ARGS, CHROMIUM

PHONE = 390
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
CONTACT = Contact(
    id=1,
    org="minsoc",
    role="executor",
    name="Анна Петровна Иванова-Длиннофамильная",
    email="anna.petrovna.ivanova-dlinnofamilnaya@minsoc.example.org",
)


@sqlite_only
def test_the_panel_and_the_public_form_fit_a_phone_390_px_wide(
    synced: Engine, program: Program, store: EvidenceStore, tmp_path: Path
) -> None:
    assert Path(CHROMIUM).exists(), "Debian's chromium is not installed (scripts/test.sh)"
    populate(synced, program, store)
    with session_scope(synced) as s:
        facts = report_facts(session=s, program_id=program.id)
    report = build_report(
        program,
        facts,
        as_of=dt.date(2025, 8, 1),
        period=parse_period("2025-H1"),
        calendar=get_calendar(),
    )
    charts = make_charts(report, program)
    panel = render_panel(panel_context(report, program, charts, public=False, contacts=[CONTACT]))
    public = render_public(
        public_context(report, program, make_charts(report, program, plain=True))
    )
    pages = {
        "panel": write_panel(panel, tmp_path / "panel"),
        "public": write_panel(public, tmp_path / "public"),
    }
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which(CHROMIUM) or CHROMIUM, args=ARGS)
        try:
            for name, path in pages.items():
                page = browser.new_page(viewport={"width": PHONE, "height": 844})
                page.goto(path.as_uri())
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE, f"{name}: {width} px wide on a {PHONE} px screen"
                images = page.evaluate(
                    "[...document.images].map(i => i.getBoundingClientRect().right)"
                )
                assert images and max(images) <= PHONE, (name, images)
                page.screenshot(path=str(tmp_path / f"{name}-{PHONE}.png"), full_page=True)
                page.close()
        finally:
            browser.close()
    assert (tmp_path / f"public-{PHONE}.png").stat().st_size > 0
