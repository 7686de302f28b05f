"""Terms («Сроки реализации») of road-map activities, read into periods, recurrences and deadlines.

A term is parsed without the program: «постоянно» and «ежемесячно» stay open-ended here and
are bounded by the program span, and deadlines are dated by the program's conventions and
calendar, when obligations are expanded (``term_dates.py``). The forms, one rule each, are
in ``term_rules.py``; how they combine:

1. A month, month range, quarter, half-year, quarter range or year: one period.
   «апрель 2025», «январь - март 2025», «3 кв. 2025», «II полугодие 2026 года», «11.2025»,
   «I квартал - IV квартал 2025», «в течение 2025 года».
2. Several periods, separated by «;» or only a space: one period each.
   «декабрь 2025; декабрь 2026», «июнь 2025 июнь 2026».
3. A long range or a continuous term: one period over the range.
   «январь 2025 – декабрь 2026», «2025–2026 гг.», «постоянно».
4. Recurring terms, bounded by the term's own range when it gives one
   («2025-2026, (не реже 1 раз в квартал)»): «ежемесячно», «ежеквартально»,
   «один раз в полгода», «ежегодно», «Ежегодно (II квартал)», «IV квартал ежегодно».
6. Notes: a bracket with nothing date-like in it («(по отдельному плану)»), and without
   brackets only the known phrases («ежегодно по отдельному плану»). They move no date.
7. A deadline the term states belongs to the item before it («ежемесячно, до 10-го числа
   месяца, следующего за отчетным», «сентябрь 2025 (до 20 сентября)»); a date alone is an
   item of its own («до 15 октября 2025 года»).
8. A term counted from an event («в 30-дневный срок») is read, and dated only where the
   program says a person sets the date (``term_dates.py``).

A bracket holding a period or a deadline narrows or dates the item before it («ежегодно
(октябрь)», «2026 (I квартал)»); a bracket holding anything date-like that no rule reads is
refused. Anything else raises ``InvalidTerm``: a term is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from roadmap.dates.periods import Month, Period
from roadmap.errors import InvalidPeriod, InvalidTerm, Location
from roadmap.terms.model import (
    AfterPeriod,
    ByDate,
    DayOfMonth,
    Deadline,
    EventRelative,
    Every,
    Fixed,
    InYear,
    Item,
    OnDate,
    PartOfYearAfter,
    Recurring,
    Term,
    YearPart,
)
from roadmap.terms.rules import RULES, Several, ThenYearly, Token, is_date_like, nearest_rule

__all__ = [
    "AfterPeriod",
    "ByDate",
    "DayOfMonth",
    "Deadline",
    "EventRelative",
    "Fixed",
    "InYear",
    "Item",
    "OnDate",
    "PartOfYearAfter",
    "Recurring",
    "Term",
    "normalize_text",
    "parse_deadline",
    "parse_term",
    "read_activity_term",
]

# Phrases that are notes even without brackets (rule 6), and in brackets though they speak
# of an event: «постоянно (по факту поступления ребенка)» in the first program's road map says
# how the work goes, not when it is due.
_KNOWN_NOTES = re.compile(
    r"по отдельному (?:плану|графику)|в соответствии с медиа-?планом|по факту поступления ребенка"
)
_SEPARATORS = " ,."


def normalize_text(text: str) -> str:
    """Collapse whitespace (line wraps of the Word table) to single spaces and strip."""
    return " ".join(text.split())


def _normalize(text: str) -> str:
    s = normalize_text(text).lower().replace("ё", "е")
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    return s.rstrip(" .")


def parse_term(text: str, location: Location | None = None) -> Term:
    """Read a term into its periods, recurrences, deadlines and notes.

    Args:
        text: the term exactly as the road map gives it.
        location: where the term sits, carried by the error.

    Raises:
        InvalidTerm: the term fits no rule (the message says which part could not be read).
    """
    reading = _Reading(normalize_text(text), location)
    s = _normalize(text)
    if not s:
        raise InvalidTerm("срок не указан", location)
    for token, start, end, bracket in _scan(s, reading):
        if bracket:
            reading.qualify(token, s[start:end])
        else:
            reading.take(token, s[start:end])
    return reading.finish()


def read_activity_term(
    text: str, location: Location | None = None, *, person_sets_due: bool = False
) -> Term:
    """An activity's term: ``parse_term``, except that on an activity whose due date a person
    sets (``due_set_by_person``) a term no rule reads is read as counted from an event: one
    obligation over the span that a person dates (rule 8), the refusal kept as its note.

    Raises:
        InvalidTerm: the term cannot be read and the activity is not marked.
    """
    try:
        return parse_term(text, location)
    except InvalidTerm as exc:
        if not person_sets_due:
            raise
        return Term(text=text, items=(EventRelative(normalize_text(text)),), notes=(exc.message,))


def parse_deadline(text: str, location: Location | None = None) -> Deadline:
    """Read a phrase that is only a deadline («не позднее 5-го рабочего дня месяца, …»).

    Raises:
        InvalidTerm: the phrase is not exactly one deadline.
    """
    s = _normalize(text)
    reading = _Reading(normalize_text(text), location)
    tokens = [t for t, *_ in _scan(s, reading)] if s else []
    token = tokens[0] if len(tokens) == 1 else None
    if isinstance(token, ByDate):
        return token.due
    if isinstance(token, InYear | AfterPeriod | DayOfMonth | PartOfYearAfter):
        return token
    raise InvalidTerm(
        f"«{normalize_text(text)}» — не срок исполнения вида «до 10-го числа месяца, "
        "следующего за отчетным»",
        location,
    )


# A token, where it sits in the normalized term, and whether it was in brackets; a None
# token is a «;» between parts of the term.
Scanned = tuple[Token | None, int, int, bool]


def _scan(s: str, reading: _Reading) -> list[Scanned]:
    """The tokens of ``s`` with their spans; bracketed ones are flagged, notes taken aside."""
    out: list[Scanned] = []
    pos = 0
    while pos < len(s):
        if s[pos] in _SEPARATORS:
            pos += 1
        elif s[pos] == ";":
            out.append((None, pos, pos + 1, False))
            pos += 1
        elif s[pos] == "(":
            close = s.find(")", pos)
            if close < 0:
                raise reading.error("не закрыта скобка")
            out.extend(_bracket(s, pos + 1, close, reading))
            pos = close + 1
        elif note := _KNOWN_NOTES.match(s, pos):
            reading.note(note.group(0))
            pos = note.end()
        else:
            token, end = _match(s, pos, reading)
            if isinstance(token, Several):  # «март, октябрь 2025 г.»: one item each
                out.extend((t, pos, end, False) for t in token.items)
            else:
                out.append((token, pos, end, False))
            pos = end
    return out


def _bracket(s: str, start: int, end: int, reading: _Reading) -> list[Scanned]:
    """A bracket's tokens, to qualify the item before it; none when the bracket is a note."""
    inner = s[start:end].strip()
    if not inner:
        return []
    if _KNOWN_NOTES.fullmatch(inner) or not is_date_like(inner):
        reading.note(inner)
        return []
    try:
        tokens = _scan(inner, reading)
    except InvalidTerm as exc:
        reason = exc.message.removeprefix(f"срок «{reading.text}»: ")
        raise reading.error(
            f"в скобках «{reading.original(inner)}» говорится о сроке, но ни одно правило "
            f"этого не читает ({reason})"
        ) from None
    if any(t is None for t, *_ in tokens):
        raise reading.error(f"в скобках «{reading.original(inner)}» не должно быть «;»")
    offset = s.find(inner, start)
    return [(t, a + offset, b + offset, True) for t, a, b, _ in tokens]


