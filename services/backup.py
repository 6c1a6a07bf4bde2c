"""Encrypted backups of the whole database, their restore, and the key-rotation command.

A backup is a consistent snapshot taken with SQLite's online backup API
(`sqlite3.Connection.backup`, from a second connection: safe while the bot writes),
copied into memory and VACUUMed there (so pages freed by /forget_me or retention do
not travel in the copy), then sealed as a whole file. No plaintext copy touches disk.

File format (version 1), all integers big-endian:

    header  = b"VIGIABK1" | salt (16 bytes) | nonce prefix (8 bytes) | chunk size (4)
    chunk i = length of the sealed chunk (4) | AES-256-GCM(chunk i of the database)

The key is HKDF-SHA256(ENCRYPTION_KEY, salt, info=b"vigia-backup-v1"). Chunk i is
sealed with nonce = nonce prefix | i (4 bytes) and associated data = header | i (8
bytes) | final flag (1 byte); the last chunk (possibly empty) carries the flag 1, so
a reordered, truncated or extended file is refused, not half-restored. Restore tries
ENCRYPTION_KEY, then each of ENCRYPTION_OLD_KEYS (a backup taken before a rotation).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import struct
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from services.operator_language import operator_translator
from services.settings import Settings
from storage.audit import AuditLog
from storage.clock import Clock
from storage.crypto import DecryptionError, FieldCipher
from storage.database import Database
from storage.rotation import KeyRotation, RotationError, RotationReport
from storage.seal_upgrade import mark_rows_bound, rows_are_bound

logger = logging.getLogger(__name__)

MAGIC = b"VIGIABK1"
SALT_BYTES = 16
NONCE_PREFIX_BYTES = 8
CHUNK_SIZE = 1 << 20
TAG_BYTES = 16
_HEADER = struct.Struct(f">{len(MAGIC)}s{SALT_BYTES}s{NONCE_PREFIX_BYTES}sI")
_LENGTH = struct.Struct(">I")
_INFO = b"vigia-backup-v1"


class BackupError(Exception):
    """The file is not a Vigía backup, or no configured key opens it."""


def _backup_key(secret: str, salt: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO).derive(
        secret.encode("utf-8")
    )
    return AESGCM(key)


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">Q?", index, final)


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def snapshot(database_path: Path) -> bytes:
    """A consistent, vacuumed image of the database file, in memory."""
    if not database_path.is_file():
        raise BackupError("there is no database file to back up")
    source = sqlite3.connect(database_path)
    target = sqlite3.connect(":memory:")
    try:
        source.backup(target)
        target.execute("VACUUM")
        return target.serialize()
    finally:
        target.close()
        source.close()


def seal(image: bytes, secret: str, *, chunk_size: int = CHUNK_SIZE) -> bytes:
    return b"".join(_seal_chunks(image, secret, chunk_size))


def _seal_chunks(image: bytes, secret: str, chunk_size: int) -> Iterator[bytes]:
    salt = os.urandom(SALT_BYTES)
    prefix = os.urandom(NONCE_PREFIX_BYTES)
    header = _HEADER.pack(MAGIC, salt, prefix, chunk_size)
    aead = _backup_key(secret, salt)
    yield header
    starts = list(range(0, len(image), chunk_size)) or [0]
    for index, start in enumerate(starts):
        final = index == len(starts) - 1
        sealed = aead.encrypt(
            _nonce(prefix, index), image[start : start + chunk_size], _aad(header, index, final)
        )
        yield _LENGTH.pack(len(sealed)) + sealed


def open_sealed(blob: bytes, secrets: Sequence[str]) -> bytes:
    """The database image inside a backup; tries each secret in turn."""
    if len(blob) < _HEADER.size or not blob.startswith(MAGIC):
        raise BackupError("not a Vigía backup file")
    for secret in secrets:
        try:
            return _open_with(blob, secret)
        except InvalidTag:
            continue
    raise BackupError("no configured key opens this backup, or the file was altered")


def _open_with(blob: bytes, secret: str) -> bytes:
    header = blob[: _HEADER.size]
    _, salt, prefix, chunk_size = _HEADER.unpack(header)
    aead = _backup_key(secret, salt)
    parts = []
    offset = _HEADER.size
    index = 0
    while True:
        if offset + _LENGTH.size > len(blob):
            raise BackupError("backup file is truncated")
        (length,) = _LENGTH.unpack_from(blob, offset)
        offset += _LENGTH.size
        if length > chunk_size + TAG_BYTES or offset + length > len(blob):
            raise BackupError("backup file is truncated or corrupt")
        sealed = blob[offset : offset + length]
        offset += length
        final = offset == len(blob)
        parts.append(aead.decrypt(_nonce(prefix, index), sealed, _aad(header, index, final)))
        if final:
            return b"".join(parts)
        index += 1


async def create_backup(database_path: Path, secret: str) -> bytes:
    """Snapshot and seal in a worker thread: the event loop keeps answering families."""
    return await asyncio.to_thread(lambda: seal(snapshot(database_path), secret))


AUDIT_BACKUP = "backup_taken"


class BackupTooLarge(Exception):
    """The sealed backup is larger than it may be sent; nothing was recorded."""

    def __init__(self, size: int) -> None:
        super().__init__(f"backup of {size} bytes")
        self.size = size


async def audited_backup(
    db: Database, audit: AuditLog, secret: str, *, actor_id: int, max_bytes: int
) -> bytes:
    """A backup taken inside a write transaction that also appends its audit event.

    The snapshot is read by a second connection while this one holds the write lock, so
    nothing is written between the copy and its event, and the event commits only if
    the copy was made (and is small enough to be sent): no backup leaves without a
    trace, and no trace speaks of a backup that was not made.
    """
    async with db.transaction() as conn:
        blob = await create_backup(db.path, secret)
        if len(blob) > max_bytes:
            raise BackupTooLarge(len(blob))
        await audit.append(
            conn,
            actor_id=actor_id,
            action=AUDIT_BACKUP,
            target_type="database",
            target_id=None,
            details={"bytes": len(blob)},
        )
    return blob


async def write_backup(database_path: Path, secret: str, target: Path) -> int:
    """Write an encrypted backup to `target` (owner-only permissions); returns its size."""
    blob = await create_backup(database_path, secret)
    _write_private(target, blob)
    logger.info("backup_written bytes=%d", len(blob))
    return len(blob)


def restore_backup(source: Path, database_path: Path, secrets: Sequence[str]) -> None:
    """Replace the database with a backup's content. Run it with the bot stopped."""
    image = open_sealed(source.read_bytes(), secrets)
    database_path.parent.mkdir(parents=True, exist_ok=True)
    staging = database_path.with_name(database_path.name + ".restoring")
    _write_private(staging, image)
    try:
        _check_image(staging)
    except (sqlite3.DatabaseError, BackupError):
        staging.unlink(missing_ok=True)
        raise
    # A stale write-ahead log would be replayed over the restored pages.
    for suffix in ("-wal", "-shm"):
        database_path.with_name(database_path.name + suffix).unlink(missing_ok=True)
    os.replace(staging, database_path)
    logger.info("backup_restored bytes=%d", len(image))


