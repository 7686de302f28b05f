"""What a run says it did: ladder steps, obligations and recipients in words."""

from __future__ import annotations

import pytest

from flows.journal import (
    ladder_lines,
    obligation_words,
    recipients_line,
    step_words,
    unreached_line,
)
from notifications.planning import PlanReport, Unreached
from roadmap.program.model import Program


@pytest.mark.parametrize(
    ("step", "words"),
    [
        ("open", "извещение об открытии"),
        ("remind-10", "напоминание за 10 рабочих дней до срока"),
        ("remind-3", "напоминание за 3 рабочих дня до срока"),
        ("due", "напоминание в день срока"),
        ("overdue", "через 1 рабочий день после срока — исполнителю"),
        ("escalate-1", "через 5 рабочих дней после срока — руководителю (копия координатору)"),
        ("escalate-2", "через 10 рабочих дней после срока — куратору"),
        ("escalate-3", "через 20 рабочих дней после срока — секретарю комиссии"),
    ],
)
def test_each_ladder_step_reads_in_words(program: Program, step: str, words: str) -> None:
    assert step_words(next(s for s in program.ladder if s.step == step)) == words


@pytest.mark.parametrize(
    ("obligation", "words"),
    [
        ("p:6.1:2025-02", "6.1 за февраль 2025\u00a0г."),
        ("p:2.1:2025-Q2", "2.1 за II квартал 2025 года"),
        ("p:report:minsoc:2025-H1", "отчёт за I полугодие 2025 года"),
        ("p:1.1:2025..2026", "1.1 за 2025–2026 годы"),
    ],
)
def test_obligations_are_named_by_activity_and_period_in_words(obligation: str, words: str) -> None:
    assert obligation_words(obligation) == words


def test_a_steps_line_names_ten_obligations_and_counts_the_rest(program: Program) -> None:
    ids = [f"p:6.1:2025-{m:02d}" for m in range(1, 13)]
    plan = PlanReport(steps=[(i, "remind-3") for i in ids])
    (line,) = ladder_lines(program, plan, {ids[0]: ("minsoc", "minobr")})
    assert line.startswith(
        "Напоминание за 3 рабочих дня до срока: 12 — 6.1 за январь 2025\u00a0г. "
        "(Минсоцполитики края, Минобразования края); 6.1 за февраль 2025\u00a0г.; "
    )
    assert line.endswith("6.1 за октябрь 2025\u00a0г.; и ещё 2.")


def test_recipients_and_the_unreached_are_said_by_name(program: Program) -> None:
    sent = [("Анна Петровна Иванова", "minsoc")] * 2 + [("Татьяна Юрьевна Козлова", "minzdrav")]
    assert recipients_line(sent, program) == (
        "Отправлено сообщений: 3: Анна Петровна Иванова (Минсоцполитики края) — 2, "
        "Татьяна Юрьевна Козлова (Минздрав края) — 1."
    )
    assert recipients_line([], program) == "Сообщений не отправлено."
    owners = {"p:6.1:2025-02": ("minsoc", "minzdrav"), "p:1.5:2025-H1": ("minzdrav",)}
    unaddressed = [
        Unreached("p:6.1:2025-02", "overdue", owners["p:6.1:2025-02"], ("executor",)),
        Unreached("p:1.5:2025-H1", "remind-3", owners["p:1.5:2025-H1"], ("executor",)),
    ]
    assert unreached_line(unaddressed, owners, program) == (
        "Нет контактов, сообщения не записаны: Минсоцполитики края, Минздрав края "
        "(6.1 за февраль 2025\u00a0г.; 1.5 за I полугодие 2025 года). "
        "Они будут направлены, как только появятся контакты."
    )
    assert unreached_line([], owners, program) is None
