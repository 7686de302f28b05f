"""The term forms regional acts use, each against its dates under both readings of «до».

The program conventions give «до <даты>» two readings (``until``): ``the_date`` (the date
itself is the last day) and ``day_before``. Each case is a phrase, the span it is read in,
and the obligations it gives under each reading: (period label, opens, due), worked out by
hand on the production calendar (weekends; 9 March and 11 May 2026 off; see
``test_term_forms.py``; 1 November 2025, a Saturday, worked, 3–4 November off). «не позднее»,
«к» and «по» are the date itself under either. A deadline within the ladder's reach of its
period's start opens on its 10th working day before, so that no reminder is lost.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.errors import InvalidTerm
from roadmap.terms.rules import nearest_rule
from tests.roadmap.test_term_forms import AFTER_PERIOD, FORMS, Expected, dates, program_with

# (phrase, span, under «the_date», under «day_before»)
Case = tuple[str, str, Expected, Expected]

MONTHLY_5TH_WORKING_DAY_Q1_2026 = [
    ("2026-01", "2026-01-01", "2026-02-06"),
    ("2026-02", "2026-02-01", "2026-03-06"),
    ("2026-03", "2026-03-01", "2026-04-07"),
]
MONTHLY_4TH_WORKING_DAY_Q1_2026 = [
    ("2026-01", "2026-01-01", "2026-02-05"),
    ("2026-02", "2026-02-01", "2026-03-05"),
    ("2026-03", "2026-03-01", "2026-04-06"),
]

ACTS: list[Case] = [
    # «в срок» before a working-day rule adds nothing
    (
        "ежемесячно в срок до 5-го рабочего дня месяца, следующего за отчетным",
        "2026-01..2026-03",
        MONTHLY_5TH_WORKING_DAY_Q1_2026,
        MONTHLY_4TH_WORKING_DAY_Q1_2026,
    ),
    # a day of the following year, «в срок до»: 1 April 2026 Wed, 2027 Thu; 31 March Tue, Wed
    (
        "ежегодно в срок до 1 апреля года, следующего за отчетным",
        "2025..2026",
        [("2025", "2025-01-01", "2026-04-01"), ("2026", "2026-01-01", "2027-04-01")],
        [("2025", "2025-01-01", "2026-03-31"), ("2026", "2026-01-01", "2027-03-31")],
    ),
    # «за» before a month range: the months reported on
    (
        "за январь – март 2025 г.",
        "2025..2027",
        [("2025-Q1", "2025-01-01", "2025-03-31")],
        [("2025-Q1", "2025-01-01", "2025-03-31")],
    ),
    # months sharing one year: 31 March 2025 Mon, 31 October 2025 Fri
    (
        "март, октябрь 2025 г.",
        "2025..2027",
        [("2025-03", "2025-03-01", "2025-03-31"), ("2025-10", "2025-10-01", "2025-10-31")],
        [("2025-03", "2025-03-01", "2025-03-31"), ("2025-10", "2025-10-01", "2025-10-31")],
    ),
    # «к» is «не позднее»: 1 December 2025 is a Monday
    (
        "к 1 декабря 2025 г.",
        "2025..2027",
        [("2025-12", "2025-11-17", "2025-12-01")],
        [("2025-12", "2025-11-17", "2025-12-01")],
    ),
    # a day of the month in brackets: 15 November 2025 Sat → Mon 17; the 14th is a Friday
    (
        "ноябрь 2025 (до 15 числа)",
        "2025..2027",
        [("2025-11", "2025-10-31", "2025-11-17")],
        [("2025-11", "2025-10-30", "2025-11-14")],
    ),
    # a first date, then every year: 1 April 2025 Tue, 2026 Wed, 2027 Thu; 31 March Mon–Wed
    (
        "до 1 апреля 2025 г. (далее – ежегодно)",
        "2025..2027",
        [
            ("2025", "2025-01-01", "2025-04-01"),
            ("2026", "2026-01-01", "2026-04-01"),
            ("2027", "2027-01-01", "2027-04-01"),
        ],
        [
            ("2025", "2025-01-01", "2025-03-31"),
            ("2026", "2026-01-01", "2026-03-31"),
            ("2027", "2027-01-01", "2027-03-31"),
        ],
    ),
    # the current month: 20 June 2026 Sat → Mon 22; «до 20» under day_before: the 19th,
    # 19 April 2026 a Sunday → Mon 20
    (
        "ежемесячно до 20 числа текущего месяца",
        "2026-01..2026-06",
        [
            ("2026-01", "2026-01-01", "2026-01-20"),
            ("2026-02", "2026-02-01", "2026-02-20"),
            ("2026-03", "2026-03-01", "2026-03-20"),
            ("2026-04", "2026-04-01", "2026-04-20"),
            ("2026-05", "2026-05-01", "2026-05-20"),
            ("2026-06", "2026-06-01", "2026-06-22"),
        ],
        [
            ("2026-01", "2026-01-01", "2026-01-19"),
            ("2026-02", "2026-02-01", "2026-02-19"),
            ("2026-03", "2026-03-01", "2026-03-19"),
            ("2026-04", "2026-04-01", "2026-04-20"),
            ("2026-05", "2026-05-01", "2026-05-19"),
            ("2026-06", "2026-06-01", "2026-06-19"),
        ],
    ),
    # a span between two dates, due on its last day (30 June 2025 Mon); «по» keeps the day
    (
        "с 1 марта 2025 г. по 30 июня 2025 г.",
        "2025..2027",
        [("2025-03..2025-06", "2025-03-01", "2025-06-30")],
        [("2025-03..2025-06", "2025-03-01", "2025-06-30")],
    ),
    # a quarter of the following year: its last working day (31 March 2026 Tue, 2027 Wed)
    (
        "ежегодно, в I квартале года, следующего за отчетным",
        "2025..2026",
        [("2025", "2025-01-01", "2026-03-31"), ("2026", "2026-01-01", "2027-03-31")],
        [("2025", "2025-01-01", "2026-03-31"), ("2026", "2026-01-01", "2027-03-31")],
    ),
    # a day February lacks is its last (Civil Code art. 192(3)): 28 February 2026 Sat → 2 March;
    # 31 May 2026 Sun → 1 June. Under day_before «до 31» is the 30th: 30 March Mon, 30 April
    # Thu, 30 May Sat → 1 June
    (
        "ежемесячно до 31 числа месяца, следующего за отчетным",
        "2026-01..2026-04",
        [
            ("2026-01", "2026-01-01", "2026-03-02"),
            ("2026-02", "2026-02-01", "2026-03-31"),
            ("2026-03", "2026-03-01", "2026-04-30"),
            ("2026-04", "2026-04-01", "2026-06-01"),
        ],
        [
            ("2026-01", "2026-01-01", "2026-03-02"),
            ("2026-02", "2026-02-01", "2026-03-30"),
            ("2026-03", "2026-03-01", "2026-04-30"),
            ("2026-04", "2026-04-01", "2026-06-01"),
        ],
    ),
    # the program's own last consolidated report (1 March after the span: Mon 1 March 2027),
    # owed for the span's last month; under day_before 28 February 2027 is a Sunday → 1 March
    (
        "до 1 марта 2027 г.",
        "2025..2026",
        [("2026-12", "2026-12-01", "2027-03-01")],
        [("2026-12", "2026-12-01", "2027-03-01")],
    ),
]


@pytest.mark.parametrize(("text", "span", "the_date", "day_before"), ACTS, ids=[c[0] for c in ACTS])
def test_act_form_gives_its_dates_in_both_readings_of_until(
    text: str, span: str, the_date: Expected, day_before: Expected
) -> None:
    assert dates(text, program_with(span, until="the_date")) == the_date
    assert dates(text, program_with(span, until="day_before")) == day_before


EVENTS = [
    "в месячный срок",
    "в 10-дневный срок",
    "в десятидневный срок",
    "в течение 5 рабочих дней со дня регистрации",
    "со дня получения запроса",
    "срочно",
    "оперативно",
    "в течение месяца после утверждения программы",
]


@pytest.mark.parametrize("text", EVENTS)
def test_event_counted_term_is_one_obligation_a_person_dates(text: str) -> None:
    from roadmap.dates.workdays import get_calendar
    from roadmap.program.dating import date_term

    for marked in (True, False):
        [line] = date_term(text, program_with("2025..2026"), get_calendar(), person_sets_due=marked)
        assert (line.period.label, line.due, line.rule) == ("2025..2026", None, 8)


REFUSED: list[tuple[str, str]] = [
    # every refusal names the nearest rule and the words it could not read
    ("ежегодно до 1 апреля будущего года", "не прочитаны слова «будущего года»"),
    ("март, октябрь", "«март» без года"),
    ("2025 год (до 15 числа)", "число без месяца подходит только к одному месяцу"),
    ("ежеквартально (далее – ежегодно)", "стоит не после первой даты"),
    ("до 2 марта 2027 г.", "позже срока программы"),
    ("с 30 июня 2025 г. по 1 марта 2025 г.", "период кончается раньше, чем начинается"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED, ids=[t for t, _ in REFUSED])
def test_refusal_says_what_it_could_not_read(text: str, message: str) -> None:
    with pytest.raises(InvalidTerm) as caught:
        dates(text, program_with("2025..2026"))
    assert message in caught.value.message, caught.value.message
    assert "не подходит ни под одно правило" not in caught.value.message


def test_unread_words_are_quoted_with_the_rule_nearest_to_them() -> None:
    with pytest.raises(InvalidTerm) as caught:
        dates("ежегодно до 1 апреля будущего года", program_with("2025..2026"))
    assert "ближе всего к ним правило «" in caught.value.message
    assert "например «" in caught.value.message


NEAREST = [
    ("в третьем квартале", "квартал"),
    ("во втором полугодии", "полугодие"),
    ("ежемесячно до 25-го", "число того же месяца"),
    ("каждые полгода", "раз в полугодие"),
    ("ноябрь-декабрь", "месяц"),
    ("по мере необходимости", "дата"),  # no rule shares a word: the commonest form
]


@pytest.mark.parametrize(("words", "title"), NEAREST, ids=[w for w, _ in NEAREST])
def test_the_nearest_rule_shares_the_stems_of_the_unread_words(words: str, title: str) -> None:
    assert nearest_rule(words).title == title


# --- a property: «в срок», «не позднее», «к» never change a date ---------------------------

PHRASES = sorted(
    {t for t, _ in FORMS}
    | {t for t, *_ in ACTS}
    | {t for t, *_ in AFTER_PERIOD}
    | {"15 октября 2025 года", "20.04.2026", "1 декабря 2025 г."}
)
WRAPPERS = ["в срок ", "не позднее ", "к "]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(PHRASES), st.sampled_from(WRAPPERS), st.sampled_from(["the_date", "day_before"])
)
def test_wrapping_a_dated_phrase_never_changes_its_dates(
    phrase: str, wrapper: str, until: str
) -> None:
    program = program_with("2025..2027", until=until)
    try:
        plain = dates(phrase, program)
    except InvalidTerm:
        return  # a phrase refused alone says nothing about its wrapping
    try:
        wrapped = dates(wrapper + phrase, program)
    except InvalidTerm:
        return  # refused, with a reason: never a different date
    assert wrapped == plain


@pytest.mark.parametrize("wrapper", WRAPPERS)
def test_a_written_date_reads_the_same_in_every_wrapping(wrapper: str) -> None:
    program = program_with("2025..2027")
    assert dates(wrapper + "15 октября 2025 года", program) == [
        ("2025-10", "2025-10-01", "2025-10-15")
    ]
