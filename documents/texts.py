"""What the documents say of a report's lines: numbers, statuses, documents, people.

Word, Excel and the panel print the same words for the same line; they take them from here,
and the words of every status from ``roadmap.words.labels``.
"""

from __future__ import annotations

from roadmap.dates.periods import parse_period
from roadmap.program.model import Person
from roadmap.reports.assessment import Forecast
from roadmap.reports.facts import EvidenceFact
from roadmap.reports.reasons import (
    NONE_GIVEN,
    SHORT,
    activity_shortfalls,
    indicator_shortfalls,
)
from roadmap.reports.reasons import checkpoint_reasons as given_reasons
from roadmap.reports.report import ActivityLine, IndicatorLine, ObligationLine, Report, Requisites
from roadmap.words.labels import EXECUTION_RU, FORECAST_RU, INDICATOR_STATUS_RU, review_word
from roadmap.words.verdicts import ExecutionStatus, IndicatorStatus
from roadmap.words.wording import number_ru, percent_ru, period_ru, quantity_ru

# The workbook's sheets, by what they hold: the Word report points to them.
SHEET_SUMMARY = "Итоги"
SHEET_INDICATORS = "Показатели"
SHEET_ACTIVITIES = "Мероприятия"
SHEET_TARGETS = "Цели мероприятий"
SHEET_REPORTS = "Отчёты исполнителей"
SHEET_DISCIPLINE = "Дисциплина"
SHEET_HEADCOUNT = "Численность детей"
SHEET_MISSING = "Не представлено"
SHEET_DOCUMENTS = "Документы"
SHEET_FIGURES = "Рисунки"
BLANK = "________________"


def period_text(label: str) -> str:
    """A period label in words: «2025-H1» → «I полугодие 2025 года»."""
    return period_ru(parse_period(label))


def num(value: float | None) -> str:
    return "—" if value is None else number_ru(round(value, 2))


def pct(share: float | None) -> str:
    return "—" if share is None else percent_ru(share)


def difference(line: IndicatorLine) -> str:
    """Fact − plan with its sign: «+65», «−149», «0»."""
    d = line.difference
    if d is None:
        return "—"
    if d == 0:
        return "0"
    return ("+" if d > 0 else "−") + number_ru(round(abs(d), 2))


def indicator_status(line: IndicatorLine) -> str:
    return INDICATOR_STATUS_RU[line.status]


def reasons(line: IndicatorLine, contributors: dict[str, str]) -> str:
    """The reasons given, or what is owed: an explanation required, a value not given."""
    if line.missing_contributors:
        names = ", ".join(contributors.get(c, c) for c in line.missing_contributors)
        return f"не представлены значения: {names}"
    if line.status != IndicatorStatus.NOT_ACHIEVED:
        return line.reasons or ""
    if line.reasons:
        return line.reasons
    if line.needs_explanation:
        return NONE_GIVEN
    margin = percent_ru(line.margin, digits=0)
    return f"{NONE_GIVEN} (отклонение не более {margin}, пояснение не обязательно)"


def no_data_from(line: IndicatorLine, report: Report) -> str | None:
    """Who owes an indicator's missing fact: the contributors without a value, else the
    executors whose report for the checkpoint has not come; None when there is a fact."""
    if line.missing_contributors:
        return ", ".join(report.org_names.get(c, c) for c in line.missing_contributors)
    if line.actual is not None or line.target is None:
        return None
    owing = [org for org, o in report.report_obligations if o.period == line.checkpoint]
    late = [
        org
        for org, o in report.report_obligations
        if o.period == line.checkpoint and not o.fulfilled
    ]
    if late:
        return ", ".join(dict.fromkeys(late))
    if owing:
        return "значение не указано ни в одном отчёте исполнителей"
    return "срок представления отчётов исполнителей не наступил"


def measures(line: IndicatorLine) -> str:
    """The measures taken, as given; «не указаны» where a miss has none."""
    if line.measures:
        return line.measures
    return "не указаны" if line.status == IndicatorStatus.NOT_ACHIEVED else ""


