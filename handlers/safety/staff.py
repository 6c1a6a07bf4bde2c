"""Staff commands of the safety area: /block and /unblock (moderators), /backup (admins).

Roles are checked at the moment of the action against the acting user, never the
chat; anyone else gets the same neutral answer as for an unknown command.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatAction, ChatType
from telegram.ext import BaseHandler, CommandHandler

from domain.i18n import N_
from domain.user_ids import parse_user_id
from handlers.context import VigiaContext
from handlers.replies import not_available, preparing, reply
from services.backup import BackupTooLarge, audited_backup
from storage.roles import Role

logger = logging.getLogger(__name__)

# Bots may upload documents of up to 50 MB.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


async def _moderator_and_target(
    update: Update, context: VigiaContext, usage: str
) -> tuple[int, int] | None:
    """The acting moderator's id and the USER_ID they named; anyone else is refused, a
    missing or malformed USER_ID gets `usage`."""
    user = update.effective_user
    if update.effective_message is None or user is None:
        return None
    if not await context.services.roles.has_any(user.id, Role.MODERATOR):
        await not_available(update, context)
        return None
    args = context.args or []
    target = parse_user_id(args[0]) if len(args) == 1 else None
    if target is None:
        await reply(update, context, usage)
        return None
    return user.id, target


async def block_user(update: Update, context: VigiaContext) -> None:
    usage = N_(
        "Usage: /block USER_ID. The user's future reports are kept apart from the "
        "queue, and they are not told. /unblock USER_ID lifts it."
    )
    ids = await _moderator_and_target(update, context, usage)
    if ids is None:
        return
    moderator_id, target = ids
    newly = await context.services.blocks.block(target, moderator_id)
    logger.info("user_blocked new=%s", newly)
    await reply(
        update,
        context,
        N_("Blocked: that user's reports will be quarantined.")
        if newly
        else N_("That user was already blocked."),
    )


async def unblock_user(update: Update, context: VigiaContext) -> None:
    ids = await _moderator_and_target(update, context, N_("Usage: /unblock USER_ID."))
    if ids is None:
        return
    lifted = await context.services.blocks.unblock(ids[1], ids[0])
    logger.info("user_unblocked found=%s", lifted)
    await reply(
        update,
        context,
        N_("Unblocked: their quarantined reports are back in the queue.")
        if lifted
        else N_("That user was not blocked."),
    )


async def send_backup(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if message is None or user is None or chat is None:
        return
    # Admins only, and only in a private chat: a backup never lands in a group.
    if chat.type != ChatType.PRIVATE or not await context.services.roles.has_any(user.id):
        await not_available(update, context)
        return
    t = await context.translator(update)
    services = context.services
    key = services.settings.encryption_key
    if key is None:
        await not_available(update, context)
        return
    await preparing(context.bot, chat.id, ChatAction.UPLOAD_DOCUMENT)
    try:
        blob = await audited_backup(
            services.db,
            services.audit,
            key.get_secret_value(),
            actor_id=user.id,
            max_bytes=MAX_UPLOAD_BYTES,
        )
    except BackupTooLarge:
        await message.reply_text(
            t.gettext(
                "The backup is larger than Telegram lets a bot send. Run "
                "<code>python -m bot backup PATH</code> on the server instead."
            )
        )
        return
    stamp = services.clock.now().strftime("%Y%m%d-%H%M")
    await context.bot.send_document(
        chat.id,
        document=blob,
        filename=f"backup-{stamp}.vgb",
        caption=t.gettext(
            "Encrypted backup. It opens only with this deployment's ENCRYPTION_KEY: "
            "<code>python -m bot restore FILE</code>."
        ),
        # The file is sealed; the admin must be able to save it off the phone.
        protect_content=False,
    )
    logger.info("backup_sent bytes=%d", len(blob))


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        CommandHandler("block", block_user),
        CommandHandler("unblock", unblock_user),
        CommandHandler("backup", send_backup),
    ]
