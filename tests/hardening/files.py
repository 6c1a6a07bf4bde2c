"""Reading the database as a seized disk shows it: the raw bytes and every secret in it."""

from __future__ import annotations

import re
from pathlib import Path

from storage.database import Database

# A sealed value ("v2:base64") or an HMAC (64 hex digits).
SECRET_SHAPE = re.compile(r"^(?:v2:[A-Za-z0-9_=-]{20,}|[0-9a-f]{64})$")


async def stored_secrets(db: Database) -> set[str]:
    """Every ciphertext and hash the database holds, read through SQL."""
    found: set[str] = set()
    tables = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for table in tables:
        for row in await db.fetch_all(f'SELECT * FROM "{table["name"]}"'):  # noqa: S608
            found |= {v for v in tuple(row) if isinstance(v, str) and SECRET_SHAPE.match(v)}
    return found


def raw_bytes(path: Path) -> bytes:
    """The file as a seized disk shows it, with its write-ahead log and journal beside it."""
    data = path.read_bytes()
    for suffix in ("-wal", "-journal"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            data += extra.read_bytes()
    return data


def lingering(path: Path, removed: set[str]) -> list[str]:
    """Which of the removed secrets a copy of the files taken now would still show."""
    data = raw_bytes(path)
    return sorted(value for value in removed if value.encode() in data)
