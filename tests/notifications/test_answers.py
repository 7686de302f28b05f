"""Every letter to an executor or a head says how to answer: the signed intake link, or, where
links are off, the coordinator's e-mail and phone."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from notifications.planning import plan_ladder
from roadmap.dates.workdays import get_calendar
from roadmap.obligations.expansion import expand_obligations
from roadmap.program.model import Program
from services.tokens import link_maker, read_token
from storage.db import session_scope
from storage.outbox import outbox_items
from storage.tables import OutboxRecord
from tests.db import at

KEY = b"test-key"
BASE = "https://roadmap.example.org"
NOW = at("2025-09-30", 10)


def planned(engine: Engine, program: Program, links: bool) -> list[OutboxRecord]:
    """Every step up to 30 September 2025 of what falls due by 1 August (reports included)."""
    ids = [o.id for o in expand_obligations(program) if o.due <= dt.date(2025, 8, 1)]
    link_for = link_maker(base_url=BASE, key=KEY, now=NOW, ttl=dt.timedelta(days=30))
    with session_scope(engine) as s:
        plan_ladder(
            session=s,
            program=program,
            as_of=dt.date(2025, 9, 30),
            now=NOW,
            calendar=get_calendar(),
            link_for=link_for if links else None,
            obligation_ids=ids,
        )
    with session_scope(engine) as s:
        return outbox_items(session=s)


def answering(items: list[OutboxRecord]) -> list[OutboxRecord]:
    return [i for i in items if i.recipient_role in ("executor", "head") and not i.is_copy]


@pytest.mark.parametrize("links", [True, False], ids=["links", "no-links"])
def test_every_letter_to_an_executor_or_head_says_how_to_answer(
    with_contacts: Engine, program: Program, links: bool
) -> None:
    items = planned(with_contacts, program, links)
    owners = answering(items)
    assert len(owners) > 300 and {i.step for i in owners} >= {"open", "overdue", "escalate-1"}
    for i in owners:
        if links:
            link = i.context["link"]
            assert link.startswith(f"{BASE}/i/") and link in i.body_text and link in i.body_html
            claims = read_token(link.rsplit("/", 1)[1], key=KEY, now=NOW)
            assert (claims.obligation_id, claims.org) == (i.obligation_id, i.recipient_org)
        else:
            assert i.context["link"] is None and "/i/" not in i.body_text
            for body in (i.body_text, i.body_html):
                assert (
                    "направляется координатору Программы по электронной почте "
                    "coordinator@minsoc.example.org"
                    in body
                    or (
                        "Информация направляется ответственному исполнителю" in body
                        and "у координатора Программы по телефону +7 (391) 000-00-02" in body
                    )
                ), (i.obligation_id, i.step, i.recipient_name)
    # curator, secretary and copies act on the letter, they do not hand anything in
    others = [i for i in items if i not in owners]
    assert others and all(i.context["link"] is None for i in others)
