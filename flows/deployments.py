"""Every deployment of a program, with its schedule, built from the program data.

Schedules are lists of explicit moments (RRule ``RDATE``), so a run exists for each real
event and not for empty days: an activity's deployment fires when one of its obligations
opens or a ladder step falls due; the daily sweep fires on every working day of the
production calendar (cron cannot know transferred days off); monitoring on the first
working day of each month; the commission's flow 15 working days before each quarter
ends; reporting when reports open, after the executors' deadline and before the
consolidated report is due. Moments are 09:00 in the program's time zone, when the
sending window opens; each deployment's description lists its next ones in words.
``prefect.yaml`` is generated from this (``roadmap deployments``); ``roadmap up`` serves
the same list.

A deployment's run form offers the program's own choices (its periods, in words): they are
written into the parameter schema when the deployment is registered (``form_schema``).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from flows.forms import drop_null_defaults
from roadmap.dates.periods import parse_period
from roadmap.dates.workdays import WorkCalendar
from roadmap.obligations.expansion import Obligation, expand_obligations
from roadmap.obligations.ladder import LadderFacts, next_step_dates
from roadmap.program.choices import (
    BY_RUN_DATE,
    month_choices,
    quarter_choices,
    report_periods,
    words_of,
)
from roadmap.program.model import Program
from roadmap.program.preview import period_words
from roadmap.words.wording import date_ru, sentence

# prefect/client/schemas/schedules.py MAX_RRULE_LENGTH is 6500, and the client prepends
# "DTSTART:20200101T000000\n" (24 characters) before it checks: leave room for it.
MAX_RRULE = 6500 - 64
MOMENT = dt.time(9, 0)
POOL = "roadmap"
SHOWN_MOMENTS = 3
# incoming mail: every 5 minutes, 08:00–19:55 on weekdays, in the program's zone (a letter
# read on a holiday is answered in the next sending window)
MAIL_CRON = "*/5 8-19 * * 1-5"


@dataclass(frozen=True)
class Schedule:
    rrule: str  # empty when ``cron`` is given
    parameters: dict[str, Any] = field(default_factory=dict)
    cron: str | None = None  # a repeating schedule (incoming mail), not a list of moments

    def as_prefect(self, timezone: str | None) -> dict[str, Any]:
        """The schedule as Prefect's API and ``prefect.yaml`` write it."""
        if self.cron:
            return {"cron": self.cron, "timezone": timezone}
        return {"rrule": self.rrule, "timezone": timezone}


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    flow: str  # module:function in flows/
    parameters: dict[str, Any]
    description: str
    tags: tuple[str, ...]
    schedules: tuple[Schedule, ...]
    # a parameter's allowed values (the form's choices), from the program data
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the zone its schedules' moments are in (the program's); None: the caller's default
    timezone: str | None = None

    @property
    def entrypoint(self) -> str:
        module, func = self.flow.split(":")
        return f"{module.replace('.', '/')}.py:{func}"


def rdate_rules(days: list[dt.date], moment: dt.time = MOMENT) -> list[str]:
    """``RDATE:…`` strings for these days at ``moment`` (09:00 local), each within Prefect's
    length limit."""
    moments = [dt.datetime.combine(d, moment).strftime("%Y%m%dT%H%M%S") for d in sorted(set(days))]
    rules: list[str] = []
    current: list[str] = []
    for m in moments:
        if len("RDATE:" + ",".join([*current, m])) > MAX_RRULE:
            rules.append("RDATE:" + ",".join(current))
            current = []
        current.append(m)
    if current:
        rules.append("RDATE:" + ",".join(current))
    return rules


def moments_words(days: Sequence[dt.date], zone: str, after: dt.date | None) -> str:
    """The next scheduled moments in words: «Ближайшие запуски: 9 января 2025, 09:00
    (Москва); …; всего 12, последний — 30 июня 2025».

    Args:
        after: the first day that counts (inclusive); None: from the first moment.
    """
    ahead = sorted(d for d in set(days) if after is None or d >= after)
    if not ahead:
        return "Запусков по расписанию больше нет." if days else "По расписанию не запускается."
    shown = "; ".join(f"{date_ru(d)}, {MOMENT:%H:%M} ({zone})" for d in ahead[:SHOWN_MOMENTS])
    label = "Ближайшие запуски" if after else "Запуски по расписанию"
    if len(ahead) <= SHOWN_MOMENTS:
        return f"{label}: {shown}."
    return sentence(f"{label}: {shown}; всего {len(ahead)}, последний — {date_ru(ahead[-1])}")


def _with_moments(
    description: str, days: Sequence[dt.date], program: Program, after: dt.date | None
) -> str:
    return f"{description}\n\n{moments_words(days, program.zone_words, after)}"


