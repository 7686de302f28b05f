"""What a run did, in Russian sentences for its log: reminders and to whom, what is overdue,
what the run waits for. Plain functions of the run's results (no Prefect), tested alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from notifications.planning import PlanReport, Unreached
from roadmap.dates.periods import parse_period
from roadmap.errors import InvalidPeriod
from roadmap.obligations.keys import ObligationId
from roadmap.program.model import LadderStep, Program
from roadmap.program.preview import period_words
from roadmap.views.overview import Overview, obligations_ru
from roadmap.words.wording import working_days_ru

SHOWN = 10  # obligations named per step; the rest are counted

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


def obligation_words(obligation_id: str) -> str:
    """«6.1 за февраль 2025 г.», «отчёт за I полугодие 2025 года»: an obligation by its
    activity (or report) and period, as a person reads it."""
    ob = ObligationId.parse(obligation_id)
    try:
        period = period_words(parse_period(ob.period))
    except InvalidPeriod:
        return ob.local
    what = "отчёт" if ob.activity == "report" else ob.activity
    return f"{what} за {period}"


def ladder_lines(
    program: Program, plan: PlanReport, owners: dict[str, tuple[str, ...]]
) -> list[str]:
    """One line per ladder step taken: which step, for which obligations, owed by whom
    (the first ``SHOWN`` of them)."""
    steps = {s.step: s for s in program.ladder}
    by_step: dict[str, list[str]] = {}
    for obligation, step in plan.steps:
        what = obligation_words(obligation)
        who = _owners(program, obligation, owners) if obligation in owners else ""
        by_step.setdefault(step, []).append(f"{what} ({who})" if who else what)
    lines = []
    for step, items in by_step.items():
        words = step_words(steps[step]) if step in steps else step
        more = f"; и ещё {len(items) - SHOWN}" if len(items) > SHOWN else ""
        lines.append(
            f"{words.capitalize()}: {len(items)} — " + "; ".join(items[:SHOWN]) + more + "."
        )
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


def unreached_line(
    unaddressed: Sequence[Unreached], owners: dict[str, tuple[str, ...]], program: Program
) -> str | None:
    """Whom the run could not write to for want of a contact, and about what; or None.

    Such a step stays due: it goes out once a contact exists (``roadmap contacts load``).
    """
    if not unaddressed:
        return None
    orgs = dict.fromkeys(
        o for u in unaddressed for o in (u.orgs or owners.get(u.obligation_id, ()))
    )
    names = ", ".join(program.orgs[o].short_name if o in program.orgs else o for o in orgs)
    what = "; ".join(obligation_words(u.obligation_id) for u in unaddressed[:SHOWN])
    more = f"; и ещё {len(unaddressed) - SHOWN}" if len(unaddressed) > SHOWN else ""
    return (
        f"Нет контактов, сообщения не записаны: {names or 'получатели не найдены'} ({what}{more}). "
        "Они будут направлены, как только появятся контакты."
    )


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
