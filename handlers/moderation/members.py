"""Who is in the moderation group: a member without a role is an admin's business.

Group notices carry no identities (issue 14), yet every member reads which reports
come in and how urgent they are. So when someone without a role joins the group (a
`chat_member` update, which Telegram sends while the bot is an administrator there),
or first speaks in it, each admin is told privately, in their language, who it is;
/mods lists everyone seen there without a role until they leave or are given one.
Runs in group -4, after the guard has let only the moderation group's updates on.
"""

from __future__ import annotations

import logging
from html import escape

from telegram import ChatMember, ChatMemberUpdated, Update, User
from telegram.ext import BaseHandler, TypeHandler

from domain.i18n import Translator
from handlers.context import VigiaContext
from handlers.moderation.digest import staff_language
from services.container import Services
from services.staff_notices import queue_staff_texts
from storage.roles import Role

logger = logging.getLogger(__name__)

_INSIDE = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER})


async def watch(update: Update, context: VigiaContext) -> None:
    services = context.services
    chat = update.effective_chat
    group = services.settings.moderation_chat_id
    if chat is None or group is None or chat.id != group:
        return
    if update.chat_member is not None:
        await _membership_changed(context, update.chat_member)
        return
    user = update.effective_user
    if update.message is not None and user is not None and not user.is_bot:
        await _note(services, user, joined=False)


def is_inside(member: ChatMember) -> bool:
    """In the group: a member, an admin, or restricted but still a member."""
    if member.status == ChatMember.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in _INSIDE


async def _membership_changed(context: VigiaContext, change: ChatMemberUpdated) -> None:
    user = change.new_chat_member.user
    if user.id == context.bot.id:
        return
    was_inside, inside = is_inside(change.old_chat_member), is_inside(change.new_chat_member)
    if inside and not was_inside:
        await _note(context.services, user, joined=True)
    elif was_inside and not inside:
        await context.services.members.gone(user.id)
        logger.info("group_member_left")


async def _note(services: Services, user: User, *, joined: bool) -> None:
    """A role-less member: kept for /mods; the admins told on a join or a first sight."""
    if user.is_bot and not joined:
        return
    if await services.roles.has_any(user.id, Role.MODERATOR, Role.BROADCASTER):
        return
    first = await services.members.seen(user.id, user.full_name)
    if joined or first:
        await tell_admins(services, user)


def alert_text(t: Translator, user: User) -> str:
    return t.gettext(
        "👤 <b>Someone without a role is in the moderation group</b>: {name} (user id "
        "<code>{user}</code>). Every member there reads which reports arrive and how "
        "urgent they are. If you do not know them, remove them from the group; give a "
        "role with /grant. /mods lists everyone seen there without a role."
    ).format(name=escape(user.full_name), user=user.id)


async def tell_admins(services: Services, user: User) -> None:
    """Privately, through the staff lane of the outbox (it survives a restart)."""
    # Languages are read before the transaction takes the write lock.
    admins = [
        (admin_id, services.catalogs.get(await staff_language(services, admin_id)))
        for admin_id in await services.roles.staff_ids()
    ]
    await queue_staff_texts(services, admins, lambda _, t: alert_text(t, user))
    logger.info("group_member_without_role admins=%d", len(admins))


def build_member_watch() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [TypeHandler(Update, watch)]
