"""Moderation writes on reports, and the reads the moderation desk lists.

Every write is a conditional `UPDATE ... WHERE id = ? AND version = ?` run inside the
caller's transaction: when two moderators act on the same report at once, exactly
one statement matches, and the other gets `ReportChanged` with the report as it is
now. Intake owns how reports are made (storage/reports.py); this module only moves
them through review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from domain.vocabulary import ReportKind, ReportState
from storage.clock import Clock, from_iso, to_iso
from storage.crypto import FieldCipher
from storage.database import Database

PERSON_NAME_CONTEXT = "reports.person_name"
REJECT_NOTE_CONTEXT = "reports.reject_note"
PROMPT_PURPOSE = "prompt"
ACTOR_PURPOSE = "actor"  # as storage.audit: staff are known by one keyed hash
UNKNOWN_WHEREABOUTS = "unknown"

_SNAPSHOT = (
    "id, kind, state, version, priority, whereabouts, detained_on, case_id,"
    " parent_report_id, assigned_to_key, quarantined, person_name_enc, reject_reason,"
    " created_at, updated_at"
)


class ReportChanged(Exception):
    """The report moved since the moderator saw it; `current` is how it is now."""

    def __init__(self, current: ReportSnapshot) -> None:
        super().__init__(f"report {current.id} changed")
        self.current = current


@dataclass(frozen=True, slots=True)
class ReportSnapshot:
    """What moderation needs of a report to decide and to list it."""

    id: int
    kind: ReportKind
    state: ReportState
    version: int
    priority: int
    whereabouts: str | None
    detained_on: dt.date | None
    case_id: int | None
    parent_report_id: int | None
    assigned_to_key: str | None
    quarantined: bool
    person_name: str
    reject_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def urgent(self) -> bool:
        """A detention nobody can place: a possible enforced disappearance."""
        return self.kind is ReportKind.DETENTION and (
            self.whereabouts in (None, UNKNOWN_WHEREABOUTS) or self.priority > 0
        )


@dataclass(frozen=True, slots=True)
class Vote:
    voter_key: str
    case_id: int | None


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question a moderator was asked to type for a report (see migration 0004)."""

    report_id: int
    report_version: int
    actor_key: str


OPEN_STATES: tuple[ReportState, ...] = (
    ReportState.RECEIVED,
    ReportState.IN_REVIEW,
    ReportState.NEEDS_INFO,
)


