"""The Prefect UI as the coordinators' workplace, driven in headless Chromium through the real
UI of the session's Prefect server: run forms with a date picker and the program's periods in
words, a report downloaded from a run's artifact, the current overview, and a pause form whose
name is what storage records.

The deployments are served by a separate process as ``roadmap up`` serves them
(``tests/flows/serving.py``); the web app serving the files runs in this one. With
``SCREENSHOTS_DIR`` set, the screenshots the README shows are written there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
import uvicorn
from playwright.sync_api import Page, sync_playwright

from flows import runtime
from intake.app import create_app
from services import runtime as services_runtime
from storage.actuals import latest_values
from storage.audit import history
from storage.db import session_scope
from tests.conftest import REPO
from tests.intake.test_browser import ARGS, CHROMIUM
from tests.peers import free_port, stop

REGION = "Красноярский край: "  # deployments start with their program's region
REPORT = REGION + "Сводный отчёт по запросу"
SWEEP = REGION + "Ежедневный обход"
MONITORING = REGION + "6.1 Мониторинг численности детей"


@dataclass
class Workplace:
    ui: str
    api: str
    shots: Path
    log: Path  # the serving process's output


def _wait(check: Any, what: str, timeout: float = 120) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if found := check():
            return found
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def workplace(
    home: Path, prefect_ui: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Workplace]:
    """The web app on a free port, its address in the links, and three deployments served."""
    port = free_port()
    monkeypatch.setenv("ROADMAP_PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("ROADMAP_INTAKE_SECRET", "a-test-secret-for-file-links")
    monkeypatch.setenv("ROADMAP_INPUT_TIMEOUT_MINUTES", "10")
    services_runtime.reset()
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    api = f"{prefect_ui}/api"
    names = {REPORT, SWEEP, MONITORING}
    # the session's server may hold deployments of these names that another test registered
    # in its own way: the runs here must be the served ones'
    for d in _deployments(api):
        if d["name"] in names:
            httpx.delete(f"{api}/deployments/{d['id']}", timeout=10)
    env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
    with (tmp_path / "serve.log").open("wb") as log:
        command = [sys.executable, "-m", "tests.flows.serving", REPORT, SWEEP, MONITORING]
        serving = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait(lambda: names <= {d["name"] for d in _deployments(api)}, "the deployments")
        shots = Path(os.environ.get("SCREENSHOTS_DIR", tmp_path))
        yield Workplace(prefect_ui, api, shots, tmp_path / "serve.log")
    finally:
        stop(serving, 60)
        server.should_exit = True
        thread.join(10)


def _deployments(api: str) -> list[dict[str, Any]]:
    try:
        return list(httpx.post(f"{api}/deployments/filter", json={}, timeout=5).json())
    except httpx.HTTPError:
        return []


def _runs(api: str, deployment: str) -> list[dict[str, Any]]:
    """The runs a person started of the deployment now served under that name (the
    session's server may hold hundreds of other runs under that name, of deployments
    other tests registered)."""
    body = {
        "flow_runs": {"deployment_id": {"any_": [_deployment_id(api, deployment)]}},
        "limit": 200,
    }
    answer = _wait(
        lambda: (
            (a := httpx.post(f"{api}/flow_runs/filter", json=body, timeout=10)).is_success and a
        ),
        "the runs (a busy server answers 503)",
    )
    return [r for r in answer.json() if not r["auto_scheduled"]]


def _deployment_id(api: str, deployment: str) -> str:
    body = {"deployments": {"name": {"any_": [deployment]}}}
    [found] = httpx.post(f"{api}/deployments/filter", json=body, timeout=10).json()
    return str(found["id"])


def _open_run_form(page: Page, w: Workplace, deployment: str) -> None:
    """The deployment's page → Run → Custom run: the run form."""
    page.goto(f"{w.ui}/deployments/deployment/{_deployment_id(w.api, deployment)}")
    page.wait_for_selector("text=Description")
    page.locator("button", has_text="Run").first.click()
    page.get_by_text("Custom run").click()
    page.wait_for_selector(".schema-form-property")


def _field(page: Page, title: str) -> Any:
    return page.locator(".schema-form-property", has_text=title).first


def _pick_date(page: Page, day: str) -> None:
    """The date picker: open it, type the day into its date input, apply."""
    _field(page, "Дата").get_by_text("Select date").click()
    page.locator("input[type=date]").fill(day)
    page.get_by_role("button", name="Apply").click()


