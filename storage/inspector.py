"""The child that opens one file for ``storage.inspection``: limits first, then the task.

It reads ``{"task", "path", "name", "memory"}`` as JSON on its standard input (``memory``:
the ceiling in bytes, never above ``MEMORY_CEILING``) and writes
``{"result": …}`` or ``{"refused": message, "kind": …}`` on its standard output; a
``MemoryError`` under the ceiling is answered ``{"ceiling": "memory"}``.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path
from typing import Any

from storage.inspection import CPU_SECONDS, MEMORY_CEILING


def _limit(memory: int) -> None:
    """The ceiling on this process's address space and processor time (never raised)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _evidence(path: Path, name: str) -> Any:
    from storage.file_types import sniff

    return sniff(path, name)


def _word(path: Path, _name: str) -> Any:
    from storage.documents import parse_word

    return parse_word(path)


TASKS = {"evidence": _evidence, "word": _word}


def main() -> None:
    request = json.loads(sys.stdin.buffer.read(4096))
    _limit(min(int(request.get("memory", MEMORY_CEILING)), MEMORY_CEILING))
    from roadmap.errors import RoadmapError

    try:
        answer: dict[str, Any] = {
            "result": TASKS[request["task"]](Path(request["path"]), request.get("name", ""))
        }
    except RoadmapError as exc:
        answer = {"refused": str(exc), "kind": type(exc).__name__}
    except MemoryError:
        answer = {"ceiling": "memory"}
    sys.stdout.buffer.write(json.dumps(answer).encode())


if __name__ == "__main__":
    main()
