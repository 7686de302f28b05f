"""The term parser: rules, brackets, notes, and refusing what fits no rule, with its place."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.dates.periods import parse_period
from roadmap.dates.workdays import get_calendar
from roadmap.errors import InvalidTerm, Location
from roadmap.program.dating import date_term
from roadmap.program.loader import load_program
from roadmap.program.model import Program
from roadmap.terms.model import AfterPeriod, ByDate, EventRelative, InYear, OnDate
from roadmap.terms.reading import Fixed, Recurring, parse_deadline, parse_term
from roadmap.terms.rules import is_date_like


def test_notes_in_brackets_are_kept_and_do_not_change_the_period() -> None:
    term = parse_term("апрель 2025-декабрь 2026 (по отдельному плану)")
    assert term.notes == ("по отдельному плану",)
    assert term.items == (Fixed(parse_period("2025-04..2026-12"), long=True, rule=3),)


def test_known_note_without_brackets_is_a_note() -> None:
    # 5.6 «ежегодно по отдельному плану»
    term = parse_term("ежегодно\nпо отдельному плану")
    assert term.items == (Recurring("year", None),)
    assert term.notes == ("по отдельному плану",)


def test_note_keeps_the_source_spelling() -> None:
    assert parse_term("Постоянно (в соответствии с медиа-планом)").notes == (
        "в соответствии с медиа-планом",
    )


def test_bracketed_recurrence_bounds_itself_by_the_range() -> None:
    # 3.3 «2025-2026, (не реже 1 раз в квартал)»: rule 4 within the term's own range
    term = parse_term("2025-2026,\n(не реже \n1 раз \nв квартал)")
    assert term.items == (Recurring("quarter", parse_period("2025..2026")),)
    assert term.notes == ()


@pytest.mark.parametrize(
    ("text", "quarter"),
    [("Ежегодно\n(II квартал)", 2), ("IV квартал ежегодно", 4)],
)
def test_yearly_term_can_name_its_quarter(text: str, quarter: int) -> None:
    assert parse_term(text).items == (
        Recurring("year", None, in_months=(3 * quarter - 2, 3 * quarter)),
    )


def test_space_separated_periods_are_separate_items() -> None:
    # 6.2 «июнь 2025\nиюнь 2026» (rule 2 without a «;»)
    labels = [i.period.label for i in parse_term("июнь 2025\nиюнь 2026").items]
    assert labels == ["2025-06", "2026-06"]


def test_short_range_is_rule_1_and_cross_year_range_is_rule_3() -> None:
    assert parse_term("апрель – декабрь\n2025").items[0].rule == 1
    assert parse_term("IV квартал 2025 - \nIV квартал 2026").items[0].rule == 3


@pytest.mark.parametrize(
    "text",
    [
        "",
        "когда-нибудь",
        "апрель",  # a month without a year
        "13 квартал 2025",
        "ежемесячно; декабрь 2025",  # recurrence mixed with a period
        "апрель 2025 (по отдельному плану",  # unclosed bracket
        "декабрь 2026 – март 2025",  # ends before it starts
        "по отдельному плану",  # a note and nothing else
    ],
)
def test_term_that_fits_no_rule_is_an_error_never_a_guess(text: str) -> None:
    with pytest.raises(InvalidTerm):
        parse_term(text)


def test_invalid_term_error_carries_its_location() -> None:
    where = Location("activities.yaml", 12, "activities[3].term")
    with pytest.raises(InvalidTerm) as info:
        parse_term("когда-нибудь", where)
    assert str(info.value).startswith("activities.yaml:12: activities[3].term: ")
    assert "когда-нибудь" in str(info.value)


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("январьмтдкбIVX0123456789 -–;,.()ежегодноквартал")),
        max_size=40,
    )
)
def test_any_string_parses_or_raises_invalid_term(text: str) -> None:
    try:
        parse_term(text)
    except InvalidTerm:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode_never_crashes_the_parser(text: str) -> None:
    try:
        parse_term(text)
    except InvalidTerm:
        pass


# --- brackets, deadlines and events --------------------------------------------------------


def test_bracket_with_a_deadline_dates_the_period_before_it() -> None:
    # «сентябрь 2025 (до 20 сентября)» was read as the end of September
    [item] = parse_term("сентябрь 2025 (до 20 сентября)").items
    assert item == Fixed(
        parse_period("2025-09"), long=False, rule=7, due=InYear(9, 20, years_after=0, until=True)
    )


def test_bracket_with_a_period_narrows_the_term() -> None:
    # «2026 (I квартал)» was read as the whole of 2026; «ежегодно (октябрь)» as each year
    assert parse_term("2026 (I квартал)").items == (Fixed(parse_period("2026-Q1"), False, 1),)
    assert parse_term("ежегодно (октябрь)").items == (Recurring("year", None, in_months=(10, 10)),)


def test_yearly_deadline_in_the_next_year_is_read_from_the_bracket() -> None:
    [item] = parse_term("ежегодно (до 1 апреля года, следующего за отчетным)").items
    assert item == Recurring("year", None, rule=7, due=InYear(4, 1, years_after=1, until=True))


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("до 15 октября 2025 года", OnDate(parse_period("2025-10").start.replace(day=15), True)),
        ("не позднее 20 апреля 2026 г.", OnDate(parse_period("2026-04").start.replace(day=20))),
        (
            "срок исполнения — 15 мая 2026 года",
            OnDate(parse_period("2026-05").start.replace(day=15)),
        ),
    ],
)
def test_written_out_date_is_an_item_of_its_own(text: str, due: OnDate) -> None:
    assert parse_term(text).items == (ByDate(due),)


def test_deadline_after_a_recurrence_belongs_to_it() -> None:
    [item] = parse_term("ежемесячно, до 10-го числа месяца, следующего за отчетным").items
    assert item == Recurring("month", None, rule=7, due=AfterPeriod(10, False, None, until=True))


def test_monthly_convention_phrase_reads_as_a_deadline() -> None:
    assert parse_deadline(
        "не позднее 5-го рабочего дня месяца, следующего за отчетным месяцем"
    ) == AfterPeriod(5, working=True, after="month", until=False)
    with pytest.raises(InvalidTerm):
        parse_deadline("ежемесячно")


@pytest.mark.parametrize(
    "text",
    [
        "в 30-дневный срок",
        "в течение 2 месяцев со дня вступления в силу",
        "по мере поступления обращений",
    ],
)
def test_event_relative_term_is_read_as_such(text: str) -> None:
    assert parse_term(text).items == (EventRelative(text),)


_PROGRAM = load_program()
_WHERE = Location("activities.yaml", 40, "activities[3].term")


def _refusal(text: str, program: Program = _PROGRAM, **kwargs: bool) -> InvalidTerm:
    with pytest.raises(InvalidTerm) as info:
        date_term(text, program, get_calendar(), where=_WHERE, **kwargs)
    return info.value


REFUSALS = [
    ("декабрь 2025; декабрь 2025", "период «декабрь 2025\u00a0г.» указан в сроке дважды"),
    ("2024", "лежит вне срока программы (2025–2026 годы)"),
    ("декабрь 2026 – март 2025", "период кончается раньше, чем начинается"),
    ("2025 (план на 2025 год)", "в скобках «план на 2025 год» говорится о сроке"),
    ("ежеквартально (до 20 числа)", "число без месяца подходит только к одному месяцу"),
    ("декабрь 2025 (до 20 сентября)", "срок исполнения 20.09.2025 раньше начала периода"),
    (
        "ежемесячно до 10 числа месяца, следующего за отчетным кварталом",
        "не совпадает с периодичностью",
    ),
    ("до 10-го числа месяца, следующего за отчетным", "не сказано, за какой период"),
    ("ежегодно до 15 октября 2025 года", "у повторяющегося срока не может быть одной даты"),
    ("до 30 февраля 2026 года", "такой даты нет: 30.02.2026"),
    ("ежегодно (до 29 февраля)", "такой даты нет: 29.02.2025"),
    ("2025–2026 (октябрь)", "без года, а срок длиннее года"),
    ("I квартал 2025 (октябрь)", "выходит за срок перед скобкой"),
    ("(I квартал) 2025", "стоит раньше самого срока"),
    ("ежемесячно (ежеквартально)", "не уточняет срок перед ней"),
    ("2025 (до 20 сентября) (до 1 октября)", "уже есть срок исполнения"),
    ("когда-нибудь", "не прочитаны слова «когда-нибудь»; ближе всего к ним правило"),
    ("ежегодно до 1 апреля 2028 года", "у повторяющегося срока не может быть одной даты"),
    ("до 1 апреля 2028 года", "позже срока программы (2025–2026 годы) и её последнего"),
]


@pytest.mark.parametrize(("text", "message"), REFUSALS, ids=[t for t, _ in REFUSALS])
def test_term_is_refused_in_russian_with_its_location(text: str, message: str) -> None:
    exc = _refusal(text)
    assert exc.location == _WHERE
    assert message in exc.message, exc.message
    assert str(exc).startswith("activities.yaml:40: activities[3].term: срок «")


@pytest.mark.parametrize("marked", [True, False])
def test_event_relative_term_has_no_due_date_whether_marked_or_not(marked: bool) -> None:
    [line] = date_term("в 30-дневный срок", _PROGRAM, get_calendar(), person_sets_due=marked)
    assert (line.period.label, line.opens.isoformat(), line.due, line.rule) == (
        "2025..2026",
        "2025-01-01",
        None,
        8,
    )
    [line] = date_term(
        "2026 (по мере поступления обращений)", _PROGRAM, get_calendar(), person_sets_due=marked
    )
    assert (line.period.label, line.due) == ("2026", None)


def test_mark_on_a_term_that_gives_dates_is_refused() -> None:
    exc = _refusal("декабрь 2025", person_sets_due=True)
    assert "уберите отметку" in exc.message and exc.location == _WHERE


# --- properties ----------------------------------------------------------------------------

_WORDS = [
    "январь",
    "сентября",
    "ноябре",
    "2025",
    "2026",
    "2027",
    "2024",
    "11.2025",
    "01.03.2026",
    "I",
    "IV",
    "3",
    "квартал",
    "кв.",
    "полугодие",
    "полуг.",
    "первое",
    "второе",
    "год",
    "годы",
    "гг.",
    "г.",
    "в",
    "в течение",
    "до",
    "не позднее",
    "срок исполнения —",
    "20",
    "10-го",
    "числа",
    "месяца",
    "рабочего дня",
    "следующего за отчетным",
    "кварталом",
    "полугодием",
    "года,",
    "ежегодно",
    "ежемесячно",
    "ежеквартально",
    "один раз в полгода",
    "2 раза в год",
    "постоянно",
    "по мере поступления",
    "30-дневный срок",
    "(",
    ")",
    ";",
    ",",
    "–",
    "-",
    "по отдельному плану",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=9), st.booleans())
def test_any_phrase_gives_dates_or_a_located_refusal_never_another_exception(
    words: list[str], person_sets_due: bool
) -> None:
    text = " ".join(words)
    try:
        got = date_term(
            text, _PROGRAM, get_calendar(), person_sets_due=person_sets_due, where=_WHERE
        )
    except InvalidTerm as exc:
        assert exc.location == _WHERE
    else:
        for line in got:
            assert line.opens <= line.period.end
            assert line.due is None or line.opens <= line.due


_BASES = [
    "2025",
    "сентябрь 2025",
    "I квартал 2026",
    "ежегодно",
    "ежемесячно",
    "ежеквартально",
    "2025-2026",
    "постоянно",
    "декабрь 2025; декабрь 2026",
    "до 15 октября 2025 года",
]
_DATES_IN_BRACKETS = [
    "до 20 сентября",
    "до 1 апреля года, следующего за отчетным",
    "октябрь",
    "II квартал",
    "I полугодие",
    "октябрь – декабрь",
    "2026",
    "I квартал 2026",
    "не реже 1 раза в квартал",
    "ежемесячно",
    "до 10-го числа месяца, следующего за отчетным",
    "до 15 октября 2025 года",
    "не позднее 5-го рабочего дня месяца, следующего за отчетным месяцем",
    "по плану 2025",
    "в 30-дневный срок",
    "20 числа",
    "за 10 дней до заседания",
    "ежегодно, кв. 3",
    "срок — май",
]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_BASES), st.sampled_from(_DATES_IN_BRACKETS), st.booleans())
def test_a_bracket_holding_a_date_is_never_dropped(base: str, inner: str, notes: bool) -> None:
    text = f"{base} ({inner})" + (" (по отдельному плану)" if notes else "")
    assert is_date_like(inner)
    try:
        term = parse_term(text, _WHERE)
    except InvalidTerm as exc:
        assert exc.location == _WHERE
        return
    assert all(not is_date_like(n) for n in term.notes), term.notes
    assert term.items != parse_term(base).items or _restates(base, inner)


def _restates(base: str, inner: str) -> bool:
    """«I квартал 2026 (I квартал 2026)»: a bracket may name the very period before it."""
    try:
        return parse_term(inner).items == parse_term(base).items
    except InvalidTerm:
        return False
