"""Staff commands of the safety area: /block and /unblock (moderators), /backup (admins).

Roles are checked at the moment of the action against the acting user, never the
chat; anyone else gets the same neutral answer as for an unknown command.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CommandHandler

from bot.backup import create_backup
from bot.context import VigiaContext
from storage.roles import Role

logger = logging.getLogger(__name__)

# Bots may upload documents of up to 50 MB.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_USER_ID = 2**53


async def _not_available(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    if message is None:
        return
    t = await context.translator(update)
    await message.reply_text(t.gettext("This command is not available."))


def _user_id_argument(args: list[str] | None) -> int | None:
    if not args or len(args) != 1:
        return None
    raw = args[0].strip()
    if not raw.isdigit() or int(raw) <= 0 or int(raw) >= MAX_USER_ID:
        return None
    return int(raw)


async def block_user(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if not await context.services.roles.has_any(user.id, Role.MODERATOR):
        await _not_available(update, context)
        return
    t = await context.translator(update)
    target = _user_id_argument(context.args)
    if target is None:
        await message.reply_text(
            t.gettext(
                "Usage: /block USER_ID. The user's future reports are kept apart from the "
                "queue, and they are not told. /unblock USER_ID lifts it."
            )
        )
        return
    newly = await context.services.blocks.block(target, user.id)
    logger.info("user_blocked new=%s", newly)
    await message.reply_text(
        t.gettext("Blocked: that user's reports will be quarantined.")
        if newly
        else t.gettext("That user was already blocked.")
    )


async def unblock_user(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if not await context.services.roles.has_any(user.id, Role.MODERATOR):
        await _not_available(update, context)
        return
    t = await context.translator(update)
    target = _user_id_argument(context.args)
    if target is None:
        await message.reply_text(t.gettext("Usage: /unblock USER_ID."))
        return
    lifted = await context.services.blocks.unblock(target)
    logger.info("user_unblocked found=%s", lifted)
    await message.reply_text(
        t.gettext("Unblocked: their quarantined reports are back in the queue.")
        if lifted
        else t.gettext("That user was not blocked.")
    )


async def send_backup(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if message is None or user is None or chat is None:
        return
    # Admins only, and only in a private chat: a backup never lands in a group.
    if chat.type != ChatType.PRIVATE or not await context.services.roles.has_any(user.id):
        await _not_available(update, context)
        return
    t = await context.translator(update)
    services = context.services
    key = services.settings.encryption_key
    if key is None:
        await _not_available(update, context)
        return
    blob = await create_backup(services.settings.database_path, key.get_secret_value())
    if len(blob) > MAX_UPLOAD_BYTES:
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
