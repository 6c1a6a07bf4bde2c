"""`/pin`: the family PIN, the duress PIN and the lockout after 10 wrong PINs.

A chat without a PIN is asked for one at once; a chat with one first proves it is
the family (the PIN or a receipt code, `handlers.owner_gate`), then gets the
settings. Every PIN is typed twice, and every typed message is deleted as soon as it
is read. The steps are prompts (`storage.prompts`, kind `pin`), so the chat expiry
leaves a chat alone while it is typing one.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from domain.i18n import Translator
from domain.pins import PinProblem, normalise_pin, pin_problem
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.owner.unlink import discard_typed
from handlers.owner_gate import may_show
from storage.prompts import PromptKind
from storage.secrets import PinMatch

logger = logging.getLogger(__name__)

PIN_PROMPT_LIFETIME = dt.timedelta(minutes=10)
PREFIX = "pin:"
NEW, CONFIRM, DURESS_NEW, DURESS_CONFIRM = "new", "confirm", "duress_new", "duress_confirm"


def ask_text(t: Translator, step: str) -> str:
    _ = t.gettext
    if step == NEW:
        return _(
            "🔑 Choose a PIN of 4 to 8 digits and send it. It will open your reports and "
            "their news in this chat; keep it in your head, not on the phone. I delete "
            "your message as soon as I have read it. Send /cancel to stop."
        )
    if step == DURESS_NEW:
        return _(
            "🔑 Choose a duress PIN: 4 to 8 digits, different from your PIN. If someone "
            "forces you to open your reports, give this one: I will show a chat without "
            "reports and quietly unlink this phone from yours. Send /cancel to stop."
        )
    return _("Send the same digits once more, to confirm them.")


async def ask_step(context: VigiaContext, chat_id: int, t: Translator, step: str) -> None:
    await context.services.prompts.open(chat_id, PromptKind.PIN, PIN_PROMPT_LIFETIME, target=step)
    await context.bot.send_message(chat_id, ask_text(t, step))


def menu_text(t: Translator, has_duress: bool, lockout: bool) -> str:
    _ = t.gettext
    return "\n\n".join(
        [
            _("🔑 <b>PIN</b>\nYour PIN is set: it opens your reports and their news here."),
            _("Duress PIN: <b>set</b>.") if has_duress else _("Duress PIN: <b>none</b>."),
            _(
                "Lockout: <b>on</b>. After 10 wrong PINs in a row I quietly unlink this "
                "phone from your reports."
            )
            if lockout
            else _(
                "Lockout: <b>off</b>. You can choose that 10 wrong PINs in a row quietly "
                "unlink this phone from your reports."
            ),
            _(
                "Without this phone your reports stay with the organisation; a receipt "
                "code still shows their state with /estado."
            ),
        ]
    )


def menu_keyboard(t: Translator, has_duress: bool, lockout: bool) -> InlineKeyboardMarkup:
    _ = t.gettext
    rows = [
        [InlineKeyboardButton(_("Change the PIN"), callback_data=f"{PREFIX}change")],
        [
            InlineKeyboardButton(_("Remove the duress PIN"), callback_data=f"{PREFIX}duress_off")
            if has_duress
            else InlineKeyboardButton(_("Set a duress PIN"), callback_data=f"{PREFIX}duress")
        ],
        [
            InlineKeyboardButton(_("Turn the lockout off"), callback_data=f"{PREFIX}lock_off")
            if lockout
            else InlineKeyboardButton(_("Turn the lockout on"), callback_data=f"{PREFIX}lock_on")
        ],
        [InlineKeyboardButton(_("Remove the PIN"), callback_data=f"{PREFIX}remove")],
    ]
    return InlineKeyboardMarkup(rows)


async def send_pin_menu(context: VigiaContext, chat_id: int, t: Translator) -> None:
    """The settings, or the first PIN for a chat without one."""
    state = await context.services.gate.secrets.state(chat_id)
    if not state.has_pin:
        await ask_step(context, chat_id, t, NEW)
        return
    await context.bot.send_message(
        chat_id,
        menu_text(t, state.has_duress, state.lockout),
        reply_markup=menu_keyboard(t, state.has_duress, state.lockout),
    )


async def pin_command(update: Update, context: VigiaContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    t = await context.translator(update)
    if context.args and update.effective_message is not None:
        # `/pin 4817`: digits typed after the command are a PIN left in the chat.
        await discard_typed(context, update.effective_message)
    await _open_settings(context, chat.id, t)


async def _open_settings(context: VigiaContext, chat_id: int, t: Translator) -> None:
    state = await context.services.gate.secrets.state(chat_id)
    if state.has_pin and not await may_show(context, chat_id, t, "pin"):
        return
    await send_pin_menu(context, chat_id, t)


async def pin_button(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    chat = update.effective_chat
    if query is None or query.data is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    await query.answer()
    t = await context.translator(update)
    action = "set" if query.data == "menu:pin" else query.data.removeprefix(PREFIX)
    gate = context.services.gate
    state = await gate.secrets.state(chat.id)
    if action == "set" or not state.has_pin:
        await _open_settings(context, chat.id, t)
        return
    # Every change needs a fresh proof: the PIN or a receipt code, minutes ago.
    if not gate.is_open(chat.id):
        await may_show(context, chat.id, t, "pin")
        return
    if action == "change":
        await ask_step(context, chat.id, t, NEW)
        return
    if action == "duress":
        await ask_step(context, chat.id, t, DURESS_NEW)
        return
    if action == "duress_off":
        await gate.secrets.set_duress(chat.id, None)
    elif action in ("lock_on", "lock_off"):
        await gate.secrets.set_lockout(chat.id, action == "lock_on")
    elif action == "remove":
        await gate.secrets.remove_pins(chat.id)
        logger.info("pin_removed")
        await query.edit_message_text(
            t.gettext(
                "Done: no PIN. Your receipt codes still open your reports here. /pin sets "
                "a new one."
            )
        )
        return
    else:
        return
    logger.info("pin_setting_changed action=%s", action)
    state = await gate.secrets.state(chat.id)
    await query.edit_message_text(
        menu_text(t, state.has_duress, state.lockout),
        reply_markup=menu_keyboard(t, state.has_duress, state.lockout),
    )


def _problem_text(t: Translator, problem: PinProblem) -> str:
    if problem is PinProblem.SHAPE:
        return t.gettext("A PIN is 4 to 8 digits. Please send one, or /cancel to stop.")
    return t.gettext(
        "That one is too easy to guess (one digit repeated, or a run like 1234). Please "
        "choose another."
    )


async def answer_step(update: Update, context: VigiaContext, step: str | None) -> None:
    """One typed PIN of a /pin step; its message is deleted before anything else."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or message.text is None:
        return
    services = context.services
    gate, prompts = services.gate, services.prompts
    t = await context.translator(update)
    await discard_typed(context, message)
    state = await gate.secrets.state(chat.id)
    if state.has_pin and not gate.is_open(chat.id):
        # Too long since the proof: it is asked again before any change.
        await prompts.close(chat.id)
        await may_show(context, chat.id, t, "pin")
        return
    text = message.text
    duress = step in (DURESS_NEW, DURESS_CONFIRM)
    if step in (NEW, DURESS_NEW):
        problem = pin_problem(text)
        if problem is not None:
            await context.bot.send_message(chat.id, _problem_text(t, problem))
            return
        if await gate.secrets.match(chat.id, text) is not PinMatch.NONE:
            await context.bot.send_message(
                chat.id,
                t.gettext("The PIN and the duress PIN must be different. Please choose another."),
            )
            return
        await gate.secrets.hold_pending(chat.id, text)
        await ask_step(context, chat.id, t, DURESS_CONFIRM if duress else CONFIRM)
        return
    pin = normalise_pin(text)
    if pin is None or not await gate.secrets.take_pending(chat.id, text):
        await context.bot.send_message(chat.id, t.gettext("The two did not match."))
        await ask_step(context, chat.id, t, DURESS_NEW if duress else NEW)
        return
    await prompts.close(chat.id)
    if duress:
        await gate.secrets.set_duress(chat.id, pin)
    else:
        await gate.secrets.set_pin(chat.id, pin)
    gate.open(chat.id)
    logger.info("pin_saved duress=%s", duress)
    await context.bot.send_message(
        chat.id,
        t.gettext("✅ Duress PIN saved.") if duress else t.gettext("✅ PIN saved."),
    )
    await send_pin_menu(context, chat.id, t)


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        CommandHandler(aliases("pin", "pin"), pin_command, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(pin_button, pattern=rf"^{PREFIX}"),
        CallbackQueryHandler(pin_button, pattern=r"^menu:pin$"),
    ]
