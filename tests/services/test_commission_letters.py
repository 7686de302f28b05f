"""The request for agenda items, as a ministry official reads it."""

from __future__ import annotations

import datetime as dt

from roadmap.program.model import Program
from services.commission import agenda_request_lines, commission_of_program


def test_the_agenda_request_asks_for_a_reply_not_for_a_tool(program: Program) -> None:
    lines = agenda_request_lines(commission_of_program(program), dt.date(2025, 6, 23))
    text = " ".join(lines)
    assert "до 23 июня 2025" in text and "ответом на это письмо" in text
    for tool in ("Prefect", "roadmap", "agenda add", "команд"):
        assert tool not in text, tool
