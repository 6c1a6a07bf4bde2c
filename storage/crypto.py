"""Field encryption at rest (AES-GCM) and keyed lookup hashes (HMAC).

A seized database file must not reveal who reported whom. Every personal value is
sealed with a random nonce under a key derived from `ENCRYPTION_KEY`, and its AES-GCM
associated data binds it to its column (`context`, e.g. `reports.person_name`) and to
its row (`row`: the row's primary key). Whoever can write the file still cannot move
a sealed name to another report, or a sealed chat id to another subscriber: the value
no longer opens there. Equality lookups (cédula, receipt code, chat ids) go through
an HMAC, never plaintext.

Stored format, version 2: `v2:` + base64url(nonce | ciphertext and tag). It names no
key: a value is tried under the current key, then under each old one (a rotation has
a handful at most). Version 1, written before rows were bound, was
`<key id>:<base64url>`, the key id being 32 bits of an HKDF of the key: a public
check for anyone guessing a weak key offline. Version 1 values open only with a
cipher made with `legacy=True`, which the one-time upgrade uses
(`storage.seal_upgrade`) and the running bot does not.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12
VERSION = "v2"
_PREFIX = VERSION + ":"
_SALT = b"vigia-field-encryption-v1"
_SEPARATOR = "\x1f"
# What identifies a row: its primary key's value, or values in key order.
Row = int | str | Sequence[int | str]


class DecryptionError(Exception):
    """A stored value cannot be opened with any configured key."""


def _derive(material: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=purpose).derive(material)


@dataclass(frozen=True, slots=True)
class _Key:
    legacy_id: str
    aead: AESGCM
    hmac_key: bytes


def _make_key(secret: str) -> _Key:
    material = secret.encode("utf-8")
    return _Key(
        # Only to read version-1 values; never written again.
        legacy_id=_derive(material, b"key-id").hex()[:8],
        aead=AESGCM(_derive(material, b"aes-256-gcm")),
        hmac_key=_derive(material, b"hmac-sha256"),
    )


def row_key(row: Row) -> str:
    """The text a row contributes to the associated data (also what rotation builds)."""
    parts = (row,) if isinstance(row, int | str) else tuple(row)
    return _SEPARATOR.join(str(part) for part in parts)


def _associated(context: str, row: Row) -> bytes:
    return f"{context}{_SEPARATOR}{row_key(row)}".encode()


def is_legacy(stored: str) -> bool:
    """A version-1 value (bound to its column only)."""
    return not stored.startswith(_PREFIX)


class FieldCipher:
    """Seals and opens personal fields; the first key encrypts, the others only decrypt."""

    def __init__(
        self, current_key: str, old_keys: tuple[str, ...] = (), *, legacy: bool = False
    ) -> None:
        self._current = _make_key(current_key)
        keys = {self._current.hmac_key: self._current}
        for secret in old_keys:
            key = _make_key(secret)
            keys.setdefault(key.hmac_key, key)
        self._keys = tuple(keys.values())
        self.legacy = legacy

    def encrypt(self, plaintext: str | None, *, context: str, row: Row) -> str | None:
        """Seal a value for its column (`context`) and its row (`row`, the primary key)."""
        if plaintext is None:
            return None
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._current.aead.encrypt(
            nonce, plaintext.encode("utf-8"), _associated(context, row)
        )
        return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, stored: str | None, *, context: str, row: Row) -> str | None:
        if stored is None:
            return None
        plain = self._open(stored, context, row, self._keys)
        if plain is None:
            raise DecryptionError(
                "no configured key opens this value, or it was altered or moved from "
                "another column or row"
            )
        return plain

    def needs_rotation(self, stored: str | None, *, context: str, row: Row) -> bool:
        """Whether the value is not yet a version-2 value under the current key."""
        if stored is None:
            return False
        if is_legacy(stored):
            return True
        return self._open(stored, context, row, (self._current,)) is None

    def _open(self, stored: str, context: str, row: Row, keys: Sequence[_Key]) -> str | None:
        if is_legacy(stored):
            return self._open_legacy(stored, context)
        try:
            raw = base64.urlsafe_b64decode(stored[len(_PREFIX) :].encode("ascii"))
        except (binascii.Error, ValueError):
            return None
        data = _associated(context, row)
        for key in keys:
            try:
                plain = key.aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], data)
            except InvalidTag:
                continue
            return plain.decode("utf-8")
        return None

    def _open_legacy(self, stored: str, context: str) -> str | None:
        if not self.legacy:
            return None
        key_id, _, token = stored.partition(":")
        key = next((key for key in self._keys if key.legacy_id == key_id), None)
        if key is None:
            return None
        try:
            raw = base64.urlsafe_b64decode(token.encode("ascii"))
            plain = key.aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except (binascii.Error, ValueError, InvalidTag):
            return None
        return plain.decode("utf-8")

    def lookup_hash(self, value: str | int, *, purpose: str) -> str:
        """Keyed hash for equality lookups; `purpose` keeps e.g. chat ids and cédulas apart."""
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self._current.hmac_key, message, hashlib.sha256).hexdigest()

    def lookup_hash_with_old_keys(self, value: str | int, *, purpose: str) -> list[str]:
        """Hashes under every configured key, the current one first: finds rows not yet
        rotated."""
        message = f"{purpose}\x00{value}".encode()
        return [hmac.new(key.hmac_key, message, hashlib.sha256).hexdigest() for key in self._keys]
