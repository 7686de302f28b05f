"""The two routes: show what a link's obligation owes, and take the answer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from intake.deps import Intake
from intake.form_reading import TooManyFiles, read_form
from intake.submission import EMPTY_FORM, Parsed, parse_form
from roadmap.errors import RoadmapError
from roadmap.obligations.asks import Ask, asks_for
from services import answers
from services.answers import LinkAlreadyUsed, ObligationRecord, UploadRefused
from services.tokens import InvalidLink, LinkClaims, read_token

router = APIRouter()
CHANNEL = "intake"
REFUSALS = {
    "forged": (
        403,
        "Ссылка недействительна",
        "Ссылка повреждена или изменена: её подпись не совпадает.",
    ),
    "malformed": (
        403,
        "Ссылка недействительна",
        "Ссылка повреждена: возможно, она скопирована не полностью.",
    ),
    "expired": (410, "Срок действия ссылки истёк", "Ссылки действуют ограниченное время."),
    "used": (410, "Ссылка уже использована", "По этой ссылке документы уже представлены."),
    "locked": (
        403,
        "Ссылка заблокирована",
        "По этой ссылке слишком много раз присылали файлы, не прошедшие проверку. "
        "Координатор программы уведомлён; новую ссылку пришлёт он.",
    ),
    "closed": (
        410,
        "Обязательство закрыто",
        "Документы по этому обязательству уже приняты, или оно отменено, "
        "или объявлено неприменимым.",
    ),
    "mismatch": (403, "Ссылка недействительна", "Ссылка не относится к этому обязательству."),
    "rate": (429, "Слишком много запросов", "Попробуйте через несколько минут."),
    "too_many_files": (413, "Слишком много файлов", "Уменьшите число файлов в одной отправке."),
    "bad_form": (
        400,
        "Форма не распознана",
        "Данные формы переданы не полностью или повреждены. Откройте ссылку и отправьте ещё раз.",
    ),
}


def _intake(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


def _page(intake: Intake, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    html = intake.templates.get_template(name).render(program_title=intake.title, **ctx)
    return HTMLResponse(html, status_code=status)


def _refuse(intake: Intake, why: str, detail: str | None = None) -> HTMLResponse:
    status, headline, text = REFUSALS[why]
    return _page(intake, "refused.html.j2", status, headline=headline, detail=detail or text)


Checked = tuple[Intake, LinkClaims, ObligationRecord]


def _check(intake: Intake, token: str) -> Checked | HTMLResponse:
    """The link's program's intake, claims and obligation, or the page that refuses it."""
    try:
        claims = read_token(token, key=intake.key, now=intake.clock())
    except InvalidLink as exc:
        return _refuse(intake, exc.reason, exc.message[:1].upper() + exc.message[1:] + ".")
    intake = intake.for_obligation(claims.obligation_id)
    if not intake.limiter.allow(claims.nonce):
        return _refuse(intake, "rate")
    try:
        row = answers.linked_obligation(intake.rt, claims)
    except answers.LinkRefused as exc:
        return _refuse(intake, exc.reason)
    return intake, claims, row


def _asks(intake: Intake, row: ObligationRecord, org: str) -> list[Ask]:
    return asks_for(
        intake.program,
        activity=row.activity,
        report_kind=row.report_kind,
        period=row.period,
        org=org,
    )


def _form_page(
    intake: Intake,
    token: str,
    claims: LinkClaims,
    row: ObligationRecord,
    errors: list[str] | None = None,
    raw: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    org = intake.program.orgs.get(claims.org)
    return _page(
        intake,
        "owed.html.j2",
        status,
        o=answers.owed_view(intake.rt, row),
        org_name=org.name if org else claims.org,
        asks=_asks(intake, row, claims.org),
        na_allowed=answers.may_declare_not_applicable(intake.rt, claims.org, row),
        errors=errors or [],
        post_url=f"/i/{token}",
        max_files=intake.max_files,
        max_mb=intake.max_file_bytes // (1024 * 1024),
        form=raw or EMPTY_FORM,
    )


@router.get("/i/{token}", response_class=HTMLResponse)
def show(token: str, request: Request) -> HTMLResponse:
    checked = _check(_intake(request), token)
    if isinstance(checked, HTMLResponse):
        return checked
    intake, claims, row = checked
    return _form_page(intake, token, claims, row)


@router.post("/i/{token}", response_class=HTMLResponse)
async def submit(token: str, request: Request, background: BackgroundTasks) -> HTMLResponse:
    checked = _check(_intake(request), token)
    if isinstance(checked, HTMLResponse):
        return checked
    intake, claims, row = checked
    try:
        form = await read_form(request, max_files=intake.max_files + 1, max_fields=200)
    except TooManyFiles:
        return _refuse(intake, "too_many_files")
    except (MultiPartException, StarletteHTTPException):
        return _refuse(intake, "bad_form")
    parsed = parse_form(form, _asks(intake, row, claims.org), max_files=intake.max_files)
    if parsed.errors:
        return _form_page(intake, token, claims, row, parsed.errors, parsed.raw, 400)
    try:
        # files are inspected in a child process: the page waits in a worker thread, not in
        # the loop that serves everyone else
        recorded = await run_in_threadpool(_write, intake, claims, row, parsed)
    except LinkAlreadyUsed:  # another submission through this link won the race
        return _refuse(intake, "used")
    except UploadRefused as exc:  # nothing kept; counted against the link
        if exc.locked:
            return _refuse(intake, "locked", exc.message)
        return _form_page(intake, token, claims, row, [exc.message], parsed.raw, 400)
    except (RoadmapError, ValueError) as exc:
        message = exc.message if isinstance(exc, RoadmapError) else str(exc)
        return _form_page(intake, token, claims, row, [message], parsed.raw, 400)
    finally:
        await form.close()
    asks = [a for a, _ in parsed.values]
    background.add_task(answers.after_link_answer, intake.rt, obligation_id=row.id, asks=asks)
    o = answers.owed_view(intake.rt, row)
    headline = (
        "Обязательство объявлено неприменимым."
        if parsed.action == "na"
        else "Спасибо! Документы и значения приняты на проверку."
        if parsed.files or parsed.values
        else "Спасибо! Причины и принятые меры получены."
    )
    return _page(
        intake,
        "done.html.j2",
        200,
        o=o,
        headline=headline,
        documents=[answers.received_document(d) for d in recorded.documents],
        values=recorded.values,
    )


def _write(
    intake: Intake, claims: LinkClaims, row: ObligationRecord, parsed: Parsed
) -> answers.Recorded:
    answer = answers.LinkAnswer(
        action="na" if parsed.action == "na" else "submit",
        name=parsed.name,
        files=[answers.Upload(f.filename or "", f.file) for f in parsed.files],
        values=parsed.values,
        comment=parsed.comment,
        explanation=parsed.explanation,
        reason=parsed.reason,
        effective=parsed.effective,
        details=parsed.details,
        causes=parsed.causes,
        measures=parsed.measures,
    )
    return answers.record_link_answer(
        intake.rt, claims=claims, obligation=row, answer=answer, channel=CHANNEL
    )
