"""How dates, periods and counts read in Russian, for messages, reports and run names.

The forms are those official documents use: «1 августа 2025 г.», «I полугодие 2025 года»,
«II квартал 2025 года», «2025 год», «январь 2025 г.», «январь – март 2025 г.»,
«2025–2026 годы»; thousands by a non-breaking space and a decimal comma; counts agreeing
with their nouns («1 обязательство, 2 обязательства, 5 обязательств»).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from roadmap.dates.periods import Period

_MONTHS_GEN = tuple(
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
)
_MONTHS_NOM = tuple(
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь".split()
)
# Months abbreviated as charts and tables abbreviate them.
_MONTHS_SHORT = tuple("янв. февр. март апр. май июнь июль авг. сент. окт. нояб. дек.".split())
_ROMAN = ("I", "II", "III", "IV")
# «2025 г.» never parts at a line's end: the year and its mark are joined by a no-break space
_YEAR = "\u00a0г."


def date_ru(day: dt.date) -> str:
    """«7 апреля 2025 г.»: a date in text (a no-break space before «г.»)."""
    return f"{day.day} {_MONTHS_GEN[day.month - 1]} {day.year}{_YEAR}"


def sentence(text: str) -> str:
    """``text`` closed with a full stop, once: «… 2025 г.» stays as it is."""
    return text if text.endswith(".") else text + "."


def month_short_ru(day: dt.date) -> str:
    """«янв. 2025»: a month on a chart's axis."""
    return f"{_MONTHS_SHORT[day.month - 1]} {day.year}"


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """«1 рабочий день», «3 рабочих дня», «11 рабочих дней»: the form for ``n``."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count_ru(n: int, one: str, few: str, many: str) -> str:
    """«1 обязательство», «2 обязательства», «5 обязательств»: the number and its noun."""
    return f"{number_ru(n)} {plural_ru(n, one, few, many)}"


def working_days_ru(n: int) -> str:
    return f"{n} {plural_ru(n, 'рабочий день', 'рабочих дня', 'рабочих дней')}"


def basis_ru(period: Period | None, as_of: dt.date) -> str:
    """What a count of obligations counts: «обязательства за I полугодие 2025 года со сроком
    по 1 августа 2025 г. включительно», or «… с начала программы …» without a period."""
    span = f"за {period_ru(period)}" if period is not None else "с начала программы"
    return f"обязательства {span} со сроком по {date_ru(as_of)} включительно"


def period_ru(p: Period) -> str:
    """«март 2025 г.», «II квартал 2025 года», «I полугодие 2025 года», «2025 год»,
    «апрель – декабрь 2025 г.», «2025–2026 годы», «октябрь 2025 г. – март 2026 г.»."""
    f, last = p.first, p.last
    if f == last:
        return f"{_MONTHS_NOM[f.month - 1]} {f.year}{_YEAR}"
    if f.year == last.year:
        if f.month == 1 and last.month == 12:
            return f"{f.year} год"
        if last.month - f.month == 5 and f.month in (1, 7):
            return f"{_ROMAN[f.month // 6]} полугодие {f.year} года"
        if last.month - f.month == 2 and f.month % 3 == 1:
            return f"{_ROMAN[f.month // 3]} квартал {f.year} года"
        return f"{_MONTHS_NOM[f.month - 1]} – {_MONTHS_NOM[last.month - 1]} {f.year}{_YEAR}"
    if f.month == 1 and last.month == 12:
        return f"{f.year}–{last.year} годы"
    start = f"{_MONTHS_NOM[f.month - 1]} {f.year}{_YEAR}"
    return f"{start} – {_MONTHS_NOM[last.month - 1]} {last.year}{_YEAR}"


# A negative number is printed with the minus sign (U+2212), never the hyphen.
MINUS = "\u2212"


def number_ru(value: float) -> str:
    """«2 211», «2,5», «−3»: thousands by a non-breaking space, a decimal comma, no trailing
    zeros, a minus sign for a negative."""
    text = f"{value:,.1f}" if not float(value).is_integer() else f"{value:,.0f}"
    return text.replace(",", "\u00a0").replace(".", ",").replace("-", MINUS)


# Units that count whole people or things: their values print as whole numbers, even when
# a forecast or a trajectory computes a fraction (no «1 801,5» children).
COUNT_UNITS = ("человек", "единиц", "детей", "семей", "организаций", "учреждений", "случаев")


def quantity_ru(value: float, unit: str) -> str:
    """A value in its indicator's unit: a whole number for a count («1 802»), else as
    ``number_ru`` gives it, to one decimal («2,5»)."""
    return number_ru(round(value) if is_count(unit) else round(value, 1))


def is_count(unit: str) -> bool:
    """Whether values in ``unit`` count whole people or things («человек», «единиц»)."""
    return unit.strip().lower().startswith(COUNT_UNITS)


def percent_ru(share: float, *, signed: bool = False, digits: int = 1) -> str:
    """A share as «80,0 %» (or «+1,5 %», «−2,5 %» with ``signed``; ``digits`` after the
    comma); a negative share takes the minus sign, never the hyphen."""
    text = f"{share * 100:+.{digits}f}" if signed else f"{share * 100:.{digits}f}"
    return text.replace(".", ",").replace("-", MINUS) + "\u00a0%"


# Salutations: «Уважаемая Вера Михайловна!», the gender from the patronymic.
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
