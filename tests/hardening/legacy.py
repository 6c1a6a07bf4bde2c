"""A database as releases before row binding left it: version-1 sealed values.

Version 1 was `<key id>:<base64url(nonce | ciphertext)>`, the associated data its
column's context only, the key id 32 bits of HKDF(key, info "key-id"). Written here
from the format's description, not by the bot's code, which no longer writes it.
"""

from __future__ import annotations

import base64
import os
import sqlite3
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.crypto import DecryptionError, FieldCipher
from storage.database import Database
from storage.rotation_columns import Column, context_candidates
from tests.sealed_cells import sealed_columns, stored_values

_SALT = b"vigia-field-encryption-v1"


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=purpose).derive(
        secret.encode("utf-8")
    )


def legacy_key_id(secret: str) -> str:
    return _derive(secret, b"key-id").hex()[:8]


def seal_v1(secret: str, plaintext: str, *, context: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_derive(secret, b"aes-256-gcm")).encrypt(
        nonce, plaintext.encode("utf-8"), context.encode("utf-8")
    )
    return f"{legacy_key_id(secret)}:" + base64.urlsafe_b64encode(nonce + sealed).decode()


async def downgrade(path: Path, secret: str) -> int:
    """Rewrite every sealed value of the (closed) database at `path` as version 1, and
    take the schema back to before migration 0014; returns how many values."""
    db = Database(path)
    await db.connect()
    cipher = FieldCipher(secret)
    written = 0
    try:
        for column in await sealed_columns(db):
            for rowid, bound, stored in await stored_values(db, column):
                context, plain = _open(cipher, column, stored, bound)
                await db.execute(
                    f'UPDATE "{column.table}" SET "{column.name}" = ? WHERE rowid = ?',  # noqa: S608
                    (seal_v1(secret, plain, context=context), rowid),
                )
                written += 1
    finally:
        await db.close()
    raw = sqlite3.connect(path)
    try:
        raw.execute("DROP TABLE seal_format")
        raw.execute("DELETE FROM schema_migrations WHERE version = 14")
        raw.commit()
    finally:
        raw.close()
    return written


def _open(
    cipher: FieldCipher, column: Column, stored: str, bound: tuple[Any, ...]
) -> tuple[str, str]:
    for context in context_candidates(column):
        try:
            plain = cipher.decrypt(stored, context=context, row=bound)
        except DecryptionError:
            continue
        return context, plain or ""
    raise AssertionError(f"{column.qualified} does not open")
