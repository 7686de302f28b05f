"""The information panel and its public form, the annual report on the road map's progress.

A static HTML page that opens from a file: styles inline, charts embedded as data, no
external resources. Every count on the page comes from the report's summary, and every
colour from the same status as the word beside it, with a legend. What the program asks
the panel to show of its target groups (``panel.indicators`` in the program data) comes
first, with the monthly headcount by ministry against its trajectory. The public form
speaks to the public: progress in plain words, no internal lists, codes or contacts.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from documents import texts
from documents.charts import Chart
from roadmap.dates.periods import parse_period
from roadmap.obligations.recipients import Contact
from roadmap.program.model import Program
from roadmap.reports.assessment import EXECUTION_TONE, Summary
from roadmap.reports.report import IndicatorLine, Report
from roadmap.words.labels import EXECUTION_RU, INDICATOR_STATUS_RU, indicator_legend
from roadmap.words.verdicts import ExecutionStatus, Tone
from roadmap.words.wording import date_ru

_env = Environment(
    loader=PackageLoader("documents", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",)),
    undefined=StrictUndefined,
)


def _image(chart: Chart | None, number: int) -> dict[str, str] | None:
    if chart is None:
        return None
    return {
        "src": base64.b64encode(chart.png).decode(),
        "caption": f"Рисунок {number}. {chart.title}",
        "note": chart.note,
    }


def _when(line: IndicatorLine) -> str:
    """When the fact was counted: «на 1 июля 2025 г.» for a month, else the checkpoint."""
    if line.source_period and line.source_period != line.checkpoint:
        return f"на {date_ru(parse_period(line.source_period).start)}"
    return f"за {line.checkpoint_label}"


def _card(line: IndicatorLine, report: Report, *, public: bool) -> dict[str, Any]:
    baseline = None
    first = report.checkpoints[0] if report.checkpoints else None
    later = first is not None and report.checkpoint != first
    if later and first is not None and first.note and line.indicator.baseline is not None:
        baseline = f"{first.note}: {texts.num(line.indicator.baseline)}"
    return {
        "code": "" if public else line.indicator.code,
        "name": line.indicator.name,
        "unit": line.indicator.unit,
        "target": texts.num(line.target),
        "actual": texts.num(line.actual),
        "when": _when(line) if line.actual is not None else "",
        "level": texts.pct(line.level),
        "status": INDICATOR_STATUS_RU[line.status],
        "tone": line.tone.value,
        "baseline": baseline,
        "forecast": texts.forecast(line),
    }


def _legend(report: Report) -> list[dict[str, str]]:
    return [{"tone": t.value, "text": text} for t, text in indicator_legend(report.margin).items()]


def panel_context(
    report: Report,
    program: Program,
    charts: Mapping[str, Chart],
    *,
    public: bool,
    contacts: Sequence[Contact] = (),
) -> dict[str, Any]:
    """What the panel's template shows: the public report or the full panel (``public``)."""
    s = report.summary
    assert s is not None, "a built report has its summary"
    by_code = {i.indicator.code: i for i in report.indicators}
    panel = program.panel
    number = (panel.public_activity if public else panel.activity) if panel else None
    kind = "Отчёт о ходе реализации «дорожной карты»" if public else "Информационная панель"
    checkpoint = report.checkpoint.label if report.checkpoint else ""
    figures = [charts.get("headcount")] + ([] if public else [charts.get("timeliness")])
    images = [_image(c, i) for i, c in enumerate([c for c in figures if c], start=1)]
    return {
        "heading": kind + (f" (мероприятие {number} Программы)" if number else ""),
        "public": public,
        "program": report.program_title,
        "period": report.period_text,
        "as_of": report.as_of_text,
        "checkpoint": checkpoint,
        "legend": _legend(report),
        "activity_legend": [
            {"tone": EXECUTION_TONE[k].value, "text": EXECUTION_RU[k]}
            for k in (ExecutionStatus.DONE, ExecutionStatus.DONE_LATE, ExecutionStatus.NOT_DONE)
        ]
        + [{"tone": Tone.GREY.value, "text": "в работе, срок не наступил"}],
        "indicators": {
            "planned": s.indicators_planned,
            "assessed": s.indicators_assessed,
            "achieved": s.indicators_achieved,
            "not_achieved": len(s.not_achieved),
            "share": texts.pct(s.share_achieved),
        },
        "activities": _activity_totals(s),
        "target_groups": [
            _card(by_code[c], report, public=public)
            for c in report.panel_indicators
            if c in by_code
        ],
        "headcount": images[0] if images and charts.get("headcount") else None,
        "timeliness": None if public or not charts.get("timeliness") else images[-1],
        "groups": _indicator_groups(report, public=public),
        "not_done": [] if public else _not_done(report, program, contacts),
        "discipline": [] if public else _discipline(report),
        "basis": report.basis.text,
        "missing": [] if public else report.missing,
        "conclusions": list(report.conclusions),
        "footer": "Сформировано из данных системы мониторинга «дорожной карты»; "
        "персональные данные детей не используются.",
    }


