"""Time travel: the engine run day by day over simulated time, without the Prefect server.

A fresh database gets the program and the contacts on the first day; then, for each day,
simulated executors submit (on time, late, or never, as the behaviour profile draws it for
each obligation), a simulated coordinator reviews (returning some submissions once), values
are given for the indicators (the 1.1 headcount monthly, the others at checkpoints), the
consolidated report is written on its due dates, and on working days the same sweep the
flows call runs at 10:00 and sends to the file outbox. Everything is seeded: the same seed
gives the same summary, byte for byte. This module imports no Prefect: it is orchestration
over plain functions, and ``sweep`` can be replaced (the Prefect path test passes a sweep
that runs the real flow).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import select

from notifications.delivery import FileTransport, Transports
from notifications.documents.consolidation import write_consolidated
from notifications.sweep import SweepReport, run_sweep
from roadmap.actuals import target_for
from roadmap.behaviour import Decision, Profile, decide, stream
from roadmap.contacts import ContactSpec
from roadmap.obligations import Obligation, expand_obligations
from roadmap.periods import parse_period
from roadmap.program import Program
from roadmap.report import MINISTRY_KINDS, build_report, headcount_series
from roadmap.workdays import WorkCalendar
from storage.actuals import record_indicator_value
from storage.contacts import replace_contacts
from storage.db import session_scope
from storage.errors import ExplanationRequired
from storage.evidence import EvidenceStore, record_evidence, review_evidence
from storage.outbox import outbox_items
from storage.reporting import report_facts
from storage.status import status_as_of
from storage.sync import sync_program
from storage.tables import ObligationRecord

CHANNEL = "simulation"
HEADCOUNT_SHARES = {"minsoc": 0.36, "minobr": 0.57, "minzdrav": 0.07}
Sweep = Callable[..., Any]


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
        return (f"{self.date.isoformat()}: представлено {self.submitted}, принято {self.accepted}, "
                f"возвращено {self.rejected}, значений {self.values}, просрочено отмечено "
                f"{self.marked_overdue}, шагов лестницы {self.steps}, сообщений записано {self.recorded}")  # noqa: E501  # fmt: skip


@dataclass
class SimulationResult:
    summary: dict[str, Any]
    days: list[Day] = field(default_factory=list)


def _pdf(text: str) -> bytes:
    """A small, valid PDF naming what it is evidence for (so each file has its own hash)."""
    body = f"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj % {text}"  # noqa: E501
    return f"%PDF-1.4\n{body}\ntrailer<</Root 1 0 R>>\n%%EOF\n".encode()


class Simulation:
    def __init__(
        self,
        *,
        engine: Engine,
        program: Program,
        calendar: WorkCalendar,
        profile: Profile,
        seed: int,
        start: dt.date,
        end: dt.date,
        contacts: list[ContactSpec],
        workdir: Path,
        write_reports: bool = True,
        sweep: Sweep = run_sweep,
        mail_from: str = "roadmap@localhost",
    ) -> None:
        self.engine, self.program, self.cal, self.profile = engine, program, calendar, profile
        self.seed, self.start, self.end, self.contacts = seed, start, end, contacts
        self.zone = ZoneInfo(program.timezone)
        self.workdir = workdir
        self.store = EvidenceStore(workdir / "evidence")
        self.transports = Transports(files=FileTransport(workdir / "outbox", mail_from))
        self.write_reports = write_reports
        self.sweep = sweep
        self.events: dict[dt.date, list[tuple[str, str]]] = defaultdict(list)
        self.decisions: dict[str, Decision] = {}
        self.rejected: set[str] = set()  # returned once already: the next submission is accepted
        self.reports: list[Path] = []
        self.consolidated: dict[str, Path] = {}  # period → its latest consolidated .docx

    def at(self, day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), self.zone).astimezone(dt.UTC)

    def run(self, progress: Callable[[dt.date], None] | None = None) -> SimulationResult:
        obligations = expand_obligations(self.program, self.cal)
        with session_scope(self.engine) as s:
            sync_program(
                session=s, program=self.program, at=self.at(self.start, 8), obligations=obligations
            )
            replace_contacts(session=s, program_id=self.program.id, specs=self.contacts,
                             by="simulation", at=self.at(self.start, 8))  # fmt: skip
        self._plan(obligations)
        result = SimulationResult(summary={})
        day = self.start
        while day <= self.end:
            record = Day(day)
            self._act(day, record)
            if self.cal.is_working_day(day):
                report = self.sweep(engine=self.engine, program=self.program, as_of=day,
                                    now=self.at(day, 10), calendar=self.cal,
                                    transports=self.transports)  # fmt: skip
                if isinstance(report, SweepReport):  # the Prefect path returns the flow's dict
                    record.marked_overdue = report.marked_overdue
                    record.steps, record.recorded = len(report.plan.steps), report.plan.recorded
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

    def _act(self, day: dt.date, record: Day) -> None:
        for kind, key in sorted(self.events.pop(day, [])):
            if kind == "submit":
                self._submit(day, key, record)
            elif kind in ("accept", "reject"):
                self._review(day, key, kind == "accept", record)
            elif kind == "headcount":
                self._headcount(day, key, record)
            elif kind == "checkpoint":
                self._checkpoint(day, key, record)
            elif kind == "report":
                self._consolidate(day, parse_period(key))

    def _submit(self, day: dt.date, obligation_id: str, record: Day) -> None:
        d = self.decisions[obligation_id]
        name, data = f"{obligation_id.split(':', 1)[1]}.pdf", _pdf(obligation_id + day.isoformat())
        if obligation_id.split(":")[1] == "consolidated":
            label = obligation_id.rsplit(":", 1)[1]
            path = self.consolidated.get(label) or self._consolidate(day, parse_period(label))
            if path is not None:
                name, data = path.name, path.read_bytes()
        with session_scope(self.engine) as s:
            row = s.get(ObligationRecord, obligation_id)
            if row is None or row.state in (
                "cancelled",
                "not_applicable",
                "accepted",
                "closed_late",
            ):
                return
            lead = row.lead
            record_evidence(session=s, store=self.store, obligation_id=obligation_id,
                            stream=io.BytesIO(data), original_name=name, submitted_by=f"исполнитель ({lead})",  # noqa: E501
                            submitted_org=lead, channel=CHANNEL, at=self.at(day, 9),
                            max_bytes=50 * 1024 * 1024)  # fmt: skip
        record.submitted += 1
        verdict = "reject" if d.rejected_once and obligation_id not in self.rejected else "accept"
        review_day = self.cal.add_working_days(day, d.review_after) if d.review_after else day
        if review_day <= self.end:
            self.events[review_day].append((verdict, obligation_id))

    def _review(self, day: dt.date, obligation_id: str, accept: bool, record: Day) -> None:
        with session_scope(self.engine) as s:
            review_evidence(session=s, obligation_id=obligation_id, accept=accept,
                            comment=None if accept else "нет подписи руководителя",
                            reviewer="координатор (симуляция)", channel=CHANNEL, at=self.at(day, 16))  # fmt: skip  # noqa: E501
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
        with session_scope(self.engine) as s:

            def give(explanation: str | None) -> None:
                record_indicator_value(
                    session=s, program=self.program, indicator=indicator, period=period,
                    org=org, value=value, given_by="аналитик (симуляция)", channel=CHANNEL,
                    at=self.at(day, 11), margin=0.05, explanation=explanation,
                )  # fmt: skip

            try:
                give(None)
            except ExplanationRequired:  # a value off the plan: the analyst explains it
                give("отклонение объяснено исполнителем (симуляция)")
        record.values += 1

    def _headcount(self, day: dt.date, month: str, record: Day) -> None:
        ind = self.program.indicator_map.get("1.1")
        if ind is None or self.profile.indicators.report_share == 0:
            return
        planned = target_for(self.program, ind, month) or 0
        rng = stream(self.seed, f"headcount:{month}")
        total = planned * (1 + rng.uniform(-1, 1) * self.profile.indicators.noise)
        for org in ind.contributors:
            self._give(
                day,
                "1.1",
                month,
                org,
                round(total * HEADCOUNT_SHARES.get(org, 1 / len(ind.contributors))),
                record,
            )

    def _checkpoint(self, day: dt.date, period: str, record: Day) -> None:
        k = [c.period for c in self.program.checkpoints].index(period)
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
            self._give(day, ind.code, period, "minsoc", value, record)

    def _consolidate(self, day: dt.date, period: Any) -> Path | None:
        with session_scope(self.engine) as s:
            facts = report_facts(session=s, program_id=self.program.id)
        report = build_report(self.program, facts, as_of=day, period=period, calendar=self.cal)
        formats = ("docx", "xlsx", "png") if self.write_reports else ("docx",)
        paths = write_consolidated(
            report, self.program, self.workdir / "reports" / period.label, formats
        )
        self.reports.extend(paths)
        docx = next((p for p in paths if p.suffix == ".docx"), None)
        if docx is not None:
            self.consolidated[period.label] = docx
        return docx

    # --- the summary ------------------------------------------------------------------------
    def _summary(self, obligations: list[Obligation], days: list[Day]) -> dict[str, Any]:
        with session_scope(self.engine) as s:
            items = outbox_items(session=s, program_id=self.program.id, states=["sent"])
            status = status_as_of(
                session=s, program_id=self.program.id, as_of=self.end, calendar=self.cal
            )
            rows = {
                r.id: r
                for r in s.exec(
                    select(ObligationRecord).where(ObligationRecord.program_id == self.program.id)
                )
            }
        messages = sorted(
            ({"date": i.scheduled_for.isoformat(), "obligation": i.obligation_id, "activity": i.activity,  # noqa: E501
              "period": i.period, "step": i.step, "recipient_org": i.recipient_org,
              "recipient_role": i.recipient_role, "channel": i.channel} for i in items),
            key=lambda m: tuple(str(m[k]) for k in ("date", "obligation", "step", "recipient_org", "recipient_role", "channel")),  # noqa: E501
        )  # fmt: skip
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
        rejected = sum(1 for r in rows.values() if r.ladder_cycle > 0)
        rates = [{**r.to_json(), "name": self.program.orgs[r.org].short_name} for r in status.rates
                 if r.org in self.program.orgs and self.program.orgs[r.org].kind in MINISTRY_KINDS]  # fmt: skip  # noqa: E501
        ind = self.program.indicator_map.get("1.1")
        headcount = []
        if ind:
            with session_scope(self.engine) as s:
                facts = report_facts(session=s, program_id=self.program.id)
            headcount = [{"month": p.month, "actual": p.actual, "trajectory": round(p.trajectory or 0)}  # noqa: E501
                         for p in headcount_series(self.program, facts.values, self.end)]  # fmt: skip  # noqa: E501
        return {
            "program": self.program.id, "from": self.start.isoformat(), "to": self.end.isoformat(),
            "seed": self.seed, "obligations": dict(sorted(outcomes.items())),
            "returned_for_rework": rejected,
            "messages_by_step": {k: dict(sorted(v.items())) for k, v in sorted(by_step.items())},
            "escalations": {str(k): v for k, v in escalated.items()},
            "rates": rates, "headcount": headcount,
            "submissions": sum(d.submitted for d in days),
            "messages": messages,
        }  # fmt: skip