def _check_image(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        (verdict,) = conn.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise BackupError("the restored database fails its integrity check")
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if found is None:
            raise BackupError("the backup holds no Vigía database")
    finally:
        conn.close()


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


# Shell commands (`python -m bot backup|restore|rotate-key`) --------------------------


def _secrets(settings: Settings) -> list[str]:
    if settings.encryption_key is None:
        raise BackupError("ENCRYPTION_KEY is required")
    return [settings.encryption_key.get_secret_value()] + [
        key.get_secret_value() for key in settings.encryption_old_keys
    ]


def backup_command(settings: Settings, target: Path) -> int:
    t = operator_translator(settings.default_language)
    try:
        size = asyncio.run(write_backup(settings.database_path, _secrets(settings)[0], target))
    except (BackupError, sqlite3.Error, OSError) as exc:
        _say(t.gettext("backup failed: {reason}").format(reason=exc), failed=True)
        return 1
    _say(t.gettext("encrypted backup written ({size} bytes)").format(size=t.number(size)))
    return 0


def restore_command(settings: Settings, source: Path) -> int:
    t = operator_translator(settings.default_language)
    try:
        restore_backup(source, settings.database_path, _secrets(settings))
    except (BackupError, sqlite3.Error, OSError) as exc:
        _say(t.gettext("restore failed: {reason}").format(reason=exc), failed=True)
        return 1
    _say(t.gettext("database restored; start the bot again"))
    return 0


def rotate_key_command(settings: Settings) -> int:
    """Re-seal everything under ENCRYPTION_KEY; run again after an interruption."""
    t = operator_translator(settings.default_language)
    try:
        secrets = _secrets(settings)
    except BackupError as exc:
        _say(str(exc), failed=True)
        return 2
    cipher = FieldCipher(secrets[0], tuple(secrets[1:]))
    try:
        report, stale = asyncio.run(_rotate(settings.database_path, cipher, settings.admin_ids))
    except (RotationError, DecryptionError, sqlite3.Error) as exc:
        _say(t.gettext("rotation stopped: {reason}").format(reason=exc), failed=True)
        return 1
    _say(
        t.gettext(
            "{values} values re-sealed, {hashes} lookup hashes recomputed in {rows} rows; "
            "{stale} values left"
        ).format(
            values=t.number(report.values_resealed),
            hashes=t.number(report.hashes_recomputed),
            rows=t.number(report.rows_changed),
            stale=t.number(stale),
        )
    )
    for column, count in report.kept_hashes.items():
        _say(
            t.gettext(
                "{count} hashes of {column} kept under the old key (value stored nowhere)"
            ).format(count=t.number(count), column=column)
        )
    for column, count in report.unmatched_hashes.items():
        _say(
            t.gettext(
                "{count} hashes of {column} match no known purpose; left as they are"
            ).format(count=t.number(count), column=column)
        )
    if report.kept_hashes or report.unmatched_hashes:
        _say(t.gettext("keep the old key in ENCRYPTION_OLD_KEYS so those lookups keep working"))
    return 0 if stale == 0 else 1


def _say(line: str, *, failed: bool = False) -> None:
    """One line for the operator, in their language (`services.operator_language`)."""
    print(f"vigia: {line}", file=sys.stderr if failed else sys.stdout)


async def _rotate(
    database_path: Path, cipher: FieldCipher, admin_ids: tuple[int, ...]
) -> tuple[RotationReport, int]:
    db = Database(database_path)
    await db.connect()
    try:
        # A database never opened since rows were bound still holds version-1 values:
        # read them here, and rewrite them as version 2 with everything else.
        cipher.legacy = not await rows_are_bound(db)
        rotation = KeyRotation(db, cipher, known_ids=admin_ids)
        report = await rotation.run()
        stale = await rotation.stale_values()
        if stale == 0:
            await mark_rows_bound(db, Clock())
        return report, stale
    finally:
        await db.close()
