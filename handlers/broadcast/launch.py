"""Starting a confirmed broadcast: recipients, the progress message, then the outbox.

Shared by the composed broadcast's Send button and the release news' one-tap button.
The progress message is sent before the broadcast starts so the worker can edit it
from its first batch; the start itself is one transaction guarded by the draft state.
"""

from __future__ import annotations

import logging

from telegram import Update

from handlers.broadcast.progress import progress_text
from handlers.broadcast.recipients import recipients_for
from handlers.context import VigiaContext
from storage.broadcasts import Broadcast
from storage.outbox import DeliveryCounts

logger = logging.getLogger(__name__)


async def launch_broadcast(update: Update, context: VigiaContext, draft: Broadcast) -> bool:
    """Queue the draft for everyone; False (and the sender told why) when nothing started."""
    chat = update.effective_chat
    if chat is None:
        return False
    services = context.services
    t = await context.translator(update)
    recipients = await recipients_for(services, to_channel=draft.to_channel)
    if not recipients:
        await services.broadcasts.cancel(draft.id)
        await context.bot.send_message(
            chat.id, t.gettext("Nobody is subscribed yet: nothing was sent.")
        )
        return False
    total = len(recipients)
    progress = await context.bot.send_message(
        chat.id, progress_text(t, draft.id, DeliveryCounts(total=total, remaining=total), None)
    )
    started = await services.broadcasts.start(
        draft.id,
        recipients,
        sender_language=t.language,
        progress_message_id=progress.message_id,
    )
    if not started:
        await progress.edit_text(t.gettext("This broadcast was already sent or cancelled."))
        return False
    logger.info("broadcast_started broadcast=%d recipients=%d", draft.id, total)
    return True
