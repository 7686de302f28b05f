"""Templates: every obligation and step renders for every part a recipient plays, in words a
person reads (no ids, no codes), values escaped; a missing field fails."""

from __future__ import annotations

import datetime as dt
import re

import jinja2
import pytest

from notifications.messages import (
    Addressee,
    ObligationView,
    item_context,
    render_digest,
    render_item,
)
from roadmap.dates.workdays import get_calendar
from roadmap.obligations.expansion import Obligation, expand_obligations
from roadmap.obligations.recipients import Contact
from roadmap.program.model import Program
from roadmap.words.wording import date_ru

STEPS = [
    "open",
    "remind-10",
    "remind-3",
    "due",
    "overdue",
    "escalate-1",
    "escalate-2",
    "escalate-3",
]
COORDINATOR = Contact(
    3,
    "minsoc",
    "coordinator",
    "Ольга Николаевна Белова",
    email="c@minsoc.example.org",
    position="главный специалист",
    phone="+7 (391) 000-00-02",
)
EXECUTOR = Contact(
    1, "minobr", "executor", "Марина Олеговна Соколова", email="m@minobr.example.org"
)
HEAD = Contact(2, "minobr", "head", "Игорь Павлович Лебедев", email="h@minobr.example.org")
CURATOR = Contact(4, "curator", "curator", "Юлия Александровна Семенова", email="c@gov.example.com")
SECRETARY = Contact(
    5, "kdn", "commission", "Наталья Владимировна Павлова", email="s@kdn.example.org"
)
# who each step reaches, and in which part (role, lead, copy)
PARTS = {
    "open": [(EXECUTOR, "executor", True, False), (EXECUTOR, "executor", False, False)],
    "escalate-1": [
        (HEAD, "head", True, False),
        (HEAD, "head", False, False),
        (COORDINATOR, "coordinator", False, True),
    ],
    "escalate-2": [(CURATOR, "curator", False, False)],
    "escalate-3": [(SECRETARY, "commission", False, False)],
}
RAW_ID = re.compile(r"krasnoyarsk-2025-2026|\d{4}-(Q|H)\d|\d{4}\.\.\d{4}|\d{4}-\d{2}\b")


def view(o: Obligation) -> ObligationView:
    return ObligationView(
        o.id, o.activity, o.kind, o.report_kind, o.period.label, o.due, o.owners, o.evidence
    )


def context(program: Program, o: Obligation, step: str, part: tuple, link: str | None = None):  # type: ignore[no-untyped-def, type-arg]
    contact, role, lead, copy = part
    overdue = {"overdue": 1, "escalate-1": 5, "escalate-2": 10, "escalate-3": 20}.get(step)
    to = Addressee(contact, role, lead, copy, link)
    return item_context(
        program,
        view(o),
        step=step,
        to=to,
        overdue_days=overdue,
        coordinator=COORDINATOR,
        lead_contact=EXECUTOR,
        addressees=[HEAD.name] if copy else (),
    )


def test_every_obligation_renders_for_every_step_and_part_in_plain_words(program: Program) -> None:
    for o in expand_obligations(program):
        for step in STEPS:
            for part in PARTS.get(step, PARTS["open"]):
                r = render_item(context(program, o, step, part))
                every = "\n".join((r.subject, r.text, r.html, r.chat))
                assert "\n" not in r.subject and len(r.subject) <= 120
                assert "None" not in every and not RAW_ID.search(every), (o.id, step)
                assert "«««" not in every and "»»»" not in every and "««" not in every
                assert " вы " not in every and " вам " not in every and " ваш" not in every
                assert date_ru(o.due) in r.text and date_ru(o.due) in r.chat
                assert "г.." not in every


def test_report_obligations_read_as_reports(program: Program) -> None:
    o = next(x for x in expand_obligations(program) if x.report_kind == "consolidated")
    part = (EXECUTOR, "executor", True, False)
    r = render_item(context(program, o, "open", part))
    assert (
        r.subject
        == "Уведомление: до 1 августа 2025\u00a0г. — сводный отчёт за I полугодие 2025 года"
    )
    r = render_item(context(program, o, "escalate-3", (SECRETARY, "commission", False, False)))
    assert r.subject == (
        "В повестку комиссии: о непредставлении сводного отчёта за I полугодие 2025 года"
        " (срок — 1 августа 2025\u00a0г.)"
    )


def test_a_co_executor_is_asked_for_its_part_not_for_the_lead_executors_document(
    program: Program,
) -> None:
    # 1.9: the commission leads and adopts a resolution; an NGO is one of the co-executors
    o = next(x for x in expand_obligations(program) if x.activity == "1.9")
    ngo = Contact(9, "roo-fevronia", "executor", "Мария Петровна Егорова", email="m@f.example.org")
    lead = render_item(context(program, o, "remind-10", (EXECUTOR, "executor", True, False)))
    co = render_item(context(program, o, "remind-10", (ngo, "executor", False, False)))
    assert (
        "Просим не позднее 30 мая 2025\u00a0г. представить подтверждающий документ: постановление"
        in lead.text
    )
    assert "представить подтверждающий документ" not in co.text
    assert "направить ответственному исполнителю информацию о Вашем участии" in co.text
    assert "Ответственный исполнитель: комиссия по делам несовершеннолетних" in co.text


