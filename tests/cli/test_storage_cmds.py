"""sync, status, submit, review, extend, na and evidence through the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from tests.storage.files import ELF, PDF

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_status_before_sync_says_what_to_do(home: Path) -> None:
    code, _, err = run("status", "--as-of", "2025-04-10")
    assert code == 1 and "roadmap sync" in err


def test_sync_is_idempotent(home: Path) -> None:
    code, out, _ = run("sync")
    assert code == 0 and "создано 212" in out
    code, out, _ = run("sync")
    assert code == 0 and "изменений нет" in out


def test_submit_review_and_status(home: Path, tmp_path: Path) -> None:
    run("sync")
    doc = tmp_path / "отчёт март.pdf"
    doc.write_bytes(PDF)
    code, out, err = run("submit", "evidence", "--obligation", "6.1:2025-03", "--file", str(doc),
                         "--effective", "2025-04-01", "--by", "Петрова", "--org", "minsoc")  # fmt: skip
    assert code == 0, err
    assert "версия 1" in out and "application/pdf" in out
    code, out, _ = run("status", "--as-of", "2028-12-31", "--json")
    items = {i["id"]: i for i in json.loads(out)}
    ob = items["krasnoyarsk-2025-2026:6.1:2025-03"]
    assert ob["state"] == "submitted" and ob["status"] == "done"
    # in words a document on review is received, not done
    code, out, _ = run("status", "--as-of", "2028-12-31")
    assert "получено, на проверке — 1" in out and "выполнено — " not in out
    assert {
        "id",
        "activity",
        "kind",
        "period",
        "due",
        "owners",
        "state",
        "overdue_working_days",
    } <= set(ob)
    code, _, err = run("review", "--obligation", "6.1:2025-03", "--reject")
    assert code == 1 and "комментарий" in err
    code, out, _ = run(
        "review", "--obligation", "6.1:2025-03", "--reject", "--comment", "нет подписи"
    )
    assert code == 0 and "возвращён на доработку" in out
    code, out, _ = run("evidence", "--obligation", "6.1:2025-03", "--json")
    assert json.loads(out)[0]["review_state"] == "rejected"


def test_submit_evidence_takes_the_documents_details(home: Path, tmp_path: Path) -> None:
    run("sync")
    doc = tmp_path / "постановление.pdf"
    doc.write_bytes(PDF)
    code, out, err = run(
        "submit",
        "evidence",
        "--obligation",
        "1.1:2025-Q1",
        "--file",
        str(doc),
        "--doc-type",
        "постановление Правительства края",
        "--doc-number",
        "№ 123-п",
        "--doc-date",
        "2025-03-28",
        "--doc-title",
        "Об утверждении программы",
    )
    assert code == 0, err
    code, out, _ = run("evidence", "--obligation", "1.1:2025-Q1", "--json")
    [ev] = json.loads(out)
    assert (ev["doc_type"], ev["doc_number"], ev["doc_date"], ev["doc_title"]) == (
        "постановление Правительства края",
        "123-п",
        "2025-03-28",
        "Об утверждении программы",
    )
    assert ev["effective_date"] == "2025-03-28"
    code, out, _ = run("evidence", "--obligation", "1.1:2025-Q1")
    assert "постановление Правительства края от 28.03.2025 № 123-п" in out
    code, _, err = run(
        "submit",
        "evidence",
        "--obligation",
        "1.1:2025-Q1",
        "--file",
        str(doc),
        "--doc-date",
        "28.03.2025",
    )
    assert code != 0 and "--doc-date" in err


def test_status_by_org_carries_rates(home: Path) -> None:
    run("sync")
    code, out, _ = run("status", "--as-of", "2025-08-01", "--org", "minobr", "--json", "--by-org")
    data = json.loads(out)
    assert code == 0 and data["as_of"] == "2025-08-01"
    assert [r["org"] for r in data["rates"]] == ["minobr"]
    assert data["rates"][0]["completeness"] == 0.0
    code, out, _ = run("status", "--as-of", "2025-08-01", "--by-org")
    assert "Полнота и своевременность" in out and "Просрочено" in out


def test_bad_evidence_is_refused_and_nothing_is_kept(home: Path, tmp_path: Path) -> None:
    run("sync")
    fake = tmp_path / "отчёт.pdf"
    fake.write_bytes(ELF)
    code, _, err = run("submit", "evidence", "--obligation", "6.1:2025-03", "--file", str(fake))
    assert code == 1 and "тип файла" in err and "Traceback" not in err
    assert not any(p.is_file() for p in (home / "evidence").rglob("*") if "tmp" not in p.parts)
    code, _, err = run(
        "submit", "evidence", "--obligation", "6.1:2025-03", "--file", str(tmp_path / "нет.pdf")
    )
    assert code == 1 and "не найден" in err
    code, _, err = run("submit", "evidence", "--obligation", "99.1:2025", "--file", str(fake))
    assert code == 1 and "не найдено" in err


def test_indicator_values_and_explanations(home: Path) -> None:
    run("sync")
    code, _, err = run(
        "submit",
        "indicator",
        "--indicator",
        "1.5",
        "--period",
        "2025",
        "--org",
        "minsoc",
        "--value",
        "1100",
    )
    assert code == 1 and "нужно пояснение" in err
    code, out, _ = run("submit", "indicator", "--indicator", "1.5", "--period", "2025", "--org", "minsoc",
                       "--value", "1 100", "--explanation", "суды отложили решения")  # fmt: skip
    assert code == 0 and "цель 1233" in out
    code, _, err = run(
        "submit",
        "indicator",
        "--indicator",
        "1.5",
        "--period",
        "2025",
        "--org",
        "minsoc",
        "--value",
        "много",
    )
    assert code == 1 and "не число" in err
    code, _, err = run(
        "submit",
        "indicator",
        "--indicator",
        "1.5",
        "--period",
        "2031",
        "--org",
        "minsoc",
        "--value",
        "1",
    )
    assert code == 1 and "контрольная точка" in err


def test_extension_and_not_applicable(home: Path) -> None:
    run("sync")
    code, out, _ = run(
        "extend",
        "request",
        "--obligation",
        "1.8:2026-06",
        "--until",
        "2026-07-31",
        "--reason",
        "нет данных",
    )
    assert code == 0 and "№1" in out
    code, out, _ = run("extend", "approve", "--id", "1")
    assert code == 0 and "31.07.2026" in out
    code, out, _ = run("extend", "list", "--json")
    assert json.loads(out)[0]["state"] == "approved"
    code, _, err = run("extend", "refuse", "--id", "1", "--comment", "нет")
    assert code == 1 and "уже рассмотрен" in err
    code, out, _ = run("na", "--obligation", "5.2:2025-Q3", "--reason", "курсы отменены")
    assert code == 0 and "неприменимым" in out
    code, _, err = run("na", "--obligation", "5.2:2025-Q3", "--reason", "ещё раз")
    assert code == 1 and "неприменимо" in err
