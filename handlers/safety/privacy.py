"""/privacidad, /privacy: how long messages live, deletion after each report, and
withdrawing consent per report.

Buttons carry a report id, never a right: every press re-checks server-side that the
report was filed from this very chat before anything changes. The report list and
the choice of notifications with content are owner views: they show only after the
family PIN or a receipt code (`handlers.owner_gate`); the rest is for anyone.
"""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from domain.i18n import N_, Translator
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.owner_gate import OPEN_PREFIX, may_show
from handlers.safety.expiry_choice import KEEP_ASK, apply_choice, expiry_section, keep_warning
from handlers.safety.expiry_choice import PREFIX as EXPIRY_PREFIX
from storage.privacy import OwnReport

logger = logging.getLogger(__name__)

NAME_LIMIT = 60
KIND_LABELS = {
    "detention": N_("Detention"),
    "release": N_("Release"),
    "update": N_("News"),
}


def _shorten(text: str) -> str:
    return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1] + "…"


def _report_line(t: Translator, number: int, report: OwnReport) -> str:
    _ = t.gettext
    yes, no = _("yes"), _("no")
    return _(
        "{number}. {kind} of {date}: {name}\n"
        "   may be published: {publish} · may contact you: {contact}"
    ).format(
        number=number,
        kind=_(KIND_LABELS.get(report.kind, N_("News"))),
        date=t.date(report.created_at.date(), "medium"),
        name=_("About an earlier report")
        if report.from_code
        else html.escape(_shorten(report.person_name)),
        publish=yes if report.publish_consent else no,
        contact=yes if report.contact_consent else no,
    )


