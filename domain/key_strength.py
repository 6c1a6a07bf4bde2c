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

from domain.i18n import N_
from domain.operator_text import OperatorText, text

MIN_KEY_BYTES = 32
KEY_BYTES = 32
MIN_WEBHOOK_SECRET = 32
# Telegram accepts 1-256 characters of this alphabet in X-Telegram-Bot-Api-Secret-Token.
MAX_WEBHOOK_SECRET = 256
_WEBHOOK_ALPHABET = re.compile(r"^[A-Za-z0-9_-]+$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]+=*$")

KEY_ADVICE = text(N_("generate one with: {command}"), command="python -m bot genkey")


def generate_key() -> str:
    """32 random bytes, URL-safe base64 without padding (43 characters)."""
    while True:
        key = secrets.token_urlsafe(KEY_BYTES)
        # One in billions lacks an upper- or lower-case letter, which `key_problem`
        # takes for a typed phrase; draw again rather than hand out such a key.
        if key_problem(key) is None:
            return key


def key_bytes(written: str) -> bytes | None:
    """The bytes a key's text encodes, as hex or base64; None when it is neither."""
    if _HEX.match(written) and len(written) % 2 == 0:
        return bytes.fromhex(written)
    if not _BASE64.match(written):
        return None
    # Both alphabets: '+/' (standard) and '-_' (URL-safe), padding optional.
    normal = written.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(normal + "=" * (-len(normal) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def key_problem(written: str) -> OperatorText | None:
    """Why `written` is not a generated key of enough random bytes, or None."""
    raw = key_bytes(written)
    if raw is None:
        return text(
            N_("must be a generated key written as base64 or hex ({advice})"), advice=KEY_ADVICE
        )
    if len(raw) < MIN_KEY_BYTES:
        return text(
            N_("must hold at least {least} random bytes, this one holds {held} ({advice})"),
            least=MIN_KEY_BYTES,
            held=len(raw),
            advice=KEY_ADVICE,
        )
    if not _HEX.match(written) and not (
        re.search("[a-z]", written) and re.search("[A-Z]", written)
    ):
        # Random base64 of 32 bytes mixes both cases; a typed phrase rarely does.
        return text(N_("looks typed, not generated ({advice})"), advice=KEY_ADVICE)
    if len(set(raw)) < min(len(raw) // 2, 64):
        # 32 random bytes have about 30 different values; a pattern has a handful.
        return text(N_("is a repeated pattern, not random bytes ({advice})"), advice=KEY_ADVICE)
    return None


def webhook_secret_problem(written: str) -> OperatorText | None:
    """Why `written` cannot be Telegram's webhook secret token, or None."""
    if not _WEBHOOK_ALPHABET.match(written):
        return text(N_("may only hold the letters A-Z and a-z, digits, '_' and '-'"))
    if len(written) < MIN_WEBHOOK_SECRET:
        return text(
            N_("must be at least {least} characters ({advice})"),
            least=MIN_WEBHOOK_SECRET,
            advice=KEY_ADVICE,
        )
    if len(written) > MAX_WEBHOOK_SECRET:
        return text(N_("must be at most {most} characters"), most=MAX_WEBHOOK_SECRET)
    return None
