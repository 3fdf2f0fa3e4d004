"""Settings from the environment and `.env` (every one is documented in `.env.example`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from index.library import MAX_BYTES


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
    db: Path = Field(default_factory=default_db, description="The SQLite database file")
    admin_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Telegram user ids allowed to use admin commands"
    )
    results: int = Field(default=3, ge=1, le=20, description="Passages per answer page")
    max_question_chars: int = Field(default=1000, ge=10)
    user_rate: int = Field(
        default=20, ge=1, description="Messages a non-admin may send a minute; the rest skipped"
    )
    max_file_bytes: int = Field(default=MAX_BYTES, ge=1024)
    dense: bool = Field(
        default=True, description="Use the dense extra's sentence model when it is installed"
    )
    log_level: str = Field(default="INFO")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [int(part) for part in value.replace(",", " ").split()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("telegram_token", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value
