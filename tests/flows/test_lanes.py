"""Lanes: three regions in one database, one Prefect server and one intake page, and nothing
of one reaches another.

Krasnoyarsk (the embedded program), Samara (made by `roadmap init` from a road map in the
template) and a synthetic Altai Krai (the embedded program's data rewritten for that region,
so that a word of Krasnoyarsk in Altai's outputs is a leak) run every use case for the same
dates: the daily sweep, an activity's run, the monthly monitoring through its form, the
commission, the half-year reporting, the consolidated report on demand for the same date and
period, the panel and the federal view. Every file, artifact, message, link and audit row
must belong to exactly one of them or to the federal view, and a region's outputs must be
those it makes when it runs alone.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from prefect import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from sqlmodel import select

from flows.activity import activity_flow
from flows.commission import commission_meeting
from flows.consolidation import consolidation_flow
from flows.federal import federal_view_flow
from flows.monitoring import field_name, headcount_monitoring
from flows.reporting import reporting_flow
from flows.sweep import daily_sweep
from intake.app import create_app
from roadmap.program.loader import DEFAULT_PROGRAM
from services import answers, reports
from services import runtime as services_runtime
from services.answers import Who
from services.runtime import Runtime
from services.tokens import make_file_token, make_token
from storage.db import session_scope
from storage.tables import AuditRecord, OutboxRecord
from tests.fixtures import CONTACTS
from tests.flows.test_flows import now, paused_run, resume
from tests.flows.test_regions import SAMARA, cli, make_samara
from tests.storage.files import PDF

KRSK = "krasnoyarsk-2025-2026"
ALTAI = "altai-2025-2026"
FEDERAL = "federal"
BASE = "https://roadmap.example.org"
# the stem of each region's name in its own words: another region's stem in one's outputs
# is a leak
STEMS = {KRSK: "Красноярск", SAMARA: "Самарск", ALTAI: "Алтайск"}
REGIONS = {KRSK: "Красноярский край", SAMARA: "Самарская область", ALTAI: "Алтайский край"}
SWEEP, ACTIVITY, MONTH, REPORTING, ON_DEMAND, FEDERAL_DAY = (
    "2025-04-08",
    "2025-04-08",
    "2025-03",
    "2025-07-29",
    "2025-08-01",
    "2025-08-05",
)
TOKEN = re.compile(r"/(?:i|f)/([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)")


def altai_folder(where: Path) -> Path:
    """The embedded program rewritten for Altai Krai: its id, region, zone and every word
    that names Krasnoyarsk; with its contacts in the folder's own ``contacts.yaml``."""
    folder = where / "altai"
    shutil.copytree(DEFAULT_PROGRAM, folder)
    for path in folder.glob("*.yaml"):
        text = path.read_text("utf-8").replace("Красноярск", "Алтайск")
        text = text.replace(f"id: {KRSK}", f"id: {ALTAI}")
        text = text.replace("timezone: Asia/Krasnoyarsk", "timezone: Asia/Barnaul")
        text = text.replace("timezone_name: Алтайск", "timezone_name: Барнаул")
        path.write_text(text, "utf-8")
    contacts = CONTACTS.read_text("utf-8").replace("Красноярск", "Алтайск")
    (folder / "contacts.yaml").write_text(contacts, "utf-8")
    return folder


@dataclass
class Lane:
    """One installation as the test ran it: its home, runtime and the runs it made."""

    home: Path
    rt: Runtime
    runs: dict[str, str] = field(default_factory=dict)  # run id → its owner

    @property
    def reports(self) -> Path:
        return self.rt.reports_root


def _resume(api: str, name: str, form: dict[str, Any], since: dt.datetime) -> str:
    run = paused_run(name, since, timeout=60)
    answer = resume(api, run.id, form)
    assert answer.json().get("status") == "ACCEPT", answer.text
    return str(run.id)


def _threaded(target: Any) -> threading.Thread:
    t = threading.Thread(target=target)
    t.start()
    return t