def form_schema(schema: dict[str, Any], spec: DeploymentSpec) -> dict[str, Any]:
    """The flow's parameter schema with the deployment's choices: a parameter with several
    allowed values becomes a select; one with a single value is shown, read-only.

    A field that may be left empty has no default in the form: the UI would send the
    default ``null`` and refuse it as «not of type 'string'»; left out, the flow's own
    default applies.
    """
    out = copy.deepcopy(schema)
    drop_null_defaults(out)
    for name, values in spec.choices.items():
        prop = out["properties"][name]
        prop["enum"] = list(values)
        if len(values) == 1:
            prop["readOnly"] = True
            prop["default"] = values[0]
    return out


def activity_moments(
    program: Program, obligations: list[Obligation], cal: WorkCalendar
) -> list[dt.date]:
    days: set[dt.date] = set()
    for o in obligations:
        facts = LadderFacts(opens=o.opens, due=o.due, state="open", cycle=0, since=o.opens)
        days.update(d.date for d in next_step_dates(program.ladder, facts, cal))
    return sorted(days)


def _activity_spec(
    program: Program,
    number: str,
    obligations: list[Obligation],
    cal: WorkCalendar,
    after: dt.date | None,
) -> DeploymentSpec:
    a = program.activity_map[number]
    owners = ", ".join(program.orgs[x].short_name for x in a.executors)
    dues = "; ".join(f"{period_words(o.period)} — {date_ru(o.due)}" for o in obligations[:12])
    if len(obligations) > 12:
        dues += f" и ещё {len(obligations) - 12}"
    if a.due_set_by_person or not obligations:  # a person sets the date; the sweep reminds
        dues = (
            "Сроки обязательств: отсчитываются от события и устанавливаются командой "
            "roadmap due set; напоминания по ним рассылает ежедневный обход."
        )
    else:
        dues = f"Сроки обязательств: {sentence(dues)}"
    description = (
        f"{a.number}. {a.name}\n\nСрок: {a.term}. Исполнители: {owners}. "
        f"Подтверждающий документ: {a.evidence.rstrip('.')}.\n\n{dues}"
    )
    days = activity_moments(program, obligations, cal)
    return DeploymentSpec(
        name=f"{a.number} {a.short_name}",
        flow="flows.activity:activity_flow",
        parameters={"activity": a.number},
        description=_with_moments(description, days, program, after),
        tags=("мероприятие", f"раздел {a.section}", f"ведущий {a.lead}"),
        schedules=tuple(Schedule(r) for r in rdate_rules(days)),
        choices={"activity": (a.number,)},
    )


def deployment_specs(
    program: Program, cal: WorkCalendar, after: dt.date | None = None
) -> list[DeploymentSpec]:
    """All deployments of ``program``: one per activity, then the program-wide flows.

    Each carries its program: the region starts its name and is its first tag (so the UI
    filters by region), the program's id is a tag and the ``program`` parameter of every
    run, and its schedules are in the program's time zone.

    Args:
        after: descriptions list the moments from this day on (``roadmap up`` passes
            today); None lists them from the first (``prefect.yaml`` stays the same).
    """
    return [
        replace(
            s,
            name=f"{program.region}: {s.name}",
            parameters={**s.parameters, "program": program.id},
            tags=(program.region, program.id, *s.tags),
            timezone=program.timezone,
        )
        for s in _program_specs(program, cal, after)
    ]


def _program_specs(
    program: Program, cal: WorkCalendar, after: dt.date | None = None
) -> list[DeploymentSpec]:
    obligations = expand_obligations(program, cal)
    by_activity: dict[str, list[Obligation]] = {}
    for o in obligations:
        if o.activity:
            by_activity.setdefault(o.activity, []).append(o)
    specs = [
        _activity_spec(program, a.number, by_activity.get(a.number, []), cal, after)
        for a in sorted(program.activities, key=lambda a: a.sort_key)
    ]
    specs.append(_sweep_spec(program, obligations, cal, after))
    if program.monitoring is not None:
        specs.append(_monitoring_spec(program, cal, after))
    if program.commission is not None:
        specs.append(_commission_spec(program, cal, after))
    specs.append(_reporting_spec(program, obligations, cal, after))
    specs.append(MAIL_SPEC)
    specs.append(_on_demand_spec(program))
    return specs


