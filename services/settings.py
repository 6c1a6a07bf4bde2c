"""Settings read once from the environment or `.env` (names fixed by DESIGN.md)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Annotated, Literal, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.i18n import N_
from domain.key_strength import KEY_ADVICE, key_problem, webhook_secret_problem
from domain.operator_text import OperatorText, SettingProblem, text
from services.bot_profile import (
    DEFAULT_DESCRIPTION,
    DEFAULT_NAME,
    DEFAULT_SHORT_DESCRIPTION,
    DESCRIPTION_LIMIT,
    NAME_LIMIT,
    SHORT_DESCRIPTION_LIMIT,
    PerLanguage,
    per_language,
)
from services.operator_language import operator_gettext
from services.setting_errors import setting_problems

TELEGRAM_API_URL = "https://api.telegram.org/bot"
TELEGRAM_FILE_URL = "https://api.telegram.org/file/bot"
# Telegram lets a bot delete a message in a private chat for 48 hours (2880 minutes);
# an hour less leaves the expiry job room to run late and still be in time.
MAX_CHAT_EXPIRY_MINUTES = 2820
# What @BotFather hands out: the bot's numeric id, a colon, then the secret part.
_TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]+")


class Settings(BaseSettings):
    """Everything deployment-specific; built once in `main()` and passed down."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr | None = None
    telegram_base_url: str = TELEGRAM_API_URL
    telegram_base_file_url: str = TELEGRAM_FILE_URL
    database_path: Path = Path("data/vigia.db")
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    moderation_chat_id: int | None = None
    default_language: Literal["es", "en"] = "es"
    encryption_key: SecretStr | None = None
    encryption_old_keys: Annotated[tuple[SecretStr, ...], NoDecode] = ()
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - a webhook must listen beyond loopback
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret_token: SecretStr | None = None
    webhook_path: str = "telegram"
    telegram_rate_limit: float = Field(default=30, ge=0)
    verify_quorum: int = Field(default=1, ge=1, le=5)
    retention_days: int = Field(default=180, ge=1)
    channel_id: int | str | None = None
    broadcast_rate: float = Field(default=25.0, gt=0, le=1000)
    timezone: str = "America/Caracas"
    digest_time: dt.time = dt.time(8, 0)
    daily_report_cap: int = Field(default=10, ge=1)
    chat_expiry_minutes: int = 1440
    staff_chat_expiry_minutes: int = 720
    # The bot's neutral face (services/bot_profile.py): a text, or JSON by language.
    bot_display_name: Annotated[PerLanguage, NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_NAME)
    )
    bot_description: Annotated[PerLanguage, NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_DESCRIPTION)
    )
    bot_short_description: Annotated[PerLanguage, NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_SHORT_DESCRIPTION)
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # The published site (services/site): where the bot keeps it current, how often at
    # most it rebuilds, and the name it is published under.
    site_dir: Path | None = None
    site_rebuild_seconds: int = Field(default=60, ge=1)
    site_name: str = "Vigía"

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_any_case(cls, value: object) -> object:
        if isinstance(value, str):
            level = value.strip().upper()
            return "WARNING" if level == "WARN" else level
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone_is_known(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingProblem(
                text(
                    N_("not a known time zone; use an IANA name such as {example}"),
                    example="America/Caracas",
                )
            ) from None
        return value

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token_without_blanks(cls, value: object) -> object:
        # A token pasted with a trailing space or newline is still the token.
        return value.strip() if isinstance(value, str) else value

    @field_validator("bot_token")
    @classmethod
    def _token_has_botfathers_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # The message never quotes the value: a token must not reach any output.
        if value is not None and not _TOKEN_SHAPE.fullmatch(value.get_secret_value()):
            raise SettingProblem(
                text(
                    N_(
                        "not a token from @BotFather (digits, a colon, then letters, "
                        "digits, _ or -)"
                    )
                )
            )
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator("encryption_old_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("moderation_chat_id", "channel_id", "webhook_url", "site_dir", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("encryption_key", "webhook_secret_token", "bot_token", mode="before")
    @classmethod
    def _blank_secret_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("encryption_key")
    @classmethod
    def _key_is_generated(cls, value: SecretStr | None) -> SecretStr | None:
        # Old keys (ENCRYPTION_OLD_KEYS) are not checked: they must open what they sealed.
        problem = key_problem(value.get_secret_value()) if value is not None else None
        if problem is not None:
            raise SettingProblem(problem)
        return value

    @field_validator("webhook_secret_token")
    @classmethod
    def _webhook_secret_is_long(cls, value: SecretStr | None) -> SecretStr | None:
        problem = webhook_secret_problem(value.get_secret_value()) if value is not None else None
        if problem is not None:
            raise SettingProblem(problem)
        return value

    @field_validator("bot_display_name", mode="before")
    @classmethod
    def _name_per_language(cls, value: object) -> PerLanguage:
        return per_language(value, NAME_LIMIT)

    @field_validator("bot_description", mode="before")
    @classmethod
    def _description_per_language(cls, value: object) -> PerLanguage:
        return per_language(value, DESCRIPTION_LIMIT)

    @field_validator("bot_short_description", mode="before")
    @classmethod
    def _short_description_per_language(cls, value: object) -> PerLanguage:
        return per_language(value, SHORT_DESCRIPTION_LIMIT)

    @field_validator("chat_expiry_minutes", "staff_chat_expiry_minutes")
    @classmethod
    def _expiry_in_range(cls, value: int) -> int:
        if not 1 <= value <= MAX_CHAT_EXPIRY_MINUTES:
            raise SettingProblem(
                text(
                    N_(
                        "must be between 1 and {most} minutes (47 hours): after 48 hours "
                        "Telegram no longer lets the bot delete a message"
                    ),
                    most=MAX_CHAT_EXPIRY_MINUTES,
                )
            )
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_is_https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise SettingProblem(text(N_("must be an https:// URL")))
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret_token is None:
            raise SettingProblem(
                text(N_("WEBHOOK_SECRET_TOKEN: required when WEBHOOK_URL is set"))
            )
        return self

    @model_validator(mode="after")
    def _broadcast_leaves_room(self) -> Settings:
        limit = self.telegram_rate_limit
        if limit and self.broadcast_rate >= limit:
            raise SettingProblem(
                text(
                    N_(
                        "BROADCAST_RATE: must stay below TELEGRAM_RATE_LIMIT ({rate} ≥ "
                        "{limit}): a broadcast would take every message the bot may send, "
                        "and families' answers would wait behind it"
                    ),
                    rate=f"{self.broadcast_rate:g}",
                    limit=f"{limit:g}",
                )
            )
        return self

    def require_for_running(self) -> list[OperatorText]:
        """Problems that only matter when talking to a real Bot API."""
        problems = []
        if self.bot_token is None:
            problems.append(
                text(N_("setting BOT_TOKEN: required to run the bot (the token from @BotFather)"))
            )
        if self.encryption_key is None:
            problems.append(
                text(N_("setting ENCRYPTION_KEY: required ({advice})"), advice=KEY_ADVICE)
            )
        return problems


def load_settings_or_exit(*, for_running: bool = True) -> Settings:
    """Read settings; on any problem print one line each and exit with code 2."""
    try:
        settings = Settings()
    except ValidationError as exc:
        _exit_with(setting_problems(exc))
    problems = settings.require_for_running() if for_running else []
    if problems:
        _exit_with(problems, settings.default_language)
    return settings


def _exit_with(problems: list[OperatorText], language: str | None = None) -> NoReturn:
    gettext = operator_gettext(language)
    for line in problems:
        print(f"vigia: {line.render(gettext)}", file=sys.stderr)
    raise SystemExit(2)
