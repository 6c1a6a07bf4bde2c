"""The operator's lines speak DEFAULT_LANGUAGE, Spanish unless set, even when the
settings themselves are wrong (issue 19: one clear line, localised for operators)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.numbers import format_decimal

from fake_telegram import FakeTelegramServer
from tests.bot.process import closed_port, run_bot
from tests.harness import PROCESS_KEY, TEST_KEY, BotHarness

TOKEN = "4242:AAH-operator-language-secret"


def _settings(tmp_path: Path, base_url: str) -> dict[str, str]:
    return {
        "BOT_TOKEN": TOKEN,
        "ENCRYPTION_KEY": PROCESS_KEY,
        "DATABASE_PATH": str(tmp_path / "data" / "vigia.db"),
        "TELEGRAM_BASE_URL": base_url,
        "TELEGRAM_BASE_FILE_URL": base_url.replace("/bot", "/file/bot"),
    }


def _lines(stderr: str) -> list[str]:
    """The operator's lines (a running bot also logs before it fails)."""
    return [line for line in stderr.splitlines() if line.startswith("vigia: ")]


def test_with_no_language_set_a_wrong_setting_is_told_in_spanish(tmp_path: Path) -> None:
    settings = {**_settings(tmp_path, "http://127.0.0.1:9/bot"), "TIMEZONE": "Mars/Olympus"}
    result = run_bot([], settings, tmp_path, language=None)
    assert result.returncode == 2
    assert _lines(result.stderr) == [
        "vigia: ajuste TIMEZONE: no es una zona horaria conocida; use un nombre IANA como "
        "America/Caracas"
    ]


def test_pydantics_own_checks_are_worded_in_the_operators_language(tmp_path: Path) -> None:
    settings = {
        **_settings(tmp_path, "http://127.0.0.1:9/bot"),
        "WEBHOOK_PORT": "abc",
        "VERIFY_QUORUM": "9",
        "LOG_LEVEL": "loud",
    }
    result = run_bot([], settings, tmp_path, language="es")
    assert result.returncode == 2
    assert sorted(_lines(result.stderr)) == [
        "vigia: ajuste LOG_LEVEL: debe ser uno de estos: DEBUG, INFO, WARNING, ERROR",
        "vigia: ajuste VERIFY_QUORUM: debe ser como máximo 5",
        "vigia: ajuste WEBHOOK_PORT: debe ser un número entero",
    ]
    english = run_bot([], settings, tmp_path, language="en")
    assert "vigia: setting VERIFY_QUORUM: must be at most 5" in _lines(english.stderr)


def test_an_unusable_language_is_itself_reported_in_spanish(tmp_path: Path) -> None:
    settings = {**_settings(tmp_path, "http://127.0.0.1:9/bot"), "CHAT_EXPIRY_MINUTES": "3000"}
    result = run_bot([], settings, tmp_path, language="fr")
    assert result.returncode == 2
    assert sorted(_lines(result.stderr)) == [
        "vigia: ajuste CHAT_EXPIRY_MINUTES: debe estar entre 1 y 2820 minutos (47 horas): "
        "pasadas 48 horas Telegram ya no deja que el bot borre un mensaje",
        "vigia: ajuste DEFAULT_LANGUAGE: debe ser uno de estos: es, en",
    ]


def test_a_check_across_settings_is_told_in_spanish(tmp_path: Path) -> None:
    settings = {**_settings(tmp_path, "http://127.0.0.1:9/bot"), "BROADCAST_RATE": "40"}
    [rate] = _lines(run_bot([], settings, tmp_path, language="es").stderr)
    assert rate.startswith("vigia: ajuste BROADCAST_RATE: debe quedar por debajo de")
    assert "40 ≥ 30" in rate


