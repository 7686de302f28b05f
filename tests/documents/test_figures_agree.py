"""One number per figure: every table and text that shows a figure for the same date and
basis shows the same number.

The report test data (``reports_data.populate``) on both databases, as of 1 August 2025:
the consolidated report for the first half of 2025 and for the program's whole span (its
Word tables and texts, its workbook's «Итоги» and «Дисциплина», the information panel), the
federal summary's rows, and `roadmap status --by-org --json` run as its own process on
the same database, for the same period (the report's) or since the start (the federal
summary's).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from sqlalchemy.engine import Engine

from documents import texts
from documents.federal import report_rows
from roadmap.dates.periods import parse_period
from roadmap.program.model import Program
from roadmap.words.labels import EXECUTION_RU, INDICATOR_STATUS_RU
from roadmap.words.verdicts import ExecutionStatus, IndicatorStatus
from services import federal, reports
from services.runtime import Runtime
from services.settings import Settings
from storage.evidence import EvidenceStore
from tests.conftest import REPO
from tests.db import at
from tests.documents.reports_data import populate

AS_OF = dt.date(2025, 8, 1)
H1 = "2025-H1"


@pytest.fixture
def rt(synced: Engine, program: Program, store: EvidenceStore, tmp_path: Path) -> Runtime:
    populate(synced, program, store)
    clock = at(AS_OF.isoformat(), 9)
    return Runtime(
        Settings(home=tmp_path / "home", prefect_api_url=None),
        clock=lambda: clock,
        program_override=program,
        engine_override=synced,
        offline=True,
    )


def status_by_org(database_url: str, home: Path, *period: str) -> dict[str, Any]:
    """`roadmap status --by-org --json` as a person runs it, on the test's database."""
    env = {**os.environ, "ROADMAP_HOME": str(home), "ROADMAP_DATABASE_URL": database_url}
    args = ["status", "--as-of", AS_OF.isoformat(), "--by-org", "--json", *period]
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _table(document: Any, caption: str) -> list[list[str]]:
    """The rows of the table whose caption starts with ``caption`` («Таблица 5»)."""
    body = document.element.body
    tables = iter(document.tables)
    current = None
    for child in body.iterchildren():
        if child.tag.endswith("}tbl"):
            table = next(tables)
            if current is not None:
                return [[c.text for c in r.cells] for r in table.rows]
        elif child.tag.endswith("}p"):
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text.startswith(caption + "."):
                current = text
    raise AssertionError(f"no table captioned {caption}")


def _word(paths: list[Path]) -> dict[str, Any]:
    """The figures as the Word report shows them: Table 1's, Table 2's results, Table 3's
    activities, Table 5's executors, section 6.1 and the conclusions."""
    document = docx.Document(str(next(p for p in paths if p.suffix == ".docx")))
    paragraphs = [p.text for p in document.paragraphs]
    one = {row[0].strip(): row[1] for row in _table(document, "Таблица 1")[1:]}
    two = _table(document, "Таблица 2")
    result = two[0].index("Результат")
    results = [row[result] for row in two[1:] if len(set(row)) > 1]
    three = _table(document, "Таблица 3")
    status = three[0].index("Статус")
    checkpoints = [row[status] for row in three[1:] if len(set(row)) > 1]
    five = {row[0]: row[1:5] for row in _table(document, "Таблица 5")[1:]}
    captions = [p for p in paragraphs if p.startswith("Таблица ")]
    six = next((p for p in paragraphs if p.startswith("6.1. ")), "")
    conclusions = " ".join(p for p in paragraphs if p.startswith("7."))
    return {
        "one": one,
        "results": results,
        "checkpoints": checkpoints,
        "five": five,
        "captions": captions,
        "six": six,
        "conclusions": conclusions,
    }


def _excel(paths: list[Path]) -> dict[str, Any]:
    wb = openpyxl.load_workbook(next(p for p in paths if p.suffix == ".xlsx"))
    summary = {r[0]: r[1] for r in wb[texts.SHEET_SUMMARY].iter_rows(min_row=2, values_only=True)}
    discipline = {
        r[0]: list(r[1:5])
        for r in wb[texts.SHEET_DISCIPLINE].iter_rows(min_row=2, values_only=True)
    }
    return {"summary": summary, "discipline": discipline}


def _panel(path: Path) -> dict[str, Any]:
    html = path.read_text(encoding="utf-8")
    lead = re.search(r"достигнуты по <b>(\d+)</b>", html)
    chips = re.findall(r'<span class="chip \w+"><b>(\d+)</b>([^<]+)</span>', html)
    cell = r'<td class="num"[^>]*>'  # a phone reads each cell with its column's data-label
    rows = re.findall(
        r"<tr><td>([^<]+)</td>"
        + (cell + r"(\d+)</td>") * 4
        + cell
        + r"[^<]*</td>"
        + cell
        + r"[^<]*</td></tr>",
        html,
    )
    return {
        "achieved": int(lead.group(1)) if lead else None,
        "activities": {label: int(n) for n, label in chips},
        "discipline": {name: [int(x) for x in counts] for name, *counts in rows},
        "html": html,
    }


