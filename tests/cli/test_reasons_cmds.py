"""roadmap reasons: the coordinator records reasons given on paper; the report prints them."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_reasons_given_on_paper_reach_table_3_and_section_7(home: Path, tmp_path: Path) -> None:
    run("sync")
    code, out, err = run(
        "reasons",
        "add",
        "--obligation",
        "1.5:2025-H1",
        "--org",
        "minobr",
        "--reasons",
        "суды отложили решения",
        "--measures",
        "направлены запросы в суды",
        "--by",
        "Белова О. Н.",
    )
    assert code == 0, err
    assert "Причины по обязательству krasnoyarsk-2025-2026:1.5:2025-H1 внесены" in out
    code, _, err = run("reasons", "add", "--org", "minobr", "--reasons", "без предмета")
    assert code == 1 and "--obligation или --indicator" in err
    code, _, err = run(
        "reasons",
        "add",
        "--indicator",
        "1.5",
        "--period",
        "2031-H1",
        "--org",
        "minobr",
        "--reasons",
        "вне программы",
    )
    assert code == 1 and err.strip()
    code, out, _ = run("reasons", "list", "--json")
    assert json.loads(out) == [
        {
            "subject": "1.5:2025-H1",
            "org": "Минобразования края",
            "reasons": "суды отложили решения",
            "measures": "направлены запросы в суды",
        }
    ]
    out_dir = tmp_path / "out"
    # as of today, the day the reasons were recorded (a report as of an earlier day would
    # not know them yet)
    code, _, err = run(
        "consolidate",
        "--period",
        "2025-H1",
        "--format",
        "docx,xlsx",
        "--out",
        str(out_dir),
    )
    assert code == 0, err
    (path,) = out_dir.glob("*.docx")
    document = docx.Document(str(path))
    table3 = next(
        t
        for t in document.tables
        if "Причины невыполнения и принятые меры" in t.rows[0].cells[-1].text
    )
    cells = [r.cells[-1].text for r in table3.rows]
    assert "Причины: суды отложили решения\nПринятые меры: направлены запросы в суды" in cells
    assert "причины не представлены" in cells  # another activity not done, no reasons
    sheet = openpyxl.load_workbook(next(out_dir.glob("*.xlsx")))["Мероприятия"]
    header = [c.value for c in sheet[1]]
    column = header.index("Причины невыполнения и принятые меры")
    given = {r[column].value for r in sheet.iter_rows(min_row=2) if r[1].value == "1.5"}
    assert "Причины: суды отложили решения\nПринятые меры: направлены запросы в суды" in given
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1.5. " in text and "не выполнено: причины — суды отложили решения" in text
