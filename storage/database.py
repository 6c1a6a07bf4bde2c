"""The one aiosqlite connection of the bot, its write lock and its migrations.

Handlers run concurrently on one event loop, but a SQLite connection has one
transaction at a time: every statement therefore runs under one asyncio lock, and
multi-statement writes run inside `transaction()` with `BEGIN IMMEDIATE` so that a
confirmed report is either wholly on disk or not at all.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

logger = logging.getLogger(__name__)

# See `connect`: the WAL is cut back to this size at each checkpoint.
JOURNAL_SIZE_LIMIT = 4 * 1024 * 1024
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
SqlParams = Sequence[Any] | dict[str, Any]


# A read inside `Database.transaction_reading`, given the transaction's connection.
Read = Callable[[aiosqlite.Connection], Awaitable[Any]]


async def one_trip(*statements: Awaitable[Any]) -> list[Any]:
    """Statements of one connection queued back to back, waited for once.

    aiosqlite runs a connection's statements one by one in the order they were queued,
    and waiting for each alone costs a round trip between threads (about 0.1 ms; see
    bench/README). `gather` starts the statements in argument order, and each queues
    itself before it first waits, so they run in that order. Every statement finishes
    before this returns; a failure comes back in its place, as the exception, so that
    a caller rolling back knows nothing of its own is still queued.
    """
    return list(await asyncio.gather(*statements, return_exceptions=True))


def raise_first_failure(results: Iterable[Any]) -> None:
    for result in results:
        if isinstance(result, BaseException):
            raise result


async def next_row_id(conn: aiosqlite.Connection, table: str) -> int:
    """The id SQLite would give the next row of `table` (an INTEGER PRIMARY KEY `id`).

    Taken before the insert, so that its values can be sealed for their row
    (storage/crypto). Only inside a write transaction, where no other insert can take
    the id first; MAX of a rowid is read from the end of its b-tree, not counted.
    """
    async with conn.execute(
        f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"'  # noqa: S608 - a table name
    ) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 1


class Database:
    """Owns the connection; storage modules borrow it through `read`/`write`/`transaction`."""

    def __init__(
        self, path: Path, on_open: Callable[[Database], Awaitable[None]] | None = None
    ) -> None:
        """`on_open` runs once after the migrations, before anything else reads: the
        bot passes the sealed-row upgrade (storage/seal_upgrade.py) here."""
        self.path = path
        self._on_open = on_open
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._open_lock = asyncio.Lock()

    async def connect(self) -> None:
        """Open and migrate once; later calls are no-ops (persistence may call first)."""
        async with self._open_lock:
            if self._conn is not None:
                return
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = await aiosqlite.connect(self.path, isolation_level=None)
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
            # The page cache stays at SQLite's 2 MiB (in KiB when negative), stated here
            # because the bot's memory budget counts on it whatever the build defaults.
            await conn.execute("PRAGMA cache_size=-2000")
            await conn.execute("PRAGMA secure_delete=ON")  # deleted personal data is zeroed
            # A checkpoint leaves the write-ahead log at most this long on disk (bytes),
            # so what was written before it does not linger there indefinitely.
            await conn.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}")
            self._conn = conn
            await self._migrate()
            if self._on_open is not None:
                await self._on_open(self)

    async def close(self) -> None:
        async with self._open_lock:
            if self._conn is not None:
                await self._conn.close()
                self._conn = None

    @property
    def connection(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not connected")
        return self._conn

    async def fetch_one(self, sql: str, params: SqlParams = ()) -> aiosqlite.Row | None:
        """The first row; the statement should yield one (a key, an aggregate, LIMIT 1)."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: SqlParams = ()) -> list[aiosqlite.Row]:
        # One trip to the connection's thread: a cursor would take three (run, fetch, close).
        async with self._lock:
            return list(await self.connection.execute_fetchall(sql, params))

    async def execute(self, sql: str, params: SqlParams = ()) -> int:
        """One autocommitted statement; returns the rows changed."""
        async with self._lock:
            cursor = await self.connection.execute(sql, params)
            rowcount = cursor.rowcount
            await cursor.close()
            return rowcount

    async def checkpoint(self) -> bool:
        """Copy the write-ahead log into the file and empty it; True when it completed.

        `secure_delete` zeroes a deleted value in the page written to the WAL, but the
        older copies of that page stay in the WAL, and the old page in the main file,
        until a checkpoint. After forgetting someone that must not wait: TRUNCATE writes
        the zeroed pages into the file and cuts the WAL to nothing while the bot runs.
        """
        async with self._lock:
            rows = list(await self.connection.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)"))
        busy = bool(rows and rows[0][0])
        if busy:
            logger.warning("wal_checkpoint_busy")
        return not busy

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Exclusive write transaction: commit on success, roll back on any error."""
        async with self.transaction_reading() as (conn, _):
            yield conn

    @asynccontextmanager
    async def transaction_reading(
        self, *reads: Read
    ) -> AsyncIterator[tuple[aiosqlite.Connection, list[Any]]]:
        """`transaction()` whose BEGIN and first reads share one trip to the database.

        Yields the connection and what each read returned, in order. A read that
        fails rolls the transaction back; if BEGIN itself fails, the reads ran outside
        any transaction and, being reads, changed nothing.
        """
        async with self._lock:
            conn = self.connection
            if reads:
                begun, *results = await one_trip(
                    conn.execute("BEGIN IMMEDIATE"), *(read(conn) for read in reads)
                )
                if isinstance(begun, BaseException):
                    raise begun
            else:
                await conn.execute("BEGIN IMMEDIATE")
                results = []
            try:
                raise_first_failure(results)
                yield conn, results
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")

    async def _migrate(self) -> None:
        async with self.transaction() as conn:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            async with conn.execute("SELECT version FROM schema_migrations") as cursor:
                applied = {row[0] for row in await cursor.fetchall()}
            for version, name, sql in load_migrations():
                if version in applied:
                    continue
                for statement in split_statements(sql):
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at)"
                    " VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                    (version, name),
                )
                logger.info("migration_applied version=%d", version)

    async def schema_version(self) -> int:
        row = await self.fetch_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return int(row[0]) if row else 0


def load_migrations() -> list[tuple[int, str, str]]:
    """Numbered `NNNN_name.sql` files shipped in `storage/migrations`, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    versions = [version for version, _, _ in found]
    if len(versions) != len(set(versions)):
        raise RuntimeError("two migrations share a number")
    return sorted(found)


def split_statements(sql: str) -> Iterable[str]:
    """Split a migration into statements (executescript would commit our transaction)."""
    buffer: list[str] = []
    for line in sql.splitlines():
        if line.strip().startswith("--"):
            continue
        buffer.append(line)
        candidate = "\n".join(buffer).strip()
        if candidate.endswith(";") and _is_complete(candidate):
            yield candidate
            buffer = []
    rest = "\n".join(buffer).strip()
    if rest:
        yield rest


def _is_complete(statement: str) -> bool:
    return sqlite3.complete_statement(statement)
