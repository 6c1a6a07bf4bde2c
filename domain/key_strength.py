"""What a secret in the settings must look like: generated, not chosen.

`ENCRYPTION_KEY` protects every sealed value; whoever holds a copy of the database can
test guesses of it offline, as fast as their hardware allows. A phrase or a pattern
falls quickly; 32 random bytes do not. So the key must be a generated one: at least 32
bytes written as base64 (standard or URL-safe, padding optional) or as hex, and those
bytes must look random (a repeated pattern such as "a" * 64 decodes to 32 equal
bytes and is refused). `generate_key` gives one; `python -m bot genkey` prints it.
Telegram's webhook secret is a token of its own alphabet, and long enough not to be
guessed either.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets

MIN_KEY_BYTES = 32
KEY_BYTES = 32
MIN_WEBHOOK_SECRET = 32
# Telegram accepts 1-256 characters of this alphabet in X-Telegram-Bot-Api-Secret-Token.
MAX_WEBHOOK_SECRET = 256
_WEBHOOK_ALPHABET = re.compile(r"^[A-Za-z0-9_-]+$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]+=*$")

KEY_ADVICE = "generate one with: python -m bot genkey"


def generate_key() -> str:
    """32 random bytes, URL-safe base64 without padding (43 characters)."""
    while True:
        key = secrets.token_urlsafe(KEY_BYTES)
        # One in billions lacks an upper- or lower-case letter, which `key_problem`
        # takes for a typed phrase; draw again rather than hand out such a key.
        if key_problem(key) is None:
            return key


def key_bytes(text: str) -> bytes | None:
    """The bytes a key's text encodes, as hex or base64; None when it is neither."""
    if _HEX.match(text) and len(text) % 2 == 0:
        return bytes.fromhex(text)
    if not _BASE64.match(text):
        return None
    # Both alphabets: '+/' (standard) and '-_' (URL-safe), padding optional.
    normal = text.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(normal + "=" * (-len(normal) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def key_problem(text: str) -> str | None:
    """Why `text` is not a generated key of enough random bytes, or None."""
    raw = key_bytes(text)
    if raw is None:
        return f"must be a generated key written as base64 or hex ({KEY_ADVICE})"
    if len(raw) < MIN_KEY_BYTES:
        return (
            f"must hold at least {MIN_KEY_BYTES} random bytes, this one holds {len(raw)} "
            f"({KEY_ADVICE})"
        )
    if not _HEX.match(text) and not (re.search("[a-z]", text) and re.search("[A-Z]", text)):
        # Random base64 of 32 bytes mixes both cases; a typed phrase rarely does.
        return f"looks typed, not generated ({KEY_ADVICE})"
    if len(set(raw)) < min(len(raw) // 2, 64):
        # 32 random bytes have about 30 different values; a pattern has a handful.
        return f"is a repeated pattern, not random bytes ({KEY_ADVICE})"
    return None


def webhook_secret_problem(text: str) -> str | None:
    """Why `text` cannot be Telegram's webhook secret token, or None."""
    if not _WEBHOOK_ALPHABET.match(text):
        return "may only hold the letters A-Z and a-z, digits, '_' and '-'"
    if len(text) < MIN_WEBHOOK_SECRET:
        return f"must be at least {MIN_WEBHOOK_SECRET} characters ({KEY_ADVICE})"
    if len(text) > MAX_WEBHOOK_SECRET:
        return f"must be at most {MAX_WEBHOOK_SECRET} characters"
    return None
