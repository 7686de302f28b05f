"""The program model: what the program data says, as typed objects.

YAML becomes these at the boundary (``loader.py``); inside, code works with them only.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from roadmap.dates.periods import Period, parse_period
from roadmap.errors import InvalidPeriod, InvalidTerm
from roadmap.terms.model import AfterPeriod
from roadmap.terms.reading import parse_deadline
from roadmap.words.wording import address_ru

OrgKind = Literal[
    "ministry",
    "agency",
    "government_office",
    "commission",
    "state_institution",
    "federal_body",
    "ngo",
    "media",
    "official",
    "institution_group",
    "municipal_group",
    "other_group",
]
GROUP_KINDS = frozenset({"institution_group", "municipal_group", "other_group"})
Direction = Literal["down", "up"]
Role = Literal["executor", "head", "coordinator", "curator", "commission"]


class _Model(BaseModel):
    # a number in program data is finite: YAML reads .nan and .inf as floats, and one such
    # value took every region's federal view, forecast and reports down
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Organization(_Model):
    """A body that executes activities, or reads reports about them."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    short_name: str
    kind: OrgKind
    aliases: tuple[str, ...] = ()
    reports_via: str | None = None
    executor: bool = True

    @property
    def is_group(self) -> bool:
        return self.kind in GROUP_KINDS


class Section(_Model):
    number: str = Field(pattern=r"^[IVXLC]+$")
    title: str


class Target(_Model):
    """A quantitative target in an expected result (see ``targets.py``)."""

    value: float
    unit: str
    text: str
    baseline: float | None = None


def activity_key(number: str | None) -> tuple[int, ...]:
    """The road map's order of activity numbers: «1.7» before «1.11» (not as text); no
    number (a report) after every activity."""
    if not number:
        return (10**6,)
    return tuple(int(x) if x.isdigit() else 10**6 for x in number.split("."))


class Activity(_Model):
    """A road-map activity, as the road map states it."""

    number: str = Field(pattern=r"^\d+\.\d+$")
    section: str
    name: str
    # names deployments and run names, which may not contain «/»
    short_name: str = Field(pattern=r"^[^/%&<>]+$", max_length=60)
    term: str
    executors_text: str
    executors: tuple[str, ...] = Field(min_length=1)
    evidence: str
    result: str
    targets: tuple[Target, ...] = ()
    # Rule 8: a person sets the due date: the term counts from an event («в 30-дневный
    # срок»; such a term is dated so without the mark too), or no rule reads it (then the
    # mark keeps the activity in the program until the term is rewritten).
    due_set_by_person: bool = False

    @property
    def lead(self) -> str:
        """The first executor leads; the others are co-executors."""
        return self.executors[0]

    @property
    def co_executors(self) -> tuple[str, ...]:
        return self.executors[1:]

    @property
    def sort_key(self) -> tuple[int, int]:
        a, b = self.number.split(".")
        return int(a), int(b)


class IndicatorGroup(_Model):
    number: int
    title: str
    title_source: Literal["seed", "reconstructed"] = "seed"


class Indicator(_Model):
    """A key indicator; ``targets`` follow the program's ``checkpoints`` position by position."""

    code: str = Field(pattern=r"^\d+\.\d+$")
    group: int
    name: str
    unit: str
    direction: Direction
    direction_note: str | None = None
    # Organizations whose values add up to the regional figure; empty: one regional value.
    contributors: tuple[str, ...] = ()
    targets: tuple[float | None, ...]

    @property
    def baseline(self) -> float | None:
        return self.targets[0] if self.targets else None


class Checkpoint(_Model):
    """A date at which indicators have targets (see the program file for how they were read)."""

    period: str
    date: dt.date
    label: str
    # how the program's table reads this column, when it is more than a target
    # («исходное значение»: the first column doubles as the starting value)
    note: str | None = None

    @field_validator("period")
    @classmethod
    def _period_parses(cls, v: str) -> str:
        parse_period(v)
        return v


class ReportingRules(_Model):
    """Reporting deadlines from the program's narrative (see ``obligations.py`` for the rules)."""

    executor_half_year_working_days: int = 20
    executor_annual_due: str = Field("02-10", pattern=r"^\d{2}-\d{2}$")
    consolidated_owner: str
    consolidated_recipient: str
    consolidated_half_year_due: str = Field("08-01", pattern=r"^\d{2}-\d{2}$")
    consolidated_annual_due: str = Field("03-01", pattern=r"^\d{2}-\d{2}$")
    consolidated_half_years: tuple[int, ...] = (1,)
    report_evidence: str = (
        "информация (отчет) о выполнении ключевых показателей и мероприятий «дорожной карты» "
        "с приложением подтверждающих документов"
    )
    consolidated_evidence: str = "сводный отчёт об исполнении мероприятий Программы"


