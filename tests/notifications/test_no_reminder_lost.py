"""No reminder lost: every obligation gets its 10- and 3-day reminders, or an opening notice
that says how many working days are left; a dated deadline reads as the program wrote it.

Dates checked by hand on the production calendar: 1 July 2025 is a Tuesday, so its 10th
working day before is Tuesday 17 June and its 3rd is Thursday 26 June; 1–8 January 2025 are
days off, so a program starting in January 2025 sends its first notices on 9 January.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from notifications.messages import Addressee, ObligationView, item_context, render_item
from roadmap.dates.workdays import get_calendar
from roadmap.obligations.expansion import Obligation, expand_obligations
from roadmap.obligations.ladder import LadderFacts, days_left_at_opening, next_step_dates
from roadmap.program.loader import load_program
from roadmap.program.model import Program
from roadmap.words.wording import working_days_ru
from services.program_init import init_program
from tests.notifications.test_messages import COORDINATOR, EXECUTOR

D = dt.date.fromisoformat
CAL = get_calendar()
SAMARA_DOC = Path(__file__).resolve().parent.parent / "data" / "samara-roadmap.txt"


def with_terms(program: Program, *terms: str) -> Program:
    """``program`` with its first activities' terms replaced by ``terms``."""
    data = program.model_dump()
    for activity, term in zip(data["activities"], terms, strict=False):
        activity["term"] = term
    return Program.model_validate(data)


def facts(o: Obligation) -> LadderFacts:
    """The ladder of an obligation stored before it opens."""
    return LadderFacts(opens=o.opens, due=o.due, state="open", cycle=0, since=o.opens)


def opening_notice(program: Program, o: Obligation) -> str:
    left = days_left_at_opening(program.ladder, facts(o), CAL)
    view = ObligationView(
        o.id, o.activity, o.kind, o.report_kind, o.period.label, o.due, o.owners, o.evidence
    )
    ctx = item_context(
        program,
        view,
        step="open",
        to=Addressee(EXECUTOR, "executor", True, False, None),
        overdue_days=None,
        coordinator=COORDINATOR,
        days_left=left,
    )
    return render_item(ctx).text


def assert_no_reminder_lost(program: Program) -> int:
    """Every obligation's reminders, or its opening notice's days left; how many said so."""
    said = 0
    for o in expand_obligations(program, CAL):
        steps = {d.step.step: d.date for d in next_step_dates(program.ladder, facts(o), CAL)}
        assert "open" in steps, o.id
        if "remind-10" in steps and "remind-3" in steps:
            assert steps["open"] <= steps["remind-10"] < steps["remind-3"], o.id
            continue
        left = CAL.working_days_between(steps["open"], o.due)
        text = opening_notice(program, o)
        said += 1
        if left:
            assert f"До истечения срока осталось {working_days_ru(left)}." in text, o.id
        else:
            assert "Срок истекает сегодня." in text, o.id
    return said


@pytest.fixture(scope="module")
def samara(tmp_path_factory: pytest.TempPathFactory) -> Program:
    """Samara's program, made by `roadmap init` from its road map."""
    folder = tmp_path_factory.mktemp("programs") / "samara"
    init_program(SAMARA_DOC, folder, region="Самарская область", timezone="Europe/Samara")
    return load_program(folder)


def test_every_krasnoyarsk_obligation_gets_its_reminders() -> None:
    assert assert_no_reminder_lost(load_program()) == 0


def test_every_samara_obligation_gets_its_reminders_or_the_days_left(samara: Program) -> None:
    assert_no_reminder_lost(samara)


def test_a_deadline_on_the_first_of_a_month_opens_on_its_first_reminder() -> None:
    program = with_terms(load_program(), "до 1 июля 2025 г.")
    [o] = [o for o in expand_obligations(program, CAL) if o.activity == "1.1"]
    assert (o.period.label, o.opens, o.due) == ("2025-07", D("2025-06-17"), D("2025-07-01"))
    assert o.rule == 7
    steps = [(d.step.step, d.date) for d in next_step_dates(program.ladder, facts(o), CAL)][:4]
    assert steps == [
        ("open", D("2025-06-17")),
        ("remind-10", D("2025-06-17")),
        ("remind-3", D("2025-06-26")),
        ("due", D("2025-07-01")),
    ]
    assert days_left_at_opening(program.ladder, facts(o), CAL) is None
    assert assert_no_reminder_lost(program) == 0


def test_a_deadline_too_near_the_programs_start_says_the_working_days_left() -> None:
    # 10 January 2025: its reminders fall in December 2024, before the program; it opens on
    # its period's start, 1 January, and its notice goes out on 9 January, the first working day
    program = with_terms(load_program(), "до 10 января 2025 г.")
    [o] = [o for o in expand_obligations(program, CAL) if o.activity == "1.1"]
    assert (o.opens, o.due) == (D("2025-01-01"), D("2025-01-10"))
    assert days_left_at_opening(program.ladder, facts(o), CAL) == 1
    assert "До истечения срока осталось 1 рабочий день." in opening_notice(program, o)
    assert assert_no_reminder_lost(program) == 1


def test_a_dated_deadline_reads_as_the_program_wrote_it() -> None:
    program = with_terms(load_program(), "до 1 июля 2025 г.")
    [o] = [o for o in expand_obligations(program, CAL) if o.activity == "1.1"]
    text = opening_notice(program, o)
    assert "Мероприятие 1.1, до 1 июля 2025\u00a0г." in text
    assert "июль 2025" not in text
