"""The Prefect UI as a workplace, below the browser: the current overview, keys per flow, run
logs in Russian, and a form's values counted as the same values given any other way."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
from pathlib import Path
from typing import Any

from prefect import get_client
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.logging.handlers import APILogWorker
from typer.testing import CliRunner

from cli.main import app
from flows import runtime
from flows.activity import activity_flow
from flows.monitoring import headcount_monitoring
from flows.sweep import daily_sweep
from roadmap.obligations.asks import asks_for
from roadmap.program.model import Program
from services import answers, monitoring
from services.tokens import LinkClaims
from storage.actuals import latest_values
from storage.audit import history
from storage.db import session_scope
from storage.obligations import resolve_obligation
from storage.reporting import report_facts
from tests.flows.test_flows import artifacts, now, paused_run, resume, run_named

VALUES = {"minsoc": 800.0, "minobr": 1250.0, "minzdrav": 130.0}  # 2 180: on the trajectory


def logs(run_id: Any) -> list[str]:
    APILogWorker.instance().drain()
    with get_client(sync_client=True) as c:
        found = c.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
    return [log.message for log in found]


def test_the_sweep_keeps_one_current_overview_and_says_what_it_did(home: Path) -> None:
    daily_sweep(as_of="2025-03-10")
    run = run_named("Красноярский край · Ежедневный обход — 10.03.2025")
    arts = artifacts(run.id, day="2025-03-10")
    overview = arts["overview"].data
    assert overview.startswith("# Состояние дорожной карты на 10.03.2025")
    assert "## Просрочено" in overview and "### Минсоцполитики края:" in overview
    # 6.1 for January was due on the 5th working day of February
    assert (
        "6.1. Проведение регулярного мониторинга" in overview and "январь 2025\u00a0г." in overview
    )
    assert "Ответственный: Анна Петровна Иванова" in overview
    assert "## Срок в ближайшие 10 рабочих дней" in overview
    mine = "overview-"  # each answering body's, within the program's
    assert f"{mine}minsoc" in arts and f"{mine}kmvk" in arts
    assert arts[f"{mine}minsoc"].data.startswith("# Минсоцполитики края: состояние на 10.03.2025")
    # every key of the sweep is its own: «latest» never mixes another flow's artifact in
    assert all(k.startswith(("sweep-", "overview")) for k in arts), sorted(arts)
    rates = json.loads(arts["sweep-rates"].data)
    minsoc = next(r for r in rates if r["Исполнитель"] == "Минсоцполитики края")
    assert list(minsoc) == [
        "Исполнитель",
        "Срок наступил",
        "Выполнено",
        "В срок",
        "Просрочено",
        "Полнота",
        "Своевременность",
    ]
    assert minsoc["Полнота"].endswith("\u00a0%") and "," in minsoc["Полнота"]
    said = logs(run.id)
    assert any(m.startswith("Обход на 10.03.2025: Отмечено просроченными:") for m in said)
    assert any(m.startswith("Просрочено ") and "Минсоцполитики края — " in m for m in said)
    # the sweep's steps in words, each obligation by its activity and period
    assert any(
        m.startswith("Извещение об открытии: ") and " за январь 2025\u00a0г. (" in m for m in said
    ), said
    assert any(m.startswith("Отправлено сообщений: ") for m in said), said


def test_an_activity_run_writes_under_its_own_keys_and_logs_in_russian(home: Path) -> None:
    activity_flow("6.1", as_of="2025-03-10")
    run = run_named(
        "Красноярский край · 6.1 Мониторинг численности детей в учреждениях — 10.03.2025"
    )
    assert set(artifacts(run.id, day="2025-03-10")) == {"activity-6-1-status"}
    said = logs(run.id)
    assert any(
        m.startswith("6.1 Мониторинг численности детей в учреждениях на 10.03.2025") for m in said
    )
    assert any(m.startswith("Просрочено: январь 2025\u00a0г., срок") for m in said), said


def _by_form(prefect_server: str, month: str, words: str, name: str) -> None:
    done: dict[str, Any] = {}
    t = threading.Thread(
        target=lambda: done.setdefault("r", headcount_monitoring(month=words, as_of=f"{month}-02"))
    )
    since = now()
    t.start()
    run = paused_run(f"6.1 Мониторинг численности — {words}", since)
    form = {f"part_{org}": int(v) for org, v in VALUES.items()} | {"filled_by": name}
    resp = resume(prefect_server, run.id, form)
    assert resp.json()["status"] == "ACCEPT"
    t.join(60)
    assert done["r"]["complete"]


def _by_intake(program: Program, month: str, name: str) -> None:
    rt = runtime.rt()
    row = resolve_obligation_of(month)
    for org, value in VALUES.items():
        claims = LinkClaims(row.id, org, rt.now() + dt.timedelta(days=1), secrets.token_hex(6))
        (ask,) = asks_for(program, activity="6.1", report_kind=None, period=month, org=org)
        answer = answers.LinkAnswer(action="submit", name=name, values=[(ask, value)])
        answers.record_link_answer(rt, claims=claims, obligation=row, answer=answer)


def resolve_obligation_of(month: str) -> Any:
    with session_scope(runtime.rt().engine) as s:
        return resolve_obligation(session=s, obligation_id=f"6.1:{month}")


def _by_command_line(month: str, name: str) -> None:
    for org, value in VALUES.items():
        args = ["submit", "indicator", "--indicator", "1.1", "--period", month, "--org", org]
        result = CliRunner().invoke(app, [*args, "--value", f"{value:g}", "--by", name])
        assert result.exit_code == 0, result.output


def _audit(month: str, org: str) -> list[tuple[str, str]]:
    with session_scope(runtime.rt().engine) as s:
        rows = history(session=s, entity="indicator_value", entity_id=f"1.1:{month}:{org}")
        return [(a.actor, a.channel) for a in rows]


def test_values_from_the_run_form_count_as_from_the_intake_page_or_the_command_line(
    home: Path, program: Program, prefect_server: str
) -> None:
    _by_form(prefect_server, "2025-05", "май 2025\u00a0г.", "Кузнецова Вера Михайловна")
    _by_intake(program, "2025-06", "Козлова Татьяна Юрьевна")
    _by_command_line("2025-07", "Белова Ольга Николаевна")
    rt = runtime.rt()
    people = {
        "2025-05": ("prefect-ui", "Кузнецова Вера Михайловна"),
        "2025-06": ("intake", "Козлова Татьяна Юрьевна"),
        "2025-07": ("cli", "Белова Ольга Николаевна"),
    }
    with session_scope(rt.engine) as s:
        reported = report_facts(session=s, program_id=program.id).values
    for month, (channel, name) in people.items():
        assert monitoring.given(rt, month) == VALUES and monitoring.missing(rt, month) == []
        result = monitoring.assess_month(rt, month=month, now=rt.morning(dt.date(2025, 8, 1)))
        assert (result.complete, result.total, result.off) == (True, 2180, False)
        in_report = {v.org: v.value for v in reported if (v.indicator, v.period) == ("1.1", month)}
        assert in_report == VALUES
        with session_scope(rt.engine) as s:
            rows = latest_values(session=s, program_id=program.id, indicator="1.1", period=month)
        for (_, _, org), row in rows.items():
            # the name the person gave is what storage records and the audit shows
            assert row.channel == channel and row.given_by.startswith(name)
            assert _audit(month, org) == [(row.given_by, channel)]
            if channel != "cli":  # the form ties a value to the month's obligation, as a link
                assert row.obligation_id == f"{program.id}:6.1:{month}"
