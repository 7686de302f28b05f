"""Run the benchmarks: ``python -m bench`` (all) or ``python -m bench expand status …``."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import time

from bench.common import Results, machine, write_latest

ALL = ["expand", "status", "simulate", "outbox", "up", "forecast", "warning", "fewpoints"]


def main(argv: list[str]) -> int:
    names = argv or ALL
    unknown = [n for n in names if n not in ALL]
    if unknown:
        print(f"unknown benchmark: {', '.join(unknown)}; known: {', '.join(ALL)}", file=sys.stderr)
        return 2
    started = dt.datetime.now()
    print(f"machine: {machine()}", flush=True)
    results = Results()
    for name in names:
        print(f"== {name}", flush=True)
        t = time.perf_counter()
        importlib.import_module(f"bench.{name}").run(results)
        print(f"  ({time.perf_counter() - t:.0f} s)", flush=True)
    path = write_latest(results, started, argv)
    print(f"\n{results.markdown()}\n\nwritten to {path}")
    missed = [f for f in results.figures if f.ok is False]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
