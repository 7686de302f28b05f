"""Terms («Сроки реализации») of road-map activities, read into periods and recurrences.

A term is parsed without the program: «постоянно» and «ежемесячно» stay open-ended here
and are bounded by the program span when obligations are expanded (``obligations.py``).
The rules are those of the program's road map as the data issue states them:

1. A month, month range, quarter, quarter range or year: one period.
   «апрель 2025», «январь - март 2025», «II квартал 2025», «I квартал - IV квартал 2025»,
   «в течение 2025 года».
2. Several periods, separated by «;» or only a space: one period each.
   «декабрь 2025; декабрь 2026», «июнь 2025 июнь 2026».
3. A long range or a continuous term: one period over the range.
   «январь 2025 – декабрь 2026», «2024 - 2026», «2025-2026», «постоянно»,
   «в течение всего срока реализации Проекта». A range is *long* when it crosses a
   year boundary; continuous terms are long.
4. Recurring terms, bounded by the term's own range when it gives one
   («2025-2026, (не реже 1 раз в квартал)»): «ежемесячно», «ежеквартально»,
   «не реже 1 раза в квартал», «2 раза в год», «1 раз в полугодие», «ежегодно»,
   «Ежегодно (II квартал)», «IV квартал ежегодно».
6. Notes such as «(по отдельному плану)» are kept; they do not change the dates.
   Without brackets only the known phrases are notes («ежегодно по отдельному плану»).

Anything else raises ``InvalidTerm``: a term is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from roadmap.errors import InvalidPeriod, InvalidTerm, Location
from roadmap.periods import Month, Period, quarter, year

Every = Literal["month", "quarter", "half", "year"]


@dataclass(frozen=True)
class Fixed:
    """One obligation over ``period``; ``period`` None means the whole program span."""

    period: Period | None
    long: bool
    rule: int


@dataclass(frozen=True)
class Recurring:
    """One obligation per month, quarter, half-year or year within ``within``.

    ``within`` None means the program span; ``in_quarter`` names the quarter of a yearly
    obligation («Ежегодно (II квартал)»), None meaning the whole year.
    """

    every: Every
    within: Period | None
    in_quarter: int | None = None
    rule: int = 4


Item = Fixed | Recurring


@dataclass(frozen=True)
class Term:
    """A parsed term: what it says (``items``) and the notes it carries."""

    text: str
    items: tuple[Item, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def is_recurring(self) -> bool:
        return any(isinstance(i, Recurring) for i in self.items)


_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
_M = r"(январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья])"  # noqa: E501
_Y = r"(20\d\d)(?:\s*г\.?(?:ода?)?)?"
_Q = r"(iv|iii|ii|i|[1-4])\s*квартал[а]?"
_D = r"\s*-\s*"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Phrases that are notes even without brackets (rule 6).
_BARE_NOTES = re.compile(
    r"по отдельному (?:плану|графику)|в соответствии с медиа-?планом|по факту поступления ребенка"
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("month_range", re.compile(rf"{_M}(?:\s+{_Y})?{_D}{_M}\s+{_Y}")),
    ("quarter_range", re.compile(rf"{_Q}(?:\s+{_Y})?{_D}{_Q}\s+{_Y}")),
    ("year_range", re.compile(rf"{_Y}{_D}{_Y}")),
    ("quarter_yearly", re.compile(rf"{_Q}\s+ежегодно")),
    ("month", re.compile(rf"{_M}\s+{_Y}")),
    ("quarter", re.compile(rf"{_Q}\s+{_Y}")),
    ("in_year", re.compile(rf"в течение\s+{_Y}")),
    ("year", re.compile(rf"{_Y}")),
    (
        "continuous",
        re.compile(r"постоянно|в течение всего (?:срока|периода) реализации (?:проекта|программы)"),
    ),
    ("monthly", re.compile(r"ежемесячно")),
    ("quarterly", re.compile(r"ежеквартально|не реже\s+(?:1|одного)\s+раза?\s+в\s+квартал")),
    ("half_yearly", re.compile(r"(?:2|два)\s+раза\s+в\s+год|(?:1|один)\s+раз\s+в\s+полугодие")),
    ("yearly", re.compile(r"ежегодно")),
]
_QUALIFIER_QUARTER = re.compile(rf"^{_Q}$")


def normalize_text(text: str) -> str:
    """Collapse whitespace (line wraps of the Word table) to single spaces and strip."""
    return " ".join(text.split())


def _normalize(text: str) -> str:
    s = normalize_text(text).lower().replace("ё", "е")
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    return s.rstrip(" .")


def _month(word: str) -> int:
    for stem, number in _MONTHS.items():
        if word.startswith(stem):
            return number
    raise InvalidPeriod(f"неизвестный месяц «{word}»")  # unreachable with _M


def parse_term(text: str, location: Location | None = None) -> Term:
    """Read a term into its periods, recurrences and notes.

    Args:
        text: the term exactly as the road map gives it.
        location: where the term sits, carried by the error.

    Raises:
        InvalidTerm: the term fits no rule (the message says which part could not be read).
    """
    s = _normalize(text)
    if not s:
        raise InvalidTerm("срок не указан", location)
    items: list[Item] = []
    notes: list[str] = []
    pos = 0
    while pos < len(s):
        if s[pos] in " ;,.":
            pos += 1
            continue
        if s[pos] == "(":
            close = s.find(")", pos)
            if close < 0:
                raise InvalidTerm(f"не закрыта скобка в сроке «{normalize_text(text)}»", location)
            inner = s[pos + 1 : close].strip()
            original = normalize_text(text)
            if not _apply_qualifier(inner, items):
                notes.append(_original_slice(original, inner))
            pos = close + 1
            continue
        bare = _BARE_NOTES.match(s, pos)
        if bare:
            notes.append(_original_slice(normalize_text(text), bare.group(0)))
            pos = bare.end()
            continue
        for kind, pattern in _PATTERNS:
            m = pattern.match(s, pos)
            if m and (m.end() == len(s) or not s[m.end()].isalnum()):
                try:
                    _add_item(kind, m, items, location)
                except InvalidPeriod as exc:
                    raise InvalidTerm(
                        f"срок «{normalize_text(text)}»: {exc.message}", location
                    ) from None
                pos = m.end()
                break
        else:
            raise InvalidTerm(
                f"срок «{normalize_text(text)}» не подходит ни под одно правило "
                f"(не прочитано: «{s[pos:]}»)",
                location,
            )
    if not items:
        raise InvalidTerm(
            f"в сроке «{normalize_text(text)}» нет ни периода, ни периодичности", location
        )
    _check_combination(items, text, location)
    return Term(text=normalize_text(text), items=tuple(items), notes=tuple(notes))


def _add_item(kind: str, m: re.Match[str], items: list[Item], location: Location | None) -> None:
    g = m.groups()
    if kind == "month_range":
        first_year = int(g[1] or g[3])
        p = Period(Month(first_year, _month(g[0])), Month(int(g[3]), _month(g[2])))
        items.append(
            Fixed(p, long=p.first.year != p.last.year, rule=3 if p.first.year != p.last.year else 1)
        )
    elif kind == "quarter_range":
        first_year = int(g[1] or g[3])
        p = Period(quarter(first_year, _ROMAN[g[0]]).first, quarter(int(g[3]), _ROMAN[g[2]]).last)
        items.append(
            Fixed(p, long=p.first.year != p.last.year, rule=3 if p.first.year != p.last.year else 1)
        )
    elif kind == "year_range":
        p = Period(year(int(g[0])).first, year(int(g[1])).last)
        items.append(
            Fixed(p, long=p.first.year != p.last.year, rule=3 if p.first.year != p.last.year else 1)
        )
    elif kind == "month":
        mm = Month(int(g[1]), _month(g[0]))
        items.append(Fixed(Period(mm, mm), long=False, rule=1))
    elif kind == "quarter":
        items.append(Fixed(quarter(int(g[1]), _ROMAN[g[0]]), long=False, rule=1))
    elif kind in ("in_year", "year"):
        items.append(Fixed(year(int(g[0])), long=False, rule=1))
    elif kind == "continuous":
        items.append(Fixed(None, long=True, rule=3))
    elif kind == "monthly":
        items.append(Recurring("month", None))
    elif kind == "quarterly":
        items.append(Recurring("quarter", None))
    elif kind == "half_yearly":
        items.append(Recurring("half", None))
    elif kind == "yearly":
        items.append(Recurring("year", None))
    elif kind == "quarter_yearly":
        items.append(Recurring("year", None, in_quarter=_ROMAN[g[0]]))
    else:  # pragma: no cover - the pattern table and this function change together
        raise AssertionError(kind)


def _apply_qualifier(inner: str, items: list[Item]) -> bool:
    """A bracket that refines the previous item; False if it is a plain note.

    «Ежегодно (II квартал)» names the quarter of a yearly obligation;
    «2025-2026, (не реже 1 раз в квартал)» makes the range a bounded recurrence.
    """
    if not items:
        return False
    last = items[-1]
    q = _QUALIFIER_QUARTER.match(inner)
    if q and isinstance(last, Recurring) and last.every == "year" and last.in_quarter is None:
        items[-1] = Recurring("year", last.within, in_quarter=_ROMAN[q.group(1)])
        return True
    for kind, every in (
        ("quarterly", "quarter"),
        ("half_yearly", "half"),
        ("monthly", "month"),
        ("yearly", "year"),
    ):
        pattern = dict(_PATTERNS)[kind]
        m = pattern.fullmatch(inner)
        if m and isinstance(last, Fixed):
            items[-1] = Recurring(every, last.period)  # type: ignore[arg-type]
            return True
    return False


def _check_combination(items: list[Item], text: str, location: Location | None) -> None:
    recurring = [i for i in items if isinstance(i, Recurring)]
    if recurring and len(items) > 1:
        raise InvalidTerm(
            f"срок «{normalize_text(text)}» смешивает периодичность с отдельными периодами",
            location,
        )


def _original_slice(original: str, normalized_part: str) -> str:
    """The note as written in the source (case and dashes kept), found by its normalized form."""
    norm = _normalize(original)
    idx = norm.find(normalized_part)
    if idx < 0:
        return normalized_part
    # _normalize keeps length except for the trailing strip, so indexes line up.
    return original[idx : idx + len(normalized_part)]
