"""The family PIN, the duress PIN and the choices beside them (`chat_secrets`).

A PIN is stored only as a slow, salted, keyed digest: scrypt over an HMAC of the PIN
under ENCRYPTION_KEY, with a random salt per PIN. A copy of the database alone cannot
test the 10**8 possible PINs (the HMAC needs the key), and with the key each guess
still costs a scrypt. Nothing seals the PIN reversibly. After a key change the PIN is
checked under the old keys too, while they remain in ENCRYPTION_OLD_KEYS.

Rows are keyed by an HMAC of the chat id (purpose 'secrets'); `/olvidarme` deletes
the row with everything else it forgets.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import aiosqlite

from domain.pins import normalise_pin
from storage.clock import Clock
from storage.crypto import FieldCipher
from storage.database import Database

SECRETS_PURPOSE = "secrets"
PIN_PURPOSE = "pin"
# About 16 MiB and a few tens of milliseconds per check: slow for a guesser, not a family.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16


class PinMatch(StrEnum):
    PIN = "pin"
    DURESS = "duress"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class SecretState:
    """What a chat has set; never the digests."""

    has_pin: bool = False
    has_duress: bool = False
    lockout: bool = False
    full_news: bool = False
    news_seen_at: str | None = None


def _scrypt(keyed: str, salt: bytes) -> str:
    return hashlib.scrypt(
        keyed.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=64 * 1024 * 1024
    ).hex()


class ChatSecrets:
    """Set, check and forget a chat's PINs; read and set the choices beside them."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    def _keys(self, chat_id: int) -> list[str]:
        return self._cipher.lookup_hash_with_old_keys(chat_id, purpose=SECRETS_PURPOSE)

    async def _row(self, chat_id: int) -> aiosqlite.Row | None:
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        return await self._db.fetch_one(
            f"SELECT * FROM chat_secrets WHERE chat_key IN ({marks})",  # noqa: S608
            keys,
        )

    async def state(self, chat_id: int) -> SecretState:
        row = await self._row(chat_id)
        if row is None:
            return SecretState()
        return SecretState(
            has_pin=row["pin_digest"] is not None,
            has_duress=row["duress_digest"] is not None,
            lockout=bool(row["lockout"]),
            full_news=bool(row["full_news"]),
            news_seen_at=row["news_seen_at"],
        )

    async def full_news_in(self, conn: aiosqlite.Connection, chat_id: int) -> bool:
        """Inside the caller's transaction (a notification being queued)."""
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        async with conn.execute(
            f"SELECT MAX(full_news) FROM chat_secrets WHERE chat_key IN ({marks})",  # noqa: S608
            keys,
        ) as cursor:
            row = await cursor.fetchone()
        return bool(row and row[0])

    async def _write(self, chat_id: int, **columns: Any) -> None:
        """Update the chat's row (under whichever key it has), or create it."""
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        columns["updated_at"] = self._clock.now_iso()
        assignments = ", ".join(f"{name} = ?" for name in columns)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE chat_secrets SET {assignments} WHERE chat_key IN ({marks})",  # noqa: S608
                (*columns.values(), *keys),
            )
            if cursor.rowcount:
                return
            names = ", ".join(["chat_key", *columns])
            values = ", ".join("?" for _ in range(len(columns) + 1))
            await conn.execute(
                f"INSERT INTO chat_secrets ({names}) VALUES ({values})",  # noqa: S608
                (keys[0], *columns.values()),
            )

    async def _seal(self, pin: str) -> tuple[str, str]:
        """(salt, digest) of a PIN, under the current key."""
        salt = secrets.token_bytes(SALT_BYTES)
        keyed = self._cipher.lookup_hash(pin, purpose=PIN_PURPOSE)
        digest = await asyncio.to_thread(_scrypt, keyed, salt)
        return salt.hex(), digest

    async def _key_index(self, pin: str, salt: str | None, digest: str | None) -> int | None:
        """Which key (0: the current one) the PIN matches the digest under, if any."""
        if salt is None or digest is None:
            return None
        keyed_pins = self._cipher.lookup_hash_with_old_keys(pin, purpose=PIN_PURPOSE)
        for index, keyed in enumerate(keyed_pins):
            candidate = await asyncio.to_thread(_scrypt, keyed, bytes.fromhex(salt))
            if hmac.compare_digest(candidate, digest):
                return index
        return None

    async def _matches(self, pin: str, salt: str | None, digest: str | None) -> bool:
        return await self._key_index(pin, salt, digest) is not None

    async def match(self, chat_id: int, entry: str) -> PinMatch:
        """Whether `entry` is this chat's PIN, its duress PIN, or neither.

        A PIN sealed under a key since replaced is sealed again under the current one
        now that it is in hand: it keeps working once the old key is dropped."""
        pin = normalise_pin(entry)
        row = await self._row(chat_id)
        if pin is None or row is None:
            return PinMatch.NONE
        index = await self._key_index(pin, row["pin_salt"], row["pin_digest"])
        if index is not None:
            if index:
                await self.set_pin(chat_id, pin)
            return PinMatch.PIN
        index = await self._key_index(pin, row["duress_salt"], row["duress_digest"])
        if index is not None:
            return PinMatch.DURESS
        return PinMatch.NONE

    async def hold_pending(self, chat_id: int, pin: str) -> None:
        """The first typing of a new PIN, kept (as a digest) until it is typed again."""
        salt, digest = await self._seal(pin)
        await self._write(chat_id, pending_salt=salt, pending_digest=digest)

    async def take_pending(self, chat_id: int, entry: str) -> bool:
        """Whether `entry` repeats the pending PIN; the pending one is dropped either way."""
        pin = normalise_pin(entry)
        row = await self._row(chat_id)
        if row is None:
            return False
        same = pin is not None and await self._matches(
            pin, row["pending_salt"], row["pending_digest"]
        )
        await self._write(chat_id, pending_salt=None, pending_digest=None)
        return same

    async def set_pin(self, chat_id: int, pin: str) -> None:
        salt, digest = await self._seal(pin)
        await self._write(chat_id, pin_salt=salt, pin_digest=digest, wrong_streak=0)

    async def set_duress(self, chat_id: int, pin: str | None) -> None:
        if pin is None:
            await self._write(chat_id, duress_salt=None, duress_digest=None)
            return
        salt, digest = await self._seal(pin)
        await self._write(chat_id, duress_salt=salt, duress_digest=digest)

    async def remove_pins(self, chat_id: int) -> None:
        """No PIN, no duress PIN, no lockout: receipt codes alone open the owner views."""
        await self._write(
            chat_id,
            pin_salt=None,
            pin_digest=None,
            duress_salt=None,
            duress_digest=None,
            lockout=0,
            wrong_streak=0,
        )

    async def set_lockout(self, chat_id: int, enabled: bool) -> None:
        await self._write(chat_id, lockout=int(enabled), wrong_streak=0)

    async def set_full_news(self, chat_id: int, enabled: bool) -> None:
        await self._write(chat_id, full_news=int(enabled))

    async def mark_news_seen(self, chat_id: int) -> None:
        await self._write(chat_id, news_seen_at=self._clock.now_iso())

    async def note_wrong(self, chat_id: int) -> int:
        """One more wrong PIN in a row; returns the streak (0 for a chat without a PIN)."""
        row = await self._row(chat_id)
        if row is None or row["pin_digest"] is None:
            return 0
        streak = int(row["wrong_streak"]) + 1
        await self._write(chat_id, wrong_streak=streak)
        return streak

    async def reset_streak(self, chat_id: int) -> None:
        row = await self._row(chat_id)
        if row is not None and row["wrong_streak"]:
            await self._write(chat_id, wrong_streak=0)

    async def forget(self, chat_id: int) -> int:
        keys = self._keys(chat_id)
        marks = ", ".join("?" for _ in keys)
        return await self._db.execute(
            f"DELETE FROM chat_secrets WHERE chat_key IN ({marks})",  # noqa: S608
            keys,
        )
