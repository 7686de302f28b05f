"""Refresh the README's pictures from real renders: the report's pages and the public panel.

Simulates the first half of 2025 (seed 1), writes the half-year's consolidated report as
of 1 August 2025 and the public panel, lays the report out with LibreOffice, turns pages
into PNG with pdftoppm and photographs the panel with Debian's Chromium.

Usage: python scripts/render_images.py
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from roadmap.program.loader import load_program
from services import reports
from services.settings import Settings
from simulation.engine import simulation_runtime

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AS_OF = dt.date(2025, 8, 1)


def _pages(pdf: Path, out: Path, pages: dict[int, str]) -> None:
    for number, name in pages.items():
        stem = out / f"page-{number}"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "90",
                "-png",
                "-singlefile",
                "-f",
                str(number),
                "-l",
                str(number),
                str(pdf),
                str(stem),
            ],
            check=True,
        )
        shutil.copyfile(stem.with_suffix(".png"), IMAGES / name)


def _find(pdf: Path, words: str) -> int:
    """The number of the first page whose text has ``words``."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True).stdout
    for i, page in enumerate(text.decode("utf-8").split("\f"), start=1):
        if words in " ".join(page.split()):
            return i
    raise SystemExit(f"«{words}» is on no page of {pdf}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "cli.main",
                "simulate",
                "--from",
                "2025-01-01",
                "--to",
                "2025-08-05",
                "--seed",
                "1",
                "--out",
                str(work / "sim"),
            ],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        program = load_program()
        rt = simulation_runtime(Settings(), program, work / "sim")
        period = program.period_within("2025-H1")
        files = reports.consolidated_report(
            rt, as_of=AS_OF, period=period, out_dir=work / "report", formats=("docx",)
        )
        panel = reports.panel_page(rt, as_of=AS_OF, period=None, public=True, out_dir=work / "pub")
        rt.engine.dispose()
        [docx] = files.paths
        profile = (work / "lo").as_uri()
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--norestore",
                f"-env:UserInstallation={profile}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(docx),
            ],
            check=True,
            capture_output=True,
        )
        pdf = work / f"{docx.stem}.pdf"
        _pages(
            pdf,
            work,
            {
                1: "report-page-1.png",
                _find(pdf, "Таблица 2."): "report-indicators.png",
                _find(pdf, "Рисунок 1."): "report-headcount.png",
                _find(pdf, "7. Выводы"): "report-conclusions.png",
            },
        )
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1200, "height": 1700})
            page.goto(panel.as_uri())
            page.screenshot(path=str(IMAGES / "panel.png"))
            browser.close()


if __name__ == "__main__":
    main()
