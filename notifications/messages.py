"""Message builders: obligation facts in, subject, plain text, HTML and messenger text out.

Templates live in ``notifications/templates``: ``*.html.j2`` and ``*.chat.j2`` (the HTML
subset Telegram and MAX both read) are autoescaped, ``*.txt.j2`` are plain text. Every
word a recipient reads is in a template; this module only gathers the facts (names,
dates written out, who leads) into the context. ``StrictUndefined`` makes a template that
refers to a missing field fail when it is rendered, in the tests, not silently in a send.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from roadmap.dates.periods import Period, parse_period
from roadmap.dates.workdays import WorkCalendar
from roadmap.obligations.recipients import Contact
from roadmap.program.dating import period_words_of
from roadmap.program.model import Program, activity_key
from roadmap.terms.reading import parse_term
from roadmap.words.wording import (
    address_ru,
    date_ru,
    period_ru,
    plural_ru,
    working_days_ru,
)

_env = Environment(
    loader=PackageLoader("notifications", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2", "chat.j2"), default=False),
    undefined=StrictUndefined,
    trim_blocks=False,
    keep_trailing_newline=False,
    auto_reload=False,  # the templates ship with the code: no file check at every render
)
_env.filters["plural"] = lambda n, one, few, many: f"{n} {plural_ru(n, one, few, many)}"
_env.filters["capfirst"] = lambda s: s[:1].upper() + s[1:]
# a sentence ending in «г.» takes no second full stop
_env.filters["dot"] = lambda s: s if s.endswith(".") else f"{s}."

DAYS_LEFT = {"remind-10": 10, "remind-3": 3}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    chat: str  # Telegram's and MAX's HTML


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
    """The fields the intake page shows for an obligation (names, not ids)."""
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
        name = (
            "Информация (отчёт) о выполнении ключевых показателей и мероприятий "
            f"«дорожной карты» за {period_ru(period)}"
        )
        result, notes = None, []
    return {
        "id": o.id,
        "title": title,
        "name": name,
        "period": period_words_of(program, o.activity, period),
        "due": date_ru(o.due),
        "owners": owners,
        "evidence": o.evidence,
        "result": result,
        "notes": notes,
        "overdue": working_days_ru(overdue_days) if overdue_days else None,
    }


def _org_name(program: Program, org: str) -> str:
    return program.orgs[org].name if org in program.orgs else org


def letter_obligation(
    program: Program, o: ObligationView, overdue_days: int | None = None
) -> dict[str, Any]:
    """The facts a letter states about an obligation: numbers, full names, dates written out.

    ``lead`` is the first owner (the lead executor), ``co_executors`` the others;
    ``report_to`` is where a report goes (the coordinating ministry, or for the
    consolidated report the body that receives it).
    """
    period = parse_period(o.period)
    activity = program.activity_map.get(o.activity or "")
    rules = program.reporting
    report_to = None
    if o.kind == "report":
        to = rules.consolidated_recipient if o.report_kind == "consolidated" else None
        report_to = _org_name(program, to or rules.consolidated_owner)
    return {
        "id": o.id,
        "kind": "activity" if activity else "report",
        "report_kind": o.report_kind,
        "number": activity.number if activity else None,
        "name": activity.name if activity else None,
        "short_name": activity.short_name if activity else None,
        "result": activity.result if activity else None,
        "notes": list(parse_term(activity.term).notes) if activity else [],
        "period": period_words_of(program, o.activity, period),
        "due": date_ru(o.due),
        "due_on": o.due.isoformat(),
        "evidence": o.evidence,
        "lead": _org_name(program, o.owners[0]),
        "co_executors": [_org_name(program, x) for x in o.owners[1:]],
        "report_to": report_to,
        "overdue": working_days_ru(overdue_days) if overdue_days else None,
    }


def person_context(contact: Contact) -> dict[str, Any]:
    """How a letter addresses ``contact``: the contacts file's salutation, or the name and
    patronymic with the gender the patronymic shows (the template words the greeting)."""
    found = address_ru(contact.name)
    return {
        "name": contact.name,
        "salutation": contact.salutation,
        "address_name": found[0] if found else None,
        "gender": found[1] if found else None,
    }


def coordinator_of(contacts: Sequence[Contact]) -> Contact | None:
    """The program's coordinator, whom every letter names as the person to contact."""
    return next((c for c in contacts if c.role == "coordinator"), None)


def contact_block(program: Program, contact: Contact | None) -> dict[str, Any] | None:
    """The closing block's facts: position, name, organization, phone, e-mail."""
    if contact is None:
        return None
    return {
        "name": contact.name,
        "position": contact.position,
        "org": _org_name(program, contact.org),
        "phone": contact.phone,
        "email": contact.email,
    }


@dataclass(frozen=True)
class Addressee:
    """One recipient of a ladder step, as the letter needs them."""

    contact: Contact
    role: str
    lead: bool
    is_copy: bool
    link: str | None


