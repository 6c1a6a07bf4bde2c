"""Shared steps of the broadcast tests: staff, subscribers, and reading deliveries."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from bot.export_command import write_export
from domain.case_rows import ImportedCase, parse_row
from fake_telegram import Call, FakeUser, document_update
from storage.roles import Role
from tests.harness import ADMIN_ID, BotHarness
from tests.roles import grant

FIRST_SUBSCRIBER = 700_000


async def make_broadcaster(harness: BotHarness) -> None:
    await grant(harness, harness.people.broadcaster, Role.BROADCASTER)


async def subscribe(harness: BotHarness, count: int, language: str, *, first: int) -> list[int]:
    """`count` subscribed chats from id `first`, all using `language`."""
    chats = list(range(first, first + count))
    for chat_id in chats:
        await harness.services.subscribers.subscribe(chat_id, language)
    return chats


def delivered(harness: BotHarness, chat_id: int) -> list[Call]:
    """Successful sendMessage calls to one chat."""
    return [call for call in harness.fake.calls("sendMessage", chat_id=chat_id) if call.ok]


def deliveries_per_chat(harness: BotHarness, chats: list[int]) -> Counter[int]:
    wanted = set(chats)
    counts: Counter[int] = Counter()
    for call in harness.fake.calls("sendMessage"):
        if call.ok and isinstance(call.chat_id, int) and call.chat_id in wanted:
            counts[call.chat_id] += 1
    return counts


async def compose(harness: BotHarness, spanish: str, english: str | None) -> None:
    """The broadcaster writes a broadcast up to its preview (Spanish-speaking sender)."""
    sender = harness.people.broadcaster
    await harness.rig.send_text(sender, "/difundir")
    await harness.rig.send_text(sender, spanish)
    if english is None:
        await harness.rig.press_button(sender, "Omitir: español para todos")
    else:
        await harness.rig.send_text(sender, english)


async def confirm_and_deliver(harness: BotHarness, sender: FakeUser | None = None) -> None:
    """The sender (the broadcaster unless named) taps Send; the outbox delivers what is due."""
    await harness.rig.press_button(sender or harness.people.broadcaster, "✅ Enviar")
    await harness.services.outbox_worker.drain()


async def skip_english_and_deliver(harness: BotHarness, sender: FakeUser | None = None) -> None:
    """At the English question: Spanish for everyone, then Send and deliver."""
    await harness.rig.press_button(
        sender or harness.people.broadcaster, "Omitir: español para todos"
    )
    await confirm_and_deliver(harness, sender)


async def send_broadcast(harness: BotHarness, spanish: str, english: str | None = None) -> None:
    """Compose, confirm, and let the outbox deliver everything due."""
    await compose(harness, spanish, english)
    await confirm_and_deliver(harness)


async def add_case(harness: BotHarness, **cells: str) -> int:
    """Store one case through the import layer; returns its id."""
    values = {
        "person_name": "José Pérez",
        "state": "released",
        "detained_on": "2024-08-03",
        "released_on": "2026-01-10",
        "place": "helicoide",
        "federal_entity": "distrito_capital",
        "release_conditions": "court_presentation,travel_ban",
        "publish_consent": "1",
    }
    values.update(cells)
    parsed = parse_row(2, values, dt.date(2026, 1, 12))
    assert isinstance(parsed, ImportedCase), parsed
    plan = await harness.services.case_import.apply([parsed], [], actor_id=ADMIN_ID)
    assert plan is not None and len(plan.creates) == 1, plan
    cases = await harness.services.exports.cases(public=False)
    return max(case.case_id for case in cases)


async def send_file(
    harness: BotHarness, user: FakeUser, content: bytes, *, caption: str | None = None
) -> None:
    """The user sends a file with these bytes (the rig's own sends carry filler bytes)."""
    update = document_update(
        harness.fake,
        user,
        file_name="casos.csv",
        mime_type="text/csv",
        file_size=len(content),
        caption=caption,
    )
    stored = harness.fake.file(update["message"]["document"]["file_id"])
    assert stored is not None
    stored.content = content
    await harness.rig.feed(update)


def sent_document(harness: BotHarness, chat_id: int) -> tuple[str, bytes]:
    """File name and bytes of the newest document the bot sent to a chat."""
    call = harness.fake.calls("sendDocument", chat_id=chat_id)[-1]
    return str(call.params["document"]["filename"]), call.files["document"]


async def full_export(harness: BotHarness, file_format: str = "csv") -> bytes:
    """`python -m bot export full FILE` beside the running bot: the full archive is
    made only on the server (bot/export_command.py), never sent through Telegram."""
    target = harness.settings.database_path.with_name(f"full-export.{file_format}")
    await write_export(harness.settings, "full", file_format, target)
    return target.read_bytes()