def _choose(page: Page, title: str, words: str) -> None:
    _field(page, title).locator(".p-select-button__control").click()
    page.keyboard.press("ArrowDown")  # opens the list (a headless click alone does not)
    page.get_by_role("option", name=words, exact=True).click()


def _submit(page: Page, w: Workplace, deployment: str) -> str:
    """Submit the form until the server takes it, as a person would after the UI says it
    failed (a busy server answers 503 and the form stays open with what was typed); the new
    run's id."""
    before = {r["id"] for r in _runs(w.api, deployment)}
    submit = page.get_by_role("button", name="Submit")

    def created() -> list[dict[str, Any]]:
        new = [r for r in _runs(w.api, deployment) if r["id"] not in before]
        if not new and submit.is_visible() and submit.is_enabled():
            submit.click()
            page.wait_for_timeout(5000)
        return new

    submit.click()
    page.wait_for_timeout(2000)
    try:
        new = _wait(created, "the new run")
    except AssertionError:
        page.screenshot(path=str(w.shots / "not-submitted.png"), full_page=True)
        raise
    return str(new[0]["id"])


def _open_run(page: Page, w: Workplace, run_id: str, state: str) -> None:
    """Open the run's page once the run is in ``state``, as its badge shows."""

    def reached() -> bool:
        now = httpx.get(f"{w.api}/flow_runs/{run_id}", timeout=10).json()["state_type"]
        assert now not in ("FAILED", "CRASHED", "CANCELLED"), (now, _tail(w.log))
        return bool(now == state.upper())

    _wait(reached, f"run {run_id} {state}: {_tail(w.log)}")
    page.goto(f"{w.ui}/runs/flow-run/{run_id}")
    page.wait_for_selector(f"text={state}")


def _resume(page: Page, w: Workplace, run_id: str) -> None:
    """Submit the pause form until the server takes it, as a person would after the UI says
    it failed (a busy server answers 503 and the form stays open with what was typed)."""
    form = page.get_by_role("dialog")

    def resumed() -> bool:
        now = httpx.get(f"{w.api}/flow_runs/{run_id}", timeout=10).json()["state_type"]
        if now != "PAUSED":
            return True
        if form.is_visible() and form.get_by_role("button", name="Submit").is_enabled():
            form.get_by_role("button", name="Submit").click()
            page.wait_for_timeout(5000)
        return False

    form.get_by_role("button", name="Submit").click()
    page.wait_for_timeout(2000)
    _wait(resumed, f"run {run_id} resumed: {_tail(w.log)}")
    form.wait_for(state="hidden")


def _tail(log: Path) -> str:
    return "\n".join(log.read_text("utf-8", errors="replace").splitlines()[-15:])


def _artifact(page: Page, w: Workplace, key: str) -> None:
    """The run's Artifacts tab, then the artifact ``key`` (once the server has it: a busy
    server takes a while to store what the run wrote, and the tab shows what it has)."""

    def stored() -> bool:
        body = {"artifacts": {"key": {"any_": [key]}}}
        found = httpx.post(f"{w.api}/artifacts/filter", json=body, timeout=10)
        return found.status_code == 200 and bool(found.json())

    _wait(stored, f"the artifact {key}")
    page.reload()
    page.get_by_text("Artifacts", exact=True).click()
    page.get_by_text(key, exact=True).click()
    page.wait_for_selector(".markdown-renderer h1")
    page.wait_for_timeout(500)  # the page fades in


def test_a_coordinator_works_in_the_prefect_ui(workplace: Workplace, tmp_path: Path) -> None:
    w = workplace
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        try:
            _report_from_its_form(page, w, tmp_path)
            _overview_after_a_sweep(page, w)
            _monitoring_form(page, w)
        finally:
            browser.close()


