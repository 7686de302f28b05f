"""1. Expanding obligations: the Krasnoyarsk program, and 89 clones of it (one per region).

Reference: one program's expansion, measured in the same run; linear growth means the
per-program time at 89 programs stays near it.
"""

from __future__ import annotations

import gc
import tracemalloc

from bench.common import Results, best, program
from roadmap.dates.workdays import get_calendar
from roadmap.obligations.expansion import expand_obligations


def run(results: Results) -> None:
    base = program()
    cal = get_calendar(base.calendar)
    one = len(expand_obligations(base, cal))  # warms the calendar's year tables
    t1 = best(lambda: expand_obligations(base, cal), repeat=7)
    results.add("expand", f"one program ({len(base.activities)} activities, {one} obligations)",
                f"{t1 * 1000:.0f} ms", "< 1 s", t1 < 1)  # fmt: skip
    per_program = {}
    clones = [base.model_copy(update={"id": f"{base.id}-r{i:02d}"}) for i in range(1, 90)]
    for n in (10, 30, 89):
        per_program[n] = best(lambda n=n: [expand_obligations(p, cal) for p in clones[:n]], 3) / n
    t89 = per_program[89] * 89
    acts = 89 * len(base.activities)
    results.add("expand", f"89 programs ({acts} activities, {89 * one} obligations)",
                f"{t89:.2f} s = {t89 / (89 * t1):.2f}× 89 single runs",
                "< 30 s", t89 < 30)  # fmt: skip
    ratio = per_program[89] / per_program[10]
    results.add("expand", "per-program time, 89 vs 10 programs (1.0 = linear)",
                f"{ratio:.2f}×", "≤ 1.2×", ratio <= 1.2)  # fmt: skip
    gc.collect()
    tracemalloc.start()
    kept = [expand_obligations(p, cal) for p in clones]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert sum(len(k) for k in kept) == 89 * one
    results.add("expand", "89 programs: peak memory, all obligations held (tracemalloc)",
                f"{peak / 2**20:.0f} MiB", "< 1 GiB", peak < 2**30)  # fmt: skip
