"""Who a broadcast goes to: every subscriber in their language, and the channel if asked."""

from __future__ import annotations

from dataclasses import dataclass

from services.container import Services
from storage.outbox import Recipient


@dataclass(frozen=True, slots=True)
class Audience:
    total: int
    english: int


async def audience(services: Services) -> Audience:
    by_language = await services.subscribers.count_by_language()
    return Audience(total=sum(by_language.values()), english=by_language.get("en", 0))


async def recipients_for(services: Services, *, to_channel: bool) -> list[Recipient]:
    """A snapshot of the subscribers; the public channel first, so the public sees it first."""
    recipients: list[Recipient] = []
    channel = services.settings.channel_id
    if to_channel and channel is not None:
        recipients.append(Recipient(channel, services.settings.default_language))
    recipients.extend(
        [
            Recipient(subscriber.chat_id, subscriber.language)
            async for subscriber in services.subscribers.iterate()
        ]
    )
    return recipients
