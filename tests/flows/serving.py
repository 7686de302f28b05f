"""Serve some of the program's deployments, as ``roadmap up`` serves them all (for the
browser test): ``python -m tests.flows.serving "Сводный отчёт по запросу" …``."""

from __future__ import annotations

import sys

from prefect import serve

from flows.deployments import deployment_specs
from flows.stack import runner_deployments
from services import runtime


def main(names: list[str]) -> None:
    rt = runtime.current()
    specs = [s for s in deployment_specs(rt.program, rt.calendar, rt.today()) if s.name in names]
    serve(*runner_deployments(specs, rt.program.timezone), print_starting_message=False)


if __name__ == "__main__":
    main(sys.argv[1:])
