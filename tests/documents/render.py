"""Word documents rendered to pages as people see them: LibreOffice lays out, poppler reads.

Debian's ``libreoffice-writer-nogui`` gives ``soffice`` and ``poppler-utils`` gives
``pdftotext`` and ``pdftoppm``; ``scripts/test.sh`` installs them when they are missing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"


def to_pdf(document: Path, out: Path) -> Path:
    """``document`` laid out by LibreOffice headless, as a PDF in ``out``."""
    for tool in (SOFFICE, PDFTOTEXT):
        assert Path(tool).exists(), f"{tool} is not installed (scripts/test.sh installs it)"
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "lo-profile"  # its own profile: other LibreOffice runs do not interfere
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(document),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = out / f"{document.stem}.pdf"
    assert pdf.exists(), f"LibreOffice did not write {pdf}"
    return pdf


def pages(pdf: Path) -> list[str]:
    """The text of each page in reading order (pdftotext: side-by-side blocks one by one)."""
    text = subprocess.run(
        [PDFTOTEXT, str(pdf), "-"], check=True, capture_output=True, timeout=120
    ).stdout.decode("utf-8")
    parts = text.split("\f")
    return parts[:-1] if parts and not parts[-1].strip() else parts


def to_png(pdf: Path, out: Path, *, first: int, last: int, dpi: int = 80) -> list[Path]:
    """Pages ``first``..``last`` of ``pdf`` as PNG images in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            PDFTOPPM,
            "-r",
            str(dpi),
            "-png",
            "-f",
            str(first),
            "-l",
            str(last),
            str(pdf),
            str(out / "page"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(out.glob("page-*.png"))
