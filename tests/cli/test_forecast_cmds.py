"""`roadmap forecast` on a real database, with values recorded by the storage functions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from cli import context
from cli.main import app
from storage.actuals import record_indicator_value
from storage.db import session_scope
from tests.db import at

runner = CliRunner()
FIELDS = [
    "code",
    "name",
    "direction",
    "target",
    "points",
    "method",
    "projected",
    "low",
    "high",
    "probability",
    "risk",
    "status",
    "tolerance",
    "interval",
    "checkpoints",
]
# 1.1, the headcount: about 40 children fewer every month from 2 211, ministry by ministry
HEADCOUNT = {"minsoc": (800, 15), "minobr": (1260, 22), "minzdrav": (151, 3)}
NOISE = [0, 4, -3, 2, -4, 3, 1, -2, 0, 3, -1, 2]


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args), env={"COLUMNS": "220"})
    return r.exit_code, r.stdout, r.stderr


def record_values() -> None:
    program = context.program()

    def give(indicator: str, period: str, org: str, value: float, when: dt.datetime) -> None:
        record_indicator_value(
            session=s,
            program=program,
            indicator=indicator,
            period=period,
            org=org,
            value=value,
            given_by="Аналитик",
            channel="cli",
            at=when,
            margin=0.05,
            explanation="проверено",
        )

    with session_scope(context.engine()) as s:
        for i, noise in enumerate(NOISE):  # January to December 2025: a year
            month = f"2025-{i + 1:02d}"
            for org, (start, fall) in HEADCOUNT.items():
                give("1.1", month, org, start - fall * i + noise, at(f"{month}-05"))
        # 1.5, children returned to their families (up is better, 1 253 by the end of 2026),
        # falls instead: 1 203, 1 180, 1 150
        give("1.5", "2025-H1", "minsoc", 1203, at("2025-07-10"))
        give("1.5", "2025", "minsoc", 1180, at("2026-01-20"))
        give("1.5", "2026-H1", "minsoc", 1150, at("2026-07-10"))


def test_forecast_json_lists_every_indicator_with_its_verdict(home: Path) -> None:
    assert run("sync", "--as-of", "2025-01-09")[0] == 0
    record_values()
    code, out, err = run("forecast", "--as-of", "2026-07-20", "--json")
    assert code == 0, err
    found = json.loads(out)
    assert len(found) == 43 and all(list(f) == FIELDS for f in found)
    by_code = {f["code"]: f for f in found}

    headcount = by_code["1.1"]
    assert (headcount["points"], headcount["direction"]) == (12, "down")
    assert headcount["method"] in {"drift", "linear"}
    assert set(headcount["projected"]) == {"2025", "2026-H1", "2026"}
    # about 40 fewer a month from 2 211 gives about 1 250 by January 2027: well below 1 658
    assert 1150 < headcount["projected"]["2026"] < 1350
    assert headcount["low"]["2026"] <= headcount["projected"]["2026"] <= headcount["high"]["2026"]
    assert headcount["target"]["end"] == {"period": "2026", "date": "2026-12-31", "value": 1658.0}
    assert (headcount["risk"], headcount["status"]) == ("on_track", "в пределах плана")
    assert headcount["probability"] > 0.9

    returned = by_code["1.5"]
    assert (returned["points"], returned["method"], list(returned["projected"])) == (
        3,
        "drift",
        ["2026"],
    )
    # the whole interval more than 5 % below 1 253
    assert returned["high"]["2026"] < 1253 * 0.95
    assert (returned["risk"], returned["status"]) == ("high_risk", "высокий риск недостижения")
    assert returned["probability"] < 0.1
    assert returned["checkpoints"]["end"]["risk"] == "high_risk"
    assert headcount["checkpoints"]["next"]["period"] == "2025"

    rest = [f for c, f in by_code.items() if c not in {"1.1", "1.5"}]
    assert all(
        f["risk"] == "insufficient_data" and f["status"] == "недостаточно данных" for f in rest
    )
    assert all(f[k] is None for f in rest for k in ("projected", "low", "high", "method"))

    # as of a year earlier, 1.5 had one value: too little history
    code, out, _ = run("forecast", "--as-of", "2025-07-20", "--indicator", "1.5", "--json")
    assert code == 0
    assert [(f["code"], f["points"], f["risk"]) for f in json.loads(out)] == [
        ("1.5", 1, "insufficient_data")
    ]


def test_forecast_table_for_people(home: Path) -> None:
    run("sync", "--as-of", "2025-01-09")
    record_values()
    code, out, err = run("forecast", "--as-of", "2026-07-20", "--indicator", "1.5")
    assert code == 0, err
    assert "Прогноз достижения ключевых показателей на 20.07.2026" in out
    assert "Количество детей, возвращенных в кровную семью" in out
    assert "1\u00a0253 (2026 год)" in out and "риск недостижения" in out and "дрейф (3)" in out
    assert "риск недостижения — 1" in out
    code, out, _ = run("forecast", "--as-of", "2026-07-20")
    assert (
        code == 0
        and "в пределах плана — 1; высокий риск недостижения — 1; недостаточно данных — 41" in out
    )


def test_forecast_refuses_an_unknown_indicator_and_an_empty_database(home: Path) -> None:
    code, _, err = run("forecast", "--as-of", "2026-07-20")
    assert code == 1 and "roadmap sync" in err
    run("sync")
    code, _, err = run("forecast", "--indicator", "9.99")
    assert code == 1 and "--indicator" in err and "9.99" in err
    code, _, err = run("forecast", "--as-of", "20.07.2026")
    assert code == 1 and "--as-of" in err
