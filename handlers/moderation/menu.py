"""The staff command menus: each staff member sees their role's commands in their own
chat with the bot, and the moderation group sees the desk's; nobody else does.

Published with `BotCommandScopeChat` at startup and again whenever a role changes,
never in the default or all-private-chats scopes: the public menu stays neutral
(`handlers/commands.py`). A chat menu replaces the default one, so it repeats the
public commands first.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from domain.i18n import N_, Translator
from handlers.commands import PUBLIC_COMMANDS, MenuCommand
from handlers.context import VigiaApp, VigiaContext
from services.container import Services
from storage.roles import Role

logger = logging.getLogger(__name__)

DESK_COMMANDS: tuple[MenuCommand, ...] = (
    MenuCommand("cola", "queue", N_("Reports waiting, most urgent first")),
    MenuCommand("caso", "case", N_("A report or case: details, evidence, history")),
    MenuCommand("tomar", "take", N_("Take a report")),
    MenuCommand("verificar", "verify", N_("Verify a report")),
    MenuCommand("pedirinfo", "needinfo", N_("Ask the reporter a question")),
    MenuCommand("rechazar", "reject", N_("Reject a report, with a reason")),
    MenuCommand("duplicado", "duplicate", N_("A report of a case already followed")),
    MenuCommand("fusionar", "merge", N_("Merge two cases of one person")),
    MenuCommand("excarcelar", "release", N_("Record a release")),
    MenuCommand("domiciliaria", "housearrest", N_("Record house arrest")),
    MenuCommand("redetencion", "rearrest", N_("Record a re-arrest")),
    MenuCommand("traslado", "transfer", N_("Record a transfer")),
    MenuCommand("fallecimiento", "death", N_("Record a death in custody")),
    MenuCommand("cerrar", "close", N_("Close a case")),
    MenuCommand("historial", "history", N_("Recorded actions on a report or case")),
    MenuCommand("auditoria", "audit", N_("Check the audit trail")),
)
BROADCAST_COMMANDS: tuple[MenuCommand, ...] = (
    MenuCommand("difundir", "broadcast", N_("Write a broadcast to subscribers")),
    MenuCommand("anunciar", "announce", N_("Record an official announcement")),
)
ADMIN_COMMANDS: tuple[MenuCommand, ...] = (
    MenuCommand("otorgar", "grant", N_("Grant a role")),
    MenuCommand("revocar", "revoke", N_("Revoke a role")),
    MenuCommand("equipo", "mods", N_("Who has which role")),
)


def menu_for(t: Translator, role: Role | None, *, group: bool = False) -> list[BotCommand]:
    """The commands a chat's menu lists; the group gets only the desk's."""
    entries: list[MenuCommand] = [] if group else list(PUBLIC_COMMANDS)
    if role in (Role.MODERATOR, Role.ADMIN) or group:
        entries += DESK_COMMANDS
    if role in (Role.BROADCASTER, Role.ADMIN) and not group:
        entries += BROADCAST_COMMANDS
    if role is Role.ADMIN and not group:
        entries += ADMIN_COMMANDS
    return [
        BotCommand(entry.name_for(t.language), t.gettext(entry.description)) for entry in entries
    ]


async def _publish(services: Services, bot: Bot, user_id: int) -> None:
    role = await services.roles.role_of(user_id)
    scope = BotCommandScopeChat(user_id)
    catalogs = services.catalogs
    t = catalogs.get(catalogs.resolve(await services.prefs.language(user_id), None))
    if role is not None:
        await bot.set_my_commands(menu_for(t, role), scope=scope)
    else:
        await bot.delete_my_commands(scope=scope)


async def refresh_staff_menu(context: VigiaContext, user_id: int) -> None:
    """After a grant or revoke: that person's menu follows their role."""
    try:
        await _publish(context.services, context.bot, user_id)
    except TelegramError as exc:
        # A user who never opened the bot has no chat to put a menu in yet.
        logger.info("staff_menu_not_published error=%s", type(exc).__name__)


async def publish_staff_menus(application: VigiaApp) -> None:
    services = application.bot_data.services
    bot = application.bot
    for user_id in await services.roles.staff_ids(Role.MODERATOR, Role.BROADCASTER):
        try:
            await _publish(services, bot, user_id)
        except TelegramError as exc:
            logger.info("staff_menu_not_published error=%s", type(exc).__name__)
    group = services.settings.moderation_chat_id
    if group is None:
        return
    t = services.catalogs.get(None)
    try:
        await bot.set_my_commands(menu_for(t, None, group=True), scope=BotCommandScopeChat(group))
    except TelegramError as exc:
        logger.info("staff_menu_not_published error=%s", type(exc).__name__)
