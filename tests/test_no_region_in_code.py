"""Whatever differs between regions is program data: no region, program or organisation in code.

Every name, string and comment of the production rooms is read token by token; an
organisation id, a program id, a time zone or a region's name found there fails the test.
Help examples («Пример: roadmap … --org minobr») are the one exception: they show a person
what to type.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ROOMS = ("roadmap", "storage", "notifications", "documents", "services", "simulation", "flows")
FACES = ("cli", "intake")
DATA = ROOT / "roadmap" / "data"
# Role names are the engine's own vocabulary; an organisation may share one as its id.
ROLES = {"executor", "head", "coordinator", "curator", "commission"}
EXAMPLE = re.compile(r"Пример:.*$", re.MULTILINE)


def _programs() -> list[Path]:
    return sorted(p.parent for p in DATA.glob("*/program.yaml"))


def forbidden_words() -> set[str]:
    """Organisation ids, program ids, time zones and region name stems of every program."""
    words: set[str] = set()
    for folder in _programs():
        program = yaml.safe_load((folder / "program.yaml").read_text("utf-8"))
        orgs = yaml.safe_load((folder / "organizations.yaml").read_text("utf-8"))
        words |= {o["id"] for o in orgs["organizations"]} - ROLES
        words |= {program["id"], program["timezone"], program["timezone"].split("/")[-1]}
        words |= {w[:-2] for w in program["region"].split() if w[0].isupper() and len(w) > 5}
    return words


def findings(path: Path, words: set[str]) -> list[str]:
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(words)) + r")", re.IGNORECASE
    )
    out = []
    source = path.read_text("utf-8")
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in (tokenize.NAME, tokenize.STRING, tokenize.COMMENT):
            continue
        text = EXAMPLE.sub("", tok.string) if tok.type == tokenize.STRING else tok.string
        if m := pattern.search(text):
            name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            out.append(f"{name}:{tok.start[0]}: «{m.group(0)}»")
    return out


def test_the_words_to_look_for_are_found() -> None:
    words = forbidden_words()
    assert {"minsoc", "krasnoyarsk-2025-2026", "Asia/Krasnoyarsk", "Красноярск"} <= words


def test_the_check_catches_a_region_in_code(tmp_path: Path) -> None:
    words = forbidden_words()
    sample = tmp_path / "sample.py"
    sample.write_text(
        'ASKED = ("minsoc",)  # the ministries of Красноярский край\n'
        'def f() -> None:\n    """Пример: roadmap status --org minobr"""\n',
        "utf-8",
    )
    found = findings(sample, words)
    assert [f.split(": ", 1)[1] for f in found] == ["«minsoc»", "«Красноярск»"]


def test_no_region_literal_in_production_code() -> None:
    words = forbidden_words()
    found = [
        hit
        for room in ROOMS + FACES
        for path in sorted((ROOT / room).rglob("*.py"))
        if "migrations" not in path.parts
        for hit in findings(path, words)
    ]
    assert not found, "program data written into code:\n" + "\n".join(found)
