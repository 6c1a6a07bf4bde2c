"""The morning digest: reports waiting over 24 hours, disappearances past 48 hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from telegram.ext import Job

from fake_telegram import FakeUser
from handlers.context import VigiaContext
from handlers.moderation.digest import JOB_NAME
from storage.roles import Role
from tests.harness import MODERATION_CHAT_ID, BotHarness, make_settings
from tests.moderation.helpers import file_report, make_staff, say
from tests.roles import grant


def _job(harness: BotHarness) -> Job[VigiaContext]:
    jobs = harness.app.job_queue
    assert jobs is not None
    (job,) = jobs.get_jobs_by_name(JOB_NAME)
    return job


async def _run_digest(harness: BotHarness) -> None:
    """Run the scheduled job itself, as the job queue would at DIGEST_TIME; the digest
    goes out through the outbox's staff lane."""
    await _job(harness).run(harness.app)
    await harness.services.outbox_worker.drain()


def _bodies(harness: BotHarness, chat_id: int) -> list[str]:
    return [message.body for message in harness.fake.bot_messages(chat_id)]


async def test_the_digest_is_scheduled_every_morning_in_local_time(
    private_desk: BotHarness,
) -> None:
    job = _job(private_desk)
    assert job.next_t is not None
    local = job.next_t.astimezone(ZoneInfo("America/Caracas"))
    assert (local.hour, local.minute) == (8, 0)


async def test_the_group_gets_waiting_reports_and_overdue_disappearances(desk: BotHarness) -> None:
    old = await file_report(desk, name="Esperando Mucho")
    missing = await file_report(
        desk, name="Sin Paradero", whereabouts="unknown", detained_on=dt.date(2026, 1, 12)
    )
    await say(desk, desk.people.moderator, f"/verify #{missing.id}")
    desk.clock.advance(dt.timedelta(hours=49))
    fresh = await file_report(desk, name="Recién Llegado")
    await _run_digest(desk)
    digest = _bodies(desk, MODERATION_CHAT_ID)[-1]
    assert "Resumen de la mañana" in digest
    assert "Casos de desaparición con más de 48 horas: 1" in digest
    # The group reads numbers only (issue 14).
    assert "C1 · 61 horas" in digest
    assert "Reportes esperando más de 24 horas: 1" in digest
    assert f"#{old.id} · detención · recibido · esperando 49 h" in digest
    assert "Sin Paradero" not in digest and "Esperando Mucho" not in digest
    assert "Recién Llegado" not in digest
    assert f"#{fresh.id} " not in digest


async def test_without_a_group_each_moderator_gets_it_in_their_language(
    private_desk: BotHarness,
) -> None:
    people = private_desk.people
    await say(private_desk, people.moderator2, "/language en")
    await file_report(private_desk)
    private_desk.clock.advance(dt.timedelta(hours=25))
    await _run_digest(private_desk)
    assert "Resumen de la mañana" in _bodies(private_desk, people.moderator.id)[-1]
    assert "Morning digest" in _bodies(private_desk, people.moderator2.id)[-1]
    assert "Resumen de la mañana" in _bodies(private_desk, people.admin.id)[-1]
    assert _bodies(private_desk, people.broadcaster.id) == []


@pytest.fixture
async def english_default_desk(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """DEFAULT_LANGUAGE=en, no moderation group: the fallback order becomes visible."""
    bot = BotHarness(make_settings(tmp_path, default_language="en"))
    await bot.start()
    await make_staff(bot)
    try:
        yield bot
    finally:
        await bot.stop()


async def test_a_private_digest_falls_back_choice_then_telegram_then_default(
    english_default_desk: BotHarness,
) -> None:
    bot = english_default_desk
    spanish_choice = FakeUser(id=900011, first_name="Eli", language_code="en")
    spanish_telegram = FakeUser(id=900012, first_name="Luz", language_code="es-VE")
    silent = FakeUser(id=900013, first_name="Sol", language_code="es")
    for user in (spanish_choice, spanish_telegram, silent):
        await grant(bot, user, Role.MODERATOR)
    await say(bot, spanish_choice, "/language es")
    await say(bot, spanish_telegram, "/queue")  # a desk action: Telegram says Spanish
    await file_report(bot)
    bot.clock.advance(dt.timedelta(hours=25))
    await _run_digest(bot)
    assert _bodies(bot, spanish_choice.id)[-1].startswith("🌅 <b>Resumen de la mañana")
    assert _bodies(bot, spanish_telegram.id)[-1].startswith("🌅 <b>Resumen de la mañana")
    # Never chose, never acted: nothing says Spanish, so DEFAULT_LANGUAGE.
    assert _bodies(bot, silent.id)[-1].startswith("🌅 <b>Morning digest")


async def test_the_telegram_language_survives_a_restart(english_default_desk: BotHarness) -> None:
    bot = english_default_desk
    moderator = bot.people.moderator  # Telegram language: es, no /language choice
    await say(bot, moderator, "/queue")
    await bot.restart()
    await file_report(bot)
    bot.clock.advance(dt.timedelta(hours=25))
    await _run_digest(bot)
    assert _bodies(bot, moderator.id)[-1].startswith("🌅 <b>Resumen de la mañana")


async def test_the_group_digest_speaks_the_default_language(tmp_path: Path) -> None:
    bot = BotHarness(
        make_settings(tmp_path, default_language="en", moderation_chat_id=MODERATION_CHAT_ID)
    )
    await bot.start()
    try:
        bot.fake.register_chat(MODERATION_CHAT_ID, title="Moderación")
        await make_staff(bot)
        # Spanish-speaking staff act in the group; the group still gets DEFAULT_LANGUAGE.
        await say(bot, bot.people.moderator, "/language es")
        await say(bot, bot.people.moderator, "/queue", chat_id=MODERATION_CHAT_ID)
        await file_report(bot)
        bot.clock.advance(dt.timedelta(hours=25))
        await _run_digest(bot)
        assert _bodies(bot, MODERATION_CHAT_ID)[-1].startswith("🌅 <b>Morning digest")
        private = _bodies(bot, bot.people.moderator.id)
        assert not any("Morning digest" in b or "Resumen de la mañana" in b for b in private)
    finally:
        await bot.stop()


async def test_a_quiet_morning_sends_nothing(desk: BotHarness) -> None:
    await file_report(desk)
    desk.clock.advance(dt.timedelta(hours=23))
    before = desk.fake.call_count()
    await _run_digest(desk)
    assert [call for call in desk.fake.calls_since(before) if call.method == "sendMessage"] == []


async def test_a_disappearance_within_48_hours_is_not_yet_in_the_digest(desk: BotHarness) -> None:
    missing = await file_report(
        desk, whereabouts="unknown", detained_on=dt.date(2026, 1, 12), name="Aún No"
    )
    await say(desk, desk.people.moderator, f"/verify #{missing.id}")
    desk.clock.advance(dt.timedelta(hours=30))
    await _run_digest(desk)
    assert not any("Aún No" in body for body in _bodies(desk, MODERATION_CHAT_ID))
