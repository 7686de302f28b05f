"""Dates, periods and counts in the forms official Russian uses, as tables of literal cases."""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap.dates.periods import parse_period
from roadmap.words.wording import (
    address_ru,
    count_ru,
    date_ru,
    month_short_ru,
    number_ru,
    percent_ru,
    period_ru,
    quantity_ru,
    sentence,
)


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("2025-03", "март 2025\u00a0г."),
        ("2025-Q1", "I квартал 2025 года"),
        ("2025-Q4", "IV квартал 2025 года"),
        ("2025-H1", "I полугодие 2025 года"),
        ("2026-H2", "II полугодие 2026 года"),
        ("2025", "2025 год"),
        ("2025-01..2025-03", "I квартал 2025 года"),
        ("2025-04..2025-12", "апрель – декабрь 2025\u00a0г."),
        ("2025..2026", "2025–2026 годы"),
        ("2025-10..2026-03", "октябрь 2025\u00a0г. – март 2026\u00a0г."),
    ],
)
def test_period_in_words(label: str, words: str) -> None:
    assert period_ru(parse_period(label)) == words


@pytest.mark.parametrize(
    ("day", "words", "short"),
    [
        ("2025-08-01", "1 августа 2025\u00a0г.", "авг. 2025"),
        ("2025-03-31", "31 марта 2025\u00a0г.", "март 2025"),
        ("2026-02-10", "10 февраля 2026\u00a0г.", "февр. 2026"),
        ("2025-09-01", "1 сентября 2025\u00a0г.", "сент. 2025"),
    ],
)
def test_date_in_text_and_month_on_a_chart(day: str, words: str, short: str) -> None:
    d = dt.date.fromisoformat(day)
    assert (date_ru(d), month_short_ru(d)) == (words, short)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "1 обязательство"),
        (2, "2 обязательства"),
        (5, "5 обязательств"),
        (11, "11 обязательств"),
        (21, "21 обязательство"),
        (104, "104 обязательства"),
        (2211, "2\u00a0211 обязательств"),
    ],
)
def test_counts_agree_with_their_nouns(n: int, words: str) -> None:
    assert count_ru(n, "обязательство", "обязательства", "обязательств") == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (number_ru(2211), "2\u00a0211"),
        (number_ru(-2.5), "\u22122,5"),
        (percent_ru(0.8), "80,0\u00a0%"),
        (percent_ru(0.015, signed=True), "+1,5\u00a0%"),
        (percent_ru(-0.025, signed=True), "\u22122,5\u00a0%"),
        (percent_ru(-0.025), "\u22122,5\u00a0%"),
        (quantity_ru(1801.5, "человек"), "1\u00a0802"),
        (quantity_ru(1801.4, "единиц"), "1\u00a0801"),
        (quantity_ru(7.25, "месяцев"), "7,2"),
        (quantity_ru(81.26, "%"), "81,3"),
    ],
)
def test_numbers_and_percentages_take_a_minus_sign_not_a_hyphen(text: str, words: str) -> None:
    assert text == words


def test_a_sentence_ends_once() -> None:
    assert sentence("до 1 августа 2025\u00a0г.") == "до 1 августа 2025\u00a0г."
    assert sentence("Срок — 2025 год") == "Срок — 2025 год."


@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("Вера Михайловна Кузнецова", ("Вера Михайловна", "f")),
        ("Кузнецова Вера Михайловна", ("Вера Михайловна", "f")),
        ("Сергей Викторович Орлов", ("Сергей Викторович", "m")),
        ("Андрей Ильич Морозов", ("Андрей Ильич", "m")),
        ("Анна Никитична Быкова", ("Анна Никитична", "f")),
        ("Ольга Ильинична Котова", ("Ольга Ильинична", "f")),
        ("Дмитрий Сергеевич Шостакович", ("Дмитрий Сергеевич", "m")),
        ("Шостакович Мария Ивановна", ("Мария Ивановна", "f")),
        ("Эльмира Рашид кызы Алиева", ("Эльмира Рашид кызы", "f")),
        ("Алиев Рустам Рашид оглы", ("Рустам Рашид оглы", "m")),
        ("Мария Шостакович", None),  # no patronymic: a surname in -ович says nothing
        ("Иванов И. И.", None),
        ("Приёмная министра", None),
    ],
)
def test_address_ru_reads_name_patronymic_and_gender(
    name: str, address: tuple[str, str] | None
) -> None:
    assert address_ru(name) == address
