"""Sending a message whose inline keyboard is written as plain rows.

Handlers describe keyboards as rows of (label, callback data) and send through PTB's
typed `Bot.send_message`, like the rest of the ecosystem, so the application's
defaults, the rate limiter and the tracking for /wipe apply as to every other call.
A raw `sendMessage` that skipped building the keyboard's objects and parsing
Telegram's echo used to stand here; measured with and without in the same run
(`python -m bench --only bypasses`), it saved no time a family could notice.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

# (label, callback data) of one inline button.
Button = tuple[str, str]
Rows = Sequence[Sequence[Button]]


def keyboard_markup(rows: Rows) -> InlineKeyboardMarkup:
    """The keyboard as PTB objects; empty rows are left out."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in rows
            if row
        ]
    )


async def send_text(bot: Bot, chat_id: int, text: str, *, rows: Rows | None = None) -> int:
    """Send `text` (with an inline keyboard, if any rows); the new message's id."""
    markup = keyboard_markup(rows) if rows else None
    message = await bot.send_message(chat_id, text, reply_markup=markup)
    return message.message_id
