"""Two real regions in one database and one Prefect server: Krasnoyarsk and Samara.

Samara's program is made here by `roadmap init` from a small road map in the template
(``tests/data/samara-roadmap.txt``): its own executors, terms, reporting rules and time
zone (UTC+4, three hours behind Krasnoyarsk). Both are loaded with ``ROADMAP_PROGRAMS``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import col, select
from typer.testing import CliRunner

from cli.main import app
from flows.activity import activity_flow
from flows.consolidation import consolidation_flow
from flows.deployments import stack_specs
from flows.federal import federal_view_flow
from flows.registration import register, run_registered
from flows.sweep import daily_sweep
from intake.app import GENERAL_TITLE, create_app
from roadmap.program.loader import DEFAULT_PROGRAM
from services import answers
from services import program as program_data
from services import runtime as services_runtime
from services.answers import Who
from services.links import obligation_link
from services.runtime import Runtime
from services.sweep import sweep_day
from storage.db import session_scope
from storage.tables import OutboxRecord
from tests.fixtures import CONTACTS
from tests.storage.files import PDF

runner = CliRunner()
DOC = Path(__file__).resolve().parent.parent / "data" / "samara-roadmap.txt"
KRSK = "krasnoyarsk-2025-2026"
SAMARA = "samarskaya-oblast-2025-2026"
SAMARA_CONTACTS = """\
# Made-up people on reserved domains (RFC 2606).
contacts:
  - {org: min-sotsialno-demograficheskoy, role: coordinator, name: Ирина Сергеевна Ковалёва,
     email: coordinator@samara.example.org, phone: +7 (846) 000-00-01,
     position: консультант отдела семейной политики}
  - {org: min-sotsialno-demograficheskoy, role: executor, name: Олег Петрович Смирнов,
     email: o.smirnov@samara.example.org}
  - {org: min-sotsialno-demograficheskoy, role: head, name: Марина Викторовна Орлова,
     email: head@samara.example.org}
  - {org: komissiya-delam-nesovershennoletnikh, role: executor, name: Анна Ильинична Белова,
     email: a.belova@kdn.samara.example.org}
  - {org: regionalnyy-kurator, role: curator, name: Павел Андреевич Гусев,
     email: curator@samara.example.com}
"""


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def make_samara(where: Path) -> Path:
    """Samara's program folder under ``where``, made by `roadmap init`, with a contacts file
    of its own beside it."""
    folder = where / "samara"
    cli(
        "init",
        str(folder),
        "--from",
        str(DOC),
        "--region",
        "Самарская область",
        "--timezone",
        "Europe/Samara",
    )
    (where / "samara-contacts.yaml").write_text(SAMARA_CONTACTS, "utf-8")
    main = folder / "program.yaml"
    text = main.read_text("utf-8")
    placeholder = f"# contacts_file: ../contacts/{SAMARA}.yaml"
    assert placeholder in text
    main.write_text(text.replace(placeholder, "contacts_file: ../samara-contacts.yaml"), "utf-8")
    return folder


@pytest.fixture(scope="module")
def samara_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Samara's program folder, made by `roadmap init`, with a contacts file of its own."""
    return make_samara(tmp_path_factory.mktemp("programs"))


@pytest.fixture
def two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, samara_folder: Path, prefect_server: str
) -> Iterator[Runtime]:
    """Both programs in one fresh database, synced on 9 January 2025, contacts loaded."""
    monkeypatch.setenv("ROADMAP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ROADMAP_PROGRAMS", f"{DEFAULT_PROGRAM},{samara_folder}")
    monkeypatch.setenv("ROADMAP_PREFECT_API_URL", prefect_server)
    for var in (
        "ROADMAP_DATABASE_URL",
        "ROADMAP_SMTP_URL",
        "ROADMAP_PROGRAM",
        "ROADMAP_CONTACTS_FILE",
        "ROADMAP_TELEGRAM_BOT_TOKEN",
    ):
        monkeypatch.delenv(var, raising=False)
    services_runtime.reset()
    out = cli("sync", "--as-of", "2025-01-09")
    assert f"Программа {KRSK} загружена" in out and f"Программа {SAMARA} загружена" in out
    # Samara's contacts come with its program (its own file); Krasnoyarsk's are loaded by hand
    assert f"Контакты программы {SAMARA} из " in out and "добавлено 5" in out
    assert f"Контакты программы {KRSK}" not in out
    cli("--program", KRSK, "contacts", "load", str(CONTACTS))
    assert "добавлено 0" in cli("--program", SAMARA, "contacts", "load")  # already there
    services_runtime.reset()
    yield services_runtime.current()
    services_runtime.reset()