class Person(_Model):
    """Someone named in a document: who signs it, or who prepared it («Исполнитель»).

    A name not yet known stays empty, and the document leaves a line to write it on.
    """

    name: str | None = None
    position: str | None = None
    phone: str | None = None
    email: str | None = None

    @property
    def initials_name(self) -> str | None:
        """«И.О. Фамилия» from «Фамилия Имя Отчество» or «Имя Отчество Фамилия» (the order
        told by where the patronymic stands), as a signature block writes it."""
        if not self.name:
            return None
        parts = self.name.split()
        if len(parts) < 2:
            return self.name
        called = address_ru(self.name)
        if len(parts) == 3 and called is not None and called[0] == " ".join(parts[:2]):
            given, surname = parts[:2], parts[2]  # «Имя Отчество Фамилия»
        else:
            given, surname = parts[1:3], parts[0]
        initials = "".join(f"{p[0]}." for p in given)
        return f"{initials}\u00a0{surname}"


class ConsolidatedReport(_Model):
    """Who sends the consolidated report, to whom, and who signs it.

    ``submitted_by`` is the sender in the instrumental case, as the report's title block
    says it («Представляется министерством …»). ``addressee`` is the «кому» requisite as
    the letter writes it (by default the recipient organisation's name);
    ``outgoing_number`` and ``outgoing_date`` are the registration requisites, left as
    lines to fill («№ ____ от ________») while unset.
    """

    submitted_by: str
    addressee: str | None = None
    outgoing_number: str | None = None
    outgoing_date: dt.date | None = None
    signatory: Person | None = None
    performer: Person | None = None


class Approval(_Model):
    """The act that approved the program and its clause on reporting, as letters cite them.

    ``act`` is the act in the instrumental case, as it reads after «утверждена»
    («постановлением комиссии по делам несовершеннолетних …»); ``date`` and ``number`` its
    details when known; ``reporting_clause`` the program's own sentence on who reports
    what to whom and by when, as a letter restates it.
    """

    act: str
    date: dt.date | None = None
    number: str | None = None
    reporting_clause: str | None = None

    def citation(self, title: str) -> str:
        """«Основание: <title>, утверждённая <act> от 12.03.2025 № 17-кдн. Согласно
        Программе <clause>.»"""
        details = f" от {self.date:%d.%m.%Y}" if self.date else ""
        details += f" № {self.number}" if self.number else ""
        text = f"Основание: {title}, утверждённая {self.act}{details}."
        if self.reporting_clause:
            clause = self.reporting_clause.rstrip(" .")
            text += f" Согласно Программе {clause}."
        return text


class Panel(_Model):
    """What the information panel shows of the target groups, by indicator code.

    The program asks for «актуальная статистика и ситуация по целевым группам»; the
    indicators that say it are named here, in the order the panel shows them.
    """

    indicators: tuple[str, ...] = Field(min_length=1)
    # the activities the panel and its public form (the annual report) answer
    activity: str | None = None
    public_activity: str | None = None


class MonitoringPart(_Model):
    """One organisation's part of the monthly monitored indicator, as forms label it."""

    org: str
    label: str
    institutions: str
    # the share of the total a simulated month gives this part (``roadmap simulate``)
    simulated_share: float | None = Field(None, ge=0, le=1)


class Monitoring(_Model):
    """The monthly monitoring: the activity that owns it and the indicator it collects."""

    activity: str
    indicator: str
    # what is counted, as forms and messages say it («Численность детей на … пребывании»)
    title: str
    parts: tuple[MonitoringPart, ...] = Field(min_length=1)


class Commission(_Model):
    """The commission's meetings: the activity that owns them and who is asked for agenda items."""

    activity: str
    asked: tuple[str, ...] = Field(min_length=1)
    # working days before the quarter's last working day that the flow starts
    lead_days: int = Field(15, ge=1)
    # the commission as the program's act names it, in the genitive («заседание … комиссии
    # по делам несовершеннолетних и защите их прав …»): the agenda letter's words; and a
    # short form for the deployment's name. Without them: «комиссии».
    name: str = "комиссии"
    short_name: str | None = None

    @property
    def short(self) -> str:
        """The commission in the genitive, short enough for a deployment's name."""
        return self.short_name or self.name


