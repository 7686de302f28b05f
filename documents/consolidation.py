"""Writing a report's files: the Word and Excel documents and the charts, into one folder."""

from __future__ import annotations

from pathlib import Path

from documents.charts import headcount_chart, misses_chart, timeliness_chart
from documents.docx_report import write_docx
from documents.xlsx_report import write_xlsx
from roadmap.program import Program
from roadmap.report import Report

FORMATS = ("docx", "xlsx", "png")


def make_charts(report: Report, program: Program) -> dict[str, bytes | None]:
    return {
        "headcount": headcount_chart(report),
        "timeliness": timeliness_chart(report, program),
        "misses": misses_chart(report),
    }


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
        written.append(write_xlsx(report, out_dir / f"{stem}.xlsx"))
    if "png" in formats:
        for name, png in charts.items():
            if png:
                path = out_dir / f"{stem}-{name}.png"
                path.write_bytes(png)
                written.append(path)
    return written
