"""Writing a report's files: the Word and Excel documents and the charts, into one folder."""

from __future__ import annotations

from pathlib import Path

from documents.charts import Chart, headcount_chart, misses_chart, timeliness_chart
from documents.docx_report import write_docx
from documents.xlsx_report import write_xlsx
from roadmap.program.model import Program
from roadmap.reports.report import Report

FORMATS = ("docx", "xlsx", "png")


def make_charts(report: Report, program: Program, *, plain: bool = False) -> dict[str, Chart]:
    """The report's charts by name, in the order the documents number them (``plain``: for
    families, with no indicator numbers in the headcount chart)."""
    charts = (
        headcount_chart(report, plain=plain),
        misses_chart(report),
        timeliness_chart(report, program),
    )
    return {c.name: c for c in charts if c is not None}


def file_stem(report: Report) -> str:
    return f"svodnyi-otchet-{report.period.label}-na-{report.as_of.isoformat()}"


def write_consolidated(
    report: Report, program: Program, out_dir: Path, formats: tuple[str, ...] = FORMATS
) -> list[Path]:
    """Write the consolidated report in ``formats`` (docx, xlsx, png) into ``out_dir``."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(
            f"неизвестный формат: {', '.join(sorted(unknown))}; допустимо: {', '.join(FORMATS)}"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = make_charts(report, program)
    stem = file_stem(report)
    written: list[Path] = []
    if "docx" in formats:
        written.append(write_docx(report, out_dir / f"{stem}.docx", charts))
    if "xlsx" in formats:
        written.append(write_xlsx(report, out_dir / f"{stem}.xlsx", charts))
    if "png" in formats:
        for name, chart in charts.items():
            path = out_dir / f"{stem}-{name}.png"
            path.write_bytes(chart.png)
            written.append(path)
    return written