def _sweep_spec(
    program: Program, obligations: list[Obligation], cal: WorkCalendar, after: dt.date | None
) -> DeploymentSpec:
    """The daily sweep: every working day from the program's start until the last due date's
    escalations have run out."""
    span = program.span_period
    last_due = max(o.due for o in obligations)
    end = cal.add_working_days(last_due, 25)
    working = list(cal.working_days(span.start, end))
    return DeploymentSpec(
        name="Ежедневный обход",
        flow="flows.sweep:daily_sweep",
        parameters={},
        description=_with_moments(
            "Каждый рабочий день: отмечает просроченное, рассылает напоминания и "
            "уведомления, которые не отправили расписания мероприятий, отправляет "
            "исходящие и обновляет обзор «Состояние дорожной карты» (артефакты).",
            working,
            program,
            after,
        ),
        tags=("обход",),
        schedules=tuple(Schedule(r) for r in rdate_rules(working)),
    )


# every five minutes in working hours: the program mailbox's replies
MAIL_SPEC = DeploymentSpec(
    name="Входящая почта",
    flow="flows.mail:incoming_mail",
    parameters={},
    description="Каждые 5 минут в рабочее время (по будням, 08:00–19:55): читает "
    "почтовый ящик Программы (ROADMAP_IMAP_URL), учитывает документы из ответов "
    "исполнителей на письма Программы, направляет отправителям подтверждения или "
    "отказы и раскладывает письма по папкам «Принято», «Отказано», «Не распознано».",
    tags=("почта",),
    schedules=(Schedule("", cron=MAIL_CRON),),
)


def _on_demand_spec(program: Program) -> DeploymentSpec:
    """Consolidation on demand: no schedule, the curator's form."""
    return DeploymentSpec(
        name="Сводный отчёт по запросу",
        flow="flows.consolidation:consolidation_flow",
        parameters={},
        description="Запускается куратором из формы запуска: дата, период и форматы. "
        "Пишет сводный отчёт и прикладывает к запуску ссылки для скачивания файлов.\n\n"
        "По расписанию не запускается.",
        tags=("отчётность", "по запросу"),
        schedules=(),
        choices={"period": tuple(report_periods(program))},
    )


def _owner_tags(program: Program, number: str, *extra: str) -> tuple[str, ...]:
    a = program.activity_map[number]
    return ("мероприятие", f"раздел {a.section}", f"ведущий {a.lead}", *extra)


def _monitoring_spec(program: Program, cal: WorkCalendar, after: dt.date | None) -> DeploymentSpec:
    m = program.monitoring
    assert m is not None
    span = program.span_period
    months = [cal.roll_forward(p.start) for p in span.iter_months()]
    months.append(cal.roll_forward(span.last.next().first_day))
    return DeploymentSpec(
        name=f"{m.activity} Мониторинг численности детей",
        flow="flows.monitoring:headcount_monitoring",
        parameters={},
        description=_with_moments(
            f"Ежемесячно: собирает у министерств показатель «{m.title}» на 1-е число, "
            f"складывает и сравнивает с траекторией показателя {m.indicator}.",
            months,
            program,
            after,
        ),
        tags=_owner_tags(program, m.activity, "мониторинг"),
        schedules=tuple(Schedule(r) for r in rdate_rules(months)),
        choices={"month": tuple(month_choices(program))},
    )


def _commission_spec(program: Program, cal: WorkCalendar, after: dt.date | None) -> DeploymentSpec:
    c = program.commission
    assert c is not None
    meetings = [
        cal.add_working_days(cal.last_working_day_of_month(q.last.year, q.last.month), -c.lead_days)
        for q in program.span_period.iter_quarters()
    ]
    return DeploymentSpec(
        name=f"{c.activity} Заседание {c.short}",
        flow="flows.commission:commission_meeting",
        parameters={},
        description=_with_moments(
            "Ежеквартально: запрашивает предложения в повестку, готовит материалы к "
            "заседанию комиссии и собирает протокол.",
            meetings,
            program,
            after,
        ),
        tags=_owner_tags(program, c.activity, "комиссия"),
        schedules=tuple(Schedule(r) for r in rdate_rules(meetings)),
        choices={"quarter": tuple(quarter_choices(program))},
    )