def test_a_command_for_one_program_says_which_ones_there_are(two: Runtime) -> None:
    result = runner.invoke(app, ["status", "--as-of", "2025-05-01"])
    assert result.exit_code == 1
    assert f"загружено несколько программ ({KRSK}, {SAMARA})" in result.stderr
    result = runner.invoke(app, ["--program", "tver", "status"])
    assert result.exit_code == 1 and "программа «tver» не найдена" in result.stderr


def test_each_program_owes_by_its_own_terms_and_rules(two: Runtime, samara_folder: Path) -> None:
    due = {
        o["id"]: o["due"]
        for o in json.loads(cli("--program", str(samara_folder), "obligations", "--json"))
    }
    assert due[f"{SAMARA}:1.4:2025-04"] == "2025-04-15"  # «до 15 апреля 2025 года»
    # «не позднее 15 рабочего дня, следующего за отчетным полугодием» (Krasnoyarsk: 20th)
    assert due[f"{SAMARA}:report:min-obrazovaniya:2025-H1"] == "2025-07-21"
    # «не позднее 1 февраля» (1 February 2026 is a Sunday: moved to Monday)
    assert due[f"{SAMARA}:report:min-obrazovaniya:2025"] == "2026-02-02"
    assert due[f"{SAMARA}:consolidated:2025-H1"] == "2025-08-01"
    krsk = {o["id"]: o["due"] for o in json.loads(cli("--program", KRSK, "obligations", "--json"))}
    assert krsk[f"{KRSK}:report:minobr:2025-H1"] == "2025-07-28"
    assert not set(due) & set(krsk)
    # a short id is read in the chosen program; storage holds both programs' obligations
    status = json.loads(cli("--program", SAMARA, "status", "--as-of", "2025-04-20", "--json"))
    mine = {i["id"]: i["status"] for i in status}
    assert mine[f"{SAMARA}:1.4:2025-04"] == "overdue" and all(x.startswith(SAMARA) for x in mine)
    out = cli("--program", SAMARA, "na", "--obligation", "1.4:2025-04", "--reason", "не нужно")
    assert f"{SAMARA}:1.4:2025-04" in out


