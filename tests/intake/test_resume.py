"""Drafts survive a restart, pause after 30 idle minutes, and are gone after 24 hours.

The pause is PTB's `conversation_timeout`: each answer replaces the conversation's
timer job (`ConversationHandler.timeout_jobs`). The tests read when a job is due and
run it by hand rather than wait half an hour.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from telegram.ext import ConversationHandler, Job

from tests.harness import BotHarness
from tests.intake.helpers import (
    AGE,
    CEDULA,
    DETENTION_EN,
    SEX,
    WHERE,
    Family,
    family,
    reach_question,
    reach_summary_en,
)

IDLE = dt.timedelta(minutes=30)


async def run_jobs_named(harness: BotHarness, name: str) -> int:
    job_queue = harness.app.job_queue
    assert job_queue is not None
    jobs = [job for job in job_queue.jobs() if job.name == name]
    for job in jobs:
        await job.run(harness.app)
    return len(jobs)


def pause_timers(harness: BotHarness) -> list[Job[Any]]:
    """The pending timeout job of every running conversation."""
    return [
        job
        for group in harness.app.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler)
        for job in handler.timeout_jobs.values()
    ]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def go_quiet(harness: BotHarness) -> None:
    """Thirty quiet minutes pass: the one conversation's timer fires."""
    (timer,) = pause_timers(harness)
    await timer.run(harness.app)
    assert pause_timers(harness) == []


async def paused_at(harness: BotHarness, question: int) -> Family:
    """An English reporter who answered everything before `question`, then went quiet."""
    reporter = family(harness)
    await reach_question(reporter, question)
    await go_quiet(harness)
    return reporter


async def test_a_restart_mid_report_keeps_the_question_and_every_answer(
    harness: BotHarness,
) -> None:
    reporter = family(harness)
    await reach_question(reporter, WHERE)
    await harness.restart()
    await reporter.tap("El Helicoide")
    assert "what happened" in reporter.last
    await reporter.act(DETENTION_EN[WHERE + 1 :])
    summary = reporter.last
    for answer in (
        "Pedro José Pérez",
        "V-12.345.678",
        "Man",
        "34",
        "Civilian",
        "Miranda",
        "Sucre",
        "SEBIN",
        "El Helicoide",
        "brother",
    ):
        assert answer in summary
    await reporter.tap("✅ Confirm and send")
    reports = await harness.services.reports.for_reporter(reporter.user.id)
    assert len(reports) == 1 and reports[0].person_name == "Pedro José Pérez"
    assert reports[0].detaining_body == "sebin"


