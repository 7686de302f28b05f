"""The term parser: rules, notes, and refusing what fits no rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.errors import InvalidTerm, Location
from roadmap.periods import parse_period
from roadmap.terms import Fixed, Recurring, parse_term


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
    assert parse_term(text).items == (Recurring("year", None, in_quarter=quarter),)


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
