"""An attacker as its own process: many uploads through valid links, each trickling its body.

``python -m tests.intake.trickler PORT SOURCE COUNT SECONDS PATH...`` opens COUNT connections
from the loopback address SOURCE (127.0.0.2, say: the server sees it as the client's
address), each a POST through the next PATH with a body of 1 MB declared, and sends 300
bytes to each every half second (600 B/s, above the page's pace floor). It prints one JSON
line once all are open, then one a second: how many connections are still open and the
status of every answer the server gave. It stops after SECONDS (a hang guard) or when killed.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from collections import Counter

DECLARED = 1_000_000
CHUNK = b"x" * 300
# a well-formed form whose one file is the trickle: the page reads it as an upload
FILE_PART = (
    b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="report.pdf"\r\n'
    b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
)


def open_upload(port: int, source: str, path: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
    head = (
        f"POST {path} HTTP/1.1\r\nHost: intake.test\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\n"
        f"Content-Length: {DECLARED}\r\n\r\n"
    )
    sock.sendall(head.encode() + FILE_PART)
    sock.setblocking(False)
    return sock


def answered(sock: socket.socket, statuses: Counter[str]) -> bool:
    """Whether the server has answered or closed ``sock`` (its status counted)."""
    try:
        data = sock.recv(65536)
    except BlockingIOError:
        return False
    except OSError:
        statuses["reset"] += 1
        return True
    statuses[data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/1.1 ") else "closed"] += 1
    return True


def report(event: str, open_: list[socket.socket], statuses: Counter[str]) -> None:
    sys.stdout.write(json.dumps({"event": event, "open": len(open_), "statuses": statuses}) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    port, source, count, seconds, paths = (
        int(argv[0]),
        argv[1],
        int(argv[2]),
        float(argv[3]),
        argv[4:],
    )
    statuses: Counter[str] = Counter()
    end = time.monotonic() + seconds
    socks = []
    for i in range(count):  # one every 10 ms, so each head is read before the next connects
        socks.append(open_upload(port, source, paths[i % len(paths)]))
        time.sleep(0.01)
    time.sleep(0.5)
    socks = [s for s in socks if not answered(s, statuses)]
    report("opened", socks, statuses)
    last = time.monotonic()
    while time.monotonic() < end:
        for sock in list(socks):
            if answered(sock, statuses):
                socks.remove(sock)
                sock.close()
                continue
            try:
                sock.send(CHUNK)
            except OSError:  # a full buffer, or the server has just closed it
                pass
        if time.monotonic() - last >= 1:
            report("tick", socks, statuses)
            last = time.monotonic()
        time.sleep(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