def test_every_table_and_text_of_the_half_year_shows_the_same_numbers(
    rt: Runtime, program: Program, database_url: str, tmp_path: Path
) -> None:
    period = parse_period(H1)
    files = reports.consolidated_report(
        rt, as_of=AS_OF, period=period, out_dir=tmp_path / "out", formats=("docx", "xlsx")
    )
    report, s = files.report, files.report.summary
    assert s is not None
    word, excel = _word(files.paths), _excel(files.paths)
    panel = _panel(
        reports.panel_page(rt, as_of=AS_OF, period=period, public=False, out_dir=tmp_path / "p")
    )

    # achieved: Table 1, Table 2's result column, the «Итоги», the panel, the conclusions
    achieved = word["one"]["плановое значение достигнуто"]
    assert int(achieved) == s.indicators_achieved
    assert word["results"].count(INDICATOR_STATUS_RU[IndicatorStatus.ACHIEVED]) == int(achieved)
    assert excel["summary"]["плановое значение достигнуто"] == int(achieved)
    assert panel["achieved"] == int(achieved)
    assert f"Плановые значения достигнуты по {achieved} " in word["conclusions"]
    # the forecast is its own column: no result reads as a forecast's verdict
    assert "риск недостижения" not in word["results"]

    # activities by status: Table 1, the «Итоги», the panel's chips and the conclusions
    for k in ExecutionStatus:
        n = s.activities.get(k, 0)
        assert excel["summary"][f"мероприятий: {EXECUTION_RU[k]}"] == n, k
        assert int(word["one"].get(EXECUTION_RU[k], "0")) == n, k
        assert panel["activities"].get(EXECUTION_RU[k], 0) == n, k
        assert (f"{EXECUTION_RU[k]} — {n}" in word["conclusions"]) == bool(n), k
    # a document on review is not «выполнено»: February's came late and was never reviewed
    assert EXECUTION_RU[ExecutionStatus.ON_REVIEW] in word["checkpoints"]

    # 6.1: «по N обязательствам», and its parts add up to N
    total = re.search(r"по (\d+) обязательств", word["six"])
    assert total, word["six"]
    parts = [int(n) for n in re.findall(r" — (\d+)", word["six"])]
    assert sum(parts) == int(total.group(1))

    # the executors: Table 5, the workbook, the panel and `status --by-org --period`
    cli = status_by_org(database_url, tmp_path / "cli", "--period", H1)
    by_org = {r["org"]: r for r in cli["rates"]}
    names = {o.short_name: o.id for o in program.organizations}
    assert word["five"] and set(word["five"]) == set(panel["discipline"])
    for name, cells in word["five"].items():
        figures = [int(c) for c in cells]  # due, on time, late, not done
        assert excel["discipline"][name] == figures
        assert panel["discipline"][name] == figures
        r = by_org[names[name]]
        assert [r["due"], r["on_time"], r["late"], r["not_done"]] == figures, name
    # every caption of a count of obligations says what it counts, as the command does
    basis = report.basis.text
    assert cli["basis"] == basis and any(c.endswith(basis) for c in word["captions"])
    assert excel["summary"]["Исполнение обязательств учитывает"] == basis
    assert f"Учтены {basis}." in panel["html"]


def test_the_federal_row_and_the_whole_span_report_count_alike(
    rt: Runtime, database_url: str, tmp_path: Path
) -> None:
    files = reports.consolidated_report(
        rt, as_of=AS_OF, period=None, out_dir=tmp_path / "out", formats=("docx",)
    )
    five = _word(files.paths)["five"]
    view = federal.federal_view(rt, as_of=AS_OF)
    [row] = view.regions
    # since the start: the report over the program's whole span counts the same obligations
    assert row.executors_due == sum(int(c[0]) for c in five.values())
    assert row.executors_on_time == sum(int(c[1]) for c in five.values())
    assert row.executors_fulfilled == sum(int(c[1]) + int(c[2]) for c in five.values())
    cli = status_by_org(database_url, tmp_path / "cli")
    scored = {o.id for o in rt.program.organizations if not o.is_group}
    assert row.executors_due == sum(r["due"] for r in cli["rates"] if r["org"] in scored)
    # consolidated reports: a report not received is not late-received
    consolidated = [
        o
        for o in cli["obligations"]
        if o["report_kind"] == "consolidated" and o["due"] <= "2025-08-01"
    ]
    received = [o for o in consolidated if o["status"] == "done"]
    [cells] = [r for r in report_rows(view) if r[0] == row.region]
    assert cells[1:4] == [str(len(consolidated)), str(len(received)), str(row.consolidated_late)]
    late = [o for o in received if o["fulfilled_on"] > o["due"]]
    assert row.consolidated_late == len(late)
    assert row.consolidated_not_received == len(consolidated) - len(received)
