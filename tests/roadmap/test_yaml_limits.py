"""Hostile YAML (an alias bomb, deep nesting, a key twice) is refused quickly, with its place,
for each kind of file a person edits: program data, contacts and behaviour profiles."""

from __future__ import annotations

import shutil
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from roadmap.errors import ProgramErrors
from roadmap.program.contacts import load_contacts
from roadmap.program.loader import DEFAULT_PROGRAM, load_program
from roadmap.program.model import Program
from simulation.behaviour import load_profile

# «Billion laughs»: nine levels of nine aliases each, 9⁹ ≈ 387 million strings if expanded.
BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{', '.join(['*' + chr(ord('a') + i - 1)] * 9)}]\n"
    for i in range(1, 9)
)
DEEP = "x: " + "[" * 50_000 + "]" * 50_000 + "\n"
TWICE = "contacts: []\nsome: 1\nother: 2\nsome: 3\n"


def _program(tmp_path: Path, text: str) -> Path:
    data = tmp_path / "program"
    shutil.copytree(DEFAULT_PROGRAM, data)
    (data / "extra.yaml").write_text(text, encoding="utf-8")
    return data


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    return path


LOADERS: dict[str, Callable[[Path, str, Program], object]] = {
    "program": lambda tmp, text, _p: load_program(_program(tmp, text)),
    "contacts": lambda tmp, text, p: load_contacts(_file(tmp, text), p),
    "behaviour": lambda tmp, text, _p: load_profile(_file(tmp, text)),
}


@pytest.mark.parametrize("kind", LOADERS)
@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (BOMB, 3, "больше 10 ссылок YAML"),
        (DEEP, 1, "вложенность глубже 100 уровней"),
        (TWICE, 4, "ключ «some» повторяется"),
    ],
    ids=["alias-bomb", "nesting-50000", "duplicate-key"],
)
def test_hostile_yaml_is_refused_before_it_is_built_with_file_and_line(
    tmp_path: Path, program: Program, kind: str, text: str, line: int, message: str
) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ProgramErrors) as info:
            LOADERS[kind](tmp_path, text, program)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    errors = [str(e) for e in info.value.errors]
    assert len(errors) == 1 and message in errors[0], errors
    assert errors[0].startswith(f"{tmp_path}/") and f".yaml:{line}:" in errors[0]
    # refused by the shape check, not after building it: the bomb's nine levels would hold
    # 10^9 nodes, the 50 000 levels a recursion as deep; reading the eight shipped files of
    # the program case needs a few tens of megabytes
    assert peak < 100 * 2**20, peak


def test_the_command_line_reports_an_alias_bomb_without_a_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(_program(tmp_path, BOMB))])
    assert result.exit_code == 1
    assert "extra.yaml:3" in result.stderr and "ссылок YAML" in result.stderr
    assert "Traceback" not in result.output + result.stderr