def test_one_intake_page_answers_for_each_region(
    two: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_PUBLIC_BASE_URL", "https://roadmap.example.org")
    services_runtime.reset()
    rt = services_runtime.current()
    client = TestClient(create_app())
    samara = rt.for_program(SAMARA)
    url = obligation_link(samara, obligation_id=f"{SAMARA}:1.4:2025-04")
    page = client.get(url.removeprefix("https://roadmap.example.org"))
    assert page.status_code == 200
    assert samara.program.title in page.text and "15 апреля 2025" in page.text
    krsk = rt.for_program(KRSK)
    url = obligation_link(krsk, obligation_id=f"{KRSK}:6.1:2025-03", org="minzdrav")
    page = client.get(url.removeprefix("https://roadmap.example.org"))
    assert page.status_code == 200 and krsk.program.title in page.text
    refused = client.get("/i/nonsense")
    assert refused.status_code == 403 and GENERAL_TITLE in refused.text


def _outbox(rt: Runtime) -> list[OutboxRecord]:
    return program_data.messages(rt)


def test_messages_go_out_in_each_regions_own_working_hours(two: Runtime) -> None:
    krsk, samara = two.for_program(KRSK), two.for_program(SAMARA)
    day = dt.date(2025, 4, 8)
    early = dt.datetime(2025, 4, 8, 3, tzinfo=dt.UTC)  # 10:00 in Krasnoyarsk, 07:00 in Samara
    k = sweep_day(krsk, as_of=day, now=early)
    s = sweep_day(samara, as_of=day, now=early)
    assert k.delivery and not k.delivery.skipped_quiet_hours and k.delivery.sent
    assert s.delivery and s.delivery.skipped_quiet_hours and s.plan.recorded
    waiting = [r for r in _outbox(samara) if r.state == "pending"]
    assert waiting and {r.not_before for r in waiting} == {
        dt.datetime(2025, 4, 8, 5, tzinfo=dt.UTC)  # 09:00 Samara
    }
    # a retry the backoff put before Samara's morning: Krasnoyarsk's sweep must not take it
    with session_scope(two.engine) as session:
        for row in session.exec(select(OutboxRecord).where(col(OutboxRecord.program_id) == SAMARA)):
            row.not_before = row.next_attempt_at = early - dt.timedelta(hours=1)
    again = sweep_day(krsk, as_of=day, now=early + dt.timedelta(minutes=30))
    assert again.delivery is not None and not set(again.delivery.sent) & {r.id for r in waiting}
    assert all(r.state == "pending" for r in _outbox(samara))
    morning = dt.datetime(2025, 4, 8, 5, 30, tzinfo=dt.UTC)  # 09:30 Samara
    sent = sweep_day(samara, as_of=day, now=morning)
    assert sent.delivery and sent.delivery.sent
    rows = _outbox(samara)
    assert {r.state for r in rows} == {"sent"} and {r.sent_at for r in rows} == {morning}
    letter = next(r for r in rows if r.obligation_id == f"{SAMARA}:1.4:2025-04")
    assert "15 апреля 2025\u00a0г." in letter.body_text
    assert "Самарской области" in letter.body_text and "Красноярск" not in letter.body_text
    assert all(r.program_id == KRSK for r in _outbox(krsk))


def _headcount(rt: Runtime, months: dict[str, tuple[float, float, float]]) -> None:
    m = rt.program.monitoring
    assert m is not None
    for month, values in months.items():
        for part, value in zip(m.parts, values, strict=True):
            answers.give_value(
                rt,
                indicator=m.indicator,
                period=month,
                value=value,
                who=Who("тест", "cli", part.org),
                explanation="проверка",
                at=dt.datetime(2025, 8, 1, 6, tzinfo=dt.UTC),
            )


def test_the_federal_view_shows_each_region(two: Runtime, tmp_path: Path) -> None:
    samara = two.for_program(SAMARA)
    _headcount(
        samara,
        {f"2025-{m:02d}": (600 - 3 * m, 560 - 2 * m, 320 - m) for m in range(1, 8)},
    )
    answers.submit_document(
        samara,
        obligation_id=f"{SAMARA}:consolidated:2025-H1",
        stream=io.BytesIO(PDF),
        name="svod.pdf",
        who=Who("Ковалёва", "cli", "min-sotsialno-demograficheskoy"),
        at=dt.datetime(2025, 7, 30, 8, tzinfo=dt.UTC),
    )
    out = tmp_path / "federal"
    rows = json.loads(cli("federal", "--as-of", "2025-08-05", "--json", "--out", str(out)))
    by = {r["program"]: r for r in rows}
    assert [r["region"] for r in rows] == ["Красноярский край", "Самарская область"]
    k, s = by[KRSK], by[SAMARA]
    assert k["consolidated"]["due"] == 1 and k["consolidated"]["received"] == 0
    # not received is not late-received: Krasnoyarsk's report is owed, not late
    assert k["consolidated"]["late"] == 0 and k["consolidated"]["not_received"] == 1
    assert k["consolidated"]["reports"][0]["received"] == "overdue"
    assert s["consolidated"]["received"] == 1 and s["consolidated"]["late"] == 0
    assert s["consolidated"]["reports"][0]["received_on"] == "2025-07-30"
    assert k["headline"]["indicator"] == "1.1" and k["headline"]["risk"] == "insufficient_data"
    h = s["headline"]
    assert (h["indicator"], h["baseline"], h["target"]) == ("1.1", 1480, 1110)
    assert h["actual"] == 1480 - 6 * 7 and h["actual_on"] == "2025-07-01"
    # the trajectory a day past the first checkpoint (1 480 on 30 June, 1 420 on 31 December)
    # the trajectory reads a checkpoint's target as the count on the 1st of the next month
    assert h["planned"] == pytest.approx(1480, abs=0.01)
    assert h["deviation"] == pytest.approx((1438 - h["planned"]) / h["planned"], abs=1e-4)
    # seven monthly values: less than the year a program's headcount is judged from
    assert (h["risk"], h["status"]) == ("insufficient_data", "недостаточно данных")
    assert "1.4" in s["overdue"]["activities"] and s["executors"]["due"] > 0
    assert 0 <= s["executors"]["completeness"] <= 1
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        "federalnyi-svod-na-2025-08-05.docx",
        "federalnyi-svod-na-2025-08-05.xlsx",
        "index.html",
    ]
    text = "\n".join(
        c.text
        for t in docx.Document(str(out / files[0])).tables
        for row in t.rows
        for c in row.cells
    )
    assert "Красноярский край" in text and "Самарская область" in text
    assert "не получен, срок прошёл" in text and "получен в срок 30.07.2025" in text
    book = load_workbook(out / files[1])
    assert book.sheetnames == ["Сводные отчёты", "Исполнители", "Ключевой показатель", "Просрочка"]
    sheet = book["Ключевой показатель"]
    assert (sheet["A3"].value, sheet["E3"].value) == ("Самарская область", 1438)
    assert sheet["F3"].value == dt.datetime(2025, 7, 1)  # a date, as Excel keeps it
    page = (out / "index.html").read_text("utf-8")
    assert "Самарская область" in page and "http" not in page.split("<body>")[1]


