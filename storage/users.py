"""Per-user preferences (language), keyed by an HMAC of the Telegram user id.

The id is also stored sealed (`user_id_enc`) so a key rotation can recompute the
HMAC; rows are looked up under every configured key, so a preference written before
a rotation finished is still found, and it is rewritten under the current key then.
"""

from __future__ import annotations

from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database

_CACHE_LIMIT = 50_000
USER_PURPOSE = "user"
USER_CONTEXT = "user_prefs.user_id"


class UserPrefs:
    """Language choices, cached in memory because every update needs one.

    The cache is keyed by the user id itself: a hit costs a dict lookup, not the keyed
    hash a database lookup needs (about ten microseconds, on every update).
    """

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._cache: dict[int, str | None] = {}

    def user_key(self, user_id: int) -> str:
        return self._cipher.lookup_hash(user_id, purpose=USER_PURPOSE)

    def _all_keys(self, user_id: int) -> list[str]:
        return self._cipher.lookup_hash_with_old_keys(user_id, purpose=USER_PURPOSE)

    async def language(self, user_id: int) -> str | None:
        if user_id in self._cache:
            return self._cache[user_id]
        key = self.user_key(user_id)
        keys = self._all_keys(user_id)
        marks = ", ".join("?" for _ in keys)
        row = await self._db.fetch_one(
            "SELECT user_key, language, user_id_enc IS NULL AS unsealed"  # noqa: S608
            f" FROM user_prefs WHERE user_key IN ({marks})"
            " ORDER BY user_key = ? DESC LIMIT 1",
            (*keys, key),
        )
        language = row["language"] if row else None
        if (
            row is not None
            and language is not None
            and (row["user_key"] != key or row["unsealed"])
        ):
            # Written under an old key or before the id was sealed: rewrite it now so
            # the next rotation can carry it over.
            await self.set_language(user_id, language)
        self._remember(user_id, language)
        return language

    async def set_language(self, user_id: int, language: str) -> None:
        key = self.user_key(user_id)
        stale = [other for other in self._all_keys(user_id) if other != key]
        sealed = self._cipher.encrypt(str(user_id), context=USER_CONTEXT, row=key)
        async with self._db.transaction() as conn:
            if stale:
                marks = ", ".join("?" for _ in stale)
                await conn.execute(
                    f"DELETE FROM user_prefs WHERE user_key IN ({marks})",  # noqa: S608
                    stale,
                )
            await conn.execute(
                "INSERT INTO user_prefs (user_key, user_id_enc, language, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (user_key) DO UPDATE SET"
                " language = excluded.language, user_id_enc = excluded.user_id_enc,"
                " updated_at = excluded.updated_at",
                (key, sealed, language, self._clock.now_iso()),
            )
        self._remember(user_id, language)

    async def forget(self, user_id: int) -> None:
        keys = self._all_keys(user_id)
        marks = ", ".join("?" for _ in keys)
        await self._db.execute(
            f"DELETE FROM user_prefs WHERE user_key IN ({marks})",  # noqa: S608
            keys,
        )
        self._cache.pop(user_id, None)

    def _remember(self, user_id: int, language: str | None) -> None:
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[user_id] = language
