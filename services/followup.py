"""The anonymous two-way follow-up: the NGO asks through the bot, the reporter answers.

As with a GlobaLeaks receipt, both sides talk to the report, not to each other: the
reporter reads "a question from the organisation" and never a moderator's name; the
moderators read the answer under the receipt code and never the reporter's Telegram
identity. Both directions go through the durable outbox, queued in the same
transaction that stores the message in the thread. The moderation group reads only
that report #12 was answered; the words open privately (issue 14).
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from enum import StrEnum

import aiosqlite
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.i18n import Translator
from services.container import Services
from services.notify import queue_for_reporter
from services.status_texts import local_date
from storage.followups import Question
from storage.outbox import Lane
from storage.report_status import ReportStatus, read_report_status, reporter_keys_match
from storage.roles import Role

logger = logging.getLogger(__name__)

REPLY_PREFIX = "fu:reply:"
# The desk's Open button (handlers.moderation.case_view answers it, privately).
OPEN_REPORT_DATA = "mod:o:{report_id}"
MAX_QUESTION_LENGTH = 1000
MAX_ANSWER_LENGTH = 2000


class AnswerOutcome(StrEnum):
    RELAYED = "relayed"
    STALE = "stale"  # the question is gone, or this chat no longer holds the report


@dataclass(frozen=True, slots=True)
class Relay:
    """Where moderators read answers: the moderation group, else each one privately."""

    chat_id: int
    translator: Translator


def reply_button(t: Translator, question_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("↩️ Reply"), callback_data=f"{REPLY_PREFIX}{question_id}"
                )
            ]
        ]
    )


def question_text(t: Translator, status: ReportStatus, question: str) -> str:
    _ = t.gettext
    if status.receipt_display:
        header = _("📩 <b>A question from the organisation</b> about your report {code}:").format(
            code=status.receipt_display
        )
    else:
        header = _(
            "📩 <b>A question from the organisation</b> about your report of {date}:"
        ).format(date=local_date(t, status.created_at))
    footer = _("Press Reply to answer. Only the organisation will read your answer.")
    return f"{header}\n\n{html.escape(question)}\n\n{footer}"


async def ask_reporter(
    services: Services, conn: aiosqlite.Connection, *, report_id: int, question: str
) -> None:
    """Store the question in the report's thread and queue it to the reporter.

    Called inside the caller's transaction. The question is always kept in the
    thread (moderators see what was asked); it is queued only if the reporter
    consented to contact and is still linked (`can_contact` tells beforehand).
    """
    status = await read_report_status(conn, services.cipher, report_id)
    if status is None:
        raise LookupError(f"report {report_id} does not exist")
    question = question.strip()[:MAX_QUESTION_LENGTH]
    question_id = await services.followups.add_question(conn, report_id, question)
    queued = await queue_for_reporter(
        services,
        conn,
        status,
        lambda t: question_text(t, status, question),
        lambda t: reply_button(t, question_id),
    )
    if not queued:
        logger.info("followup_question_kept report_id=%d reason=no_contact", report_id)
        return
    logger.info("followup_question_queued report_id=%d question=%d", report_id, question_id)


async def can_contact(services: Services, conn: aiosqlite.Connection, report_id: int) -> bool:
    status = await read_report_status(conn, services.cipher, report_id)
    return status is not None and status.reachable


async def relays(services: Services) -> list[Relay]:
    """Read outside any transaction (roles and language preferences use their own reads)."""
    catalogs = services.catalogs
    group = services.settings.moderation_chat_id
    if group is not None:
        return [Relay(group, catalogs.get(None))]
    result = []
    for user_id in await services.roles.staff_ids(Role.MODERATOR):
        language = catalogs.resolve(await services.prefs.language(user_id), None)
        result.append(Relay(user_id, catalogs.get(language)))
    return result


def group_answer_text(t: Translator, status: ReportStatus) -> str:
    """In the moderation group: that an answer came, by number; its words open privately."""
    return t.gettext(
        "💬 <b>The reporter of #{report_id} answered</b> a question from the organisation. "
        "Their answer opens in your private chat with the bot: 🔎 Open."
    ).format(report_id=status.id)


def open_report_markup(t: Translator, report_id: int) -> dict[str, object]:
    button = InlineKeyboardButton(
        t.gettext("🔎 Open"), callback_data=OPEN_REPORT_DATA.format(report_id=report_id)
    )
    return InlineKeyboardMarkup([[button]]).to_dict()


def answer_text(t: Translator, status: ReportStatus, question: Question, answer: str) -> str:
    _ = t.gettext
    reference = status.receipt_display or f"#{status.id}"
    return "\n".join(
        [
            _("💬 <b>Answer from the reporter</b> of report {code} (#{report_id})").format(
                code=reference, report_id=status.id
            ),
            _("Question: {question}").format(question=html.escape(question.text)),
            "",
            html.escape(answer),
        ]
    )


async def answer_question(
    services: Services, *, chat_id: int, question_id: int, answer: str
) -> AnswerOutcome:
    """Store the reporter's answer and queue it to the moderators, in one transaction.

    Ownership is checked here, at the moment of the answer: the chat must still be
    the one that filed the report.
    """
    targets = await relays(services)
    keys = services.privacy.reporter_keys(chat_id)
    async with services.db.transaction() as conn:
        question = await services.followups.question(conn, question_id)
        if question is None or not await reporter_keys_match(conn, question.report_id, keys):
            return AnswerOutcome.STALE
        status = await read_report_status(conn, services.cipher, question.report_id)
        if status is None:
            return AnswerOutcome.STALE
        await services.followups.add_answer(conn, question, answer[:MAX_ANSWER_LENGTH])
        await services.reports.note_reporter_activity(chat_id, question.report_id, conn)
        group = services.settings.moderation_chat_id
        for target in targets:
            t = target.translator
            in_group = target.chat_id == group
            await services.outbox.add_notification(
                conn,
                chat_id=target.chat_id,
                language=t.language,
                text=group_answer_text(t, status)
                if in_group
                else answer_text(t, status, question, answer),
                reply_markup=open_report_markup(t, status.id) if in_group else None,
                lane=Lane.STAFF,
            )
    services.outbox.wake()
    logger.info("followup_answer_relayed report_id=%d relays=%d", status.id, len(targets))
    return AnswerOutcome.RELAYED


async def question_of_chat(services: Services, chat_id: int, question_id: int) -> Question | None:
    """The question if it exists and this chat filed its report (callback data is untrusted)."""
    keys = services.privacy.reporter_keys(chat_id)
    async with services.db.transaction() as conn:
        question = await services.followups.question(conn, question_id)
        if question is None or not await reporter_keys_match(conn, question.report_id, keys):
            return None
        return question
