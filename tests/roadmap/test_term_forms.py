"""Every term form against its dates on the 2025–2027 production calendars.

Each case is a phrase and the obligations it gives: (period label, opens, due), written out
and checked by hand against the calendar (``roadmap/dates/workdays.py``): 31 December is a day off
in 2025, 2026 and 2027; 1–8 January 2025, 1–9 January 2026 and 1, 4–8 January 2027 are
days off; so are 8–9 May 2025, 11 May 2026, 3 and 10 May 2027 and 9 March 2026. Where the
program's conventions change a date, the case is given under both. A deadline within the
ladder's reach of its period's start opens on its 10th working day before (the default
ladder's earliest reminder), so that no reminder is lost.
"""

from __future__ import annotations

from typing import Any

import pytest

from roadmap.dates.workdays import get_calendar
from roadmap.program.dating import date_term
from roadmap.program.loader import load_program
from roadmap.program.model import Program

Expected = list[tuple[str, str, str]]

_BASE = load_program()


def program_with(span: str = "2025..2027", **conventions: Any) -> Program:
    """The embedded program over ``span``, with some conventions changed."""
    data = _BASE.model_dump()
    data["span"] = span
    data["conventions"] = {**data["conventions"], **conventions}
    return Program.model_validate(data)


def dates(text: str, program: Program) -> Expected:
    got = date_term(text, program, get_calendar())
    return [(d.period.label, d.opens.isoformat(), d.due.isoformat()) for d in got if d.due]


KRASNOYARSK = program_with()

