"""The shared send budget: lanes in the overall budget, one chat's pause is its own."""

from __future__ import annotations

import asyncio

from services.send_budget import Budgets, PriorityBucket, SendBudget, sending_in
from storage.outbox import Lane


async def test_when_short_a_familys_answer_goes_before_queued_staff_and_broadcasts() -> None:
    bucket = PriorityBucket(rate=50.0)
    for _ in range(50):  # a second's worth of answers: the bucket is full for every lane
        await bucket.acquire(Lane.FAMILY)
    served: list[str] = []

    async def wait(name: str, lane: Lane) -> None:
        await bucket.acquire(lane)
        served.append(name)

    waiting = [asyncio.create_task(wait(f"broadcast {n}", Lane.BROADCAST)) for n in range(3)]
    waiting.append(asyncio.create_task(wait("staff", Lane.STAFF)))
    await asyncio.sleep(0)
    waiting.append(asyncio.create_task(wait("family", Lane.FAMILY)))
    await asyncio.gather(*waiting)
    assert served == ["family", "staff", "broadcast 0", "broadcast 1", "broadcast 2"]


async def test_a_running_broadcast_leaves_the_burst_to_the_families() -> None:
    bucket = PriorityBucket(rate=50.0)
    broadcast = [asyncio.create_task(bucket.acquire(Lane.BROADCAST)) for _ in range(50)]
    await asyncio.sleep(0)
    sent = sum(task.done() for task in broadcast)
    assert 5 <= sent <= 20, sent  # its quarter of the burst, then its own pace
    families = [asyncio.create_task(bucket.acquire(Lane.FAMILY)) for _ in range(20)]
    await asyncio.sleep(0)
    assert all(task.done() for task in families)  # at once, not behind the broadcast
    for task in broadcast:
        task.cancel()
    await asyncio.gather(*broadcast, return_exceptions=True)


async def test_a_pause_holds_one_chat_and_no_other() -> None:
    budget = SendBudget(Budgets())
    budget.pause(-100555, 30)
    assert budget.wait_for(-100555) > 29
    assert budget.wait_for(2001) == 0
    with sending_in(Lane.BROADCAST):
        await asyncio.wait_for(budget.acquire(2001), 1)  # not held by the group's pause


async def test_a_group_takes_twenty_at_once_then_one_every_three_seconds() -> None:
    budget = SendBudget(Budgets())
    waits = [budget.reserve(-100555) for _ in range(22)]
    assert waits[:20] == [0.0] * 20
    # Three seconds and a margin for the time a request takes to reach Telegram.
    assert 3.0 < waits[20] < 3.5
    assert 6.0 < waits[21] < 7.0
