"""Rewrite the golden files: the expansion of the Krasnoyarsk program, and what a seeded
simulation writes (its summary, and a SHA-256 of each file it leaves); review the diff
before committing.

Usage: python scripts/update_golden.py
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from roadmap.obligations.expansion import expand_obligations
from roadmap.program.loader import load_program

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests/roadmap/golden/krasnoyarsk-obligations.json"
SIMULATION = ROOT / "tests/simulation/golden/seed-5.json"
# the run the same-seed test makes (tests/simulation/test_simulation.py)
SIMULATION_ARGS = ("--from", "2025-01-01", "--to", "2025-08-05", "--seed", "5")
CONTACTS = ROOT / "examples" / "contacts.example.yaml"


def simulation_manifest(out: Path, summary: str) -> dict[str, object]:
    """What a simulation run left in ``out``: its summary and each file's SHA-256 (the
    database aside: SQLite's pages are not the record)."""
    files = {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "simulation.db"
    }
    return {"summary": json.loads(summary), "files": files}


def write_simulation_golden() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        command = [sys.executable, "-m", "cli.main", "simulate", "--contacts", str(CONTACTS)]
        done = subprocess.run(
            [*command, *SIMULATION_ARGS, "--json", "--out", str(out)],
            cwd=ROOT,
            env={"ROADMAP_HOME": str(Path(tmp) / "home"), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        )
        manifest = simulation_manifest(out, done.stdout)
    SIMULATION.parent.mkdir(exist_ok=True)
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    SIMULATION.write_text(text, encoding="utf-8")
    print(f"{len(manifest['files'])} files of the seeded simulation → {SIMULATION}")


def main() -> None:
    data = [o.to_json() for o in expand_obligations(load_program())]
    GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(data)} obligations → {GOLDEN}")
    write_simulation_golden()


if __name__ == "__main__":
    main()