def _report_from_its_form(page: Page, w: Workplace, tmp_path: Path) -> None:
    # 1. the run form: Russian titles, a date picker, the program's periods in words
    _open_run_form(page, w, REPORT)
    text = page.locator("form").inner_text()
    for words in ("Дата", "На какую дату собрать сведения", "Период", "Форматы"):
        assert words in text
    assert "Property is type" not in text and "as_of" not in text and "None" not in text
    _pick_date(page, "2025-08-01")
    _choose(page, "Период", "I полугодие 2025 года")
    assert "Aug 1st, 2025" in _field(page, "Дата").inner_text()
    page.screenshot(path=str(w.shots / "run-form.png"), full_page=True)
    run_id = _submit(page, w, REPORT)
    # 3. open the run, click the Word link, get the file
    _open_run(page, w, run_id, "Completed")
    assert (
        "Красноярский край · Сводный отчёт за I полугодие 2025 года на 01.08.2025"
        in page.inner_text("body")
    )
    _artifact(page, w, "krasnoyarsk-2025-2026-report-status-2025-08-01")
    page.screenshot(path=str(w.shots / "report-links.png"))
    link = page.locator("a", has_text="Word:")
    href = link.get_attribute("href") or ""
    assert href.startswith(os.environ["ROADMAP_PUBLIC_BASE_URL"] + "/f/"), href
    with page.expect_download() as download:
        link.click()
    got = tmp_path / download.value.suggested_filename
    download.value.save_as(got)
    assert got.suffix == ".docx" and got.name.startswith("krasnoyarsk-2025-2026-")
    written = next((runtime.rt().reports_dir / "on-demand" / "2025-08-01").glob("*.docx"))
    assert got.read_bytes() == written.read_bytes()
    assert any("Сводный" in para.text for para in docx.Document(str(got)).paragraphs)


def _overview_after_a_sweep(page: Page, w: Workplace) -> None:
    # 5. the deployment says when it runs next, in words
    page.goto(f"{w.ui}/deployments/deployment/{_deployment_id(w.api, SWEEP)}")
    page.get_by_text("Description", exact=True).click()
    page.wait_for_selector("text=Ближайшие запуски:")
    # 4. the sweep keeps «Состояние дорожной карты» current
    _open_run_form(page, w, SWEEP)
    _pick_date(page, "2025-03-10")
    run_id = _submit(page, w, SWEEP)
    _open_run(page, w, run_id, "Completed")
    page.get_by_text("Logs", exact=True).click()
    page.wait_for_selector("text=Обход на 10.03.2025")
    page.wait_for_timeout(500)
    page.screenshot(path=str(w.shots / "prefect-run.png"))
    _artifact(page, w, "krasnoyarsk-2025-2026-overview-2025-03-10")  # a past day's, beside today's
    body = page.inner_text("body")
    assert "Состояние дорожной карты на 10.03.2025" in body
    assert "Ответственный: Анна Петровна Иванова" in body
    assert "Просрочка, раб. дн." in body
    page.screenshot(path=str(w.shots / "overview.png"))


def _monitoring_form(page: Page, w: Workplace) -> None:
    # 1. a month among the program's months; 2. the pause form from the program data
    _open_run_form(page, w, MONITORING)
    _choose(page, "Месяц", "март 2025\u00a0г.")
    _pick_date(page, "2025-03-03")
    run_id = _submit(page, w, MONITORING)
    _open_run(page, w, run_id, "Paused")
    page.get_by_role("button", name="Resume").click()
    form = page.get_by_role("dialog")
    # the form is drawn once its description and fields have come
    form.get_by_text("Ждём данные: Минсоцполитики, Минобразования, Минздрав").wait_for()
    form.locator(".schema-form-property", has_text="Кто заполняет").locator("textarea").wait_for()
    for title, value in (
        ("Минсоцполитики", "800"),
        ("Минобразования", "1250"),
        ("Минздрав", "130"),
    ):
        form.locator(".schema-form-property", has_text=title).first.locator("input").fill(value)
    name = "Кузнецова Вера Михайловна"
    form.locator(".schema-form-property", has_text="Кто заполняет").locator("textarea").fill(name)
    page.screenshot(path=str(w.shots / "pause-form.png"))
    _resume(page, w, run_id)
    _open_run(page, w, run_id, "Completed")
    page.wait_for_selector(f"text=Внесено через форму ({name})")
    rt = runtime.rt()
    with session_scope(rt.engine) as s:
        rows = latest_values(session=s, program_id=rt.program.id, indicator="1.1", period="2025-03")
        audit = history(session=s, entity="indicator_value", entity_id="1.1:2025-03:minzdrav")
    assert {k[2]: (r.value, r.given_by) for k, r in rows.items()} == {
        "minsoc": (800, name),
        "minobr": (1250, name),
        "minzdrav": (130, name),
    }
    assert [(a.actor, a.channel) for a in audit] == [(name, "prefect-ui")]
