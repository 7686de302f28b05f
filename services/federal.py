"""The federal view as a use case: every program of the installation as of a date, and its files.

For each program (the one chosen, else all of ``ROADMAP_PROGRAMS``) it reads, as of the
date, the program as the version then in force words it (``storage.as_of``), the
obligations' standing and rates (``storage.status``) and the monitored indicator's history
(``storage.forecast_inputs``), forecasts that one indicator, and makes the region's row
(``roadmap.views.federal``). ``write_federal`` writes the Word and Excel summary and the panel
page (``documents.federal``).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from documents.federal import write_federal_docx, write_federal_panel, write_federal_xlsx
from roadmap.errors import RoadmapError
from roadmap.forecast.early_warning import forecast_indicator
from roadmap.program.model import Person
from roadmap.views.federal import (
    FederalView,
    RegionRow,
    not_synced_row,
    region_row,
    unreadable_row,
)
from services.runtime import Runtime
from services.settings import Settings
from storage.as_of import program_as_of
from storage.db import session_scope
from storage.errors import NotSynced
from storage.forecast_inputs import indicator_histories
from storage.status import status_as_of, the_program_id

FORMATS = ("docx", "xlsx", "html")
log = logging.getLogger(__name__)


def federal_view(rt: Runtime, *, as_of: dt.date) -> FederalView:
    """Each program's row as of ``as_of`` (its own calendar date), in the settings' order.

    One region's bad data stops only that region: a folder that cannot be read, a program
    its checks refuse, or figures no arithmetic takes (a non-finite value) give its row
    «данные региона не читаются» with why, and the others are counted as usual."""
    rows = [_row_or_unreadable(r, as_of) for r in rt.each_program()]
    rows += [
        unreadable_row(path.name, str(path), as_of, str(exc)) for path, exc in rt.root.unreadable
    ]
    return FederalView(as_of, tuple(rows))


def _row_or_unreadable(rt: Runtime, as_of: dt.date) -> RegionRow:
    try:
        return _row(rt, as_of)
    except (RoadmapError, ArithmeticError, ValueError, RuntimeError) as exc:
        log.warning("federal view: region %s not read: %s", rt.selected, exc)
        program_id = rt.selected or "?"
        why = exc.message if isinstance(exc, RoadmapError) else "значение, которое нельзя счесть"
        return unreadable_row(program_id, _region_name(rt, program_id), as_of, why)


def _region_name(rt: Runtime, program_id: str) -> str:
    try:
        return rt.program.region
    except RoadmapError:
        return program_id


def _row(rt: Runtime, as_of: dt.date) -> RegionRow:
    with session_scope(rt.engine) as s:
        try:
            the_program_id(session=s, program_id=rt.program.id)
        except NotSynced:
            return not_synced_row(rt.program, as_of)
        program = program_as_of(session=s, program=rt.program, as_of=as_of)
        status = status_as_of(session=s, program_id=program.id, as_of=as_of, calendar=rt.calendar)
        histories = (
            indicator_histories(session=s, program=program, as_of=as_of)
            if program.monitoring
            else {}
        )
    history = forecast = None
    if program.monitoring is not None:
        code = program.monitoring.indicator
        history = histories.get(code)
        if history is not None:
            forecast = forecast_indicator(
                program,
                program.indicator_map[code],
                history,
                as_of=as_of,
                margin=rt.settings.explanation_margin,
            )
    return region_row(
        program,
        as_of=as_of,
        items=status.items,
        rates=status.rates,
        history=history,
        forecast=forecast,
    )


def federal_signatory(settings: Settings) -> Person | None:
    """Who signs the federal summary, as the settings name them (None: lines to fill)."""
    if not (settings.federal_signatory_name or settings.federal_signatory_position):
        return None
    return Person(
        name=settings.federal_signatory_name, position=settings.federal_signatory_position
    )


def write_federal(
    view: FederalView,
    out_dir: Path,
    formats: tuple[str, ...] = FORMATS,
    *,
    signatory: Person | None = None,
) -> list[Path]:
    """The view's Word summary (signed by ``signatory``), Excel workbook and panel page in
    ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"federalnyi-svod-na-{view.as_of.isoformat()}"
    written: list[Path] = []
    if "docx" in formats:
        written.append(write_federal_docx(view, out_dir / f"{stem}.docx", signatory))
    if "xlsx" in formats:
        written.append(write_federal_xlsx(view, out_dir / f"{stem}.xlsx"))
    if "html" in formats:
        written.append(write_federal_panel(view, out_dir / "index.html"))
    return written
