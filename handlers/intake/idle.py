"""The 30-minute pause, at the cost of a dict write per answer.

PTB's `conversation_timeout` removes the conversation's timer job and schedules a new
one on every update: two scheduler calls (each validating the callback's signature)
that cost about as much as the rest of an intake step's own work. Even one timer per
conversation costs a scheduler call (~0.2 ms) for every report. Here an answer only
notes when its conversation went quiet, and one repeating job per conversation
handler (`IDLE_SWEEP_JOB_NAME`, every `SWEEP_SECONDS`) pauses the conversations that
have been quiet for the whole timeout: a family is told at most a minute after its
thirty. Quiet time is read from the bot's clock (`services.clock`), the one tests move
forward; a sweep run by hand pauses exactly the conversations quiet long enough.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from telegram import Update
from telegram.ext import Application, ConversationHandler, Job

from handlers.context import VigiaContext

IDLE_SWEEP_JOB_NAME = "intake_idle_sweep"
SWEEP_SECONDS = 60.0

ConversationKey = tuple[int | str, ...]
AnyApplication = Application[Any, VigiaContext, Any, Any, Any, Any]


@dataclass(slots=True)
class _Idle:
    quiet_since: float  # bot-clock time (POSIX seconds) of the last answer
    update: Update
    context: VigiaContext


class IdleTimeoutConversation(ConversationHandler[VigiaContext]):
    """A ConversationHandler whose `TIMEOUT` handlers run after `idle_timeout` of silence."""

    def __init__(self, *args: Any, idle_timeout: dt.timedelta, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._idle_timeout = idle_timeout.total_seconds()
        self._idle: dict[ConversationKey, _Idle] = {}
        self._sweeper: Job[VigiaContext] | None = None

    async def handle_update(
        self,
        update: Update,
        application: AnyApplication,
        check_result: Any,
        context: VigiaContext,
    ) -> object | None:
        key = cast(ConversationKey, check_result[1])
        try:
            return await super().handle_update(update, application, check_result, context)
        finally:
            self._note_answer(key, update, application, context)

    def _note_answer(
        self,
        key: ConversationKey,
        update: Update,
        application: AnyApplication,
        context: VigiaContext,
    ) -> None:
        if key not in self._conversations:  # the conversation ended
            self._idle.pop(key, None)
            return
        entry = self._idle.get(key)
        if entry is None:
            self._idle[key] = _Idle(_now(context), update, context)
            self._start_sweeping(application)
            return
        entry.quiet_since, entry.update, entry.context = _now(context), update, context

    def _start_sweeping(self, application: AnyApplication) -> None:
        if self._sweeper is not None or application.job_queue is None:
            return
        self._sweeper = application.job_queue.run_repeating(
            self._sweep, interval=SWEEP_SECONDS, first=SWEEP_SECONDS, name=IDLE_SWEEP_JOB_NAME
        )

    async def _sweep(self, context: VigiaContext) -> None:
        """Pause every conversation quiet for the whole timeout."""
        now = _now(context)
        due = [
            key
            for key, entry in self._idle.items()
            if now - entry.quiet_since >= self._idle_timeout
        ]
        for key in due:
            entry = self._idle.pop(key)
            if key in self._conversations:
                await self._time_out(key, entry)

    async def _time_out(self, key: ConversationKey, entry: _Idle) -> None:
        """What PTB's own timeout does: the TIMEOUT handlers, then the conversation ends."""
        application = cast(AnyApplication, entry.context.application)
        for handler in self.states.get(self.TIMEOUT, []):
            check = handler.check_update(entry.update)
            if check is not None and check is not False:
                await handler.handle_update(entry.update, application, check, entry.context)
        self._update_state(self.END, key)


def _now(context: VigiaContext) -> float:
    return context.services.clock.now().timestamp()
