"""consolidate and panel through the command line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return r.exit_code, r.stdout, r.stderr


def test_consolidate_writes_docx_xlsx_and_charts(home: Path, tmp_path: Path) -> None:
    run("sync", "--as-of", "2025-01-09")
    code, out, err = run(
        "consolidate", "--as-of", "2025-08-01", "--period", "2025-H1", "--out", str(tmp_path / "r")
    )
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "r").iterdir())
    # no indicator values yet, so no indicator misses its target: no «misses» chart
    assert names == [
        "svodnyi-otchet-2025-H1-na-2025-08-01-headcount.png",
        "svodnyi-otchet-2025-H1-na-2025-08-01-timeliness.png",
        "svodnyi-otchet-2025-H1-na-2025-08-01.docx",
        "svodnyi-otchet-2025-H1-na-2025-08-01.xlsx",
    ]
    assert "Не представлены документы" in out.replace("\u00a0", " ")
    assert "Сводный отчёт за I полугодие 2025 года на 1 августа 2025 г.:" in out.replace(
        "\u00a0", " "
    )


def test_consolidate_refuses_bad_period_and_format_and_writes_nothing(
    home: Path, tmp_path: Path
) -> None:
    run("sync")
    out = tmp_path / "r"
    code, _, err = run("consolidate", "--period", "2025-Q9", "--out", str(out))
    assert code == 1 and "--period" in err
    code, _, err = run("consolidate", "--period", "2031", "--out", str(out))
    assert code == 1 and "вне срока программы" in err
    code, _, err = run("consolidate", "--period", "2025", "--format", "pdf", "--out", str(out))
    assert code == 1 and "--format" in err
    assert not out.exists()


def test_panel_internal_and_public(home: Path, tmp_path: Path) -> None:
    from tests.notifications.conftest import CONTACTS

    run("sync", "--as-of", "2025-01-09")
    run("contacts", "load", str(CONTACTS))
    assert run("panel", "--as-of", "2025-08-01", "--out", str(tmp_path / "in"))[0] == 0
    assert run("panel", "--as-of", "2025-08-01", "--out", str(tmp_path / "pub"), "--public")[0] == 0
    internal = (tmp_path / "in" / "index.html").read_text("utf-8")
    public = (tmp_path / "pub" / "index.html").read_text("utf-8")
    assert "example.org" in internal and "example.org" not in public
    assert "Мероприятия, не выполненные в срок" in internal
    assert "Мероприятия, не выполненные в срок" not in public and "Период: 2025–2026 годы" in public
