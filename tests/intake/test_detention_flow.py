"""A whole detention report, in Spanish and in English, from the first tap to the code."""

from __future__ import annotations

import datetime as dt
import re

from domain.receipts import normalise_receipt
from domain.vocabulary import ReportKind, ReportState
from tests.harness import ADMIN_ID, BotHarness
from tests.intake.helpers import (
    DETENTION_EN,
    DETENTION_ES,
    FILES,
    STORY,
    family,
    reach_question,
    reach_summary_en,
    reach_summary_es,
)

CODE = re.compile(r"<code>(\d{4} \d{4} \d{4} \d{4})</code>")


def receipt_in(texts: list[str]) -> str:
    for text in texts:
        match = CODE.search(text)
        if match:
            code = normalise_receipt(match.group(1))
            assert code is not None
            return code
    raise AssertionError("no receipt code was shown")


async def test_whole_report_in_english_is_stored_with_every_answer(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_summary_en(reporter)
    assert "Please check your report" in reporter.last
    await reporter.tap("✅ Confirm and send")
    code = receipt_in(reporter.texts())
    report = await harness.services.reports.by_receipt(code)
    assert report is not None
    assert report.kind is ReportKind.DETENTION and report.state is ReportState.RECEIVED
    assert report.person_name == "Pedro José Pérez"
    assert report.cedula == "V12345678"
    assert (report.sex, report.age, report.is_minor) == ("male", 34, False)
    assert report.affiliation == "civilian"
    assert report.detained_on == dt.date(2026, 1, 11)
    assert (report.federal_entity, report.municipality) == ("miranda", "Sucre")
    assert (report.detaining_body, report.whereabouts) == ("sebin", "helicoide")
    assert report.circumstances == "They took him from his home at night."
    assert report.relationship == "brother"
    assert report.reporter_language == "en"
    # Each consent carries the moment it was given (one paced second apart).
    assert report.contact_consent_at is not None and report.publish_consent_at is not None
    assert report.publish_consent_at - report.contact_consent_at == dt.timedelta(seconds=1)
    assert report.priority == 0


async def test_whole_report_in_spanish_speaks_spanish_and_is_stored(harness: BotHarness) -> None:
    reporter = family(harness, harness.people.family_es)
    await reporter.say("/reportar")
    assert "¿Qué quieres reportar?" in reporter.last
    await reporter.act(DETENTION_ES)
    assert "Revisa tu reporte" in reporter.last
    await reporter.tap("✅ Confirmar y enviar")
    texts = reporter.texts()
    assert any("Tu reporte quedó guardado" in text and "/estado" in text for text in texts)
    report = await harness.services.reports.by_receipt(receipt_in(texts))
    assert report is not None
    assert report.person_name == "María Fernanda Gómez"
    assert report.cedula == "E81234567"
    assert (report.sex, report.age, report.is_minor) == ("female", None, True)
    assert report.detained_on == dt.date(2026, 1, 10)
    assert report.municipality is None and report.circumstances is None
    assert report.whereabouts == "unknown"
    assert report.reporter_language == "es"
    assert report.contact_consent_at is not None and report.publish_consent_at is None


async def test_unknown_whereabouts_raises_the_priority(harness: BotHarness) -> None:
    reporter = family(harness, harness.people.family_es)
    await reach_summary_es(reporter)
    await reporter.tap("✅ Confirmar y enviar")
    report = await harness.services.reports.by_receipt(receipt_in(reporter.texts()))
    assert report is not None and report.priority > 0 and report.urgent


async def test_the_code_has_its_own_message_with_what_to_do(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_summary_en(reporter)
    calls = await reporter.tap("✅ Confirm and send")
    sends = [call for call in calls if call.method == "sendMessage" and call.chat_id == 2002]
    first = str(sends[0].params["text"])
    assert CODE.search(first) and "/status" in first and "Write it down somewhere safe" in first
    assert "This message disappears in 24 hours" in first
    assert sends[0].params.get("reply_markup") is None


async def test_after_filing_the_family_is_offered_release_updates(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_summary_en(reporter)
    await reporter.tap("✅ Confirm and send")
    offer = next(
        message
        for message in harness.fake.bot_messages(reporter.user.id)
        if "verified release updates" in message.body
    )
    buttons = dict(button for row in harness.fake.buttons(offer) for button in row)
    assert buttons["🔔 Yes, send me updates"] == "sub:subscribe"
    assert buttons["No, thanks"] == "sub:no"


async def test_evidence_is_kept_as_file_ids_with_type_and_size(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, FILES)
    await harness.rig.send_photo(reporter.user)
    await harness.rig.send_document(reporter.user, file_size=4096)
    await harness.rig.send_voice(reporter.user)
    assert "Received (3 of 5)" in reporter.last
    await reporter.act(DETENTION_EN[FILES:])
    await reporter.tap("✅ Confirm and send")
    report = await harness.services.reports.by_receipt(receipt_in(reporter.texts()))
    assert report is not None
    assert [item.media_type for item in report.evidence] == ["photo", "document", "voice"]
    assert report.evidence[1].file_size == 4096
    assert all(item.file_id for item in report.evidence)


async def test_a_sixth_file_is_refused_with_the_reason(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, FILES)
    for _ in range(5):
        await harness.rig.send_photo(reporter.user)
    await harness.rig.send_photo(reporter.user)
    assert "already sent 5 files" in reporter.last
    assert "✅ Done" in reporter.labels()


async def test_circumstances_may_be_a_voice_note(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_question(reporter, STORY)
    await harness.rig.send_voice(reporter.user)
    assert "photos, documents or voice notes" in reporter.last
    await reporter.act(DETENTION_EN[FILES:])
    assert "🎤 a voice note" in reporter.last
    await reporter.tap("✅ Confirm and send")
    report = await harness.services.reports.by_receipt(receipt_in(reporter.texts()))
    assert report is not None
    assert report.circumstances is None and report.circumstances_voice_file_id


async def test_the_main_menu_opens_a_detention_report(harness: BotHarness) -> None:
    reporter = family(harness)
    await reporter.say("/start")
    await reporter.tap("📝 Report a detention")
    assert "full name" in reporter.last


async def test_typed_values_are_escaped_when_shown_back(harness: BotHarness) -> None:
    reporter = family(harness)
    await reporter.start_detention()
    await reporter.say("Ana <b>Bold</b> & Co")
    await reporter.tap("⬅️ Back")
    assert "Your answer so far: Ana &lt;b&gt;Bold&lt;/b&gt; &amp; Co" in reporter.last


async def test_the_report_is_committed_before_the_code_is_shown(harness: BotHarness) -> None:
    reporter = family(harness)
    await reach_summary_en(reporter)
    # The message with the code never arrives: the report must already be on disk.
    harness.fake.fail_next("sendMessage", error_code=400, description="Bad Request: boom")
    await reporter.tap("✅ Confirm and send")
    reports = await harness.services.reports.for_reporter(reporter.user.id)
    assert len(reports) == 1 and reports[0].person_name == "Pedro José Pérez"
    assert "Nothing you had confirmed was lost" in reporter.last
    await harness.services.outbox_worker.drain()
    assert any("Pedro José Pérez" in m.body for m in harness.fake.bot_messages(ADMIN_ID))
