"""One current overview of the road map for coordinators: what is overdue, whose it is, since
when and whom to call, and what falls due in the next working days.

Pure: the obligations' status on a date, the responsible people and the calendar come in;
the overview and its Markdown (what the Prefect UI shows) come out. Obligations are grouped
by the body that answers for them (``Program.reporting_body``: a ministry for its
institutions and groups), each once per body.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from roadmap.dates.periods import parse_period
from roadmap.dates.workdays import WorkCalendar
from roadmap.forecast.early_warning import INTERVAL, IndicatorForecast
from roadmap.obligations.expansion import PendingObligation
from roadmap.obligations.keys import local_id
from roadmap.obligations.status import ObligationFacts, StatusEntry
from roadmap.program.dating import period_words_of
from roadmap.program.model import Program
from roadmap.program.preview import period_words
from roadmap.words.wording import number_ru, percent_ru, plural_ru, quantity_ru

AHEAD_WORKING_DAYS = 10
TITLE = "Состояние дорожной карты"


class StatusLike(Protocol):
    """An obligation's status on a date, as storage reads it (``storage.status.StatusItem``)."""

    facts: ObligationFacts
    entry: StatusEntry
    activity: str | None
    report_kind: str | None
    period: str


@dataclass(frozen=True)
class Responsible:
    """Whom to call at an organisation: a contact's name and phone."""

    name: str
    phone: str | None = None

    @property
    def words(self) -> str:
        return (
            f"{self.name}, тел. {self.phone}" if self.phone else f"{self.name}, телефон не указан"
        )


@dataclass(frozen=True)
class Row:
    obligation: str  # the short id, «6.1:2025-02»
    what: str  # the activity's number and name in the program's words
    period: str  # «февраль 2025 г.»
    due: dt.date
    overdue_days: int
    executors: str  # the owners' short names


@dataclass(frozen=True)
class Awaiting:
    """An obligation counted from an event whose due date nobody has set yet (rule 8)."""

    obligation: str  # the short id, «3.4:2025..2026»
    what: str
    period: str
    executors: str


@dataclass(frozen=True)
class Section:
    """One answering body: its overdue obligations and those falling due soon."""

    org: str
    name: str
    responsible: tuple[Responsible, ...]
    overdue: tuple[Row, ...]
    ahead: tuple[Row, ...]


@dataclass(frozen=True)
class Overview:
    as_of: dt.date
    horizon: dt.date  # the last day of «the next working days», inclusive
    sections: tuple[Section, ...]  # every answering body of the program, most overdue first
    # the early warning: the headline indicator's forecast and every indicator at risk (at the
    # next checkpoint or the end)
    forecasts: tuple[IndicatorForecast, ...] = ()
    # open obligations counted from an event with no due date set: nobody is reminded of them
    awaiting: tuple[Awaiting, ...] = ()

    @property
    def overdue(self) -> int:
        return len({r.obligation for s in self.sections for r in s.overdue})

    @property
    def ahead(self) -> list[Row]:
        rows = {r.obligation: r for s in self.sections for r in s.ahead}
        return sorted(rows.values(), key=lambda r: (r.due, r.obligation))


def _activity_words(program: Program, number: str) -> str:
    a = program.activity_map[number]
    return f"{a.number}. {a.name}"


def _what(program: Program, item: StatusLike) -> str:
    if item.activity and item.activity in program.activity_map:
        return _activity_words(program, item.activity)
    if item.report_kind == "consolidated":
        return "Сводный отчёт об исполнении Программы"
    return "Информация (отчёт) исполнителя о выполнении «дорожной карты»"


def _executors(program: Program, owners: Iterable[str]) -> str:
    """The owners' short names, lead first."""
    return ", ".join(program.orgs[o].short_name if o in program.orgs else o for o in owners)


def _row(program: Program, item: StatusLike) -> Row:
    return Row(
        obligation=local_id(item.facts.id),
        what=_what(program, item),
        period=period_words_of(program, item.activity, parse_period(item.period)),
        due=item.facts.due,
        overdue_days=item.entry.overdue_working_days,
        executors=_executors(program, item.facts.owners),
    )


