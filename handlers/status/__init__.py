"""Status, my reports, the follow-up thread and release-update subscriptions.

`build_prompt_handlers()` goes in group -1 (before every feature: a chat the bot asked
for a code or an answer gets its next text read here); `build_handlers()` in group 0,
before `handlers.common`, so `/start status_CODE` reaches `lookup` first.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from handlers.context import VigiaContext
from handlers.status import followup, lookup, mine, subscribe
from handlers.status.prompts import build_prompt_handlers

__all__ = ["build_handlers", "build_prompt_handlers"]


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [
        *lookup.build_handlers(),
        *mine.build_handlers(),
        *followup.build_handlers(),
        *subscribe.build_handlers(),
    ]
