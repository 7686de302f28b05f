"""The program data commands, through Typer's runner (the real app, in process)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from roadmap.program.loader import DEFAULT_PROGRAM
from tests.conftest import SEED

runner = CliRunner()


def test_validate_prints_a_summary_and_exits_0() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "мероприятий" in result.output and "95" in result.output
    assert "212" in result.output


def test_validate_lists_every_error_with_its_location(tmp_path: Path) -> None:
    data = tmp_path / "p"
    shutil.copytree(DEFAULT_PROGRAM, data)
    f = data / "activities.yaml"
    f.write_text(
        f.read_text("utf-8").replace("  term: июль 2025", "  term: когда-нибудь", 1), "utf-8"
    )
    result = runner.invoke(app, ["validate", str(data)])
    assert result.exit_code == 1
    assert "activities.yaml:" in result.stderr and "activities[2].term" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_validate_refuses_a_period_named_twice_before_sync_can_fail(tmp_path: Path) -> None:
    data = tmp_path / "p"
    shutil.copytree(DEFAULT_PROGRAM, data)
    f = data / "activities.yaml"
    f.write_text(
        f.read_text("utf-8").replace("  term: июль 2025", "  term: декабрь 2025; декабрь 2025", 1),
        "utf-8",
    )
    result = runner.invoke(app, ["validate", str(data)])
    assert result.exit_code == 1
    assert "activities.yaml:" in result.stderr and "activities[2].term" in result.stderr
    assert "указан в сроке дважды" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_validate_counts_obligations_whose_due_a_person_sets(tmp_path: Path) -> None:
    data = tmp_path / "p"
    shutil.copytree(DEFAULT_PROGRAM, data)
    f = data / "activities.yaml"
    f.write_text(
        f.read_text("utf-8").replace(
            "  term: июль 2025",
            "  term: по мере поступления обращений\n  due_set_by_person: true",
            1,
        ),
        "utf-8",
    )
    result = runner.invoke(app, ["validate", str(data)])
    assert result.exit_code == 0, result.output
    assert "срок которых установит ответственный" in result.output


def test_obligations_json_has_the_documented_fields() -> None:
    result = runner.invoke(
        app,
        [
            "obligations",
            "--activity",
            "6.1",
            "--from",
            "2025-03-01",
            "--to",
            "2025-05-31",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert [(o["period"], o["due"]) for o in items] == [
        ("2025-02", "2025-03-07"),
        ("2025-03", "2025-04-07"),
        ("2025-04", "2025-05-13"),
    ]
    first = items[0]
    assert first["activity"] == "6.1" and first["kind"] == "activity"
    assert first["opens"] == "2025-02-01"
    assert first["owners"] == ["minsoc", "minobr", "minzdrav"]
    assert first["evidence"] == "статистический отчет"


def test_obligations_for_an_org_include_reports_and_groups_it_reports_for() -> None:
    result = runner.invoke(app, ["obligations", "--org", "minsoc", "--json"])
    items = json.loads(result.stdout)
    assert any(o["kind"] == "report" and o["activity"] is None for o in items)
    # 5.6's executors are RMC and the social-service institutions, both reporting through minsoc
    assert any(o["activity"] == "5.6" and "minsoc" not in o["owners"] for o in items)


def test_bad_date_option_is_a_clear_error() -> None:
    result = runner.invoke(app, ["obligations", "--from", "01.07.2025"])
    assert result.exit_code == 1
    assert "--from" in result.stderr and "ГГГГ-ММ-ДД" in result.stderr


def test_unknown_activity_is_a_clear_error() -> None:
    result = runner.invoke(app, ["obligations", "--activity", "9.99"])
    assert result.exit_code == 1 and "9.99" in result.stderr


def test_listings_as_json() -> None:
    assert len(json.loads(runner.invoke(app, ["activities", "--json"]).stdout)) == 95
    indicators = json.loads(runner.invoke(app, ["indicators", "--json"]).stdout)
    assert len(indicators) == 43
    assert indicators[0]["checkpoints"] == {
        "2025-H1": 2211,
        "2025": 2027,
        "2026-H1": 1843,
        "2026": 1658,
    }
    orgs = json.loads(runner.invoke(app, ["organizations", "--json"]).stdout)
    assert {"minsoc", "minobr", "minzdrav", "kdn-office", "curator"} <= {o["id"] for o in orgs}


def test_human_listings_show_russian_text() -> None:
    result = runner.invoke(app, ["activities"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Мониторинг численности детей в учреждениях" in result.output


def test_import_writes_the_program_files(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", str(SEED), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "activities.yaml").read_text("utf-8") == (
        DEFAULT_PROGRAM / "activities.yaml"
    ).read_text("utf-8")


def test_failed_import_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(
        SEED.read_text("utf-8").replace(
            "министерство культуры Красноярского края;", "министерство спорта;"
        ),
        "utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", str(bad), "--out", str(out)])
    assert result.exit_code == 1
    assert "министерство спорта" in result.stderr
    assert not out.exists()
