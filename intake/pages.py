"""The two routes: show what a link's obligation owes, and take the answer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from intake.app import Intake
from intake.submission import Parsed, parse_form
from notifications.alerts import record_alert
from notifications.messages import ObligationView, obligation_context
from notifications.sending import deliver
from notifications.wakeups import wake_waiting
from roadmap.asks import Ask, asks_for
from roadmap.errors import RoadmapError
from roadmap.links import InvalidLink, LinkClaims, read_token
from roadmap.states import OWED, State
from storage.actuals import record_indicator_value, record_target_value
from storage.db import session_scope
from storage.errors import NotFound
from storage.evidence import record_evidence
from storage.obligations import declare_not_applicable, resolve_obligation
from storage.tables import ObligationRecord
from storage.waits import evidence_key, indicator_key, link_used, mark_link_used

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
    "closed": (
        410,
        "Обязательство закрыто",
        "Документы по этому обязательству уже приняты, или оно отменено, или объявлено неприменимым.",  # noqa: E501
    ),
    "mismatch": (403, "Ссылка недействительна", "Ссылка не относится к этому обязательству."),
    "rate": (429, "Слишком много запросов", "Попробуйте через несколько минут."),
    "too_many_files": (413, "Слишком много файлов", "Уменьшите число файлов в одной отправке."),
}


def _intake(request: Request) -> Intake:
    return request.app.state.intake  # type: ignore[no-any-return]


def _page(intake: Intake, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    html = intake.templates.get_template(name).render(program_title=intake.program.title, **ctx)
    return HTMLResponse(html, status_code=status)


def _refuse(intake: Intake, why: str, detail: str | None = None) -> HTMLResponse:
    status, headline, text = REFUSALS[why]
    return _page(intake, "refused.html.j2", status, headline=headline, detail=detail or text)


def _check(intake: Intake, token: str) -> tuple[LinkClaims, ObligationRecord] | HTMLResponse:
    """The link's claims and obligation, or the page that refuses it."""
    try:
        claims = read_token(token, key=intake.key, now=intake.clock())
    except InvalidLink as exc:
        return _refuse(intake, exc.reason, exc.message[:1].upper() + exc.message[1:] + ".")
    if not intake.limiter.allow(claims.nonce):
        return _refuse(intake, "rate")
    with session_scope(intake.engine) as s:
        if link_used(session=s, nonce=claims.nonce):
            return _refuse(intake, "used")
        try:
            row = resolve_obligation(session=s, obligation_id=claims.obligation_id)
        except NotFound:
            return _refuse(intake, "mismatch")
    program = intake.program
    bodies = {program.reporting_body(o) if o in program.orgs else o for o in row.owners}
    if claims.org not in set(row.owners) | bodies:
        return _refuse(intake, "mismatch")
    if row.cancelled_in_version is not None or row.state not in OWED | {State.SUBMITTED}:
        return _refuse(intake, "closed")
    return claims, row


def _asks(intake: Intake, row: ObligationRecord, org: str) -> list[Ask]:
    return asks_for(intake.program, activity=row.activity, report_kind=row.report_kind,
                    period=row.period, org=org)  # fmt: skip


def _owed(intake: Intake, row: ObligationRecord) -> dict[str, Any]:
    view = ObligationView(id=row.id, activity=row.activity, kind=row.kind, report_kind=row.report_kind,  # noqa: E501
                          period=row.period, due=row.due, owners=tuple(row.owners), evidence=row.evidence_kind)  # noqa: E501  # fmt: skip
    ctx = obligation_context(intake.program, view)
    ctx["overdue"] = row.due < intake.clock().astimezone(_zone(intake)).date()
    return ctx


def _zone(intake: Intake) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(intake.program.timezone)


def _form_page(intake: Intake, token: str, claims: LinkClaims, row: ObligationRecord,
               errors: list[str] | None = None, raw: dict[str, Any] | None = None, status: int = 200) -> HTMLResponse:  # noqa: E501  # fmt: skip
    org = intake.program.orgs.get(claims.org)
    return _page(intake, "owed.html.j2", status, o=_owed(intake, row),
                 org_name=org.name if org else claims.org, asks=_asks(intake, row, claims.org),
                 errors=errors or [], post_url=f"/i/{token}", max_files=intake.max_files,
                 max_mb=intake.max_file_bytes // (1024 * 1024),
                 form=raw or {"name": "", "comment": "", "explanation": "", "effective": "", "given": {}})  # noqa: E501  # fmt: skip


@router.get("/i/{token}", response_class=HTMLResponse)
def show(token: str, request: Request) -> HTMLResponse:
    intake = _intake(request)
    checked = _check(intake, token)
    if isinstance(checked, HTMLResponse):
        return checked
    return _form_page(intake, token, *checked)


