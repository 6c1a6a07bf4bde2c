"""2b. Surge under Telegram's limits: families never wait for the moderators (issue 15).

The fake Bot API enforces Telegram's budgets (30 messages a second overall, 20 a
minute into a group, about one a second into a private chat; 429 beyond) and the bot
runs the shipped rate-limiter settings. Families walk the whole detention report at a
person's pace (`bench.surge.Pacing`: they all start within the start window, and think
between answers). Three bots take the same surge at the same time, in the same event
loop, so each figure is read against the others measured under the same load:

- **group**: MODERATION_CHAT_ID set: every report's notice goes to the group;
- **no group**: the same notices go privately to the admin, one chat's budget;
- **group + broadcast**: as *group*, with a broadcast to every subscriber started
  when the surge starts.

Latency is from the moment an update was due to the end of its handling, every answer
sent (so waits for Telegram's budgets count). Moderators are "told" of a report when a
message naming its number reaches the staff chat (a merged notice names a range).
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Update

from bench.apps import Running, family, services_of, vigia_bot
from bench.cache import SUBSCRIBER_FIRST_ID, cached_store, working_copy
from bench.config import BenchConfig
from bench.outbox import start_broadcast
from bench.results import BenchResult, Target
from bench.stats import percentile
from bench.surge import Pacing
from bench.walk import Step, WalkError, detention_walk, step_update
from fake_telegram import FakeUser, TelegramLimits
from services.settings import Settings

GROUP = -100777
ADMIN = 900001
TARGET_GROUP_RATIO = 2.0
TARGET_BROADCAST_RATIO = 1.5
# After the last family, how long the moderators' notices may take to catch up.
CATCH_UP_SECONDS = 600.0
_TITLE_NUMBERS = re.compile(r"#(\d+)(?:–#(\d+))?")


@dataclass(slots=True)
class Variant:
    """One bot's run of the surge."""

    name: str
    answers: list[float] = field(default_factory=list)
    confirms: list[float] = field(default_factory=list)
    told_at: dict[int, float] = field(default_factory=dict)
    announced: Counter[int] = field(default_factory=Counter)
    notices: int = 0
    stored: list[int] = field(default_factory=list)
    last_stored: float = 0.0
    refused: int = 0
    broadcast_sent: int = 0

    def ms(self, values: list[float], fraction: float) -> float:
        return percentile(values, fraction) * 1000


class Watcher:
    """Notes when each report is first named in the staff chat, and how many notices."""

    def __init__(self, bot: Running, chat_id: int, variant: Variant, started: float) -> None:
        self._bot = bot
        self._chat_id = chat_id
        self._variant = variant
        self._started = started
        self._seen = 0

    def scan(self) -> None:
        messages = self._bot.fake.bot_messages(self._chat_id)
        now = time.perf_counter() - self._started
        for message in messages[self._seen :]:
            numbers = _numbers(message.body.split("\n", 1)[0])
            if numbers:
                self._variant.notices += 1
            for number in numbers:
                self._variant.announced[number] += 1
                self._variant.told_at.setdefault(number, now)
        self._seen = len(messages)

    async def run(self) -> None:
        while True:
            self.scan()
            await asyncio.sleep(0.1)


def _numbers(title: str) -> list[int]:
    found: list[int] = []
    for match in _TITLE_NUMBERS.finditer(title):
        low = int(match.group(1))
        found.extend(range(low, int(match.group(2) or low) + 1))
    return found


async def paced_walk(
    bot: Running, person: FakeUser, steps: tuple[Step, ...], plan: tuple[float, list[float]],
    variant: Variant,
) -> None:  # fmt: skip
    start, thinks = plan
    due = time.perf_counter() + start
    await asyncio.sleep(start)
    for index, step in enumerate(steps):
        if index:
            due = time.perf_counter() + thinks[index]
            await asyncio.sleep(thinks[index])
        update = Update.de_json(step_update(bot.fake, person, step), bot.app.bot)
        await bot.app.update_processor.process_update(update, bot.app.process_update(update))
        latency = time.perf_counter() - due
        variant.answers.append(latency)
        if index == len(steps) - 1:
            variant.confirms.append(latency)


async def _surge(
    bot: Running, variant: Variant, pacing: Pacing, staff_chat: int, *, broadcast: bool
) -> None:
    fake = bot.fake
    fake.register_chat(GROUP, title="Moderación")
    fake.limit(TelegramLimits())
    started = time.perf_counter()
    watcher = Watcher(bot, staff_chat, variant, started)
    watching = asyncio.create_task(watcher.run())
    try:
        if broadcast:
            await start_broadcast(bot)
        async with asyncio.TaskGroup() as group:
            for index, plan in enumerate(pacing.schedule()):
                steps = detention_walk(index)
                group.create_task(paced_walk(bot, family(index), steps, plan, variant))
        variant.last_stored = time.perf_counter() - started
        services = services_of(bot)
        for index in range(pacing.families):
            variant.stored += [r.id for r in await services.reports.for_reporter(family(index).id)]
        for _ in range(int(CATCH_UP_SECONDS / 0.2)):
            watcher.scan()
            if len(variant.told_at) >= len(variant.stored):
                break
            await asyncio.sleep(0.2)
    finally:
        watching.cancel()
    limits = fake.rate_limits
    variant.refused = limits.refused if limits is not None else 0
    variant.broadcast_sent = sum(
        1
        for call in fake.calls("sendMessage")
        if call.ok
        and isinstance(call.chat_id, int)
        and SUBSCRIBER_FIRST_ID <= call.chat_id < family(0).id
    )


