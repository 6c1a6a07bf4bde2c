"""One-line answers many handlers give: a catalog text, in the user's language.

Texts are passed as msgids (marked with `N_` where they are written) and translated
here, so the same answer reads the same wherever it is given.
"""

from __future__ import annotations

from telegram import Update

from bot.context import VigiaContext
from bot.i18n import N_


async def reply(update: Update, context: VigiaContext, text: str) -> None:
    """Answer the message being handled with `text`; nothing if there is none."""
    message = update.effective_message
    if message is None:
        return
    t = await context.translator(update)
    await message.reply_text(t.gettext(text))


async def alert(update: Update, context: VigiaContext, text: str) -> None:
    """Answer the button being handled with `text` as an alert; nothing if there is none."""
    query = update.callback_query
    if query is None:
        return
    t = await context.translator(update)
    await query.answer(t.gettext(text), show_alert=True)


async def not_available(update: Update, context: VigiaContext) -> None:
    """The same neutral answer as every other staff command gives a stranger."""
    await reply(update, context, N_("This command is not available."))


async def stale_button(update: Update, context: VigiaContext) -> None:
    """A button whose draft or file has moved on: a kind alert, and nothing done."""
    await alert(update, context, N_("This button is no longer active."))