def _match(s: str, pos: int, reading: _Reading) -> tuple[Token, int]:
    for rule in RULES:
        m = rule.pattern.match(s, pos)
        if m and (m.end() == len(s) or not s[m.end()].isalnum()):
            try:
                return rule.make(m), m.end()
            except InvalidPeriod as exc:
                raise reading.error(
                    f"{exc.message} (правило «{rule.title}», например «{rule.example}»)"
                ) from None
    unread = s[pos:]
    near = nearest_rule(unread)
    raise reading.error(
        f"не прочитаны слова «{reading.original(unread)}»; ближе всего к ним правило "
        f"«{near.title}»: напишите срок так, как его читает правило, например «{near.example}»"
    )


class _Reading:
    """What has been read of one term so far: its items and notes."""

    def __init__(self, text: str, location: Location | None) -> None:
        self.text = text
        self.location = location
        self.items: list[Item] = []
        self.notes: list[str] = []
        self.split = False

    def error(self, what: str) -> InvalidTerm:
        return InvalidTerm(f"срок «{self.text}»: {what}", self.location)

    def original(self, normalized_part: str) -> str:
        """The part as written in the source (case and dashes kept), found by its normal form."""
        idx = _normalize(self.text).find(normalized_part)
        if idx < 0:
            return normalized_part
        # _normalize keeps length except for the trailing strip, so indexes line up.
        return self.text[idx : idx + len(normalized_part)]

    def note(self, normalized: str) -> None:
        self.notes.append(self.original(normalized))

    def take(self, token: Token | None, words: str) -> None:
        """A token outside brackets: a new item, or a deadline for the item before it.

        A written-out date after a period dates it («2025 год, до 15 октября 2025 года»);
        after «;», a date or nothing it is an item of its own.
        """
        if token is None:
            self.split = True
            return
        if isinstance(token, YearPart):
            raise self.error(
                f"«{self.original(words)}» без года: укажите год («октябрь 2025») или "
                "периодичность («ежегодно (октябрь)»)"
            )
        follows = self.items[-1] if self.items and not self.split else None
        if isinstance(token, ThenYearly):
            self._then_yearly(words)
            return
        if isinstance(token, OnDate | InYear | AfterPeriod | DayOfMonth | PartOfYearAfter):
            if follows is None:
                raise self.error(
                    f"«{self.original(words)}»: не сказано, за какой период — укажите период "
                    "или периодичность перед сроком исполнения"
                )
            self.items[-1] = self._dated(follows, token, words)
            return
        if isinstance(token, ByDate) and isinstance(follows, Fixed | Recurring):
            self.items[-1] = self._dated(follows, token.due, words)
            return
        if isinstance(token, EventRelative):
            token = EventRelative(self.original(words).strip(" ,"))
        assert not isinstance(token, Several)  # ``_scan`` gives its items one by one
        self.items.append(token)
        self.split = False

    def qualify(self, token: Token | None, words: str) -> None:
        """A token in brackets: it narrows, bounds or dates the item before it."""
        if token is None:
            return
        if not self.items:
            raise self.error(f"скобка «{self.original(words)}» стоит раньше самого срока")
        last = self.items[-1]
        if isinstance(token, ThenYearly):
            self._then_yearly(words)
        elif isinstance(
            token, OnDate | InYear | AfterPeriod | DayOfMonth | PartOfYearAfter | ByDate
        ):
            due = token.due if isinstance(token, ByDate) else token
            self.items[-1] = self._dated(last, due, words)
        elif isinstance(token, EventRelative):
            self.items.append(EventRelative(self.original(words).strip(" ,")))
        elif isinstance(token, YearPart):
            self.items[-1] = self._narrowed(last, token, words)
        elif isinstance(token, Recurring) and isinstance(last, Fixed) and last.due is None:
            # «2025-2026, (не реже 1 раз в квартал)»: the range bounds the recurrence
            self.items[-1] = replace(token, within=last.period)
        elif isinstance(token, Fixed) and token.period is not None:
            self.items[-1] = self._within(last, token.period, words)
        else:
            raise self.error(f"скобка «{self.original(words)}» не уточняет срок перед ней")

    def _then_yearly(self, words: str) -> None:
        """«до 1 апреля 2025 г. (далее – ежегодно)»: that day each year, from the first date's."""
        last = self.items[-1] if self.items else None
        if not isinstance(last, ByDate):
            raise self.error(
                f"«{self.original(words)}» стоит не после первой даты: напишите «до 1 апреля "
                "2025 г. (далее – ежегодно)» или «ежегодно до 1 апреля»"
            )
        first = last.due.day
        self.items[-1] = Recurring(
            "year",
            Period(Month(first.year, 1), Month(first.year + _YEARS_AHEAD, 12)),
            rule=7,
            due=InYear(first.month, first.day, until=last.due.until),
        )

    def _dated(self, item: Item, due: Deadline, words: str) -> Item:
        what = self.original(words)
        if isinstance(item, ByDate | EventRelative) or item.due is not None:
            raise self.error(f"«{what}»: у этой части срока уже есть срок исполнения")
        if isinstance(due, DayOfMonth) and not _month_like(item):
            raise self.error(
                f"«{what}»: число без месяца подходит только к одному месяцу («ноябрь 2025 (до 15 "
                "числа)») или к сроку «ежемесячно»; для другого периода укажите дату полностью"
            )
        if isinstance(due, PartOfYearAfter) and not _yearly_like(item):
            raise self.error(
                f"«{what}» подходит только к сроку «ежегодно» или к году («2025 год (в I "
                "квартале года, следующего за отчетным)»)"
            )
        if isinstance(item, Recurring):
            if isinstance(due, OnDate):
                raise self.error(f"«{what}»: у повторяющегося срока не может быть одной даты")
            if isinstance(due, InYear) and item.every != "year":
                raise self.error(f"«{what}»: дата в году подходит только к сроку «ежегодно»")
            if isinstance(due, AfterPeriod) and due.after not in (None, item.every):
                raise self.error(f"«{what}» не совпадает с периодичностью срока")
        elif isinstance(due, AfterPeriod) and due.after is not None and item.period is not None:
            if _kind(item.period) != due.after:
                raise self.error(f"«{what}» не совпадает с периодом срока")
        return replace(item, due=due, rule=7)

    def _narrowed(self, item: Item, part: YearPart, words: str) -> Item:
        what = self.original(words)
        if isinstance(item, Recurring) and item.every == "year" and item.in_months is None:
            return replace(item, in_months=(part.first, part.last))
        if isinstance(item, Fixed) and item.period is not None and item.due is None:
            p = item.period
            if p.first.year == p.last.year:
                return self._within(item, _part_of(p.first.year, part), words)
            raise self.error(
                f"«{what}» без года, а срок длиннее года: напишите «ежегодно ({what})» или "
                "укажите год"
            )
        raise self.error(f"скобка «{what}» не уточняет срок перед ней")

    def _within(self, item: Item, period: Period, words: str) -> Item:
        what = self.original(words)
        if isinstance(item, Fixed) and item.due is None:
            if item.period is None or item.period.clamp(period) == period:
                rule = 3 if period.first.year != period.last.year else 1
                return Fixed(period, long=rule == 3, rule=rule)
        elif isinstance(item, Recurring) and item.due is None:
            if item.within is None or item.within.clamp(period) == period:
                return replace(item, within=period)
        else:
            raise self.error(f"скобка «{what}» не уточняет срок перед ней")
        raise self.error(f"период в скобках «{what}» выходит за срок перед скобкой")

    def finish(self) -> Term:
        items = self.items
        if not items:
            raise self.error("нет ни периода, ни периодичности")
        recurring = [i for i in items if isinstance(i, Recurring)]
        if recurring and len(items) > 1:
            raise self.error("периодичность смешана с отдельными периодами")
        events = [i for i in items if isinstance(i, EventRelative)]
        others = [i for i in items if not isinstance(i, EventRelative)]
        if events and (
            len(events) > 1 or len(others) > 1 or any(isinstance(i, ByDate) for i in others)
        ):
            raise self.error(
                f"«{events[0].phrase}»: срок от события можно дополнить только одним периодом"
            )
        return Term(text=self.text, items=tuple(items), notes=tuple(self.notes))


# «далее – ежегодно» runs to the end of the program, whichever it is: the span cuts it.
_YEARS_AHEAD = 100


def _month_like(item: Item) -> bool:
    """Whether a day of the month alone can date ``item``: one month, or «ежемесячно»."""
    if isinstance(item, Recurring):
        return item.every == "month"
    return isinstance(item, Fixed) and item.period is not None and item.period.months == 1


def _yearly_like(item: Item) -> bool:
    """Whether a part of the next year can date ``item``: «ежегодно», or one year."""
    if isinstance(item, Recurring):
        return item.every == "year"
    return isinstance(item, Fixed) and item.period is not None and _kind(item.period) == "year"


def _kind(p: Period) -> Every | None:
    """The kind of a calendar period: a month, quarter, half-year or year; else None."""
    if p.first.year != p.last.year or (p.first.month - 1) % p.months:
        return None
    kinds: dict[int, Every] = {1: "month", 3: "quarter", 6: "half", 12: "year"}
    return kinds.get(p.months)


def _part_of(y: int, part: YearPart) -> Period:
    return Period(Month(y, part.first), Month(y, part.last))
