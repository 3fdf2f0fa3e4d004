"""Settings from the environment and `.env` (every one is documented in `.env.example`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import platformdirs
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from index.library import MAX_BYTES, READ_SECONDS

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def default_db() -> Path:
    return Path(platformdirs.user_data_dir("saidwho")) / "saidwho.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", env_prefix="SAIDWHO_", extra="ignore"
    )

    telegram_token: SecretStr | None = Field(
        default=None, validation_alias="TELEGRAM_TOKEN", description="Bot API token"
    )
    telegram_api_url: str | None = Field(
        default=None,
        description="Another Bot API server (a local one, or a test double); token appended",
    )
    db: str = Field(
        default_factory=lambda: str(default_db()),
        description="The SQLite database file, or a postgresql:// URI (index/pgstore.py)",
    )
    admin_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Telegram user ids allowed to use admin commands"
    )
    results: int = Field(default=3, ge=1, le=20, description="Passages per answer page")
    max_question_chars: int = Field(default=1000, ge=10)
    user_rate: int = Field(
        default=20, ge=1, description="Messages a non-admin may send a minute; the rest skipped"
    )
    max_file_bytes: int = Field(default=MAX_BYTES, ge=1024)
    read_seconds: float = Field(
        default=READ_SECONDS,
        gt=0,
        description="How long reading one article may take; an article that takes longer is "
        "refused by name, and nothing of it is stored",
    )
    fetch_allow_private: bool = Field(
        default=False,
        description="Fetch URLs on loopback, private and link-local addresses (an intranet)",
    )
    dense: bool = Field(
        default=True, description="Use the dense extra's sentence model when it is installed"
    )
    webhook_url: str | None = Field(
        default=None,
        description="The public https URL Telegram posts updates to; set: a webhook server "
        "instead of polling",
    )
    webhook_listen: str = Field(
        default="127.0.0.1", description="Address the webhook server listens on"
    )
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = Field(
        default=None,
        validate_default=True,
        description="Secret Telegram sends with each update; updates without it are refused",
    )
    health_port: int = Field(
        default=8444, ge=1, le=65535, description="Port of the webhook mode's health endpoint"
    )
    log_level: str | None = Field(
        default=None,
        description="DEBUG, INFO, WARNING or ERROR; unset: WARNING for commands, INFO for the "
        "Telegram bot",
    )

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = value.replace(",", " ").split()
            if bad := [part for part in parts if not part.lstrip("-").isdigit()]:
                raise ValueError(
                    f"{bad[0]!r} is not a Telegram user id (ids are numbers, comma-separated)"
                )
            return [int(part) for part in parts]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _known_level(cls, value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return None
            if value.strip().upper() not in LOG_LEVELS:
                raise ValueError(f"{value!r} is not a log level ({', '.join(LOG_LEVELS)})")
            return value.strip().upper()
        return value

    @field_validator("webhook_url")
    @classmethod
    def _a_web_url(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            return None
        if value is not None and not value.lower().startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not an https URL")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_with_a_webhook(cls, value: SecretStr | None, info: ValidationInfo) -> Any:
        # Without a secret anyone who finds the URL could post updates as any user (an admin).
        if value is not None and not value.get_secret_value().strip():
            value = None
        if value is None:
            if info.data.get("webhook_url"):
                raise ValueError("required with SAIDWHO_WEBHOOK_URL (1-256 of A-Z a-z 0-9 _ -)")
            return None
        if not _SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return value

    @field_validator("telegram_token", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


def setting_errors(error: ValidationError) -> list[str]:
    """One line per bad setting, named as it is set (the environment variable), with the value
    given and what is wrong with it."""
    lines = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        info = Settings.model_fields.get(field)
        alias = info.validation_alias if info is not None else None
        name = alias if isinstance(alias, str) else f"SAIDWHO_{field.upper()}"
        reason = str(problem["msg"]).removeprefix("Value error, ")
        given = problem.get("input")
        secret = info is not None and info.annotation in (SecretStr, SecretStr | None)
        shown = f"={given}" if isinstance(given, str | int | float) and not secret else ""
        lines.append(f"{name}{shown}: {reason[0].lower()}{reason[1:]}")
    return lines
