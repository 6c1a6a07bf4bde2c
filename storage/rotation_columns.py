"""How key rotation reads a schema: which columns are sealed, which hashes pair with
which sealed column, and the naming conventions tried for contexts and purposes.

Vigía's storage modules seal a column `t.x_enc` with context `t.x` and hash ids with
short purpose words; these candidates cover those conventions so a new table needs
no registration (see `storage.rotation`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import aiosqlite

from storage.database import Database

# Purposes in use across Vigía's tables; a hash column's purpose is whichever of
# these (or of the names derived from the column) reproduces the stored hash.
KNOWN_PURPOSES = (
    "user",
    "staff",
    "actor",
    "chat",
    "reporter",
    "subscriber",
    "prompt",
    "throttle",
    "tracking",
    "privacy",
    "blocked",
    "outbox",
    "cedula",
    "receipt",
    "secrets",
)


@dataclass(frozen=True, slots=True)
class Column:
    table: str
    name: str

    @property
    def qualified(self) -> str:
        return f"{self.table}.{self.name}"

    @property
    def stem(self) -> str:
        for suffix in ("_enc", "_hash", "_key"):
            if self.name.endswith(suffix):
                return self.name.removesuffix(suffix)
        return self.name

    @property
    def holds_ids(self) -> bool:
        """A sealed Telegram chat or user id (what unpartnered hashes are made of)."""
        stem = self.stem
        return stem in ("chat_id", "user_id") or stem.endswith(("_chat_id", "_user_id", "_chat"))


@dataclass(slots=True)
class TablePlan:
    table: str
    row_key: tuple[str, ...]  # what finds the row again (rowid, or the key WITHOUT ROWID)
    primary_key: frozenset[str]
    bind_key: tuple[str, ...]  # the primary key, in order: what sealed values are bound to
    sealed: list[Column]
    partnered: dict[str, Column]  # hash column name -> the `_enc` column of its plaintext
    unpartnered: list[Column]

    @property
    def has_work(self) -> bool:
        return bool(self.sealed or self.partnered or self.unpartnered)


def plan_columns(
    table: str,
    columns: Sequence[str],
    row_key: tuple[str, ...],
    primary_key: tuple[str, ...],
) -> TablePlan:
    sealed = [Column(table, name) for name in columns if name.endswith("_enc")]
    partnered: dict[str, Column] = {}
    unpartnered: list[Column] = []
    for name in columns:
        if not name.endswith(("_hash", "_key")):
            continue
        column = Column(table, name)
        sources = [
            enc
            for enc in sealed
            if enc.stem == column.stem or enc.stem.startswith(column.stem + "_")
        ]
        if len(sources) == 1:
            partnered[name] = sources[0]
        else:
            unpartnered.append(column)
    return TablePlan(
        table,
        row_key,
        frozenset(primary_key),
        primary_key or ("rowid",),
        sealed,
        partnered,
        unpartnered,
    )


def _singular(table: str) -> str:
    return table.removesuffix("s") if table.endswith("s") else table


def context_candidates(column: Column) -> list[str]:
    table, name, stem = column.table, column.name, column.stem
    short = stem.removesuffix("_id")
    return list(
        dict.fromkeys(
            [
                f"{table}.{stem}",
                f"{table}.{name}",
                f"{_singular(table)}.{stem}",
                f"{table}.{short}",
                f"{_singular(table)}.{short}",
                stem,
                name,
                "",
            ]
        )
    )


def purpose_candidates(column: Column) -> list[str]:
    table, stem = column.table, column.stem
    return list(
        dict.fromkeys(
            [
                stem,
                stem.removesuffix("_id"),
                f"{table}.{stem}",
                table,
                _singular(table),
                *KNOWN_PURPOSES,
            ]
        )
    )


async def read_plans(db: Database, skipped: Collection[str]) -> list[TablePlan]:
    """A plan for every table but `skipped`, from sqlite_master and its table_info."""
    tables = await db.fetch_all(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
        " AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    plans = []
    for table in tables:
        name = str(table["name"])
        if name in skipped:
            continue
        info = await db.fetch_all(f'PRAGMA table_info("{name}")')
        primary = sorted((row for row in info if row["pk"]), key=lambda row: row["pk"])
        primary_key = tuple(str(row["name"]) for row in primary)
        without_rowid = "WITHOUT ROWID" in str(table["sql"] or "").upper()
        row_key = primary_key if without_rowid else ("rowid",)
        columns = [str(row["name"]) for row in info]
        plans.append(plan_columns(name, columns, row_key, primary_key))
    return plans


async def sealed_values(
    db: Database, plan: TablePlan, column: Column, *, distinct: bool = False, limit: int = -1
) -> list[tuple[tuple[Any, ...], str]]:
    """(the row's primary key, the stored value) of a sealed column's non-null values."""
    keys = ", ".join(quote(name) for name in plan.bind_key)
    rows = await db.fetch_all(
        f'SELECT {"DISTINCT " if distinct else ""}{keys}, "{column.name}"'  # noqa: S608
        f' FROM "{plan.table}" WHERE "{column.name}" IS NOT NULL LIMIT ?',
        (limit,),
    )
    width = len(plan.bind_key)
    return [(tuple(row[:width]), str(row[width])) for row in rows]


async def next_batch(
    conn: aiosqlite.Connection,
    plan: TablePlan,
    select: str,
    order: str,
    last: tuple[Any, ...] | None,
    limit: int,
) -> list[aiosqlite.Row]:
    """The next `limit` rows after `last` in row-key order (keyset pagination)."""
    if last is None:
        sql = f'SELECT {select} FROM "{plan.table}" ORDER BY {order} LIMIT ?'  # noqa: S608
        params: tuple[Any, ...] = (limit,)
    else:
        marks = ", ".join("?" for _ in last)
        sql = (
            f'SELECT {select} FROM "{plan.table}"'  # noqa: S608 - schema names only
            f" WHERE ({order}) > ({marks}) ORDER BY {order} LIMIT ?"
        )
        params = (*last, limit)
    async with conn.execute(sql, params) as cursor:
        return list(await cursor.fetchall())


def quote(name: str) -> str:
    return name if name == "rowid" else f'"{name}"'
