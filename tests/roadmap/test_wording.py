"""How letters write dates, periods and the person they address (OFFICIAL-RU conventions)."""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap.periods import parse_period
from roadmap.wording import address_ru, date_text_ru, period_text_ru


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2025, 3, 31), "31 марта 2025 г."),
        (dt.date(2025, 1, 9), "9 января 2025 г."),
        (dt.date(2026, 12, 30), "30 декабря 2026 г."),
    ],
)
def test_date_text_ru_writes_a_date_as_letters_do(day: dt.date, text: str) -> None:
    assert date_text_ru(day) == text


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("2025-01", "январь 2025 г."),
        ("2025-Q1", "I квартал 2025 года"),
        ("2025-Q4", "IV квартал 2025 года"),
        ("2025-H1", "I полугодие 2025 года"),
        ("2026-H2", "II полугодие 2026 года"),
        ("2025", "2025 год"),
        ("2025..2026", "2025–2026 годы"),
        ("2025-01..2025-03", "I квартал 2025 года"),
        ("2025-04..2025-12", "апрель – декабрь 2025 г."),
        ("2025-10..2026-12", "октябрь 2025 г. – декабрь 2026 г."),
    ],
)
def test_period_text_ru_never_shows_a_code(label: str, text: str) -> None:
    assert period_text_ru(parse_period(label)) == text


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
