"""Under Telegram's limits, families never wait for the moderation group (issue 15)."""

from __future__ import annotations

from storage.outbox import Lane
from tests.harness import BotHarness
from tests.intake.helpers import family, reach_summary_en
from tests.surge.helpers import (
    GROUP,
    announced,
    pending_notices,
    queue_reports,
    refused,
    under_telegram_limits,
    until,
)


async def test_confirm_is_answered_while_the_group_is_out_of_budget(desk: BotHarness) -> None:
    reporter = family(desk)
    await reach_summary_en(reporter)
    await under_telegram_limits(desk)
    earlier = await queue_reports(desk, 20)
    await desk.services.outbox_worker.drain()
    assert sorted(announced(desk)) == earlier  # twenty notices: the group's whole minute
    budget = desk.services.send_budget
    assert budget.wait_for(GROUP) > 0

    await reporter.tap("✅ Confirm and send")

    # The family has its receipt; its report's notice waits its turn in the staff lane.
    assert any("Your report was saved" in text for text in reporter.texts())
    [report] = await desk.services.reports.for_reporter(reporter.user.id)
    waiting = await pending_notices(desk)
    assert [row.report_id for row in waiting] == [report.id]
    assert waiting[0].lane is Lane.STAFF
    assert budget.wait_for(GROUP) > 0  # nothing was forced through the group meanwhile
    # The notice follows as soon as the group has room, and Telegram refused nothing.
    await desk.services.outbox_worker.drain()
    assert sorted(announced(desk)) == [*earlier, report.id]
    assert refused(desk) == 0


async def test_a_group_behind_gets_one_notice_for_all_that_wait(desk: BotHarness) -> None:
    await under_telegram_limits(desk)
    await desk.services.outbox_worker.stop()  # a surge queued while nothing could go
    ids = await queue_reports(desk, 30, urgent_every=10)
    await desk.restart()
    await desk.services.outbox_worker.drain()

    [merged] = [message.body for message in desk.fake.bot_messages(GROUP)]
    first, last = ids[0], ids[-1]
    assert merged.startswith(f"🆕 <b>30 reportes nuevos</b> (#{first}–#{last})")
    assert "🚨 <b>3 urgentes</b> · /cola" in merged
    assert merged.count("horas desde la detención") == 3
    assert "Todos están ya en /cola" in merged
    assert "Persona" not in merged  # names nobody
    for report_id in ids:  # and no receipt code, spaced or not (issue 14)
        report = await desk.services.reports.by_id(report_id)
        assert report is not None and report.receipt_code
        assert report.receipt_code not in merged.replace(" ", "")
    assert len(merged) < 4096
    assert sorted(announced(desk)) == ids  # each report exactly once
    assert await pending_notices(desk) == []
    assert refused(desk) == 0


async def test_a_429_on_the_group_pauses_the_group_only(desk: BotHarness) -> None:
    await under_telegram_limits(desk)
    desk.fake.fail_next("sendMessage", error_code=429, retry_after=30, chat_id=GROUP)
    [report_id] = await queue_reports(desk, 1)
    worker = desk.services.outbox_worker
    await until(lambda: desk.services.send_budget.wait_for(GROUP) > 0)
    assert desk.services.send_budget.wait_for(GROUP) > 20  # Telegram asked for 30 s

    # Meanwhile a family's status news goes out, and a family is answered at once.
    reporter = family(desk)
    await reporter.say("/start")
    assert reporter.texts()
    async with desk.services.db.transaction() as conn:
        await desk.services.outbox.add_notification(
            conn, chat_id=desk.people.family_es.id, language="es", text="Novedad"
        )
    desk.services.outbox.wake()
    await until(lambda: desk.fake.bot_messages(desk.people.family_es.id))
    assert [m.body for m in desk.fake.bot_messages(desk.people.family_es.id)] == ["Novedad"]
    assert [row.report_id for row in await pending_notices(desk)] == [report_id]
    assert announced(desk) == []
    assert not worker.stopping
