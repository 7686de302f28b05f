"""Whether a port is free before a stack starts on it, and who holds it when it is not.

A server left running by an earlier ``roadmap up`` (its terminal closed, say) still holds
its port; a new stack that started over it would talk to the old server and report success
while its own process failed to bind. So the stack refuses, naming the holder as Linux's
``/proc`` shows it (the listening socket's inode, then the process with that socket open).
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

PROC = Path("/proc")
_LISTEN = "0A"


def port_taken(host: str, port: int) -> bool:
    """Whether something already listens on ``port`` at ``host`` (a bind there fails)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind
        try:
            probe.bind((host.strip("[]"), port))
        except OSError:
            return True
    return False


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(OSError):
            for line in (PROC / "net" / table).read_text().splitlines()[1:]:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if state == _LISTEN and int(local.rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{inode}]")
    return inodes


def port_holder(port: int) -> tuple[int, str] | None:
    """The process listening on ``port``: its id and command line, if ``/proc`` shows it."""
    inodes = _listening_inodes(port)
    if not inodes:
        return None
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    argv = (entry / "cmdline").read_bytes().rstrip(b"\0").split(b"\0")
                    return int(entry.name), " ".join(a.decode(errors="replace") for a in argv)
    return None


def taken_message(host: str, port: int, what: str) -> str | None:
    """Why ``what`` cannot start on ``port``, in Russian, or ``None`` when the port is free."""
    if not port_taken(host, port):
        return None
    holder = port_holder(port)
    if holder is None:
        return f"порт {port} ({what}) уже занят другим процессом; освободите его или укажите другой"
    pid, command = holder
    return (
        f"порт {port} ({what}) уже занят процессом {pid} ({command[:200]}); возможно, это "
        f"остался прежний запуск: остановите его (kill {pid}) или укажите другой порт"
    )
