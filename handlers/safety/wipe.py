"""/borrar, /wipe and the offer after a report: delete this chat's trail.

After a confirmation the bot deletes every tracked message of the chat (its own and
the user's, up to 48 hours old: Telegram refuses older ones). When nothing is left it
leaves one neutral word that deletes itself a minute later, so the chat looks like
nothing happened. When something is left (older than 48 hours, or refused), it says
how many messages and how to delete them on the phone: never "done".
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from typing import cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, JobQueue, filters

from domain.i18n import Translator
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.safety.leftovers import (
    CLEAR_CALLBACK,
    clear_leftovers,
    clear_rows,
    leftover_notice,
)
from handlers.sending import send_text
from services.deletion import delete_messages
from storage.tracking import TELEGRAM_DELETE_WINDOW

logger = logging.getLogger(__name__)

NOTICE_SECONDS = 60
# Answered by `handlers.safety.forget`: wipe, then unlink as /olvidarme does.
FORGET_FROM_WIPE = "safety:wipe:forget"
FORGET_AFTER_REPORT = "safety:after:forget"


def unlink_explained(t: Translator) -> str:
    return t.gettext(
        "«Unlink this phone» also cuts this chat off from your reports: they stay with the "
        "organisation, but news about them will no longer come here, and you will only "
        "see how they are going by sending /estado with the receipt code."
    )


@dataclass(frozen=True, slots=True)
class WipeOutcome:
    """How many messages went, and how many of the chat's are still on the phone."""

    deleted: int
    left: int


async def wipe_chat(
    context: VigiaContext, chat_id: int, keep: Collection[int] = ()
) -> WipeOutcome:
    """Delete every tracked message of a private chat except `keep`.

    Messages past Telegram's 48 hours are not even tried: they are counted, with those
    Telegram refused, in the chat's messages left. `left` is that count (earlier wipes'
    included) plus any the bot may still delete later (a failed call)."""
    services = context.services
    store = services.tracker.store
    await services.tracker.flush()
    cutoff = services.clock.now() - TELEGRAM_DELETE_WINDOW
    messages = [m for m in await store.messages(chat_id) if m.message_id not in keep]
    too_old = [m.message_id for m in messages if m.at <= cutoff]
    outcome = await delete_messages(
        context.bot, chat_id, [m.message_id for m in messages if m.at > cutoff]
    )
    await store.settle_chat(chat_id, outcome.deleted, [*outcome.refused, *too_old])
    left = await services.expiry.chats.left_count(chat_id) + len(outcome.failed)
    logger.info("chat_wiped messages=%d left=%d", len(outcome.deleted), left)
    return WipeOutcome(len(outcome.deleted), left)


async def tell_outcome(
    context: VigiaContext, chat_id: int, t: Translator, outcome: WipeOutcome
) -> None:
    """A vanishing "Done." when the chat is empty; otherwise what is left and how to
    remove it (that message expires with the chat, like every other)."""
    if outcome.left == 0:
        await leave_neutral_notice(context, chat_id, t)
        return
    await send_text(context.bot, chat_id, leftover_notice(t, outcome.left), rows=clear_rows(t))


async def leave_neutral_notice(context: VigiaContext, chat_id: int, t: Translator) -> None:
    """One neutral word, gone after a minute: a wiped chat must not look wiped."""
    notice = await context.bot.send_message(chat_id, t.gettext("Done."))
    # CallbackContext cannot name its own context type in `job_queue`; this is ours.
    jobs = cast("JobQueue[VigiaContext] | None", context.job_queue)
    if jobs is not None:
        jobs.run_once(_delete_notice, NOTICE_SECONDS, data=notice.message_id, chat_id=chat_id)


async def _delete_notice(context: VigiaContext) -> None:
    job = context.job
    if job is None or job.chat_id is None or not isinstance(job.data, int):
        return
    try:
        await context.bot.delete_message(job.chat_id, job.data)
    except TelegramError as exc:
        logger.warning("wipe_notice_not_deleted error=%s", type(exc).__name__)
        return
    await context.services.tracker.flush()
    await context.services.tracker.store.forget_messages(job.chat_id, [job.data])


def _confirm_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(t.gettext("🧹 Yes, delete"), callback_data="safety:wipe:yes")],
            [
                InlineKeyboardButton(
                    t.gettext("🧹 Delete, and unlink this phone from my reports"),
                    callback_data=FORGET_FROM_WIPE,
                )
            ],
            [InlineKeyboardButton(t.gettext("No, keep them"), callback_data="safety:wipe:no")],
        ]
    )


