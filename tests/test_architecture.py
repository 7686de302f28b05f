"""The rooms keep their doors: import contracts, and a README that covers every command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer

from cli.main import app

REPO = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _commands(group: typer.Typer, prefix: str = "roadmap") -> list[tuple[str, object]]:
    out = []
    for cmd in group.registered_commands:
        name = cmd.name or cmd.callback.__name__  # type: ignore[union-attr]
        out.append((f"{prefix} {name}", cmd.callback))
    for sub in group.registered_groups:
        out.extend(_commands(sub.typer_instance, f"{prefix} {sub.name}"))  # type: ignore[arg-type]
    return out


def test_every_command_has_help_and_appears_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for name, callback in _commands(app):
        assert (callback.__doc__ or "").strip(), f"{name} has no help"
        assert f"{name}" in readme, f"{name} is not in the README"


def test_every_setting_is_documented_in_the_readme() -> None:
    from roadmap.settings import Settings

    readme = (REPO / "README.md").read_text("utf-8")
    for name in Settings.model_fields:
        assert f"`ROADMAP_{name.upper()}`" in readme, f"ROADMAP_{name.upper()} is not in the README"