def checkpoint_reasons(o: ObligationLine, names: dict[str, str]) -> str:
    """Table 3's «Причины невыполнения и принятые меры» of a checkpoint not done or late:
    the reasons and measures given, or «причины не представлены»; empty otherwise."""
    if o.execution not in SHORT:
        return ""
    reasons, measures = given_reasons(o, names)
    if not reasons:
        return NONE_GIVEN
    return f"Причины: {reasons}\nПринятые меры: {measures or 'не указаны'}"


def shortfall_items(report: Report) -> list[str]:
    """Section 7's list: each activity not done or late and each indicator off plan, with
    its reasons and measures or «причины не представлены», as «— 5.16. … ».

    """
    found = activity_shortfalls(report.activities, report.org_names)
    found += indicator_shortfalls(report.indicators)
    return [f"— {s.text()}" for s in found]


def forecast(line: IndicatorLine) -> str:
    """The verdict at the next checkpoint (when before the end) and at the end, each with
    its projection, interval and the probability of reaching the target."""
    f = line.forecast
    if f is None:
        return ""
    unit = line.indicator.unit
    return "; ".join(_forecast_at(x, unit) for x in (f.next, f) if x is not None)


def _forecast_at(f: Forecast, unit: str) -> str:
    """A count of children or institutions projects to whole numbers (``quantity_ru``)."""
    horizon = f" к {f.horizon}" if f.horizon else ""
    chance = (
        f", вероятность достижения {percent_ru(f.probability, digits=0)}"
        if f.probability is not None
        else ""
    )
    return (
        f"{FORECAST_RU[f.verdict]}{horizon}: {quantity_ru(f.projected, unit)} "
        f"(от {quantity_ru(f.low, unit)} до {quantity_ru(f.high, unit)}){chance}"
    )


def evidence(o: ObligationLine) -> str:
    """The newest document by its details, with its review; the file and hash stay out."""
    if o.execution == ExecutionStatus.NOT_APPLICABLE:
        return "неприменимо" + (f": {o.na_reason}" if o.na_reason else "")
    latest = o.latest
    if latest is None:
        return "—"
    named = latest.details or "реквизиты документа не указаны"
    return (
        f"{named}; представлен {latest.submitted_on:%d.%m.%Y}, {review_word(latest.review_state)}"
    )


def execution(o: ObligationLine) -> str:
    """«выполнено с нарушением срока», «не выполнено (просрочка 12 раб. дн.)» …"""
    text = EXECUTION_RU[o.execution]
    if o.overdue_days:
        text += f" (просрочка {o.overdue_days} раб. дн.)"
    if o.accepted is False:
        text += "; документ возвращён на доработку"
    return text


def activity_result(a: ActivityLine) -> str:
    """The expected result in the program's words, and what was reported of its targets."""
    lines = [a.activity.result]
    for t in a.targets:
        got = "не указано"
        if t.reported is not None:
            got = num(t.reported) + (
                f" ({period_text(t.reported_period)})" if t.reported_period else ""
            )
        lines.append(f"{t.text}: факт — {got}")
    return "\n".join(lines)


def outgoing(req: Requisites) -> str:
    """«№ 12-345 от 01.08.2025», or the lines to fill in: «№ ____ от ________»."""
    number = req.outgoing_number or "____"
    day = f"{req.outgoing_date:%d.%m.%Y}" if req.outgoing_date else "________"
    return f"№ {number} от {day}"


def signature_name(person: Person | None) -> str:
    return (person.initials_name if person else None) or BLANK


def performer(person: Person | None) -> str:
    """«Исполнитель: Фамилия Имя Отчество, тел. …», with lines for what is not known."""
    name = (person.name if person else None) or BLANK
    phone = (person.phone if person else None) or BLANK
    return f"Исполнитель: {name}, тел. {phone}"


def document_details(e: EvidenceFact) -> str:
    """A document by its own details, «постановление … от 12.03.2025 № 17-кдн», the version
    when there were several; never a file name."""
    named = e.details or "реквизиты документа не указаны"
    return named if e.version == 1 else f"{named} (редакция {e.version})"


def submitter(e: EvidenceFact, org_names: dict[str, str]) -> str:
    """Who submitted a document: the organisation as the program names it, and the person."""
    org = org_names.get(e.submitted_org or "", "")
    person = e.submitted_by or ""
    if person and person not in org:
        return f"{org} ({person})" if org else person
    return org or "—"
