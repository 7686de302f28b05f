"""What a run did, in Russian sentences for its log: reminders and to whom, what is overdue,
what the run waits for. Plain functions of the run's results (no Prefect), tested alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from notifications.planning import PlanReport
from roadmap.overview import Overview, obligations_ru
from roadmap.program import LadderStep, Program
from roadmap.wording import working_days_ru

ROLE_DATIVE = {
    "executor": "исполнителю",
    "head": "руководителю",
    "coordinator": "координатору",
    "curator": "куратору",
    "commission": "секретарю комиссии",
}


def step_words(step: LadderStep) -> str:
    """A ladder step as a coordinator reads it: «напоминание за 3 рабочих дня до срока»."""
    if step.offset is None:
        return "извещение об открытии"
    if step.offset < 0:
        return f"напоминание за {working_days_ru(-step.offset)} до срока"
    if step.offset == 0:
        return "напоминание в день срока"
    to = ", ".join(ROLE_DATIVE.get(r, r) for r in step.to)
    copy = f" (копия {', '.join(ROLE_DATIVE.get(r, r) for r in step.cc)})" if step.cc else ""
    return f"через {working_days_ru(step.offset)} после срока — {to}{copy}"


def _owners(program: Program, obligation_id: str, owners: dict[str, tuple[str, ...]]) -> str:
    names = (program.orgs[o].short_name if o in program.orgs else o for o in owners[obligation_id])
    return ", ".join(names)


def ladder_lines(
    program: Program, plan: PlanReport, owners: dict[str, tuple[str, ...]]
) -> list[str]:
    """One line per ladder step taken: which step, for which obligations, owed by whom."""
    steps = {s.step: s for s in program.ladder}
    by_step: dict[str, list[str]] = {}
    for obligation, step in plan.steps:
        short = obligation.split(":", 1)[1]
        who = _owners(program, obligation, owners) if obligation in owners else ""
        by_step.setdefault(step, []).append(f"{short} ({who})" if who else short)
    lines = []
    for step, items in by_step.items():
        words = step_words(steps[step]) if step in steps else step
        lines.append(f"Шаг «{words}»: {len(items)} — " + "; ".join(items) + ".")
    return lines


def recipients_line(sent: Sequence[tuple[str, str]], program: Program) -> str:
    """«Отправлено сообщений: 3 — Иванова А. П. (Минсоцполитики края) — 2, …»."""
    if not sent:
        return "Сообщений не отправлено."
    counts = Counter(sent)
    people = ", ".join(
        f"{name} ({program.orgs[org].short_name if org in program.orgs else org}) — {n}"
        for (name, org), n in counts.most_common()
    )
    return f"Отправлено сообщений: {len(sent)}: {people}."


def unreached_line(unaddressed: Iterable[tuple[str, str]], program: Program) -> str | None:
    """Whom a step could not reach for want of a contact, or None."""
    orgs = sorted({o.split(":", 1)[1] for o, _ in unaddressed})
    if not orgs:
        return None
    names = ", ".join(program.orgs[o].short_name if o in program.orgs else o for o in orgs)
    return f"Нет контактов, сообщения не записаны: {names}."


def overview_lines(ov: Overview) -> list[str]:
    """What is overdue, by answering body, and how much falls due soon."""
    late = [s for s in ov.sections if s.overdue]
    if not late:
        lines = ["Просроченных обязательств нет."]
    else:
        parts = ", ".join(f"{s.name} — {len(s.overdue)}" for s in late)
        lines = [f"Просрочено {obligations_ru(ov.overdue)}: {parts}."]
    n = len(ov.ahead)
    lines.append(
        f"До {ov.horizon:%d.%m.%Y} наступает срок: {obligations_ru(n)}."
        if n
        else f"До {ov.horizon:%d.%m.%Y} сроков нет."
    )
    return lines
