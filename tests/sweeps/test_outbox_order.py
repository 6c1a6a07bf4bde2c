"""Messages queued for one chat arrive in the order they were queued, also across a
restart, while other chats' messages go meanwhile (issue 22, part 3).

The fake Bot API answers each request after a delay that shrinks with every message
of the family's chat (the first is the slowest): a worker that sent two rows of one
chat at once would see the later one arrive first. Rows are queued while the worker
is stopped, the bot restarts, and more are queued while the new worker sends.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from telegram.request import RequestData

from fake_telegram import FakeRequest, FakeTelegram
from storage.outbox import Lane
from tests.harness import BotHarness, make_settings

FAMILY = 2001
OTHERS = (2101, 2102, 2103)
FIRST, LATER = 8, 4
_NUMBER = re.compile(r"#(\d+)")


class ReorderingRequest(FakeRequest):
    """Answers the family's n-th message after (20 - n) × 10 ms: later ones are quicker."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        params = request_data.parameters if request_data is not None else {}
        found = _NUMBER.search(str(params.get("text", "")))
        if found is not None and params.get("chat_id") == FAMILY:
            await asyncio.sleep(max(0, 20 - int(found.group(1))) * 0.01)
        return await super().do_request(url, method, request_data, *args, **kwargs)


async def _queue(harness: BotHarness, numbers: range) -> None:
    services = harness.services
    for number in numbers:
        async with services.db.transaction() as conn:
            for chat_id in (FAMILY, *OTHERS):
                await services.outbox.add_notification(
                    conn, chat_id=chat_id, language="es", text=f"Aviso #{number}", lane=Lane.FAMILY
                )
    services.outbox.wake()


def _order(fake: FakeTelegram, chat_id: int) -> list[int]:
    return [
        int(found.group(1))
        for message in fake.bot_messages(chat_id)
        if (found := _NUMBER.search(message.body)) is not None
    ]


async def test_one_chats_messages_keep_their_order_across_a_restart(tmp_path: Path) -> None:
    # The worker's own pace out of the way (a row a millisecond): only the per-chat
    # rule can keep the order.
    harness = BotHarness(make_settings(tmp_path, broadcast_rate=1000), request=ReorderingRequest)
    await harness.start()
    try:
        await harness.services.outbox_worker.stop()
        await _queue(harness, range(1, FIRST + 1))
        await harness.restart()
        await _queue(harness, range(FIRST + 1, FIRST + LATER + 1))
        await harness.services.outbox_worker.drain()
        everything = list(range(1, FIRST + LATER + 1))
        for chat_id in (FAMILY, *OTHERS):
            assert _order(harness.fake, chat_id) == everything, chat_id
    finally:
        await harness.stop()
