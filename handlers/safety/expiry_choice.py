"""The chat's expiry in /privacidad: 1 hour, the default, 46 hours, or keep the chat.

Keeping the chat asks once more, in plain words, because after 48 hours Telegram no
longer lets the bot delete anything in it. The screen also says how many messages the
bot could not delete, how to remove them, and lets the family say it did.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import InlineKeyboardButton

from domain.i18n import Translator
from handlers.context import VigiaContext
from handlers.safety.leftovers import left_text, removal_help
from storage.tracked_chats import DEFAULT_CHOICE, KEEP, ExpiryChoice

logger = logging.getLogger(__name__)

PREFIX = "safety:exp:"
SHORT_MINUTES = 60
LONG_MINUTES = 46 * 60
KEEP_ASK = "keep"
KEEP_SURE = "keep!"
CLEAR_LEFT = "left"
BACK = "back"
CHOICES = {
    str(SHORT_MINUTES): ExpiryChoice(SHORT_MINUTES),
    "default": DEFAULT_CHOICE,
    str(LONG_MINUTES): ExpiryChoice(LONG_MINUTES),
    KEEP_SURE: KEEP,
}

Buttons = list[list[InlineKeyboardButton]]


async def expiry_section(
    context: VigiaContext, chat_id: int, t: Translator
) -> tuple[list[str], Buttons]:
    """The lines and buttons of the expiry part of the privacy screen."""
    _ = t.gettext
    expiry = context.services.expiry
    choice = await expiry.chats.choice(chat_id)
    default = await expiry.default_for(chat_id)
    current = await expiry.expiry_of(chat_id, choice)
    if current is None:
        lines = [
            _(
                "<b>Your messages</b>: you chose to keep this chat. After 48 hours I can no "
                "longer delete anything in it: anyone who opens Telegram on this phone can "
                "read it."
            )
        ]
    else:
        lines = [
            _(
                "<b>Your messages</b> (yours and mine) disappear from this chat "
                "{expiry} after they were sent."
            ).format(expiry=t.duration(current))
        ]
    left = await expiry.chats.left_count(chat_id)
    if left:
        lines.append(f"{left_text(t, left)}\n{removal_help(t)}")

    def mark(label: str, chosen: bool) -> str:
        return f"✓ {label}" if chosen else label

    rows: Buttons = [
        [
            InlineKeyboardButton(
                mark(t.duration(dt.timedelta(minutes=SHORT_MINUTES)), choice == CHOICES["60"]),
                callback_data=f"{PREFIX}{SHORT_MINUTES}",
            ),
            InlineKeyboardButton(
                mark(
                    _("{expiry} (usual)").format(expiry=t.duration(default)),
                    choice.is_default,
                ),
                callback_data=f"{PREFIX}default",
            ),
            InlineKeyboardButton(
                mark(
                    t.duration(dt.timedelta(minutes=LONG_MINUTES)),
                    choice == CHOICES[str(LONG_MINUTES)],
                ),
                callback_data=f"{PREFIX}{LONG_MINUTES}",
            ),
        ],
        [
            InlineKeyboardButton(
                mark(_("Keep my chat"), choice.keep), callback_data=f"{PREFIX}{KEEP_ASK}"
            )
        ],
    ]
    if left:
        rows.append(
            [
                InlineKeyboardButton(
                    _("✅ I have deleted them on my phone"), callback_data=f"{PREFIX}{CLEAR_LEFT}"
                )
            ]
        )
    return lines, rows


def keep_warning(t: Translator) -> tuple[str, Buttons]:
    """The plain warning before a family keeps its chat."""
    _ = t.gettext
    text = _(
        "<b>Keep this chat?</b>\n\n"
        "Then I will not delete your messages or mine. After 48 hours Telegram no longer "
        "lets me delete anything in this chat, even if you ask me later: everything you "
        "wrote here (names, places, your receipt code) stays readable by anyone who "
        "opens Telegram on this phone, until you delete the chat yourself."
    )
    rows = [
        [InlineKeyboardButton(_("Yes, keep my chat"), callback_data=f"{PREFIX}{KEEP_SURE}")],
        [InlineKeyboardButton(_("No, go back"), callback_data=f"{PREFIX}{BACK}")],
    ]
    return text, rows


async def apply_choice(context: VigiaContext, chat_id: int, action: str) -> str | None:
    """Carry out a press of the expiry part; the kind of change, or None if invalid."""
    expiry = context.services.expiry
    if action == BACK:
        return BACK
    if action == CLEAR_LEFT:
        await expiry.chats.clear_left(chat_id)
        logger.info("chat_leftovers_cleared")
        return CLEAR_LEFT
    choice = CHOICES.get(action)
    if choice is None:
        return None
    await expiry.chats.set_choice(chat_id, choice)
    logger.info("chat_expiry_chosen minutes=%s keep=%s", choice.minutes or "default", choice.keep)
    return action
