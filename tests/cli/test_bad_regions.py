"""One region's bad program folder stops only that region: the real `roadmap` process with
ROADMAP_PROGRAMS listing a good program, a folder that is gone and a program.yaml nested
200 000 levels deep (which took the YAML parser, and every command, down with SIGSEGV)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl

from roadmap.program.loader import DEFAULT_PROGRAM
from tests.cli.process import roadmap as run_roadmap

UNREADABLE = "данные региона не читаются"


def roadmap(home: Path, programs: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_roadmap(home, *args, programs=programs)


def deep_program(where: Path) -> Path:
    folder = where / "deep"
    folder.mkdir()
    depth = 200_000
    (folder / "program.yaml").write_text("id: " + "[" * depth + "]" * depth + "\n", "utf-8")
    return folder


def test_a_deep_program_file_is_refused_not_a_crash(tmp_path: Path) -> None:
    done = roadmap(tmp_path / "home", str(deep_program(tmp_path)), "status")
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])  # was -11 (SIGSEGV)
    assert "вложенность глубже 100 уровней" in done.stderr and "Traceback" not in done.stderr


def test_the_federal_view_shows_the_unreadable_regions_and_goes_on(tmp_path: Path) -> None:
    home = tmp_path / "home"
    programs = ",".join([str(DEFAULT_PROGRAM), str(tmp_path / "gone"), str(deep_program(tmp_path))])
    assert roadmap(home, str(DEFAULT_PROGRAM), "sync", "--as-of", "2025-01-09").returncode == 0
    done = roadmap(home, programs, "federal", "--as-of", "2025-08-01", "--json")
    assert done.returncode == 0, done.stderr[-800:]
    rows = json.loads(done.stdout)
    assert [r["synced"] for r in rows] == [True, False, False]
    assert rows[0]["region"] == "Красноярский край" and rows[0]["unreadable"] is None
    assert "не найдена программа" in rows[1]["unreadable"]
    assert "вложенность глубже 100 уровней" in rows[2]["unreadable"]
    out = tmp_path / "federal"
    done = roadmap(home, programs, "federal", "--as-of", "2025-08-01", "--out", str(out))
    assert done.returncode == 0, done.stderr[-800:]
    assert UNREADABLE in done.stdout.replace("\n", " ") or UNREADABLE in " ".join(
        done.stdout.split()
    )
    (xlsx,) = out.glob("*.xlsx")
    cells = [
        str(c.value) for ws in openpyxl.load_workbook(xlsx) for row in ws.iter_rows() for c in row
    ]
    assert sum(UNREADABLE in c for c in cells) >= 2 and "Красноярский край" in cells
    assert UNREADABLE in (out / "index.html").read_text("utf-8")
    # the good region's own commands go on too, the others named on stderr
    done = roadmap(home, programs, "status", "--as-of", "2025-02-01", "--json")
    assert done.returncode == 0 and "не читается, пропущена" in done.stderr


def test_the_federal_workbook_writes_a_region_named_like_a_formula_as_text(
    tmp_path: Path,
) -> None:
    """A region named as `roadmap init --region` would take it from a hostile hand: the
    workbook a ministry opens has no formula cell, each name shown as typed."""
    names = ['=HYPERLINK("http://evil.example/","клик")', "+1", "-1", "@SUM(A1:A9)"]
    folders = []
    for n, name in enumerate(names):
        folder = tmp_path / f"p{n}"
        shutil.copytree(DEFAULT_PROGRAM, folder)
        main = folder / "program.yaml"
        text = main.read_text("utf-8").replace("id: krasnoyarsk-2025-2026", f"id: region-{n}")
        main.write_text(text.replace("region: Красноярский край", f"region: '{name}'"), "utf-8")
        folders.append(str(folder))
    home, out = tmp_path / "home", tmp_path / "federal"
    assert roadmap(home, ",".join(folders[:1]), "sync", "--as-of", "2025-01-09").returncode == 0
    done = roadmap(home, ",".join(folders), "federal", "--as-of", "2025-08-01", "--out", str(out))
    assert done.returncode == 0, done.stderr[-800:]
    (xlsx,) = out.glob("*.xlsx")
    cells = [c for ws in openpyxl.load_workbook(xlsx) for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    for name in names:
        found = [c for c in cells if c.value == name]
        assert found and all(c.quotePrefix for c in found), name


def test_a_non_finite_number_in_one_region_stops_only_that_region(tmp_path: Path) -> None:
    """`.nan` and `.inf` (floats to YAML) as one region's targets: the federal view, its
    files and panel, and the other region's forecast and panel go on; that region is named
    unreadable with the reason (the federal files used to fail for every region)."""
    folder = tmp_path / "nan"
    shutil.copytree(DEFAULT_PROGRAM, folder)
    main = folder / "program.yaml"
    text = main.read_text("utf-8").replace("id: krasnoyarsk-2025-2026", "id: region-nan")
    main.write_text(text.replace("region: Красноярский край", "region: Другой край"), "utf-8")
    indicators = folder / "indicators.yaml"
    text = indicators.read_text("utf-8").replace("  - 2211\n  - 2027", "  - .nan\n  - .inf", 1)
    indicators.write_text(text, "utf-8")
    home, programs = tmp_path / "home", f"{DEFAULT_PROGRAM},{folder}"
    assert roadmap(home, str(DEFAULT_PROGRAM), "sync", "--as-of", "2025-01-09").returncode == 0
    done = roadmap(home, programs, "federal", "--as-of", "2025-08-01", "--json")
    assert done.returncode == 0, done.stderr[-800:]
    rows = json.loads(done.stdout)
    assert rows[0]["region"] == "Красноярский край" and rows[0]["unreadable"] is None
    assert "ожидается конечное число" in rows[1]["unreadable"]
    out = tmp_path / "federal"
    done = roadmap(home, programs, "federal", "--as-of", "2025-08-01", "--out", str(out))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-800:]
    assert UNREADABLE in (out / "index.html").read_text("utf-8")
    assert len(list(out.glob("*.docx"))) == 1 and len(list(out.glob("*.xlsx"))) == 1
    good = ("--program", "krasnoyarsk-2025-2026")
    done = roadmap(home, programs, *good, "forecast", "--as-of", "2025-08-01", "--json")
    assert done.returncode == 0 and json.loads(done.stdout), done.stderr[-800:]
    panel = tmp_path / "panel"
    done = roadmap(home, programs, *good, "panel", "--as-of", "2025-08-01", "--out", str(panel))
    assert done.returncode == 0 and (panel / "index.html").exists(), done.stderr[-800:]
    done = roadmap(home, programs, "--program", "region-nan", "status")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "indicators.yaml:35: indicators[0].targets[0]: ожидается конечное число" in done.stderr
