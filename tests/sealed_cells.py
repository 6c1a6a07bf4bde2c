"""Every sealed value in a database, found from the schema and opened from outside.

A sealed value is bound to its column (a context that key rotation's naming
conventions find) and to its row's primary key; these helpers read both from the
schema, as `storage.rotation` does, so tests cover new `_enc` columns by themselves.
"""

from __future__ import annotations

from typing import Any

from storage.crypto import DecryptionError, FieldCipher
from storage.database import Database
from storage.rotation import SKIPPED_TABLES
from storage.rotation_columns import Column, context_candidates

Cell = tuple[str, str, int]  # table, column, rowid


async def sealed_columns(db: Database) -> list[Column]:
    tables = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    found = []
    for table in tables:
        if table["name"] in SKIPPED_TABLES:
            continue
        for info in await db.fetch_all(f'PRAGMA table_info("{table["name"]}")'):
            if str(info["name"]).endswith("_enc"):
                found.append(Column(str(table["name"]), str(info["name"])))
    return found


async def primary_key(db: Database, table: str) -> tuple[str, ...]:
    info = await db.fetch_all(f'PRAGMA table_info("{table}")')
    ordered = sorted((row for row in info if row["pk"]), key=lambda row: row["pk"])
    return tuple(str(row["name"]) for row in ordered) or ("rowid",)


async def stored_values(db: Database, column: Column) -> list[tuple[int, tuple[Any, ...], str]]:
    """(rowid, primary key, stored value) of each non-null value of a sealed column."""
    key = await primary_key(db, column.table)
    names = ", ".join(name if name == "rowid" else f'"{name}"' for name in key)
    rows = await db.fetch_all(
        f'SELECT rowid, {names}, "{column.name}" FROM "{column.table}"'  # noqa: S608
        f' WHERE "{column.name}" IS NOT NULL'
    )
    return [(int(row[0]), tuple(row[1 : 1 + len(key)]), str(row[1 + len(key)])) for row in rows]


def open_any(cipher: FieldCipher, column: Column, stored: str, bound: tuple[Any, ...]) -> str:
    for context in context_candidates(column):
        try:
            return cipher.decrypt(stored, context=context, row=bound) or ""
        except DecryptionError:
            continue
    raise AssertionError(f"{column.qualified} does not open with the given key")


async def plaintexts(db: Database, cipher: FieldCipher, columns: list[Column]) -> dict[Cell, str]:
    opened: dict[Cell, str] = {}
    for column in columns:
        for rowid, bound, stored in await stored_values(db, column):
            opened[(column.table, column.name, rowid)] = open_any(cipher, column, stored, bound)
    return opened
