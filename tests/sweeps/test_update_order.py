"""One chat's updates are handled one at a time and in order, others' meanwhile
(issues 15 and 22), on the path Telegram's updates really take.

The tests elsewhere hand updates to `Application.process_update` one by one, which
cannot overlap. Here they go into the running Application's update queue, where its
update fetcher hands them to the concurrent per-chat update processor, while the fake
Bot API takes a while to answer every request. Each request is logged with the task
that made it (one task per update), so two updates of one chat overlapping, or one
finishing before an earlier one, fails the test; and two families' updates must
overlap, or the bot would make every family wait for every other.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.request import RequestData

from bot.app import build_application
from bot.lifecycle import running
from fake_telegram import FakeRequest, FakeTelegram, FakeUser, text_update
from storage.clock import SettableClock
from tests.harness import START_TIME, People, make_settings

DELAY = 0.02
LANGUAGE_PROMPT = "Elige tu idioma:"
BURST = ("/ayuda", "/idioma", "/ayuda", "/idioma", "/ayuda", "/idioma")


@dataclass(frozen=True, slots=True)
class Span:
    task: int
    chat_id: object
    method: str
    started: float
    ended: float
    text: str


class SlowRequest(FakeRequest):
    """The fake Bot API, answering every request after `DELAY`, and logging it."""

    def __init__(self, fake: FakeTelegram, log: list[Span]) -> None:
        super().__init__(fake)
        self.log = log
        self.logged = asyncio.Event()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        name = url[url.rfind("/") + 1 :]
        if name != "getUpdates":
            await asyncio.sleep(DELAY)
        try:
            return await super().do_request(url, method, request_data, *args, **kwargs)
        finally:
            params = request_data.parameters if request_data is not None else {}
            self.log.append(
                Span(
                    id(asyncio.current_task()),
                    params.get("chat_id"),
                    name,
                    started,
                    loop.time(),
                    str(params.get("text", "")),
                )
            )
            self.logged.set()


def _per_update(log: list[Span], chat_id: int) -> list[list[Span]]:
    """The chat's requests grouped by the task (the update) that made them, in the
    order each group started."""
    groups: dict[int, list[Span]] = {}
    for span in sorted(log, key=lambda span: span.started):
        if span.chat_id == chat_id and span.method == "sendMessage":
            groups.setdefault(span.task, []).append(span)
    return list(groups.values())


async def test_a_burst_to_one_chat_is_handled_in_order_while_another_chat_runs(
    tmp_path: Path,
) -> None:
    people = People()
    first, second = people.family_es, FakeUser(id=2004, first_name="Bea", language_code="es")
    fake = FakeTelegram()
    log: list[Span] = []
    request = SlowRequest(fake, log)
    app = build_application(
        make_settings(tmp_path),
        request=request,
        updates_request=FakeRequest(fake),
        clock=SettableClock(START_TIME),
    )
    async with running(app):
        for command in BURST:
            for user in (first, second):
                await app.update_queue.put(
                    Update.de_json(text_update(fake, user, command), app.bot)
                )
        async with asyncio.timeout(30):
            while any(len(_per_update(log, user.id)) < len(BURST) for user in (first, second)):
                request.logged.clear()
                await request.logged.wait()
    for user in (first, second):
        updates = _per_update(log, user.id)
        assert len(updates) == len(BURST)
        for earlier, later in itertools.pairwise(updates):
            assert max(span.ended for span in earlier) <= min(span.started for span in later)
        asked = ["idioma" if group[-1].text == LANGUAGE_PROMPT else "ayuda" for group in updates]
        assert asked == [command.lstrip("/") for command in BURST], asked
    spans = {user.id: _per_update(log, user.id) for user in (first, second)}
    first_busy = (spans[first.id][0][0].started, spans[first.id][-1][-1].ended)
    second_busy = (spans[second.id][0][0].started, spans[second.id][-1][-1].ended)
    assert first_busy[0] < second_busy[1] and second_busy[0] < first_busy[1]
