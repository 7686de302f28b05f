"""Rewrite the golden expansion of the Krasnoyarsk program; review the diff before committing.

Usage: python scripts/update_golden.py
"""

from __future__ import annotations

import json
from pathlib import Path

from roadmap.obligations.expansion import expand_obligations
from roadmap.program.loader import load_program

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests/roadmap/golden/krasnoyarsk-obligations.json"


def main() -> None:
    data = [o.to_json() for o in expand_obligations(load_program())]
    GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(data)} obligations → {GOLDEN}")


if __name__ == "__main__":
    main()
