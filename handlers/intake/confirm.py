"""Confirm: the report is committed first, and only then is its receipt code shown.

Filing is idempotent per draft (the draft token is unique in the reports table), so a
second press of Confirm, even after a crash between the commit and the next
persistence write, finds the first report instead of making another.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update

from domain.i18n import Translator
from domain.receipts import format_receipt
from domain.vocabulary import ReportKind
from handlers.context import VigiaContext
from handlers.intake.draft import Draft
from handlers.intake.flows import FLOW_BY_KIND, UNKNOWN, Flow
from handlers.intake.session import END, ask, forget, press_chat, state_for, store
from handlers.intake.special import same_person_text
from handlers.menu import main_menu_keyboard
from handlers.safety import offer_wipe_after_report
from handlers.sending import Rows, send_text
from services.staff_notices import also_notify
from storage.blocks import OverDailyCap
from storage.clock import from_iso
from storage.reports import (
    PRIORITY_NORMAL,
    PRIORITY_URGENT,
    Evidence,
    FileOutcome,
    NewReport,
)

logger = logging.getLogger(__name__)

# Answered by the status feature (handlers/status/subscribe.py).
SUBSCRIBE_CALLBACK = "sub:subscribe"
DECLINE_CALLBACK = "sub:no"


async def confirm(
    update: Update, context: VigiaContext, flow: Flow, t: Translator, draft: Draft
) -> object:
    chat_id = press_chat(update)
    services = context.services
    missing = _first_unanswered(t, draft)
    if missing is not None:
        draft.step, draft.edit_root = missing, missing
        store(context, draft)
        await ask(context, chat_id, t, draft, prefix=t.gettext("One answer is still missing:"))
        return state_for(flow, draft)
    try:
        # The moderators' notice is queued in the same transaction (issue 15): the
        # family's answer never waits for the moderation group's budget.
        filed = await services.reports.file(
            new_report(draft, chat_id, t.language),
            services.blocks.screen(chat_id),
            await also_notify(services),
        )
    except OverDailyCap:
        await context.bot.send_message(
            chat_id,
            t.gettext(
                "This chat has sent {limit} reports today, the most it can send in one day. "
                "Your answers are kept for 24 hours: please confirm again tomorrow."
            ).format(limit=t.number(services.blocks.daily_cap)),
        )
        logger.info("intake_daily_cap_reached")
        return state_for(flow, draft)
    services.outbox.wake()
    forget(context, update.effective_user.id if update.effective_user else None)
    if filed.outcome is FileOutcome.SAME_PERSON:
        await context.bot.send_message(
            chat_id, same_person_text(t), reply_markup=main_menu_keyboard(t)
        )
        return END
    if filed.outcome is FileOutcome.ALREADY_FILED:
        await context.bot.send_message(
            chat_id,
            t.gettext(
                "This report was already saved. Its receipt code is:\n<code>{code}</code>"
            ).format(code=format_receipt(filed.receipt_code)),
        )
        return END
    choice = filed.standing.expiry_choice if filed.standing else None
    expiry = await services.expiry.expiry_of(chat_id, choice)
    shown_id = await send_text(context.bot, chat_id, receipt_text(t, filed.receipt_code, expiry))
    # The family reads `t`: its language needs no lookup, nor the wipe choice.
    auto_wipe = filed.standing.auto_wipe if filed.standing else None
    await offer_wipe_after_report(context, chat_id, shown_id, t.language, auto_wipe)
    await send_text(context.bot, chat_id, subscribe_text(t), rows=subscribe_rows(t))
    return END


def receipt_text(t: Translator, code: str, expiry: dt.timedelta | None) -> str:
    """The code, where to keep it, and when this very message disappears."""
    text = t.gettext(
        "✅ <b>Your report was saved.</b>\n\nYour receipt code:\n<code>{code}</code>\n\n"
        "Write it down somewhere safe, away from this chat: it is the only way to ask "
        "about this report. To see how it is going, send:\n<code>/status {code}</code>"
    ).format(code=format_receipt(code))
    if expiry is None:
        return text
    vanishing = t.gettext(
        "This message disappears in {expiry}, with the rest of this chat."
    ).format(expiry=t.duration(expiry))
    return f"{text}\n\n{vanishing}"


def subscribe_text(t: Translator) -> str:
    return t.gettext(
        "Would you like to receive the organisation's verified release updates here? "
        "You can stop them at any time."
    )


def subscribe_rows(t: Translator) -> Rows:
    return [
        [(t.gettext("🔔 Yes, send me updates"), SUBSCRIBE_CALLBACK)],
        [(t.gettext("No, thanks"), DECLINE_CALLBACK)],
    ]


def new_report(draft: Draft, chat_id: int, language: str) -> NewReport:
    """The draft's answers as a report; only the fields of its flow are ever set.

    Whether it is quarantined (a blocked chat) is decided by `Reports.file`'s screen.
    """
    kind = ReportKind(draft.kind)
    urgent = kind is ReportKind.DETENTION and draft.whereabouts == UNKNOWN
    return NewReport(
        kind=kind,
        reporter_chat_id=chat_id,
        reporter_language=language,
        draft_token=draft.token,
        person_name=draft.person_name,
        cedula=draft.cedula,
        sex=draft.sex,
        age=draft.age,
        is_minor=draft.is_minor,
        affiliation=draft.affiliation,
        detained_on=dt.date.fromisoformat(draft.detained_on) if draft.detained_on else None,
        federal_entity=draft.federal_entity,
        municipality=draft.municipality,
        detaining_body=draft.detaining_body,
        whereabouts=draft.whereabouts,
        whereabouts_other=draft.whereabouts_other,
        circumstances=draft.circumstances,
        circumstances_voice_file_id=draft.circumstances_voice,
        relationship=draft.relationship,
        details=_details(draft, kind),
        evidence=tuple(
            Evidence(item.file_id, item.media_type, item.file_size) for item in draft.evidence
        ),
        parent_report_id=draft.parent_report_id,
        contact_consent_at=from_iso(draft.contact_consent_at)
        if draft.contact_consent_at
        else None,
        publish_consent_at=from_iso(draft.publish_consent_at)
        if draft.publish_consent_at
        else None,
        priority=PRIORITY_URGENT if urgent else PRIORITY_NORMAL,
    )


def _details(draft: Draft, kind: ReportKind) -> dict[str, object]:
    if kind is ReportKind.RELEASE:
        return {
            "released_on": draft.released_on,
            "conditions": list(draft.conditions),
            "presentation_days": draft.presentation_days,
            "released_from": draft.released_from,
            "released_from_other": draft.released_from_other,
        }
    if kind is ReportKind.UPDATE:
        return {"news_kind": draft.news_kind, "text": draft.news_text}
    return {}


def _first_unanswered(t: Translator, draft: Draft) -> str | None:
    for step in FLOW_BY_KIND[draft.kind].applicable(draft):
        if step.required and step.shown(t, draft) is None:
            return step.key
    return None