def run_every_use_case(lane: Lane, pid: str, api: str) -> None:
    """Every use case of one program, for the same dates whatever the program."""
    rt = lane.rt.for_program(pid)
    program = rt.program

    def keep(state: Any) -> None:
        lane.runs[str(state.state_details.flow_run_id)] = pid

    since = now()  # runs of this lane pause after it; another lane's of one name, before
    keep(daily_sweep(as_of=SWEEP, program=pid, return_state=True))
    keep(activity_flow("1.4", as_of=ACTIVITY, program=pid, return_state=True))
    m = program.monitoring
    assert m is not None
    done: dict[str, Any] = {}
    t = _threaded(
        lambda: done.setdefault(
            "m", headcount_monitoring(month=MONTH, as_of=f"{MONTH}-03", program=pid)
        )
    )
    form = {field_name(p.org): 100 + i for i, p in enumerate(m.parts)}
    name = f"{REGIONS[pid]} · {m.activity} Мониторинг численности — март 2025\u00a0г."
    lane.runs[_resume(api, name, form | {"filled_by": "Иванова Анна Петровна"}, since)] = pid
    t.join(60)
    assert done["m"]["complete"]
    if program.commission is not None:
        c = program.commission
        answers.submit_document(
            rt,
            obligation_id=f"{pid}:{c.activity}:2025-Q2",
            stream=io.BytesIO(PDF),
            name="протокол.pdf",
            who=Who("секретарь комиссии", "cli", c.asked[0]),
            at=dt.datetime(2025, 6, 5, 4, tzinfo=dt.UTC),
        )
        t = _threaded(
            lambda: done.setdefault(
                "c",
                commission_meeting(quarter="II квартал 2025 года", as_of="2025-06-09", program=pid),
            )
        )
        name = f"{REGIONS[pid]} · {c.activity} Заседание комиссии — II квартал 2025 года"
        lane.runs[_resume(api, name, {"done": True}, since)] = pid
        t.join(60)
        assert done["c"]["protocol"] is True
    keep(reporting_flow(period="2025-H1", as_of=REPORTING, program=pid, return_state=True))
    keep(
        consolidation_flow(
            as_of=ON_DEMAND, period="I полугодие 2025 года", program=pid, return_state=True
        )
    )
    day = dt.date.fromisoformat(ON_DEMAND)
    reports.panel_page(rt, as_of=day, period=None, public=False, out_dir=rt.reports_dir / "panel")


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    where = tmp_path_factory.mktemp("lanes-programs")
    return {KRSK: DEFAULT_PROGRAM, SAMARA: make_samara(where), ALTAI: altai_folder(where)}


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory, prefect_server: str) -> Iterator[Any]:
    """A fresh home for the given programs, synced on 9 January 2025 with their contacts."""
    mp = pytest.MonkeyPatch()

    def make(name: str, programs: list[Path]) -> Lane:
        home = tmp_path_factory.mktemp(name) / "home"
        mp.setenv("ROADMAP_HOME", str(home))
        mp.setenv("ROADMAP_PROGRAMS", ",".join(str(p) for p in programs))
        mp.setenv("ROADMAP_PREFECT_API_URL", prefect_server)
        mp.setenv("ROADMAP_PUBLIC_BASE_URL", BASE)
        mp.setenv("ROADMAP_INPUT_TIMEOUT_MINUTES", "1")
        for var in (
            "ROADMAP_DATABASE_URL",
            "ROADMAP_SMTP_URL",
            "ROADMAP_PROGRAM",
            "ROADMAP_CONTACTS_FILE",
            "ROADMAP_TELEGRAM_BOT_TOKEN",
        ):
            mp.delenv(var, raising=False)
        services_runtime.reset()
        cli("sync", "--as-of", "2025-01-09")
        if DEFAULT_PROGRAM in programs:  # the embedded program keeps no contacts of its own
            cli("--program", KRSK, "contacts", "load", str(CONTACTS))
        services_runtime.reset()
        return Lane(home, services_runtime.current())

    yield make
    services_runtime.reset()
    mp.undo()


@pytest.fixture(scope="module")
def side_by_side(installation: Any, folders: dict[str, Path], prefect_server: str) -> Lane:
    lane: Lane = installation("together", list(folders.values()))
    for pid in folders:
        run_every_use_case(lane, pid, prefect_server)
    state = federal_view_flow(as_of=FEDERAL_DAY, return_state=True)
    lane.runs[str(state.state_details.flow_run_id)] = FEDERAL
    return lane


def _payload(token: str) -> dict[str, Any]:
    return dict(json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))))


