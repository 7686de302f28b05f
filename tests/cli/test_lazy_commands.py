"""The root command loads only the module of the command it runs."""

from __future__ import annotations

import json
import subprocess
import sys

from cli.main import COMMANDS, registered
from tests.conftest import REPO


def test_each_command_is_registered_by_the_module_the_table_names() -> None:
    for module in set(COMMANDS.values()):
        typer_app = registered({module})
        names = {c.name for c in typer_app.registered_commands}
        names |= {g.name for g in typer_app.registered_groups}
        assert names == {c for c, m in COMMANDS.items() if m == module}, module


RUN = """
import json, sys
from cli.main import app
try:
    app(sys.argv[1:])
except SystemExit as done:
    assert not done.code, done.code
print(json.dumps(sorted(sys.modules)))
"""


def _imported(*args: str) -> set[str]:
    """The modules a `roadmap` process has loaded when its command is done."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {
        m.partition(".")[0] if m.partition(".")[0] != "cli" else m
        for m in json.loads(done.stdout.splitlines()[-1])
    }


def test_the_version_loads_no_command_and_a_command_loads_only_its_own() -> None:
    heavy = {"statsmodels", "apprise", "sqlalchemy", "docx", "openpyxl", "prefect", "services"}
    assert not heavy & _imported("--version")
    term = _imported("term", "в течение 10 рабочих дней")
    assert "cli.term_cmds" in term
    assert not {"cli.report_cmds", "cli.flow_cmds", "statsmodels", "docx"} & term
