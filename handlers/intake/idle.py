"""The 30-minute pause, at the cost of a dict write per answer.

PTB's `conversation_timeout` removes the conversation's timer job and schedules a new
one on every update: two scheduler calls (each validating the callback's signature)
that cost about as much as the rest of an intake step's own work. Here each open
conversation has one timer job; an answer only notes when the conversation went
quiet. When the timer comes due it pauses the conversation if it has been idle for
the whole timeout, or else sets itself again for the rest of it, so a family
answering at a person's pace moves the timer about once per timeout instead of once
per answer. Run by hand before it is due (as a test does), the job pauses at once,
as PTB's own timeout job would. Quiet time is read from the bot's clock
(`services.clock`), the one tests move forward.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from telegram import Update
from telegram.ext import Application, ConversationHandler, Job

from bot.context import VigiaContext

TIMEOUT_JOB_NAME = "_trigger_timeout"  # the name PTB gives its own timeout jobs
_EARLY = 1.0  # seconds: a job run this long before it is due was run by hand

ConversationKey = tuple[int | str, ...]
AnyApplication = Application[Any, VigiaContext, Any, Any, Any, Any]


@dataclass(slots=True)
class _Idle:
    job: Job[VigiaContext]
    due: float  # bot-clock time (POSIX seconds) the job is scheduled for
    quiet_since: float  # bot-clock time of the last answer
    update: Update
    context: VigiaContext


class IdleTimeoutConversation(ConversationHandler[VigiaContext]):
    """A ConversationHandler whose `TIMEOUT` handlers run after `idle_timeout` of silence."""

    def __init__(self, *args: Any, idle_timeout: dt.timedelta, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._idle_timeout = idle_timeout.total_seconds()
        self._idle: dict[ConversationKey, _Idle] = {}

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
        entry = self._idle.get(key)
        if key not in self._conversations:  # the conversation ended
            if entry is not None:
                del self._idle[key]
                entry.job.schedule_removal()
            return
        now = _now(context)
        if entry is None:
            job_queue = application.job_queue
            if job_queue is None:
                return
            self._idle[key] = _Idle(
                self._schedule(job_queue, key, self._idle_timeout),
                now + self._idle_timeout,
                now,
                update,
                context,
            )
            return
        entry.quiet_since, entry.update, entry.context = now, update, context

    def _schedule(self, job_queue: Any, key: ConversationKey, delay: float) -> Job[VigiaContext]:
        job: Job[VigiaContext] = job_queue.run_once(
            self._on_due, delay, data=key, name=TIMEOUT_JOB_NAME
        )
        return job

    async def _on_due(self, context: VigiaContext) -> None:
        job = context.job
        if job is None:
            return
        key = cast(ConversationKey, job.data)
        entry = self._idle.get(key)
        if entry is None or entry.job is not job:
            return
        now = _now(context)
        left = entry.quiet_since + self._idle_timeout - now
        if now >= entry.due - _EARLY and left > 0:
            # Answered since the timer was set: wait for the rest of the quiet time.
            entry.job = self._schedule(context.application.job_queue, key, left)
            entry.due = now + left
            return
        del self._idle[key]
        application = cast(AnyApplication, context.application)
        for handler in self.states.get(self.TIMEOUT, []):
            check = handler.check_update(entry.update)
            if check is not None and check is not False:
                await handler.handle_update(entry.update, application, check, entry.context)
        self._update_state(self.END, key)


def _now(context: VigiaContext) -> float:
    return context.services.clock.now().timestamp()