def _reporting_spec(
    program: Program, obligations: list[Obligation], cal: WorkCalendar, after: dt.date | None
) -> DeploymentSpec:
    reporting: list[Schedule] = []
    moments: list[dt.date] = []
    periods: dict[str, list[Obligation]] = {}
    for o in obligations:
        if o.kind == "report":
            periods.setdefault(o.period.label, []).append(o)
    for label, items in sorted(periods.items(), key=lambda kv: min(o.opens for o in kv[1])):
        executors_due = max(o.due for o in items if o.report_kind == "executor")
        consolidated_due = max(o.due for o in items if o.report_kind == "consolidated")
        days = [
            cal.roll_forward(min(o.opens for o in items)),
            cal.add_working_days(executors_due, 1),
            cal.add_working_days(consolidated_due, -3),
        ]
        moments += days
        words = next(iter(words_of([parse_period(label)])))
        reporting.extend(Schedule(r, {"period": words}) for r in rdate_rules(days))
    chosen = [sch.parameters["period"] for sch in reporting]
    return DeploymentSpec(
        name="Полугодовая и годовая отчётность",
        flow="flows.reporting:reporting_flow",
        parameters={},
        description=_with_moments(
            "Открывает отчёты исполнителей за полугодие и год, напоминает о них и, когда они "
            "получены или срок прошёл, готовит сводный отчёт для Аппарата Уполномоченного.",
            moments,
            program,
            after,
        ),
        tags=("отчётность",),
        schedules=tuple(reporting),
        choices={"period": (BY_RUN_DATE, *dict.fromkeys(chosen))},
    )


FEDERAL_FLOW = "flows.federal:federal_view_flow"
FEDERAL_TIMEZONE = "Europe/Moscow"  # ROADMAP_FEDERAL_TIMEZONE's default


def federal_spec(
    programs: list[tuple[Program, WorkCalendar]], timezone: str = FEDERAL_TIMEZONE
) -> DeploymentSpec:
    """The federal view's refresh: once per stack, for every program it serves.

    It runs on every working day until the last report is due, an hour after the last region's
    daily sweep (09:00 in the westernmost zone), so that every region's day is in it. Its
    schedule is in ``timezone``, the Commissioner's Office's (Moscow time by default).
    """
    cal = programs[0][1]
    start = min(p.span_period.start for p, _ in programs)
    end = max(
        c.add_working_days(max(o.due for o in expand_obligations(p, c)), 5) for p, c in programs
    )
    probe = dt.date(start.year, 1, 15)
    zone = ZoneInfo(timezone)
    latest = max(
        dt.datetime.combine(probe, MOMENT, ZoneInfo(p.timezone)).astimezone(zone)
        for p, _ in programs
    )
    moment = (latest + dt.timedelta(hours=1)).time()
    regions = ", ".join(p.region for p, _ in programs)
    return DeploymentSpec(
        name="Федеральный свод по регионам",
        flow=FEDERAL_FLOW,
        parameters={},
        description="Для Аппарата Уполномоченного: по каждому региону — сводные отчёты "
        "получены и просрочены, полнота и своевременность исполнителей, численность детей "
        "на круглосуточном пребывании против траектории и прогноз, просроченные "
        f"мероприятия. Регионы: {regions}. Пишет Word, Excel и страницу панели.",
        tags=("федеральный свод",),
        schedules=tuple(
            Schedule(r) for r in rdate_rules(list(cal.working_days(start, end)), moment)
        ),
        timezone=timezone,
    )


def stack_specs(
    programs: list[tuple[Program, WorkCalendar]],
    *,
    federal_timezone: str = FEDERAL_TIMEZONE,
    lane: str = "all",
) -> list[DeploymentSpec]:
    """Every deployment of a stack: each program's, then the federal view once.

    ``lane`` is what the stack serves: ``all`` (one server for every region and the federal
    view), ``program`` (one region's own server: its deployments alone) or ``federal`` (the
    federal office's server: the federal view alone, over every region).
    """
    specs = [s for program, cal in programs for s in deployment_specs(program, cal)]
    if lane == "program" or not programs:
        return specs
    federal = federal_spec(programs, federal_timezone)
    return [federal] if lane == "federal" else [*specs, federal]


HEADER = """\
# Generated by `roadmap deployments` from the program data; do not edit by hand
# (tests/flows/test_deployments.py fails when it is out of date).
# Past one machine: create the process pool `roadmap`, run `prefect deploy --all` from the
# repository root, and start workers there: `prefect worker start --pool roadmap`.
"""


def prefect_yaml(specs: list[DeploymentSpec], timezone: str | None = None) -> str:
    """The text of ``prefect.yaml`` for these deployments (each in its own zone, else
    ``timezone``)."""
    doc = {
        "name": "roadmap",
        "prefect-version": "3.8.8",
        "deployments": [
            {
                "name": s.name,
                "entrypoint": s.entrypoint,
                "description": s.description,
                "tags": list(s.tags),
                "parameters": s.parameters,
                "work_pool": {"name": POOL},
                "schedules": [
                    {
                        **sch.as_prefect(s.timezone or timezone),
                        **({"parameters": sch.parameters} if sch.parameters else {}),
                    }
                    for sch in s.schedules
                ],
            }
            for s in specs
        ],
    }
    return HEADER + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000)
