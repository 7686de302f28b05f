"""How dates, periods and counts read in Russian, for messages, reports and run names."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from roadmap.periods import Period

_MONTHS_GEN = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_MONTHS_NOM = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
_QUARTERS = ("I", "II", "III", "IV")


def date_ru(day: dt.date) -> str:
    """«7 апреля 2025»."""
    return f"{day.day} {_MONTHS_GEN[day.month - 1]} {day.year}"


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """«1 рабочий день», «3 рабочих дня», «11 рабочих дней»: the form for ``n``."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def working_days_ru(n: int) -> str:
    return f"{n} {plural_ru(n, 'рабочий день', 'рабочих дня', 'рабочих дней')}"


def period_ru(p: Period) -> str:
    """«март 2025», «II квартал 2025», «1 полугодие 2025», «2025 год», «апрель – декабрь 2025»."""
    f, last = p.first, p.last
    if f == last:
        return f"{_MONTHS_NOM[f.month - 1]} {f.year}"
    if f.year == last.year:
        if f.month == 1 and last.month == 12:
            return f"{f.year} год"
        if last.month - f.month == 5 and f.month in (1, 7):
            return f"{1 if f.month == 1 else 2} полугодие {f.year}"
        if last.month - f.month == 2 and f.month % 3 == 1:
            return f"{_QUARTERS[f.month // 3]} квартал {f.year}"
        return f"{_MONTHS_NOM[f.month - 1]} – {_MONTHS_NOM[last.month - 1]} {f.year}"
    if f.month == 1 and last.month == 12:
        return f"{f.year}–{last.year} годы"
    return f"{_MONTHS_NOM[f.month - 1]} {f.year} – {_MONTHS_NOM[last.month - 1]} {last.year}"


def number_ru(value: float) -> str:
    """«2 211», «2,5»: thousands by a non-breaking space, a decimal comma, no trailing zeros."""
    text = f"{value:,.1f}" if not float(value).is_integer() else f"{value:,.0f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def percent_ru(share: float, *, signed: bool = False) -> str:
    """A share as «80,0 %» (or «+1,5 %» with ``signed``)."""
    text = f"{share * 100:+.1f}" if signed else f"{share * 100:.1f}"
    return text.replace(".", ",") + "\u00a0%"


# Letters follow the conventions officials expect: «31 марта 2025 г.» for a date in text,
# «I квартал 2025 года», «II полугодие 2026 года», «2025 год», «январь 2025 г.»,
# «январь – март 2025 г.», «2025–2026 годы» for periods (never codes such as 2025-Q1).
_ROMAN_HALVES = ("I", "II")


def date_text_ru(day: dt.date) -> str:
    """A date as a letter writes it: «31 марта 2025 г.»."""
    return f"{day.day} {_MONTHS_GEN[day.month - 1]} {day.year} г."


def period_text_ru(p: Period) -> str:
    """A period as a letter writes it: «январь 2025 г.», «I квартал 2025 года»,
    «II полугодие 2026 года», «2025 год», «январь – март 2025 г.», «2025–2026 годы»,
    «октябрь 2025 г. – декабрь 2026 г.».

    Each form also reads after «за» («за I квартал 2025 года», «за 2025–2026 годы»).
    """
    f, last = p.first, p.last
    if f == last:
        return f"{_MONTHS_NOM[f.month - 1]} {f.year} г."
    if f.year == last.year:
        if f.month == 1 and last.month == 12:
            return f"{f.year} год"
        if last.month - f.month == 5 and f.month in (1, 7):
            return f"{_ROMAN_HALVES[f.month // 7]} полугодие {f.year} года"
        if last.month - f.month == 2 and f.month % 3 == 1:
            return f"{_QUARTERS[f.month // 3]} квартал {f.year} года"
        return f"{_MONTHS_NOM[f.month - 1]} – {_MONTHS_NOM[last.month - 1]} {f.year} г."
    if f.month == 1 and last.month == 12:
        return f"{f.year}–{last.year} годы"
    return f"{_MONTHS_NOM[f.month - 1]} {f.year} г. – {_MONTHS_NOM[last.month - 1]} {last.year} г."


Gender = Literal["f", "m"]

# Patronymic endings: -овна/-евна/-ична/-инична are a woman's, -ович/-евич/-ич a man's;
# Turkic patronymics are two words, the second «кызы»/«гызы» (daughter) or «оглы»/«улы» (son).
_FEMALE_ENDINGS = ("овна", "евна", "ична")
_MALE_ENDINGS = ("ович", "евич", "ич")
_TURKIC: dict[str, Gender] = {"кызы": "f", "гызы": "f", "оглы": "m", "улы": "m"}


def address_ru(full_name: str) -> tuple[str, Gender] | None:
    """How a letter addresses a person, from the full name: («Вера Михайловна», "f").

    The patronymic is found by its ending, so both «Вера Михайловна Кузнецова» and
    «Кузнецова Вера Михайловна» give «Вера Михайловна»; the first name is the word before
    it. None when the name has no recognisable patronymic or fewer than three words (the
    contacts file may then give the salutation itself).
    """
    words = full_name.split()
    if len(words) < 3:  # name, patronymic and surname: two words may be a name and a surname
        return None
    for i, word in enumerate(words):
        if i == 0:
            continue
        lower = word.lower()
        if lower in _TURKIC and i >= 2:
            return f"{words[i - 2]} {words[i - 1]} {word}", _TURKIC[lower]
        if len(lower) < 5:
            continue
        if lower.endswith(_FEMALE_ENDINGS):
            return f"{words[i - 1]} {word}", "f"
        if lower.endswith(_MALE_ENDINGS):
            return f"{words[i - 1]} {word}", "m"
    return None


# The ladder's recipients as people call them.
ROLE_RU = {
    "executor": "исполнитель",
    "head": "руководитель",
    "coordinator": "координатор",
    "curator": "региональный куратор",
    "commission": "секретарь комиссии",
}
