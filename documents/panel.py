"""The information panel (activity 6.8) and its public form, the annual report (activity 6.15).

A static HTML page that opens from a file: styles inline, charts embedded as data, no
external resources. The public form leaves out internal contact details.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from roadmap.program import Program
from roadmap.recipients import Contact
from roadmap.report import MINISTRY_KINDS, Report

_env = Environment(
    loader=PackageLoader("documents", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",)),
    undefined=StrictUndefined,
)


def _num(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}".replace(",", " ") if float(v).is_integer() else f"{v:.1f}".replace(".", ",")


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.0%}"


def panel_context(
    report: Report,
    program: Program,
    charts: Mapping[str, bytes | None],
    *,
    public: bool,
    contacts: Sequence[Contact] = (),
) -> dict[str, Any]:
    lines = report.all_lines
    due = [o for o in lines if o.due <= report.as_of and o.status != "неприменимо"]
    fulfilled = sum(1 for o in due if o.fulfilled)
    on_time = sum(1 for o in due if o.on_time)
    groups: list[dict[str, Any]] = []
    for line in report.indicators:
        if not groups or groups[-1]["number"] != line.indicator.group:
            groups.append(
                {
                    "number": line.indicator.group,
                    "title": f"{line.indicator.group}. {line.group_title}",
                    "cards": [],
                }
            )
        css = (
            "none"
            if line.actual is None
            else ("bad" if (line.deviation or 0) > report.margin else "ok")
        )
        note = (
            "нет данных"
            if line.actual is None
            else (
                f"{'хуже' if (line.deviation or 0) > 0 else 'лучше'} плана "
                f"на {abs(line.deviation or 0):.0%}"
                if line.deviation
                else "по плану"
            )
        )
        groups[-1]["cards"].append(
            {
                "code": line.indicator.code,
                "name": line.indicator.name,
                "unit": line.indicator.unit,
                "target": _num(line.target),
                "actual": _num(line.actual),
                "css": css,
                "note": note,
            }
        )
    overdue: dict[str, list[str]] = {}
    for s in report.sections:
        for a in s.activities:
            for o in a.obligations:
                if o.status == "просрочено":
                    for org in a.activity.executors:
                        body = program.reporting_body(org) if org in program.orgs else org
                        overdue.setdefault(body, []).append(f"{a.activity.number} ({o.period})")
    rows = []
    for org, items in sorted(overdue.items(), key=lambda kv: -len(kv[1])):
        if org not in program.orgs or program.orgs[org].kind not in MINISTRY_KINDS:
            continue
        people = [
            f"{c.name}, {c.email or c.telegram_chat_id}"
            for c in contacts
            if c.org == org and c.role == "executor"
        ]
        rows.append(
            {
                "name": program.orgs[org].short_name,
                "count": len(items),
                "obligations": sorted(set(items)),
                "contacts": people,
            }
        )
    heading = (
        "Отчёт о ходе реализации «дорожной карты» (мероприятие 6.15)"
        if public
        else "Информационная панель (мероприятие 6.8)"
    )
    return {
        "heading": heading,
        "public": public,
        "program": report.program_title,
        "period": report.period_text,
        "as_of": report.as_of_text,
        "due": len(due),
        "fulfilled": fulfilled,
        "overdue": sum(1 for o in due if o.status == "просрочено"),
        "completeness": _pct(fulfilled / len(due) if due else None),
        "timeliness": _pct(on_time / len(due) if due else None),
        "missing": report.missing,
        "groups": groups,
        "checkpoint": report.indicators[0].checkpoint_label if report.indicators else "",
        "overdue_by_org": rows,
        "discipline": [
            {
                "name": d.name,
                "due": d.rates.due,
                "fulfilled": d.rates.fulfilled,
                "on_time": d.rates.on_time,
                "completeness": _pct(d.rates.completeness),
                "timeliness": _pct(d.rates.timeliness),
            }
            for d in report.discipline
            if d.org in program.orgs and program.orgs[d.org].kind in MINISTRY_KINDS
        ],
        "headcount_png": base64.b64encode(charts.get("headcount") or b"").decode(),
        "timeliness_png": base64.b64encode(charts.get("timeliness") or b"").decode(),
        "footer": "Сформировано из данных системы мониторинга дорожной карты; "
        "персональные данные детей не используются.",
    }


def render_panel(context: dict[str, Any]) -> str:
    return _env.get_template("panel.html.j2").render(p=context)


def write_panel(html: str, out_dir: Path, name: str = "index.html") -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / name
    path.write_text(html, encoding="utf-8")
    return path
