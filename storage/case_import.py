"""Importing a case list: plan it, then create or update every case at once.

The dry run and the real import run the same planning (storage/import_planning.py)
inside a `BEGIN IMMEDIATE` transaction: the dry run writes nothing, the real one writes
every case, its events and one audit event per case, or nothing at all, recording each
changed state's dated event as a moderator's action would.

Between the dry run and Confirm the file waits in `pending_imports` (its sealed
Telegram id under a random token), so a restart loses nothing; `apply` claims that row
inside its own transaction, so a second Confirm finds it gone and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

import aiosqlite

from domain.case_rows import ImportedCase, RowProblem
from storage.audit import AuditLog
from storage.case_writes import CaseWriter
from storage.clock import Clock, from_iso, to_iso
from storage.crypto import FieldCipher
from storage.database import Database
from storage.import_planning import ImportPlan, ImportPlanner

__all__ = ["PENDING_FOR", "CaseImport", "ImportPlan"]

# How long a dry run may wait for its Confirm.
PENDING_FOR = dt.timedelta(hours=24)
_PENDING_ADMIN = "pending_imports.admin_id"
_PENDING_FILE = "pending_imports.file_id"
_DELETE_EXPIRED = "DELETE FROM pending_imports WHERE created_at < ?"


class CaseImport:
    """Plans and applies an import; the caller parsed and checked the rows."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock, audit: AuditLog) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._writer = CaseWriter(cipher, clock, audit)
        self._planner = ImportPlanner(cipher, clock)

    async def dry_run(
        self, rows: Sequence[ImportedCase], problems: Sequence[RowProblem]
    ) -> ImportPlan:
        async with self._db.transaction() as conn:
            return await self._planner.plan(conn, rows, problems)

    async def apply(
        self,
        rows: Sequence[ImportedCase],
        problems: Sequence[RowProblem],
        *,
        actor_id: int,
        pending: str | None = None,
    ) -> ImportPlan | None:
        """Plan again on the current data and write it, in one transaction.

        With `pending`, that waiting import is claimed in the same transaction: None
        when it is no longer there (already applied, cancelled or expired).
        """
        async with self._db.transaction() as conn:
            if pending is not None and not await self._claim(conn, pending, actor_id):
                return None
            plan = await self._planner.plan(conn, rows, problems)
            ids = dict(plan.matched)
            for update in plan.updates:
                await self._writer.update(conn, update, actor_id)
                plan.written.append(update.case_id)
            # Planned targets first: a merged case's target already has its id here.
            for case in plan.creates:
                merged_into = ids.get(case.merged_into) if case.merged_into else None
                case_id = await self._writer.create(conn, case, merged_into, actor_id)
                plan.written.append(case_id)
                if case.file_case_id is not None:
                    ids[case.file_case_id] = case_id
        return plan

    # Waiting for Confirm --------------------------------------------------------------

    async def hold(self, admin_id: int, file_id: str) -> str:
        """Keep a checked file for its Confirm; returns the token its buttons carry."""
        token = secrets.token_urlsafe(12)
        now = self._clock.now()
        seal = self._cipher.encrypt
        async with self._db.transaction() as conn:
            await conn.execute(_DELETE_EXPIRED, (to_iso(now - PENDING_FOR),))
            await conn.execute(
                "INSERT INTO pending_imports (token, admin_id_enc, file_id_enc, created_at)"
                " VALUES (?, ?, ?, ?)",
                (
                    token,
                    seal(str(admin_id), context=_PENDING_ADMIN, row=token),
                    seal(file_id, context=_PENDING_FILE, row=token),
                    to_iso(now),
                ),
            )
        return token

    async def purge_expired(self) -> int:
        """Forget files nobody confirmed within a day (their sealed file ids with them)."""
        return await self._db.execute(_DELETE_EXPIRED, (to_iso(self._clock.now() - PENDING_FOR),))

    async def pending_file(self, token: str, admin_id: int) -> str | None:
        """The file id still waiting under `token` for this admin, if it has not expired."""
        row = await self._db.fetch_one(
            "SELECT admin_id_enc, file_id_enc, created_at FROM pending_imports WHERE token = ?",
            (token,),
        )
        if row is None or not self._is_live(row, token, admin_id):
            return None
        return self._cipher.decrypt(row["file_id_enc"], context=_PENDING_FILE, row=token)

    async def drop(self, token: str, admin_id: int) -> bool:
        """Forget a waiting import (Cancel); False when there was none for this admin."""
        async with self._db.transaction() as conn:
            return await self._claim(conn, token, admin_id)

    async def _claim(self, conn: aiosqlite.Connection, token: str, admin_id: int) -> bool:
        async with conn.execute(
            "SELECT admin_id_enc, file_id_enc, created_at FROM pending_imports WHERE token = ?",
            (token,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None or not self._is_live(row, token, admin_id):
            return False
        await conn.execute("DELETE FROM pending_imports WHERE token = ?", (token,))
        return True

    def _is_live(self, row: aiosqlite.Row, token: str, admin_id: int) -> bool:
        owner = self._cipher.decrypt(row["admin_id_enc"], context=_PENDING_ADMIN, row=token)
        fresh = from_iso(row["created_at"]) > self._clock.now() - PENDING_FOR
        return owner == str(admin_id) and fresh
