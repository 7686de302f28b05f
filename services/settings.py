"""Settings: one typed object, read from ``ROADMAP_*`` environment variables at the edges only.

The domain never instantiates this class; the faces (``cli``, ``intake``), the flows and
Alembic's ``env.py`` call ``get_settings()`` and pass plain values down.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from roadmap.errors import RoadmapError
from roadmap.program.loader import DEFAULT_PROGRAM
from services.keys import strength_problem, weak_secret_message

SECRET_BLOCK = "prefect-secret:"
Environment = Literal["development", "production"]
FileStoreKind = Literal["database", "directory"]


class SettingsError(RoadmapError):
    """Settings that cannot be used; the message names each variable and says why, in Russian."""


def auth_string_problem(auth: str) -> str | None:
    """Why the password of a ``user:password`` auth string is too weak, or None."""
    problem = strength_problem(auth.partition(":")[2])
    return None if problem is None else f"пароль: {problem}"


class Settings(BaseSettings):
    """Everything that differs between a laptop, CI and production."""

    model_config = SettingsConfigDict(env_prefix="ROADMAP_", extra="ignore")

    home: Path = Field(
        Path(".roadmap"),
        description=(
            "Data directory: the SQLite database, evidence files and the file outbox live here."
        ),
    )
    database_url: str | None = Field(
        None,
        description=(
            "Database URL, e.g. postgresql://user@host:5432/db; default: SQLite "
            "file in ROADMAP_HOME."
        ),
    )
    program: Path = Field(
        DEFAULT_PROGRAM,
        description="Program data folder or YAML file to sync (default: the embedded program).",
    )
    programs: str | None = Field(
        None,
        description=(
            "Program folders (or YAML files) run side by side on one database, one Prefect "
            "server and one intake page, separated by commas or the path separator; unset: "
            "ROADMAP_PROGRAM alone."
        ),
    )
    evidence_dir: Path | None = Field(
        None,
        description=(
            "Where evidence files were stored by hash before the file store (read by "
            "`roadmap files import`); default ROADMAP_HOME/evidence."
        ),
    )
    file_store: FileStoreKind = Field(
        "database",
        description=(
            "Where evidence and report files are kept so that every machine of the stack "
            "reaches them: database (in the database, by SHA-256) or directory "
            "(ROADMAP_FILE_STORE_DIR, a folder every machine mounts)."
        ),
    )
    file_store_dir: Path | None = Field(
        None,
        description=(
            "The folder every machine mounts, for ROADMAP_FILE_STORE=directory; "
            "default ROADMAP_HOME/files."
        ),
    )
    max_upload_mb: int = Field(25, ge=1, description="Largest evidence file accepted, in MB.")
    explanation_margin: float = Field(
        0.05,
        ge=0,
        description=(
            "Share by which an indicator value may miss its target before an "
            "explanation is required."
        ),
    )
    environment: Environment = Field(
        "development",
        description="development or production; production refuses weak keys and passwords "
        "(under 32 characters or about 100 bits), and the intake page may listen on a "
        "non-loopback address only in production.",
    )
    intake_secret: SecretStr | None = Field(
        None,
        description="HMAC key that signs intake and report links; unset: one generated once "
        "and kept in ROADMAP_HOME/intake-key (mode 0600; a region's or the federal stack of "
        "`roadmap up`: in its own folder). Machines of one stack share one set key.",
    )

    contacts_file: Path | None = Field(
        None, description="Contacts file (YAML) loaded by `roadmap contacts load` and `roadmap up`."
    )
    outbox_dir: Path | None = Field(
        None,
        description=(
            "Folder for messages when no channel is configured; default ROADMAP_HOME/outbox."
        ),
    )
    smtp_url: SecretStr | None = Field(
        None,
        description=(
            "apprise mailto URL of the SMTP server, e.g. "
            "mailtos://user:pass@smtp.host:465?from=robot@host; unset: file "
            "outbox."
        ),
    )
    mail_from: str = Field(
        "roadmap@localhost", description="Sender address of the file outbox's .eml files."
    )
    imap_url: SecretStr | None = Field(
        None,
        description=(
            "The program mailbox replies are read from: imaps://user:password@host:993/INBOX "
            "(imap:// only on this machine's loopback); unset: mail is not read."
        ),
    )
    mail_reply_to: str | None = Field(
        None,
        description=(
            "That mailbox's address, e.g. roadmap@ministry.example.ru: letters ask for replies "
            "to roadmap+<signed tag>@…; unset: replies go to the coordinator."
        ),
    )
    telegram_bot_token: SecretStr | None = Field(
        None, description="Telegram bot token; unset: Telegram messages go to the file outbox."
    )
    telegram_api_url: str = Field(
        "https://api.telegram.org/bot",
        description="Bot API address (a self-hosted Bot API server's, if the bot uses one).",
    )
    max_bot_token: SecretStr | None = Field(
        None,
        description=(
            "MAX bot token (sent in the Authorization header); "
            "unset: MAX messages go to the file outbox."
        ),
    )
    max_api_url: str = Field(
        "https://platform-api2.max.ru",
        description="MAX Bot API address (the official clients' current host).",
    )
    max_ca_bundle: Path | None = Field(
        None,
        description=(
            "CA certificates for the MAX API's TLS (its host has a certificate of the "
            "Russian Trusted Root CA); unset: the system's."
        ),
    )
    max_delivery_attempts: int = Field(
        6, ge=1, description="Attempts before a message is marked failed for the coordinator."
    )
    quiet_hours: bool = Field(
        True, description="Send only on working days 09:00–18:00 in the program's time zone."
    )

    federal_timezone: str = Field(
        "Europe/Moscow",
        description="Time zone of the federal view: its schedule, and its day when none is given.",
    )
    federal_signatory_position: str | None = Field(
        None,
        description="Position of who signs the federal summary; unset: a line to write it on.",
    )
    federal_signatory_name: str | None = Field(
        None,
        description=(
            "Full name (Фамилия Имя Отчество) of who signs the federal summary; "
            "unset: a line to write it on."
        ),
    )

    public_base_url: str | None = Field(
        None,
        description=(
            "Public address of the intake page, e.g. https://roadmap.example.org; "
            "unset: messages carry no link."
        ),
    )
    link_ttl_days: int = Field(30, ge=1, description="How long an intake link stays valid.")
    intake_host: str = Field("127.0.0.1", description="Address the intake page listens on.")
    intake_port: int = Field(8300, description="Port of the intake page.")
    intake_max_files: int = Field(10, ge=1, description="Most files in one intake submission.")
    intake_max_request_mb: int = Field(
        120, ge=1, description="Largest intake request body, in MB (all files together)."
    )
    intake_rate_limit: int = Field(
        30, ge=1, description="Requests one intake link may make in 10 minutes."
    )
    intake_max_refused: int = Field(
        5,
        ge=1,
        description=(
            "Submissions through one intake link refused for their files before the link is "
            "locked and the coordinator told."
        ),
    )
    reports_dir: Path | None = Field(
        None,
        description="Where flows write reports and briefing packs; default ROADMAP_HOME/reports.",
    )
    prefect_auth_string: SecretStr | None = Field(
        None,
        description="user:password the Prefect server requires and every client sends "
        "(PREFECT_SERVER_API_AUTH_STRING / PREFECT_API_AUTH_STRING); unset: `roadmap up` "
        "generates one in ROADMAP_HOME/prefect-auth. It protects Prefect itself, so it cannot "
        "be a prefect-secret: reference.",
    )
    prefect_trusted_proxies: str | None = Field(
        None,
        description="Addresses of the reverse proxies in front of `roadmap up`'s Prefect "
        "server, by commas, whose X-Forwarded-For names the client (failed logins are "
        "counted per client address); unset: the connection's own address, no header believed.",
    )
    prefect_api_url: str | None = Field(
        None,
        description="Prefect API used to wake waiting flow runs; default: PREFECT_API_URL.",
    )
    input_timeout_minutes: int = Field(
        480,
        ge=1,
        description="How long a flow waits for a form in the UI before the ladder takes over.",
    )

    @field_validator("database_url")
    @classmethod
    def _normalize_url(cls, v: str | None) -> str | None:
        return v.strip() or None if v else None

    @field_validator("prefect_auth_string")
    @classmethod
    def _user_and_password(cls, v: SecretStr | None) -> SecretStr | None:
        if v is None:
            return None
        raw = v.get_secret_value()
        if raw.startswith(SECRET_BLOCK):
            raise ValueError("ссылка prefect-secret: здесь невозможна: строка защищает сам Prefect")
        user, colon, password = raw.partition(":")
        if not colon or not user.strip() or not password:
            raise ValueError("ожидается вид «пользователь:пароль»")
        return v

    @model_validator(mode="after")
    def _refuse_weak_secrets(self) -> Settings:
        if self.environment != "production":
            return self
        if self.intake_secret is not None:
            raw = self.intake_secret.get_secret_value()
            problem = None if raw.startswith(SECRET_BLOCK) else strength_problem(raw)
            if problem:  # a prefect-secret: value is checked once resolved (services.runtime)
                raise ValueError(weak_secret_message("ROADMAP_INTAKE_SECRET", problem))
        if self.prefect_auth_string is not None:
            problem = auth_string_problem(self.prefect_auth_string.get_secret_value())
            if problem:
                raise ValueError(weak_secret_message("ROADMAP_PREFECT_AUTH_STRING", problem))
        return self

    @property
    def program_paths(self) -> tuple[Path, ...]:
        """The program folders this installation runs: ROADMAP_PROGRAMS, else ROADMAP_PROGRAM."""
        if self.programs:
            parts = re.split(rf"[,\n{re.escape(os.pathsep)}]", self.programs)
            return tuple(Path(p.strip()).expanduser() for p in parts if p.strip())
        return (self.program,)

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to ``sqlite:///<home>/roadmap.db``."""
        return self.database_url or f"sqlite:///{(self.home / 'roadmap.db').resolve()}"

    @property
    def resolved_evidence_dir(self) -> Path:
        return self.evidence_dir or self.home / "evidence"

    @property
    def resolved_file_store_dir(self) -> Path:
        return self.file_store_dir or self.home / "files"

    @property
    def resolved_outbox_dir(self) -> Path:
        return self.outbox_dir or self.home / "outbox"

    @property
    def resolved_reports_dir(self) -> Path:
        return self.reports_dir or self.home / "reports"


_REASONS = {
    "literal_error": "допустимые значения: {expected}",
    "int_parsing": "ожидается целое число",
    "float_parsing": "ожидается число",
    "bool_parsing": "ожидается true или false",
    "greater_than_equal": "должно быть не меньше {ge}",
    "url_parsing": "неверный адрес",
}


def _reason(error: Any) -> str:
    kind = error["type"]
    if kind == "value_error":  # our own validators speak Russian
        return str(error["msg"]).removeprefix("Value error, ")
    template = _REASONS.get(kind)
    context = error.get("ctx") or {}
    if template is None:
        return f"неверное значение ({kind})"
    values = {k: str(v).replace("'", "").replace(" or ", ", ") for k, v in context.items()}
    return template.format(**values)


def describe(exc: ValidationError) -> str:
    """A Russian message naming every wrong variable; never echoes a value (it may be secret)."""
    lines = []
    for error in exc.errors():
        loc = error.get("loc") or ()
        name = f"ROADMAP_{str(loc[0]).upper()}: " if loc else ""
        lines.append(name + _reason(error))
    return "неверные настройки: " + "; ".join(lines)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (edges only).

    Raises:
        SettingsError: a variable has a value that cannot be used (the message is Russian).
    """
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None