async def test_a_restart_at_the_summary_still_confirms_once(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_summary_en(reporter)
    await harness.restart()
    await reporter.tap("✅ Confirm and send")
    assert any("Your report was saved" in text for text in reporter.texts())
    assert len(await harness.services.reports.for_reporter(reporter.user.id)) == 1


async def test_thirty_idle_minutes_pause_the_report_with_how_to_resume(
    harness: BotHarness,
) -> None:
    reporter = family(harness)
    before = now()
    await reach_question(reporter, CEDULA)
    after = now()
    (timer,) = pause_timers(harness)
    assert timer.next_t is not None and before + IDLE <= timer.next_t <= after + IDLE
    assert "no answer for 30 minutes" not in reporter.last
    await go_quiet(harness)
    assert "no answer for 30 minutes" in reporter.last
    assert "kept for 24 hours" in reporter.last and "/report" in reporter.last


async def test_each_answer_restarts_the_thirty_idle_minutes(harness: BotHarness) -> None:
    reporter = family(harness)
    await reporter.start_detention()
    (first,) = pause_timers(harness)
    between = now()
    await reporter.say("Ana Pérez")
    asked = reporter.last
    (second,) = pause_timers(harness)
    assert second is not first and first.removed
    assert second.next_t is not None and second.next_t >= between + IDLE
    await first.run(harness.app)  # a replaced timer that fires anyway does nothing
    assert reporter.last == asked
    await second.run(harness.app)
    assert "no answer for 30 minutes" in reporter.last
    await reporter.say("V-12.345.678")
    assert "wasn't expecting that" in reporter.last


async def test_a_finished_report_leaves_no_timer(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_summary_en(reporter)
    assert len(pause_timers(harness)) == 1
    await reporter.tap("✅ Confirm and send")
    assert pause_timers(harness) == []


async def test_a_report_resumed_after_a_restart_pauses_again(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, CEDULA)
    await harness.restart()
    assert pause_timers(harness) == []  # timers live in memory: the next answer sets one
    await reporter.say("V-12.345.678")
    assert "woman or a man" in reporter.last
    await go_quiet(harness)
    assert "no answer for 30 minutes" in reporter.last


async def test_a_paused_report_continues_where_it_stopped(harness: BotHarness) -> None:
    reporter = await paused_at(harness, SEX)
    await reporter.say("/report")
    assert "You have a report in progress" in reporter.last
    await reporter.tap("▶️ Continue")
    assert "Here is where you left off" in reporter.last
    assert "woman or a man" in reporter.last
    await reporter.tap("⬅️ Back")
    assert "Your answer so far: V-12.345.678" in reporter.last


async def test_text_after_a_pause_is_not_taken_as_an_answer(harness: BotHarness) -> None:
    reporter = await paused_at(harness, CEDULA)
    await reporter.say("V-12.345.678")
    assert "wasn't expecting that" in reporter.last


async def test_a_paused_draft_can_be_discarded(harness: BotHarness) -> None:
    reporter = await paused_at(harness, CEDULA)
    await reporter.say("/report")
    await reporter.tap("🗑 Discard it")
    assert "What would you like to report?" in reporter.last
    assert any("Discarded. Nothing was saved." in text for text in reporter.texts())


async def test_starting_another_report_offers_the_waiting_draft(harness: BotHarness) -> None:
    reporter = await paused_at(harness, CEDULA)
    await reporter.say("/start")
    await reporter.tap("🔓 Report a release")
    assert "You have a report in progress (Report of a detention)" in reporter.last


async def test_drafts_older_than_a_day_are_deleted(harness: BotHarness) -> None:
    reporter = await paused_at(harness, CEDULA)
    harness.clock.advance(dt.timedelta(hours=25))
    assert await run_jobs_named(harness, "intake_draft_cleanup") == 1
    await harness.app.update_persistence()
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM persistence_user_data")
    assert row is not None and row[0] == 0
    await reporter.say("/report")
    assert "What would you like to report?" in reporter.last


async def test_a_draft_expired_across_a_restart_says_so(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, CEDULA)
    await harness.restart()
    harness.clock.advance(dt.timedelta(hours=25))
    await run_jobs_named(harness, "intake_draft_cleanup")
    await reporter.say("V-12.345.678")
    assert "not finished within 24 hours" in reporter.last
    await reporter.say("/report")
    assert "What would you like to report?" in reporter.last


async def test_a_young_draft_survives_the_cleanup(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, CEDULA)
    harness.clock.advance(dt.timedelta(hours=23))
    await run_jobs_named(harness, "intake_draft_cleanup")
    await reporter.say("V-12.345.678")
    assert "woman or a man" in reporter.last


async def test_after_a_crash_the_report_continues_from_the_last_save(
    harness: BotHarness,
) -> None:
    reporter = family(harness)
    await reach_question(reporter, AGE)
    # What the persistence loop does every couple of seconds; then the process dies.
    await harness.app.update_persistence()
    survivor = BotHarness(harness.settings, harness.clock)
    survivor.fake = harness.fake
    await survivor.start()
    try:
        after_crash = family(survivor, reporter.user)
        await after_crash.say("41")
        assert "civilian or military" in after_crash.last
        await after_crash.tap("⬅️ Back")
        await after_crash.tap("⬅️ Back")
        assert "Your answer so far: Man" in after_crash.last
    finally:
        await survivor.stop()