def _indicator_groups(report: Report, *, public: bool) -> list[dict[str, Any]]:
    """The indicators' cards, group by group in the program's order."""
    groups: list[dict[str, Any]] = []
    for line in report.indicators:
        if not groups or groups[-1]["number"] != line.indicator.group:
            title = f"{line.indicator.group}. {line.group_title}"
            groups.append({"number": line.indicator.group, "title": title, "cards": []})
        groups[-1]["cards"].append(_card(line, report, public=public))
    return groups


def _activity_totals(s: Summary) -> dict[str, Any]:
    """How many activities there are, fell due and were done on time; a count per status."""
    counts = [
        {
            "label": EXECUTION_RU[k],
            "count": s.activities.get(k, 0),
            "tone": EXECUTION_TONE[k].value,
        }
        for k in ExecutionStatus
        if s.activities.get(k, 0)
    ]
    return {
        "total": s.activities_total,
        "due": s.activities_due,
        "on_time": s.activities_on_time,
        "share": texts.pct(s.share_on_time),
        "counts": counts,
    }


def _not_done(
    report: Report, program: Program, contacts: Sequence[Contact]
) -> list[dict[str, Any]]:
    """The activities not done: one row each, as many as the summary counts."""
    rows = []
    for a in report.activities:
        if a.execution != ExecutionStatus.NOT_DONE:
            continue
        late = [o for o in a.obligations if o.execution == ExecutionStatus.NOT_DONE]
        bodies = dict.fromkeys(
            program.reporting_body(x) for x in a.activity.executors if x in program.orgs
        )
        people = [
            f"{c.name}, {c.email or c.telegram_chat_id}"
            for c in contacts
            if c.org in bodies and c.role == "executor"
        ]
        rows.append(
            {
                "number": a.activity.number,
                "name": a.activity.name,
                "owners": a.owners,
                "checkpoints": [
                    f"{o.period_text} — срок {o.due:%d.%m.%Y}, просрочка {o.overdue_days} раб. дн."
                    for o in late
                ],
                "contacts": people,
            }
        )
    return rows


def _discipline(report: Report) -> list[dict[str, Any]]:
    """Every executor the report's table lists, with the same figures."""
    return [
        {
            "name": d.name,
            "due": d.rates.due,
            "on_time": d.rates.on_time,
            "late": d.late,
            "not_done": d.not_done,
            "completeness": texts.pct(d.rates.completeness),
            "timeliness": texts.pct(d.rates.timeliness),
        }
        for d in report.discipline
    ]


def render_panel(context: dict[str, Any]) -> str:
    return _env.get_template("panel.html.j2").render(p=context)


def write_panel(html: str, out_dir: Path, name: str = "index.html") -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / name
    path.write_text(html, encoding="utf-8")
    return path