@router.post("/i/{token}", response_class=HTMLResponse)
async def submit(token: str, request: Request, background: BackgroundTasks) -> HTMLResponse:
    intake = _intake(request)
    checked = _check(intake, token)
    if isinstance(checked, HTMLResponse):
        return checked
    claims, row = checked
    try:
        form = await request.form(max_files=intake.max_files + 1, max_fields=200)
    except (MultiPartException, StarletteHTTPException):  # too many files or fields
        return _refuse(intake, "too_many_files")
    parsed = parse_form(form, _asks(intake, row, claims.org), max_files=intake.max_files)
    if parsed.errors:
        return _form_page(intake, token, claims, row, parsed.errors, parsed.raw, 400)
    try:
        stored, values = _write(intake, claims, row, parsed)
    except (RoadmapError, ValueError) as exc:
        message = exc.message if isinstance(exc, RoadmapError) else str(exc)
        return _form_page(intake, token, claims, row, [message], parsed.raw, 400)
    finally:
        await form.close()
    background.add_task(_after, intake, row.id, [a for a, _ in parsed.values])
    o = _owed(intake, row)
    headline = ("Обязательство объявлено неприменимым." if parsed.action == "na"
                else "Спасибо! Документы и значения приняты на проверку.")  # fmt: skip
    return _page(
        intake, "done.html.j2", 200, o=o, headline=headline, documents=stored, values=values
    )


def _write(
    intake: Intake, claims: LinkClaims, row: ObligationRecord, parsed: Parsed
) -> tuple[list[Any], list[str]]:
    program = intake.program
    now = intake.clock()
    by = f"{parsed.name} ({claims.org})"
    stored: list[Any] = []
    values: list[str] = []
    with session_scope(intake.engine) as s:
        if parsed.action == "na":
            declare_not_applicable(session=s, obligation_id=row.id, reason=parsed.reason or "",
                                   by=by, channel=CHANNEL, at=now)  # fmt: skip
        else:
            for f in parsed.files:
                ev = record_evidence(
                    session=s, store=intake.store, obligation_id=row.id, stream=f.file,
                    original_name=f.filename or "", submitted_by=by, submitted_org=claims.org,
                    channel=CHANNEL, at=now, max_bytes=intake.max_file_bytes,
                    effective_date=parsed.effective, comment=parsed.comment,
                )  # fmt: skip
                stored.append(ev)
            for ask, value in parsed.values:
                if ask.kind == "target":
                    number, index = ask.code.split("#")
                    record_target_value(session=s, program=program, activity=number, target=int(index),  # noqa: E501
                                        period=ask.period, org=claims.org, value=value, given_by=by,
                                        channel=CHANNEL, at=now, comment=parsed.comment)  # fmt: skip  # noqa: E501
                else:
                    record_indicator_value(session=s, program=program, indicator=ask.code,
                                           period=ask.period, org=claims.org, value=value,
                                           given_by=by, channel=CHANNEL, at=now, margin=intake.margin,  # noqa: E501
                                           explanation=parsed.explanation, obligation_id=row.id)  # fmt: skip  # noqa: E501
                values.append(f"{ask.label}: {value:g}")
        mark_link_used(session=s, nonce=claims.nonce, obligation_id=row.id, org=claims.org, at=now)
        what = ("объявлено неприменимым: " + (parsed.reason or "")) if parsed.action == "na" else (
            f"документов: {len(stored)}, значений: {len(values)}")  # fmt: skip
        record_alert(
            session=s, program=program, key=f"intake:{claims.nonce}", roles=("executor", "coordinator"),  # noqa: E501
            orgs=[claims.org], now=now, calendar=intake.calendar,
            title=f"Получено по обязательству {row.id.split(':', 1)[1]}",
            lines=[f"Через страницу приёма документов: {what}.", f"Представил(а): {parsed.name}.",
                   *[f"{d.original_name} (версия {d.version}, sha256 {d.sha256[:12]}…)" for d in stored]],  # noqa: E501
        )  # fmt: skip
    return stored, values


def _after(intake: Intake, obligation_id: str, asks: list[Ask]) -> None:
    """After the answer is stored: wake waiting flows, send the confirmations."""
    now = intake.clock()
    keys = [
        evidence_key(obligation_id),
        *(indicator_key(a.code, a.period) for a in asks if a.kind == "indicator"),
    ]
    wake_waiting(engine=intake.engine, keys=keys, api_url=intake.prefect_api_url, at=now)
    if intake.transports is not None:
        deliver(engine=intake.engine, now=now, transports=intake.transports, zone=_zone(intake),
                calendar=intake.calendar, program_title=intake.program.title,
                quiet_hours=intake.quiet_hours)  # fmt: skip
