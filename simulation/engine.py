"""Time travel: the engine run day by day over simulated time, without the Prefect server.

A fresh database gets the program and the contacts on the first day; then, for each day,
simulated executors submit (on time, late, or never, as the behaviour profile draws it for
each obligation), a simulated coordinator reviews (returning some submissions once), values
are given for the indicators (the monitored headcount monthly, the others at checkpoints), the
consolidated report is written on its due dates, and on working days the same sweep the
flows call runs at 10:00 and sends to the file outbox. Everything is seeded: the same seed
gives the same summary, byte for byte. The simulated people act through the same use
cases as real ones (``services``) on a runtime of their own (``simulation_runtime``): a
fresh SQLite database, the file outbox and the evidence store in the work folder. This
module builds no SQL and imports no Prefect; ``sweep`` can be replaced (the Prefect path
test passes a sweep that runs the real flow).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notifications.delivery import FileTransport, Transports
from roadmap.dates.periods import Period, parse_period
from roadmap.obligations.expansion import Obligation, expand_obligations
from roadmap.obligations.keys import ObligationId
from roadmap.program.contacts import ContactSpec
from roadmap.program.model import Program
from roadmap.reports.actuals import target_for
from roadmap.reports.doc_details import DocumentDetails
from roadmap.reports.report import MINISTRY_KINDS, headcount_series
from services import answers, reports
from services import program as program_data
from services.answers import Who
from services.runtime import Runtime
from services.settings import Settings
from services.status import obligation, status_on
from services.status import obligations as obligations_of
from services.sweep import SweepReport, sweep_day
from simulation.behaviour import Decision, Profile, decide, stream
from storage.errors import ExplanationRequired, NotFound
from storage.tables import OutboxRecord

CHANNEL = "simulation"
# The hour of the day, program time, of each simulated act; a day's acts happen in this order,
# the sweep at SWEEP_HOUR between them, so that what one act reads (a report made at noon)
# holds what was recorded before it that day (the documents handed in at nine) and nothing
# recorded after it: as a report made later for that day reads it
HOURS = {"submit": 9, "headcount": 11, "checkpoint": 11, "report": 12, "accept": 16, "reject": 16}
SWEEP_HOUR = 10
Sweep = Callable[..., Any]
CLOSED = ("cancelled", "not_applicable", "accepted", "closed_late")


def simulation_runtime(settings: Settings, program: Program, workdir: Path) -> Runtime:
    """A runtime for a simulation in ``workdir``: its own database, evidence and outbox.

    Messages go to the file outbox only, built exactly as production builds them (with
    intake links when ``ROADMAP_PUBLIC_BASE_URL`` is set).
    """
    local = settings.model_copy(
        update={
            "home": workdir,
            "database_url": f"sqlite:///{(workdir / 'simulation.db').resolve()}",
            "evidence_dir": workdir / "evidence",
            "outbox_dir": workdir / "outbox",
            "reports_dir": workdir / "reports",
            "smtp_url": None,
            "telegram_bot_token": None,
            "prefect_api_url": None,
        }
    )
    files = Transports(files=FileTransport(workdir / "outbox", settings.mail_from))
    return Runtime(local, program_override=program, transports_override=files, offline=True)


def default_sweep(rt: Runtime, *, as_of: dt.date, now: dt.datetime) -> Any:
    return sweep_day(rt, as_of=as_of, now=now)


@dataclass
class Day:
    date: dt.date
    submitted: int = 0
    accepted: int = 0
    rejected: int = 0
    values: int = 0
    marked_overdue: int = 0
    steps: int = 0
    recorded: int = 0

    def line(self) -> str:
        return (
            f"{self.date.isoformat()}: представлено {self.submitted}, принято {self.accepted}, "
            f"возвращено {self.rejected}, значений {self.values}, просрочено отмечено "
            f"{self.marked_overdue}, шагов лестницы {self.steps}, "
            f"сообщений записано {self.recorded}"
        )


@dataclass
class SimulationResult:
    summary: dict[str, Any]
    days: list[Day] = field(default_factory=list)


def _pdf(text: str) -> bytes:
    """A small, valid one-page PDF naming what it is evidence for (so each file has its own
    hash); the same text gives the same bytes, so a seed gives the same evidence files."""
    head = f"%PDF-1.4\n% {text}\n".encode()
    objects = (
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    )
    body, offsets = head, []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj%s endobj\n" % (n, obj)
    xref = b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % len(body)
    return body + xref + trailer


class Simulation:
    def __init__(
        self,
        rt: Runtime,
        *,
        profile: Profile,
        seed: int,
        start: dt.date,
        end: dt.date,
        contacts: list[ContactSpec],
        write_reports: bool = True,
        sweep: Sweep = default_sweep,
    ) -> None:
        self.rt, self.program, self.cal, self.profile = rt, rt.program, rt.calendar, profile
        self.seed, self.start, self.end, self.contacts = seed, start, end, contacts
        self.zone = rt.zone
        self.workdir = rt.settings.home
        self.write_reports = write_reports
        self.documents = 0  # documents handed in so far: their outgoing numbers
        self.sweep = sweep
        self.events: dict[dt.date, list[tuple[str, str]]] = defaultdict(list)
        self.decisions: dict[str, Decision] = {}
        self.rejected: set[str] = set()  # returned once already: the next submission is accepted
        self.reports: list[Path] = []
        self.consolidated: dict[str, Path] = {}  # period → its latest consolidated .docx
        self.made: set[tuple[str, dt.date]] = set()  # (period, day) of each report made
        # the runtime's clock reads the simulated moment: whatever a use case records at
        # «now» (a stored report, a link, a woken flow) is dated on the simulated day
        self.moment = self.at(start, 8)
        rt.clock = self.clock

    def at(self, day: dt.date, hour: int) -> dt.datetime:
        """``hour`` o'clock of ``day`` in the program's zone; the simulated clock moves to it."""
        self.moment = dt.datetime.combine(day, dt.time(hour), self.zone).astimezone(dt.UTC)
        return self.moment

    def clock(self) -> dt.datetime:
        """The simulated moment: the last one an act of the simulation was dated."""
        return self.moment

    def run(self, progress: Callable[[dt.date], None] | None = None) -> SimulationResult:
        obligations = expand_obligations(self.program, self.cal)
        first = self.at(self.start, 8)
        program_data.sync(self.rt, at=first, obligations=obligations)
        program_data.load_contacts(self.rt, self.contacts, by="simulation", at=first)
        self._plan(obligations)
        result = SimulationResult(summary={})
        day = self.start
        while day <= self.end:
            record = Day(day)
            self._act(day, record, before_sweep=True)
            if self.cal.is_working_day(day):
                report = self.sweep(self.rt, as_of=day, now=self.at(day, SWEEP_HOUR))
                if isinstance(report, SweepReport):  # the Prefect path returns the flow's dict
                    record.marked_overdue = report.marked_overdue
                    record.steps, record.recorded = len(report.plan.steps), report.plan.recorded
            self._act(day, record, before_sweep=False)
            result.days.append(record)
            if progress:
                progress(day)
            day += dt.timedelta(days=1)
        result.summary = self._summary(obligations, result.days)
        return result

    # --- the simulated people -------------------------------------------------------------
    def _plan(self, obligations: list[Obligation]) -> None:
        for o in obligations:
            d = decide(self.profile, o.id, o.lead, self.seed)
            self.decisions[o.id] = d
            if d.outcome == "never":
                continue
            day = self.cal.add_working_days(o.due, d.offset) if d.offset else o.due
            day = max(day, o.opens, self.start)
            if day <= self.end:
                self.events[day].append(("submit", o.id))
        for cp in self.program.checkpoints:
            day = self.cal.add_working_days(cp.date, 5)
            self.events[day].append(("checkpoint", cp.period))
        for p in self.program.span_period.iter_months():
            self.events[self.cal.roll_forward(p.start)].append(("headcount", p.label))
        for o in obligations:  # as the reporting flow: three working days before it is due
            if o.kind == "report" and o.report_kind == "consolidated":
                self.events[self.cal.add_working_days(o.due, -3)].append(("report", o.period.label))

    def _act(self, day: dt.date, record: Day, *, before_sweep: bool) -> None:
        """The day's acts before the sweep, or all that are left after it, hour by hour."""
        todo = self.events.pop(day, [])
        if before_sweep:
            self.events[day] = [e for e in todo if HOURS[e[0]] >= SWEEP_HOUR]
            todo = [e for e in todo if HOURS[e[0]] < SWEEP_HOUR]
        for kind, key in sorted(todo, key=lambda e: (HOURS[e[0]], e)):
            if kind == "submit":
                self._submit(day, key, record)
            elif kind in ("accept", "reject"):
                self._review(day, key, kind == "accept", record)
            elif kind == "headcount":
                self._headcount(day, key, record)
            elif kind == "checkpoint":
                self._checkpoint(day, key, record)
            elif kind == "report" and (key, day) not in self.made:
                # not again on a day the curator made it already, to hand it in that morning
                self._consolidate(day, parse_period(key))

    def _submit(self, day: dt.date, obligation_id: str, record: Day) -> None:
        d = self.decisions[obligation_id]
        key = ObligationId.parse(obligation_id)
        name, data = f"{key.local}.pdf", _pdf(obligation_id + day.isoformat())
        if key.activity == "consolidated":
            # the report handed in, if not made yet, is made just before it is handed in
            path = self.consolidated.get(key.period) or self._consolidate(
                day, parse_period(key.period), HOURS["submit"]
            )
            if path is not None:
                name, data = path.name, path.read_bytes()
        try:
            row = obligation(self.rt, obligation_id)
        except NotFound:
            return
        if row.state in CLOSED:
            return
        who = Who(f"исполнитель ({row.lead})", CHANNEL, row.lead)
        answers.submit_document(
            self.rt,
            obligation_id=obligation_id,
            stream=io.BytesIO(data),
            name=name,
            who=who,
            at=self.at(day, HOURS["submit"]),
            details=_details(row.evidence_kind, day, self.documents),
        )
        record.submitted += 1
        self.documents += 1
        verdict = "reject" if d.rejected_once and obligation_id not in self.rejected else "accept"
        review_day = self.cal.add_working_days(day, d.review_after) if d.review_after else day
        if review_day <= self.end:
            self.events[review_day].append((verdict, obligation_id))

    def _review(self, day: dt.date, obligation_id: str, accept: bool, record: Day) -> None:
        answers.review(
            self.rt,
            obligation_id=obligation_id,
            accept=accept,
            comment=None if accept else "нет подписи руководителя",
            who=Who("координатор (симуляция)", CHANNEL),
            at=self.at(day, HOURS["accept"]),
        )
        if accept:
            record.accepted += 1
            return
        record.rejected += 1
        self.rejected.add(obligation_id)
        again = self.cal.add_working_days(day, self.decisions[obligation_id].resubmit_after)
        if again <= self.end:
            self.events[again].append(("submit", obligation_id))

    def _give(
        self, day: dt.date, indicator: str, period: str, org: str, value: float, record: Day
    ) -> None:
        who = Who("аналитик (симуляция)", CHANNEL, org)
        at = self.at(day, HOURS["headcount"])
        try:
            answers.give_value(
                self.rt, indicator=indicator, period=period, value=value, who=who, at=at
            )
        except ExplanationRequired:  # a value off the plan: the analyst explains it
            answers.give_value(
                self.rt,
                indicator=indicator,
                period=period,
                value=value,
                who=who,
                at=at,
                explanation="Причины: отклонение объяснено исполнителем (симуляция). "
                "Меры: меры приняты исполнителем (симуляция).",
            )
        record.values += 1

    def _headcount(self, day: dt.date, month: str, record: Day) -> None:
        m = self.program.monitoring
        if m is None or self.profile.indicators.report_share == 0:
            return
        ind = self.program.indicator_map[m.indicator]
        planned = target_for(self.program, ind, month) or 0
        rate = self.profile.indicators.headcount_rate(self.seed)
        if rate is not None:  # the profile's own course: a steady change from the baseline
            first = self.program.span_period.start
            month_day = parse_period(month).start
            elapsed = (month_day.year - first.year) * 12 + month_day.month - first.month
            planned = (ind.baseline or 0) * (1 + rate * elapsed)
        rng = stream(self.seed, f"headcount:{month}")
        total = planned * (1 + rng.uniform(-1, 1) * self.profile.indicators.noise)
        even = 1 / len(m.parts)
        for part in m.parts:
            share = even if part.simulated_share is None else part.simulated_share
            self._give(day, m.indicator, month, part.org, round(total * share), record)

    def _checkpoint(self, day: dt.date, period: str, record: Day) -> None:
        k = [c.period for c in self.program.checkpoints].index(period)
        analyst = self.program.reporting.consolidated_owner
        for ind in self.program.indicators:
            target = ind.targets[k]
            rng = stream(self.seed, f"indicator:{ind.code}:{period}")
            if (
                ind.contributors
                or target is None
                or rng.random() >= self.profile.indicators.report_share
            ):
                continue
            value = max(0.0, target * (1 + rng.uniform(-1, 1) * self.profile.indicators.noise * 3))
            value = round(value, 1) if not float(target).is_integer() else round(value)
            self._give(day, ind.code, period, analyst, value, record)

    def _consolidate(
        self, day: dt.date, period: Period, hour: int = HOURS["report"]
    ) -> Path | None:
        formats = ("docx", "xlsx", "png") if self.write_reports else ("docx",)
        self.at(day, hour)
        files = reports.consolidated_report(
            self.rt,
            as_of=day,
            period=period,
            out_dir=self.workdir / "reports" / period.label,
            formats=formats,
        )
        self.reports.extend(files.paths)
        self.made.add((period.label, day))
        docx = next((p for p in files.paths if p.suffix == ".docx"), None)
        if docx is not None:
            self.consolidated[period.label] = docx
        return docx

    # --- the summary ------------------------------------------------------------------------
    def _summary(self, obligations: list[Obligation], days: list[Day]) -> dict[str, Any]:
        items = program_data.messages(self.rt, states=["sent"])
        status = status_on(self.rt, self.end)
        rows = obligations_of(self.rt)
        messages = sorted((_message(i) for i in items), key=_message_order)
        by_step: dict[str, Counter[str]] = defaultdict(Counter)
        for m in messages:
            by_step[str(m["step"])][str(m["channel"])] += 1
        escalated = {
            lvl: len({m["obligation"] for m in messages if m["step"] == f"escalate-{lvl}"})
            for lvl in (1, 2, 3)
        }
        outcomes: Counter[str] = Counter()
        for i in status.items:
            if i.facts.due > self.end:
                outcomes["not_due_yet"] += 1
            elif i.entry.status == "not_applicable":
                outcomes["not_applicable"] += 1
            elif i.entry.fulfilled:
                outcomes["on_time" if i.entry.on_time else "late"] += 1
            else:
                outcomes["outstanding"] += 1
        rejected = sum(1 for r in rows if r.ladder_cycle > 0)
        names = {o.id: o.short_name for o in self.program.organizations}
        ministries = {o.id for o in self.program.organizations if o.kind in MINISTRY_KINDS}
        rates = [{**r.to_json(), "name": names[r.org]} for r in status.rates if r.org in ministries]
        headcount: list[dict[str, Any]] = []
        if self.program.monitoring is not None:
            series = headcount_series(self.program, program_data.facts(self.rt).values, self.end)
            headcount = [
                {"month": p.month, "actual": p.actual, "trajectory": round(p.trajectory or 0)}
                for p in series
            ]
        return {
            "program": self.program.id,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "seed": self.seed,
            "obligations": dict(sorted(outcomes.items())),
            "returned_for_rework": rejected,
            "messages_by_step": {k: dict(sorted(v.items())) for k, v in sorted(by_step.items())},
            "escalations": {str(k): v for k, v in escalated.items()},
            "rates": rates,
            "headcount": headcount,
            "submissions": sum(d.submitted for d in days),
            "messages": messages,
        }


MESSAGE_FIELDS = ("date", "obligation", "step", "recipient_org", "recipient_role", "channel")


def _message(i: OutboxRecord) -> dict[str, Any]:
    return {
        "date": i.scheduled_for.isoformat(),
        "obligation": i.obligation_id,
        "activity": i.activity,
        "period": i.period,
        "step": i.step,
        "recipient_org": i.recipient_org,
        "recipient_role": i.recipient_role,
        "channel": i.channel,
    }


def _message_order(m: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(m[k]) for k in MESSAGE_FIELDS)


def _details(evidence: str, day: dt.date, n: int) -> DocumentDetails:
    """What a simulated executor says of the document: the kind the program asks for, a number."""
    kind = evidence if len(evidence) <= 120 else "информация"
    return DocumentDetails(doc_type=kind, number=str(n + 1), date=day)
