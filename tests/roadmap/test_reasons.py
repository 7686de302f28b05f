"""Shortfalls in words and the act letters cite, as literal cases."""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap.program.model import Approval
from roadmap.reports.reasons import Shortfall


@pytest.mark.parametrize(
    ("shortfall", "text"),
    [
        (
            Shortfall("5.16", "Обучение специалистов", "не выполнено", None, None),
            "5.16. Обучение специалистов — не выполнено: причины не представлены.",
        ),
        (
            Shortfall("3.5", "Оснащение служб", "не выполнено", "Задержка поставки.", None),
            "3.5. Оснащение служб — не выполнено: причины — задержка поставки; "
            "принятые меры — не указаны.",
        ),
        (
            Shortfall(
                "1.5",
                "Количество детей, возвращенных в кровную семью",
                "плановое значение не достигнуто",
                "КДНиЗП не провела\nзаседание.",
                "Заседание назначено на 12.08.2025.",
            ),
            "1.5. Количество детей, возвращенных в кровную семью — плановое значение не "
            "достигнуто: причины — КДНиЗП не провела заседание; принятые меры — заседание "
            "назначено на 12.08.2025.",
        ),
    ],
)
def test_a_shortfall_reads_with_its_reasons_or_says_none_came(
    shortfall: Shortfall, text: str
) -> None:
    assert shortfall.text() == text


def test_the_approving_act_is_cited_with_its_details_and_the_reporting_clause() -> None:
    act = Approval(
        act="постановлением комиссии по делам несовершеннолетних и защите их прав края",
        date=dt.date(2025, 3, 12),
        number="17-кдн",
        reporting_clause="исполнители направляют информацию (отчет) не позднее 10 февраля.",
    )
    assert act.citation("Региональная программа") == (
        "Основание: Региональная программа, утверждённая постановлением комиссии по делам "
        "несовершеннолетних и защите их прав края от 12.03.2025 № 17-кдн. Согласно Программе "
        "исполнители направляют информацию (отчет) не позднее 10 февраля."
    )
    bare = Approval(act="постановлением правительства края")
    assert bare.citation("Программа") == (
        "Основание: Программа, утверждённая постановлением правительства края."
    )
