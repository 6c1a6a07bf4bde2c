"""Per-user preferences (language), keyed by an HMAC of the Telegram user id."""

from __future__ import annotations

from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database

_CACHE_LIMIT = 50_000


class UserPrefs:
    """Language choices, cached in memory because every update needs one."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        self._cache: dict[str, str | None] = {}

    def user_key(self, user_id: int) -> str:
        return self._cipher.lookup_hash(user_id, purpose="user")

    async def language(self, user_id: int) -> str | None:
        key = self.user_key(user_id)
        if key in self._cache:
            return self._cache[key]
        row = await self._db.fetch_one(
            "SELECT language FROM user_prefs WHERE user_key = ?", (key,)
        )
        language = row["language"] if row else None
        self._remember(key, language)
        return language

    async def set_language(self, user_id: int, language: str) -> None:
        key = self.user_key(user_id)
        await self._db.execute(
            "INSERT INTO user_prefs (user_key, language, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_key) DO UPDATE SET language = excluded.language,"
            " updated_at = excluded.updated_at",
            (key, language, self._clock.now_iso()),
        )
        self._remember(key, language)

    async def forget(self, user_id: int) -> None:
        key = self.user_key(user_id)
        await self._db.execute("DELETE FROM user_prefs WHERE user_key = ?", (key,))
        self._cache.pop(key, None)

    def _remember(self, key: str, language: str | None) -> None:
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = language