def _bodies(program: Program, owners: Iterable[str]) -> list[str]:
    out: list[str] = []
    for o in owners:
        body = program.reporting_body(o) if o in program.orgs else o
        if body not in out:
            out.append(body)
    return out


def build_overview(
    program: Program,
    items: Iterable[StatusLike],
    *,
    as_of: dt.date,
    calendar: WorkCalendar,
    responsible: Mapping[str, Sequence[Responsible]],
    forecasts: Sequence[IndicatorForecast] = (),
    awaiting: Iterable[PendingObligation] = (),
) -> Overview:
    """The overview on ``as_of``: overdue obligations, and those due within the next
    ``AHEAD_WORKING_DAYS`` working days (after ``as_of``, up to the horizon inclusive).

    Args:
        awaiting: obligations whose due date a person sets and has not set yet; those open
            on ``as_of`` are listed, so that someone sets it.
    """
    horizon = calendar.add_working_days(as_of, AHEAD_WORKING_DAYS)
    overdue: dict[str, list[Row]] = {}
    ahead: dict[str, list[Row]] = {}
    for item in items:
        status = item.entry.status
        if status == "overdue":
            target = overdue
        elif status not in ("done", "not_applicable") and as_of <= item.facts.due <= horizon:
            target = ahead
        else:
            continue
        row = _row(program, item)
        for body in _bodies(program, item.facts.owners):
            target.setdefault(body, []).append(row)
    bodies = {
        body
        for a in program.activities
        for body in _bodies(program, a.executors)
        if body in program.orgs and program.orgs[body].executor
    }
    sections = [
        Section(
            org=body,
            name=program.orgs[body].short_name if body in program.orgs else body,
            responsible=tuple(responsible.get(body, ())),
            overdue=tuple(sorted(overdue.get(body, []), key=lambda r: (r.due, r.obligation))),
            ahead=tuple(sorted(ahead.get(body, []), key=lambda r: (r.due, r.obligation))),
        )
        for body in bodies | set(overdue) | set(ahead)
    ]
    sections.sort(key=lambda s: (-len(s.overdue), -len(s.ahead), s.name))
    headline = program.monitoring.indicator if program.monitoring else None
    shown = tuple(f for f in forecasts if f.code == headline or _warns(f))
    return Overview(as_of, horizon, tuple(sections), shown, _awaiting(program, awaiting, as_of))


def _awaiting(
    program: Program, awaiting: Iterable[PendingObligation], as_of: dt.date
) -> tuple[Awaiting, ...]:
    """The obligations open on ``as_of`` whose due date a person has yet to set."""
    return tuple(
        Awaiting(
            obligation=local_id(p.id),
            what=_activity_words(program, p.activity),
            period=period_words(p.period),
            executors=_executors(program, p.owners),
        )
        for p in awaiting
        if p.opens <= as_of and p.activity in program.activity_map
    )


def _warns(f: IndicatorForecast) -> bool:
    """At risk at the next checkpoint or at the program's end."""
    return any(o is not None and o.risk.warns for o in (f.at_next, f.at_end))


def obligations_ru(n: int) -> str:
    """«1 обязательство», «3 обязательства», «12 обязательств»."""
    return f"{n} {plural_ru(n, 'обязательство', 'обязательства', 'обязательств')}"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        cells = (str(v).replace("|", "/").replace("\n", " ") for v in r)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _responsible(s: Section) -> str:
    if not s.responsible:
        return "Ответственный: контакт не указан."
    return "Ответственный: " + "; ".join(r.words for r in s.responsible) + "."


# the short columns first: an activity's name in the program's words is long
def _overdue_table(rows: Iterable[Row]) -> str:
    return _table(
        ["Срок", "Просрочка, раб. дн.", "Период", "Мероприятие"],
        ((f"{r.due:%d.%m.%Y}", r.overdue_days, r.period, r.what) for r in rows),
    )


def _ahead_table(rows: Iterable[Row]) -> str:
    return _table(
        ["Срок", "Период", "Исполнители", "Мероприятие"],
        ((f"{r.due:%d.%m.%Y}", r.period, r.executors, r.what) for r in rows),
    )


