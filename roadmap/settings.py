"""Settings: one typed object, read from ``ROADMAP_*`` environment variables at the edges only.

The domain never instantiates this class; the faces (``cli``, ``intake``), the flows and
Alembic's ``env.py`` call ``get_settings()`` and pass plain values down.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from roadmap.loader import DEFAULT_PROGRAM

_PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev-secret"}


class Settings(BaseSettings):
    """Everything that differs between a laptop, CI and production."""

    model_config = SettingsConfigDict(env_prefix="ROADMAP_", extra="ignore")

    home: Path = Field(
        Path(".roadmap"),
        description="Data directory: the SQLite database, evidence files and the file outbox live here.",  # noqa: E501
    )
    database_url: str | None = Field(
        None,
        description="Database URL, e.g. postgresql://user@host:5432/db; default: SQLite file in ROADMAP_HOME.",  # noqa: E501
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
        None, description="Where evidence files are stored by hash; default ROADMAP_HOME/evidence."
    )
    max_upload_mb: int = Field(25, ge=1, description="Largest evidence file accepted, in MB.")
    explanation_margin: float = Field(
        0.05,
        ge=0,
        description="Share by which an indicator value may miss its target before an explanation is required.",  # noqa: E501
    )
    environment: str = Field(
        "development",
        description="development or production; production refuses placeholder secrets.",
    )
    intake_secret: SecretStr = Field(
        SecretStr("dev-secret"), description="HMAC key that signs intake links."
    )

    contacts_file: Path | None = Field(
        None, description="Contacts file (YAML) loaded by `roadmap contacts load` and `roadmap up`."
    )
    outbox_dir: Path | None = Field(
        None,
        description="Folder for messages when no channel is configured; default ROADMAP_HOME/outbox.",  # noqa: E501
    )
    smtp_url: SecretStr | None = Field(
        None,
        description="apprise mailto URL of the SMTP server, e.g. mailtos://user:pass@smtp.host:465?from=robot@host; unset: file outbox.",  # noqa: E501
    )
    mail_from: str = Field(
        "roadmap@localhost", description="Sender address of the file outbox's .eml files."
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

    public_base_url: str | None = Field(
        None,
        description="Public address of the intake page, e.g. https://roadmap.example.org; unset: messages carry no link.",  # noqa: E501
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
    reports_dir: Path | None = Field(
        None,
        description="Where flows write reports and briefing packs; default ROADMAP_HOME/reports.",
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

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.environment == "production":
            for name in ("intake_secret",):
                value = getattr(self, name)
                if value is not None and value.get_secret_value() in _PLACEHOLDER_SECRETS:
                    raise ValueError(
                        f"ROADMAP_{name.upper()} must be set to a real secret in production"
                    )
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
    def resolved_outbox_dir(self) -> Path:
        return self.outbox_dir or self.home / "outbox"

    @property
    def resolved_reports_dir(self) -> Path:
        return self.reports_dir or self.home / "reports"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (edges only)."""
    return Settings()
