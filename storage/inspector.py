"""The process that opens files for ``storage.inspection``: each file in a child forked for it.

It imports the libraries that open files once (``PRELOAD``), then reads one request a line on
its standard input, ``{"task", "path", "name", "memory", "seconds"}`` as JSON (``memory``: the
ceiling in bytes, never above ``MEMORY_CEILING``; ``seconds``: the clock, never above
``WALL_SECONDS``). For each it forks a child that sets its limits, runs the task and writes
``{"result": …}`` or ``{"refused": message, "kind": …}`` (a ``MemoryError`` under the
ceiling: ``{"ceiling": "memory"}``), and answers one line: how the child ended (``code``, as
``subprocess`` gives it), what it wrote (``stdout``), the end of its error output
(``stderr``) and whether the clock killed it (``timed_out``). This process never opens a
file itself, so nothing one file leaves behind reaches the next one's child.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import select
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any, NoReturn

from storage.inspection import CPU_SECONDS, MEMORY_CEILING, WALL_SECONDS

# what the tasks open files with: imported here once instead of in every child
PRELOAD = ("storage.file_types", "storage.documents", "pypdf", "PIL.Image", "docx", "openpyxl")
ERROR_TAIL = 4096  # the end of a child's error output kept for the log


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


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """The task of ``request`` run under its limits (in a child: the limits stay with it)."""
    _limit(min(int(request.get("memory", MEMORY_CEILING)), MEMORY_CEILING))
    from roadmap.errors import RoadmapError

    try:
        return {"result": TASKS[request["task"]](Path(request["path"]), request.get("name", ""))}
    except RoadmapError as exc:
        return {"refused": str(exc), "kind": type(exc).__name__}
    except MemoryError:
        return {"ceiling": "memory"}


def _child(request: dict[str, Any], out: int, err: int) -> NoReturn:
    """In the forked child: answer on ``out``, errors on ``err``, then end without cleanup."""
    code = 0
    try:
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout.buffer.write(json.dumps(answer(request)).encode())
        sys.stdout.flush()
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        code = 1
    os._exit(code)


def _collect(pid: int, out: int, err: int, seconds: float) -> tuple[bytes, bytes, bool]:
    """Read the child's output and errors to their end; kill it when ``seconds`` run out."""
    read: dict[int, bytes] = dict.fromkeys((out, err), b"")
    open_fds, end = [out, err], time.monotonic() + seconds
    while open_fds:
        left = end - time.monotonic()
        ready = select.select(open_fds, [], [], left)[0] if left > 0 else []
        if not ready:
            os.kill(pid, signal.SIGKILL)
            return read[out], read[err][-ERROR_TAIL:], True
        for fd in ready:
            data = os.read(fd, 1 << 16)
            if not data:
                open_fds.remove(fd)
            read[fd] = read[fd] + data if fd == out else (read[fd] + data)[-ERROR_TAIL:]
    return read[out], read[err], False


def forked(request: dict[str, Any]) -> dict[str, Any]:
    """``request`` answered by a child forked for it, and how the child ended."""
    seconds = min(float(request.get("seconds", WALL_SECONDS)), WALL_SECONDS)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(out_r)
        os.close(err_r)
        _child(request, out_w, err_w)
    os.close(out_w)
    os.close(err_w)
    try:
        out, err, timed_out = _collect(pid, out_r, err_r, seconds)
    finally:
        os.close(out_r)
        os.close(err_r)
    _, status = os.waitpid(pid, 0)
    return {
        "code": os.waitstatus_to_exitcode(status),
        "stdout": out.decode("utf-8", "replace"),
        "stderr": err.decode("utf-8", "replace"),
        "timed_out": timed_out,
    }


def main() -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    for line in sys.stdin.buffer:
        sys.stdout.buffer.write(json.dumps(forked(json.loads(line))).encode() + b"\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
