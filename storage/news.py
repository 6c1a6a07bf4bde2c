"""What `/novedades` shows a chat: its reports that changed since it last looked, and the
organisation's questions it has not answered yet.

Notifications to a family carry no content by default (issue 14): the outbox only
says that there is news, and the news itself is read here, after the PIN or a code.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.crypto import FieldCipher
from storage.database import Database
from storage.followups import TEXT_CONTEXT, Question

# A chat rarely has more; a longer backlog is read in turns.
MAX_ITEMS = 10


@dataclass(frozen=True, slots=True)
class News:
    report_ids: list[int]
    questions: list[Question]

    @property
    def empty(self) -> bool:
        return not self.report_ids and not self.questions


async def news_of(
    db: Database, cipher: FieldCipher, reporter_keys: list[str], since: str | None
) -> News:
    """Reports of these reporter keys told of a change after `since` (all, if None), and
    their open questions, oldest first."""
    marks = ", ".join("?" for _ in reporter_keys)
    rows = await db.fetch_all(
        "SELECT r.id FROM reports r JOIN report_notices n ON n.report_id = r.id"  # noqa: S608
        f" WHERE r.reporter_key IN ({marks}) AND n.notified_at > ?"
        " ORDER BY n.notified_at, r.id LIMIT ?",
        (*reporter_keys, since or "", MAX_ITEMS),
    )
    questions = await db.fetch_all(
        "SELECT q.id, q.report_id, q.text_enc FROM followup_messages q"  # noqa: S608
        " JOIN reports r ON r.id = q.report_id"
        f" WHERE r.reporter_key IN ({marks}) AND q.direction = 'ngo'"
        " AND NOT EXISTS (SELECT 1 FROM followup_messages a WHERE a.in_reply_to = q.id)"
        " ORDER BY q.id LIMIT ?",
        (*reporter_keys, MAX_ITEMS),
    )
    return News(
        report_ids=[int(row["id"]) for row in rows],
        questions=[
            Question(
                id=int(row["id"]),
                report_id=int(row["report_id"]),
                text=cipher.decrypt(row["text_enc"], context=TEXT_CONTEXT, row=row["id"]) or "",
            )
            for row in questions
        ],
    )