class Review:
    """Review writes (inside the desk's transactions) and the queue reads."""

    def __init__(self, db: Database, cipher: FieldCipher, clock: Clock) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock
        # Staff languages already written, so a desk action costs no write.
        self._languages: dict[str, str] = {}

    # Reads ------------------------------------------------------------------------

    async def get(self, report_id: int) -> ReportSnapshot | None:
        row = await self._db.fetch_one(
            f"SELECT {_SNAPSHOT} FROM reports WHERE id = ?",  # noqa: S608
            (report_id,),
        )
        return self._snapshot(row) if row else None

    async def load(self, conn: aiosqlite.Connection, report_id: int) -> ReportSnapshot | None:
        async with conn.execute(
            f"SELECT {_SNAPSHOT} FROM reports WHERE id = ?",  # noqa: S608
            (report_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return self._snapshot(row) if row else None

    async def queue(
        self, states: Sequence[ReportState], *, limit: int, offset: int
    ) -> list[ReportSnapshot]:
        """Urgent detentions first (longest since the arrest on top), then oldest waiting.

        "Waiting" counts from the report's last change, so a report taken and then
        left alone climbs back up.
        """
        marks = ", ".join("?" for _ in states)
        rows = await self._db.fetch_all(
            f"SELECT {_SNAPSHOT} FROM reports"  # noqa: S608 - only ? marks
            f" WHERE state IN ({marks}) AND quarantined = 0"
            " ORDER BY (kind = 'detention' AND (whereabouts IS NULL OR whereabouts = ?"
            " OR priority > 0)) DESC,"
            " CASE WHEN kind = 'detention' AND (whereabouts IS NULL OR whereabouts = ?"
            " OR priority > 0) THEN COALESCE(detained_on, '9999') END ASC,"
            " updated_at ASC, id ASC LIMIT ? OFFSET ?",
            (*states, UNKNOWN_WHEREABOUTS, UNKNOWN_WHEREABOUTS, limit, offset),
        )
        return [self._snapshot(row) for row in rows]

    async def count(self, states: Sequence[ReportState]) -> int:
        marks = ", ".join("?" for _ in states)
        row = await self._db.fetch_one(
            f"SELECT COUNT(*) FROM reports WHERE state IN ({marks})"  # noqa: S608
            " AND quarantined = 0",
            tuple(states),
        )
        return int(row[0]) if row else 0

    async def waiting_since(self, cutoff: dt.datetime) -> list[ReportSnapshot]:
        """Open reports with no change since `cutoff`, oldest first (for the digest)."""
        marks = ", ".join("?" for _ in OPEN_STATES)
        rows = await self._db.fetch_all(
            f"SELECT {_SNAPSHOT} FROM reports WHERE state IN ({marks})"  # noqa: S608
            " AND quarantined = 0 AND updated_at < ? ORDER BY updated_at, id",
            (*OPEN_STATES, to_iso(cutoff)),
        )
        return [self._snapshot(row) for row in rows]

    async def reports_of_case(self, case_id: int) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT id FROM reports WHERE case_id = ? ORDER BY id", (case_id,)
        )
        return [int(row[0]) for row in rows]

    async def report_ids_of_cases(
        self, conn: aiosqlite.Connection, case_ids: Sequence[int]
    ) -> list[int]:
        marks = ", ".join("?" for _ in case_ids)
        async with conn.execute(
            f"SELECT id FROM reports WHERE case_id IN ({marks}) ORDER BY id",  # noqa: S608
            tuple(case_ids),
        ) as cursor:
            return [int(row[0]) for row in await cursor.fetchall()]

    # Conditional writes -----------------------------------------------------------

    async def move(
        self,
        conn: aiosqlite.Connection,
        report: ReportSnapshot,
        state: ReportState,
        *,
        assigned_to_key: str | None = None,
        case_id: int | None = None,
        reject_reason: str | None = None,
        reject_note: str | None = None,
    ) -> ReportSnapshot:
        """Move the report as the moderator saw it (`report.version`), or `ReportChanged`.

        `assigned_to_key` and `case_id` are only written when given; a rejection also
        stamps `closed_at`, from which retention counts (verified and duplicate reports
        stay linked to a live case and keep their reporter).
        """
        now = self._clock.now_iso()
        cursor = await conn.execute(
            "UPDATE reports SET state = ?, version = version + 1, updated_at = ?,"
            " assigned_to_key = COALESCE(?, assigned_to_key),"
            " case_id = COALESCE(?, case_id),"
            " reject_reason = COALESCE(?, reject_reason),"
            " reject_note_enc = COALESCE(?, reject_note_enc),"
            " closed_at = CASE WHEN ? = 'rejected' THEN ? ELSE closed_at END"
            " WHERE id = ? AND version = ?",
            (
                state.value,
                now,
                assigned_to_key,
                case_id,
                reject_reason,
                self._cipher.encrypt(reject_note, context=REJECT_NOTE_CONTEXT, row=report.id),
                state.value,
                now,
                report.id,
                report.version,
            ),
        )
        if cursor.rowcount != 1:
            current = await self.load(conn, report.id)
            if current is None:
                raise LookupError(f"report {report.id} vanished")
            raise ReportChanged(current)
        moved = await self.load(conn, report.id)
        if moved is None:
            raise LookupError(f"report {report.id} vanished")
        return moved

    async def relink(self, conn: aiosqlite.Connection, source_case: int, target_case: int) -> None:
        """A merge: the source case's reports now belong to the target case."""
        await conn.execute(
            "UPDATE reports SET case_id = ?, version = version + 1, updated_at = ?"
            " WHERE case_id = ?",
            (target_case, self._clock.now_iso(), source_case),
        )

    # Two-person rule ---------------------------------------------------------------

    async def add_vote(
        self,
        conn: aiosqlite.Connection,
        report_id: int,
        voter_keys: Sequence[str],
        case_id: int | None,
    ) -> bool:
        """Record a verification under `voter_keys[0]`; False when this moderator had
        already voted under any of the keys (a vote cast before a key change counts)."""
        marks = ", ".join("?" for _ in voter_keys)
        cursor = await conn.execute(
            "INSERT INTO verify_votes (report_id, voter_key, case_id, voted_at)"  # noqa: S608
            " SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM verify_votes"
            f" WHERE report_id = ? AND voter_key IN ({marks}))",
            (report_id, voter_keys[0], case_id, self._clock.now_iso(), report_id, *voter_keys),
        )
        return cursor.rowcount == 1

    async def votes(self, conn: aiosqlite.Connection, report_id: int) -> list[Vote]:
        async with conn.execute(
            "SELECT voter_key, case_id FROM verify_votes WHERE report_id = ? ORDER BY voted_at",
            (report_id,),
        ) as cursor:
            return [Vote(row["voter_key"], row["case_id"]) for row in await cursor.fetchall()]

    # Questions typed in answer to a button -----------------------------------------

    def _prompt_key(self, chat_id: int) -> str:
        return self._cipher.lookup_hash(chat_id, purpose=PROMPT_PURPOSE)

    async def save_prompt(self, chat_id: int, message_id: int, prompt: Prompt) -> None:
        await self._db.execute(
            "INSERT OR REPLACE INTO moderation_prompts (chat_key, message_id, report_id,"
            " report_version, actor_key, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                self._prompt_key(chat_id),
                message_id,
                prompt.report_id,
                prompt.report_version,
                prompt.actor_key,
                self._clock.now_iso(),
            ),
        )

    async def take_prompt(self, chat_id: int, message_id: int, actor_key: str) -> Prompt | None:
        """The prompt this moderator's reply answers, removed: one reply, one question.

        Another moderator's reply to it does not count (nor consume it). Every reply
        to a bot message passes here, so a miss costs one indexed read, no write.
        """
        key = self._prompt_key(chat_id)
        row = await self._db.fetch_one(
            "SELECT report_id, report_version FROM moderation_prompts"
            " WHERE chat_key = ? AND message_id = ? AND actor_key = ?",
            (key, message_id, actor_key),
        )
        if row is None:
            return None
        removed = await self._db.execute(
            "DELETE FROM moderation_prompts WHERE chat_key = ? AND message_id = ?",
            (key, message_id),
        )
        if removed != 1:
            return None  # the same reply, delivered twice: only one asks
        return Prompt(int(row["report_id"]), int(row["report_version"]), actor_key)

    # Staff languages --------------------------------------------------------------

    async def remember_staff_language(self, user_id: int, language: str) -> None:
        """The Telegram language a staff member acted with (for the morning digest)."""
        key = self._cipher.lookup_hash(user_id, purpose=ACTOR_PURPOSE)
        if self._languages.get(key) == language:
            return
        await self._db.execute(
            "INSERT INTO staff_languages (actor_key, language, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (actor_key) DO UPDATE SET language = excluded.language,"
            " updated_at = excluded.updated_at",
            (key, language, self._clock.now_iso()),
        )
        self._languages[key] = language

    async def staff_language(self, user_id: int) -> str | None:
        """The Telegram language last seen on this staff member's desk actions."""
        keys = self._cipher.lookup_hash_with_old_keys(user_id, purpose=ACTOR_PURPOSE)
        marks = ", ".join("?" for _ in keys)
        row = await self._db.fetch_one(
            f"SELECT language FROM staff_languages WHERE actor_key IN ({marks})"  # noqa: S608
            " ORDER BY actor_key = ? DESC LIMIT 1",
            (*keys, self._cipher.lookup_hash(user_id, purpose=ACTOR_PURPOSE)),
        )
        return str(row["language"]) if row else None

    async def purge_prompts(self, older_than: dt.datetime) -> int:
        """Prompts nobody answered: after a day the button is pressed again if needed."""
        return await self._db.execute(
            "DELETE FROM moderation_prompts WHERE created_at < ?", (to_iso(older_than),)
        )

    def _snapshot(self, row: aiosqlite.Row) -> ReportSnapshot:
        detained_on = row["detained_on"]
        name = self._cipher.decrypt(
            row["person_name_enc"], context=PERSON_NAME_CONTEXT, row=row["id"]
        )
        return ReportSnapshot(
            id=int(row["id"]),
            kind=ReportKind(row["kind"]),
            state=ReportState(row["state"]),
            version=int(row["version"]),
            priority=int(row["priority"]),
            whereabouts=row["whereabouts"],
            detained_on=dt.date.fromisoformat(detained_on) if detained_on else None,
            case_id=row["case_id"],
            parent_report_id=row["parent_report_id"],
            assigned_to_key=row["assigned_to_key"],
            quarantined=bool(row["quarantined"]),
            person_name=name or "",
            reject_reason=row["reject_reason"],
            created_at=from_iso(row["created_at"]),
            updated_at=from_iso(row["updated_at"]),
        )
