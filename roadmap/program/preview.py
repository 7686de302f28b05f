"""What a term phrase gives in a program, in the words a methodologist checks (`roadmap term`).

The periods read as in official documents («I квартал 2025 года», «2025–2026 годы»), each
with the rule that dated it and the program's conventions that decided its due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roadmap.dates.periods import Period
from roadmap.dates.workdays import WorkCalendar
from roadmap.program.dating import Dated, date_term
from roadmap.program.model import Conventions, Program
from roadmap.terms.model import EventRelative
from roadmap.terms.reading import read_activity_term
from roadmap.words.wording import period_ru

RULE_WORDS = {
    1: "период в пределах календарного года: срок — последний рабочий день его последнего месяца",
    2: "несколько периодов в одном сроке: по обязательству на каждый, срок — последний "
    "рабочий день его последнего месяца",
    3: "длительный или постоянный срок: одно обязательство на весь период в пределах срока "
    "программы, срок — его последний рабочий день",
    4: "периодичность: по обязательству на каждый месяц, квартал, полугодие или год; срок — "
    "последний рабочий день периода, для ежемесячных — по правилу программы",
    7: "срок исполнения указан в тексте",
    8: "срок отсчитывается от события: дату устанавливает ответственный "
    "(roadmap due set), напоминания — после этого",
}


def period_words(p: Period) -> str:
    """A period in words, as officials write it (``roadmap.words.wording.period_ru``)."""
    return period_ru(p)


def convention_words(name: str, conventions: Conventions) -> str:
    """What a convention says, in words, with its value as the program file spells it."""
    if name == "monthly_due":
        return f"срок ежемесячного обязательства: «{conventions.monthly_due}» (monthly_due)"
    if name == "until":
        if conventions.until == "the_date":
            return "«до <даты>»: сама дата ещё в срок (until: the_date)"
        return "«до <даты>»: последний день срока — накануне этой даты (until: day_before)"
    if conventions.day_off == "forward":
        return (
            "дата, выпавшая на нерабочий день, переносится на следующий рабочий день, "
            "ст. 193 ГК РФ (day_off: forward)"
        )
    return (
        "дата, выпавшая на нерабочий день, переносится на предыдущий рабочий день "
        "(day_off: backward)"
    )


@dataclass(frozen=True)
class TermPreview:
    """A phrase read in a program: the obligations it gives and how each was dated."""

    text: str
    program: Program
    notes: tuple[str, ...]
    lines: tuple[Dated, ...]
    # the phrases counted from an event: a person sets their due date (rule 8)
    events: tuple[str, ...] = ()

    @property
    def event_words(self) -> str | None:
        """What a term counted from an event means for the activity, in words; else None."""
        if not self.events:
            return None
        said = ", ".join(f"«{e}»" for e in self.events)
        return (
            f"{said} отсчитывается от события, даты которого программа не знает: срок "
            "исполнения устанавливает ответственный (roadmap due set), мероприятие отмечается "
            "due_set_by_person: true"
        )

    @property
    def conventions_used(self) -> tuple[str, ...]:
        names: list[str] = []
        for line in self.lines:
            names.extend(n for n in line.conventions if n not in names)
        return tuple(names)

    @property
    def rules_used(self) -> tuple[int, ...]:
        return tuple(sorted({line.rule for line in self.lines}))

    def to_json(self) -> dict[str, object]:
        """The stable JSON form (`roadmap term --json`)."""
        conv = self.program.conventions
        return {
            "term": self.text,
            "program": self.program.id,
            "span": self.program.span_period.label,
            "notes": list(self.notes),
            "counted_from_event": list(self.events),
            "obligations": [
                {
                    "period": line.period.label,
                    "period_words": period_words(line.period),
                    "opens": line.opens.isoformat(),
                    "due": _iso(line.due),
                    "written": _iso(line.written),
                    "rule": line.rule,
                    "conventions": {n: getattr(conv, n) for n in line.conventions},
                }
                for line in self.lines
            ],
            "rules": {str(n): RULE_WORDS[n] for n in self.rules_used},
            "conventions": {n: convention_words(n, conv) for n in self.conventions_used},
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def preview_term(
    text: str, program: Program, cal: WorkCalendar, *, person_sets_due: bool = False
) -> TermPreview:
    """What ``text`` gives as an activity's term in ``program``.

    Args:
        person_sets_due: read it as an activity marked ``due_set_by_person``.

    Raises:
        InvalidTerm: the refusal, in the words `roadmap validate` would use.
    """
    lines = date_term(text, program, cal, person_sets_due=person_sets_due)
    term = read_activity_term(text, person_sets_due=person_sets_due)
    events = tuple(i.phrase for i in term.items if isinstance(i, EventRelative))
    return TermPreview(text, program, term.notes, tuple(lines), events)
