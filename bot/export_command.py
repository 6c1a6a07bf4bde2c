"""`python -m bot export public|full [--format csv|json] FILE`: the case list, on the server.

The full archive (every case and column, names and cédulas decrypted) is made only
here: a document sent through Telegram would rest in Telegram's cloud and on the
admin's phone, beyond the encryption of the database and its backups. The file is
written readable by its owner only, and the export leaves an audit event like the
chat's `/export` (scope, format and count, never the contents).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from services.case_files import render
from services.operator_language import operator_translator
from services.settings import Settings
from storage.audit import AuditLog
from storage.clock import Clock
from storage.crypto import DecryptionError, FieldCipher
from storage.database import Database
from storage.exports import CaseExports
from storage.seal_upgrade import rows_are_bound

SCOPES = ("public", "full")
FORMATS = ("csv", "json")


def export_command(settings: Settings, scope: str, file_format: str, target: Path) -> int:
    """Write the export; 0 on success, 1 when it could not be read or written."""
    t = operator_translator(settings.default_language)
    try:
        count = asyncio.run(write_export(settings, scope, file_format, target))
    except (sqlite3.Error, OSError, DecryptionError, ValueError) as exc:
        failed = t.gettext("export failed: {reason}").format(reason=exc)
        print(f"vigia: {failed}", file=sys.stderr)
        return 1
    written = t.ngettext(
        "{count} case written to {path} ({scope}, {format})",
        "{count} cases written to {path} ({scope}, {format})",
        count,
    ).format(count=t.number(count), path=target, scope=scope, format=file_format)
    print(f"vigia: {written}")
    return 0


async def write_export(settings: Settings, scope: str, file_format: str, target: Path) -> int:
    if settings.encryption_key is None:
        raise ValueError("ENCRYPTION_KEY is required")
    cipher = FieldCipher(
        settings.encryption_key.get_secret_value(),
        tuple(key.get_secret_value() for key in settings.encryption_old_keys),
    )
    clock = Clock()
    db = Database(settings.database_path)
    await db.connect()
    try:
        # A database the bot has not opened since rows were bound: read version 1 too.
        cipher.legacy = not await rows_are_bound(db)
        exports = CaseExports(db, cipher, ZoneInfo(settings.timezone))
        cases = await exports.cases(public=scope == "public")
        data = render(cases, file_format=file_format, scope=scope, generated_at=clock.now_iso())
        _write_private(target, data)
        await AuditLog(db, cipher, clock).record(
            actor_id=None,
            action="cases_exported",
            target_type="cases",
            target_id=None,
            details={"scope": scope, "format": file_format, "cases": len(cases), "via": "shell"},
        )
    finally:
        await db.close()
    return len(cases)


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
