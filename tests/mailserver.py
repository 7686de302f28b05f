"""A real IMAP server for the mail tests: Debian's Dovecot as a user-level instance.

It runs from a configuration file of its own with its own base_dir, state and log, a Maildir
and one test account in a passwd-file, listening on a free loopback port without TLS (the
engine allows plain ``imap://`` on loopback only). Started as root, its login processes run
as ``dovenull`` and its internal ones as ``dovecot`` (Debian's own accounts) and the mail
account's processes as ``nobody``; started by anyone else, all of them run as that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from tests.peers import free_port, stop

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "roadmap@minsoc.example.org"
PASSWORD = "imap-test-password"


@dataclass
class ImapServer:
    port: int
    root: Path

    @property
    def url(self) -> str:
        return f"imap://{quote(USER, safe='')}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    @contextmanager
    def client(self) -> Iterator[IMAPClient]:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
        client.login(USER, PASSWORD)
        try:
            yield client
        finally:
            client.logout()

    def deliver(self, raw: bytes) -> None:
        """Put a letter into the inbox, as the mail server's delivery would."""
        with self.client() as c:
            c.append("INBOX", raw)

    def folder(self, name: str) -> list[bytes]:
        """The letters in folder ``name`` (empty when it does not exist yet)."""
        with self.client() as c:
            if not c.folder_exists(name):
                return []
            c.select_folder(name, readonly=True)
            uids = c.search("ALL")
            found = c.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
            return [bytes(found[u][b"BODY[]"]) for u in sorted(found)]

    def empty(self) -> None:
        """Remove every letter and folder but the empty inbox (between tests)."""
        with self.client() as c:
            for _flags, _sep, name in c.list_folders():
                if name != "INBOX":
                    c.delete_folder(name)
            c.select_folder("INBOX")
            uids = c.search("ALL")
            if uids:
                c.delete_messages(uids)
                c.expunge()


def _config(root: Path, port: int, uid: int, gid: int, login: str, internal: str) -> str:
    return f"""\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login}
default_internal_user = {internal}
default_internal_group = {internal}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
last_valid_gid = {gid}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def _accounts() -> tuple[int, int, str, str]:
    """The mail account's uid and gid, and the login and internal users."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        return nobody.pw_uid, nobody.pw_gid, "dovenull", "dovecot"
    me = pwd.getpwuid(os.geteuid())
    return me.pw_uid, me.pw_gid, me.pw_name, me.pw_name


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_for_auth(server: ImapServer, attempts: int = 120) -> None:
    """Log in until the auth service answers: the port listens before it is ready, and a
    login meanwhile gets «Temporary authentication failure»."""
    for _ in range(attempts):
        try:
            with server.client():
                return
        except (LoginError, OSError):
            time.sleep(0.25)
    raise RuntimeError("Dovecot's authentication did not come up")


@contextmanager
def dovecot() -> Iterator[ImapServer]:
    """Start Dovecot on a free loopback port; stop it and remove its files afterwards."""
    if not os.path.exists(DOVECOT):
        raise RuntimeError("Dovecot is not installed: apt-get install dovecot-imapd")
    root = Path(tempfile.mkdtemp(prefix="roadmap-imap-"))
    root.chmod(0o755)  # the login and mail processes run as other users
    uid, gid, login, internal = _accounts()
    home = root / "home"
    home.mkdir()
    os.chown(home, uid, gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{home}::\n")
    # read by Dovecot's auth process, another user: whatever umask this process has (the
    # command line narrows its own to 077, and a test may have run one in this process)
    (root / "passwd").chmod(0o644)
    port = free_port()
    conf = root / "dovecot.conf"
    conf.write_text(_config(root, port, uid, gid, login, internal))
    conf.chmod(0o644)
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(200):
            if _listening(port):
                break
            if process.poll() is not None:
                err = process.stderr.read().decode() if process.stderr else ""
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                raise RuntimeError(f"Dovecot did not start: {err}\n{log}")
            time.sleep(0.05)
        else:
            raise RuntimeError("Dovecot did not start listening")
        server = ImapServer(port, root)
        _wait_for_auth(server)
        yield server
    finally:
        stop(process, 10)
        shutil.rmtree(root, ignore_errors=True)
