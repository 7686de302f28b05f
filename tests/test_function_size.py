"""Functions a reader holds in their head: none over 60 lines or McCabe complexity 12.

The lines of a function run from its ``def`` to its last line, docstring included; the
complexity is ruff's C901 (the mccabe count), so the test and the linter never disagree.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROOMS = (
    "roadmap",
    "storage",
    "notifications",
    "documents",
    "services",
    "simulation",
    "flows",
    "cli",
    "intake",
)
MAX_LINES = 60
MAX_COMPLEXITY = 12


@dataclass(frozen=True)
class Offender:
    """A function past one of the two limits, where it starts and by how much."""

    path: str
    line: int
    name: str
    measure: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.name}: {self.measure}"


def production_files(root: Path) -> list[Path]:
    """The Python files of the production rooms under ``root``, migrations left out."""
    files = []
    for room in ROOMS:
        for path in sorted((root / room).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                files.append(path)
    return files


def long_functions(files: list[Path], root: Path) -> list[Offender]:
    """Every function or method of ``files`` longer than ``MAX_LINES`` lines."""
    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_LINES:
                    where = path.relative_to(root).as_posix()
                    found.append(Offender(where, node.lineno, node.name, f"{lines} lines"))
    return found


def complex_functions(files: list[Path], root: Path) -> list[Offender]:
    """Every function of ``files`` whose McCabe complexity (ruff's C901) passes the limit."""
    if not files:
        return []
    command = [
        *(sys.executable, "-m", "ruff", "check", "--isolated", "--exit-zero"),
        *("--select", "C901", "--output-format", "json"),
        *("--config", f"lint.mccabe.max-complexity={MAX_COMPLEXITY}"),
        *(str(path) for path in files),
    ]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=True)
    found = []
    for item in json.loads(result.stdout):
        where = Path(item["filename"]).resolve().relative_to(root.resolve()).as_posix()
        # the message reads "`name` is too complex (14 > 12)"
        name = item["message"].split("`")[1]
        measure = "complexity " + item["message"].rsplit("(", 1)[1].split(" ")[0]
        found.append(Offender(where, item["location"]["row"], name, measure))
    return found


def offenders(root: Path) -> list[Offender]:
    """Every function of the production rooms under ``root`` past a limit, files in order."""
    files = production_files(root)
    found = long_functions(files, root) + complex_functions(files, root)
    return sorted(found, key=lambda o: (o.path, o.line, o.measure))


def test_no_production_function_is_too_long_or_too_complex() -> None:
    found = offenders(REPO)
    assert not found, (
        f"functions over {MAX_LINES} lines or complexity {MAX_COMPLEXITY}; split them into "
        "named helpers:\n" + "\n".join(str(o) for o in found)
    )


def test_checker_lists_a_long_and_a_tangled_function(tmp_path: Path) -> None:
    room = tmp_path / "roadmap"
    room.mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(MAX_COMPLEXITY))
    (room / "sample.py").write_text(
        f"def long_one():\n{body}\n\n\n"
        f"def tangled(x):\n{branches}\n    return -1\n\n\n"
        "def short_one():\n    return 1\n",
        encoding="utf-8",
    )
    migrations = room / "migrations"
    migrations.mkdir()
    (migrations / "old.py").write_text(f"def long_too():\n{body}\n", encoding="utf-8")

    found = [str(o) for o in offenders(tmp_path)]

    assert found == [
        f"roadmap/sample.py:1 long_one: {MAX_LINES + 1} lines",
        f"roadmap/sample.py:{MAX_LINES + 4} tangled: complexity {MAX_COMPLEXITY + 1}",
    ]