async def _screen(
    context: VigiaContext, chat_id: int, t: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    _ = t.gettext
    services = context.services
    auto = await services.privacy.auto_wipe(chat_id)
    owner = not await services.gate.needs_secret(chat_id)
    reports = await services.privacy.own_reports(chat_id) if owner else []
    expiry_lines, expiry_rows = await expiry_section(context, chat_id, t)
    lines = [
        _("<b>Privacy</b>"),
        *expiry_lines,
        _(
            "Automatic deletion is <b>on</b>: after each report I delete our conversation "
            "and keep only the message with your receipt code."
        )
        if auto
        else _(
            "Automatic deletion is <b>off</b>. Turn it on and after each report I will "
            "delete our conversation, keeping only the message with your receipt code."
        ),
    ]
    rows = [
        *expiry_rows,
        [
            InlineKeyboardButton(
                _("Turn automatic deletion off") if auto else _("Turn automatic deletion on"),
                callback_data="safety:priv:auto:off" if auto else "safety:priv:auto:on",
            )
        ],
    ]
    if not owner:
        lines.append(
            _(
                "Your reports and how news about them reaches you show after your PIN "
                "or one of your receipt codes."
            )
        )
        rows.append(
            [InlineKeyboardButton(_("🔑 Show my reports"), callback_data=f"{OPEN_PREFIX}privacy")]
        )
        return "\n\n".join(lines), InlineKeyboardMarkup(rows)
    full = (await services.gate.secrets.state(chat_id)).full_news
    lines.append(
        _(
            "News about your reports arrives <b>with its content</b>: whoever reads this "
            "phone can read it too."
        )
        if full
        else _(
            "News about your reports arrives <b>without content</b> («there is news»); "
            "/novedades shows it after your PIN or a receipt code."
        )
    )
    rows.append(
        [
            InlineKeyboardButton(
                _("Notifications without content")
                if full
                else _("Show the content in notifications"),
                callback_data="safety:priv:news:off" if full else "safety:priv:news:on",
            )
        ]
    )
    if reports:
        lines.append(_("<b>Your reports</b>"))
        for number, report in enumerate(reports, start=1):
            lines.append(_report_line(t, number, report))
            if report.publish_consent:
                rows.append(
                    [
                        InlineKeyboardButton(
                            _("{number}: do not publish").format(number=number),
                            callback_data=f"safety:priv:pub:{report.id}",
                        )
                    ]
                )
            if report.contact_consent:
                rows.append(
                    [
                        InlineKeyboardButton(
                            _("{number}: do not contact me").format(number=number),
                            callback_data=f"safety:priv:contact:{report.id}",
                        )
                    ]
                )
        lines.append(
            _(
                "Withdrawing consent to publish takes the name out of every public list "
                "at once; the organisation keeps your report in its own records."
            )
        )
    else:
        lines.append(_("No report is linked to this chat."))
    return "\n\n".join(lines), InlineKeyboardMarkup(rows)


async def send_privacy(context: VigiaContext, chat_id: int, t: Translator) -> None:
    """The screen as this chat may see it now (reports only once it proved its secret)."""
    text, keyboard = await _screen(context, chat_id, t)
    await context.bot.send_message(chat_id, text, reply_markup=keyboard)


async def show_privacy(update: Update, context: VigiaContext) -> None:
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    t = await context.translator(update)
    await send_privacy(context, chat.id, t)


async def show_privacy_from_menu(update: Update, context: VigiaContext) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()
    await show_privacy(update, context)


async def change_privacy(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    chat = update.effective_chat
    if query is None or query.data is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    t = await context.translator(update)
    _ = t.gettext
    privacy = context.services.privacy
    action = query.data.removeprefix("safety:priv:")
    notice: str | None = None
    if action in ("auto:on", "auto:off"):
        await privacy.set_auto_wipe(chat.id, action == "auto:on")
        logger.info("privacy_auto_wipe_set enabled=%s", action == "auto:on")
    elif action in ("news:on", "news:off"):
        # Content in notifications only for the family itself; going back is for anyone.
        if action == "news:on" and await context.services.gate.needs_secret(chat.id):
            await query.answer()
            await may_show(context, chat.id, t, "privacy")
            return
        await context.services.gate.secrets.set_full_news(chat.id, action == "news:on")
        logger.info("privacy_full_news_set enabled=%s", action == "news:on")
    else:
        kind, _sep, raw_id = action.partition(":")
        changed = False
        if raw_id.isdigit() and kind == "pub":
            changed = await privacy.withdraw_publication(chat.id, int(raw_id))
            notice = _("Done: that name will not be published.")
        elif raw_id.isdigit() and kind == "contact":
            changed = await privacy.withdraw_contact(chat.id, int(raw_id))
            notice = _("Done: the organisation will not write to you about that report.")
        if not changed:
            await query.answer(_("This button is no longer valid."), show_alert=True)
            return
        logger.info("privacy_consent_withdrawn kind=%s report=%s", kind, raw_id)
    await query.answer(notice)
    text, keyboard = await _screen(context, chat.id, t)
    await query.edit_message_text(text, reply_markup=keyboard)


async def change_expiry(update: Update, context: VigiaContext) -> None:
    """A press in the expiry part: keeping the chat is asked once more, the rest applies."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or query.data is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    t = await context.translator(update)
    action = query.data.removeprefix(EXPIRY_PREFIX)
    if action == KEEP_ASK:
        await query.answer()
        text, warning_rows = keep_warning(t)
        await query.edit_message_text(text, reply_markup=InlineKeyboardMarkup(warning_rows))
        return
    if await apply_choice(context, chat.id, action) is None:
        await query.answer(t.gettext("This button is no longer valid."), show_alert=True)
        return
    await query.answer(t.gettext("Saved."))
    text, keyboard = await _screen(context, chat.id, t)
    await query.edit_message_text(text, reply_markup=keyboard)


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        CommandHandler(
            aliases("privacidad", "privacy"), show_privacy, filters=filters.ChatType.PRIVATE
        ),
        CallbackQueryHandler(show_privacy_from_menu, pattern=r"^menu:privacy$"),
        CallbackQueryHandler(change_privacy, pattern=r"^safety:priv:"),
        CallbackQueryHandler(change_expiry, pattern=rf"^{EXPIRY_PREFIX}"),
    ]
