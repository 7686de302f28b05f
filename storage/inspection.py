"""Opening a file someone sent in a process of its own, under a memory ceiling and a clock.

The checks of ``file_types.py`` count what they read (members, inflated bytes, XML nodes)
and stop at their bounds; the libraries that open the file afterwards (pypdf, python-docx,
openpyxl, Pillow) build what they build. So the whole inspection runs in a child process
(``python -m storage.inspector``) whose address space is capped with ``RLIMIT_AS``
(``MEMORY_CEILING``) and its processor time with ``RLIMIT_CPU``, and which is killed after
``WALL_SECONDS``: a file that needs more is refused, and the page's own process never
holds what the file inflates to. At most ``AT_ONCE`` inspections run at a time in one
process, so a burst of hostile uploads cannot take the machine's memory either. The child
gets no secrets: its environment is the path to this code and the temporary folder.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
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


def run_inspection(task: str, path: Path, name: str = "") -> Any:
    """Run ``task`` of ``storage.inspector`` on the file at ``path`` in a bounded child.

    Returns:
        what the task returns (a JSON value).

    Raises:
        EvidenceRejected, ImportFailed: the task refused the file (its own message).
        InspectionFailed: the child hit the memory ceiling or the clock, or died.
    """
    request = json.dumps(
        {"task": task, "path": str(path), "name": name, "memory": MEMORY_CEILING}
    ).encode()
    with _slots:
        try:
            done = subprocess.run(
                [sys.executable, "-P", "-m", "storage.inspector"],
                input=request,
                capture_output=True,
                timeout=WALL_SECONDS,
                env=_environment(),
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise InspectionFailed("time") from None
    try:
        answer = json.loads(done.stdout) if done.returncode == 0 else {}
    except ValueError:
        answer = {}
    if "result" in answer:
        return answer["result"]
    if answer.get("refused") and answer.get("kind") in _REFUSALS:
        raise _REFUSALS[answer["kind"]](str(answer["refused"]))
    tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
    log.warning("file inspection ended with %s: %s", done.returncode, tail)
    raise InspectionFailed("time" if done.returncode == -signal.SIGXCPU else "memory")


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
