"""Every deployment of a program, with its schedule, built from the program data.

Schedules are lists of explicit moments (RRule ``RDATE``), so a run exists for each real
event and not for empty days: an activity's deployment fires when one of its obligations
opens or a ladder step falls due; the daily sweep fires on every working day of the
production calendar (cron cannot know transferred days off); monitoring on the first
working day of each month; the commission's flow 15 working days before each quarter
ends; reporting when reports open, after the executors' deadline and before the
consolidated report is due. Moments are 09:00 in the program's time zone, when the
sending window opens. ``prefect.yaml`` is generated from this (``roadmap deployments``);
``roadmap up`` serves the same list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from roadmap.ladder import LadderFacts, next_step_dates
from roadmap.obligations import Obligation, expand_obligations
from roadmap.program import Program
from roadmap.wording import date_ru
from roadmap.workdays import WorkCalendar

# prefect/client/schemas/schedules.py MAX_RRULE_LENGTH is 6500, and the client prepends
# "DTSTART:20200101T000000\n" (24 characters) before it checks: leave room for it.
MAX_RRULE = 6500 - 64
MOMENT = dt.time(9, 0)
POOL = "roadmap"


@dataclass(frozen=True)
class Schedule:
    rrule: str
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    flow: str  # module:function in flows/
    parameters: dict[str, Any]
    description: str
    tags: tuple[str, ...]
    schedules: tuple[Schedule, ...]
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


def activity_moments(
    program: Program, obligations: list[Obligation], cal: WorkCalendar
) -> list[dt.date]:
    days: set[dt.date] = set()
    for o in obligations:
        facts = LadderFacts(opens=o.opens, due=o.due, state="open", cycle=0, since=o.opens)
        days.update(d.date for d in next_step_dates(program.ladder, facts, cal))
    return sorted(days)


def _activity_spec(
    program: Program, number: str, obligations: list[Obligation], cal: WorkCalendar
) -> DeploymentSpec:
    a = program.activity_map[number]
    owners = ", ".join(program.orgs[x].short_name for x in a.executors)
    dues = ", ".join(f"{o.period.label} — {date_ru(o.due)}" for o in obligations[:12])
    if len(obligations) > 12:
        dues += f" и ещё {len(obligations) - 12}"
    description = (
        f"{a.number}. {a.name}\n\nСрок: {a.term}. Исполнители: {owners}. "
        f"Подтверждающий документ: {a.evidence}.\n\nСроки обязательств: {dues}."
    )
    return DeploymentSpec(
        name=f"{a.number} {a.short_name}",
        flow="flows.activity:activity_flow",
        parameters={"activity": a.number},
        description=description,
        tags=("мероприятие", f"раздел {a.section}", f"ведущий {a.lead}"),
        schedules=tuple(
            Schedule(r) for r in rdate_rules(activity_moments(program, obligations, cal))
        ),
    )


def deployment_specs(program: Program, cal: WorkCalendar) -> list[DeploymentSpec]:
    """All deployments of ``program``: one per activity, then the program-wide flows.

    Each carries its program: the region starts its name and is its first tag (so the UI
    filters by region), the program's id is a tag and the ``program`` parameter of every
    run, and its schedules are in the program's time zone.
    """
    return [
        replace(
            s,
            name=f"{program.region}: {s.name}",
            parameters={**s.parameters, "program": program.id},
            tags=(program.region, program.id, *s.tags),
            timezone=program.timezone,
        )
        for s in _program_specs(program, cal)
    ]


def _program_specs(program: Program, cal: WorkCalendar) -> list[DeploymentSpec]:
    obligations = expand_obligations(program, cal)
    by_activity: dict[str, list[Obligation]] = {}
    for o in obligations:
        if o.activity:
            by_activity.setdefault(o.activity, []).append(o)
    specs = [
        _activity_spec(program, a.number, by_activity.get(a.number, []), cal)
        for a in sorted(program.activities, key=lambda a: a.sort_key)
    ]
    span = program.span_period
    last_due = max(o.due for o in obligations)
    end = cal.add_working_days(last_due, 25)
    working = list(cal.working_days(span.start, end))
    specs.append(
        DeploymentSpec(
            name="Ежедневный обход",
            flow="flows.sweep:daily_sweep",
            parameters={},
            description="Каждый рабочий день: отмечает просроченное, рассылает напоминания и "
            "эскалации, которые не отправили расписания мероприятий, и отправляет исходящие.",
            tags=("обход",),
            schedules=tuple(Schedule(r) for r in rdate_rules(working)),
        )
    )
    if program.monitoring is not None:
        specs.append(_monitoring_spec(program, cal))
    if program.commission is not None:
        specs.append(_commission_spec(program, cal))
    specs.append(_reporting_spec(obligations, cal))
    specs.append(
        DeploymentSpec(
            name="Сводный отчёт по запросу",
            flow="flows.consolidation:consolidation_flow",
            parameters={},
            description="Запускается куратором из формы запуска: дата, период и форматы. "
            "Пишет сводный отчёт и прикладывает ссылки на файлы к запуску.",
            tags=("отчётность", "по запросу"),
            schedules=(),
        )
    )
    return specs


def _owner_tags(program: Program, number: str, *extra: str) -> tuple[str, ...]:
    a = program.activity_map[number]
    return ("мероприятие", f"раздел {a.section}", f"ведущий {a.lead}", *extra)


def _monitoring_spec(program: Program, cal: WorkCalendar) -> DeploymentSpec:
    m = program.monitoring
    assert m is not None
    span = program.span_period
    months = [cal.roll_forward(p.start) for p in span.iter_months()]
    months.append(cal.roll_forward(span.last.next().first_day))
    return DeploymentSpec(
        name=f"{m.activity} Мониторинг численности детей",
        flow="flows.monitoring:headcount_monitoring",
        parameters={},
        description=f"Ежемесячно: собирает у министерств показатель «{m.title}» на 1-е число, "
        f"складывает и сравнивает с траекторией показателя {m.indicator}.",
        tags=_owner_tags(program, m.activity, "мониторинг"),
        schedules=tuple(Schedule(r) for r in rdate_rules(months)),
    )


def _commission_spec(program: Program, cal: WorkCalendar) -> DeploymentSpec:
    c = program.commission
    assert c is not None
    meetings = [
        cal.add_working_days(cal.last_working_day_of_month(q.last.year, q.last.month), -c.lead_days)
        for q in program.span_period.iter_quarters()
    ]
    return DeploymentSpec(
        name=f"{c.activity} Заседание межведомственной комиссии",
        flow="flows.commission:commission_meeting",
        parameters={},
        description="Ежеквартально: запрашивает предложения в повестку, готовит материалы к "
        "заседанию комиссии и собирает протокол.",
        tags=_owner_tags(program, c.activity, "комиссия"),
        schedules=tuple(Schedule(r) for r in rdate_rules(meetings)),
    )


def _reporting_spec(obligations: list[Obligation], cal: WorkCalendar) -> DeploymentSpec:
    reporting: list[Schedule] = []
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
        reporting.extend(Schedule(r, {"period": label}) for r in rdate_rules(days))
    return DeploymentSpec(
        name="Полугодовая и годовая отчётность",
        flow="flows.reporting:reporting_flow",
        parameters={},
        description="Открывает отчёты исполнителей за полугодие и год, напоминает о них и, "
        "когда они получены или срок прошёл, готовит сводный отчёт для Аппарата Уполномоченного.",
        tags=("отчётность",),
        schedules=tuple(reporting),
    )


FEDERAL_FLOW = "flows.federal:federal_view_flow"


def federal_spec(programs: list[tuple[Program, WorkCalendar]]) -> DeploymentSpec:
    """The federal view's refresh: once per stack, for every program it serves.

    It runs on every working day until the last report is due, an hour after the last region's
    daily sweep (09:00 in the westernmost zone), so that every region's day is in it.
    Moments are in UTC: the regions' zones differ.
    """
    cal = programs[0][1]
    start = min(p.span_period.start for p, _ in programs)
    end = max(
        c.add_working_days(max(o.due for o in expand_obligations(p, c)), 5) for p, c in programs
    )
    probe = dt.date(start.year, 1, 15)
    latest = max(
        dt.datetime.combine(probe, MOMENT, ZoneInfo(p.timezone)).astimezone(dt.UTC)
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
        timezone="UTC",
    )


def stack_specs(programs: list[tuple[Program, WorkCalendar]]) -> list[DeploymentSpec]:
    """Every deployment of a stack: each program's, then the federal view once."""
    specs = [s for program, cal in programs for s in deployment_specs(program, cal)]
    return [*specs, federal_spec(programs)] if programs else specs


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
                        "rrule": sch.rrule,
                        "timezone": s.timezone or timezone,
                        **({"parameters": sch.parameters} if sch.parameters else {}),
                    }
                    for sch in s.schedules
                ],
            }
            for s in specs
        ],
    }
    return HEADER + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000)
