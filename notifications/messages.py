"""Message builders: obligation facts in, subject, plain text, HTML and Telegram text out.

Templates live in ``notifications/templates``: ``*.html.j2`` and ``*.tg.j2`` (Telegram's
HTML mode) are autoescaped, ``*.txt.j2`` are plain text. ``StrictUndefined`` makes a
template that refers to a missing field fail when it is rendered, in the tests, not
silently in a real send.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from roadmap.periods import Period, parse_period
from roadmap.program import Program
from roadmap.terms import parse_term
from roadmap.wording import date_ru, period_ru, plural_ru, working_days_ru

_env = Environment(
    loader=PackageLoader("notifications", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2", "tg.j2"), default=False),
    undefined=StrictUndefined,
    trim_blocks=False,
    keep_trailing_newline=False,
)

STEP_LEVEL = {"escalate-1": 1, "escalate-2": 2, "escalate-3": 3}
DAYS_LEFT = {"remind-10": 10, "remind-3": 3}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    telegram: str


@dataclass(frozen=True)
class ObligationView:
    """An obligation as a message shows it."""

    id: str
    activity: str | None
    kind: str
    report_kind: str | None
    period: str
    due: dt.date
    owners: tuple[str, ...]
    evidence: str


def obligation_context(
    program: Program, o: ObligationView, overdue_days: int | None = None
) -> dict[str, Any]:
    """The fields templates use for an obligation (names, not ids; dates in Russian)."""
    period: Period = parse_period(o.period)
    owners = ", ".join(program.orgs[x].short_name if x in program.orgs else x for x in o.owners)
    if o.activity and o.activity in program.activity_map:
        a = program.activity_map[o.activity]
        short = a.short_name if "«" in a.short_name else f"«{a.short_name}»"
        title, name, result = f"{a.number} {short}", a.name, a.result
        notes = list(parse_term(a.term).notes)
    elif o.report_kind == "consolidated":
        title, name, result, notes = (
            "Сводный отчёт",
            f"Сводный отчёт об исполнении Программы за {period_ru(period)}",
            None,
            [],
        )
    else:
        title = "Отчёт исполнителя"
        name = f"Информация (отчёт) о выполнении ключевых показателей и мероприятий «дорожной карты» за {period_ru(period)}"  # noqa: E501
        result, notes = None, []
    return {
        "id": o.id,
        "title": title,
        "name": name,
        "period": period_ru(period),
        "due": date_ru(o.due),
        "owners": owners,
        "evidence": o.evidence,
        "result": result,
        "notes": notes,
        "overdue": working_days_ru(overdue_days) if overdue_days else None,
    }


def item_context(
    program: Program,
    o: ObligationView,
    *,
    step: str,
    recipient_name: str,
    is_copy: bool,
    overdue_days: int | None,
    link: str | None,
) -> dict[str, Any]:
    return {
        "program": program.title,
        "step": step,
        "level": STEP_LEVEL.get(step),
        "days_left": working_days_ru(DAYS_LEFT[step]) if step in DAYS_LEFT else None,
        "recipient_name": recipient_name,
        "is_copy": is_copy,
        "link": link,
        "o": obligation_context(program, o, overdue_days),
    }


def render_item(m: dict[str, Any]) -> Rendered:
    """One ladder message (``m`` from ``item_context``)."""
    return Rendered(
        subject=_render("subject.txt.j2", m=m).strip(),
        text=_render("item.txt.j2", m=m),
        html=_render("item.html.j2", m=m),
        telegram=_render("item.tg.j2", m=m),
    )


def render_digest(
    items: list[dict[str, Any]], *, recipient_name: str, program: str, day: dt.date
) -> Rendered:
    """One message gathering a recipient's items of a day."""
    n = len(items)
    d = {
        "recipient_name": recipient_name,
        "program": program,
        "date": date_ru(day),
        "count": f"{n} {plural_ru(n, 'обязательство', 'обязательства', 'обязательств')}",
        "entries": items,
    }
    return Rendered(
        subject=_render("digest_subject.txt.j2", d=d).strip(),
        text=_render("digest.txt.j2", d=d),
        html=_render("digest.html.j2", d=d),
        telegram=_render("digest.tg.j2", d=d),
    )


def _render(name: str, **context: Any) -> str:
    return _env.get_template(name).render(**context)


def render_named(name: str, **context: Any) -> str:
    """Render any template of this room by name (alerts use their own)."""
    return _render(name, **context)


def message_id(key: str, program_id: str) -> str:
    """A stable RFC 5322 Message-ID for an outbox key."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:24]}@{program_id}.roadmap>"


def thread_id(obligation_id: str, program_id: str) -> str:
    """The id every message about one obligation refers to, so mail clients thread them."""
    return f"<ob-{hashlib.sha256(obligation_id.encode()).hexdigest()[:24]}@{program_id}.roadmap>"
