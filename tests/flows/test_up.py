"""`roadmap up`: server behind an auth string, sync, deployments served; a stop signal stops
everything it started; the server's scheduler settings still create the runs ahead."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings
from typer.testing import CliRunner

from cli.main import app
from flows.deployments import DeploymentSpec, Schedule, rdate_rules
from flows.registration import register
from flows.stack import SERVER_SETTINGS
from services.keys import strength_problem
from services.tokens import make_token
from services.wakeups import auth_headers
from tests.conftest import REPO
from tests.peers import free_port, seed_prefect_home

OBLIGATION = "krasnoyarsk-2025-2026:6.1:2026-11"
TTL = dt.timedelta(days=30)


def processes_with(*needles: str) -> list[int]:
    """Processes whose command line has one of ``needles`` as a whole argument."""
    found = []
    wanted = {n.encode() for n in needles}
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if entry.name.isdigit() and wanted & set(argv):
            found.append(int(entry.name))
    return found


def assert_nothing_outlived(*ports: int) -> None:
    """No process with one of ``ports`` on its command line is left once those a stop ended
    have had a few seconds to exit."""
    needles = [str(p) for p in ports]
    end = time.monotonic() + 10
    while processes_with(*needles) and time.monotonic() < end:
        time.sleep(0.2)
    assert not processes_with(*needles), "a started process outlived the stop"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def up_env(home: Path, intake_port: int) -> dict[str, str]:
    """The environment of `roadmap up` in ``home``: no database, key or auth string given."""
    env = {
        **os.environ,
        "ROADMAP_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "ROADMAP_INTAKE_PORT": str(intake_port),
    }
    for var in (
        "ROADMAP_DATABASE_URL",
        "ROADMAP_INTAKE_SECRET",
        "PREFECT_API_URL",
        "ROADMAP_PREFECT_AUTH_STRING",
        "PREFECT_API_AUTH_STRING",
    ):
        env.pop(var, None)
    return env


def start_up(home: Path, port: int, intake_port: int) -> subprocess.Popen[bytes]:
    """`roadmap up` started as from a terminal: Ctrl-C goes to its whole process group."""
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "up", "--port", str(port), "--limit", "2"],
        env=up_env(home, intake_port),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


# SIGHUP (the terminal closed) and SIGQUIT (Ctrl-\) take the handler SIGTERM takes, and the
# stack stops as after Ctrl-C: the two are sent while the server starts (test below), the
# whole stack's stop is proven by Ctrl-C and SIGTERM here
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_up_serves_deployments_behind_an_auth_string_and_a_stop_signal_stops_everything(
    tmp_path: Path, stop: int
) -> None:
    port, intake_port = free_port(), free_port()
    home = tmp_path / "home"
    if stop != signal.SIGINT:  # Ctrl-C's stack starts from nothing: its server migrates
        seed_prefect_home(home / "prefect")
    proc = start_up(home, port, intake_port)
    api = f"http://127.0.0.1:{port}/api"
    kept = home / "prefect-auth"
    try:
        end = time.monotonic() + 180
        count = None
        while time.monotonic() < end and count != 2:
            time.sleep(1)
            if not kept.exists():
                continue
            try:
                count = httpx.post(
                    f"{api}/deployments/count",
                    json={},
                    headers=auth_headers(kept.read_text().strip()),
                    timeout=2,
                ).json()
            except httpx.HTTPError:
                pass
        assert count == 2  # the served deployments reached the API with the string
        auth = kept.read_text().strip()
        assert auth.startswith("roadmap:") and len(auth) > 30 and mode(kept) == 0o600
        refused = httpx.post(f"{api}/deployments/count", json={}, timeout=5)
        assert refused.status_code == 401
        secrets = httpx.post(f"{api}/block_documents/filter", json={"include_secrets": True})
        assert secrets.status_code == 401
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200
        # the intake page runs beside it: a link that is not one gets the Russian refusal
        end = time.monotonic() + 30
        page = None
        while page is None and time.monotonic() < end:
            try:
                page = httpx.get(f"http://127.0.0.1:{intake_port}/i/nonsense", timeout=2)
            except httpx.HTTPError:
                time.sleep(0.5)
        assert (
            page is not None and page.status_code == 403 and "Ссылка недействительна" in page.text
        )
        # no ROADMAP_INTAKE_SECRET: links are signed with a key made and kept here, never
        # with the development one
        key = (home / "intake-key").read_text().strip().encode()
        assert mode(home / "intake-key") == 0o600 and strength_problem(key.decode()) is None
        signed, forged = (
            make_token(OBLIGATION, "minzdrav", key=k, now=dt.datetime.now(dt.UTC), ttl=TTL)
            for k in (key, b"dev-secret")
        )
        opened = httpx.get(f"http://127.0.0.1:{intake_port}/i/{signed}", timeout=10)
        assert opened.status_code == 200 and "Ссылка недействительна" not in opened.text
        refused_link = httpx.get(f"http://127.0.0.1:{intake_port}/i/{forged}", timeout=10)
        assert refused_link.status_code == 403 and "Ссылка недействительна" in refused_link.text
        for log in ("prefect-server.log", "intake.log"):
            assert mode(home / log) == 0o600, log
        assert mode(home / "prefect") == 0o700  # Prefect's database: the Secret blocks
        started = processes_with(str(port), str(intake_port))
        assert len(started) >= 2  # the Prefect server and the intake page
        if stop == signal.SIGTERM:
            os.kill(proc.pid, stop)  # `kill` or systemd: the main process alone
        else:  # Ctrl-C, Ctrl-\ or the terminal closing: the whole foreground group
            os.killpg(proc.pid, stop)
        out, _ = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    text = out.decode()
    assert "Интерфейс Prefect: http://127.0.0.1:" in text and "Остановлено." in text
    assert "Вход в интерфейс Prefect: пользователь roadmap" in text and "prefect-auth" in text
    assert auth.split(":", 1)[1] not in text  # the password itself is never printed
    assert "Traceback" not in text
    assert_nothing_outlived(port, intake_port)
    for url in (f"{api}/health", f"http://127.0.0.1:{intake_port}/i/x"):
        with pytest.raises(httpx.HTTPError):
            httpx.get(url, timeout=2)


@pytest.mark.parametrize("stop", [signal.SIGHUP, signal.SIGQUIT], ids=["sighup", "sigquit"])
def test_a_closed_terminal_or_ctrl_backslash_while_the_server_starts_stops_what_was_started(
    tmp_path: Path, stop: int
) -> None:
    """The signal reaches `roadmap up`'s whole group once its Prefect server is started and
    before it answers: `up` stops as after Ctrl-C, and the server it started ends with it."""
    port, intake_port = free_port(), free_port()
    home = tmp_path / "home"
    seed_prefect_home(home / "prefect")
    proc = start_up(home, port, intake_port)
    try:
        end = time.monotonic() + 120  # a guard against a hang, not a measure of speed
        started: set[int] = set()
        while not started and proc.poll() is None and time.monotonic() < end:
            time.sleep(0.05)
            started = set(processes_with(str(port))) - {proc.pid}
        assert started, f"the Prefect server was not started (roadmap up: {proc.poll()})"
        os.killpg(proc.pid, stop)
        out, _ = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    text = out.decode()
    assert "Остановлено." in text and "Traceback" not in text, text
    assert proc.returncode == 0, text
    assert_nothing_outlived(port, intake_port)


def test_up_refuses_a_port_an_earlier_run_left_taken_naming_the_process(tmp_path: Path) -> None:
    """An orphan (here a process that only listens) holds the intake page's port, then the
    Prefect server's: `roadmap up` starts nothing and names it, instead of attaching to it."""
    port, intake_port = free_port(), free_port()
    env = {**os.environ, "ROADMAP_HOME": str(tmp_path / "home")}
    for var in ("ROADMAP_DATABASE_URL", "ROADMAP_PREFECT_AUTH_STRING", "PREFECT_API_URL"):
        env.pop(var, None)
    for taken, what in ((intake_port, "страница приёма"), (port, "сервер Prefect")):
        orphan = subprocess.Popen(
            [sys.executable, "-c", LISTEN, str(taken)], stdout=subprocess.PIPE, text=True
        )
        try:
            assert orphan.stdout is not None and orphan.stdout.readline().strip() == "listening"
            result = subprocess.run(
                [sys.executable, "-m", "cli.main", "up", "--port", str(port)]
                + ["--intake-port", str(intake_port)],
                env=env,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=120,
            )
        finally:
            orphan.kill()
            orphan.wait(10)
        out = result.stdout + result.stderr
        assert result.returncode == 1, out
        assert f"порт {taken} ({what}) уже занят процессом {orphan.pid}" in out, out
        assert "Traceback" not in out
        assert not processes_with(str(port), str(intake_port)), "something was started"


