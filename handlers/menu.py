"""The main menu: an inline keyboard each feature adds its entry to."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from domain.i18n import N_, Translator


@dataclass(frozen=True, slots=True)
class MenuEntry:
    label: str
    callback_data: str


# Order is the order on screen, two buttons a row; each feature's handlers answer
# their own `menu:` callback.
MAIN_MENU: tuple[MenuEntry, ...] = (
    MenuEntry(N_("📝 Report a detention"), "menu:report"),
    MenuEntry(N_("🔓 Report a release"), "menu:release"),
    MenuEntry(N_("📰 News on a report"), "menu:news"),
    MenuEntry(N_("🔎 How is my report going?"), "menu:status"),
    MenuEntry(N_("📂 My reports"), "menu:myreports"),
    MenuEntry(N_("🔔 Release updates"), "menu:subscribe"),
    MenuEntry(N_("📊 Verified figures"), "menu:figures"),
    MenuEntry(N_("🔒 Privacy"), "menu:privacy"),
    MenuEntry(N_("🔑 PIN"), "menu:pin"),
    MenuEntry(N_("🌐 Language"), "menu:language"),
    MenuEntry(N_("❓ Help"), "menu:help"),
)


def main_menu_keyboard(t: Translator) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(t.gettext(entry.label), callback_data=entry.callback_data)
        for entry in MAIN_MENU
    ]
    rows = [buttons[index : index + 2] for index in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup(rows)


async def private_menu_chat(update: Update) -> int | None:
    """Acknowledge a menu press; the chat to answer in, only if it is a private one.

    A user's own reports and subscription never show in a group, even when a menu
    is pressed there.
    """
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None:
        return None
    await query.answer()
    if chat.type != ChatType.PRIVATE:
        return None
    return chat.id
