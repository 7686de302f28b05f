"""Flows run for real against a Prefect test server: what they do and what they publish."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import threading
import time
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
from prefect import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName
from prefect.exceptions import ParameterTypeError

from flows import runtime
from flows.activity import activity_flow
from flows.commission import commission_meeting
from flows.consolidation import consolidation_flow
from flows.monitoring import headcount_monitoring
from flows.reporting import reporting_flow
from flows.sweep import daily_sweep
from roadmap.obligations.keys import WaitKey
from roadmap.program.model import Program
from services import runtime as services_runtime
from services.wakeups import wake_waiting
from storage.actuals import latest_values, record_indicator_value
from storage.db import session_scope
from storage.evidence import EvidenceStore, record_evidence
from storage.outbox import outbox_items
from tests.db import at
from tests.storage.files import PDF


def run_named(name: str) -> Any:
    with get_client(sync_client=True) as c:
        runs = c.read_flow_runs(flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[name])))
    assert runs, f"no flow run named {name!r}"
    return runs[0]


KRSK = "krasnoyarsk-2025-2026"


def artifacts(run_id: Any, *, day: str, owner: str = KRSK) -> dict[str, Any]:
    """The run's artifacts by their names within their owner: every key must start with the
    owner (the run's program) and, the run being for a past ``day``, end with that day."""

    async def read() -> list[Any]:
        from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

        async with get_client() as c:
            return await c.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
            )

    found = {a.key: a for a in asyncio.run(read()) if a.key is not None}  # none: Prefect's own
    for key in found:
        assert key.startswith(f"{owner}-") and key.endswith(f"-{day}"), key
    return {k.removeprefix(f"{owner}-").removesuffix(f"-{day}"): a for k, a in found.items()}


def resume(api: str, run_id: Any, form: dict[str, Any]) -> httpx.Response:
    """Resume a paused run with a form's values; the session's server on SQLite answers 503
    while its one writer is busy, and is asked again."""
    for _ in range(30):
        answer = httpx.post(
            f"{api}/flow_runs/{run_id}/resume", json={"run_input": form}, timeout=30
        )
        if answer.status_code != 503:
            return answer
        time.sleep(1)
    return answer


