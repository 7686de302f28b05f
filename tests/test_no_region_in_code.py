"""Whatever differs between regions is program data: no region, program or organisation in code.

Every name, string and comment of the production rooms, their templates and migrations is
read; an organisation id, a program id, a time zone of a program, or the name of any of the
fourteen regions of «Вызов» found there fails the test, however the string is written:
split into adjacent literals («"Красно" "ярск"») or with escapes («"\\u041a…"»). Help examples
(«Пример: roadmap … --org minobr») are the one exception: they show a person what to type.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import yaml

from tests.regions import FOURTEEN

ROOT = Path(__file__).resolve().parent.parent
ROOMS = ("roadmap", "storage", "notifications", "documents", "services", "simulation", "flows")
FACES = ("cli", "intake")
DATA = ROOT / "roadmap" / "data"
# Role names are the engine's own vocabulary; an organisation may share one as its id.
ROLES = {"executor", "head", "coordinator", "curator", "commission"}
EXAMPLE = re.compile(r"Пример:.*$", re.MULTILINE)


def _programs() -> list[Path]:
    return sorted(p.parent for p in DATA.glob("*/program.yaml"))


def _stems(region: str) -> set[str]:
    """The part of a region's name its every case shares: «Красноярский» → «Красноярск»."""
    return {w[:-2] for w in region.replace("—", " ").split() if w[0].isupper() and len(w) > 5}


def forbidden_words() -> set[str]:
    """Organisation ids, program ids and time zones of every program, and the name stems of
    the fourteen regions."""
    words: set[str] = set()
    for folder in _programs():
        program = yaml.safe_load((folder / "program.yaml").read_text("utf-8"))
        orgs = yaml.safe_load((folder / "organizations.yaml").read_text("utf-8"))
        words |= {o["id"] for o in orgs["organizations"]} - ROLES
        words |= {program["id"], program["timezone"], program["timezone"].split("/")[-1]}
        words |= _stems(program["region"])
    for region, _, _ in FOURTEEN:
        words |= _stems(region)
    return words


def _pattern(words: set[str]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(words)) + r")", re.IGNORECASE
    )


def _strings(source: str) -> list[tuple[int, str]]:
    """Every string literal as its value (escapes decoded), adjacent literals joined, with
    the line it starts on."""
    out: list[tuple[int, str]] = []
    run: list[tokenize.TokenInfo] = []

    def close() -> None:
        if run:
            try:
                value = "".join(str(ast.literal_eval(t.string)) for t in run)
            except (ValueError, SyntaxError):  # an f-string: its text as written
                value = "".join(t.string for t in run)
            out.append((run[0].start[0], value))
            run.clear()

    skip = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.STRING:
            run.append(tok)
        elif tok.type not in skip or tok.type == tokenize.NEWLINE:
            close()
    close()
    return out


def findings(path: Path, words: set[str]) -> list[str]:
    pattern = _pattern(words)
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    source = path.read_text("utf-8")
    if path.suffix != ".py":  # a template: every line is text a person may read
        return [
            f"{name}:{n}: «{m.group(0)}»"
            for n, line in enumerate(source.splitlines(), start=1)
            if (m := pattern.search(line))
        ]
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.NAME, tokenize.COMMENT) and (m := pattern.search(tok.string)):
            out.append(f"{name}:{tok.start[0]}: «{m.group(0)}»")
    for line, value in _strings(source):
        if m := pattern.search(EXAMPLE.sub("", value)):
            out.append(f"{name}:{line}: «{m.group(0)}»")
    return out


def _production_files() -> list[Path]:
    files = []
    for room in ROOMS + FACES:
        files += sorted((ROOT / room).rglob("*.py"))
        files += sorted((ROOT / room).rglob("*.j2"))
    return files


def test_the_words_to_look_for_are_found() -> None:
    words = forbidden_words()
    assert {"minsoc", "krasnoyarsk-2025-2026", "Asia/Krasnoyarsk", "Красноярск"} <= words
    assert {"Самарск", "Иркутск", "Кемеровск", "Челябинск"} <= words  # the other regions too


def test_the_check_catches_a_region_in_code_however_it_is_written(tmp_path: Path) -> None:
    words = forbidden_words()
    sample = tmp_path / "sample.py"
    sample.write_text(
        'ASKED = ("minsoc",)  # the ministries of Красноярский край\n'
        'def f() -> None:\n    """Пример: roadmap status --org minobr"""\n'
        'JOINED = ("Сама" "рская область")\n'
        'ESCAPED = "\\u0418\\u0440\\u043a\\u0443\\u0442\\u0441\\u043a\\u0430\\u044f"\n',
        "utf-8",
    )
    found = sorted(f.split(": ", 1)[1] for f in findings(sample, words))
    assert found == ["«minsoc»", "«Иркутск»", "«Красноярск»", "«Самарск»"]
    template = tmp_path / "letter.txt.j2"
    template.write_text("Министерство Тверской области\n", "utf-8")
    assert [f.split(": ", 1)[1] for f in findings(template, words)] == ["«Тверск»"]


def test_no_region_literal_in_production_code_templates_or_migrations() -> None:
    words = forbidden_words()
    files = _production_files()
    assert any("migrations" in p.parts for p in files) and any(p.suffix == ".j2" for p in files)
    found = [hit for path in files for hit in findings(path, words)]
    assert not found, "program data written into code:\n" + "\n".join(found)