def _deployments(api: str, tag: str) -> list[dict[str, Any]]:
    found = httpx.post(
        f"{api}/deployments/filter",
        json={"deployments": {"tags": {"all_": [tag]}}, "limit": 200},
        timeout=30,
    ).json()
    return list(found)


def test_one_prefect_server_serves_both_regions(two: Runtime, prefect_server: str) -> None:
    programs = [(r.program, r.calendar) for r in two.each_program()]
    specs = stack_specs(programs)
    state = Path(two.settings.home) / "prefect" / "registered.json"
    first = asyncio.run(register(specs, state_file=state))
    assert (first.sent, first.kept, first.paused) == (len(specs), 0, 0)
    assert len(specs) == 101 + 16 + 1  # Krasnoyarsk, Samara (11 activities), the federal view
    again = asyncio.run(register(specs, state_file=state))
    assert (again.sent, again.kept) == (0, 118)
    samara = _deployments(prefect_server, SAMARA)
    assert len(samara) == 16 and all(d["name"].startswith("Самарская область: ") for d in samara)
    assert {s["schedule"]["timezone"] for d in samara for s in d["schedules"]} == {"Europe/Samara"}
    assert {d["parameters"]["program"] for d in samara} == {SAMARA}
    # the runner runs what a registered deployment is asked to run, for its program
    sweep = next(d for d in samara if d["name"].endswith("Ежедневный обход"))
    for _ in range(30):  # the session's server on SQLite answers 503 while its writer is busy
        answer = httpx.post(
            f"{prefect_server}/deployments/{sweep['id']}/create_flow_run",
            json={"parameters": {"as_of": "2025-04-08"}},
            timeout=30,
        )
        if answer.status_code != 503:
            break
        time.sleep(1)
    assert answer.status_code == 201, answer.text
    run = answer.json()
    asyncio.run(run_registered({sweep["name"]: sweep["id"]}, once=True))
    state_now = httpx.get(f"{prefect_server}/flow_runs/{run['id']}", timeout=30).json()
    assert state_now["state"]["type"] == "COMPLETED", state_now["state"]
    assert state_now["name"] == "Самарская область · Ежедневный обход — 08.04.2025"
    # a region taken out: its deployments are paused, the others are left alone
    only_krsk = stack_specs(programs[:1])
    gone = asyncio.run(register(only_krsk, state_file=state))
    assert (gone.sent, gone.kept, gone.paused) == (1, 101, 16)  # the federal view changed
    assert all(d["paused"] for d in _deployments(prefect_server, SAMARA))
    assert not any(d["paused"] for d in _deployments(prefect_server, KRSK))