FORMS: list[tuple[str, Expected]] = [
    # Years and year ranges with «год», «годы», «гг.»
    ("2025 год", [("2025", "2025-01-01", "2025-12-30")]),
    ("в 2026 году", [("2026", "2026-01-01", "2026-12-30")]),
    ("2027 г.", [("2027", "2027-01-01", "2027-12-30")]),
    ("2025–2026 гг.", [("2025..2026", "2025-01-01", "2026-12-30")]),
    ("2025-2027 годы", [("2025..2027", "2025-01-01", "2027-12-30")]),
    ("в течение 2026–2027 годов", [("2026..2027", "2026-01-01", "2027-12-30")]),
    ("в 2025–2026 годах", [("2025..2026", "2025-01-01", "2026-12-30")]),
    # Quarters: Roman, Arabic, words, «кв.»
    ("3 кв. 2025", [("2025-Q3", "2025-07-01", "2025-09-30")]),
    ("I кв. 2027", [("2027-Q1", "2027-01-01", "2027-03-31")]),
    ("II квартал 2026 г.", [("2026-Q2", "2026-04-01", "2026-06-30")]),
    ("в IV квартале 2027 года", [("2027-Q4", "2027-10-01", "2027-12-30")]),
    ("первый квартал 2026 года", [("2026-Q1", "2026-01-01", "2026-03-31")]),
    ("4-й квартал 2025 г.", [("2025-Q4", "2025-10-01", "2025-12-30")]),
    ("I–II кварталы 2026 г.", [("2026-H1", "2026-01-01", "2026-06-30")]),
    # Half-years: Roman, Arabic, words, «полуг.»
    ("II полугодие 2026 года", [("2026-H2", "2026-07-01", "2026-12-30")]),
    ("первое полугодие 2025 г.", [("2025-H1", "2025-01-01", "2025-06-30")]),
    ("1 полуг. 2027", [("2027-H1", "2027-01-01", "2027-06-30")]),
    ("второе полугодие 2027 г.", [("2027-H2", "2027-07-01", "2027-12-30")]),
    # «ММ.ГГГГ» and months in other cases
    ("11.2025", [("2025-11", "2025-11-01", "2025-11-28")]),  # 29–30 Nov: weekend
    ("02.2027", [("2027-02", "2027-02-01", "2027-02-26")]),  # 27–28 Feb: weekend
    ("01.2026 – 03.2026", [("2026-Q1", "2026-01-01", "2026-03-31")]),
    ("в ноябре 2026 г.", [("2026-11", "2026-11-01", "2026-11-30")]),
    # Fixed dates with «до», «не позднее», «срок исполнения —»
    ("до 15 октября 2025 года", [("2025-10", "2025-10-01", "2025-10-15")]),
    ("не позднее 20 апреля 2026 г.", [("2026-04", "2026-04-01", "2026-04-20")]),
    ("срок исполнения — 15 мая 2026 года", [("2026-05", "2026-04-29", "2026-05-15")]),
    ("до 01.03.2026", [("2026-03", "2026-02-13", "2026-03-02")]),  # 1 March: Sunday
    ("не позднее 1 мая 2027 г.", [("2027-05", "2027-04-19", "2027-05-04")]),  # 1–3 May off
    ("до 9 мая 2025 года", [("2025-05", "2025-04-22", "2025-05-12")]),  # 9–11 May off
    # Brackets that narrow or date the term
    (
        "ежегодно (октябрь)",
        [
            ("2025-10", "2025-10-01", "2025-10-31"),
            ("2026-10", "2026-10-01", "2026-10-30"),  # 31 October: Saturday
            ("2027-10", "2027-10-01", "2027-10-29"),  # 31 October: Sunday
        ],
    ),
    ("2026 (I квартал)", [("2026-Q1", "2026-01-01", "2026-03-31")]),
    ("2025 (II полугодие)", [("2025-H2", "2025-07-01", "2025-12-30")]),
    # 20 September 2025 is a Saturday: Civil Code art. 193 moves it to Monday
    ("сентябрь 2025 (до 20 сентября)", [("2025-09", "2025-09-01", "2025-09-22")]),
    ("2025–2026 (до 20 декабря)", [("2025..2026", "2025-01-01", "2026-12-21")]),
    (
        "ежегодно (октябрь – декабрь)",
        [
            ("2025-Q4", "2025-10-01", "2025-12-30"),
            ("2026-Q4", "2026-10-01", "2026-12-30"),
            ("2027-Q4", "2027-10-01", "2027-12-30"),
        ],
    ),
    # Recurring terms
    (
        "один раз в полгода",
        [
            ("2025-H1", "2025-01-01", "2025-06-30"),
            ("2025-H2", "2025-07-01", "2025-12-30"),
            ("2026-H1", "2026-01-01", "2026-06-30"),
            ("2026-H2", "2026-07-01", "2026-12-30"),
            ("2027-H1", "2027-01-01", "2027-06-30"),
            ("2027-H2", "2027-07-01", "2027-12-30"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FORMS, ids=[t for t, _ in FORMS])
def test_term_form_gives_its_dates(text: str, expected: Expected) -> None:
    assert dates(text, KRASNOYARSK) == expected


# Deadlines after the period, which fall up to a year later: spans end where the last
# deadline is still on the 2025–2027 calendars.
QUARTERLY_BY_20TH = [
    ("2025-Q1", "2025-01-01", "2025-04-21"),  # 20 April: Sunday
    ("2025-Q2", "2025-04-01", "2025-07-21"),  # 20 July: Sunday
    ("2025-Q3", "2025-07-01", "2025-10-20"),
    ("2025-Q4", "2025-10-01", "2026-01-20"),
    ("2026-Q1", "2026-01-01", "2026-04-20"),
    ("2026-Q2", "2026-04-01", "2026-07-20"),
    ("2026-Q3", "2026-07-01", "2026-10-20"),
    ("2026-Q4", "2026-10-01", "2027-01-20"),
    ("2027-Q1", "2027-01-01", "2027-04-20"),
    ("2027-Q2", "2027-04-01", "2027-07-20"),
]
HALF_YEARLY_BY_10TH = [
    ("2025-H1", "2025-01-01", "2025-07-10"),
    ("2025-H2", "2025-07-01", "2026-01-12"),  # 1–9 January off, 10–11 weekend
    ("2026-H1", "2026-01-01", "2026-07-10"),
    ("2026-H2", "2026-07-01", "2027-01-11"),  # 10 January 2027: Sunday
    ("2027-H1", "2027-01-01", "2027-07-12"),  # 10 July 2027: Saturday
]
# «не позднее 20 рабочего дня, следующего за отчетным полугодием» (the narrative's words)
HALF_YEARLY_BY_20TH_WORKING_DAY = [
    ("2025-H1", "2025-01-01", "2025-07-28"),
    ("2025-H2", "2025-07-01", "2026-02-06"),
    ("2026-H1", "2026-01-01", "2026-07-28"),
    ("2026-H2", "2026-07-01", "2027-02-05"),
    ("2027-H1", "2027-01-01", "2027-07-28"),
]
MONTHLY_2026_BY_10TH = [
    ("2026-01", "2026-01-01", "2026-02-10"),
    ("2026-02", "2026-02-01", "2026-03-10"),
    ("2026-03", "2026-03-01", "2026-04-10"),
    ("2026-04", "2026-04-01", "2026-05-12"),  # 10 May: Sunday, 11 May: day off
    ("2026-05", "2026-05-01", "2026-06-10"),
    ("2026-06", "2026-06-01", "2026-07-10"),
    ("2026-07", "2026-07-01", "2026-08-10"),
    ("2026-08", "2026-08-01", "2026-09-10"),
    ("2026-09", "2026-09-01", "2026-10-12"),  # 10 October: Saturday
    ("2026-10", "2026-10-01", "2026-11-10"),
    ("2026-11", "2026-11-01", "2026-12-10"),
    ("2026-12", "2026-12-01", "2027-01-11"),  # 10 January 2027: Sunday
]
MONTHLY_2026_BY_5TH_WORKING_DAY = [
    ("2026-01", "2026-01-01", "2026-02-06"),
    ("2026-02", "2026-02-01", "2026-03-06"),
    ("2026-03", "2026-03-01", "2026-04-07"),
    ("2026-04", "2026-04-01", "2026-05-08"),
    ("2026-05", "2026-05-01", "2026-06-05"),
    ("2026-06", "2026-06-01", "2026-07-07"),
    ("2026-07", "2026-07-01", "2026-08-07"),
    ("2026-08", "2026-08-01", "2026-09-07"),
    ("2026-09", "2026-09-01", "2026-10-07"),
    ("2026-10", "2026-10-01", "2026-11-09"),
    ("2026-11", "2026-11-01", "2026-12-07"),
    ("2026-12", "2026-12-01", "2027-01-15"),
]
YEARLY_BY_1_APRIL_NEXT_YEAR = [
    ("2025", "2025-01-01", "2026-04-01"),
    ("2026", "2026-01-01", "2027-04-01"),
]

AFTER_PERIOD: list[tuple[str, str, Expected]] = [
    (
        "ежеквартально до 20 числа месяца, следующего за отчетным кварталом",
        "2025-01..2027-06",
        QUARTERLY_BY_20TH,
    ),
    (
        "один раз в полугодие до 10 числа месяца, следующего за отчетным полугодием",
        "2025-01..2027-06",
        HALF_YEARLY_BY_10TH,
    ),
    (
        "1 раз в полугодие, не позднее 20 рабочего дня, следующего за отчетным полугодием",
        "2025-01..2027-06",
        HALF_YEARLY_BY_20TH_WORKING_DAY,
    ),
    ("ежемесячно, до 10-го числа месяца, следующего за отчетным", "2026", MONTHLY_2026_BY_10TH),
    (
        "ежемесячно до 5-го рабочего дня месяца, следующего за отчетным месяцем",
        "2026",
        MONTHLY_2026_BY_5TH_WORKING_DAY,
    ),
    # the Krasnoyarsk convention for «ежемесячно» alone
    ("ежемесячно", "2026", MONTHLY_2026_BY_5TH_WORKING_DAY),
    (
        "ежегодно до 1 апреля года, следующего за отчетным периодом",
        "2025..2026",
        YEARLY_BY_1_APRIL_NEXT_YEAR,
    ),
    (
        "ежегодно (до 1 апреля года, следующего за отчетным)",
        "2025..2026",
        YEARLY_BY_1_APRIL_NEXT_YEAR,
    ),
]


@pytest.mark.parametrize(
    ("text", "span", "expected"), AFTER_PERIOD, ids=[c[0] for c in AFTER_PERIOD]
)
def test_recurring_term_with_a_deadline_after_the_period(
    text: str, span: str, expected: Expected
) -> None:
    assert dates(text, program_with(span)) == expected


# The same phrases where the conventions disagree: (phrase, span, conventions, expected).
CONVENTIONS: list[tuple[str, str, dict[str, str], Expected]] = [
    # day_off: backward moves a calendar date on a day off to the working day before it
    (
        "до 01.03.2026",
        "2025..2027",
        {"day_off": "backward"},
        [("2026-03", "2026-02-12", "2026-02-27")],
    ),
    (
        "до 9 мая 2025 года",
        "2025..2027",
        {"day_off": "backward"},
        [("2025-05", "2025-04-21", "2025-05-07")],
    ),
    (
        "сентябрь 2025 (до 20 сентября)",
        "2025..2027",
        {"day_off": "backward"},
        [("2025-09", "2025-09-01", "2025-09-19")],
    ),
    (
        "один раз в полугодие до 10 числа месяца, следующего за отчетным полугодием",
        "2025-01..2027-06",
        {"day_off": "backward"},
        [
            ("2025-H1", "2025-01-01", "2025-07-10"),
            ("2025-H2", "2025-07-01", "2025-12-30"),  # back over the New Year holidays
            ("2026-H1", "2026-01-01", "2026-07-10"),
            ("2026-H2", "2026-07-01", "2026-12-30"),
            ("2027-H1", "2027-01-01", "2027-07-09"),
        ],
    ),
    (
        "ежеквартально до 20 числа месяца, следующего за отчетным кварталом",
        "2025",
        {"day_off": "backward"},
        [
            ("2025-Q1", "2025-01-01", "2025-04-18"),
            ("2025-Q2", "2025-04-01", "2025-07-18"),
            ("2025-Q3", "2025-07-01", "2025-10-20"),
            ("2025-Q4", "2025-10-01", "2026-01-20"),
        ],
    ),
    # until: day_before reads «до 15 октября» as «no later than 14 October»
    (
        "до 15 октября 2025 года",
        "2025..2027",
        {"until": "day_before"},
        [("2025-10", "2025-09-30", "2025-10-14")],
    ),
    # … and «до 1 марта» as 28 February, a Saturday: forward to 2 March, or back to 27 February
    (
        "до 01.03.2026",
        "2025..2027",
        {"until": "day_before"},
        [("2026-02", "2026-02-01", "2026-03-02")],
    ),
    (
        "до 01.03.2026",
        "2025..2027",
        {"until": "day_before", "day_off": "backward"},
        [("2026-02", "2026-02-01", "2026-02-27")],
    ),
    (
        "ежегодно (до 1 апреля года, следующего за отчетным)",
        "2025..2026",
        {"until": "day_before"},
        [("2025", "2025-01-01", "2026-03-31"), ("2026", "2026-01-01", "2027-03-31")],
    ),
    # «до 5-го рабочего дня» under day_before: the 4th working day
    (
        "ежемесячно до 5-го рабочего дня месяца, следующего за отчетным месяцем",
        "2026-01..2026-03",
        {"until": "day_before"},
        [
            ("2026-01", "2026-01-01", "2026-02-05"),
            ("2026-02", "2026-02-01", "2026-03-05"),
            ("2026-03", "2026-03-01", "2026-04-06"),
        ],
    ),
    # «не позднее» is the date itself under either reading of «до»
    (
        "не позднее 20 апреля 2026 г.",
        "2025..2027",
        {"until": "day_before"},
        [("2026-04", "2026-04-01", "2026-04-20")],
    ),
    # monthly_due: «ежемесячно» alone where the program says «до 10-го числа»
    (
        "ежемесячно",
        "2026",
        {"monthly_due": "до 10-го числа месяца, следующего за отчетным месяцем"},
        MONTHLY_2026_BY_10TH,
    ),
]


@pytest.mark.parametrize(
    ("text", "span", "conventions", "expected"),
    CONVENTIONS,
    ids=[f"{c[0]} {c[2]}" for c in CONVENTIONS],
)
def test_term_dates_follow_the_program_conventions(
    text: str, span: str, conventions: dict[str, str], expected: Expected
) -> None:
    assert dates(text, program_with(span, **conventions)) == expected


def test_default_conventions_are_the_krasnoyarsk_program_s() -> None:
    conventions = _BASE.conventions
    assert conventions.day_off == "forward" and conventions.until == "the_date"
    assert conventions.second_half_year_report is False
    assert conventions.monthly_deadline.day == 5 and conventions.monthly_deadline.working


def test_deadline_counts_from_the_term_s_own_period_not_the_part_in_the_span() -> None:
    # the program owes only 2025–2026 of «2025–2027», but the words set 20 December 2027
    assert dates("2025–2027 (до 20 декабря)", program_with("2025..2026")) == [
        ("2025..2026", "2025-01-01", "2027-12-20")
    ]


def test_a_moved_deadline_keeps_the_date_its_words_give() -> None:
    [line] = date_term("сентябрь 2025 (до 20 сентября)", KRASNOYARSK, get_calendar())
    assert (line.written, line.due, line.rule) == (
        line.period.start.replace(day=20),
        line.period.start.replace(day=22),
        7,
    )
    assert line.conventions == ("until", "day_off")
