"""Settings: names from DESIGN.md, one clear line per problem, exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.settings import Settings
from tests.harness import PROCESS_KEY

ROOT = Path(__file__).resolve().parents[2]
KEY = PROCESS_KEY


def _run_bot(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in _SETTING_NAMES}
    clean["DEFAULT_LANGUAGE"] = "en"  # the operator's lines in English (tests/bot/process.py)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


_SETTING_NAMES = {name.upper() for name in Settings.model_fields}


def test_missing_token_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    result = _run_bot({"ENCRYPTION_KEY": KEY}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "BOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr


def test_each_invalid_setting_gets_its_own_line(tmp_path: Path) -> None:
    result = _run_bot(
        {"BOT_TOKEN": "1:x", "ENCRYPTION_KEY": "short", "VERIFY_QUORUM": "zero"}, tmp_path
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert any("ENCRYPTION_KEY" in line for line in lines)
    assert any("VERIFY_QUORUM" in line for line in lines)


def test_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text("ADMIN_IDS=5, 7\nDEFAULT_LANGUAGE=en\nCHANNEL_ID=\n")
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.admin_ids == (5, 7)
    assert settings.default_language == "en"
    assert settings.channel_id is None


def test_webhook_needs_https_and_a_secret() -> None:
    with pytest.raises(ValueError, match="https"):
        Settings.model_validate({"webhook_url": "http://example.org", "webhook_secret_token": "s"})
    with pytest.raises(ValueError, match="WEBHOOK_SECRET_TOKEN"):
        Settings.model_validate({"webhook_url": "https://example.org"})


def test_expiry_settings_outside_their_ranges_are_refused_at_startup(tmp_path: Path) -> None:
    result = _run_bot(
        {
            "BOT_TOKEN": "1:x",
            "ENCRYPTION_KEY": KEY,
            "CHAT_EXPIRY_MINUTES": "0",
            "STAFF_CHAT_EXPIRY_MINUTES": "2881",
        },
        tmp_path,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("vigia: setting CHAT_EXPIRY_MINUTES: must be between 1 and 2820")
    assert lines[1].startswith("vigia: setting STAFF_CHAT_EXPIRY_MINUTES: must be between 1")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("minutes", [-5, 0, 2821, 2880, 100_000])
def test_an_expiry_past_what_telegram_allows_is_refused(minutes: int) -> None:
    for field in ("chat_expiry_minutes", "staff_chat_expiry_minutes"):
        with pytest.raises(ValueError, match="between 1 and 2820"):
            Settings.model_validate({field: minutes})


def test_expiry_defaults_and_limits_are_accepted() -> None:
    settings = Settings.model_validate({})
    assert (settings.chat_expiry_minutes, settings.staff_chat_expiry_minutes) == (1440, 720)
    edge = Settings.model_validate({"chat_expiry_minutes": 1, "staff_chat_expiry_minutes": 2820})
    assert (edge.chat_expiry_minutes, edge.staff_chat_expiry_minutes) == (1, 2820)


@pytest.mark.parametrize(
    ("written", "level"),
    [("info", "INFO"), ("Debug", "DEBUG"), (" warning ", "WARNING"), ("warn", "WARNING")],
)
def test_log_level_is_accepted_in_any_case(written: str, level: str) -> None:
    assert Settings.model_validate({"log_level": written}).log_level == level


def test_an_unknown_log_level_is_refused() -> None:
    with pytest.raises(ValueError, match="log_level"):
        Settings.model_validate({"log_level": "loud"})


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../etc/passwd", "", "Caracas"])
def test_an_unknown_time_zone_is_refused(zone: str) -> None:
    with pytest.raises(ValueError, match="not a known time zone"):
        Settings.model_validate({"timezone": zone})


def test_the_broadcast_rate_must_leave_room_under_the_overall_limit() -> None:
    with pytest.raises(ValueError, match="BROADCAST_RATE: must stay below"):
        Settings.model_validate({"broadcast_rate": 30, "telegram_rate_limit": 30})
    assert Settings.model_validate({"broadcast_rate": 29, "telegram_rate_limit": 30})
    # 0 switches the overall limiter off: nothing to stay below.
    assert Settings.model_validate({"broadcast_rate": 50, "telegram_rate_limit": 0})


def test_a_token_pasted_with_blanks_is_trimmed() -> None:
    token = Settings.model_validate({"bot_token": " 123:abc-DEF_9\n"}).bot_token
    assert token is not None
    assert token.get_secret_value() == "123:abc-DEF_9"
