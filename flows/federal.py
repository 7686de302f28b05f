"""The federal view's refresh: every region's row, the Word and Excel summary and the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from roadmap.federal import RegionRow
from roadmap.wording import percent_ru
from services.federal import federal_view, write_federal

ALL_REGIONS = "Все регионы"


def _day(as_of: str | None) -> dt.date:
    """The as-of date: the parameter, else the day (UTC) the run was scheduled for."""
    if as_of:
        return dt.date.fromisoformat(as_of)
    scheduled = flow_run.scheduled_start_time
    moment = scheduled.timestamp() if scheduled is not None else runtime.rt().now().timestamp()
    return dt.datetime.fromtimestamp(moment, dt.UTC).date()


def _run_name() -> str:
    # one run for every region: named so, beside the regions' own runs
    return f"{ALL_REGIONS} · Федеральный свод — {_day(flow_run.parameters.get('as_of')):%d.%m.%Y}"


def _line(r: RegionRow) -> dict[str, Any]:
    h = r.headline
    return {
        "Регион": r.region,
        "Сводные отчёты: получено / со сроком": f"{r.consolidated_received} / {r.consolidated_due}",
        "С нарушением срока": r.consolidated_late,
        "Полнота": percent_ru(r.completeness) if r.completeness is not None else "—",
        "Своевременность": percent_ru(r.timeliness) if r.timeliness is not None else "—",
        "Ключевой показатель": h.forecast.status if h else "—",
        "Просроченных мероприятий": len(r.overdue_activities),
    }


@flow(name="Федеральный свод", flow_run_name=_run_name)
def federal_view_flow(as_of: str | None = None) -> dict[str, Any]:
    """Федеральный свод по регионам для Аппарата Уполномоченного: Word, Excel и страница."""
    rt = runtime.rt()
    day = _day(as_of)
    view = federal_view(rt, as_of=day)
    files = write_federal(view, rt.reports_dir / "federal" / day.isoformat())
    publish.table(
        "federal", f"Федеральный свод на {day:%d.%m.%Y}", [_line(r) for r in view.regions]
    )
    publish.report_links("federal-files", files)
    return {"as_of": day.isoformat(), "regions": view.as_rows(), "files": [str(f) for f in files]}
