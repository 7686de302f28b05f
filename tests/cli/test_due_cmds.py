"""`roadmap due list` and `roadmap due set` on a program with an activity counted from an event."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from tests.services.test_due_set_by_person import marked_program

runner = CliRunner()


def test_list_then_set_then_refuse_a_second_setting(home: Path, tmp_path: Path) -> None:
    env = {"COLUMNS": "200", "ROADMAP_PROGRAMS": str(marked_program(tmp_path))}

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args), env=env)
        return result.exit_code, result.stdout, result.stderr

    assert run("sync", "--as-of", "2025-01-09")[0] == 0

    code, out, _ = run("due", "list", "--json")
    assert code == 0
    assert [(r["id"], r["due"]) for r in json.loads(out)] == [
        ("krasnoyarsk-2025-2026:3.4:2025..2026", None)
    ]
    code, out, _ = run("due", "list")
    assert code == 0 and "не установлен" in out

    code, out, err = run("due", "set", "--obligation", "3.4:2025..2026",
                         "--date", "2025-04-14", "--basis", "закон вступил в силу 15.03.2025",
                         "--by", "Иванова")  # fmt: skip
    assert code == 0, err
    assert "установлен: 14 апреля 2025\u00a0г.\n" in out

    code, out, _ = run("status", "--json")  # today: the date was set today
    [item] = [i for i in json.loads(out) if i["id"].endswith(":3.4:2025..2026")]
    assert (item["due"], item["status"]) == ("2025-04-14", "overdue")
    code, out, _ = run("status", "--as-of", "2025-04-15", "--json")  # not yet set then
    assert not [i for i in json.loads(out) if i["id"].endswith(":3.4:2025..2026")]

    code, _, err = run("due", "set", "--obligation", "3.4:2025..2026",
                       "--date", "2025-05-14", "--basis", "другое")  # fmt: skip
    assert code == 1
    assert "уже установлен: 14.04.2025 (Иванова" in err and "roadmap extend request" in err
    assert "Traceback" not in err

    code, _, err = run("due", "set", "--obligation", "3.4:2025..2026",
                       "--date", "14.05.2025", "--basis", "другое")  # fmt: skip
    assert code == 1 and "--date: ожидается дата в виде ГГГГ-ММ-ДД" in err