def item_context(
    program: Program,
    o: ObligationView,
    *,
    step: str,
    to: Addressee,
    overdue_days: int | None,
    coordinator: Contact | None,
    lead_contact: Contact | None = None,
    addressees: Sequence[str] = (),
    days_left: int | None = None,
) -> dict[str, Any]:
    """Everything one ladder message says (JSON-ready: it is kept with the outbox row).

    Args:
        to: the recipient, in the role the step reached them in.
        coordinator: named in the closing block and in how to answer (None: not known).
        lead_contact: the lead executor's contact person, for co-executors' letters.
        addressees: the names a copy's addressees (what a copy says it is a copy of).
        days_left: working days left to the due date, said by an opening notice whose
            reminders fell before it (None: the notice says none).
    """
    left = DAYS_LEFT.get(step, days_left)
    return {
        "program": program.title,
        "basis": program.approval.citation(program.title) if program.approval else None,
        "step": step,
        "days_left": working_days_ru(left) if left else None,
        "left_today": step == "open" and days_left == 0,
        "recipient": person_context(to.contact),
        "role": to.role,
        "lead": to.lead,
        "is_copy": to.is_copy,
        "addressees": list(addressees),
        "link": to.link,
        "coordinator": contact_block(program, coordinator),
        "is_coordinator": coordinator is not None and coordinator.id == to.contact.id,
        "lead_contact": contact_block(program, lead_contact) if not to.lead else None,
        "o": letter_obligation(program, o, overdue_days),
    }


def render_item(m: dict[str, Any], channel: str | None = None) -> Rendered:
    """One ladder message (``m`` from ``item_context``); for a ``channel``, only the body it
    sends (HTML for e-mail, the messenger's text otherwise), the other one left empty."""
    return Rendered(
        subject=_render("subject.txt.j2", m=m).strip(),
        text=_render("item.txt.j2", m=m),
        html=_render("item.html.j2", m=m) if channel in (None, "email") else "",
        chat=_render("item.chat.j2", m=m) if channel != "email" else "",
    )


# Steps before the due date; in a digest sent on or after it they read as the day's state.
_BEFORE_DUE = ("open", "remind-10", "remind-3")


def _as_of(m: dict[str, Any], day: dt.date, cal: WorkCalendar) -> dict[str, Any]:
    """An item context restated for ``day``: days left or overdue counted to that day, and a
    step before the due date read as «due» or «overdue» once that day has come."""
    due = dt.date.fromisoformat(m["o"]["due_on"])
    step, left, late = m["step"], None, m["o"]["overdue"]
    if due > day:
        left = working_days_ru(cal.working_days_between(day, due))
    elif due == day:
        step = "due" if step in _BEFORE_DUE else step
    else:
        step = "overdue" if step in (*_BEFORE_DUE, "due") else step
        late = working_days_ru(cal.working_days_between(due, day))
    return {**m, "step": step, "days_left": left, "o": {**m["o"], "overdue": late}}


def render_digest(
    entries: Sequence[dict[str, Any]],
    *,
    first: dict[str, Any],
    day: dt.date,
    horizon: dt.date,
    calendar: WorkCalendar,
    later: int = 0,
) -> Rendered:
    """One message gathering a recipient's items of a day, grouped by due date.

    Args:
        entries: item contexts to list, one per obligation, each overdue or due by
            ``horizon``; what they say is restated as of ``day``.
        first: an item context of the day (who the recipient is, whom to contact).
        day: the day of the digest.
        horizon: the last day of the window the digest lists.
        calendar: counts the working days left or overdue.
        later: how many further items of the day fall due after ``horizon`` (counted, not
            listed).
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    order = sorted(
        entries,
        key=lambda m: (m["o"]["due_on"], activity_key(m["o"].get("number")), m["o"]["id"]),
    )
    for m in order:
        groups.setdefault(m["o"]["due_on"], []).append(_as_of(m, day, calendar))
    today = day.isoformat()
    d = {
        "program": first["program"],
        "recipient": first["recipient"],
        "coordinator": first["coordinator"],
        "is_coordinator": first["is_coordinator"],
        "date": date_ru(day),
        "horizon": date_ru(horizon),
        "count": len(entries),
        "overdue": sum(1 for m in entries if m["o"]["due_on"] < today),
        "later": later,
        "links": all(m["link"] for m in entries),
        "co": any(not m["lead"] and m["role"] in ("executor", "head") for m in entries),
        "groups": [
            {
                "due": date_ru(dt.date.fromisoformat(due)),
                "passed": due < today,
                "today": due == today,
                "entries": items,
            }
            for due, items in groups.items()
        ],
    }
    return Rendered(
        subject=_render("digest_subject.txt.j2", d=d).strip(),
        text=_render("digest.txt.j2", d=d),
        html=_render("digest.html.j2", d=d),
        chat=_render("digest.chat.j2", d=d),
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
