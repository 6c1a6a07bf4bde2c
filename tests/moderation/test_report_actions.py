"""Deciding on reports through the bot: take, verify, needs info, reject, duplicate."""

from __future__ import annotations

import datetime as dt
import sqlite3

from domain.vocabulary import CaseEventKind, CaseState, ReportKind, ReportState
from tests.harness import BotHarness
from tests.moderation.helpers import file_report, say


async def _deliver(harness: BotHarness) -> None:
    await harness.services.outbox_worker.drain()


async def test_take_assigns_the_report_and_puts_it_in_review(private_desk: BotHarness) -> None:
    report = await file_report(private_desk)
    sent = await say(private_desk, private_desk.people.moderator, f"/take #{report.id}")
    assert f"#{report.id}" in sent
    snapshot = await private_desk.services.review.get(report.id)
    assert snapshot is not None
    assert snapshot.state is ReportState.IN_REVIEW
    assert snapshot.assigned_to_key == private_desk.services.audit.actor_key(
        private_desk.people.moderator.id
    )


async def test_take_accepts_the_receipt_code_with_spaces(private_desk: BotHarness) -> None:
    report = await file_report(private_desk)
    await private_desk.rig.send_text(
        private_desk.people.moderator, f"/tomar {report.receipt_display}"
    )
    snapshot = await private_desk.services.review.get(report.id)
    assert snapshot is not None and snapshot.state is ReportState.IN_REVIEW


async def test_verify_alone_creates_a_detained_case_at_the_reported_place(
    private_desk: BotHarness,
) -> None:
    report = await file_report(
        private_desk, name="María Rojas", whereabouts="rodeo1", cedula="V12345678", sex="female"
    )
    sent = await say(private_desk, private_desk.people.moderator, f"/verify #{report.id}")
    assert "C1" in sent
    case = await private_desk.services.cases.get(1)
    assert case is not None
    assert (case.state, case.place, case.person_name) == (
        CaseState.DETAINED,
        "rodeo1",
        "María Rojas",
    )
    assert (case.cedula, case.sex) == ("V12345678", "female")
    events = await private_desk.services.cases.events(1)
    assert [(e.kind, e.event_date) for e in events] == [
        (CaseEventKind.VERIFIED, dt.date(2026, 1, 12))
    ]
    verified = await private_desk.services.review.get(report.id)
    assert verified is not None
    assert (verified.state, verified.case_id) == (ReportState.VERIFIED, 1)


async def test_verify_with_unknown_whereabouts_creates_a_disappeared_case(
    private_desk: BotHarness,
) -> None:
    report = await file_report(private_desk, whereabouts="unknown")
    await private_desk.rig.send_text(private_desk.people.moderator, f"/verify #{report.id}")
    case = await private_desk.services.cases.get(1)
    assert case is not None and case.state is CaseState.DISAPPEARED


async def test_verify_copies_the_publication_consent(private_desk: BotHarness) -> None:
    now = private_desk.clock.now()
    report = await file_report(private_desk, publish_consent_at=now)
    await private_desk.rig.send_text(private_desk.people.moderator, f"/verify #{report.id}")
    case = await private_desk.services.cases.get(1)
    assert case is not None and case.publish_consent


async def test_verify_with_a_case_links_the_report_and_dates_a_new_verification(
    private_desk: BotHarness,
) -> None:
    mod = private_desk.people.moderator
    first = await file_report(private_desk)
    second = await file_report(private_desk, reporter=private_desk.people.family_en)
    await private_desk.rig.send_text(mod, f"/verify #{first.id}")
    private_desk.clock.advance(dt.timedelta(days=1))
    sent = await say(private_desk, mod, f"/verify #{second.id} C1")
    assert "C1" in sent
    linked = await private_desk.services.review.get(second.id)
    assert linked is not None and linked.case_id == 1
    events = await private_desk.services.cases.events(1)
    assert [e.event_date for e in events] == [dt.date(2026, 1, 12), dt.date(2026, 1, 13)]
    assert await private_desk.services.review.reports_of_case(1) == [first.id, second.id]


async def test_a_release_report_verifies_onto_the_case_of_its_earlier_report(
    private_desk: BotHarness,
) -> None:
    mod = private_desk.people.moderator
    detention = await file_report(private_desk)
    await private_desk.rig.send_text(mod, f"/verify #{detention.id}")
    release = await file_report(
        private_desk, kind=ReportKind.RELEASE, parent_report_id=detention.id, whereabouts=None
    )
    await private_desk.rig.send_text(mod, f"/verify #{release.id}")
    linked = await private_desk.services.review.get(release.id)
    assert linked is not None and (linked.state, linked.case_id) == (ReportState.VERIFIED, 1)


async def test_a_release_report_without_a_case_is_not_verified_alone(
    private_desk: BotHarness,
) -> None:
    release = await file_report(private_desk, kind=ReportKind.RELEASE, whereabouts=None)
    sent = await say(private_desk, private_desk.people.moderator, f"/verify #{release.id}")
    assert "⛔" in sent and "/verificar" in sent
    assert await private_desk.services.cases.get(1) is None


async def test_verify_tells_the_reporter(private_desk: BotHarness) -> None:
    report = await file_report(private_desk)
    await private_desk.rig.send_text(private_desk.people.moderator, f"/verify #{report.id}")
    await _deliver(private_desk)
    assert "verificado" in private_desk.fake.last_text(private_desk.people.family_es.id)


