"""A report for a date is the same whenever it is made: the seeded simulation, read on the day
and from the final database.

The simulation runs from 23 June to 8 August 2025 (the first half-year's checkpoint, the
executors' reports due on 28 July, the consolidated report due on 1 August, documents handed
in late and reviewed days after they came). At the end of chosen days the database is
copied: what was known that day. After the run, the consolidated report's Word text and
Excel values, the information panel's text and ``roadmap status --json --by-org`` made from
each copy for its day equal those made for the same day from the final database, where
everything recorded later is there too.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from typer.testing import CliRunner

from cli.main import app
from roadmap.program.contacts import load_contacts
from roadmap.program.model import Program
from services import reports
from services import runtime as services_runtime
from services.runtime import Runtime
from services.settings import Settings
from simulation.behaviour import load_profile
from simulation.engine import Simulation, simulation_runtime
from tests.fixtures import CONTACTS

START, END = dt.date(2025, 6, 23), dt.date(2025, 8, 8)
# the checkpoint, the executors' reports due, the consolidated report due
REPORT_DAYS = (dt.date(2025, 6, 30), dt.date(2025, 7, 28), dt.date(2025, 8, 1))
# the status on a few other days besides: the first, one between, the last
STATUS_DAYS = (START, *REPORT_DAYS, dt.date(2025, 7, 14), END)


def copy_database(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def word_text(path: Path) -> list[str]:
    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        lines += [" | ".join(c.text for c in row.cells) for row in table.rows]
    for section in doc.sections:
        lines += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return lines


def excel_values(path: Path) -> dict[str, list[list[object]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.parts.append(data.strip())


def page_text(path: Path) -> list[str]:
    parser = _Text()
    parser.feed(path.read_text("utf-8"))
    return parser.parts


def outputs(rt: Runtime, day: dt.date, out: Path) -> dict[str, object]:
    """What a coordinator gets for ``day``: the H1 report's Word and Excel, and the panel."""
    period = rt.program.period_within("2025-H1")
    files = reports.consolidated_report(
        rt, as_of=day, period=period, out_dir=out, formats=("docx", "xlsx")
    )
    docx, xlsx = sorted(files.paths, key=lambda p: p.suffix)
    panel = reports.panel_page(rt, as_of=day, period=period, public=False, out_dir=out / "panel")
    return {"word": word_text(docx), "excel": excel_values(xlsx), "panel": page_text(panel)}


def status_json(database: Path, day: dt.date) -> object:
    services_runtime.reset()
    result = CliRunner().invoke(
        app,
        ["status", "--as-of", day.isoformat(), "--json", "--by-org"],
        env={"ROADMAP_DATABASE_URL": f"sqlite:///{database}"},
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def simulated(home: Path, program: Program, tmp_path: Path) -> tuple[Runtime, Path]:
    """The simulation run, with a copy of its database at the end of each chosen day."""
    rt = simulation_runtime(Settings(), program, tmp_path / "run")
    database = tmp_path / "run" / "simulation.db"
    chosen = set(STATUS_DAYS)

    def at_day_end(day: dt.date) -> None:
        if day in chosen:
            copy_database(database, tmp_path / "then" / day.isoformat() / "simulation.db")

    Simulation(
        rt,
        profile=load_profile(None),
        seed=3,
        start=START,
        end=END,
        contacts=load_contacts(CONTACTS, program),
        write_reports=False,
    ).run(progress=at_day_end)
    return rt, tmp_path


def test_outputs_for_a_day_equal_those_made_on_it(
    simulated: tuple[Runtime, Path], program: Program
) -> None:
    rt, root = simulated
    final = root / "run" / "simulation.db"
    # the day's acts happen hour by hour, and are recorded so: the documents handed in at
    # nine before the report made at noon, the reviews of the afternoon after it
    with sqlite3.connect(final) as db:
        moments = [m for (m,) in db.execute("SELECT at FROM audit ORDER BY id")]
    assert moments == sorted(moments)
    differ: list[tuple[str, str]] = []
    for day in STATUS_DAYS:
        then = root / "then" / day.isoformat() / "simulation.db"
        if status_json(final, day) != status_json(then, day):
            differ.append((day.isoformat(), "status --json"))
    on_review = 0
    for day in REPORT_DAYS:
        then_rt = simulation_runtime(Settings(), program, root / "then" / day.isoformat())
        try:
            made_then = outputs(then_rt, day, root / "out-then" / day.isoformat())
        finally:
            then_rt.engine.dispose()
        made_later = outputs(rt, day, root / "out-final" / day.isoformat())
        differ += [
            (day.isoformat(), part) for part in made_then if made_later[part] != made_then[part]
        ]
        on_review += sum("на проверке" in line for line in made_then["word"])  # type: ignore[union-attr]
    rt.engine.dispose()
    assert differ == []
    assert on_review, "some documents were still on review on a reporting day"