def paused_run(name_part: str, since: dt.datetime, timeout: float = 30) -> Any:
    """The run named like ``name_part`` that paused after ``since``: the session's server
    also holds other tests' runs of the same name, paused long ago."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with get_client(sync_client=True) as c:
            for r in c.read_flow_runs():
                state = r.state
                if name_part in r.name and state and state.is_paused():
                    if state.timestamp >= since:
                        return r
        time.sleep(0.3)
    raise AssertionError(f"no paused run like {name_part!r}")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_activity_flow_runs_the_ladder_and_publishes_a_status(home: Path) -> None:
    result = activity_flow("6.1", as_of="2025-03-10")
    assert ("krasnoyarsk-2025-2026:6.1:2025-02", "overdue") in result["steps"]
    assert result["recorded"] > 0
    run = run_named(
        "Красноярский край · 6.1 Мониторинг численности детей в учреждениях — 10.03.2025"
    )
    assert run.state.is_completed()
    arts = artifacts(run.id, day="2025-03-10")
    assert "Мониторинг численности" in arts["activity-6-1-status"].data
    assert "| февраль 2025\u00a0г. |" in arts["activity-6-1-status"].data
    assert list((home / "outbox" / "2025-03-10").glob("*.eml"))


def test_sweep_marks_itself_failed_when_messages_cannot_be_delivered(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.peers import free_port

    monkeypatch.setenv("ROADMAP_SMTP_URL", f"mailto://127.0.0.1:{free_port()}?from=r@example.org")
    monkeypatch.setenv("ROADMAP_MAX_DELIVERY_ATTEMPTS", "1")

    services_runtime.reset()
    state = daily_sweep(as_of="2025-01-09", return_state=True)
    assert state.is_failed() and "не доставлено сообщений" in str(state.message)
    run = run_named("Красноярский край · Ежедневный обход — 09.01.2025")
    arts = artifacts(run.id, day="2025-01-09")
    assert {"sweep-status", "sweep-share-done", "sweep-rates", "overview"} <= set(arts)
    with session_scope(runtime.rt().engine) as s:
        assert {i.state for i in outbox_items(session=s) if i.channel == "email"} == {"failed"}


def test_monitoring_collects_the_form_and_flags_an_off_trajectory_month(
    home: Path, prefect_server: str
) -> None:
    results: dict[str, Any] = {}
    t = threading.Thread(
        target=lambda: results.setdefault(
            "r", headcount_monitoring(month="2025-03", as_of="2025-03-03")
        )
    )
    since = now()
    t.start()
    run = paused_run("6.1 Мониторинг численности — март 2025\u00a0г.", since)
    # 950 + 1300 + 180 = 2 430 children against 2 211 on the trajectory: off by ~10 %
    form = {
        "part_minsoc": 950,
        "part_minobr": 1300,
        "part_minzdrav": 180,
        "explanation": "поступления по актам полиции",
        "filled_by": "Кузнецова Вера Михайловна",
    }
    resp = resume(prefect_server, run.id, form)
    assert resp.json()["status"] == "ACCEPT"
    t.join(60)
    r = results["r"]
    assert r["complete"] and r["total"] == 2430 and r["off"] is True
    with session_scope(runtime.rt().engine) as s:
        alerts = [i for i in outbox_items(session=s) if i.step == "alert"]
    assert {i.recipient_role for i in alerts} == {"coordinator", "curator"}
    assert all("отклоняется от траектории" in i.subject for i in alerts)
    with session_scope(runtime.rt().engine) as s:
        given = latest_values(
            session=s, program_id="krasnoyarsk-2025-2026", indicator="1.1", period="2025-03"
        )
    assert {r.given_by for r in given.values()} == {"Кузнецова Вера Михайловна"}


def test_monitoring_picks_up_values_recorded_elsewhere(
    home: Path, program: Program, prefect_server: str
) -> None:
    results: dict[str, Any] = {}
    t = threading.Thread(
        target=lambda: results.setdefault(
            "r", headcount_monitoring(month="2025-04", as_of="2025-04-01")
        )
    )
    since = now()
    t.start()
    paused_run("6.1 Мониторинг численности — апрель 2025\u00a0г.", since)
    with session_scope(runtime.rt().engine) as s:
        for org, value in (("minsoc", 800), ("minobr", 1250), ("minzdrav", 130)):
            record_indicator_value(session=s, program=program, indicator="1.1", period="2025-04",
                                   org=org, value=value, given_by="cli", channel="cli",
                                   at=at("2025-04-02"), margin=0.05)  # fmt: skip
    woken = wake_waiting(engine=runtime.rt().engine, keys=[WaitKey.indicator("1.1", "2025-04")],
                         api_url=prefect_server, at=at("2025-04-02"))  # fmt: skip
    assert len(woken) == 1
    t.join(60)
    assert results["r"]["complete"] and results["r"]["total"] == 2180 and not results["r"]["off"]


def test_commission_collects_agenda_builds_the_briefing_and_waits_for_the_protocol(
    home: Path, prefect_server: str
) -> None:
    results: dict[str, Any] = {}
    t = threading.Thread(
        target=lambda: results.setdefault(
            "r", commission_meeting(quarter="II квартал 2025 года", as_of="2025-06-09")
        )
    )
    since = now()
    t.start()
    run = paused_run("2.1 Заседание комиссии — II квартал 2025 года", since)
    form = {
        "org": "Минобразования края",
        "items": "О возврате детей в семьи\nО кадрах",
        "filled_by": "Петров Сергей Викторович",
        "done": True,
    }
    since = now()
    resp = resume(prefect_server, run.id, form)
    assert resp.json()["status"] == "ACCEPT"
    run = paused_run("2.1 Заседание комиссии — II квартал 2025 года", since)  # the protocol
    with session_scope(runtime.rt().engine) as s:
        record_evidence(session=s, store=EvidenceStore(home / "evidence"),
                        obligation_id="2.1:2025-Q2", stream=io.BytesIO(PDF),
                        original_name="протокол.pdf", submitted_by="секретарь", channel="cli",
                        at=at("2025-06-20"), max_bytes=1 << 20)  # fmt: skip
    wake_waiting(engine=runtime.rt().engine, keys=[WaitKey.evidence("krasnoyarsk-2025-2026:2.1:2025-Q2")],
                 api_url=prefect_server, at=at("2025-06-20"))  # fmt: skip
    t.join(60)
    r = results["r"]
    assert r["agenda_items"] == 2 and r["protocol"] is True
    text = "\n".join(p.text for p in docx.Document(r["briefing"]).paragraphs)
    assert "Минобразования края: О возврате детей в семьи" in text
    with session_scope(runtime.rt().engine) as s:
        asks = [i for i in outbox_items(session=s) if i.step == "alert"]
    assert {i.recipient_org for i in asks} == {"minsoc", "minobr", "minzdrav"}


def test_reporting_waits_for_executors_then_consolidates(home: Path) -> None:
    waiting = reporting_flow(period="2025-H1", as_of="2025-07-15")
    assert waiting["consolidated"] is False and "minobr" in waiting["waiting"]
    done = reporting_flow(period="2025-H1", as_of="2025-07-29")  # after the 20th working day
    assert done["consolidated"] is True
    assert any(f.endswith(".docx") for f in done["files"])
    assert any("Не представлены отчёты исполнителей" in m for m in done["missing"])


def test_consolidation_on_demand_links_its_files_for_download(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_PUBLIC_BASE_URL", "https://roadmap.example.org")
    services_runtime.reset()
    result = consolidation_flow(
        as_of="2025-08-01", period="I полугодие 2025 года", formats=["docx", "xlsx"]
    )
    assert len(result["files"]) == 2
    run = run_named("Красноярский край · Сводный отчёт за I полугодие 2025 года на 01.08.2025")
    arts = artifacts(run.id, day="2025-08-01")
    links = [a for k, a in arts.items() if k.startswith("report-file-")]
    assert len(links) == 2
    assert all("https://roadmap.example.org/f/" in a.data for a in links)
    assert not any("file://" in str(a.data) for a in arts.values())
    assert {"report-share-done", "report-status"} <= set(arts)
    assert "[" in arts["report-status"].data and ".docx](https://roadmap.example.org/f/" in (
        arts["report-status"].data
    )
    with pytest.raises(ParameterTypeError):  # the form offers docx, xlsx and png only
        consolidation_flow(as_of="2025-08-01", formats=["pdf"])


def test_without_a_public_address_report_files_are_named_not_linked(home: Path) -> None:
    result = consolidation_flow(as_of="2025-08-01", formats=["xlsx"])
    run = run_named("Красноярский край · Сводный отчёт за весь срок программы на 01.08.2025")
    arts = artifacts(run.id, day="2025-08-01")
    assert not [k for k in arts if k.startswith("report-file-")]
    assert Path(result["files"][0]).name in arts["report-files"].data
    assert "ROADMAP_PUBLIC_BASE_URL" in arts["report-files"].data
