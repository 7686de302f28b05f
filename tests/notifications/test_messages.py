"""Templates: every obligation and step renders; values are escaped; a missing field fails."""

from __future__ import annotations

import jinja2
import pytest

from notifications.messages import ObligationView, item_context, render_digest, render_item
from roadmap.obligations import expand_obligations
from roadmap.program import Program
from roadmap.wording import date_ru

STEPS = [
    "open",
    "remind-10",
    "remind-3",
    "due",
    "overdue",
    "escalate-1",
    "escalate-2",
    "escalate-3",
]


def view(o) -> ObligationView:  # type: ignore[no-untyped-def]
    return ObligationView(id=o.id, activity=o.activity, kind=o.kind, report_kind=o.report_kind,
                          period=o.period.label, due=o.due, owners=o.owners, evidence=o.evidence)  # fmt: skip


def test_every_obligation_renders_for_every_step(program: Program) -> None:
    for o in expand_obligations(program):
        for step in STEPS:
            overdue = 5 if step in ("overdue", "escalate-1", "escalate-2", "escalate-3") else None
            r = render_item(item_context(program, view(o), step=step, recipient_name="Имя",
                                         is_copy=False, overdue_days=overdue, link=None))  # fmt: skip
            assert "\n" not in r.subject and "None" not in r.text + r.subject
            assert date_ru(o.due) in r.text and date_ru(o.due) in r.telegram


def test_report_obligations_read_as_reports(program: Program) -> None:
    o = next(x for x in expand_obligations(program) if x.report_kind == "consolidated")
    r = render_item(item_context(program, view(o), step="open", recipient_name="Имя",
                                 is_copy=False, overdue_days=None, link=None))  # fmt: skip
    assert r.subject == "Открыто обязательство: Сводный отчёт — I полугодие 2025 года"


def test_html_and_telegram_markup_in_values_is_escaped(program: Program) -> None:
    o = expand_obligations(program)[0]
    r = render_item(item_context(program, view(o), step="overdue",
                                 recipient_name='<script>alert(1)</script> & "Ко"',
                                 is_copy=False, overdue_days=1,
                                 link='https://x.example.org/i/a"><b>x</b>'))  # fmt: skip
    assert "<script>" not in r.html and "&lt;script&gt;" in r.html and "&amp;" in r.html
    assert "a&#34;&gt;&lt;b&gt;x" in r.html and "a&#34;&gt;&lt;b&gt;x" in r.telegram
    assert "<script>" in r.text  # plain text is not HTML: kept as written


def test_template_referring_to_a_missing_field_fails() -> None:
    with pytest.raises(jinja2.UndefinedError):
        render_item({"step": "open", "recipient_name": "x"})
    with pytest.raises(jinja2.UndefinedError):
        render_digest(
            [{"step": "open"}],
            recipient_name="x",
            program="p",
            day=__import__("datetime").date(2025, 1, 9),
        )
