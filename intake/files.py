"""Report files over signed, expiring links: ``/f/<token>`` downloads one file of one owner's
reports folder (a program's, or the federal view's), the one the token names, checked with
that owner's key, and nothing else. The file comes from the file store, streamed a chunk at
a time, whichever machine of the stack wrote it.

Flows publish these links in their artifacts (``services.links.file_link``), so the curator
gets a report from the Prefect UI in her browser: a ``file:///`` link would be refused.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from intake.deps import Intake
from services.files import open_file
from services.tokens import InvalidLink, read_file_token

router = APIRouter()
MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
}
REFUSALS = {
    "forged": (403, "Ссылка недействительна", "Ссылка повреждена или изменена."),
    "malformed": (403, "Ссылка недействительна", "Ссылка повреждена или изменена."),
    "expired": (410, "Срок действия ссылки истёк", "Ссылки на файлы действуют ограниченное время."),
    "missing": (404, "Файл не найден", "Файла, на который указывает ссылка, больше нет."),
}


def _refuse(intake: Intake, why: str) -> HTMLResponse:
    status, headline, detail = REFUSALS[why]
    html = intake.templates.get_template("file_refused.html.j2").render(
        program_title=intake.title, headline=headline, detail=detail
    )
    return HTMLResponse(html, status_code=status)


@router.get("/f/{token}")
def download(token: str, request: Request) -> Response:
    intake: Intake = request.app.state.intake
    try:
        claims = read_file_token(token, key=intake.rt.key_for, now=intake.clock())
    except InvalidLink as exc:
        return _refuse(intake, exc.reason)
    found = open_file(intake.rt, owner=claims.owner, path=claims.path)
    if found is None:  # also a path that leaves the owner's folder: the store has none
        return _refuse(intake, "missing")
    media = MEDIA_TYPES.get(PurePosixPath(found.name).suffix.lower(), "application/octet-stream")
    # the name a person saves it under says whose it is, as its folder does in the store
    name = quote(f"{claims.owner}-{found.name}")
    headers = {
        "content-disposition": f"attachment; filename*=utf-8''{name}",
        "content-length": str(found.size),
    }
    return StreamingResponse(found.chunks, media_type=media, headers=headers)