def test_flows_run_for_the_program_they_are_given(two: Runtime) -> None:
    result = daily_sweep(as_of="2025-04-08", program=SAMARA)
    assert result["as_of"] == "2025-04-08" and result["recorded"] > 0
    assert {r.program_id for r in _outbox(two.for_program(SAMARA))} == {SAMARA}
    assert not _outbox(two.for_program(KRSK))
    view = federal_view_flow(as_of="2025-04-08")
    assert [r["program"] for r in view["regions"]] == [KRSK, SAMARA]
    assert len(view["files"]) == 3 and all(Path(f).exists() for f in view["files"])


def _run(api: str, state: Any) -> dict[str, Any]:
    run_id = state.state_details.flow_run_id
    return dict(httpx.get(f"{api}/flow_runs/{run_id}", timeout=30).json())


def _found(api: str, key: str) -> list[dict[str, Any]]:
    found = httpx.post(
        f"{api}/artifacts/latest/filter",
        json={"artifacts": {"key": {"any_": [key]}}},
        timeout=30,
    ).json()
    return list(found)


def _latest(api: str, key: str) -> dict[str, Any]:
    found = _found(api, key)
    assert len(found) == 1, key
    return dict(found[0])


def test_two_programs_runs_are_named_by_region_and_keep_overviews_of_their_own(
    two: Runtime, prefect_server: str
) -> None:
    """Side by side in the UI: each run's name starts with its region, and each program's
    «Состояние дорожной карты» stays its own, however the sweeps interleave."""
    day = "2025-04-08"
    samara_14 = two.for_program(SAMARA).program.activity_map["1.4"].short_name
    runs = {
        "Красноярский край · Ежедневный обход — 08.04.2025": daily_sweep(
            as_of=day, program=KRSK, return_state=True
        ),
        "Самарская область · Ежедневный обход — 08.04.2025": daily_sweep(
            as_of=day, program=SAMARA, return_state=True
        ),
        f"Самарская область · 1.4 {samara_14} — 08.04.2025": activity_flow(
            "1.4", as_of=day, program=SAMARA, return_state=True
        ),
        "Красноярский край · 6.1 Мониторинг численности детей в учреждениях — 08.04.2025": (
            activity_flow("6.1", as_of=day, program=KRSK, return_state=True)
        ),
        "Самарская область · Сводный отчёт за весь срок программы на 08.04.2025": (
            consolidation_flow(as_of=day, formats=["xlsx"], program=SAMARA, return_state=True)
        ),
        "Все регионы · Федеральный свод — 08.04.2025": federal_view_flow(
            as_of=day, return_state=True
        ),
    }
    for name, state in runs.items():
        assert _run(prefect_server, state)["name"] == name
    # the later sweep (Samara's) did not overwrite Krasnoyarsk's overview, nor its ministries';
    # runs for a past day write under keys that say the day, and leave the current ones alone
    krsk_sweep = _run(prefect_server, runs["Красноярский край · Ежедневный обход — 08.04.2025"])
    assert not _found(prefect_server, f"{KRSK}-overview")
    krsk = _latest(prefect_server, f"{KRSK}-overview-{day}")
    assert krsk["flow_run_id"] == krsk_sweep["id"]
    assert krsk["description"] == "Состояние дорожной карты: Красноярский край"
    assert "Минсоцполитики края" in krsk["data"] and "Самарск" not in krsk["data"]
    samara = _latest(prefect_server, f"{SAMARA}-overview-{day}")
    assert samara["description"] == "Состояние дорожной карты: Самарская область"
    assert "Самарской области" in samara["data"] and "края" not in samara["data"]
    minsoc = _latest(prefect_server, f"{KRSK}-overview-minsoc-{day}")
    assert minsoc["flow_run_id"] == krsk_sweep["id"]
    assert minsoc["data"].startswith("# Минсоцполитики края: состояние на 08.04.2025")
