"""Field encryption at rest (AES-GCM) and keyed lookup hashes (HMAC).

A seized database file must not reveal who reported whom. Every personal value is
sealed with a random nonce under a key derived from `ENCRYPTION_KEY`; the key id is
stored in front of each value so an old key can still open old rows during rotation.
Equality lookups (cédula, receipt code, chat ids) go through an HMAC, never plaintext.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12
_SALT = b"vigia-field-encryption-v1"


class DecryptionError(Exception):
    """A stored value cannot be opened with any configured key."""


def _derive(material: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=purpose).derive(material)


@dataclass(frozen=True, slots=True)
class _Key:
    key_id: str
    aead: AESGCM
    hmac_key: bytes


def _make_key(secret: str) -> _Key:
    material = secret.encode("utf-8")
    key_id = _derive(material, b"key-id").hex()[:8]
    return _Key(
        key_id=key_id,
        aead=AESGCM(_derive(material, b"aes-256-gcm")),
        hmac_key=_derive(material, b"hmac-sha256"),
    )


class FieldCipher:
    """Seals and opens personal fields; the first key encrypts, the others only decrypt."""

    def __init__(self, current_key: str, old_keys: tuple[str, ...] = ()) -> None:
        self._current = _make_key(current_key)
        self._keys = {self._current.key_id: self._current}
        for secret in old_keys:
            key = _make_key(secret)
            self._keys.setdefault(key.key_id, key)

    @property
    def key_id(self) -> str:
        return self._current.key_id

    def encrypt(self, plaintext: str | None, *, context: str = "") -> str | None:
        """Seal a value; `context` binds it to its column so values cannot be swapped."""
        if plaintext is None:
            return None
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._current.aead.encrypt(
            nonce, plaintext.encode("utf-8"), context.encode("utf-8")
        )
        token = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
        return f"{self._current.key_id}:{token}"

    def decrypt(self, stored: str | None, *, context: str = "") -> str | None:
        if stored is None:
            return None
        key_id, _, token = stored.partition(":")
        key = self._keys.get(key_id)
        if key is None:
            raise DecryptionError(f"no key with id {key_id}")
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
        try:
            plain = key.aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
        except InvalidTag as exc:
            raise DecryptionError("value was tampered with or sealed for another column") from exc
        return plain.decode("utf-8")

    def needs_rotation(self, stored: str | None) -> bool:
        return stored is not None and not stored.startswith(self._current.key_id + ":")

    def lookup_hash(self, value: str | int, *, purpose: str) -> str:
        """Keyed hash for equality lookups; `purpose` keeps e.g. chat ids and cédulas apart."""
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self._current.hmac_key, message, hashlib.sha256).hexdigest()

    def lookup_hash_with_old_keys(self, value: str | int, *, purpose: str) -> list[str]:
        """Hashes under every configured key: finds rows not yet rotated."""
        message = f"{purpose}\x00{value}".encode()
        return [
            hmac.new(key.hmac_key, message, hashlib.sha256).hexdigest()
            for key in self._keys.values()
        ]
