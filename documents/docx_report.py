"""The consolidated report as a Word document (python-docx), in Russian.

What is missing comes first; then road-map execution by the program's sections, the key
indicators and executor discipline, each a table whose header row repeats on every page,
on landscape pages because the tables are wide; the charts follow their tables.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from documents.docx_kit import add_row, new_document, new_table
from documents.stamp import restamp
from roadmap.periods import parse_period
from roadmap.report import EvidenceFact, ObligationLine, Report, TargetLine
from roadmap.wording import date_ru, period_ru

RED = RGBColor(0xC0, 0x39, 0x2B)
GREEN = RGBColor(0x2E, 0x8B, 0x57)


def _fmt(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}".replace(",", " ") if float(v).is_integer() else f"{v:.2f}".replace(".", ",")


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.0%}"


def _evidence(items: tuple[EvidenceFact, ...]) -> str:
    review = {"accepted": "принят", "rejected": "возвращён", "pending": "на проверке"}
    return "\n".join(
        f"{e.original_name} (версия {e.version}, {e.submitted_on:%d.%m.%Y}, "
        f"sha256 {e.sha256[:8]}…, {review.get(e.review_state, e.review_state)})"
        for e in items
    )


def _target(t: TargetLine) -> str:
    got = "не указано" if t.reported is None else f"{_fmt(t.reported)} ({t.reported_period})"
    return f"{t.text}: факт — {got}"


def write_docx(report: Report, path: Path, charts: dict[str, bytes | None]) -> Path:
    """Write the report to ``path`` (a .docx); ``charts`` maps chart names to PNG bytes."""
    document = new_document()

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("Сводный отчёт об исполнении мероприятий Программы")
    run.bold, run.font.size = True, Pt(14)
    sub = document.add_paragraph(report.program_title)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = document.add_paragraph(
        f"Отчётный период: {report.period_text}. По состоянию на {report.as_of_text}."
    )
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        f"Представляется {report.submitted_by} в {report.recipient}."
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading("Чего не хватает", level=1)
    if report.missing:
        for missing in report.missing:
            document.add_paragraph(missing, style="List Bullet")
    else:
        document.add_paragraph("Все документы и значения, срок которых наступил, представлены.")

    lines = report.all_lines
    done = sum(1 for o in lines if o.fulfilled)
    due = sum(1 for o in lines if o.due <= report.as_of)
    document.add_paragraph(
        f"Обязательств в периоде: {len(lines)}, "
        f"из них со сроком до {date_ru(report.as_of)}: {due}; "
        f"выполнено: {done}."
    )

    document.add_heading("1. Исполнение дорожной карты", level=1)
    widths = [1.3, 6.0, 2.2, 2.2, 3.0, 7.0, 5.0]
    header = [
        "№",
        "Мероприятие",
        "Период",
        "Срок",
        "Состояние",
        "Документы",
        "Ожидаемый результат и факт",
    ]
    for section in report.sections:
        document.add_heading(f"{section.number}. {section.title}", level=2)
        table = new_table(document, header, widths)
        for a in section.activities:
            result = a.activity.result
            if a.targets:
                result += "\n" + "\n".join(_target(t) for t in a.targets)
            for i, o in enumerate(a.obligations):
                add_row(
                    table,
                    [
                        a.activity.number if i == 0 else "",
                        f"{a.activity.short_name}\nИсполнители: {a.owners}" if i == 0 else "",
                        period_ru(parse_period(o.period)),
                        f"{o.due:%d.%m.%Y}",
                        _status(o),
                        _evidence(o.evidence) or "—",
                        result if i == 0 else "",
                    ],
                    widths,
                    RED if o.status == "просрочено" else None,
                )
    if report.report_obligations:
        document.add_heading("Отчёты исполнителей", level=2)
        w = [7.0, 2.5, 4.0, 13.2]
        table = new_table(document, ["Исполнитель", "Срок", "Состояние", "Документы"], w)
        for org, o in report.report_obligations:
            add_row(
                table,
                [org, f"{o.due:%d.%m.%Y}", _status(o), _evidence(o.evidence) or "—"],
                w,
                RED if o.status == "просрочено" else None,
            )

    document.add_heading("2. Ключевые показатели", level=1)
    if report.indicators:
        document.add_paragraph(f"Контрольная точка: {report.indicators[0].checkpoint_label}.")
    widths = [1.2, 9.0, 1.8, 2.0, 2.0, 2.7, 2.4, 5.6]
    table = new_table(
        document,
        ["№", "Показатель", "Ед.", "Цель", "Факт", "Отклонение", "Оценка", "Пояснение"],
        widths,
    )
    group = None
    for line in report.indicators:
        if line.indicator.group != group:
            group = line.indicator.group
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            merged.text = f"{group}. {line.group_title}"
            merged.paragraphs[0].runs[0].bold = True
        verdict = "—" if line.better is None else ("лучше плана" if line.better else "хуже плана")
        dev = "—" if line.change is None else f"{line.change:+.1%}".replace(".", ",")
        note = line.explanation or (
            "нет данных: " + ", ".join(line.missing_contributors)
            if line.missing_contributors
            else ""
        )
        worse = line.better is False and (line.deviation or 0) > report.margin
        add_row(
            table,
            [
                line.indicator.code,
                line.indicator.name,
                line.indicator.unit,
                _fmt(line.target),
                _fmt(line.actual),
                dev,
                verdict,
                note,
            ],
            widths,
            RED if worse else None,
        )
    if charts.get("headcount"):
        document.add_paragraph()
        document.add_picture(io.BytesIO(charts["headcount"]), width=Cm(22))  # type: ignore[arg-type]
    if charts.get("misses"):
        document.add_picture(io.BytesIO(charts["misses"]), width=Cm(22))  # type: ignore[arg-type]

    document.add_heading("3. Исполнительская дисциплина", level=1)
    widths = [7.0, 2.5, 2.5, 2.5, 2.8, 3.5, 5.9]
    table = new_table(
        document,
        [
            "Исполнитель",
            "Срок наступил",
            "Выполнено",
            "В срок",
            "Полнота",
            "Своевременность",
            "Эскалации (ур. 1 / 2 / 3)",
        ],
        widths,
    )
    for d in report.discipline:
        add_row(
            table,
            [
                d.name,
                str(d.rates.due),
                str(d.rates.fulfilled),
                str(d.rates.on_time),
                _pct(d.rates.completeness),
                _pct(d.rates.timeliness),
                " / ".join(str(x) for x in d.escalations),
            ],
            widths,
        )
    if charts.get("timeliness"):
        document.add_paragraph()
        document.add_picture(io.BytesIO(charts["timeliness"]), width=Cm(20))  # type: ignore[arg-type]
    document.core_properties.title = f"Сводный отчёт за {report.period_text}"
    document.core_properties.language = "ru-RU"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return restamp(path, report.as_of)


def _status(o: ObligationLine) -> str:
    text = o.status
    if o.overdue_days:
        text += f" ({o.overdue_days} раб. дн.)"
    if o.fulfilled and o.on_time is False:
        text += ", с опозданием"
    if o.accepted is False:
        text += ", возвращено на доработку"
    return text