def _owner_of(token: str) -> str:
    body = _payload(token)
    return str(body["g"]) if body.get("k") == "file" else str(body["o"]).partition(":")[0]


def _leaks(text: str, owner: str) -> list[str]:
    """Other regions' words in ``text`` written for ``owner`` (the federal view names all)."""
    if owner == FEDERAL:
        return []
    return [stem for pid, stem in STEMS.items() if pid != owner and stem in text]


def _text(path: Path) -> str:
    if path.suffix == ".docx":
        d = docx.Document(str(path))
        cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in d.paragraphs] + cells)
    if path.suffix == ".xlsx":
        book = load_workbook(path)
        return "\n".join(
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    if path.suffix == ".html":
        return path.read_text("utf-8")
    return ""


def _artifacts(run_ids: list[str]) -> list[Any]:
    import asyncio

    async def read() -> list[Any]:
        async with get_client() as c:
            return await c.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=run_ids))
            )

    return asyncio.run(read())


def test_every_file_lives_in_its_owners_folder_and_speaks_of_its_region_alone(
    side_by_side: Lane,
) -> None:
    root = side_by_side.reports
    files = [p for p in root.rglob("*") if p.is_file()]
    owners = {p.relative_to(root).parts[0] for p in files}
    assert owners == {KRSK, SAMARA, ALTAI, FEDERAL}
    assert all(len(p.relative_to(root).parts) > 1 for p in files)  # none loose in the root
    for pid in (KRSK, SAMARA, ALTAI):
        mine = sorted(p.relative_to(root / pid).as_posix() for p in (root / pid).rglob("*.*"))
        # the same date and period for every region: each has its own copy of each report
        assert "on-demand/2025-08-01/svodnyi-otchet-2025-H1-na-2025-08-01.docx" in mine, mine
        assert "2025-H1/svodnyi-otchet-2025-H1-na-2025-07-29.docx" in mine, mine
        assert "panel/index.html" in mine
    assert list((root / KRSK).glob("briefing-2025-Q2-*.docx"))
    assert list((root / ALTAI).glob("briefing-2025-Q2-*.docx"))
    for p in files:
        owner = p.relative_to(root).parts[0]
        text = _text(p)
        assert not _leaks(text, owner), (p, _leaks(text, owner))
        if owner != FEDERAL and p.suffix == ".docx":
            assert STEMS[owner] in text or REGIONS[owner] in text, p


def test_every_artifact_is_keyed_by_its_owner_and_links_only_its_owners_files(
    side_by_side: Lane,
) -> None:
    arts = _artifacts(list(side_by_side.runs))
    assert len(arts) > 30
    client = TestClient(create_app(), raise_server_exceptions=False)
    for a in arts:
        if a.key is None:  # Prefect's own (a failed run's), none of ours
            continue
        owner = side_by_side.runs[str(a.flow_run_id)]
        assert a.key.startswith(f"{owner}-"), (owner, a.key)
        data = a.data if isinstance(a.data, str) else json.dumps(a.data, ensure_ascii=False)
        assert not _leaks(data + (a.description or ""), owner), (a.key, _leaks(data, owner))
        for payload, _ in TOKEN.findall(data):
            assert _owner_of(payload) == owner, a.key
    # each region's «Сводный отчёт» link downloads that region's file, not another's
    for pid in (KRSK, SAMARA, ALTAI):
        link = next(a for a in arts if a.key == f"{pid}-report-file-1-{ON_DEMAND}")
        url = re.search(rf"{BASE}(/f/[^)\s]+)", str(link.data))
        assert url is not None, link.data
        got = client.get(url.group(1))
        assert got.status_code == 200 and pid in got.headers["content-disposition"]
        name = Path(link.description.split(": ", 1)[1]).name
        assert (
            got.content
            == (side_by_side.reports / pid / "on-demand" / ON_DEMAND / name).read_bytes()
        )


