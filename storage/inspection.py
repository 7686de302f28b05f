"""Opening a file someone sent in a process of its own, under a memory ceiling and a clock.

The checks of ``file_types.py`` count what they read (members, inflated bytes, XML nodes)
and stop at their bounds; the libraries that open the file afterwards (pypdf, python-docx,
openpyxl, Pillow) build what they build. So the whole inspection runs in a child process
whose address space is capped with ``RLIMIT_AS`` (``MEMORY_CEILING``) and its processor
time with ``RLIMIT_CPU``, and which is killed after ``WALL_SECONDS``: a file that needs more
is refused, and the page's own process never holds what the file inflates to. The child is
forked, one per file, from an inspecting process (``python -m storage.inspector``) that has
the libraries imported already and opens no file itself: a file costs a fork, not a Python
start and the libraries' imports (about 0.2 s). At most ``AT_ONCE`` inspections run at a
time in one process, each with an inspecting process of its own, kept for the next file
while it answers; so a burst of hostile uploads cannot take the machine's memory either.
The inspecting process gets no secrets: its environment is the path to this code and the
temporary folder.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from roadmap.errors import ImportFailed, Location
from storage.errors import EvidenceRejected

MB = 1024 * 1024
MEMORY_CEILING = 1024 * MB
CPU_SECONDS = 60
WALL_SECONDS = 120
AT_ONCE = 2
_slots = threading.BoundedSemaphore(AT_ONCE)
_ROOT = Path(__file__).resolve().parent.parent  # the folder that holds the ``storage`` package
_REFUSALS: dict[str, type[EvidenceRejected] | type[ImportFailed]] = {
    "EvidenceRejected": EvidenceRejected,
    "ImportFailed": ImportFailed,
}
log = logging.getLogger(__name__)


class InspectionFailed(Exception):
    """The child ran out of memory or time, or died: ``why`` says which."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why

    def text(self) -> str:
        """What a person is told, in Russian."""
        if self.why == "time":
            return f"файл не удалось проверить за {WALL_SECONDS} с: он слишком сложен"
        return (
            f"файл не удалось проверить: для разбора ему нужно больше "
            f"{MEMORY_CEILING // MB} МБ памяти (так устроены файлы-бомбы)"
        )


def _environment() -> dict[str, str]:
    env = {"PYTHONPATH": str(_ROOT), "LC_ALL": "C.UTF-8", "PATH": os.defpath}
    for name in ("TMPDIR", "SYSTEMROOT"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


class _Inspector:
    """One inspecting process (``storage.inspector``) and the line of its answer being read.

    It runs in a session of its own, so stopping it also stops a child it has forked."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-m", "storage.inspector"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=_environment(),
            start_new_session=True,
        )
        self._pending = b""

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, request: dict[str, Any], seconds: float) -> dict[str, Any]:
        """Its answer to ``request``, read within ``seconds``.

        Raises:
            TimeoutError: no answer in time. OSError, ValueError: it died or said nonsense.
        """
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        self.process.stdin.flush()
        fd, end = self.process.stdout.fileno(), time.monotonic() + seconds
        while b"\n" not in self._pending:
            left = end - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise EOFError
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return dict(json.loads(line))

    def stop(self) -> None:
        """End it now, and the child it may be waiting for."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.close()

    def close(self) -> None:
        """Let it end (its input closed ends its loop) and collect it."""
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class _Inspectors:
    """The idle inspecting processes of this process; ``started`` counts those ever started."""

    def __init__(self) -> None:
        self.started = 0
        self._idle: list[_Inspector] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def take(self) -> _Inspector:
        with self._lock:
            if self._pid != os.getpid():  # a forked copy of a process: the idle ones are not ours
                self._idle, self._pid = [], os.getpid()
            while self._idle:
                found = self._idle.pop()
                if found.alive():
                    return found
                found.close()
            self.started += 1
        return _Inspector()

    def give_back(self, inspector: _Inspector) -> None:
        with self._lock:
            if self._pid == os.getpid():
                self._idle.append(inspector)

    def close(self) -> None:
        """End the idle ones (at exit, so none outlives this process unwaited)."""
        with self._lock:
            idle, self._idle = (self._idle, []) if self._pid == os.getpid() else ([], [])
        for inspector in idle:
            inspector.close()


INSPECTORS = _Inspectors()
atexit.register(INSPECTORS.close)


def _ask(request: dict[str, Any]) -> dict[str, Any]:
    """How a child of an inspecting process ended on ``request``; one that died while idle
    is replaced once."""
    for _attempt in range(2):
        inspector = INSPECTORS.take()
        try:
            done = inspector.ask(request, WALL_SECONDS + 10)
        except TimeoutError:
            inspector.stop()
            raise InspectionFailed("time") from None
        except (OSError, EOFError, ValueError):
            inspector.stop()
            continue
        INSPECTORS.give_back(inspector)
        return done
    log.warning("no inspecting process answered")
    raise InspectionFailed("memory")


def run_inspection(task: str, path: Path, name: str = "") -> Any:
    """Run ``task`` of ``storage.inspector`` on the file at ``path`` in a bounded child.

    Returns:
        what the task returns (a JSON value).

    Raises:
        EvidenceRejected, ImportFailed: the task refused the file (its own message).
        InspectionFailed: the child hit the memory ceiling or the clock, or died.
    """
    request = {
        "task": task,
        "path": str(path),
        "name": name,
        "memory": MEMORY_CEILING,
        "seconds": WALL_SECONDS,
    }
    with _slots:
        done = _ask(request)
    if done["timed_out"]:
        raise InspectionFailed("time")
    try:
        answer = json.loads(done["stdout"]) if done["code"] == 0 else {}
    except ValueError:
        answer = {}
    if "result" in answer:
        return answer["result"]
    if answer.get("refused") and answer.get("kind") in _REFUSALS:
        raise _REFUSALS[answer["kind"]](str(answer["refused"]))
    tail = str(done["stderr"]).strip().splitlines()[-1:]
    log.warning("file inspection ended with %s: %s", done["code"], tail)
    raise InspectionFailed("time" if done["code"] == -signal.SIGXCPU else "memory")


def inspect_evidence(path: Path, name: str) -> str:
    """The media type of an evidence file, read and opened in a bounded child.

    Raises:
        EvidenceRejected: the file is refused (why), or is too costly to open.
    """
    try:
        return str(run_inspection("evidence", path, name))
    except InspectionFailed as exc:
        raise EvidenceRejected(exc.text()) from None


def inspect_word(path: Path) -> dict[str, Any]:
    """A program's Word document read in a bounded child (``storage.documents``).

    Raises:
        ImportFailed: the document is refused, or is too costly to open.
    """
    try:
        return dict(run_inspection("word", path))
    except InspectionFailed as exc:
        message = f"документ Word не прочитан: {exc.text()}"
        raise ImportFailed(message, Location(str(path))) from None
