"""What the forecast reads from storage: every indicator's history of actual values as of a date."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlmodel import Session

from roadmap.forecast.early_warning import History, build_histories
from roadmap.program.model import Program
from roadmap.reports.report import ValueFact
from storage.actuals import latest_values
from storage.as_of import day_end


def values_as_of(*, session: Session, program: Program, as_of: dt.date) -> list[ValueFact]:
    """The newest value per (indicator, period, organization) given by the end of ``as_of``.

    The day ends at midnight in the program's time zone; a correction given later is not
    seen, so a forecast as of a past date reads what was known then.
    """
    zone = ZoneInfo(program.timezone)
    newest = latest_values(session=session, program_id=program.id, before=day_end(zone, as_of))
    return [
        ValueFact(
            r.indicator,
            r.period,
            r.org_id,
            r.value,
            r.explanation,
            r.given_at.astimezone(zone).date(),
        )
        for r in newest.values()
    ]


def indicator_histories(
    *, session: Session, program: Program, as_of: dt.date
) -> dict[str, History]:
    """Every indicator's history of actual values as known at the end of ``as_of``.

    Monthly values (the 1.1 headcount, its contributors added up) for an indicator that has
    them, checkpoint values for the others; see ``roadmap.forecast.early_warning`` for the rules.
    """
    return build_histories(
        program, values_as_of(session=session, program=program, as_of=as_of), as_of
    )
