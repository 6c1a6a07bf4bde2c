"""Roles granted inside the bot; bootstrap admins come from settings, not from here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import aiosqlite

from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database


class Role(StrEnum):
    MODERATOR = "moderator"
    BROADCASTER = "broadcaster"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class RoleGrant:
    user_id: int
    role: Role
    granted_at: str


class Roles:
    """Who may do what; checked at the moment of every action, never cached per chat."""

    def __init__(
        self, db: Database, cipher: FieldCipher, clock: Clock, bootstrap_admins: tuple[int, ...]
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._bootstrap = frozenset(bootstrap_admins)
        # Every filed report asks who the moderators are: the grants are kept in memory
        # and dropped on every grant or revoke (all of which go through this class).
        self._grants: tuple[RoleGrant, ...] | None = None
        self._generation = 0

    def _key(self, user_id: int) -> str:
        return self._cipher.lookup_hash(user_id, purpose="staff")

    def _keys(self, user_id: int) -> list[str]:
        """Under every configured key: after a restart with a new key, and until
        rotate-key has rehashed it, a grant is still found under the old one."""
        return self._cipher.lookup_hash_with_old_keys(user_id, purpose="staff")

    async def role_of(self, user_id: int) -> Role | None:
        if user_id in self._bootstrap:
            return Role.ADMIN
        keys = self._keys(user_id)
        marks = ", ".join("?" for _ in keys)
        row = await self._db.fetch_one(
            f"SELECT role FROM roles WHERE user_key IN ({marks})",  # noqa: S608 - ? marks
            keys,
        )
        return Role(row["role"]) if row else None

    async def has_any(self, user_id: int, *roles: Role) -> bool:
        role = await self.role_of(user_id)
        return role is not None and (role is Role.ADMIN or role in roles)

    def is_bootstrap(self, user_id: int) -> bool:
        """Admins from ADMIN_IDS: no command can revoke them, only the settings."""
        return user_id in self._bootstrap

    async def grant(
        self,
        user_id: int,
        role: Role,
        granted_by: int,
        conn: aiosqlite.Connection | None = None,
    ) -> None:
        """Grant (or change) a role; pass `conn` to commit it with an audit event.

        A grant under an older key is replaced, so one person has one row."""
        stale = self._keys(user_id)[1:]
        marks = ", ".join("?" for _ in stale)
        statements: list[tuple[str, tuple[object, ...]]] = []
        if stale:
            statements.append(
                (f"DELETE FROM roles WHERE user_key IN ({marks})", tuple(stale))  # noqa: S608
            )
        statements.append(
            (
                "INSERT INTO roles (user_key, user_id_enc, role, granted_by_key, granted_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_key) DO UPDATE SET"
                " role = excluded.role, granted_by_key = excluded.granted_by_key,"
                " granted_at = excluded.granted_at",
                (
                    self._key(user_id),
                    self._cipher.encrypt(
                        str(user_id), context="roles.user_id", row=self._key(user_id)
                    ),
                    role.value,
                    self._key(granted_by),
                    self._clock.now_iso(),
                ),
            )
        )
        await self._write(conn, statements)

    async def revoke(self, user_id: int, conn: aiosqlite.Connection | None = None) -> bool:
        keys = self._keys(user_id)
        marks = ", ".join("?" for _ in keys)
        changed = await self._write(
            conn,
            [(f"DELETE FROM roles WHERE user_key IN ({marks})", tuple(keys))],  # noqa: S608
        )
        return changed > 0

    async def _write(
        self,
        conn: aiosqlite.Connection | None,
        statements: list[tuple[str, tuple[object, ...]]],
    ) -> int:
        """Run the statements in `conn`'s transaction, or in one of their own."""
        self._forget_grants()
        try:
            if conn is None:
                async with self._db.transaction() as own:
                    return await _run(own, statements)
            return await _run(conn, statements)
        finally:
            # Inside a caller's transaction nothing can read until it ends; drop again
            # so a read racing the write cannot keep the old grants.
            self._forget_grants()

    def _forget_grants(self) -> None:
        self._grants = None
        self._generation += 1

    async def granted(self) -> list[RoleGrant]:
        if self._grants is not None:
            return list(self._grants)
        generation = self._generation
        rows = await self._db.fetch_all(
            "SELECT user_key, user_id_enc, role, granted_at FROM roles ORDER BY granted_at"
        )
        grants = []
        for row in rows:
            user_id = self._cipher.decrypt(
                row["user_id_enc"], context="roles.user_id", row=row["user_key"]
            )
            if user_id is not None:
                grants.append(RoleGrant(int(user_id), Role(row["role"]), row["granted_at"]))
        if generation == self._generation:
            self._grants = tuple(grants)
        return grants

    async def staff_ids(self, *roles: Role) -> list[int]:
        """Bootstrap admins plus everyone holding one of `roles` (or admin)."""
        ids = set(self._bootstrap)
        for grant in await self.granted():
            if grant.role is Role.ADMIN or grant.role in roles:
                ids.add(grant.user_id)
        return sorted(ids)


async def _run(
    conn: aiosqlite.Connection, statements: list[tuple[str, tuple[object, ...]]]
) -> int:
    """The rows the statements changed, together."""
    changed = 0
    for sql, params in statements:
        cursor = await conn.execute(sql, params)
        changed += cursor.rowcount
        await cursor.close()
    return changed