async def ask_wipe(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    if message is None:
        return
    t = await context.translator(update)
    await message.reply_text(
        t.gettext(
            "Delete the messages of this conversation, mine and yours, from this phone? "
            "Telegram lets me delete only those from the last 48 hours. Your reports stay "
            "with the organisation."
        )
        + "\n\n"
        + unlink_explained(t),
        reply_markup=_confirm_keyboard(t),
    )


async def confirm_wipe(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None or query.data is None or chat.type != ChatType.PRIVATE:
        return
    await query.answer()
    t = await context.translator(update)
    if query.data != "safety:wipe:yes":
        await query.edit_message_text(t.gettext("Nothing was deleted."))
        return
    await tell_outcome(context, chat.id, t, await wipe_chat(context, chat.id))


async def wipe_after_flow(
    context: VigiaContext, chat_id: int, keep_message_id: int, language: str | None = None
) -> bool:
    """If the user chose automatic deletion in /privacy, wipe now, keeping one message."""
    if not await context.services.privacy.auto_wipe(chat_id):
        return False
    await _auto_wipe(context, chat_id, keep_message_id, language)
    return True


async def _auto_wipe(
    context: VigiaContext, chat_id: int, keep_message_id: int, language: str | None
) -> None:
    """The wipe the family chose in /privacy: silent, unless something is left."""
    outcome = await wipe_chat(context, chat_id, keep=(keep_message_id,))
    if outcome.left:
        t = await _translator(context, chat_id, language)
        await send_text(context.bot, chat_id, leftover_notice(t, outcome.left), rows=clear_rows(t))


async def _translator(context: VigiaContext, chat_id: int, language: str | None) -> Translator:
    """`language`, else the user's stored choice, else the newest report's language."""
    services = context.services
    language = (
        language
        or await services.prefs.language(chat_id)
        or await services.privacy.newest_report_language(chat_id)
    )
    return services.catalogs.get(language)


async def offer_wipe_after_report(
    context: VigiaContext,
    chat_id: int,
    keep_message_id: int,
    language: str | None = None,
    auto_wipe: bool | None = None,
) -> None:
    """Call right after showing a receipt code: wipe at once, or offer to.

    `keep_message_id` is the message that shows the code; it survives unless the user
    says they noted the code elsewhere. Without `language`, the offer speaks the
    user's stored choice, else the language the newest report was made in. A caller
    that already read the user's /privacy choice (intake reads it while filing, with
    the daily cap: `Blocks.screen`) passes it as `auto_wipe` and spares a query.
    """
    if auto_wipe is None:
        if await wipe_after_flow(context, chat_id, keep_message_id, language):
            return
    elif auto_wipe:
        await _auto_wipe(context, chat_id, keep_message_id, language)
        return
    t = await _translator(context, chat_id, language)
    rows = [
        [(t.gettext("🧹 Delete all but the code"), f"safety:after:keep:{keep_message_id}")],
        [(t.gettext("🧹 Delete everything, I noted the code"), "safety:after:all")],
        [(t.gettext("🧹 Delete everything and unlink this phone"), FORGET_AFTER_REPORT)],
        [(t.gettext("Not now"), "safety:after:no")],
    ]
    text = t.gettext(
        "For your safety I can delete this conversation from your phone now. The "
        "message with your receipt code can stay, or go too if you have noted the "
        "code somewhere safe. /privacy can do this automatically every time."
    )
    text += "\n\n" + unlink_explained(t)
    if not (await context.services.gate.secrets.state(chat_id)).has_pin:
        # Offered with the first report: without a PIN, whoever holds this phone and
        # finds a code here can open the reports.
        rows.insert(0, [(t.gettext("🔑 Set a PIN"), "pin:set")])
        text += "\n\n" + t.gettext(
            "I recommend a PIN (/pin): it will be asked before I show your reports or "
            "their news in this chat, so a phone taken from you does not show them."
        )
    await send_text(context.bot, chat_id, text, rows=rows)


async def answer_offer(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None or query.data is None or chat.type != ChatType.PRIVATE:
        return
    await query.answer()
    t = await context.translator(update)
    choice = query.data.removeprefix("safety:after:")
    if choice == "no":
        await query.edit_message_text(t.gettext("All right, nothing was deleted."))
        return
    keep: tuple[int, ...] = ()
    if choice.startswith("keep:"):
        # Only spares one message of this very chat from deletion: nothing to authorise.
        kept = choice.removeprefix("keep:")
        if not kept.isdigit():
            return
        keep = (int(kept),)
    elif choice != "all":
        return
    await tell_outcome(context, chat.id, t, await wipe_chat(context, chat.id, keep=keep))


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler(aliases("borrar", "wipe"), ask_wipe, filters=private),
        CallbackQueryHandler(confirm_wipe, pattern=r"^safety:wipe:(yes|no)$"),
        CallbackQueryHandler(answer_offer, pattern=r"^safety:after:(no|all|keep:\d+)$"),
        CallbackQueryHandler(clear_leftovers, pattern=rf"^{CLEAR_CALLBACK}$"),
    ]
