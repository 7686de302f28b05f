"""How dates, periods and counts read in Russian, for messages, reports and run names."""

from __future__ import annotations

import datetime as dt

from roadmap.periods import Period

_MONTHS_GEN = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
_MONTHS_NOM = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
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
