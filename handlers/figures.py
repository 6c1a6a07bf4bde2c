"""Verified figures: /cifras and /figures for everyone, and /announce for broadcasters.

The figures are the NGO's answer to inflated announcements, so they say exactly what
was verified and when: every number and date is formatted in the reader's locale,
every recorded announcement is shown beside the releases verified since its date,
and the text is followed by the weekly chart.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from domain.dates import DateProblem, local_today, parse_past_date
from domain.i18n import Translator
from handlers.commands import aliases
from handlers.context import VigiaContext
from handlers.replies import preparing
from services.figures_text import announced_line, figures_text
from storage.figures import AnnouncedVsVerified
from storage.roles import Role

logger = logging.getLogger(__name__)

MAX_CLAIMED = 10_000_000
MAX_SOURCE_CHARS = 200
# 400, 1500, 1.500 or 1,500 (thousands written the Spanish or the English way).
_COUNT = re.compile(r"^(?:\d{1,3}(?:[.,]\d{3})+|\d+)$")


# --- /cifras, /figures and the menu button ---------------------------------------------


async def show_figures(update: Update, context: VigiaContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    await _send_figures(context, chat.id, await context.translator(update))


async def figures_from_menu(update: Update, context: VigiaContext) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    await query.answer()
    await _send_figures(context, query.message.chat.id, await context.translator(update))


async def _send_figures(context: VigiaContext, chat_id: int, t: Translator) -> None:
    services = context.services
    today = local_today(services.clock.now(), ZoneInfo(services.settings.timezone))
    snapshot = await services.figures.snapshot(today)
    awaiting = await services.figures.awaiting_verification()
    await context.bot.send_message(chat_id, figures_text(t, snapshot, awaiting))
    await preparing(context.bot, chat_id, ChatAction.UPLOAD_PHOTO)  # the chart takes a while
    png = await services.charts.png(snapshot, t)
    await context.bot.send_photo(
        chat_id,
        InputFile(png, filename="figures.png"),
        caption=t.gettext(
            "Verified detentions, releases and deaths in custody per week; dashed lines "
            "mark the releases the authorities announced."
        ),
    )
    logger.info("figures_shown language=%s", t.language)


# --- /announce -------------------------------------------------------------------------


class AnnounceProblem(StrEnum):
    USAGE = "usage"
    BAD_COUNT = "bad_count"
    BAD_DATE = "bad_date"
    FUTURE_DATE = "future_date"
    TOO_OLD = "too_old"
    LONG_SOURCE = "long_source"


@dataclass(frozen=True, slots=True)
class AnnounceRequest:
    claimed_count: int
    since: dt.date
    source: str


@dataclass(frozen=True, slots=True)
class AnnounceParse:
    request: AnnounceRequest | None
    problem: AnnounceProblem | None = None
    detail: str = ""


def parse_announcement(args: list[str], today: dt.date) -> AnnounceParse:
    """`COUNT DATE SOURCE…`: a positive count, a past date, and who said it."""
    if len(args) < 3:
        return AnnounceParse(None, AnnounceProblem.USAGE)
    count_text, date_text, source = args[0], args[1], " ".join(args[2:]).strip()
    if not _COUNT.match(count_text):
        return AnnounceParse(None, AnnounceProblem.BAD_COUNT, count_text)
    count = int(re.sub(r"[.,]", "", count_text))
    if not 0 < count <= MAX_CLAIMED:
        return AnnounceParse(None, AnnounceProblem.BAD_COUNT, count_text)
    parsed = parse_past_date(date_text, today)
    if parsed.value is None:
        problem = {
            DateProblem.FUTURE: AnnounceProblem.FUTURE_DATE,
            DateProblem.TOO_OLD: AnnounceProblem.TOO_OLD,
        }.get(parsed.problem or DateProblem.UNREADABLE, AnnounceProblem.BAD_DATE)
        return AnnounceParse(None, problem, date_text)
    if len(source) > MAX_SOURCE_CHARS:
        return AnnounceParse(None, AnnounceProblem.LONG_SOURCE)
    return AnnounceParse(AnnounceRequest(count, parsed.value, source))


def problem_text(t: Translator, parse: AnnounceParse) -> str:
    _ = t.gettext
    usage = _(
        "Usage: /announce COUNT DATE SOURCE\n"
        "For example: /announce 400 08/01/2026 Attorney General, on state TV\n"
        "COUNT is how many releases the authorities announced, DATE the day they count "
        "from, SOURCE who said it and where."
    )
    detail = html.escape(parse.detail)
    texts = {
        AnnounceProblem.USAGE: usage,
        AnnounceProblem.BAD_COUNT: _(
            "«{text}» is not a number of releases: write a whole number such as 400 or 1.500."
        ).format(text=detail),
        AnnounceProblem.BAD_DATE: _(
            "I cannot read the date «{text}»: write it like 08/01/2026 or 2026-01-08."
        ).format(text=detail),
        AnnounceProblem.FUTURE_DATE: _(
            "The date «{text}» is in the future: an announcement counts releases since a "
            "day that has already passed."
        ).format(text=detail),
        AnnounceProblem.TOO_OLD: _(
            "The date «{text}» is before 2014, when these records begin."
        ).format(text=detail),
        AnnounceProblem.LONG_SOURCE: _(
            "The source is too long: say who announced it and where in at most {count} characters."
        ).format(count=t.number(MAX_SOURCE_CHARS)),
    }
    problem = parse.problem or AnnounceProblem.USAGE
    return texts[problem] if problem is AnnounceProblem.USAGE else texts[problem] + "\n\n" + usage


async def announce(update: Update, context: VigiaContext) -> None:
    """Record an official claim; the role is checked now, against the acting user."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    services = context.services
    t = await context.translator(update)
    if not await services.roles.has_any(user.id, Role.BROADCASTER):
        await message.reply_text(t.gettext("This command is not available."))
        return
    today = local_today(services.clock.now(), ZoneInfo(services.settings.timezone))
    parse = parse_announcement(list(context.args or []), today)
    if parse.request is None:
        await message.reply_text(problem_text(t, parse))
        return
    request = parse.request
    announcement = await services.announcements.record(
        claimed_count=request.claimed_count,
        since=request.since,
        source=request.source,
        recorded_by=user.id,
    )
    verified = await services.figures.releases_between(request.since, today)
    line = announced_line(t, AnnouncedVsVerified(announcement, verified))
    await message.reply_text(
        t.gettext("Recorded. {line}\nIt now shows in /figures.").format(line=line)
    )
    logger.info("announcement_recorded id=%d", announcement.id)


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler(aliases("cifras", "figures"), show_figures, filters=private),
        CommandHandler(aliases("anunciar", "announce"), announce, filters=private),
        CallbackQueryHandler(figures_from_menu, pattern=r"^menu:figures$"),
    ]
