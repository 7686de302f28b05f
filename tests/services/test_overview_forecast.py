"""The overview artifact shows the early warning: the headline indicator's forecast."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from roadmap.program.model import Program
from roadmap.views.overview import overview_markdown
from services.overview import overview_on
from tests.db import at
from tests.services.test_early_warning import give_month, runtime


def test_the_overview_carries_the_headline_forecast(
    with_contacts: Engine, program: Program
) -> None:
    for i in range(11):
        give_month(with_contacts, program, f"2025-{i + 1:02d}", 2211 + (i % 3))
    rt = runtime(with_contacts, program, "2025-11-02")
    text = overview_markdown(overview_on(rt, at("2025-11-02").date()))
    rows = [line for line in text.splitlines() if line.startswith("| 1.1 |")]
    # eleven months: less than the year the program judges from; the row names the next
    # checkpoint with a target (2025 год, 2 027), as a row with a projection does
    assert len(rows) == 1 and "2025 год" in rows[0] and "2\u00a0027" in rows[0]
    assert "недостаточно данных" in rows[0]

    give_month(with_contacts, program, "2025-12", 2213)
    rt = runtime(with_contacts, program, "2025-12-02")
    ov = overview_on(rt, at("2025-12-02").date())
    assert [f.code for f in ov.forecasts][:1] == ["1.1"]
    text = overview_markdown(ov)
    assert "## Прогноз достижения ключевых показателей" in text
    rows = [line for line in text.splitlines() if line.startswith("| 1.1 |")]
    # the next checkpoint (2025 год, 2 027) and the program's end (1 658)
    assert len(rows) == 2 and "2025 год" in rows[0] and "2\u00a0027" in rows[0]
    assert "1\u00a0658" in rows[1] and "высокий риск недостижения" in rows[1]
    assert "| Контрольная точка |" in text and "| Вероятность достижения |" in text
