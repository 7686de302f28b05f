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
    for i, month in enumerate(("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06")):
        give_month(with_contacts, program, month, 2211 + (i % 3))
    rt = runtime(with_contacts, program, "2025-06-02")
    ov = overview_on(rt, at("2025-06-02").date())
    assert [f.code for f in ov.forecasts][:1] == ["1.1"]
    text = overview_markdown(ov)
    assert "## Прогноз достижения ключевых показателей" in text
    rows = [line for line in text.splitlines() if line.startswith("| 1.1 |")]
    # the next checkpoint (I полугодие 2025 года, 2 211) and the program's end (1 658)
    assert len(rows) == 2 and "I полугодие 2025 года" in rows[0] and "2\u00a0211" in rows[0]
    assert "1\u00a0658" in rows[1] and "высокий риск недостижения" in rows[1]
    assert "| Контрольная точка |" in text and "| Вероятность достижения |" in text
