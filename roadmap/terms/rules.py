"""The forms a term may take, one rule each, in the words they read.

Each rule is a pattern over the normalized term (lower case, «ё» as «е», every dash as
«-», whitespace collapsed) and what it makes: an item (``Fixed``, ``Recurring``,
``ByDate``, ``EventRelative``), a ``Deadline`` for the item before it, or a ``YearPart``
that narrows it. ``terms.py`` scans a term with this table, first rule first.

Sources, cited at each rule: the road map of the first program the engine ran (rules 1–4 of its
data issue, and its narrative on reports), the Civil Code of the Russian Federation
(arts. 190–193 on terms), and the term phrases of regional acts and plans collected for
issue 19, quoted where a rule reads them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from roadmap.dates.periods import Month, Period, half_year, quarter, year
from roadmap.errors import InvalidPeriod
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
    YearPart,
)


@dataclass(frozen=True)
class Several:
    """Periods one phrase names together: «март, октябрь 2025 г.» (one item each)."""

    items: tuple[Fixed, ...]


@dataclass(frozen=True)
class ThenYearly:
    """«(далее – ежегодно)» after a first date: the same day every year from then on."""


Token = Item | Deadline | YearPart | Several | ThenYearly

# --- words -------------------------------------------------------------------------------

# Month names in the cases terms use: «апрель 2025», «до 20 апреля», «в апреле 2025 года».
MONTH = (
    r"(?:январ[ьяе]|феврал[ьяе]|марта?|марте|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]"
    r"|августа?|августе|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
)
_MONTH_STEMS = tuple(
    (stem, number)
    for number, stem in enumerate(
        "январ феврал март апрел ма июн июл август сентябр октябр ноябр декабр".split(), 1
    )
)
# A year, and the words that may follow one («2025 г.», «2025 года», «в 2025 году»).
YEAR = r"20\d\d"
YEAR_WORD = r"(?:\s*(?:года|году|год|г\.?))?"
# The words after a range of years: «2025–2026 гг.», «2025-2026 годы», «2025–2026 годов».
YEARS_WORD = r"(?:\s*(?:годах|годов|годы|года|год|гг\.?|г\.\s?г\.?|г\.?))?"
# «в», «в течение», «за» before a period: «в течение 2025 года», «в ноябре 2025 г.», «за
# январь – июнь 2025 г.» (the acts' «отчет за …»: the period reported on is the one owed).
IN = r"(?:(?:в течение|в|за)\s+)?"
DASH = r"\s*-\s*"
# Quarters and half-years: Roman or Arabic numerals, ordinal words, abbreviations
# («II квартал», «3 кв.», «первое полугодие», «1 полуг.»).
QUARTER_NUMBER = r"iv|iii|ii|i|[1-4](?:-?й|-?го|-?м)?|перв\w*|втор\w*|трет\w*|четв[её]рт\w*"
QUARTER_WORD = r"(?:квартал\w*|кв\.?)"
HALF_NUMBER = r"ii|i|[12](?:-?е|-?го|-?м)?|перв\w*|втор\w*"
HALF_WORD = r"(?:полугоди\w*|полуг\.?)"
# A deadline's opening words; «до» is read by the program's `until` convention. «в срок»
# before them adds nothing («в срок до 5-го рабочего дня …» is «до 5-го рабочего дня …»).
IN_TIME = r"(?:в срок\s+)?"
BY = rf"{IN_TIME}(?P<by>до|не позднее)\s+"
# «10-го числа», «5-го рабочего дня», «20 рабочего дня».
NTH = r"(?P<n>\d{1,2})(?:-?го|-?е|-?й)?"
AFTER_REPORTED = (
    r",?\s*следующего за отчетным"
    r"(?:\s+(?P<after>месяцем|кварталом|полугодием|годом|периодом))?"
)
_AFTER: dict[str | None, Every | None] = {
    None: None,
    "периодом": None,
    "месяцем": "month",
    "кварталом": "quarter",
    "полугодием": "half",
    "годом": "year",
}


def month_number(word: str) -> int:
    """1–12 for a month name in any case the terms use."""
    for stem, number in _MONTH_STEMS:
        if word.startswith(stem):
            return number
    raise InvalidPeriod(f"неизвестный месяц «{word}»")  # unreachable with MONTH


def part_number(word: str) -> int:
    """1–4 for a quarter's or half-year's numeral or ordinal word («iii», «3-й», «третий»)."""
    roman = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
    if word in roman:
        return roman[word]
    if word[0].isdigit():
        return int(word[0])
    for stem, number in (("перв", 1), ("втор", 2), ("трет", 3), ("четв", 4)):
        if word.startswith(stem):
            return number
    raise InvalidPeriod(f"неизвестный номер «{word}»")  # unreachable with the patterns


def span(first: Month, last: Month) -> Period:
    """The period [first, last], or a refusal in Russian when it ends before it starts."""
    if last < first:
        raise InvalidPeriod("период кончается раньше, чем начинается")
    return Period(first, last)


def calendar_date(y: int, m: int, d: int) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise InvalidPeriod(f"такой даты нет: {d:02d}.{m:02d}.{y}") from None


def _long(p: Period, rule_if_short: int = 1) -> Fixed:
    """Rules 1 and 3: a period within one calendar year, or a long one crossing years."""
    crosses = p.first.year != p.last.year
    return Fixed(p, long=crosses, rule=3 if crosses else rule_if_short)


# --- the rules ---------------------------------------------------------------------------

Make = Callable[[re.Match[str]], Token]


@dataclass(frozen=True)
class Rule:
    """One form a term may take: its name, its pattern, and what a match of it makes.

    ``title`` names the form in Russian and ``example`` writes it out: a refusal quotes the
    rule nearest to the words it could not read, so that a person sees what to write.
    """

    name: str
    pattern: re.Pattern[str]
    make: Make
    title: str
    example: str


RULES: list[Rule] = []


def rule(name: str, pattern: str, title: str, example: str) -> Callable[[Make], Make]:
    """Add a rule to ``RULES``, in the order of this module: the first that matches wins."""

    def add(make: Make) -> Make:
        RULES.append(Rule(name, re.compile(pattern), make, title, example))
        return make

    return add


def nearest_rule(words: str) -> Rule:
    """The rule whose example and title read most like ``words`` (normalized), for a refusal.

    Words are compared by their stems (a Russian word's first four letters: «квартале» and
    «квартал» are one), numbers as numbers; where no rule shares a stem with the words, the
    first rule, a calendar date, the form most terms take.
    """
    ours = _stems(words)

    def likeness(r: Rule) -> tuple[int, float]:
        theirs = _stems(f"{r.example} {r.title}".lower())
        shared = len(ours & theirs)
        return (shared, shared / max(len(ours | theirs), 1))

    return max(RULES, key=likeness)


_WORDS = re.compile(r"[а-яёa-z]+|\d+")
# words that say nothing of a term's form
_FILLER = frozenset("в во до не на по с со за к и или года год г гг".split())


def _stems(text: str) -> set[str]:
    return {"#" if w.isdigit() else w[:4] for w in _WORDS.findall(text) if w not in _FILLER}


def _until(m: re.Match[str]) -> bool:
    return m["by"] == "до"


# Civil Code art. 190: a term set by a calendar date. The acts write it out:
# «до 15 октября 2025 года», «не позднее 20 апреля 2026 г.», «срок исполнения — 15 мая 2026
# года», «до 01.04.2026».
# «к 1 декабря 2025 г.» is «не позднее 1 декабря 2025 г.»: the date itself is the last day
# (the `until` convention reads «до» only).
def written_date(p: str = "") -> str:
    """A calendar date written out, its groups prefixed by ``p``: «15 октября 2025 года»."""
    return (
        rf"(?:(?P<{p}d>[0-3]?\d)\s+(?P<{p}month>{MONTH})\s+(?P<{p}y>{YEAR})"
        rf"|(?P<{p}dd>[0-3]?\d)\.(?P<{p}mm>[01]?\d)\.(?P<{p}yy>{YEAR})){YEAR_WORD}"
    )


def date_of(m: re.Match[str], p: str = "", year: int | None = None) -> dt.date:
    """The date ``written_date(p)`` matched (``year`` when the words leave it out)."""
    if m[f"{p}d"]:
        y = int(m[f"{p}y"]) if m[f"{p}y"] else year
        assert y is not None
        return calendar_date(y, month_number(m[f"{p}month"]), int(m[f"{p}d"]))
    return calendar_date(int(m[f"{p}yy"]), int(m[f"{p}mm"]), int(m[f"{p}dd"]))


DATE = rf"(?:срок исполнения\s*[-:]?\s*)?{IN_TIME}(?:(?P<by>до|не позднее|к)\s+)?" + written_date()


@rule("date", DATE, "дата", "до 15 октября 2025 года")
def _date(m: re.Match[str]) -> Token:
    return ByDate(OnDate(date_of(m), until=_until(m)))


# Civil Code art. 190–191: a term set as a span between two dates ends on its last day.
# «с 1 марта 2025 г. по 30 июня 2025 г.», «с 01.03.2025 по 30.06.2025»; «до» for the end is
# read by the `until` convention.
SPAN = (
    rf"{IN_TIME}с\s+(?:(?P<sd0>[0-3]?\d)\s+(?P<smonth0>{MONTH})(?=\s+(?:по|до)\s)|"
    + written_date("s")
    + r")\s+(?P<by>по|до)\s+"
    + written_date()
)


@rule("date_span", SPAN, "период с даты по дату", "с 1 марта 2025 г. по 30 июня 2025 г.")
def _date_span(m: re.Match[str]) -> Token:
    end = date_of(m)
    if m["sd0"]:
        start = calendar_date(end.year, month_number(m["smonth0"]), int(m["sd0"]))
    else:
        start = date_of(m, "s")
    if end < start:
        raise InvalidPeriod("период кончается раньше, чем начинается")
    fixed = _long(span(Month.of(start), Month.of(end)))
    return Fixed(fixed.period, fixed.long, rule=7, due=OnDate(end, until=_until(m)))


# «…не позднее 20 рабочего дня, следующего за отчетным полугодием» (the first program's
# narrative on reports); «…до 5-го рабочего дня месяца, следующего за отчетным месяцем».
@rule(
    "working_day_after",
    rf"{BY}{NTH}\s+рабочего дня(?:\s+месяца)?{AFTER_REPORTED}",
    "N-й рабочий день после отчетного периода",
    "до 5-го рабочего дня месяца, следующего за отчетным",
)
def _working_day_after(m: re.Match[str]) -> Token:
    return _after(m, working=True)


# «ежемесячно, до 10-го числа месяца, следующего за отчетным»; «ежеквартально до 20 числа
# месяца, следующего за отчетным кварталом»; «один раз в полугодие до 10 числа месяца,
# следующего за отчетным полугодием».
# A day the month lacks («до 31 числа месяца, следующего за отчетным» after January) is its
# last day: Civil Code art. 192(3) ends a term in months on the month's last day when it has
# no such date; the same reading here (``term_dates.py``).
@rule(
    "day_after",
    rf"{BY}{NTH}\s+числа\s+месяца{AFTER_REPORTED}",
    "число месяца после отчетного периода",
    "до 10-го числа месяца, следующего за отчетным",
)
def _day_after(m: re.Match[str]) -> Token:
    return _after(m, working=False)


# A day of the period's own month: «ноябрь 2025 (до 15 числа)», «ежемесячно до 20 числа
# текущего месяца» (regional plans on monthly information: «до 20 числа текущего месяца»).
@rule(
    "day_of_month",
    rf"{BY}{NTH}\s+числа(?:\s+(?:текущего|отчетного|того же)\s+месяца)?(?!\s+месяца)",
    "число того же месяца",
    "ежемесячно до 20 числа текущего месяца",
)
def _day_of_month(m: re.Match[str]) -> Token:
    n = int(m["n"])
    if not 1 <= n <= 31:
        raise InvalidPeriod(f"в месяце нет {n}-го числа")
    return DayOfMonth(n, until=_until(m))


# An annual report due within a quarter or half-year of the next year: «ежегодно, в I
# квартале года, следующего за отчетным»; «не позднее II квартала года, следующего за
# отчетным годом». The quarter is due as any period: its last working day (rule 1).
PART_NEXT_YEAR = (
    rf"{IN_TIME}(?:(?:в течение|в|не позднее|до окончания|до конца)\s+)?"
    rf"(?:(?P<q>{QUARTER_NUMBER})\s*{QUARTER_WORD}|(?P<h>{HALF_NUMBER})\s*{HALF_WORD})"
    r"\s+года,?\s*следующего за отчетным(?:\s+(?:годом|периодом))?"
)


@rule(
    "part_of_next_year",
    PART_NEXT_YEAR,
    "квартал года, следующего за отчетным",
    "ежегодно, в I квартале года, следующего за отчетным",
)
def _part_of_next_year(m: re.Match[str]) -> Token:
    part = _part(m)
    return PartOfYearAfter(part.first, part.last)


def _after(m: re.Match[str], *, working: bool) -> Token:
    n = int(m["n"])
    if not 1 <= n <= (23 if working else 31):
        raise InvalidPeriod(f"в месяце нет {n}-го {'рабочего дня' if working else 'числа'}")
    return AfterPeriod(n, working, after=_AFTER[m["after"]], until=_until(m))


# «ежегодно до 1 апреля года, следующего за отчетным периодом»; «ежегодно (до 1 апреля года,
# следующего за отчетным)»; «сентябрь 2025 (до 20 сентября)».
DAY_OF_YEAR = (
    rf"{BY}(?P<d>[0-3]?\d)\s+(?P<month>{MONTH})"
    r"(?P<next>\s+года,?\s*следующего за отчетным(?:\s+(?:годом|периодом))?"
    r"|\s+следующего (?:за отчетным )?года)?"
)


@rule(
    "day_of_year",
    DAY_OF_YEAR,
    "день года или года, следующего за отчетным",
    "ежегодно до 1 апреля года, следующего за отчетным",
)
def _day_of_year(m: re.Match[str]) -> Token:
    month, day = month_number(m["month"]), int(m["d"])
    calendar_date(2024, month, day)  # a leap year: 29 February is checked per year later
    return InYear(month, day, years_after=1 if m["next"] else 0, until=_until(m))


# Rules 1 and 3: «январь - март 2025», «январь 2025 – декабрь 2026», «апрель 2025-декабрь
# 2026».
MONTH_RANGE = (
    rf"{IN}(?P<m1>{MONTH})(?:\s+(?P<y1>{YEAR}){YEAR_WORD})?{DASH}"
    rf"(?P<m2>{MONTH})\s+(?P<y2>{YEAR}){YEARS_WORD}"
)


@rule("month_range", MONTH_RANGE, "месяцы подряд", "январь – март 2025 г.")
def _month_range(m: re.Match[str]) -> Token:
    y2 = int(m["y2"])
    y1 = int(m["y1"] or y2)
    return _long(span(Month(y1, month_number(m["m1"])), Month(y2, month_number(m["m2"]))))


# «ММ.ГГГГ – ММ.ГГГГ»: «01.2025 – 12.2026».
MM_RANGE = (
    rf"(?P<m1>0?[1-9]|1[0-2])\.(?P<y1>{YEAR}){DASH}"
    rf"(?P<m2>0?[1-9]|1[0-2])\.(?P<y2>{YEAR}){YEARS_WORD}"
)


@rule("mm_range", MM_RANGE, "месяцы подряд числами", "01.2025 – 03.2025")
def _mm_range(m: re.Match[str]) -> Token:
    return _long(span(Month(int(m["y1"]), int(m["m1"])), Month(int(m["y2"]), int(m["m2"]))))


# Rules 1 and 3: «I квартал - IV квартал 2025», «IV квартал 2025 - IV квартал 2026»,
# «I–II кварталы 2025 г.», «I кв. 2025 – II кв. 2026».
QUARTER_RANGE = (
    rf"{IN}(?P<q1>{QUARTER_NUMBER})(?:\s*{QUARTER_WORD})?(?:\s+(?P<y1>{YEAR}){YEAR_WORD})?"
    rf"{DASH}(?P<q2>{QUARTER_NUMBER})\s*{QUARTER_WORD}\s+(?P<y2>{YEAR}){YEARS_WORD}"
)


@rule("quarter_range", QUARTER_RANGE, "кварталы подряд", "I – II квартал 2025 г.")
def _quarter_range(m: re.Match[str]) -> Token:
    y2 = int(m["y2"])
    first = quarter(int(m["y1"] or y2), part_number(m["q1"])).first
    return _long(span(first, quarter(y2, part_number(m["q2"])).last))


# Rule 3: «2024 - 2026», «2025-2026»; the program's own title «на 2025–2026 годы»;
# «2025–2026 гг.», «в 2025–2026 годах», «в течение 2025–2026 годов».
@rule(
    "year_range",
    rf"{IN}(?P<y1>{YEAR}){YEAR_WORD}{DASH}(?P<y2>{YEAR}){YEARS_WORD}",
    "годы подряд",
    "2025–2026 гг.",
)
def _year_range(m: re.Match[str]) -> Token:
    return _long(span(year(int(m["y1"])).first, year(int(m["y2"])).last))


# Parts of a year with no year of their own: «октябрь», «I квартал», «II полугодие»,
# «октябрь – декабрь».
YEAR_PART = (
    rf"(?:(?P<q>{QUARTER_NUMBER})\s*{QUARTER_WORD}|(?P<h>{HALF_NUMBER})\s*{HALF_WORD}"
    rf"|(?P<m>{MONTH})(?:{DASH}(?P<m2>{MONTH}))?)"
)


# Rule 4 with a named part of each year: «IV квартал ежегодно», «октябрь ежегодно».
@rule("part_yearly", rf"{YEAR_PART}\s+ежегодно", "часть каждого года", "IV квартал ежегодно")
def _part_yearly(m: re.Match[str]) -> Token:
    part = _part(m)
    return Recurring("year", None, in_months=(part.first, part.last))


# Rule 2: months of one year listed together, each owed on its own: «март, октябрь 2025 г.»,
# «в марте и октябре 2025 года» (the year written once belongs to every month before it).
MONTH_LIST = (
    rf"{IN}(?P<ms>{MONTH}(?:\s*,\s*(?:и\s+)?{MONTH}|\s+и\s+{MONTH})+)"
    rf"\s+(?P<y>{YEAR}){YEAR_WORD}"
)


@rule("month_list", MONTH_LIST, "несколько месяцев одного года", "март, октябрь 2025 г.")
def _month_list(m: re.Match[str]) -> Token:
    y = int(m["y"])
    items = []
    for word in re.findall(MONTH, m["ms"]):
        mm = Month(y, month_number(word))
        items.append(Fixed(Period(mm, mm), long=False, rule=2))
    return Several(tuple(items))


# Rule 1: «апрель 2025», «ноябрь 2025 г.», «в ноябре 2025 года».
@rule("month", rf"{IN}(?P<m>{MONTH})\s+(?P<y>{YEAR}){YEAR_WORD}", "месяц", "ноябрь 2025 г.")
def _month(m: re.Match[str]) -> Token:
    mm = Month(int(m["y"]), month_number(m["m"]))
    return Fixed(Period(mm, mm), long=False, rule=1)


# «ММ.ГГГГ»: «11.2025».
@rule("mm_yyyy", rf"(?P<mm>0?[1-9]|1[0-2])\.(?P<y>{YEAR}){YEAR_WORD}", "месяц числами", "11.2025")
def _mm_yyyy(m: re.Match[str]) -> Token:
    mm = Month(int(m["y"]), int(m["mm"]))
    return Fixed(Period(mm, mm), long=False, rule=1)


# Rule 1: «II квартал 2025», «3 кв. 2025», «в I квартале 2025 г.», «первый квартал 2025 года».
@rule(
    "quarter",
    rf"{IN}(?P<q>{QUARTER_NUMBER})\s*{QUARTER_WORD}\s+(?P<y>{YEAR}){YEAR_WORD}",
    "квартал",
    "II квартал 2025 г.",
)
def _quarter(m: re.Match[str]) -> Token:
    return Fixed(quarter(int(m["y"]), part_number(m["q"])), long=False, rule=1)


# Rule 1: «II полугодие 2026 года», «первое полугодие 2025 г.», «1 полуг. 2025».
@rule(
    "half_year",
    rf"{IN}(?P<h>{HALF_NUMBER})\s*{HALF_WORD}\s+(?P<y>{YEAR}){YEAR_WORD}",
    "полугодие",
    "II полугодие 2026 года",
)
def _half_year(m: re.Match[str]) -> Token:
    return Fixed(half_year(int(m["y"]), _half(m["h"])), long=False, rule=1)


# Rule 1: «2025», «2025 год», «в 2025 году», «в течение 2025 года».
@rule("year", rf"{IN}(?P<y>{YEAR}){YEAR_WORD}", "год", "2025 год")
def _year(m: re.Match[str]) -> Token:
    return Fixed(year(int(m["y"])), long=False, rule=1)


# Rule 3: «постоянно», «в течение всего срока реализации Проекта».
@rule(
    "continuous",
    r"постоянно|в течение всего (?:срока|периода) реализации (?:проекта|программы)",
    "постоянно",
    "постоянно",
)
def _continuous(m: re.Match[str]) -> Token:
    return Fixed(None, long=True, rule=3)


# Rule 4: «ежемесячно», «не реже одного раза в месяц».
@rule(
    "monthly",
    r"ежемесячно|(?:не реже\s+)?(?:1|одного|один)\s+раза?\s+в\s+месяц",
    "ежемесячно",
    "ежемесячно",
)
def _monthly(m: re.Match[str]) -> Token:
    return Recurring("month", None)


# Rule 4: «ежеквартально», «не реже 1 раза в квартал», «(не реже 1 раз в квартал)».
@rule(
    "quarterly",
    r"ежеквартально|(?:не реже\s+)?(?:1|одного|один)\s+раза?\s+в\s+квартал",
    "ежеквартально",
    "ежеквартально",
)
def _quarterly(m: re.Match[str]) -> Token:
    return Recurring("quarter", None)


# Rule 4: «2 раза в год», «1 раз в полугодие»; «один раз в полгода».
HALF_YEARLY = (
    r"ежеполугодно|(?:не реже\s+)?(?:(?:2|два|двух)\s+раза?\s+в\s+год"
    r"|(?:1|один|одного)\s+раза?\s+в\s+(?:полугодие|полгода))"
)


@rule("half_yearly", HALF_YEARLY, "раз в полугодие", "один раз в полгода")
def _half_yearly(m: re.Match[str]) -> Token:
    return Recurring("half", None)


# Rule 4: «ежегодно», «один раз в год».
@rule(
    "yearly",
    r"ежегодно|(?:не реже\s+)?(?:1|один|одного)\s+раза?\s+в\s+год",
    "ежегодно",
    "ежегодно",
)
def _yearly(m: re.Match[str]) -> Token:
    return Recurring("year", None)


# «до 1 апреля 2025 г. (далее – ежегодно)»: a first date, then the same day each year (the
# acts' «далее – ежегодно» after a first deadline).
@rule(
    "then_yearly",
    r"(?:а\s+)?далее\s*-?\s*ежегодно",
    "первая дата, далее ежегодно",
    "до 1 апреля 2025 г. (далее – ежегодно)",
)
def _then_yearly(m: re.Match[str]) -> Token:
    return ThenYearly()


# A part of a year alone narrows the item before it, in brackets only: «ежегодно
# (октябрь)», «2026 (I квартал)», «Ежегодно (II квартал)».
@rule("year_part", YEAR_PART, "часть года в скобках", "ежегодно (октябрь)")
def _year_part(m: re.Match[str]) -> Token:
    return _part(m)


def _half(word: str) -> int:
    h = part_number(word)
    if h > 2:
        raise InvalidPeriod(f"полугодий в году два, а не {h}")
    return h


def _part(m: re.Match[str]) -> YearPart:
    if m["q"]:
        p = quarter(2000, part_number(m["q"]))
    elif m["h"]:
        p = half_year(2000, _half(m["h"]))
    else:
        first = month_number(m["m"])
        p = span(Month(2000, first), Month(2000, month_number(m["m2"] or m["m"])))
    return YearPart(p.first.month, p.last.month)


# Civil Code art. 190: a term may be set by an event. The program cannot date the event, so
# these are refused unless the program says a person sets the date (rule 8):
# «в 30-дневный срок», «в течение 2 месяцев со дня вступления в силу», «по мере поступления
# обращений». The phrase runs to the end of its part of the term.
# Also «в месячный срок», «в десятидневный срок», «в течение месяца после утверждения
# программы», and «срочно», «оперативно»: no date at all, so a person sets one.
EVENT = (
    r"(?:в\s+(?:\d+\s*-?\s*)?\w*(?:дневный|дневной|месячный|недельный|годичный)\s+срок"
    r"|(?:\d+\s*-?\s*)?\w*(?:дневный|дневной|месячный|недельный)\s+срок"
    r"|в течение\s+(?:(?:\d+|одного|двух|трех|четырех|пяти|шести|десяти)\s+)?"
    r"(?:рабочих\s+|календарных\s+)?(?:дн|недел|месяц|год|лет)"
    r"|срочно|оперативно|незамедлительно|безотлагательно"
    r"|не позднее\s+\d+\s+(?:рабочих\s+|календарных\s+)?(?:дн|недел|месяц)\w*\s+(?:со|с|после|до)\s"
    r"|по мере\s|по (?:запросу|требованию|обращени|заявк)|по факту\s|после\s|со дня\s"
    r"|с момента\s|с даты\s)[^;()]*"
)


@rule("event", EVENT, "срок от события", "в 30-дневный срок со дня вступления в силу")
def _event(m: re.Match[str]) -> Token:
    return EventRelative(m[0].strip(" ,"))


# Date-like words: a bracket holding any of them is read by the rules above, or refused;
# only a bracket with none of them is a note («(по отдельному плану)»).
DATE_LIKE = re.compile(
    r"\d|январ|феврал|\bмарт|апрел|\bма[йяе]\b|\bиюн|\bиюл|август|сентябр|октябр|ноябр"
    r"|декабр|квартал|\bкв\b|полуг|полгода|\bгод|\bгг\b|\bлет\b|ежегод|ежемесяч|ежекварт"
    r"|еженедел|ежедневн|\bраза?\s+в\b|\bдо\b|позднее|ранее|не реже|срок|\bдн[еяи]|недел"
    r"|месяц|числ|рабоч|в течение|со дня|с момента|по мере|после"
)


def is_date_like(text: str) -> bool:
    """True if ``text`` says anything about time (a note must say nothing)."""
    return DATE_LIKE.search(text.lower().replace("ё", "е")) is not None
