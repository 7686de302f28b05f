"""Reports as use cases: the consolidated report, the information panel, the briefing pack.

Each reads the facts once, builds the domain's report model and hands it, with the program
as the version in force on the report's date words it (``storage.as_of.program_as_of``), to
the writers in ``documents``, then puts what they wrote into the file store
(``services.files.keep``); the command line, the flows and the simulation call these and
nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from documents.briefing import write_briefing
from documents.consolidation import FORMATS, make_charts, write_consolidated
from documents.panel import panel_context, render_panel, write_panel
from documents.public import public_context, render_public
from roadmap.dates.periods import Period
from roadmap.errors import InvalidPeriod
from roadmap.forecast.early_warning import ACTUAL, Outlook, Risk
from roadmap.program.model import Program
from roadmap.reports.assessment import Forecast
from roadmap.reports.people import with_people
from roadmap.reports.report import Report, build_report
from roadmap.words.verdicts import ForecastVerdict
from roadmap.words.wording import date_ru
from services.files import keep
from services.forecast import forecast_program
from services.runtime import Runtime
from storage.as_of import program_as_of
from storage.contacts import active_contacts
from storage.db import session_scope
from storage.reporting import report_facts
from storage.status import the_program_id
from storage.waits import agenda_items

VERDICTS = {
    Risk.ON_TRACK: ForecastVerdict.ON_TRACK,
    Risk.AT_RISK: ForecastVerdict.AT_RISK,
    Risk.HIGH_RISK: ForecastVerdict.HIGH_RISK,
}


@dataclass(frozen=True)
class ReportFiles:
    report: Report
    paths: list[Path]


@dataclass(frozen=True)
class Built:
    """A report model and the program as the version in force on its date words it."""

    report: Report
    program: Program


def check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """The formats asked for, or ValueError with the allowed ones (in Russian)."""
    chosen = tuple(f.strip() for f in formats if f.strip())
    if not chosen or set(chosen) - set(FORMATS):
        raise ValueError(f"форматы: допустимо {', '.join(FORMATS)}")
    return chosen


def build(rt: Runtime, *, as_of: dt.date, period: Period | None = None) -> Report:
    """The report model for ``period`` (default: the program's whole span) as of ``as_of``."""
    return built(rt, as_of=as_of, period=period).report


def built(rt: Runtime, *, as_of: dt.date, period: Period | None = None) -> Built:
    """The report model as ``build`` makes it, with the program it was made from: its
    activities, executors and indicators as the version in force on ``as_of`` words them."""
    with session_scope(rt.engine) as s:
        the_program_id(session=s, program_id=rt.program.id)
        then = program_as_of(session=s, program=rt.program, as_of=as_of)
        facts = report_facts(session=s, program_id=then.id, as_of=as_of)
        # who signs and who prepared it, where the program data names only a position
        program = with_people(then, active_contacts(session=s, program_id=then.id))
    report = build_report(
        program,
        facts,
        as_of=as_of,
        period=period or program.span_period,
        calendar=rt.calendar,
        margin=rt.settings.explanation_margin,
        forecasts=forecasts(rt, as_of),
    )
    return Built(report, then)


def forecasts(rt: Runtime, as_of: dt.date) -> dict[str, Forecast]:
    """What the early warning says of each indicator at the next checkpoint and at the
    program's end, for the report."""
    out: dict[str, Forecast] = {}
    for f in forecast_program(rt, as_of=as_of):
        if f.at_end is None or f.method == ACTUAL:
            continue
        end = _judged(f.at_end)
        nxt = None if f.at_next is None or f.at_next is f.at_end else _judged(f.at_next)
        out[f.code] = replace(end, next=nxt)
    return out


def _judged(o: Outlook) -> Forecast:
    return Forecast(
        VERDICTS[o.risk], o.projected, o.low, o.high, date_ru(o.goal.date), o.probability
    )


def period_of(rt: Runtime, label: str | None) -> Period | None:
    """A period of the program from its label, or None for the whole span.

    Raises:
        InvalidPeriod: unreadable, or outside the program's span.
    """
    return rt.program.period_within(label) if label else None


def consolidated_report(
    rt: Runtime,
    *,
    as_of: dt.date,
    period: Period | None,
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
) -> ReportFiles:
    """Write the consolidated report for ``period`` as of ``as_of`` into ``out_dir``, and
    put its files into the store when ``out_dir`` is in the program's own folder."""
    chosen = check_formats(formats)
    made = built(rt, as_of=as_of, period=period)
    paths = write_consolidated(made.report, made.program, out_dir, chosen)
    return ReportFiles(made.report, keep(rt, paths))


def panel_page(
    rt: Runtime, *, as_of: dt.date, period: Period | None, public: bool, out_dir: Path
) -> Path:
    """Write the information panel (6.8), or its public form (6.15) without contacts."""
    made = built(rt, as_of=as_of, period=period)
    report, program = made.report, made.program
    charts = make_charts(report, program, plain=public)
    if public:  # an account for families, published: no codes, no contacts
        html = render_public(public_context(report, program, charts))
        return keep(rt, [write_panel(html, out_dir)])[0]
    with session_scope(rt.engine) as s:
        contacts = active_contacts(session=s, program_id=program.id)
    context = panel_context(report, program, charts, public=False, contacts=contacts)
    return keep(rt, [write_panel(render_panel(context), out_dir)])[0]


def briefing_pack(rt: Runtime, *, as_of: dt.date, meeting: Period, title: str) -> Path:
    """Write the briefing pack for the commission's meeting on ``meeting`` (a quarter)."""
    made = built(rt, as_of=as_of)
    report, program = made.report, made.program
    with session_scope(rt.engine) as s:
        items = agenda_items(session=s, program_id=program.id, period=meeting.label)
        names = {o.id: o.short_name for o in program.organizations}
        agenda = [(names.get(a.org_id, a.org_id), a.text) for a in items]
    name = f"briefing-{meeting.label}-{as_of.isoformat()}.docx"
    path = write_briefing(report, program, meeting=title, agenda=agenda, path=rt.reports_dir / name)
    return keep(rt, [path])[0]


__all__ = [
    "FORMATS",
    "Built",
    "InvalidPeriod",
    "ReportFiles",
    "briefing_pack",
    "build",
    "built",
    "check_formats",
    "consolidated_report",
    "panel_page",
    "period_of",
]
