"""Every term of the seed against its expected expansion, and the reporting rules (rule 5).

Dates are written out: they were checked by hand against the production calendar
(31 December 2025 and 2026 are days off, so year ends fall on the 30th; the May and
New Year holidays push the 5th working day of the next month).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.dates.workdays import get_calendar
from roadmap.errors import InvalidTerm
from roadmap.obligations.expansion import (
    Obligation,
    PendingObligation,
    expand_activity,
    expand_obligations,
    expand_pending,
)
from roadmap.program.loader import load_program
from roadmap.program.model import Activity, Program

GOLDEN = Path(__file__).parent / "golden" / "krasnoyarsk-obligations.json"

QUARTERLY = [
    ("2025-Q1", "2025-01-01", "2025-03-31"),
    ("2025-Q2", "2025-04-01", "2025-06-30"),
    ("2025-Q3", "2025-07-01", "2025-09-30"),
    ("2025-Q4", "2025-10-01", "2025-12-30"),
    ("2026-Q1", "2026-01-01", "2026-03-31"),
    ("2026-Q2", "2026-04-01", "2026-06-30"),
    ("2026-Q3", "2026-07-01", "2026-09-30"),
    ("2026-Q4", "2026-10-01", "2026-12-30"),
]
MONTHLY_DUE = [
    "2025-02-07", "2025-03-07", "2025-04-07", "2025-05-13", "2025-06-06", "2025-07-07",
    "2025-08-07", "2025-09-05", "2025-10-07", "2025-11-10", "2025-12-05", "2026-01-16",
    "2026-02-06", "2026-03-06", "2026-04-07", "2026-05-08", "2026-06-05", "2026-07-07",
    "2026-08-07", "2026-09-07", "2026-10-07", "2026-11-09", "2026-12-07", "2027-01-15",
]  # fmt: skip
MONTHLY = [
    (f"{2025 + i // 12}-{i % 12 + 1:02d}", f"{2025 + i // 12}-{i % 12 + 1:02d}-01", due)
    for i, due in enumerate(MONTHLY_DUE)
]

SEED_TERMS = [
    # 1.1
    ("январь - март 2025", [("2025-Q1", "2025-01-01", "2025-03-31")]),
    # 1.2
    ("апрель – декабрь 2025", [("2025-04..2025-12", "2025-04-01", "2025-12-30")]),
    # 1.3
    ("июль 2025", [("2025-07", "2025-07-01", "2025-07-31")]),
    # 1.4
    ("март – апрель 2025", [("2025-03..2025-04", "2025-03-01", "2025-04-30")]),
    # 1.5
    ("январь - июнь 2025", [("2025-H1", "2025-01-01", "2025-06-30")]),
    # 1.7
    ("2024 - 2026", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 1.8
    ("июнь 2026", [("2026-06", "2026-06-01", "2026-06-30")]),
    # 1.9
    ("май 2025", [("2025-05", "2025-05-01", "2025-05-30")]),
    # 1.10
    ("апрель 2025", [("2025-04", "2025-04-01", "2025-04-30")]),
    # 1.11
    ("2025-2026 (по отдельному плану)", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 1.12
    ("февраль 2025", [("2025-02", "2025-02-01", "2025-02-28")]),
    # 1.13
    ("апрель 2025 – декабрь 2026", [("2025-04..2026-12", "2025-04-01", "2026-12-30")]),
    # 1.14
    ("январь 2025", [("2025-01", "2025-01-01", "2025-01-31")]),
    # 1.15
    ("январь 2025 - декабрь 2026", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 2.1
    ("не реже 1 раза в квартал", QUARTERLY),
    # 2.2
    (
        "2 раза в год (по отдельному плану)",
        [
            ("2025-H1", "2025-01-01", "2025-06-30"),
            ("2025-H2", "2025-07-01", "2025-12-30"),
            ("2026-H1", "2026-01-01", "2026-06-30"),
            ("2026-H2", "2026-07-01", "2026-12-30"),
        ],
    ),
    # 2.3
    ("январь 2025 -декабрь 2026", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 2.4
    ("январь-июнь 2025", [("2025-H1", "2025-01-01", "2025-06-30")]),
    # 2.5
    ("декабрь 2025", [("2025-12", "2025-12-01", "2025-12-30")]),
    # 3.1
    ("январь 2025– декабрь 2026", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 3.2
    (
        "январь 2025- март 2026 (по отдельному плану)",
        [("2025-01..2026-03", "2025-01-01", "2026-03-31")],
    ),
    # 3.3
    ("2025-2026, (не реже 1 раз в квартал)", QUARTERLY),
    # 3.6
    ("октябрь-декабрь 2025", [("2025-Q4", "2025-10-01", "2025-12-30")]),
    # 3.7
    ("июль 2025 – декабрь 2026", [("2025-07..2026-12", "2025-07-01", "2026-12-30")]),
    # 4.1
    ("июль 2025 -декабрь 2026", [("2025-07..2026-12", "2025-07-01", "2026-12-30")]),
    # 4.2
    ("II квартал 2025", [("2025-Q2", "2025-04-01", "2025-06-30")]),
    # 5.1
    (
        "апрель-июнь 2025; октябрь-декабрь 2025 (по отдельному плану)",
        [("2025-Q2", "2025-04-01", "2025-06-30"), ("2025-Q4", "2025-10-01", "2025-12-30")],
    ),
    # 5.2
    ("III квартал 2025", [("2025-Q3", "2025-07-01", "2025-09-30")]),
    # 5.3
    (
        "апрель 2025-декабрь 2026 (по отдельному плану)",
        [("2025-04..2026-12", "2025-04-01", "2026-12-30")],
    ),
    # 5.4
    (
        "апрель-декабрь 2025 (по отдельному плану)",
        [("2025-04..2025-12", "2025-04-01", "2025-12-30")],
    ),
    # 5.6
    (
        "ежегодно по отдельному плану",
        [("2025", "2025-01-01", "2025-12-30"), ("2026", "2026-01-01", "2026-12-30")],
    ),
    # 5.8
    (
        "1 раз в полугодие (по отдельному плану)",
        [
            ("2025-H1", "2025-01-01", "2025-06-30"),
            ("2025-H2", "2025-07-01", "2025-12-30"),
            ("2026-H1", "2026-01-01", "2026-06-30"),
            ("2026-H2", "2026-07-01", "2026-12-30"),
        ],
    ),
    # 5.9
    ("сентябрь 2025", [("2025-09", "2025-09-01", "2025-09-30")]),
    # 5.10
    ("ежегодно", [("2025", "2025-01-01", "2025-12-30"), ("2026", "2026-01-01", "2026-12-30")]),
    # 5.11
    (
        "в течение всего срока реализации Проекта (по отдельному плану)",
        [("2025..2026", "2025-01-01", "2026-12-30")],
    ),
    # 5.13
    ("январь-март 2025", [("2025-Q1", "2025-01-01", "2025-03-31")]),
    # 5.14
    ("май 2025 – декабрь 2026", [("2025-05..2026-12", "2025-05-01", "2026-12-30")]),
    # 5.16
    ("ежеквартально (по отдельному плану)", QUARTERLY),
    # 5.17
    ("постоянно", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 5.18
    ("постоянно (по отдельному плану)", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 5.21
    (
        "декабрь 2025; декабрь 2026",
        [("2025-12", "2025-12-01", "2025-12-30"), ("2026-12", "2026-12-01", "2026-12-30")],
    ),
    # 5.22
    (
        "ноябрь 2025; ноябрь 2026",
        [("2025-11", "2025-11-01", "2025-11-28"), ("2026-11", "2026-11-01", "2026-11-30")],
    ),
    # 5.23
    ("в течение 2025 года (по отдельному графику)", [("2025", "2025-01-01", "2025-12-30")]),
    # 6.1: rule 4, monthly, due the 5th working day of the next month
    ("ежемесячно", MONTHLY),
    # 6.2
    (
        "июнь 2025 июнь 2026",
        [("2025-06", "2025-06-01", "2025-06-30"), ("2026-06", "2026-06-01", "2026-06-30")],
    ),
    # 6.3
    (
        "Ежегодно (II квартал)",
        [("2025-Q2", "2025-04-01", "2025-06-30"), ("2026-Q2", "2026-04-01", "2026-06-30")],
    ),
    # 6.4
    (
        "Ежегодно (в соответствии с медиапланом)",
        [("2025", "2025-01-01", "2025-12-30"), ("2026", "2026-01-01", "2026-12-30")],
    ),
    # 6.7
    (
        "IV квартал ежегодно",
        [("2025-Q4", "2025-10-01", "2025-12-30"), ("2026-Q4", "2026-10-01", "2026-12-30")],
    ),
    # 6.9
    ("Постоянно (в соответствии с медиа-планом)", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 6.11
    ("Постоянно (по отдельному плану)", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 6.15
    ("февраль 2026 (в соответствии с медиа-планом)", [("2026-02", "2026-02-01", "2026-02-27")]),
    # 7.1
    ("I квартал 2025", [("2025-Q1", "2025-01-01", "2025-03-31")]),
    # 7.5
    ("постоянно (по факту поступления ребенка)", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 7.6
    ("IV квартал 2025 - IV квартал 2026", [("2025-10..2026-12", "2025-10-01", "2026-12-30")]),
    # 7.7
    ("I квартал - IV квартал 2025", [("2025", "2025-01-01", "2025-12-30")]),
    # 7.9
    ("январь 2025 – декабрь 2026", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 7.11
    ("июль-сентябрь 2025", [("2025-Q3", "2025-07-01", "2025-09-30")]),
    # 7.17
    (
        "январь 2025- декабрь 2026. (по отдельному плану)",
        [("2025..2026", "2025-01-01", "2026-12-30")],
    ),
    # 7.18
    ("январь 2025- декабрь 2026", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 7.21
    ("2025-2026", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # 8.3
    (
        "декабрь 2025 декабрь 2026",
        [("2025-12", "2025-12-01", "2025-12-30"), ("2026-12", "2026-12-01", "2026-12-30")],
    ),
]


def _expand(program: Program, term: str) -> list[tuple[str, str, str]]:
    activity = program.activities[0].model_copy(update={"term": term})
    got = expand_activity(activity, program, get_calendar())
    return [(o.period.label, o.opens.isoformat(), o.due.isoformat()) for o in got]


@pytest.mark.parametrize(("term", "expected"), SEED_TERMS, ids=[t for t, _ in SEED_TERMS])
def test_seed_term_expands_to_expected_obligations(
    program: Program, term: str, expected: list[tuple[str, str, str]]
) -> None:
    assert _expand(program, term) == expected


def test_every_seed_term_is_in_the_table(program: Program) -> None:
    assert {a.term for a in program.activities} == {t for t, _ in SEED_TERMS}


def test_program_expands_to_known_counts(program: Program) -> None:
    obligations = expand_obligations(program)
    kinds = [o.report_kind or o.kind for o in obligations]
    assert (kinds.count("activity"), kinds.count("executor"), kinds.count("consolidated")) == (
        167,
        41,
        4,
    )
    assert len({o.id for o in obligations}) == len(obligations), "ids must be unique"


def _by_id(program: Program) -> dict[str, Obligation]:
    return {o.id: o for o in expand_obligations(program)}


def test_reports_follow_the_narrative_deadlines(program: Program) -> None:
    ob = _by_id(program)
    pid = program.id
    # «не позднее 20 рабочего дня, следующего за отчетным полугодием»
    h1 = ob[f"{pid}:report:minobr:2025-H1"]
    assert (h1.opens, h1.due) == (dt.date(2025, 7, 1), dt.date(2025, 7, 28))
    # «не позднее 10 февраля по итогам отчетного года»
    assert ob[f"{pid}:report:minobr:2025"].due == dt.date(2026, 2, 10)
    assert ob[f"{pid}:report:minobr:2026"].due == dt.date(2027, 2, 10)
    # consolidated: 1 August and 1 March, moved off weekends (Civil Code art. 193)
    assert ob[f"{pid}:consolidated:2025-H1"].due == dt.date(2025, 8, 1)
    assert ob[f"{pid}:consolidated:2025"].due == dt.date(2026, 3, 2)  # 1 March 2026: Sunday
    assert ob[f"{pid}:consolidated:2026-H1"].due == dt.date(2026, 8, 3)  # 1 August: Saturday
    assert ob[f"{pid}:consolidated:2026"].due == dt.date(2027, 3, 1)
    assert ob[f"{pid}:consolidated:2026"].owners == ("minsoc",)
    assert ob[f"{pid}:consolidated:2026"].recipient == "ombudsman-office"


def test_groups_and_subordinate_institutions_report_through_their_body(program: Program) -> None:
    owners = {o.owners[0] for o in expand_obligations(program) if o.report_kind == "executor"}
    assert "social-institutions" not in owners and "rmc" not in owners
    assert {"minsoc", "minobr", "minzdrav", "kdn-office"} <= owners
    # the commission reports through the government office that serves it
    assert "kdn" not in owners


def test_report_covers_long_activities_in_every_half_year(program: Program) -> None:
    ob = _by_id(program)
    # 5.14 «май 2025 – декабрь 2026» (rule 3) belongs in each half-yearly report of minsoc
    for period in ("2025-H1", "2025", "2026-H1", "2026"):
        assert "5.14" in ob[f"{program.id}:report:minsoc:{period}"].covers
    # 1.5 «январь - июнь 2025» does not belong in the 2026 reports
    assert "1.5" in ob[f"{program.id}:report:minobr:2025-H1"].covers
    assert "1.5" not in ob[f"{program.id}:report:minobr:2026-H1"].covers


def test_obligation_owners_keep_the_lead_first(program: Program) -> None:
    o = _by_id(program)[f"{program.id}:6.1:2025-03"]
    assert o.owners == ("minsoc", "minobr", "minzdrav")
    assert o.evidence == "статистический отчет"


def _changed(program: Program, **conventions: object) -> Program:
    data = program.model_dump()
    data["conventions"] = {**data["conventions"], **conventions}
    return Program.model_validate(data)


def test_second_half_year_report_is_a_convention(program: Program) -> None:
    assert f"{program.id}:report:minobr:2025-H2" not in _by_id(program)
    h2 = _by_id(_changed(program, second_half_year_report=True))[
        f"{program.id}:report:minobr:2025-H2"
    ]
    # the 20th working day after 31 December 2025: 1–9 January are days off
    assert (h2.opens, h2.due) == (dt.date(2026, 1, 1), dt.date(2026, 2, 6))


def test_report_deadline_on_a_day_off_moves_by_the_day_off_convention(program: Program) -> None:
    ob = _by_id(_changed(program, day_off="backward"))
    pid = program.id
    assert ob[f"{pid}:consolidated:2025"].due == dt.date(2026, 2, 27)  # 1 March 2026: Sunday
    assert ob[f"{pid}:consolidated:2026-H1"].due == dt.date(2026, 7, 31)  # 1 August: Saturday
    assert ob[f"{pid}:report:minobr:2026"].due == dt.date(2027, 2, 10)  # a working day anyway


def _marked(program: Program, number: str, term: str) -> Program:
    activities = [
        a.model_copy(update={"term": term, "due_set_by_person": True}) if a.number == number else a
        for a in program.activities
    ]
    return Program.model_validate({**program.model_dump(), "activities": activities})


def test_marked_event_relative_activity_waits_for_a_person_to_set_its_due(
    program: Program,
) -> None:
    marked = _marked(program, "1.3", "по мере поступления обращений")
    pid = program.id
    [pending] = expand_pending(marked)
    assert pending == PendingObligation(
        id=f"{pid}:1.3:2025..2026",
        program=pid,
        activity="1.3",
        period=marked.span_period,
        opens=dt.date(2025, 1, 1),
        owners=marked.activity_map["1.3"].executors,
        evidence=marked.activity_map["1.3"].evidence,
    )
    dated = expand_obligations(marked)
    # no dated obligation (and so no reminder) until the date is set; reports still cover it
    assert not [o for o in dated if o.activity == "1.3"]
    assert "1.3" in {n for o in dated if o.report_kind == "executor" for n in o.covers}
    set_ = pending.with_due(dt.date(2025, 9, 15))
    assert (set_.id, set_.due, set_.rule, set_.kind) == (
        pending.id,
        dt.date(2025, 9, 15),
        8,
        "activity",
    )
    with pytest.raises(ValueError, match="раньше начала периода"):
        pending.with_due(dt.date(2024, 12, 31))


def test_term_outside_the_program_span_is_an_error(program: Program) -> None:
    with pytest.raises(InvalidTerm, match="вне срока программы"):
        _expand(program, "март 2030")


def test_expansion_matches_the_reviewed_golden_file(program: Program) -> None:
    """The whole expansion, committed and reviewed in diffs (scripts/update_golden.py)."""
    current = [o.to_json() for o in expand_obligations(program)]
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert current == golden, "run `python scripts/update_golden.py` and review the diff"


_PROGRAM = load_program()  # hypothesis examples share one program (fixtures are per test)

MONTHS_RU = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip
QUARTERS_RU = ["I", "II", "III", "IV"]
years = st.sampled_from([2025, 2026])


@st.composite
def terms(draw: st.DrawFn) -> str:
    """Terms of rules 1–4 built from the seed's grammar."""
    kind = draw(st.sampled_from(["month", "range", "quarter", "qrange", "year", "recurring"]))
    y = draw(years)
    if kind == "month":
        return f"{draw(st.sampled_from(MONTHS_RU))} {y}"
    if kind == "range":
        a, b = sorted(draw(st.lists(st.integers(0, 11), min_size=2, max_size=2)))
        return f"{MONTHS_RU[a]} {y} – {MONTHS_RU[b]} {draw(st.sampled_from([y, 2026]))}"
    if kind == "quarter":
        return f"{draw(st.sampled_from(QUARTERS_RU))} квартал {y}"
    if kind == "qrange":
        return f"I квартал {y} - {draw(st.sampled_from(QUARTERS_RU))} квартал 2026"
    if kind == "year":
        return f"в течение {y} года"
    return draw(st.sampled_from([
        "ежемесячно", "ежеквартально", "не реже 1 раза в квартал", "2 раза в год",
        "1 раз в полугодие", "ежегодно", "Ежегодно (III квартал)", "II квартал ежегодно",
        "2025-2026, (не реже 1 раз в квартал)", "постоянно (по отдельному плану)",
    ]))  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(terms())
def test_any_due_date_of_rules_1_to_4_is_a_working_day(term: str) -> None:
    program = _PROGRAM
    cal = get_calendar()
    activity: Activity = program.activities[0].model_copy(update={"term": term})
    for o in expand_activity(activity, program, cal):
        assert cal.is_working_day(o.due), (term, o.due)
        assert o.opens <= o.due
