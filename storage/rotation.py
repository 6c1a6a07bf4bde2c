"""Key rotation: re-seal every `_enc` value and recompute every HMAC it can.

Run with ENCRYPTION_KEY = the new key and ENCRYPTION_OLD_KEYS = the old one(s). The
work is resumable without a progress table: values that already open under the new
key, bound to their row, are skipped (`FieldCipher.needs_rotation`), and a
recomputed hash equals the stored one. Run with a cipher that reads version-1 values
(`legacy=True`), the same pass turns them into version-2 values bound to their row
(`storage.seal_upgrade`). Rows are processed in batches, each batch one
`BEGIN IMMEDIATE` transaction that also reads its rows, so an interruption loses at
most the batch in flight and the bot may even keep running with the new settings.

What the columns hold is found, not configured, so new tables need no registration:
- every `_enc` column is re-sealed for its column and its row (the table's primary
  key, as the storage modules bind it); its context string is found by trying the
  naming conventions below on its first value, before anything is written. When a
  rehash changes the primary key itself (`roles.user_key`), every sealed value of
  the row is sealed again for the new key;
- an `_hash`/`_key` column is recomputed from the `_enc` column of the same table that
  holds its plaintext (same stem: `cedula_hash` ← `cedula_enc`, `chat_key` ←
  `chat_id_enc`, `reporter_key` ← `reporter_chat_enc`), under the purpose that
  reproduces the stored hash;
- a hash column without such a partner (actor keys, throttle keys), or a partnered
  one whose row predates its sealed id (`user_prefs` rows written before migration
  0009), holds hashes of Telegram ids: those are recomputed when the id is sealed
  anywhere else in the database (a reporter, a subscriber, a staff member, a bootstrap
  admin from settings). The rest — ids that appear nowhere else — stay under the old
  key, are counted in the report, and stay reachable while the old key remains in
  ENCRYPTION_OLD_KEYS.
`audit_events` is never touched: it is append-only and hash-chained (its actor keys
therefore stay under the key they were written with).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from storage.crypto import DecryptionError, FieldCipher
from storage.database import Database
from storage.rotation_columns import (
    Column,
    TablePlan,
    context_candidates,
    next_batch,
    purpose_candidates,
    quote,
    read_plans,
    sealed_values,
)

logger = logging.getLogger(__name__)

SKIPPED_TABLES = frozenset({"audit_events", "schema_migrations"})
BATCH_ROWS = 500
PURPOSE_SAMPLE = 50


class RotationError(RuntimeError):
    """A column cannot be opened with any configured key and known context."""


@dataclass(slots=True)
class RotationReport:
    """What a run changed; a second run over the same data changes nothing."""

    values_resealed: int = 0
    hashes_recomputed: int = 0
    rows_changed: int = 0
    duplicates_dropped: int = 0
    # Hashes of values stored nowhere, left under the old key, per column.
    kept_hashes: dict[str, int] = field(default_factory=dict)
    # Partnered hashes no known purpose reproduces (a new convention to teach this module).
    unmatched_hashes: dict[str, int] = field(default_factory=dict)


RowHook = Callable[[], None]


class KeyRotation:
    """One rotation run over a database, with the cipher of the new settings."""

    def __init__(
        self,
        db: Database,
        cipher: FieldCipher,
        *,
        batch_rows: int = BATCH_ROWS,
        known_ids: Iterable[int] = (),
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._batch_rows = batch_rows
        self._known_ids = {str(value) for value in known_ids}
        self._contexts: dict[str, str] = {}
        self._purposes: dict[str, str] = {}
        self._crosswalks: dict[str, dict[str, str]] = {}

    async def run(self, after_row: RowHook | None = None) -> RotationReport:
        """Rotate everything; `after_row` runs after each row (tests interrupt there)."""
        report = RotationReport()
        plans = [plan for plan in await self._plan() if plan.has_work]
        for plan in plans:
            await self._detect_contexts(plan)
        await self._collect_ids(plans)
        for plan in plans:
            await self._detect_crosswalk_purposes(plan)
        for plan in plans:
            await self._rotate_table(plan, report, after_row)
        logger.info(
            "key_rotation_done resealed=%d rehashed=%d rows=%d kept=%d",
            report.values_resealed,
            report.hashes_recomputed,
            report.rows_changed,
            sum(report.kept_hashes.values()),
        )
        return report

    async def stale_values(self) -> int:
        """Sealed values not yet version 2 under the current key, bound to their row
        (0 when a rotation or the upgrade is complete)."""
        count = 0
        for plan in await self._plan():
            await self._detect_contexts(plan)
            for column in plan.sealed:
                context = self._contexts.get(column.qualified, "")
                for bound, stored in await self._sealed_values(plan, column):
                    if self._cipher.needs_rotation(stored, context=context, row=bound):
                        count += 1
        return count

    # Finding out what the columns hold ---------------------------------------------

    async def _plan(self) -> list[TablePlan]:
        return await read_plans(self._db, SKIPPED_TABLES)

    async def _sealed_values(
        self, plan: TablePlan, column: Column, *, distinct: bool = False, limit: int = -1
    ) -> list[tuple[tuple[Any, ...], str]]:
        return await sealed_values(self._db, plan, column, distinct=distinct, limit=limit)

    async def _detect_contexts(self, plan: TablePlan) -> None:
        """Before writing anything: every sealed column must open under some context."""
        for column in plan.sealed:
            for bound, stored in await self._sealed_values(plan, column, limit=1):
                self._open(column, stored, bound)

    async def _collect_ids(self, plans: Sequence[TablePlan]) -> None:
        """Every Telegram id sealed anywhere: what unpartnered hashes can be rebuilt from."""
        for plan in plans:
            for column in plan.sealed:
                if not column.holds_ids:
                    continue
                for bound, stored in await self._sealed_values(plan, column, distinct=True):
                    value = self._open(column, stored, bound)
                    if value.lstrip("-").isdigit():
                        self._known_ids.add(value)

    async def _detect_crosswalk_purposes(self, plan: TablePlan) -> None:
        orphans = [
            (Column(plan.table, name), f' AND "{source.name}" IS NULL')
            for name, source in plan.partnered.items()
        ]
        for column, condition in [*((c, "") for c in plan.unpartnered), *orphans]:
            rows = await self._db.fetch_all(
                f'SELECT DISTINCT "{column.name}" FROM "{plan.table}"'  # noqa: S608
                f' WHERE "{column.name}" IS NOT NULL{condition} LIMIT ?',
                (PURPOSE_SAMPLE,),
            )
            sample = {str(row[0]) for row in rows}
            if not sample:
                continue
            for purpose in purpose_candidates(column):
                if sample & self._crosswalk(purpose).keys():
                    self._purposes[column.qualified] = purpose
                    break

    def _crosswalk(self, purpose: str) -> dict[str, str]:
        """Hash under any configured key -> the known id it was made from."""
        walk = self._crosswalks.get(purpose)
        if walk is None:
            walk = {
                digest: value
                for value in self._known_ids
                for digest in self._cipher.lookup_hash_with_old_keys(value, purpose=purpose)
            }
            self._crosswalks[purpose] = walk
        return walk

    def _open(self, column: Column, stored: str, bound: tuple[Any, ...]) -> str:
        known = self._contexts.get(column.qualified)
        candidates = [known] if known is not None else []
        candidates += [c for c in context_candidates(column) if c != known]
        for context in candidates:
            try:
                plain = self._cipher.decrypt(stored, context=context, row=bound)
            except DecryptionError:
                continue
            self._contexts[column.qualified] = context
            return plain or ""
        raise RotationError(f"{column.qualified}: no configured key and known context opens it")

    # Rewriting -------------------------------------------------------------------

    async def _rotate_table(
        self, plan: TablePlan, report: RotationReport, after_row: RowHook | None
    ) -> None:
        keys = [f"{quote(name)} AS rk{index}" for index, name in enumerate(plan.row_key)]
        keys += [f"{quote(name)} AS bk{index}" for index, name in enumerate(plan.bind_key)]
        names = [
            *(c.name for c in plan.sealed),
            *plan.partnered,
            *(c.name for c in plan.unpartnered),
        ]
        select = ", ".join([*keys, *(f'"{name}"' for name in names)])
        order = ", ".join(quote(name) for name in plan.row_key)
        last: tuple[Any, ...] | None = None
        while True:
            async with self._db.transaction() as conn:
                rows = await next_batch(conn, plan, select, order, last, self._batch_rows)
                for row in rows:
                    await self._rotate_row(conn, plan, row, report)
                    if after_row is not None:
                        after_row()
            if len(rows) < self._batch_rows:
                return
            last = tuple(rows[-1][f"rk{index}"] for index in range(len(plan.row_key)))

    async def _rotate_row(
        self,
        conn: aiosqlite.Connection,
        plan: TablePlan,
        row: aiosqlite.Row,
        report: RotationReport,
    ) -> None:
        bound = tuple(row[f"bk{index}"] for index in range(len(plan.bind_key)))
        plaintexts = {
            column.name: self._open(column, row[column.name], bound)
            if row[column.name] is not None
            else None
            for column in plan.sealed
        }
        changes: dict[str, str] = {}
        for hash_name, source in plan.partnered.items():
            stored_hash = row[hash_name]
            source_plain = plaintexts.get(source.name)
            if stored_hash is None:
                continue
            if source_plain is None:
                # A row written before its id was sealed beside the hash: rebuild it
                # from the ids sealed elsewhere, as for unpartnered hashes.
                fresh = self._rehash_known(Column(plan.table, hash_name), stored_hash)
                if fresh is None:
                    _tally(report.kept_hashes, f"{plan.table}.{hash_name}")
                elif fresh != stored_hash:
                    changes[hash_name] = fresh
                continue
            fresh = self._rehash(Column(plan.table, hash_name), source_plain, stored_hash)
            if fresh is None:
                _tally(report.unmatched_hashes, f"{plan.table}.{hash_name}")
            elif fresh != stored_hash:
                changes[hash_name] = fresh
        for column in plan.unpartnered:
            stored_hash = row[column.name]
            if stored_hash is None:
                continue
            fresh = self._rehash_known(column, stored_hash)
            if fresh is None:
                _tally(report.kept_hashes, column.qualified)
            elif fresh != stored_hash:
                changes[column.name] = fresh
        # The row's key after the rehash: a value bound to the old key moves with it.
        rebound = tuple(
            changes.get(name, value) for name, value in zip(plan.bind_key, bound, strict=True)
        )
        self._reseal(plan, row, plaintexts, bound, rebound, changes, report)
        if changes:
            await self._write(conn, plan, row, changes, report)

    def _reseal(
        self,
        plan: TablePlan,
        row: aiosqlite.Row,
        plaintexts: dict[str, str | None],
        bound: tuple[Any, ...],
        rebound: tuple[Any, ...],
        changes: dict[str, str],
        report: RotationReport,
    ) -> None:
        for column in plan.sealed:
            stored, plain = row[column.name], plaintexts[column.name]
            if stored is None or plain is None:
                continue
            context = self._contexts[column.qualified]
            if rebound == bound and not self._cipher.needs_rotation(
                stored, context=context, row=bound
            ):
                continue
            sealed = self._cipher.encrypt(plain, context=context, row=rebound)
            if sealed is not None:
                changes[column.name] = sealed
                report.values_resealed += 1

    async def _write(
        self,
        conn: aiosqlite.Connection,
        plan: TablePlan,
        row: aiosqlite.Row,
        changes: dict[str, str],
        report: RotationReport,
    ) -> None:
        where = " AND ".join(f"{quote(name)} = ?" for name in plan.row_key)
        identity = tuple(row[f"rk{index}"] for index in range(len(plan.row_key)))
        assignments = ", ".join(f'"{name}" = ?' for name in changes)
        try:
            await conn.execute(
                f'UPDATE "{plan.table}" SET {assignments} WHERE {where}',  # noqa: S608
                (*changes.values(), *identity),
            )
        except sqlite3.IntegrityError as exc:
            if not plan.primary_key & changes.keys():
                raise RotationError(f"{plan.table}: a recomputed hash collides") from exc
            # The same person already has a row under the new key (written by the bot
            # while the rotation ran): this older row is its stale twin.
            await conn.execute(
                f'DELETE FROM "{plan.table}" WHERE {where}',  # noqa: S608 - schema names
                identity,
            )
            report.duplicates_dropped += 1
            return
        report.hashes_recomputed += sum(1 for name in changes if not name.endswith("_enc"))
        report.rows_changed += 1

    def _rehash(self, column: Column, plain: str, stored: str) -> str | None:
        """The hash under the current key, with the purpose that made the stored one."""
        known = self._purposes.get(column.qualified)
        candidates = [known] if known is not None else []
        candidates += [p for p in purpose_candidates(column) if p != known]
        for purpose in candidates:
            if stored in self._cipher.lookup_hash_with_old_keys(plain, purpose=purpose):
                self._purposes[column.qualified] = purpose
                return self._cipher.lookup_hash(plain, purpose=purpose)
        return None

    def _rehash_known(self, column: Column, stored: str) -> str | None:
        purpose = self._purposes.get(column.qualified)
        if purpose is None:
            return None
        value = self._crosswalk(purpose).get(stored)
        return self._cipher.lookup_hash(value, purpose=purpose) if value is not None else None


def _tally(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1
