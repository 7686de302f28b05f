"""Quantitative targets read from expected results."""

from __future__ import annotations

import pytest

from roadmap.drafting.targets import Target, extract_targets, parse_number


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ("создано не менее 18 служб «Дети в семье»", [Target(18, "служб", "не менее 18 служб")]),
        (
            "проведено 20 обучающих вебинаров для 150 специалистов краевых учреждений",
            [
                Target(20, "обучающих вебинаров", "20 обучающих вебинаров"),
                Target(150, "специалистов", "150 специалистов"),
            ],
        ),
        (
            "численность мест сокращена с 427 до 326 мест",
            [Target(326, "мест", "с 427 до 326 мест", baseline=427)],
        ),
        ("снижение доли с 1,1 до 0,98 %", [Target(0.98, "%", "с 1,1 до 0,98 %", baseline=1.1)]),
        ("не менее 2 тыс. услуг", [Target(2000, "услуг", "не менее 2 тыс. услуг")]),
        (
            "проведено не менее 1 500 диагностические обследования",
            [
                Target(
                    1500,
                    "диагностические обследования",
                    "не менее 1 500 диагностические обследования",
                )
            ],
        ),
        (
            "обучены не менее 189 руководителей и специалистов служб",
            [
                Target(
                    189, "руководителей и специалистов", "не менее 189 руководителей и специалистов"
                )
            ],
        ),
        (
            "Не менее 130 родителей получили знания",
            [Target(130, "родителей", "Не менее 130 родителей")],
        ),
    ],
)
def test_extract_targets_reads_numbers_and_what_they_count(
    result: str, expected: list[Target]
) -> None:
    assert extract_targets(result) == expected


@pytest.mark.parametrize(
    "result",
    [
        "внесены изменения в постановление от 30.08.2023 № 63-кдн",
        "утверждена программа на 2025-2026 г.г.",
        "письмо от 14.01.2025 № с-75-43",
    ],
)
def test_dates_years_and_document_numbers_are_not_targets(result: str) -> None:
    assert extract_targets(result) == []


def test_parse_number_reads_russian_notation() -> None:
    assert parse_number("2 211") == 2211
    assert parse_number("2\u00a0594") == 2594
    assert parse_number("0,98") == 0.98
    assert parse_number("70 тыс.") == 70000