class ForecastRule(_Model):
    """How the early warning judges a projection against the plan, and the rule's source.

    At each checkpoint ahead, the projected value is compared with the target:
    «в пределах плана» when it reaches the target or misses it by no more than
    ``tolerance`` (a share of the target, in the indicator's worse direction), or when the
    probability of reaching the target is still ``risk_probability`` or more (None: any
    miss beyond the tolerance is a risk); «риск недостижения» when it misses by more and
    reaching the target is less likely than that; «высокий риск недостижения» when even the
    better end of the ``interval`` (the central prediction interval's coverage) misses by
    more. ``tolerance`` None is the explanation margin (``ROADMAP_EXPLANATION_MARGIN``):
    the same share beyond which a reported value must be explained.

    A monthly series is judged from ``min_monthly_values`` values on (fewer: «недостаточно
    данных», no projection). The monthly alert goes out when the verdict at the program's
    end has warned at ``confirm_months`` consecutive monthly assessments; the verdict shown
    is each month's own.
    """

    tolerance: float | None = Field(None, ge=0, lt=1)
    interval: float = Field(0.8, gt=0, lt=1)
    risk_probability: float | None = Field(1 / 3, gt=0, le=1)
    min_monthly_values: int = Field(12, ge=3)
    confirm_months: int = Field(2, ge=1)
    source: str = (
        "the monitoring of national and regional projects judges the forecast value at the "
        "end of a period against the plan; the tolerance is the explanation margin"
    )

    def tolerance_or(self, margin: float) -> float:
        """``tolerance``, or the explanation ``margin`` when the program sets none."""
        return margin if self.tolerance is None else self.tolerance


DayOff = Literal["forward", "backward"]
Until = Literal["the_date", "day_before"]


class Conventions(_Model):
    """How a program reads what its words leave open; the defaults are the first program's.

    ``monthly_due``: when «ежемесячно» with no deadline of its own is due, as a deadline's
    words. ``day_off``: which way a deadline given as a calendar date moves when it falls on
    a day off: ``forward`` to the next working day (Civil Code art. 193) or ``backward`` to
    the one before. ``until``: how «до <даты>» reads: ``the_date`` (that day is the last
    one) or ``day_before``. ``second_half_year_report``: whether executors report on the
    second half-year on its own, besides the annual report.
    """

    monthly_due: str = "не позднее 5-го рабочего дня месяца, следующего за отчетным месяцем"
    day_off: DayOff = "forward"
    until: Until = "the_date"
    second_half_year_report: bool = False

    @field_validator("monthly_due")
    @classmethod
    def _monthly_due_reads(cls, v: str) -> str:
        _monthly_deadline(v)
        return v

    @property
    def monthly_deadline(self) -> AfterPeriod:
        """``monthly_due`` read: a day of the month after the reported month."""
        return _monthly_deadline(self.monthly_due)

    @property
    def executor_half_years(self) -> tuple[int, ...]:
        """The half-years that executors report on by themselves (rule 5)."""
        return (1, 2) if self.second_half_year_report else (1,)


def _monthly_deadline(text: str) -> AfterPeriod:
    try:
        deadline = parse_deadline(text)
    except InvalidTerm as exc:
        raise ValueError(exc.message) from None
    if not isinstance(deadline, AfterPeriod) or deadline.after not in (None, "month"):
        raise ValueError(
            f"«{text}»: ожидается день месяца, следующего за отчетным месяцем, например "
            "«до 10-го числа месяца, следующего за отчетным месяцем»"
        )
    return deadline


class LadderStep(_Model):
    """One step of the reminder and escalation ladder.

    ``offset`` is in working days relative to the due date (negative before it); the step
    ``open`` has no offset and fires when the obligation opens.
    """

    step: str = Field(pattern=r"^[a-z0-9-]+$")
    offset: int | None = None
    to: tuple[Role, ...]
    cc: tuple[Role, ...] = ()
    while_unsubmitted: bool = True


DEFAULT_LADDER: tuple[LadderStep, ...] = (
    LadderStep(step="open", offset=None, to=("executor",), while_unsubmitted=False),
    LadderStep(step="remind-10", offset=-10, to=("executor",)),
    LadderStep(step="remind-3", offset=-3, to=("executor",)),
    LadderStep(step="due", offset=0, to=("executor",)),
    LadderStep(step="overdue", offset=1, to=("executor",)),
    LadderStep(step="escalate-1", offset=5, to=("head",), cc=("coordinator",)),
    LadderStep(step="escalate-2", offset=10, to=("curator",)),
    LadderStep(step="escalate-3", offset=20, to=("commission",)),
)


# A value above its unit's ceiling is a typo, not a result (``Program.value_ceilings``).
DEFAULT_CEILING = 1_000_000.0
PERCENT = "%"


