"""`roadmap term`: a phrase's obligations in a program, or its refusal (the real app, in process)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from roadmap.program.loader import DEFAULT_PROGRAM

runner = CliRunner()


def test_term_json_gives_each_obligation_with_its_rule_and_conventions() -> None:
    result = runner.invoke(
        app, ["term", "ежегодно (до 1 апреля года, следующего за отчетным)", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["program"] == "krasnoyarsk-2025-2026" and out["span"] == "2025..2026"
    assert [(o["period"], o["period_words"], o["opens"], o["due"]) for o in out["obligations"]] == [
        ("2025", "2025 год", "2025-01-01", "2026-04-01"),
        ("2026", "2026 год", "2026-01-01", "2027-04-01"),
    ]
    first = out["obligations"][0]
    assert first["rule"] == 7
    assert first["conventions"] == {"until": "the_date", "day_off": "forward"}
    assert set(out["rules"]) == {"7"} and set(out["conventions"]) == {"until", "day_off"}
    assert "ст. 193 ГК РФ" in out["conventions"]["day_off"]


def test_term_table_reads_periods_and_dates_as_officials_write_them() -> None:
    result = runner.invoke(app, ["term", "2026 (I квартал)"])
    assert result.exit_code == 0, result.output
    assert "I квартал 2026 года" in result.stdout and "31.03.2026" in result.stdout
    assert "2026-Q1" not in result.stdout
    moved = runner.invoke(app, ["term", "сентябрь 2025 (до 20 сентября)"])
    assert "22.09.2025" in moved.stdout and "20.09.2025" in moved.stdout
    assert "ст. 193 ГК РФ" in moved.stdout


def test_refused_term_exits_1_with_a_russian_message_and_no_traceback() -> None:
    result = runner.invoke(app, ["term", "когда-нибудь"])
    assert result.exit_code == 1
    assert "не прочитаны слова «когда-нибудь»; ближе всего к ним правило" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    as_json = runner.invoke(app, ["term", "декабрь 2025; декабрь 2025", "--json"])
    assert as_json.exit_code == 1
    assert "указан в сроке дважды" in json.loads(as_json.stdout)["error"]


@pytest.mark.parametrize(
    "phrase",
    [
        "в 30-дневный срок",
        "в месячный срок",
        "в десятидневный срок",
        "в течение 5 рабочих дней со дня регистрации",
        "со дня получения запроса",
        "срочно",
        "оперативно",
        "в течение месяца после утверждения программы",
    ],
)
def test_term_counted_from_an_event_is_set_by_a_person_unmarked(phrase: str) -> None:
    result = runner.invoke(app, ["term", phrase])
    assert result.exit_code == 0, result.output + result.stderr
    assert "устанавливает ответственный" in result.stdout
    assert "Срок от события" in result.stdout and "due_set_by_person" in result.stdout
    as_json = json.loads(runner.invoke(app, ["term", phrase, "--json"]).stdout)
    assert as_json["counted_from_event"] and as_json["obligations"][0]["due"] is None


def test_term_marked_for_a_person_has_no_due_date() -> None:
    result = runner.invoke(
        app, ["term", "по мере поступления обращений", "--due-set-by-person", "--json"]
    )
    assert result.exit_code == 0, result.output
    [line] = json.loads(result.stdout)["obligations"]
    assert (line["period"], line["due"], line["rule"]) == ("2025..2026", None, 8)


def test_term_follows_the_conventions_of_the_program_given(tmp_path: Path) -> None:
    data = tmp_path / "p"
    shutil.copytree(DEFAULT_PROGRAM, data)
    f = data / "program.yaml"
    f.write_text(f.read_text("utf-8").replace("day_off: forward", "day_off: backward"), "utf-8")
    result = runner.invoke(
        app, ["term", "сентябрь 2025 (до 20 сентября)", "--program", str(data), "--json"]
    )
    assert result.exit_code == 0, result.output
    [line] = json.loads(result.stdout)["obligations"]
    assert (line["written"], line["due"]) == ("2025-09-20", "2025-09-19")
    assert line["conventions"]["day_off"] == "backward"
