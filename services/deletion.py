"""Deleting messages of one private chat in batches, telling deleted from refused.

`deleteMessages` takes up to 100 ids and skips ids that no longer exist, but Telegram
refuses the whole call ("message can't be deleted") when one of them is past the 48
hours in which a bot may delete it. A refused batch is therefore split in halves until
the refused ids are found: the rest are still deleted, and the refused ones are
counted, never reported as deleted. Callers leave out ids they already know to be too
old, so a split is rare (a clock that differs from Telegram's by a few minutes).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

logger = logging.getLogger(__name__)

DELETE_BATCH = 100  # deleteMessages takes at most 100 ids
_REFUSED = "message can't be deleted"


@dataclass(slots=True)
class Deletion:
    """What became of the ids: deleted, refused for good, or to try again later."""

    deleted: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    calls: int = 0
    # No more calls to this chat now: the user blocked the bot, or Telegram asked the
    # bot to slow down (`throttled`: no more calls to any chat in this pass).
    stop: bool = False
    throttled: bool = False


async def delete_messages(bot: Bot, chat_id: int, message_ids: Sequence[int]) -> Deletion:
    """Delete `message_ids` of a private chat, 100 a call; never raises a Telegram error."""
    outcome = Deletion()
    ids = sorted(set(message_ids))
    for start in range(0, len(ids), DELETE_BATCH):
        if outcome.stop:
            outcome.failed.extend(ids[start:])
            break
        await _delete_batch(bot, chat_id, ids[start : start + DELETE_BATCH], outcome)
    return outcome


async def _delete_batch(bot: Bot, chat_id: int, batch: list[int], outcome: Deletion) -> None:
    outcome.calls += 1
    try:
        await bot.delete_messages(chat_id, batch)
    except BadRequest as exc:
        if _REFUSED not in exc.message.lower():
            logger.warning("delete_batch_failed error=BadRequest size=%d", len(batch))
            outcome.failed.extend(batch)
            return
        if len(batch) == 1:
            outcome.refused.extend(batch)
            return
        half = len(batch) // 2
        await _delete_batch(bot, chat_id, batch[:half], outcome)
        if outcome.stop:
            outcome.failed.extend(batch[half:])
            return
        await _delete_batch(bot, chat_id, batch[half:], outcome)
    except (RetryAfter, Forbidden) as exc:
        # Over the budget even after the rate limiter's retries, or the user blocked
        # the bot: these ids wait for a later pass (within 48 hours, or they are counted).
        logger.warning("delete_batch_failed error=%s size=%d", type(exc).__name__, len(batch))
        outcome.failed.extend(batch)
        outcome.stop = True
        outcome.throttled = isinstance(exc, RetryAfter)
    except TelegramError as exc:
        logger.warning("delete_batch_failed error=%s size=%d", type(exc).__name__, len(batch))
        outcome.failed.extend(batch)
    else:
        outcome.deleted.extend(batch)