# «federal» owns the federal view's files and links beside the programs' own
RESERVED_IDS = frozenset({"federal"})


class Program(_Model):
    """A regional program: its road map, indicators, organizations and rules."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    region: str
    span: str
    timezone: str
    # how a time reads in this zone, after it: «09:00 (Москва)»; default: the zone's city
    timezone_name: str | None = None
    calendar: str = "RU"
    source: str | None = None
    # the region's contacts file (outside the repository): relative to the program's folder,
    # or absolute; without it the folder's own contacts.yaml, if there is one, and
    # ROADMAP_CONTACTS_FILE serves a lone program
    contacts_file: str | None = None
    # The key that signs this region's intake and report links when it has one of its own (a
    # shared intake page for regions whose people must not open each other's links): never
    # the key itself, only where it is kept, «prefect-secret:NAME» or «env:NAME».
    intake_secret: str | None = Field(None, pattern=r"^(prefect-secret|env):[A-Za-z0-9_.-]+$")
    # The name the program's letters come from, beside the address the SMTP settings give:
    # «Министерство … края (дорожная карта)»; without it, the SMTP settings' own name.
    sender: str | None = None
    # the act that approved the program and its reporting clause, cited by the letters
    approval: Approval | None = None
    checkpoints: tuple[Checkpoint, ...]
    reporting: ReportingRules
    conventions: Conventions = Conventions()
    ladder: tuple[LadderStep, ...] = DEFAULT_LADDER
    # The largest plausible value per unit of an indicator or target; «*»: any other unit.
    value_ceilings: dict[str, float] = Field(default_factory=dict)
    consolidated: ConsolidatedReport
    monitoring: Monitoring | None = None
    commission: Commission | None = None
    panel: Panel | None = None
    forecast: ForecastRule = ForecastRule()
    sections: tuple[Section, ...]
    indicator_groups: tuple[IndicatorGroup, ...]
    organizations: tuple[Organization, ...]
    indicators: tuple[Indicator, ...]
    activities: tuple[Activity, ...]

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, ignored_types=(cached_property,)
    )

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_IDS:
            raise ValueError(f"«{value}» занято: так названы файлы федерального свода")
        return value

    def value_ceiling(self, unit: str) -> float:
        """The largest value that is plausible in ``unit`` (a percentage: at most 100)."""
        ceiling = self.value_ceilings.get(unit, self.value_ceilings.get("*", DEFAULT_CEILING))
        return min(ceiling, 100.0) if unit.strip() == PERCENT else ceiling

    @property
    def zone_words(self) -> str:
        """The zone as a person reads it after a time: ``timezone_name``, or the zone's city."""
        return self.timezone_name or self.timezone.rsplit("/", 1)[-1].replace("_", " ")

    @cached_property
    def span_period(self) -> Period:
        return parse_period(self.span)

    def period_within(self, label: str) -> Period:
        """A period of this program: readable, and not wholly outside the program's span.

        Raises:
            InvalidPeriod: unreadable, or outside the span.
        """
        period = parse_period(label)
        if period.clamp(self.span_period) is None:
            raise InvalidPeriod(
                f"период {period.label} вне срока программы ({self.span_period.label})"
            )
        return period

    @cached_property
    def orgs(self) -> dict[str, Organization]:
        return {o.id: o for o in self.organizations}

    @cached_property
    def activity_map(self) -> dict[str, Activity]:
        return {a.number: a for a in self.activities}

    @cached_property
    def indicator_map(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}

    @cached_property
    def section_map(self) -> dict[str, Section]:
        return {s.number: s for s in self.sections}

    def speaks_for_lead(self, org_id: str, lead: str) -> bool:
        """Whether ``org_id`` answers for the lead executor ``lead``: the lead itself, or the
        body that reports for it. Only they (and the coordinator) may close an obligation
        without documents, by declaring it not applicable; a co-executor may not."""
        if org_id == lead:
            return True
        return lead in self.orgs and self.reporting_body(lead) == org_id

    def reporting_body(self, org_id: str) -> str:
        """The body that reports for ``org_id``: itself, or the end of its ``reports_via`` chain."""
        seen = set()
        current = org_id
        while (nxt := self.orgs[current].reports_via) is not None:
            if current in seen:  # a cycle is refused by the loader; never loop here
                break
            seen.add(current)
            current = nxt
        return current

    @cached_property
    def reporting_bodies(self) -> dict[str, str]:
        """Each organisation's ``reporting_body``, by its id."""
        return {o: self.reporting_body(o) for o in self.orgs}
