"""Each startup failure is one line for the operator and an exit code; never the token."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_telegram import FakeTelegramServer
from tests.bot.process import closed_port, run_bot
from tests.harness import PROCESS_KEY

# Shaped like a real token, so that only the Bot API can refuse it.
TOKEN = "7093811842:AAFq3vZp0aX1b2C3d4E5f6G7h8I9j0KlMnO"
SECRET_PART = TOKEN.partition(":")[2]


def _settings(tmp_path: Path, base_url: str, level: str) -> dict[str, str]:
    return {
        "BOT_TOKEN": TOKEN,
        "ENCRYPTION_KEY": PROCESS_KEY,
        "DATABASE_PATH": str(tmp_path / "data" / "vigia.db"),
        "TELEGRAM_BASE_URL": base_url,
        "TELEGRAM_BASE_FILE_URL": base_url.replace("/bot", "/file/bot"),
        "LOG_LEVEL": level,
    }


def _assert_no_secret(output: str) -> None:
    assert TOKEN not in output
    assert SECRET_PART not in output
    assert TOKEN.replace(":", "%3A") not in output
    assert PROCESS_KEY not in output


def _assert_explained(stderr: str, level: str, *words: str) -> str:
    """The last line is the operator's; a traceback appears only at DEBUG."""
    explanation = [line for line in stderr.splitlines() if line.startswith("vigia: ")]
    assert len(explanation) == 1, stderr
    for word in words:
        assert word in explanation[0], explanation[0]
    assert ("Traceback" in stderr) == (level.upper() == "DEBUG"), stderr
    return explanation[0]


@pytest.mark.parametrize("level", ["info", "DEBUG"])
def test_a_refused_token_exits_3_with_one_line_and_never_shows_the_token(
    tmp_path: Path, level: str
) -> None:
    with FakeTelegramServer() as server:
        server.fake.fail_next("*", error_code=401, description="Unauthorized", times=1000)
        result = run_bot([], _settings(tmp_path, server.base_url, level), tmp_path)
        assert server.calls("getMe"), "the bot never asked the Bot API"
    assert result.returncode == 3, result.stderr
    _assert_explained(result.stderr, level, "refused BOT_TOKEN", "@BotFather")
    _assert_no_secret(result.stdout + result.stderr)


@pytest.mark.parametrize("level", ["INFO", "debug"])
def test_no_reachable_bot_api_exits_4_with_one_line_and_never_shows_the_token(
    tmp_path: Path, level: str
) -> None:
    base_url = f"http://127.0.0.1:{closed_port()}/bot"
    result = run_bot([], _settings(tmp_path, base_url, level), tmp_path)
    assert result.returncode == 4, result.stderr
    _assert_explained(result.stderr, level, "cannot reach the Bot API", "TELEGRAM_BASE_URL")
    _assert_no_secret(result.stdout + result.stderr)


def test_an_unknown_time_zone_is_one_settings_line(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "http://127.0.0.1:9/bot", "INFO")
    result = run_bot([], {**settings, "TIMEZONE": "Mars/Olympus"}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "vigia: setting TIMEZONE: not a known time zone; use an IANA name such as America/Caracas"
    ]


def test_a_broadcast_rate_at_or_over_the_overall_limit_is_refused_with_the_reason(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path, "http://127.0.0.1:9/bot", "INFO")
    result = run_bot(
        [], {**settings, "BROADCAST_RATE": "50", "TELEGRAM_RATE_LIMIT": "30"}, tmp_path
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("vigia: setting BROADCAST_RATE: must stay below TELEGRAM_RATE_LIMIT")
    assert "50 ≥ 30" in line
    assert "families' answers would wait" in line


def test_a_database_path_that_cannot_exist_is_a_settings_line(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with FakeTelegramServer() as server:
        settings = _settings(tmp_path, server.base_url, "INFO")
        settings["DATABASE_PATH"] = str(tmp_path / "a-file" / "vigia.db")
        result = run_bot([], settings, tmp_path)
        assert not server.calls(), "the bot reached Telegram before checking its database"
    assert result.returncode == 2
    line = _assert_explained(result.stderr, "INFO", "setting DATABASE_PATH", "a-file")
    assert "Traceback" not in line


def test_a_malformed_token_is_refused_without_quoting_it(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "http://127.0.0.1:9/bot", "INFO")
    result = run_bot([], {**settings, "BOT_TOKEN": "my token here"}, tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("vigia: setting BOT_TOKEN: not a token from @BotFather")
    assert "my token here" not in result.stderr
