"""Who may broadcast, checked at every step against the acting user, never the chat."""

from __future__ import annotations

from handlers.context import VigiaContext
from storage.roles import Role


async def may_broadcast(context: VigiaContext, user_id: int) -> bool:
    return await context.services.roles.has_any(user_id, Role.BROADCASTER)


async def may_send_release_news(context: VigiaContext, user_id: int) -> bool:
    """The moderator who recorded the release sends its news with one tap."""
    return await context.services.roles.has_any(user_id, Role.MODERATOR, Role.BROADCASTER)


async def is_admin(context: VigiaContext, user_id: int) -> bool:
    return await context.services.roles.has_any(user_id)