def test_salutation_comes_from_the_patronymic_or_the_contacts_file(program: Program) -> None:
    o = expand_obligations(program)[0]

    def greeting(contact: Contact) -> str:
        r = render_item(context(program, o, "open", (contact, "executor", True, False)))
        return r.text.splitlines()[0]

    assert (
        greeting(Contact(1, "x", "executor", "Вера Михайловна Кузнецова"))
        == "Уважаемая Вера Михайловна!"
    )
    assert (
        greeting(Contact(1, "x", "executor", "Морозов Андрей Ильич")) == "Уважаемый Андрей Ильич!"
    )
    assert (
        greeting(Contact(1, "x", "executor", "Эльмира Рашид кызы Алиева"))
        == "Уважаемая Эльмира Рашид кызы!"
    )
    assert greeting(Contact(1, "x", "executor", "Приёмная министра")) == "Здравствуйте!"
    own = Contact(1, "x", "head", "Иванов И. И.", salutation="Уважаемый Иван Иванович!")
    assert greeting(own) == "Уважаемый Иван Иванович!"


def test_html_and_messenger_markup_in_values_is_escaped(program: Program) -> None:
    o = expand_obligations(program)[0]
    evil = Contact(
        1, "minobr", "executor", '<script>alert(1)</script> & "Ко"', email="x@example.org"
    )
    r = render_item(
        context(
            program,
            o,
            "overdue",
            (evil, "executor", True, False),
            link='https://x.example.org/i/a"><b>x</b>',
        )
    )
    assert "<script>" not in r.html and "&lt;script&gt;" not in r.html  # no patronymic: no name
    assert "a&#34;&gt;&lt;b&gt;x" in r.html and "a&#34;&gt;&lt;b&gt;x" in r.chat
    evil2 = Contact(
        1, "minobr", "executor", "x", email="x@example.org", salutation="<i>Привет</i> & Ко"
    )
    r = render_item(context(program, o, "overdue", (evil2, "executor", True, False)))
    assert "&lt;i&gt;Привет&lt;/i&gt; &amp; Ко" in r.html and "&lt;i&gt;" in r.chat
    assert "<i>Привет</i> & Ко" in r.text  # plain text is not HTML: kept as written


def test_values_inside_the_shared_wording_are_escaped_too(program: Program) -> None:
    o = expand_obligations(program)[0]
    evil = ObligationView(
        o.id,
        o.activity,
        o.kind,
        o.report_kind,
        o.period.label,
        o.due,
        o.owners,
        evidence="<ev> & co",
    )
    coordinator = Contact(
        3,
        "minsoc",
        "coordinator",
        "Ольга Николаевна Белова",
        email="c@minsoc.example.org",
        position="<pos>",
        phone="<tel>",
    )
    for step in STEPS:
        to = Addressee(EXECUTOR, "executor", True, False, None)
        r = render_item(
            item_context(program, evil, step=step, to=to, overdue_days=3, coordinator=coordinator)
        )
        for markup in (r.html, r.chat):
            assert "<ev>" not in markup and "<pos>" not in markup and "<tel>" not in markup
        assert "&lt;ev&gt; &amp; co" in r.html and "&lt;tel&gt;" in r.chat
        assert "<ev> & co" in r.text


def test_template_referring_to_a_missing_field_fails() -> None:
    with pytest.raises(jinja2.UndefinedError):
        render_item({"step": "open", "recipient": {}})
    with pytest.raises(jinja2.UndefinedError):
        render_digest(
            [
                {
                    "step": "open",
                    "o": {"due_on": "2025-01-20", "id": "x", "overdue": None},
                    "link": None,
                    "lead": True,
                    "role": "executor",
                }
            ],
            first={"program": "p", "recipient": {}, "coordinator": None, "is_coordinator": False},
            day=dt.date(2025, 1, 9),
            horizon=dt.date(2025, 1, 23),
            calendar=get_calendar(),
        )


def test_a_digest_lists_activities_in_the_road_maps_order_with_their_names(
    program: Program,
) -> None:
    """1.7 before 1.11 on the same day (not as text sorts them); the chat names each activity;
    the subject is worded as a ministry's letter, without a count of «обязательств»."""
    obligations = expand_obligations(program)
    picked = [next(o for o in obligations if o.activity == number) for number in ("1.11", "1.7")]
    entries = []
    for o in picked:
        m = context(program, o, "overdue", PARTS["open"][0])
        entries.append({**m, "o": {**m["o"], "due_on": "2025-06-02"}})
    r = render_digest(
        entries,
        first=entries[0],
        day=dt.date(2025, 6, 16),
        horizon=dt.date(2025, 6, 30),
        calendar=get_calendar(),
    )
    for text in (r.text, r.chat, r.html):
        assert text.index("Мероприятие 1.7") < text.index("Мероприятие 1.11")
    assert "«Сокращение мест в отделениях соцобслуживания»" in r.chat
    assert "Реализация спецпроекта «Вызов»" in r.chat
    assert r.subject == (
        "О нарушении сроков исполнения мероприятий Программы (на 16 июня 2025\u00a0г.)"
    )
