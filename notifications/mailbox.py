"""The program mailbox over IMAP: list the letters waiting, download one, file it away.

This is the one module that imports the IMAP client (imapclient). The mailbox is named by a
URL: ``imaps://user:password@host:993/INBOX`` (TLS), or ``imap://…`` for a server on this
machine's loopback only, where no password crosses a network. A letter is only ever
*moved*, never deleted: to the folder that says what became of it, once what it brought is
recorded. Nothing here logs the URL or puts it in an error message.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from notifications.delivery import hide_secrets
from roadmap.errors import RoadmapError

DEFAULT_FOLDER = "INBOX"
TIMEOUT = 60.0


class MailboxError(RoadmapError):
    """The mailbox cannot be read: a URL in the wrong form, a server that refuses (in Russian)."""


@dataclass(frozen=True)
class MailboxAddress:
    host: str
    port: int
    tls: bool
    user: str
    password: str
    folder: str


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_mailbox_url(url: str) -> MailboxAddress:
    """The parts of ``imaps://user:password@host:port/FOLDER`` (or ``imap://`` on loopback).

    Raises:
        MailboxError: another scheme, no user or password, or ``imap://`` to another host.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("imap", "imaps"):
        raise MailboxError("адрес почтового ящика должен начинаться с imaps:// (или imap://)")
    host = parts.hostname or ""
    if not host or not parts.username or parts.password is None:
        raise MailboxError("в адресе почтового ящика нет сервера, пользователя или пароля")
    tls = parts.scheme == "imaps"
    if not tls and not _loopback(host):
        raise MailboxError(
            "imap:// без шифрования допускается только для сервера на этом компьютере "
            "(127.0.0.1); для почтового сервера министерства укажите imaps://"
        )
    password = unquote(parts.password)
    hide_secrets.add(password)
    folder = unquote(parts.path.lstrip("/")) or DEFAULT_FOLDER
    return MailboxAddress(
        host, parts.port or (993 if tls else 143), tls, unquote(parts.username), password, folder
    )


class Mailbox:
    """One connection to the mailbox, its letters folder selected."""

    def __init__(self, client: IMAPClient, folder: str) -> None:
        self._client = client
        self.folder = folder
        self._can_move = b"MOVE" in client.capabilities()

    def uids(self) -> list[int]:
        """The UIDs of the letters in the folder, oldest first."""
        return sorted(int(u) for u in self._client.search("ALL"))

    def download(self, uid: int) -> bytes | None:
        """The letter as it arrived (its flags untouched); None when it is gone meanwhile
        (another run filed it away)."""
        try:
            found = self._client.fetch([uid], ["BODY.PEEK[]"])
        except IMAPClientError:
            self._client.noop()
            if uid in self._client.search(["UID", str(uid)]):
                raise
            return None
        # a letter a parallel run has just moved comes back without its body
        body = found.get(uid, {}).get(b"BODY[]")
        return None if body is None else bytes(body)

    def ensure_folders(self, names: list[str]) -> None:
        """Create the folders letters are filed into, when the mailbox lacks them."""
        for name in names:
            if not self._client.folder_exists(name):
                try:
                    self._client.create_folder(name)
                except IMAPClientError:  # created by another run a moment ago
                    if not self._client.folder_exists(name):
                        raise
                self._client.subscribe_folder(name)

    def move(self, uid: int, folder: str) -> None:
        """File a letter into ``folder`` (a no-op when another run has moved it already)."""
        try:
            if self._can_move:
                self._client.move([uid], folder)
                return
            # RFC 3501 without MOVE: copy, mark deleted, expunge that one letter (UIDPLUS)
            if self._client.copy([uid], folder):
                self._client.delete_messages([uid])
                self._client.uid_expunge([uid])
        except IMAPClientError:
            # Dovecot answers EXPUNGEISSUED when a parallel run moved the letter first
            self._client.noop()
            if uid in self._client.search(["UID", str(uid)]):
                raise


@contextmanager
def open_mailbox(url: str, *, ca_file: str | None = None) -> Iterator[Mailbox]:
    """A connection to the mailbox ``url`` names, logged in, its folder selected.

    Raises:
        MailboxError: the URL, the connection, the login or the folder (the reason, in
            Russian, without the URL).
    """
    address = parse_mailbox_url(url)
    context = ssl.create_default_context(cafile=ca_file) if address.tls else None
    try:
        client = IMAPClient(
            address.host,
            port=address.port,
            ssl=address.tls,
            ssl_context=context,
            timeout=TIMEOUT,
        )
    except (OSError, IMAPClientError) as exc:
        raise MailboxError(
            f"почтовый сервер {address.host}:{address.port} недоступен ({type(exc).__name__})"
        ) from None
    try:
        try:
            client.login(address.user, address.password)
        except IMAPClientError:
            raise MailboxError("почтовый сервер не принял имя пользователя или пароль") from None
        try:
            client.select_folder(address.folder)
        except IMAPClientError:
            raise MailboxError(f"в почтовом ящике нет папки «{address.folder}»") from None
        yield Mailbox(client, address.folder)
    finally:
        try:
            client.logout()
        except (OSError, IMAPClientError):
            client.shutdown()