def _summary(ov: Overview) -> str:
    late = [s for s in ov.sections if s.overdue]
    ahead = len(ov.ahead)
    n = len(late)
    first = (
        f"Просрочено {obligations_ru(ov.overdue)} "
        f"(у {n} {plural_ru(n, 'исполнителя', 'исполнителей', 'исполнителей')})"
        if ov.overdue
        else "Просроченных обязательств нет"
    )
    soon = f"в ближайшие {AHEAD_WORKING_DAYS} рабочих дней (по {ov.horizon:%d.%m.%Y})"
    if not ahead:
        return f"{first}; {soon} сроков нет."
    return f"{first}; {soon} наступает срок: {obligations_ru(ahead)}."


def overview_markdown(ov: Overview) -> str:
    """The whole road map's overview: overdue by answering body, then what falls due soon."""
    parts = [f"# {TITLE} на {ov.as_of:%d.%m.%Y}", _summary(ov)]
    late = [s for s in ov.sections if s.overdue]
    if late:
        parts.append("## Просрочено")
        for s in late:
            parts += [f"### {s.name}: {obligations_ru(len(s.overdue))}", _responsible(s)]
            parts.append(_overdue_table(s.overdue))
    parts.append(f"## Срок в ближайшие {AHEAD_WORKING_DAYS} рабочих дней")
    parts.append(_ahead_table(ov.ahead) if ov.ahead else "Сроков нет.")
    if ov.awaiting:
        parts += [
            "## Срок не установлен",
            "Срок этих мероприятий отсчитывается от события; пока он не установлен, "
            "напоминаний по ним нет. Установить срок: roadmap due set.",
            _table(
                ["Обязательство", "Период", "Исполнители", "Мероприятие"],
                ((a.obligation, a.period, a.executors, a.what) for a in ov.awaiting),
            ),
        ]
    if ov.forecasts:
        parts += ["## Прогноз достижения ключевых показателей", _forecast_table(ov.forecasts)]
    return "\n\n".join(parts)


def _forecast_table(forecasts: Sequence[IndicatorForecast]) -> str:
    """One row per indicator and checkpoint judged: the next one with a target, the end."""
    rows = []
    for f in forecasts:
        judged = [o for o in dict.fromkeys((f.at_next, f.at_end)) if o is not None]
        if not judged:
            # too little history: the checkpoint named is the next one with a target
            end = f.next_target or f.end_target
            goal = period_words(parse_period(end.period)) if end else "—"
            target = number_ru(end.value) if end else "—"
            rows.append([f.code, f.name, goal, target, "—", "—", "—", f.status])
        for o in judged:
            rows.append(
                [
                    f.code,
                    f.name,
                    period_words(parse_period(o.goal.period)),
                    number_ru(o.goal.value),
                    quantity_ru(o.projected, f.unit),
                    f"{quantity_ru(o.low, f.unit)} – {quantity_ru(o.high, f.unit)}",
                    percent_ru(o.probability, digits=0),
                    o.status,
                ]
            )
    coverage = forecasts[0].coverage if forecasts else INTERVAL
    header = [
        "№",
        "Показатель",
        "Контрольная точка",
        "Цель",
        "Прогноз",
        f"Интервал {percent_ru(coverage, digits=0)}",
        "Вероятность достижения",
        "Оценка",
    ]
    return _table(header, rows)


def section_markdown(ov: Overview, s: Section) -> str:
    """One answering body's part of the overview."""
    parts = [f"# {s.name}: состояние на {ov.as_of:%d.%m.%Y}", _responsible(s)]
    parts.append(f"## Просрочено: {obligations_ru(len(s.overdue))}")
    if s.overdue:
        parts.append(_overdue_table(s.overdue))
    parts.append(f"## Срок в ближайшие {AHEAD_WORKING_DAYS} рабочих дней")
    parts.append(_ahead_table(s.ahead) if s.ahead else "Сроков нет.")
    return "\n\n".join(parts)
