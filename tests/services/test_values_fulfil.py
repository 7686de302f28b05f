"""A value recorded through any channel fulfils what it answers at once: the monthly
monitoring's obligation is fulfilled the moment its last part has a value, whether the parts
came through the run's form, the command line's use case or the intake page.

March 2025's monitoring (activity 6.1) is due on the 5th working day of April, Monday
7 April 2025; the parts are given on Tuesday 1 April, when it is «срок скоро».
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from roadmap.obligations.asks import asks_for
from roadmap.program.model import Program
from services import monitoring
from services.answers import LinkAnswer, Who, give_value, record_link_answer
from services.overview import overview_on
from services.runtime import Runtime
from services.status import obligation, status_on
from services.tokens import LinkClaims
from tests.services.test_early_warning import runtime

MONTH = "2025-03"
DAY = dt.date(2025, 4, 1)
VALUES = {"minsoc": 796.0, "minobr": 1260.0, "minzdrav": 155.0}


SHORT = f"6.1:{MONTH}"


def standing(rt: Runtime) -> tuple[str, str, bool]:
    """The obligation's stored state, its status on the day, and whether the overview shows it
    among those falling due."""
    oid = f"{rt.program.id}:{SHORT}"
    [item] = [i for i in status_on(rt, DAY).items if i.facts.id == oid]
    ahead = {r.obligation for r in overview_on(rt, DAY).ahead}
    return obligation(rt, oid).state, item.entry.status, SHORT in ahead


def give_by_form(rt: Runtime, orgs: list[str]) -> None:
    problems = monitoring.record_parts(
        rt, month=MONTH, values={o: VALUES[o] for o in orgs}, given_by="аналитик", explanation=None
    )
    assert problems == []


def give_by_cli(rt: Runtime, orgs: list[str]) -> None:
    # what `roadmap submit indicator --indicator 1.1 --period 2025-03 --org …` records
    for org in orgs:
        give_value(
            rt, indicator="1.1", period=MONTH, value=VALUES[org], who=Who("аналитик", "cli", org)
        )


def give_by_intake(rt: Runtime, orgs: list[str]) -> None:
    oid = f"{rt.program.id}:{SHORT}"
    row = obligation(rt, oid)
    for org in orgs:
        [ask] = asks_for(rt.program, activity="6.1", report_kind=None, period=MONTH, org=org)
        claims = LinkClaims(oid, org, dt.datetime(2025, 5, 1, tzinfo=dt.UTC), f"nonce-{org}")
        answer = LinkAnswer(action="submit", name="Аналитик", values=[(ask, VALUES[org])])
        record_link_answer(rt, claims=claims, obligation=row, answer=answer)


CHANNELS = {"form": give_by_form, "cli": give_by_cli, "intake": give_by_intake}


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_last_part_fulfils_the_months_monitoring_at_once(
    with_contacts: Engine, program: Program, channel: str
) -> None:
    rt = runtime(with_contacts, program, DAY.isoformat())
    give = CHANNELS[channel]
    assert standing(rt) == ("open", "due_soon", True)
    give(rt, ["minsoc", "minobr"])
    assert standing(rt) == ("open", "due_soon", True), "two parts of three fulfil nothing"
    give(rt, ["minzdrav"])
    assert standing(rt) == ("accepted", "done", False)
    [item] = [i for i in status_on(rt, DAY).items if i.facts.id.endswith(SHORT)]
    assert item.facts.fulfilled_on == DAY and item.entry.on_time is True


def test_parts_through_different_channels_count_together(
    with_contacts: Engine, program: Program
) -> None:
    rt = runtime(with_contacts, program, DAY.isoformat())
    give_by_form(rt, ["minsoc"])
    give_by_intake(rt, ["minobr"])
    assert standing(rt) == ("open", "due_soon", True)
    give_by_cli(rt, ["minzdrav"])
    assert standing(rt) == ("accepted", "done", False)


def test_a_value_after_the_due_date_closes_the_month_late(
    with_contacts: Engine, program: Program
) -> None:
    rt = runtime(with_contacts, program, "2025-04-10")
    give_by_cli(rt, list(VALUES))
    state = obligation(rt, f"{program.id}:{SHORT}").state
    assert state == "closed_late"
