"""Owner views behind the family's secret: the answer to the secret, /pin, /novedades.

`handlers.owner_gate` asks for the secret; `entry` reads the answer and opens the
view; `pin` sets the PINs; `news` is /novedades. `build_prompt_handlers()` goes in
group -2 (before the other prompts of `handlers.status.prompts`, group -1);
`build_handlers()` in group 0.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from handlers.context import VigiaContext
from handlers.owner import entry, news, pin

__all__ = ["build_handlers", "build_prompt_handlers"]


def build_prompt_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return entry.build_prompt_handlers()


def build_handlers() -> list[BaseHandler[Update, VigiaContext, None]]:
    return [*entry.build_handlers(), *news.build_handlers(), *pin.build_handlers()]