LISTEN = (
    "import socket, sys, time\n"
    "s = socket.create_server(('127.0.0.1', int(sys.argv[1])))\n"
    "print('listening', flush=True)\n"
    "time.sleep(120)\n"
)


def test_up_refuses_a_public_address_without_an_auth_string(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_HOME", str(tmp_path / "home"))
    for var in ("ROADMAP_PREFECT_AUTH_STRING", "ROADMAP_DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    runner = CliRunner()
    result = runner.invoke(app, ["up", "--host", "0.0.0.0", "--port", str(free_port())])
    assert result.exit_code == 1 and "ROADMAP_PREFECT_AUTH_STRING" in result.stderr
    assert not (tmp_path / "home" / "prefect-auth").exists()  # nothing was started or kept
    monkeypatch.setenv("ROADMAP_PREFECT_AUTH_STRING", "без двоеточия")
    result = runner.invoke(app, ["up", "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "ROADMAP_PREFECT_AUTH_STRING: ожидается вид «пользователь:пароль»" in result.stderr
    for weak in ("roadmap:1", "a:a", "admin:long-enough-password"):  # beyond this machine
        monkeypatch.setenv("ROADMAP_PREFECT_AUTH_STRING", weak)
        result = runner.invoke(app, ["up", "--host", "0.0.0.0"])
        assert result.exit_code == 1 and "ROADMAP_PREFECT_AUTH_STRING" in result.stderr
        assert "secrets.token_urlsafe(32)" in result.stderr
        assert "long-enough-password" not in result.stderr  # never the password itself
    monkeypatch.setenv("ROADMAP_ENVIRONMENT", "production")  # production: on any address
    for weak in ("roadmap:1", "a:a"):
        monkeypatch.setenv("ROADMAP_PREFECT_AUTH_STRING", weak)
        result = runner.invoke(app, ["up"])
        assert result.exit_code == 1
        assert "ROADMAP_PREFECT_AUTH_STRING в режиме production: пароль" in result.stderr
    monkeypatch.setenv("ROADMAP_ENVIRONMENT", "development")
    monkeypatch.setenv("ROADMAP_PREFECT_AUTH_STRING", "admin:" + "Vx3_q9Lr-T2mZ8wKpY4nB7cD1fGhJ6sA")
    monkeypatch.setenv("ROADMAP_INTAKE_HOST", "0.0.0.0")  # the intake page, in development
    result = runner.invoke(app, ["up", "--host", "0.0.0.0"])
    assert result.exit_code == 1 and "development" in result.stderr
    assert not (tmp_path / "home" / "intake-key").exists()  # refused before anything was kept


def _scheduled(api: str, deployment_id: object) -> list[str]:
    runs = httpx.post(
        f"{api}/flow_runs/filter",
        json={
            "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
            "deployments": {"id": {"any_": [str(deployment_id)]}},
            "limit": 50,
        },
        timeout=30,
    ).json()
    return sorted(r["expected_start_time"] for r in runs)


def test_the_stacks_server_schedules_runs_a_week_ahead(tmp_path: Path) -> None:
    """With the settings `roadmap up` gives its server, the scheduler still creates each
    schedule's runs as soon as it is registered (a daily one: its next three; a moment six
    days off: that one), and none more than a week ahead."""
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    prefect_home = seed_prefect_home(tmp_path / "prefect")
    env = {**os.environ, **SERVER_SETTINGS, "PREFECT_HOME": str(prefect_home)}
    env.pop("PREFECT_API_URL", None)
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    day = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    moments = {
        "каждый день": [day + dt.timedelta(days=i) for i in range(10)],
        "через шесть дней": [day + dt.timedelta(days=5)],
        "через сорок дней": [day + dt.timedelta(days=39)],
    }
    specs = [
        DeploymentSpec(
            name=f"Проверка расписания: {name}",
            flow="flows.sweep:daily_sweep",
            parameters={},
            description="Проверка горизонта планировщика.",
            tags=("проверка",),
            schedules=tuple(Schedule(r) for r in rdate_rules(days)),
            timezone="UTC",
        )
        for name, days in moments.items()
    ]
    try:
        end = time.monotonic() + 180
        while time.monotonic() < end:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        with temporary_settings(updates={PREFECT_API_URL: api}):
            ids = asyncio.run(register(specs, state_file=tmp_path / "registered.json")).ids
        daily, six, forty = (ids[s.name] for s in specs)
        end = time.monotonic() + 60
        while time.monotonic() < end and not (_scheduled(api, daily) and _scheduled(api, six)):
            time.sleep(1)
        at_nine = [f"{d.isoformat()}T09:00:00Z" for d in moments["каждый день"][:3]]
        assert _scheduled(api, daily) == at_nine
        assert _scheduled(api, six) == [f"{moments['через шесть дней'][0].isoformat()}T09:00:00Z"]
        assert _scheduled(api, forty) == []  # beyond the week: the loop adds it when it is near
    finally:
        server.terminate()
        server.wait(30)
        log.close()