def test_every_message_and_audit_row_belongs_to_one_program(side_by_side: Lane) -> None:
    with session_scope(side_by_side.rt.engine) as s:
        messages = list(s.exec(select(OutboxRecord)))
        audit = list(s.exec(select(AuditRecord)))
    assert {m.program_id for m in messages} == {KRSK, SAMARA, ALTAI}
    for m in messages:
        if m.obligation_id:
            assert m.obligation_id.startswith(f"{m.program_id}:"), m.obligation_id
        text = f"{m.subject}\n{m.body_text}"
        assert not _leaks(text, m.program_id), (m.id, _leaks(text, m.program_id))
        for payload, _ in TOKEN.findall(m.body_text):
            assert _owner_of(payload) == m.program_id
    # a file kept in the store belongs to its owner: a program, or the federal view
    programs = {a.program_id for a in audit if not (a.entity == "file" and a.program_id == FEDERAL)}
    assert audit and programs == {KRSK, SAMARA, ALTAI}
    for a in audit:
        if a.entity in ("obligation", "evidence", "review"):
            assert a.entity_id.startswith(f"{a.program_id}:"), (a.entity, a.entity_id)
        if a.entity == "file":
            assert a.entity_id.startswith(f"{a.program_id}/"), a.entity_id


def test_bad_links_get_a_russian_page_never_a_500(side_by_side: Lane) -> None:
    client = TestClient(create_app(), raise_server_exceptions=False)
    now = dt.datetime.now(dt.UTC)
    key = side_by_side.rt.intake_key
    day = dt.timedelta(days=1)
    report = f"on-demand/{ON_DEMAND}/svodnyi-otchet-2025-H1-na-{ON_DEMAND}.docx"
    good = make_file_token(report, owner=SAMARA, key=key, now=now, ttl=day)
    tries = {
        "forged": make_file_token(report, owner=SAMARA, key=b"not ours", now=now, ttl=day),
        "expired": make_file_token(report, owner=SAMARA, key=key, now=now - 3 * day, ttl=day),
        "altered": good[:-4] + "AAAA",
        "unknown owner": make_file_token(report, owner="tver-2025-2026", key=key, now=now, ttl=day),
        "climbing": make_file_token(f"../{KRSK}/x", owner=SAMARA, key=key, now=now, ttl=day),
        "intake as file": make_token(f"{SAMARA}:1.4:2025-04", "x", key=key, now=now, ttl=day),
        "garbage": "x.y",
    }
    assert client.get(f"/f/{good}").status_code == 200
    for what, token in tries.items():
        for route in ("f", "i"):
            got = client.get(f"/{route}/{token}")
            assert got.status_code in (403, 404, 410), (what, route, got.status_code)
            assert "Ссылка" in got.text or "Файл" in got.text, (what, route)


def _normalised(text: str) -> str:
    """A text with every link's token replaced by its owner (the tokens carry a random nonce
    and the moment they were made)."""
    return TOKEN.sub(lambda m: f"/<{_owner_of(m.group(1))}>", text)


def outputs(lane: Lane, pid: str) -> dict[str, Any]:
    """What one program's run left: its files' text, its messages and its artifacts."""
    root = lane.reports / pid
    files = {
        p.relative_to(root).as_posix(): _text(p)
        for p in sorted(root.rglob("*.*"))
        if p.suffix != ".png"  # a chart's bytes carry the moment it was drawn
    }
    with session_scope(lane.rt.engine) as s:
        rows = s.exec(select(OutboxRecord).where(OutboxRecord.program_id == pid))
        messages = sorted(
            (m.obligation_id or "", m.step, m.address, m.subject, _normalised(m.body_text))
            for m in rows
        )
    arts = {
        a.key: _normalised(a.data if isinstance(a.data, str) else json.dumps(a.data))
        for a in _artifacts([r for r, o in lane.runs.items() if o == pid])
        if a.key is not None
    }
    return {"files": files, "messages": messages, "artifacts": arts}


@pytest.mark.parametrize("pid", [SAMARA, ALTAI])
def test_a_region_makes_the_same_outputs_beside_the_others_as_alone(
    side_by_side: Lane,
    installation: Any,
    folders: dict[str, Path],
    prefect_server: str,
    pid: str,
) -> None:
    together = outputs(side_by_side, pid)
    alone: Lane = installation(f"alone-{pid}", [folders[pid]])
    run_every_use_case(alone, pid, prefect_server)
    by_itself = outputs(alone, pid)
    assert by_itself["files"].keys() == together["files"].keys()
    for name, text in together["files"].items():
        assert by_itself["files"][name] == text, name
    assert by_itself["messages"] == together["messages"]
    assert by_itself["artifacts"] == together["artifacts"]
    services_runtime.reset()