async def _variant(
    name: str, database: Path, pacing: Pacing, *, group: bool, broadcast: bool
) -> Variant:
    variant = Variant(name)
    shipped = Settings.model_fields["telegram_rate_limit"].default
    overrides: dict[str, Any] = {"telegram_rate_limit": shipped}
    if group:
        overrides["moderation_chat_id"] = GROUP
    async with vigia_bot(database, **overrides) as bot:
        await _surge(bot, variant, pacing, GROUP if group else ADMIN, broadcast=broadcast)
    return variant


def _check(variant: Variant, families: int) -> None:
    if len(variant.stored) != families or len(variant.confirms) != families:
        raise WalkError(f"{variant.name}: {len(variant.stored)} reports of {families} families")


async def run(config: BenchConfig) -> BenchResult:
    pacing = Pacing(
        config.limits_families,
        config.limits_start_window,
        config.limits_think_min,
        config.limits_think_max,
    )
    result = BenchResult(
        "surge_limits", f"2b. Surge under Telegram's limits ({pacing.families:,} families)"
    )
    store = await cached_store(config.cache_dir, cases=0, subscribers=config.limits_subscribers)
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as directory:
        root = Path(directory)
        grouped, private, broadcasting = await asyncio.gather(
            _variant("group", root / "group.db", pacing, group=True, broadcast=False),
            _variant("no group", root / "private.db", pacing, group=False, broadcast=False),
            _variant(
                "group + broadcast",
                working_copy(store, root / "broadcast"),
                pacing,
                group=True,
                broadcast=True,
            ),
        )
    for variant in (grouped, private, broadcasting):
        _check(variant, pacing.families)
    _figures(result, grouped, private, broadcasting, config)
    return result


def _figures(
    result: BenchResult, grouped: Variant, private: Variant, broadcasting: Variant,
    config: BenchConfig,
) -> None:  # fmt: skip
    expected = Counter(grouped.stored)
    lost = sum(1 for number in expected if grouped.announced[number] == 0)
    repeated = sum(1 for number in expected if grouped.announced[number] > 1)
    told_all = max(grouped.told_at.values(), default=0.0)
    result.add("Confirm p50", grouped.ms(grouped.confirms, 0.50), "ms")
    result.add("Confirm p99", grouped.ms(grouped.confirms, 0.99), "ms")
    result.add("every answer p50", grouped.ms(grouped.answers, 0.50), "ms")
    result.add("every answer p99", grouped.ms(grouped.answers, 0.99), "ms")
    result.add(
        "p99 vs same surge without a group",
        grouped.ms(grouped.answers, 0.99) / private.ms(private.answers, 0.99),
        "×",
        Target(TARGET_GROUP_RATIO),
    )
    result.add("moderators told of every report after", told_all, "s")
    result.add("notices it took", grouped.notices, "")
    result.add("reports lost or told twice", lost + repeated, "", Target(0))
    result.add(
        f"p99 with a {config.limits_subscribers:,}-subscriber broadcast vs without",
        broadcasting.ms(broadcasting.answers, 0.99) / grouped.ms(grouped.answers, 0.99),
        "×",
        Target(TARGET_BROADCAST_RATIO),
    )
    result.add("429s from Telegram", grouped.refused + private.refused + broadcasting.refused, "")
    result.config = {
        "families": len(grouped.stored),
        "start_window_s": config.limits_start_window,
        "think_time_s": [config.limits_think_min, config.limits_think_max],
        "answers_per_variant": len(grouped.answers),
        "last_report_stored_s": grouped.last_stored,
        "told_all_after_last_report_s": told_all - grouped.last_stored,
        "lost": lost,
        "told_twice": repeated,
        "variants": {
            variant.name: {
                "confirm_p50_ms": variant.ms(variant.confirms, 0.50),
                "confirm_p99_ms": variant.ms(variant.confirms, 0.99),
                "answer_p50_ms": variant.ms(variant.answers, 0.50),
                "answer_p99_ms": variant.ms(variant.answers, 0.99),
                "answer_max_ms": max(variant.answers) * 1000,
                "notices": variant.notices,
                "told_all_s": max(variant.told_at.values(), default=0.0),
                "reports_told": len(variant.told_at),
                "refused_429": variant.refused,
                "broadcast_messages_sent": variant.broadcast_sent,
            }
            for variant in (grouped, private, broadcasting)
        },
    }
