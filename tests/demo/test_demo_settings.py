"""The demo runs offline: no token, and always a throwaway key and database."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo.cast import MODERATOR_ID, Cast
from demo.player import OFFLINE_URL, demo_settings
from tests.harness import PROCESS_KEY


def test_without_settings_the_key_is_random_and_the_database_temporary(tmp_path: Path) -> None:
    first = demo_settings(tmp_path, Cast.default())
    second = demo_settings(tmp_path, Cast.default())
    assert first.database_path == tmp_path / "demo.db"
    assert first.encryption_key is not None and second.encryption_key is not None
    assert first.encryption_key.get_secret_value() != second.encryption_key.get_secret_value()
    assert first.admin_ids == (MODERATOR_ID,)
    assert first.moderation_chat_id is None


def test_a_deployments_token_and_webhook_are_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123:real-token")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org")
    monkeypatch.setenv("TELEGRAM_BASE_URL", "https://api.telegram.org/bot")
    settings = demo_settings(tmp_path, Cast.default())
    assert settings.bot_token is None
    assert settings.webhook_url is None
    assert settings.telegram_base_url == OFFLINE_URL


def test_a_deployments_database_and_key_are_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "production.db"))
    monkeypatch.setenv("ENCRYPTION_KEY", PROCESS_KEY)
    monkeypatch.setenv("ENCRYPTION_OLD_KEYS", PROCESS_KEY)
    settings = demo_settings(tmp_path / "work", Cast.default())
    assert settings.database_path == tmp_path / "work" / "demo.db"
    assert settings.encryption_key is not None
    assert settings.encryption_key.get_secret_value() != PROCESS_KEY
    assert settings.encryption_old_keys == ()
