"""The preview of a composed broadcast, exactly as subscribers will see it, and its summary.

Each language's text is sent as its own message with the same formatting and
protection subscribers get, then a summary (how many subscribers, in which language,
whether the channel gets it) with Send / Cancel and the channel toggle.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from domain.i18n import Translator
from handlers.broadcast.recipients import audience
from handlers.context import VigiaContext
from storage.broadcasts import Broadcast


async def send_preview(update: Update, context: VigiaContext, draft_id: int) -> bool:
    chat = update.effective_chat
    draft = await context.services.broadcasts.get(draft_id)
    if chat is None or draft is None:
        return False
    t = await context.translator(update)
    _ = t.gettext
    bot = context.bot
    await bot.send_message(chat.id, _("Preview. Subscribers who use Spanish will receive:"))
    await bot.send_message(chat.id, draft.text_es)
    if draft.text_en:
        await bot.send_message(chat.id, _("Subscribers who use English will receive:"))
        await bot.send_message(chat.id, draft.text_en)
    else:
        await bot.send_message(chat.id, _("There is no English text: everyone receives Spanish."))
    await _send_summary(update, context, draft)
    return True


async def _send_summary(update: Update, context: VigiaContext, draft: Broadcast) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    t = await context.translator(update)
    has_channel = context.services.settings.channel_id is not None
    await context.bot.send_message(
        chat.id,
        await summary_text(t, context, draft),
        reply_markup=summary_keyboard(t, draft, has_channel=has_channel),
    )


async def summary_text(t: Translator, context: VigiaContext, draft: Broadcast) -> str:
    _ = t.gettext
    crowd = await audience(context.services)
    english = crowd.english if draft.text_en else 0
    lines = [
        t.ngettext(
            "It will go to {count} subscriber ({spanish} in Spanish, {english} in English).",
            "It will go to {count} subscribers ({spanish} in Spanish, {english} in English).",
            crowd.total,
        ).format(
            count=t.number(crowd.total),
            spanish=t.number(crowd.total - english),
            english=t.number(english),
        )
    ]
    if context.services.settings.channel_id is not None:
        lines.append(
            _("It will also be posted in the public channel.")
            if draft.to_channel
            else _("It will not be posted in the public channel.")
        )
    lines.append(_("It cannot be forwarded or saved. Send it?"))
    return "\n".join(lines)


def summary_keyboard(
    t: Translator, draft: Broadcast, *, has_channel: bool
) -> InlineKeyboardMarkup:
    _ = t.gettext
    rows = [
        [
            InlineKeyboardButton(_("✅ Send"), callback_data=f"bc:go:{draft.id}"),
            InlineKeyboardButton(_("✖️ Cancel"), callback_data=f"bc:no:{draft.id}"),
        ]
    ]
    if has_channel:
        label = (
            _("Don't post in the channel") if draft.to_channel else _("Also post in the channel")
        )
        rows.append([InlineKeyboardButton(label, callback_data=f"bc:ch:{draft.id}")])
    return InlineKeyboardMarkup(rows)
