"""A name typed to break the moderators' HTML reaches the morning digest as text.

The digest is one long HTML message listing overdue disappearances and waiting
reports by name (privately; the group reads numbers only). A name with tags, an
ampersand, a link, right-to-left marks or sheer length must show as the family
typed it, and Telegram must accept the message: the fake Bot API parses it as
Telegram would and refuses what Telegram refuses.
"""

from __future__ import annotations

import datetime as dt
import html

from fake_telegram import Call
from fake_telegram.telegram_html import parse_html
from tests.harness import BotHarness
from tests.moderation.helpers import file_report, say

HOSTILE_NAMES = (
    "<b>Pedro</b> </i> & <a href='https://evil.example'>Pérez</a>",
    "José \u202eZEREP\u202c & Co <script>x</script>",
    "Ana " + "&amp;<" * 60,
)


def _digests(calls: list[Call], chat_id: int) -> list[str]:
    return [
        str(call.params["text"])
        for call in calls
        if call.method == "sendMessage"
        and call.chat_id == chat_id
        and "Resumen de la mañana" in str(call.params.get("text"))
    ]


async def test_hostile_names_are_escaped_in_the_morning_digest(
    private_desk: BotHarness,
) -> None:
    harness = private_desk
    moderator = harness.people.moderator
    overdue = await file_report(
        harness, name=HOSTILE_NAMES[0], whereabouts="unknown", detained_on=dt.date(2026, 1, 10)
    )
    await say(harness, moderator, f"/verify #{overdue.id}")
    for name in HOSTILE_NAMES[1:]:
        await file_report(harness, name=name)
    harness.clock.advance(dt.timedelta(hours=49))
    start = harness.fake.call_count()
    jobs = harness.app.job_queue
    assert jobs is not None
    (job,) = jobs.get_jobs_by_name("moderation_digest")
    await job.run(harness.app)
    await harness.services.outbox_worker.drain()
    calls = harness.fake.calls_since(start)
    refused = [call for call in calls if call.error is not None]
    assert refused == [], [call.error for call in refused]
    [digest] = _digests(calls, moderator.id)
    for name in HOSTILE_NAMES:
        assert html.escape(name, quote=False) in digest or html.escape(name) in digest, name
        assert name not in digest
    shown = parse_html(digest).text  # what the moderator reads, as Telegram renders it
    for name in HOSTILE_NAMES:
        assert name in shown, name
