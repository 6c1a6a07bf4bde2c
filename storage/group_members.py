"""Who the bot has seen in the moderation group without a role (issue 14).

Every member of the group reads what the bot posts there, so someone nobody granted
a role is worth an admin's look: their join is told to the admins, and /mods lists
them. Only what an admin needs to recognise and remove them is kept: the Telegram id
and display name, sealed; a row goes when they leave or are given a role.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database

_PURPOSE = "user"


@dataclass(frozen=True, slots=True)
class SeenMember:
    user_id: int
    name: str
    seen_at: str


class GroupMembers:
    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    def _key(self, user_id: int) -> str:
        return self._cipher.lookup_hash(user_id, purpose=_PURPOSE)

    async def seen(self, user_id: int, name: str) -> bool:
        """Note a role-less member; True when the bot had not seen them before."""
        key = self._key(user_id)
        async with self._db.transaction() as conn:
            cursor = await conn.execute("SELECT 1 FROM group_members WHERE user_key = ?", (key,))
            known = await cursor.fetchone() is not None
            await cursor.close()
            if known:
                return False
            await conn.execute(
                "INSERT INTO group_members (user_key, user_id_enc, name_enc, seen_at)"
                " VALUES (?, ?, ?, ?)",
                (
                    key,
                    self._cipher.encrypt(str(user_id), context="group_members.user_id", row=key),
                    self._cipher.encrypt(name, context="group_members.name", row=key),
                    self._clock.now_iso(),
                ),
            )
        return True

    async def gone(self, user_id: int) -> None:
        """They left, were removed, or were given a role: nothing of them is kept."""
        keys = self._cipher.lookup_hash_with_old_keys(user_id, purpose=_PURPOSE)
        marks = ", ".join("?" for _ in keys)
        async with self._db.transaction() as conn:
            await conn.execute(
                f"DELETE FROM group_members WHERE user_key IN ({marks})",  # noqa: S608 - ? marks
                keys,
            )

    async def all(self) -> list[SeenMember]:
        rows = await self._db.fetch_all(
            "SELECT user_key, user_id_enc, name_enc, seen_at FROM group_members ORDER BY seen_at"
        )
        members = []
        for row in rows:
            key = row["user_key"]
            user_id = self._cipher.decrypt(
                row["user_id_enc"], context="group_members.user_id", row=key
            )
            name = self._cipher.decrypt(row["name_enc"], context="group_members.name", row=key)
            if user_id is not None:
                members.append(SeenMember(int(user_id), name or "", row["seen_at"]))
        return members
