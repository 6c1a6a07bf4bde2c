"""/start, /help, /language and /cancel: the commands every user meets first."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from domain.deeplinks import parse_start_payload
from domain.i18n import SUPPORTED_LANGUAGES, Translator
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.menu import main_menu_keyboard
from handlers.moderation.staff_help import staff_help_text

logger = logging.getLogger(__name__)

LANGUAGE_NAMES = {"es": "Español", "en": "English"}


def welcome_text(t: Translator) -> str:
    _ = t.gettext
    return _(
        "<b>Vigía</b> receives reports of detentions and releases, checks each one "
        "case by case, and tells you how your report is going.\n\n"
        "Everything you send is kept encrypted. Choose an option:"
    )


def help_text(t: Translator, expiry: dt.timedelta | None, *, private: bool = True) -> str:
    """What the bot does, and what its safety measures do and do not protect.

    `expiry` is this chat's (None: the family keeps its chat); a group's messages
    are not the bot's to delete, so its help says nothing of them."""
    _ = t.gettext
    if not private:
        disappear = ""
    elif expiry is None:
        disappear = _(
            "• You chose to keep this chat (/privacidad): I do not delete its messages, "
            "and after 48 hours Telegram no longer lets me."
        )
    else:
        disappear = _(
            "• Every message of this chat, yours and mine, disappears {expiry} after it "
            "was sent; /privacidad or /privacy changes that. /borrar or /wipe deletes "
            "them now."
        ).format(expiry=t.duration(expiry))
    return "\n".join(
        [
            _(
                "<b>What I can do</b>\n"
                "• /reportar or /report: report a detention, a release or news about a case.\n"
                "• /estado or /status followed by your code: see how your report is going.\n"
                "• /cifras or /figures: the verified figures.\n"
                "• /suscribir or /subscribe: receive verified release updates.\n"
                "• /idioma or /language: change the language.\n"
                "• /cancelar or /cancel: stop what you are doing.\n\n"
                "<b>Your safety</b>"
            ),
            *([disappear] if disappear else []),
            _(
                "• Telegram lets me delete a message only during its first 48 hours; "
                "what is older stays until you delete the chat on your phone («Delete "
                "chat»). Telegram's chat list still shows that this chat exists.\n"
                "• My messages cannot be forwarded or saved from this phone, but anyone "
                "who opens Telegram on it while unlocked can read what is still in the "
                "chat.\n"
                "• /privacidad or /privacy also lets you withdraw consent at any time.\n"
                "• /olvidarme or /forget_me unlinks this chat from your reports."
            ),
            _(
                "• /pin sets a PIN. Your reports, their details and their news open here "
                "only with it or a receipt code, so a phone taken from you does not show "
                "them. News arrives as «there is news»: /novedades or /news shows it.\n"
                "• A duress PIN (also in /pin) shows an empty chat and quietly unlinks this "
                "phone from your reports. Unlinking cannot be undone from the phone; your "
                "receipt codes still show how your reports are going.\n"
                "• None of this hides that this chat exists, what Telegram itself keeps, "
                "or what your keyboard remembers of what you typed."
            ),
        ]
    )


async def start(update: Update, context: VigiaContext) -> None:
    """Welcome and main menu; deep links that no feature claimed land here too."""
    message = update.effective_message
    if message is None:
        return
    link = parse_start_payload(context.args)
    if link is not None:
        logger.info("start_deep_link_unclaimed kind=%s", link.kind)
    t = await context.translator(update)
    await message.reply_text(welcome_text(t), reply_markup=main_menu_keyboard(t))


async def show_help(update: Update, context: VigiaContext) -> None:
    message = update.effective_message
    if message is None:
        return
    t = await context.translator(update)
    await message.reply_text(
        await _help_for(context, t, message.chat), reply_markup=main_menu_keyboard(t)
    )
    await _staff_help(context, t, message.chat)


async def help_from_menu(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    await query.answer()
    t = await context.translator(update)
    chat = query.message.chat
    await context.bot.send_message(
        chat.id, await _help_for(context, t, chat), reply_markup=main_menu_keyboard(t)
    )
    await _staff_help(context, t, chat)


async def _help_for(context: VigiaContext, t: Translator, chat: Chat) -> str:
    if chat.type != ChatType.PRIVATE:
        return help_text(t, None, private=False)
    return help_text(t, await context.services.expiry.expiry_of(chat.id))


async def _staff_help(context: VigiaContext, t: Translator, chat: Chat) -> None:
    """Staff get their role's commands too, in a private chat only (in a private chat
    the chat's id is the user's)."""
    if chat.type != ChatType.PRIVATE:
        return
    role = await context.services.roles.role_of(chat.id)
    if role is not None:
        await context.bot.send_message(chat.id, staff_help_text(t, role))


def language_keyboard() -> InlineKeyboardMarkup:
    # Each language is named in itself, so a user lost in the wrong one finds theirs.
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(LANGUAGE_NAMES[code], callback_data=f"lang:{code}")
                for code in SUPPORTED_LANGUAGES
            ]
        ]
    )


async def ask_language(update: Update, context: VigiaContext) -> None:
    """`/language` alone offers buttons; `/language en` switches at once."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if context.args:
        choice = context.args[0].strip().lower()
        if choice in SUPPORTED_LANGUAGES:
            await _switch_language(update, context, choice)
            return
    t = await context.translator(update)
    await message.reply_text(t.gettext("Choose your language:"), reply_markup=language_keyboard())


async def ask_language_from_menu(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    await query.answer()
    t = await context.translator(update)
    await context.bot.send_message(
        query.message.chat.id,
        t.gettext("Choose your language:"),
        reply_markup=language_keyboard(),
    )


async def choose_language(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    choice = query.data.removeprefix("lang:")
    if choice not in SUPPORTED_LANGUAGES:
        await query.answer()
        return
    await query.answer()
    await _switch_language(update, context, choice)


async def _switch_language(update: Update, context: VigiaContext, language: str) -> None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    await context.services.prefs.set_language(user.id, language)
    t = context.services.catalogs.get(language)
    logger.info("language_changed language=%s", language)
    await context.bot.send_message(
        chat.id,
        t.gettext("Done: I will speak to you in English from now on."),
        reply_markup=main_menu_keyboard(t),
    )


async def cancel_outside_conversation(update: Update, context: VigiaContext) -> None:
    """Conversations handle their own /cancel; this answers when nothing is running."""
    message = update.effective_message
    if message is None:
        return
    t = await context.translator(update)
    await message.reply_text(
        t.gettext("There is nothing to cancel. What would you like to do?"),
        reply_markup=main_menu_keyboard(t),
    )


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("start", start, filters=private),
        CommandHandler(aliases("ayuda", "help"), show_help, filters=private),
        CommandHandler(aliases("idioma", "language"), ask_language, filters=private),
        CommandHandler(aliases("cancelar", "cancel"), cancel_outside_conversation, private),
        CallbackQueryHandler(choose_language, pattern=r"^lang:"),
        CallbackQueryHandler(ask_language_from_menu, pattern=r"^menu:language$"),
        CallbackQueryHandler(help_from_menu, pattern=r"^menu:help$"),
    ]
