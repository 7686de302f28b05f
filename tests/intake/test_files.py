"""Report files over signed, expiring links: what is served, and what is refused in Russian."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from intake.app import Intake
from services.files import keep
from services.links import file_link
from services.runtime import Runtime
from services.tokens import make_file_token, make_token
from tests.intake.conftest import KEY, NOW

DAY = dt.timedelta(days=1)


@pytest.fixture
def report(intake: Intake) -> Path:
    path = intake.rt.reports_dir / "on-demand" / "2025-07-10" / "Сводный отчёт.docx"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK\x03\x04 a docx")
    keep(intake.rt, [path])  # what every writer does: the link is served from the store
    path.unlink()  # and the page does not read its own disk
    return path


PROGRAM = "krasnoyarsk-2025-2026"


def _token(path: str, *, now: dt.datetime = NOW, key: bytes = KEY, owner: str = PROGRAM) -> str:
    return make_file_token(path, owner=owner, key=key, now=now, ttl=30 * DAY)


def test_a_signed_link_downloads_the_file_it_names(
    client: TestClient, intake: Intake, report: Path
) -> None:
    public = intake.rt.settings.model_copy(
        update={"public_base_url": "https://roadmap.example.org"}
    )
    rt = Runtime(
        public,
        clock=intake.rt.clock,
        program_override=intake.program,
        engine_override=intake.rt.engine,
        offline=True,
    )
    link = file_link(rt, report)
    assert link is not None and link.startswith("https://roadmap.example.org/f/")
    response = client.get(link.removeprefix("https://roadmap.example.org"))
    assert response.status_code == 200 and response.content == b"PK\x03\x04 a docx"
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "attachment" in response.headers["content-disposition"]
    assert PROGRAM in response.headers["content-disposition"]  # saved under a name that says whose
    assert response.headers["x-content-type-options"] == "nosniff"


REPORT = "on-demand/2025-07-10/Сводный отчёт.docx"
EXPIRED = _token(REPORT, now=NOW - 31 * DAY)
FORGED = _token(REPORT, key=b"another key")
ALTERED = _token(REPORT)[:-3] + "AAA"
# an intake link's token is not a file link, even signed with the same key
INTAKE = make_token("p:6.1:2025-06", "minzdrav", key=KEY, now=NOW, ttl=30 * DAY)
GONE = "Срок действия ссылки истёк"
INVALID = "Ссылка недействительна"
MISSING = "Файл не найден"


@pytest.mark.parametrize(
    ("token", "status", "words"),
    [
        pytest.param(EXPIRED, 410, GONE, id="expired"),
        pytest.param(FORGED, 403, INVALID, id="forged"),
        pytest.param(ALTERED, 403, INVALID, id="altered"),
        pytest.param(INTAKE, 403, INVALID, id="intake-token"),
        # signed, but pointing out of the reports folder, or at nothing
        pytest.param(_token("../intake-secret.txt"), 404, MISSING, id="outside"),
        pytest.param(_token("/etc/passwd"), 404, MISSING, id="absolute"),
        pytest.param(_token("on-demand/2025-07-10"), 404, MISSING, id="folder"),
        pytest.param(_token("on-demand/2025-07-10/другой.docx"), 404, MISSING, id="absent"),
        # the path of this program's report, under an owner this page does not serve, or
        # under the federal view's folder (where no such file is)
        pytest.param(_token(REPORT, owner="tver-2025-2026"), 403, INVALID, id="other-owner"),
        pytest.param(_token(REPORT, owner="federal"), 404, MISSING, id="federal-owner"),
        pytest.param(_token(f"../{PROGRAM}/{REPORT}", owner="federal"), 404, MISSING, id="climb"),
    ],
)
def test_links_that_do_not_hold_get_a_russian_page_and_no_file(
    client: TestClient, intake: Intake, report: Path, token: str, status: int, words: str
) -> None:
    (intake.rt.reports_root / "intake-secret.txt").write_text("secret")
    response = client.get(f"/f/{token}")
    assert response.status_code == status
    assert words in response.text and "secret" not in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_a_file_token_is_not_an_intake_link(client: TestClient, report: Path) -> None:
    response = client.get(f"/i/{_token(REPORT)}")
    assert response.status_code == 403 and "Ссылка недействительна" in response.text


def test_file_links_are_made_only_for_the_reports_folder(intake: Intake, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.docx"
    outside.write_bytes(b"x")
    with pytest.raises(ValueError, match="вне папок отчётов"):
        file_link(intake.rt, outside)
    loose = intake.rt.reports_root / "loose.docx"  # in the root, in no owner's folder
    loose.parent.mkdir(parents=True, exist_ok=True)
    loose.write_bytes(b"x")
    with pytest.raises(ValueError, match="вне папок отчётов"):
        file_link(intake.rt, loose)
    inside = intake.rt.reports_dir / "a.docx"
    inside.parent.mkdir(parents=True, exist_ok=True)
    inside.write_bytes(b"x")
    assert file_link(intake.rt, inside) is None  # no public address: nothing to link to