async def test_needinfo_asks_the_reporter_and_keeps_the_question_in_the_thread(
    private_desk: BotHarness,
) -> None:
    report = await file_report(private_desk)
    await private_desk.rig.send_text(
        private_desk.people.moderator, f"/needinfo #{report.id} ¿Qué día fue exactamente?"
    )
    thread = await private_desk.services.followups.thread(report.id)
    assert [m.text for m in thread] == ["¿Qué día fue exactamente?"]
    snapshot = await private_desk.services.review.get(report.id)
    assert snapshot is not None and snapshot.state is ReportState.NEEDS_INFO
    await _deliver(private_desk)
    family = [m.body for m in private_desk.fake.bot_messages(private_desk.people.family_es.id)]
    assert any("¿Qué día fue exactamente?" in body for body in family)


async def test_reject_records_the_reason_and_seals_the_note(private_desk: BotHarness) -> None:
    report = await file_report(private_desk)
    sent = await say(
        private_desk,
        private_desk.people.moderator,
        f"/reject #{report.id} out_of_scope caso de estafa, no detención",
    )
    assert "rechazado: Fuera de nuestro alcance" in sent
    snapshot = await private_desk.services.review.get(report.id)
    assert snapshot is not None
    assert (snapshot.state, snapshot.reject_reason) == (ReportState.REJECTED, "out_of_scope")
    with sqlite3.connect(private_desk.settings.database_path) as raw:
        (note,) = raw.execute(
            "SELECT reject_note_enc FROM reports WHERE id = ?", (report.id,)
        ).fetchone()
    assert note and "estafa" not in note


async def test_reject_with_an_unknown_reason_explains_the_reasons(
    private_desk: BotHarness,
) -> None:
    report = await file_report(private_desk)
    sent = await say(private_desk, private_desk.people.moderator, f"/reject #{report.id} meh")
    assert "insufficient" in sent and "false_report" in sent
    snapshot = await private_desk.services.review.get(report.id)
    assert snapshot is not None and snapshot.state is ReportState.RECEIVED


async def test_duplicate_joins_the_report_to_the_case(private_desk: BotHarness) -> None:
    mod = private_desk.people.moderator
    first = await file_report(private_desk)
    second = await file_report(private_desk, reporter=private_desk.people.family_en)
    await private_desk.rig.send_text(mod, f"/verify #{first.id}")
    await private_desk.rig.send_text(mod, f"/duplicado #{second.id} C1")
    snapshot = await private_desk.services.review.get(second.id)
    assert snapshot is not None
    assert (snapshot.state, snapshot.case_id) == (ReportState.DUPLICATE, 1)


async def test_a_decided_report_refuses_another_decision_with_the_reason(
    private_desk: BotHarness,
) -> None:
    mod = private_desk.people.moderator
    report = await file_report(private_desk)
    await private_desk.rig.send_text(mod, f"/reject #{report.id} false_report")
    sent = await say(private_desk, mod, f"/verify #{report.id}")
    assert "⛔" in sent
    snapshot = await private_desk.services.review.get(report.id)
    assert snapshot is not None and snapshot.state is ReportState.REJECTED


async def test_an_unknown_report_gets_one_plain_answer(private_desk: BotHarness) -> None:
    sent = await say(private_desk, private_desk.people.moderator, "/take #999")
    assert sent == private_desk.services.catalogs.get("es").gettext(
        "I can't find that report or case."
    )


USAGE_COMMANDS = {
    "take": "tomar",
    "verify": "verificar",
    "needinfo": "pedirinfo",
    "reject": "rechazar",
    "duplicate": "duplicado",
    "merge": "fusionar",
    "release": "excarcelar",
    "housearrest": "domiciliaria",
    "rearrest": "redetencion",
    "transfer": "traslado",
    "death": "fallecimiento",
    "close": "cerrar",
    "case": "caso",
    "history": "historial",
    "grant": "otorgar",
    "revoke": "revocar",
}


async def test_every_desk_command_without_arguments_explains_itself(
    private_desk: BotHarness,
) -> None:
    """In Spanish and in English, by either name: the usage of that very command."""
    admin = private_desk.people.admin
    spanish: dict[str, str] = {}
    for english_name, spanish_name in USAGE_COMMANDS.items():
        for name in (english_name, spanish_name):
            sent = await say(private_desk, admin, f"/{name}")
            assert sent.split()[:2] in (
                ["Uso:", f"/{spanish_name}"],
                ["Uso:", f"/{english_name}"],
            ), (name, sent)
            spanish[english_name] = sent
    await say(private_desk, admin, "/language en")
    for english_name, spanish_name in USAGE_COMMANDS.items():
        for name in (english_name, spanish_name):
            sent = await say(private_desk, admin, f"/{name}")
            assert sent.startswith(f"Usage: /{english_name}"), (name, sent)
            assert sent != spanish[english_name]
    sent = await say(private_desk, private_desk.people.moderator2, "/take")
    assert sent.startswith("Usage: /take"), sent


async def test_verify_with_something_that_is_not_a_case_explains_itself(
    private_desk: BotHarness,
) -> None:
    report = await file_report(private_desk)
    sent = await say(private_desk, private_desk.people.moderator, f"/verify #{report.id} banana")
    assert sent.startswith("Uso: /verificar CÓDIGO [CASO]")
    snapshot = await private_desk.services.review.get(report.id)
    assert snapshot is not None and snapshot.state is ReportState.RECEIVED
    assert await private_desk.services.cases.get(1) is None
