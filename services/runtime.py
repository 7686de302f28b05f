"""The runtime: settings turned into values once, for every face and flow of one process.

The command line, the flows, the intake page and the simulation all take what they need
from a ``Runtime``: the database engine, the program and its calendar, delivery transports
with every ``prefect-secret:NAME`` setting resolved, the link signer, the clock and the
Prefect API address. Nothing else reads settings or resolves secrets.

Values that cost something to build (the engine, the program, the transports) are built
on first use, so a command that needs only the program never opens the database.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from sqlalchemy.engine import Engine

from roadmap.dates.workdays import WorkCalendar, get_calendar
from roadmap.errors import ProgramNotChosen, RoadmapError
from roadmap.program.loader import CONTACTS_FILE, load_program, program_id_at
from roadmap.program.model import Program
from services import prefect_calls
from services.keys import keep_secret, strength_problem, weak_secret_message
from services.settings import SECRET_BLOCK, Settings, SettingsError, get_settings
from services.tokens import make_token
from storage.db import open_database
from storage.files import DIRECTORY, FileStore

if TYPE_CHECKING:  # delivery (apprise under it) and planning load with the first send or plan
    from notifications.delivery import Transports
    from notifications.planning import LinkFor

Clock = Callable[[], dt.datetime]
PREFECT_AUTH_FILE = "prefect-auth"  # under ROADMAP_HOME: the string `roadmap up` generated
INTAKE_KEY_FILE = "intake-key"  # under ROADMAP_HOME: the link key made when none is set
PREFECT_USER = "roadmap"
FEDERAL = "federal"  # the owner of the federal view's files and links


def wall_clock() -> dt.datetime:
    """The current time (UTC): the one place the engine reads the clock."""
    return dt.datetime.now(dt.UTC)


def resolve_secret(
    value: SecretStr | None, *, api_url: str | None = None, auth: str | None = None
) -> str | None:
    """A secret setting's value, loaded from a Prefect Secret block when it names one.

    ``prefect-secret:smtp-url`` reads the Secret block ``smtp-url`` through the Prefect API
    at ``api_url`` with the basic-auth string ``auth`` (each defaulting to what Prefect is
    configured with in this process), in a call with an end (``services.prefect_calls``).

    Raises:
        SettingsError: the call was cut (too slow, an answer too large), in Russian.
    """
    if value is None:
        return None
    raw = value.get_secret_value()
    if not raw.startswith(SECRET_BLOCK):
        return raw
    prefect_calls.install()
    from prefect.blocks.system import Secret
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    updates: dict[Any, Any] = {}
    if api_url:
        updates[PREFECT_API_URL] = api_url
    if auth:
        updates[PREFECT_API_AUTH_STRING] = auth
    name = raw[len(SECRET_BLOCK) :]
    with temporary_settings(updates=updates):
        try:
            block: Any = Secret.load(name)
        except prefect_calls.PrefectCallCut as exc:
            raise SettingsError(f"секрет «{name}» из Prefect не прочитан: {exc}") from None
        return str(block.get())


def kept_prefect_auth(home: Path) -> Path:
    """Where ``roadmap up`` keeps the Prefect auth string it generated."""
    return home / PREFECT_AUTH_FILE


def keep_prefect_auth(home: Path) -> str:
    """The kept Prefect auth string, generated (``roadmap:<random>``, mode 0600) if absent."""
    path = kept_prefect_auth(home)
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        value = f"{PREFECT_USER}:{secrets.token_urlsafe(24)}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(value + "\n")
    path.chmod(0o600)
    return path.read_text("utf-8").strip()


def kept_intake_key(home: Path) -> Path:
    """Where the link key made when ROADMAP_INTAKE_SECRET is unset is kept."""
    return home / INTAKE_KEY_FILE


@dataclass
class LinkSigner:
    """Signs intake links: ``base/i/<token>`` for an obligation and the organisation asked."""

    base_url: str
    key: bytes
    ttl: dt.timedelta

    def link(self, obligation_id: str, org: str, *, now: dt.datetime) -> str:
        token = make_token(obligation_id, org, key=self.key, now=now, ttl=self.ttl)
        return f"{self.base_url.rstrip('/')}/i/{token}"

    def for_messages(self, now: dt.datetime) -> LinkFor:
        """A link maker for the messages planned at ``now``."""

        def make(obligation_id: str, org: str) -> str:
            return self.link(obligation_id, org, now=now)

        return make


@dataclass(frozen=True)
class ChannelSecrets:
    """Every channel's secret setting as its value: the SMTP and IMAP URLs (with their
    passwords) and the Telegram and MAX bot tokens, each None when unset."""

    smtp_url: str | None = field(default=None, repr=False)
    telegram_token: str | None = field(default=None, repr=False)
    max_token: str | None = field(default=None, repr=False)
    imap_url: str | None = field(default=None, repr=False)


@dataclass
class Runtime:
    """Everything a use case needs, built from one ``Settings``.

    A runtime knows every program of the installation (``programs``: ROADMAP_PROGRAMS, else
    ROADMAP_PROGRAM) and is bound to at most one of them: ``program`` is the one chosen
    (``selected``, an id or a folder), or the only one loaded. ``for_program`` gives the
    runtime bound to another program; it shares this one's settings, engine, transports,
    link signer and clock.
    """

    settings: Settings
    clock: Clock = wall_clock
    program_override: Program | None = None
    transports_override: Transports | None = None
    engine_override: Engine | None = field(default=None, repr=False)
    # no Prefect API: nothing is woken (the simulation, tests of a face alone)
    offline: bool = False
    # the program this runtime is for: an id or a folder (None: the only one loaded)
    selected: str | None = None
    parent: Runtime | None = field(default=None, repr=False)
    _loaded: dict[str, Program] = field(default_factory=dict, init=False, repr=False)
    _children: dict[str, Runtime] = field(default_factory=dict, init=False, repr=False)
    # the program folders the settings list that cannot be read (missing, refused), each
    # with why: the others run as usual (filled when the catalog is read)
    unreadable: list[tuple[Path, RoadmapError]] = field(
        default_factory=list, init=False, repr=False
    )

    @property
    def root(self) -> Runtime:
        return self.parent.root if self.parent is not None else self

    @cached_property
    def engine(self) -> Engine:
        if self.parent is not None:
            return self.parent.engine
        if self.engine_override is not None:
            return self.engine_override
        return open_database(self.settings.resolved_database_url)

    # --- the programs -----------------------------------------------------------------------
    @cached_property
    def catalog(self) -> dict[str, Path | None]:
        """Program id → its folder (or file), in the order the settings list them."""
        if self.parent is not None:
            return self.parent.catalog
        if self.program_override is not None:
            return {self.program_override.id: None}
        out: dict[str, Path | None] = {}
        unreadable: list[tuple[Path, RoadmapError]] = []
        for path in self.settings.program_paths:
            try:
                out.setdefault(program_id_at(path), path)
            except RoadmapError as exc:
                unreadable.append((path, exc))
        if unreadable and not out:
            raise unreadable[0][1]
        self.unreadable = unreadable  # one region's folder stops only that region
        return out

    @property
    def program_ids(self) -> list[str]:
        return list(self.catalog)

    def load(self, program_id: str) -> Program:
        """The program with this id, loaded once per process."""
        root = self.root
        if root.program_override is not None and program_id == root.program_override.id:
            return root.program_override
        if program_id not in root._loaded:
            path = root.catalog.get(program_id)
            if path is None:
                raise ProgramNotChosen(self._unknown(program_id))
            root._loaded[program_id] = load_program(path)
        return root._loaded[program_id]

    @property
    def programs(self) -> list[Program]:
        """Every program of the installation."""
        return [self.load(pid) for pid in self.catalog]

    def resolve(self, choice: str | Path) -> str:
        """The id of the program ``choice`` names: an id, or a folder (added when new).

        Raises:
            ProgramNotChosen: no such program (the message lists those loaded).
        """
        root = self.root
        text = str(choice)
        if text in root.catalog:
            return text
        path = Path(text).expanduser()
        if path.exists():
            pid = program_id_at(path)
            known = root.catalog.get(pid)
            if known is not None and known.resolve() != path.resolve():
                raise ProgramNotChosen(f"программа «{pid}» уже загружена из {known}")
            root.catalog[pid] = path
            return pid
        raise ProgramNotChosen(self._unknown(text))

    def _unknown(self, choice: str) -> str:
        ids = ", ".join(self.root.catalog) or "нет"
        return f"программа «{choice}» не найдена; загружены: {ids}"

    def for_program(self, choice: str | Path) -> Runtime:
        """The runtime bound to the program ``choice`` names (an id or a folder)."""
        root = self.root
        pid = root.resolve(choice)
        if root.program_override is not None and pid == root.program_override.id:
            return root
        child = root._children.get(pid)
        if child is None:
            child = Runtime(
                settings=root.settings,
                clock=root.clock,
                offline=root.offline,
                selected=pid,
                parent=root,
            )
            root._children[pid] = child
        return child

    def each_program(self) -> list[Runtime]:
        """This runtime when it is bound to a program, else one runtime per program."""
        if self.selected is not None or self.program_override is not None:
            return [self]
        return [self.for_program(pid) for pid in self.catalog]

    @cached_property
    def program(self) -> Program:
        """The program this runtime is for.

        Raises:
            ProgramNotChosen: several programs are loaded and none was chosen.
        """
        if self.program_override is not None:
            return self.program_override
        if self.selected is not None:
            return self.load(self.resolve(self.selected))
        ids = list(self.catalog)
        if len(ids) == 1:
            return self.load(ids[0])
        raise ProgramNotChosen(
            f"загружено несколько программ ({', '.join(ids)}): укажите одну, --program ID"
        )

    @property
    def program_folder(self) -> Path | None:
        return self.root.catalog.get(self.program.id)

    @property
    def contacts_file(self) -> Path | None:
        """The program's contacts file: its own ``contacts_file``, if it names one, else
        ``contacts.yaml`` in its folder, if there is one.

        Without either, ROADMAP_CONTACTS_FILE serves the installation's only program.
        """
        declared = self.program.contacts_file
        folder = self.program_folder
        home = None if folder is None else folder if folder.is_dir() else folder.parent
        if declared:
            path = Path(declared).expanduser()
            if not path.is_absolute() and home is not None:
                path = home / path
            return path
        if folder is not None and folder.is_dir() and (folder / CONTACTS_FILE).is_file():
            return folder / CONTACTS_FILE
        return self.settings.contacts_file if len(self.catalog) == 1 else None

    @cached_property
    def calendar(self) -> WorkCalendar:
        return get_calendar(self.program.calendar)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.program.timezone)

    # --- shared by every program ------------------------------------------------------------
    @cached_property
    def transports(self) -> Transports:
        """Delivery as configured: SMTP, Telegram and MAX when set, else the file outbox."""
        if self.parent is not None:
            return self.parent.transports
        if self.transports_override is not None:
            return self.transports_override
        from notifications.delivery import ReplyTags, make_transports

        s, secret = self.settings, self.channel_secrets
        return make_transports(
            outbox_dir=s.resolved_outbox_dir,
            smtp_url=secret.smtp_url,
            telegram_token=secret.telegram_token,
            telegram_api_url=s.telegram_api_url,
            mail_from=s.mail_from,
            max_token=secret.max_token,
            max_api_url=s.max_api_url,
            max_ca_bundle=str(s.max_ca_bundle) if s.max_ca_bundle else None,
            replies=ReplyTags(s.mail_reply_to, self.key_for) if s.mail_reply_to else None,
        )

    @cached_property
    def channel_secrets(self) -> ChannelSecrets:
        """Every channel's secret, resolved in this one place: a ``prefect-secret:NAME``
        value is read through this runtime's Prefect API with its auth string."""
        if self.parent is not None:
            return self.parent.channel_secrets
        s = self.settings
        return ChannelSecrets(
            smtp_url=self.secret(s.smtp_url),
            telegram_token=self.secret(s.telegram_bot_token),
            max_token=self.secret(s.max_bot_token),
            imap_url=self.secret(s.imap_url),
        )

    def secret(self, value: SecretStr | None) -> str | None:
        """A secret setting's value, a ``prefect-secret:`` one read through this runtime's API."""
        return resolve_secret(value, api_url=self.prefect_api_url, auth=self.prefect_auth)

    @cached_property
    def intake_key(self) -> bytes:
        """The HMAC key of this program's intake and report links: the program's own
        (``intake_secret`` in its data), else the installation's ROADMAP_INTAKE_SECRET, with a
        ``prefect-secret:`` value resolved; unset, the key made once and kept in
        ROADMAP_HOME/intake-key (never a development default).

        Raises:
            SettingsError: in production, a key that is weak (``services.keys``); a
                program's key that is not where its data says.
        """
        if self.parent is not None and self.program.intake_secret is None:
            return self.parent.intake_key
        if self.parent is not None:
            name = f"intake_secret программы {self.program.id}"
            value = self._program_secret(self.program.intake_secret or "", name)
        elif self.settings.intake_secret is None:
            return keep_secret(kept_intake_key(self.settings.home)).encode()
        else:
            name = "ROADMAP_INTAKE_SECRET"
            value = self.secret(self.settings.intake_secret) or ""
        problem = strength_problem(value)
        if self.settings.environment == "production" and problem:
            raise SettingsError(weak_secret_message(name, problem))
        return value.encode()

    def _program_secret(self, reference: str, name: str) -> str:
        """The value a program's secret reference («env:NAME», «prefect-secret:NAME») names."""
        kind, _, key = reference.partition(":")
        if kind == "env":
            value = os.environ.get(key)
            if not value:
                raise SettingsError(f"{name}: переменная окружения {key} не задана")
            return value
        return self.secret(SecretStr(reference)) or ""

    def key_for(self, owner: str) -> bytes | None:
        """The key of ``owner``'s links (a program's id, or «federal»), None when this
        installation does not serve that program."""
        root = self.root
        if owner == FEDERAL:
            return root.intake_key
        if owner not in root.catalog:
            return None
        return root.for_program(owner).intake_key

    @cached_property
    def prefect_auth(self) -> str | None:
        """The ``user:password`` this process sends to the Prefect API, if any.

        ``ROADMAP_PREFECT_AUTH_STRING``, else ``PREFECT_API_AUTH_STRING`` (what ``roadmap up``
        gives the processes it starts), else the string ``roadmap up`` generated and kept in
        ``ROADMAP_HOME/prefect-auth``.
        """
        if self.offline:
            return None
        if self.settings.prefect_auth_string is not None:
            return self.settings.prefect_auth_string.get_secret_value()
        if os.environ.get("PREFECT_API_AUTH_STRING"):
            return os.environ["PREFECT_API_AUTH_STRING"]
        kept = kept_prefect_auth(self.settings.home)
        return kept.read_text("utf-8").strip() if kept.is_file() else None

    @cached_property
    def signer(self) -> LinkSigner | None:
        """The intake link signer, when ``ROADMAP_PUBLIC_BASE_URL`` is set (with the
        program's own key, when it has one)."""
        s = self.settings
        if not s.public_base_url:
            return None
        return LinkSigner(s.public_base_url, self.intake_key, dt.timedelta(days=s.link_ttl_days))

    def links(self, now: dt.datetime) -> LinkFor | None:
        """Signed intake links for the messages planned at ``now``, or None without a base."""
        return self.signer.for_messages(now) if self.signer else None

    @cached_property
    def files(self) -> FileStore:
        """The file store every process of the stack reaches (ROADMAP_FILE_STORE): the
        database, or the folder all machines mount; uploads are received in
        ROADMAP_HOME/tmp first."""
        if self.parent is not None:
            return self.parent.files
        s = self.settings
        if s.file_store == DIRECTORY:
            return FileStore(root=s.resolved_file_store_dir)
        return FileStore(scratch=s.home / "tmp")

    @property
    def evidence(self) -> FileStore:
        """Where documents handed in are kept: the file store."""
        return self.files

    @property
    def max_file_bytes(self) -> int:
        """The largest file the store takes: the intake page's whole request."""
        return self.settings.intake_max_request_mb * 1024 * 1024

    @property
    def reports_root(self) -> Path:
        """The local working folder every owner's reports folder is in (ROADMAP_REPORTS_DIR):
        writers write here, then put each file into the store (``services.files``)."""
        return self.settings.resolved_reports_dir

    @property
    def reports_dir(self) -> Path:
        """This program's reports folder, named by its id: no file of one program is ever
        written where another's is.

        Raises:
            ProgramNotChosen: several programs are loaded and none was chosen.
        """
        return self.reports_root / self.program.id

    @property
    def federal_dir(self) -> Path:
        """The federal view's folder, beside the programs' own."""
        return self.reports_root / FEDERAL

    def owner_dir(self, owner: str) -> Path:
        """The reports folder of ``owner`` (a program's id, or «federal»)."""
        return self.reports_root / owner

    @property
    def prefect_api_url(self) -> str | None:
        if self.offline:
            return None
        return self.settings.prefect_api_url or os.environ.get("PREFECT_API_URL")

    def now(self) -> dt.datetime:
        return self.parent.now() if self.parent is not None else self.clock()

    def morning(self, day: dt.date) -> dt.datetime:
        """10:00 of ``day`` in the program's zone, as UTC: when a time-travelling run acts."""
        return dt.datetime.combine(day, dt.time(10), self.zone).astimezone(dt.UTC)

    def today(self) -> dt.date:
        """Today in the program's time zone."""
        return self.now().astimezone(self.zone).date()


_current: Runtime | None = None


PRIVATE = 0o077


def private_files() -> None:
    """Make every file and folder this process creates from now on its owner's alone (files
    0600, folders 0700, whatever the shell's umask): the database, reports, evidence and the
    file store hold contacts, letters with live links and the ministries' documents."""
    os.umask(os.umask(PRIVATE) | PRIVATE)


def current() -> Runtime:
    """The runtime of this process, built from the environment's settings on first use;
    what the process writes from then on is private (``private_files``)."""
    global _current
    if _current is None:
        private_files()
        _current = Runtime(get_settings())
    return _current


def reset() -> None:
    """Forget the process's runtime (tests change the environment between cases)."""
    global _current
    if _current is not None and "engine" in _current.__dict__:
        _current.engine.dispose()
    _current = None
    get_settings.cache_clear()
