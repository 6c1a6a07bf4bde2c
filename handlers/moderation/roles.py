"""/grant, /revoke and /mods: admins decide who works the desk, and see who else is
in the moderation group.

Bootstrap admins come from ADMIN_IDS and cannot be revoked here. Each grant and
revoke is audited in the same transaction, with the target as a keyed hash (the
audit trail holds no Telegram ids).
"""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from domain.i18n import N_, Translator
from domain.user_ids import parse_user_id
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.moderation.access import ADMIN_ONLY, require
from handlers.moderation.menu import refresh_staff_menu
from handlers.moderation.replies import send
from services.container import Services
from storage.clock import from_iso
from storage.roles import Role

logger = logging.getLogger(__name__)

ROLE_NAMES = {
    "moderator": Role.MODERATOR,
    "moderador": Role.MODERATOR,
    "broadcaster": Role.BROADCASTER,
    "difusor": Role.BROADCASTER,
    "admin": Role.ADMIN,
    "administrador": Role.ADMIN,
}
ROLE_LABELS = {
    Role.MODERATOR: N_("moderator"),
    Role.BROADCASTER: N_("broadcaster"),
    Role.ADMIN: N_("admin"),
}


def role_label(t: Translator, role: Role) -> str:
    return t.gettext(ROLE_LABELS[role])


async def grant_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *ADMIN_ONLY)
    if actor is None:
        return
    t = actor.t
    args = list(context.args or [])
    user_id = parse_user_id(args[0]) if len(args) == 2 else None
    role = ROLE_NAMES.get(args[1].strip().lower()) if len(args) == 2 else None
    if user_id is None or role is None:
        await send(
            update,
            t.gettext(
                "Usage: /grant USER_ID ROLE — ROLE is moderator, broadcaster or admin. "
                "The person finds their user id with @userinfobot."
            ),
        )
        return
    services = context.services
    before = await services.roles.role_of(user_id)
    async with services.db.transaction() as conn:
        await services.roles.grant(user_id, role, actor.user_id, conn)
        await services.audit.append(
            conn,
            actor_id=actor.user_id,
            action="grant",
            target_type="role",
            target_id=None,
            state_before=before.value if before else None,
            state_after=role.value,
            details={"user": services.audit.actor_key(user_id)},
        )
    # A role holder is no stranger in the moderation group.
    await services.members.gone(user_id)
    logger.info("role_granted role=%s", role.value)
    await refresh_staff_menu(context, user_id)
    await send(
        update,
        t.gettext("Done: user {user} is now {role}.").format(
            user=user_id, role=role_label(t, role)
        ),
    )


async def revoke_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *ADMIN_ONLY)
    if actor is None:
        return
    t = actor.t
    args = list(context.args or [])
    user_id = parse_user_id(args[0]) if len(args) == 1 else None
    if user_id is None:
        await send(update, t.gettext("Usage: /revoke USER_ID — removes the person's role."))
        return
    services = context.services
    if services.roles.is_bootstrap(user_id):
        await send(
            update,
            t.gettext("That user is an admin from ADMIN_IDS; only the settings can change it."),
        )
        return
    before = await services.roles.role_of(user_id)
    async with services.db.transaction() as conn:
        removed = await services.roles.revoke(user_id, conn)
        if removed:
            await services.audit.append(
                conn,
                actor_id=actor.user_id,
                action="revoke",
                target_type="role",
                target_id=None,
                state_before=before.value if before else None,
                state_after=None,
                details={"user": services.audit.actor_key(user_id)},
            )
    if not removed:
        await send(update, t.gettext("That user had no role."))
        return
    logger.info("role_revoked")
    await refresh_staff_menu(context, user_id)
    await send(update, t.gettext("Done: user {user} no longer has a role.").format(user=user_id))


async def mods_command(update: Update, context: VigiaContext) -> None:
    actor = await require(update, context, *ADMIN_ONLY)
    if actor is None:
        return
    t = actor.t
    services = context.services
    lines = [t.gettext("<b>Team</b>")]
    for admin_id in services.settings.admin_ids:
        lines.append(
            t.gettext("• {user} · {role} (from ADMIN_IDS)").format(
                user=admin_id, role=role_label(t, Role.ADMIN)
            )
        )
    for grant in await services.roles.granted():
        lines.append(
            t.gettext("• {user} · {role} · since {date}").format(
                user=grant.user_id,
                role=role_label(t, grant.role),
                date=t.date(from_iso(grant.granted_at).date(), "medium"),
            )
        )
    if services.settings.moderation_chat_id is not None:
        lines += ["", *await _strangers(t, services)]
    await send(update, "\n".join(lines))


async def _strangers(t: Translator, services: Services) -> list[str]:
    """Members seen in the moderation group without a role (handlers/moderation/members)."""
    seen = await services.members.all()
    if not seen:
        return [t.gettext("Nobody without a role has been seen in the moderation group.")]
    lines = [t.gettext("<b>In the moderation group without a role</b>")]
    for member in seen:
        lines.append(
            t.gettext("• {name} · {user} · seen {date}").format(
                name=escape(member.name or "—"),
                user=member.user_id,
                date=t.date(from_iso(member.seen_at).date(), "medium"),
            )
        )
    lines.append(t.gettext("Remove whoever you do not know from the group, or give them a role."))
    return lines


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        CommandHandler(aliases("otorgar", "grant"), grant_command),
        CommandHandler(aliases("revocar", "revoke"), revoke_command),
        CommandHandler(aliases("equipo", "mods"), mods_command),
    ]
