"""The federal view's refresh: every region's row, the Word and Excel summary and the page."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from flows.forms import Day, run_date
from roadmap.views.federal import RegionRow
from roadmap.words.wording import percent_ru
from services.federal import federal_signatory, federal_view, write_federal
from services.files import keep
from services.runtime import FEDERAL

ALL_REGIONS = "Все регионы"


def _day(as_of: dt.date | str | None) -> dt.date:
    """The as-of date: the parameter, else the day the run was scheduled for, in the federal
    view's zone (``ROADMAP_FEDERAL_TIMEZONE``: the Commissioner's Office's)."""
    if as_of:
        return as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
    scheduled = flow_run.scheduled_start_time
    moment = scheduled.timestamp() if scheduled is not None else runtime.rt().now().timestamp()
    zone = ZoneInfo(runtime.rt().settings.federal_timezone)
    return dt.datetime.fromtimestamp(moment, zone).date()


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


def summary_lines(rows: tuple[RegionRow, ...], day: dt.date) -> list[str]:
    """What the run found, a line for all regions and one per region, for the run's log."""
    synced = [r for r in rows if r.synced]
    lines = [
        f"Федеральный свод на {day:%d.%m.%Y}: регионов {len(rows)}, с данными {len(synced)}; "
        f"сводных отчётов получено {sum(r.consolidated_received for r in synced)} из "
        f"{sum(r.consolidated_due for r in synced)} со сроком."
    ]
    for r in rows:
        if not r.synced:
            lines.append(f"{r.region}: программа не загружена в базу (roadmap sync).")
            continue
        h = r.headline
        lines.append(
            f"{r.region}: сводных отчётов получено {r.consolidated_received} из "
            f"{r.consolidated_due}, с нарушением срока {r.consolidated_late}; просроченных "
            f"мероприятий {len(r.overdue_activities)}; ключевой показатель — "
            f"{h.forecast.status if h else 'не отслеживается'}."
        )
    return lines


@flow(name="Федеральный свод", flow_run_name=_run_name)
def federal_view_flow(
    as_of: Day = run_date("На какую дату собрать свод по регионам"),
) -> dict[str, Any]:
    """Федеральный свод по регионам для Аппарата Уполномоченного: Word, Excel и страница."""
    rt = runtime.rt()
    day = _day(as_of)
    view = federal_view(rt, as_of=day)
    files = keep(
        rt,
        write_federal(
            view, rt.federal_dir / day.isoformat(), signatory=federal_signatory(rt.settings)
        ),
    )
    owner = publish.Owner(FEDERAL, current=not as_of or day == _day(None))
    publish.table(
        "summary",
        f"Федеральный свод на {day:%d.%m.%Y}",
        [_line(r) for r in view.regions],
        owner=owner,
    )
    publish.report_links("files", files, owner=owner)
    publish.log(summary_lines(view.regions, day))
    return {"as_of": day.isoformat(), "regions": view.as_rows(), "files": [str(f) for f in files]}