def test_a_missing_token_and_key_are_told_in_english_when_the_deployment_speaks_it(
    tmp_path: Path,
) -> None:
    result = run_bot([], {"DATABASE_PATH": str(tmp_path / "x.db")}, tmp_path, language="en")
    assert result.returncode == 2
    lines = _lines(result.stderr)
    assert lines[0].startswith("vigia: setting BOT_TOKEN: required to run the bot")
    assert (
        lines[1]
        == "vigia: setting ENCRYPTION_KEY: required (generate one with: python -m bot genkey)"
    )
    spanish = run_bot([], {"DATABASE_PATH": str(tmp_path / "x.db")}, tmp_path, language=None)
    assert _lines(spanish.stderr)[1] == (
        "vigia: ajuste ENCRYPTION_KEY: obligatorio (genere una con: python -m bot genkey)"
    )


def test_a_refused_token_is_told_in_spanish_without_the_token(tmp_path: Path) -> None:
    with FakeTelegramServer() as server:
        server.fake.fail_next("*", error_code=401, description="Unauthorized", times=1000)
        result = run_bot([], _settings(tmp_path, server.base_url), tmp_path, language="es")
    assert result.returncode == 3, result.stderr
    [line] = _lines(result.stderr)
    assert line.startswith("vigia: la Bot API en 127.0.0.1:")
    assert "rechazó BOT_TOKEN: cópielo de nuevo de @BotFather" in line
    assert TOKEN.partition(":")[2] not in result.stdout + result.stderr


def test_an_unreachable_bot_api_is_told_in_spanish(tmp_path: Path) -> None:
    base_url = f"http://127.0.0.1:{closed_port()}/bot"
    result = run_bot([], _settings(tmp_path, base_url), tmp_path, language="es")
    assert result.returncode == 4, result.stderr
    [line] = _lines(result.stderr)
    assert line.startswith("vigia: no se puede alcanzar la Bot API en 127.0.0.1:")
    assert "el bot podrá arrancar cuando sea alcanzable" in line


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "vigia: no hay base de datos en {path}: el bot no ha arrancado (DATABASE_PATH)"),
        ("en", "vigia: no database at {path}: the bot has not started (DATABASE_PATH)"),
    ],
)
def test_the_health_check_speaks_the_operators_language(
    tmp_path: Path, language: str, expected: str
) -> None:
    missing = tmp_path / "none" / "vigia.db"
    settings = {"ENCRYPTION_KEY": PROCESS_KEY, "DATABASE_PATH": str(missing)}
    result = run_bot(["health"], settings, tmp_path, language=language)
    assert result.returncode == 1
    assert _lines(result.stderr) == [expected.format(path=missing)]


@pytest.mark.parametrize(
    ("language", "written", "exported"),
    [
        ("es", "vigia: respaldo cifrado escrito (", "vigia: 0 casos escritos en "),
        ("en", "vigia: encrypted backup written (", "vigia: 0 cases written to "),
    ],
)
async def test_backup_restore_and_export_speak_the_operators_language(
    harness: BotHarness, tmp_path: Path, language: str, written: str, exported: str
) -> None:
    await harness.stop()
    settings = {"ENCRYPTION_KEY": TEST_KEY, "DATABASE_PATH": str(harness.settings.database_path)}
    backup = run_bot(["backup", str(tmp_path / "copy.vgb")], settings, tmp_path, language=language)
    assert backup.returncode == 0, backup.stderr
    [line] = backup.stdout.strip().splitlines()
    assert line.startswith(written) and line.endswith(" bytes)"), line
    size = line.removeprefix(written).removesuffix(" bytes)")
    assert size == format_decimal((tmp_path / "copy.vgb").stat().st_size, locale=language)
    junk = tmp_path / "junk.vgb"
    junk.write_bytes(b"not a backup")
    restore = run_bot(["restore", str(junk)], settings, tmp_path, language=language)
    assert restore.returncode == 1
    failed = "falló la restauración: " if language == "es" else "restore failed: "
    assert _lines(restore.stderr)[0].startswith(f"vigia: {failed}")
    export = run_bot(["export", "public", str(tmp_path / "cases.csv")], settings, tmp_path,
                     language=language)  # fmt: skip
    assert export.returncode == 0, export.stderr
    assert export.stdout.strip().startswith(exported)
