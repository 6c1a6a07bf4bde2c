"""Broadcasts, verified release news, exports and imports (issue 6).

`build_handlers()` goes in group 0. The outbox worker is started by `start_worker`
in `on_startup` and stopped by `stop_worker` in `on_stop`, before the bot's HTTP
client closes. Moderation calls `offer_release_broadcast` after recording a release.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from handlers.broadcast import compose, export_cases, import_cases, release_news
from handlers.broadcast.progress import ProgressMessages
from handlers.broadcast.release_news import offer_release_broadcast
from handlers.context import VigiaApp, VigiaContext
from handlers.intake.staff_render import staff_renderer

__all__ = ["build_handlers", "offer_release_broadcast", "start_worker", "stop_worker"]


def build_handlers() -> list[BaseHandler[Update, VigiaContext, Any]]:
    return [
        *compose.build_handlers(),
        *release_news.build_handlers(),
        *export_cases.build_handlers(),
        *import_cases.build_handlers(),
    ]


async def start_worker(application: VigiaApp) -> None:
    services = application.bot_data.services
    await services.outbox_worker.start(
        application.bot,
        ProgressMessages(services.catalogs, services.clock),
        services.subscribers.unsubscribe,
        render_staff=staff_renderer(services),
    )


async def stop_worker(application: VigiaApp) -> None:
    await application.bot_data.services.outbox_worker.stop()
