"""Verified release news: after a release is recorded, a one-tap broadcast draft.

Moderation calls `offer_release_broadcast(context, chat_id, case_id)` once the release
is saved. If the case is released and its publication was consented, the moderator
gets the news in both languages (name, detained since, where, released on,
conditions) with Broadcast / Discard. The draft is stored as it was shown; the tap
re-checks the presser's role and that the case is still released and public, then
sends exactly that draft to every subscriber (and the public channel, if set).
"""

from __future__ import annotations

import html
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from domain.conditions import condition_labels
from domain.i18n import Translator
from domain.vocabulary import (
    FEDERAL_ENTITIES,
    PLACES,
    CaseState,
    label_for,
)
from handlers.broadcast.access import may_send_release_news
from handlers.broadcast.launch import launch_broadcast
from handlers.context import VigiaContext
from storage.broadcasts import Broadcast, BroadcastState
from storage.cases import Case

logger = logging.getLogger(__name__)


def is_public_release(case: Case | None) -> bool:
    return (
        case is not None
        and case.state is CaseState.RELEASED
        and case.publish_consent
        and case.merged_into is None
    )


def news_text(t: Translator, case: Case) -> str:
    """The broadcast itself, in one language: what every subscriber reads."""
    _ = t.gettext
    lines = [
        _("🕊️ <b>Verified release</b>"),
        _("<b>Name:</b> {name}").format(name=html.escape(case.person_name)),
    ]
    if case.detained_on is not None:
        lines.append(_("<b>Detained since:</b> {date}").format(date=t.date(case.detained_on)))
    where = _where(t, case)
    if where:
        lines.append(_("<b>Where:</b> {place}").format(place=where))
    if case.released_on is not None:
        lines.append(_("<b>Released on:</b> {date}").format(date=t.date(case.released_on)))
    conditions = condition_labels(t, case.release_conditions, case.presentation_days)
    if conditions:
        lines.append(_("<b>Conditions:</b> {conditions}").format(conditions="; ".join(conditions)))
    lines.append("")
    lines.append(_("Verified case by case by the organisation."))
    return "\n".join(lines)


def _where(t: Translator, case: Case) -> str | None:
    parts: list[str] = []
    if case.place == "other" and case.place_other:
        parts.append(html.escape(case.place_other))
    elif case.place not in (None, "unknown", "other"):
        label = label_for(PLACES, case.place)
        if label:
            parts.append(t.gettext(label))
    entity = label_for(FEDERAL_ENTITIES, case.federal_entity)
    if entity:
        parts.append(t.gettext(entity))
    return ", ".join(parts) or None


def offer_text(t: Translator, draft: Broadcast, case_id: int) -> str:
    _ = t.gettext
    return "\n".join(
        [
            _("📣 <b>Release news ready</b> (case {tag})").format(tag=f"C{case_id}"),
            _(
                "The reporter agreed to publication. Nothing is sent until you tap "
                "Broadcast; each subscriber gets it in their language."
            ),
            "",
            _("<b>In Spanish:</b>"),
            draft.text_es,
            "",
            _("<b>In English:</b>"),
            draft.text_en or draft.text_es,
        ]
    )


async def offer_release_broadcast(
    context: VigiaContext, chat_id: int, case_id: int, language: str | None = None
) -> None:
    """Offer the moderator in `chat_id` a one-tap broadcast of this verified release.

    Does nothing (and logs why) unless the case is released, unmerged and public.
    `language` is the moderator's own, when the caller knows it (private chats).
    """
    services = context.services
    case = await services.cases.get(case_id)
    if not is_public_release(case) or case is None:
        logger.info("release_news_not_offered case=%d", case_id)
        return
    spanish, english = services.catalogs.get("es"), services.catalogs.get("en")
    draft_id = await services.broadcasts.create_draft(
        sender_id=None,
        sender_chat_id=chat_id,
        sender_language=services.settings.default_language,
        text_es=news_text(spanish, case),
        text_en=news_text(english, case),
        to_channel=services.settings.channel_id is not None,
        case_id=case_id,
    )
    draft = await services.broadcasts.get(draft_id)
    if draft is None:
        return
    t = services.catalogs.get(draft.sender_language)
    if language is None and chat_id > 0:
        language = await services.prefs.language(chat_id)
    if language is not None:
        t = services.catalogs.get(language)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("📣 Broadcast"), callback_data=f"bc:rn:go:{draft_id}"
                ),
                InlineKeyboardButton(t.gettext("🗑 Discard"), callback_data=f"bc:rn:no:{draft_id}"),
            ]
        ]
    )
    await context.bot.send_message(chat_id, offer_text(t, draft, case_id), reply_markup=keyboard)
    logger.info("release_news_offered case=%d broadcast=%d", case_id, draft_id)


async def _pressed(update: Update, context: VigiaContext) -> Broadcast | None:
    """The release draft a button names, if the presser may act and it is still open."""
    query = update.callback_query
    if query is None or query.data is None:
        return None
    t = await context.translator(update)
    if not await may_send_release_news(context, query.from_user.id):
        await query.answer(t.gettext("This command is not available."), show_alert=True)
        return None
    draft_id = query.data.rsplit(":", 1)[-1]
    draft = await context.services.broadcasts.get(int(draft_id)) if draft_id.isdigit() else None
    if draft is None or draft.state is not BroadcastState.DRAFT or draft.case_id is None:
        await query.answer(t.gettext("This button is no longer active."), show_alert=True)
        return None
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(None)
    return draft


async def send_news(update: Update, context: VigiaContext) -> None:
    draft = await _pressed(update, context)
    chat = update.effective_chat
    if draft is None or draft.case_id is None or chat is None:
        return
    services = context.services
    if not is_public_release(await services.cases.get(draft.case_id)):
        await services.broadcasts.cancel(draft.id)
        t = await context.translator(update)
        await context.bot.send_message(
            chat.id,
            t.gettext(
                "Not sent: the case is no longer recorded as released, or its publication "
                "is no longer consented."
            ),
        )
        return
    await launch_broadcast(update, context, draft)


async def discard_news(update: Update, context: VigiaContext) -> None:
    draft = await _pressed(update, context)
    chat = update.effective_chat
    if draft is None or chat is None:
        return
    await context.services.broadcasts.cancel(draft.id)
    t = await context.translator(update)
    await context.bot.send_message(chat.id, t.gettext("Discarded: nothing was sent."))


def build_handlers() -> list[BaseHandler[Update, VigiaContext, Any]]:
    return [
        CallbackQueryHandler(send_news, pattern=r"^bc:rn:go:\d+$"),
        CallbackQueryHandler(discard_news, pattern=r"^bc:rn:no:\d+$"),
    ]
