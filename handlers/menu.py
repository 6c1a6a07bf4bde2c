"""The main menu: an inline keyboard each feature adds its entry to."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, Translator


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
