"""A chosen or patterned ENCRYPTION_KEY and a short webhook secret are refused with one
line; `python -m bot genkey` prints a key that passes; nothing stored names the key."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from domain.key_strength import generate_key
from services.settings import Settings
from tests.bot.test_settings import ROOT, _run_bot
from tests.hardening.legacy import legacy_key_id
from tests.harness import TEST_KEY, BotHarness
from tests.safety.helpers import report_through_intake

WEAK = {
    "a" * 32: "holds 16",  # hex of 16 equal bytes
    "a" * 64: "repeated pattern",  # hex of 32 equal bytes
    "ab" * 32: "repeated pattern",
    "correct horse battery staple and more words": "base64 or hex",
    "thisismysupersecretpasswordforthebotok12345": "looks typed",
    secrets.token_urlsafe(16): "holds 16",
    "VigiaSecreta2026" * 3: "repeated pattern",
}


@pytest.mark.parametrize(("key", "reason"), WEAK.items())
def test_a_weak_key_is_refused_with_its_reason(key: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        Settings.model_validate({"encryption_key": key})


@pytest.mark.parametrize(
    "key",
    [
        generate_key(),
        secrets.token_hex(32),
        base64.b64encode(os.urandom(32)).decode(),  # standard alphabet, padded
        base64.urlsafe_b64encode(os.urandom(48)).decode(),
    ],
)
def test_generated_keys_in_base64_or_hex_are_accepted(key: str) -> None:
    assert Settings.model_validate({"encryption_key": key}).encryption_key is not None


def test_old_keys_are_not_judged_they_must_open_what_they_sealed() -> None:
    settings = Settings.model_validate(
        {"encryption_key": generate_key(), "encryption_old_keys": "a" * 32}
    )
    assert len(settings.encryption_old_keys) == 1


def test_a_weak_key_stops_the_bot_with_one_line_and_exit_code_2(tmp_path: Path) -> None:
    result = _run_bot({"BOT_TOKEN": "1:x", "ENCRYPTION_KEY": "a" * 32}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ENCRYPTION_KEY" in lines[0] and "genkey" in lines[0]
    assert "a" * 32 not in result.stderr  # the secret itself is never printed


def test_genkey_prints_a_fresh_key_that_settings_accept(tmp_path: Path) -> None:
    keys = []
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "bot", "genkey"],
            cwd=tmp_path,
            env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        keys.append(result.stdout.strip())
    assert keys[0] != keys[1]
    for key in keys:
        assert Settings.model_validate({"encryption_key": key, "webhook_secret_token": key})


@pytest.mark.parametrize("secret", ["s", "short-secret", "x" * 31, "has spaces " * 4])
def test_a_short_or_malformed_webhook_secret_is_refused(secret: str) -> None:
    with pytest.raises(ValidationError, match="webhook_secret_token"):
        Settings.model_validate({"webhook_secret_token": secret})


async def test_nothing_in_the_database_names_the_key(harness: BotHarness) -> None:
    """Version 1 stored 32 bits of a hash of the key beside every value: a free check
    of each guess for whoever copied the file. Version 2 stores none."""
    await report_through_intake(harness, harness.people.family_en)
    await harness.services.tracker.flush()
    await harness.app.update_persistence()
    await harness.services.db.checkpoint()
    raw = harness.settings.database_path.read_bytes()
    assert b"v2:" in raw
    assert legacy_key_id(TEST_KEY).encode() not in raw
