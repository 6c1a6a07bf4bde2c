"""The moderation desk: each action is one transaction that checks, writes, audits
and notifies.

Handlers call these functions with what the moderator saw (the report's or case's
`version`); if it moved meanwhile, `ReportChanged`/`CaseChanged` says so and carries
the current state, so that of two moderators acting at once exactly one wins. The
move itself is decided by `domain.transitions` (`IllegalTransition` carries the reason);
the audit event and the reporter's notification commit with the change or not at all.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite

from domain.i18n import N_
from domain.transitions import (
    IllegalTransition,
    ReportAction,
    initial_case_state,
    report_transition,
)
from domain.vocabulary import ReportKind, ReportState
from services.container import Services
from services.followup import ask_reporter
from services.notify import notify_report_change
from storage.cases import Case, CaseChanged
from storage.review import ReportChanged, ReportSnapshot

logger = logging.getLogger(__name__)

REPORT = "report"
CASE = "case"


class NotFound(Exception):
    """No report or case with that reference."""


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of a verification vote."""

    report: ReportSnapshot
    case_id: int | None
    created_case: bool
    votes: int
    quorum: int

    @property
    def waiting(self) -> bool:
        return self.report.state is not ReportState.VERIFIED


def local_today(services: Services) -> dt.date:
    return services.clock.now().astimezone(ZoneInfo(services.settings.timezone)).date()


async def _report(
    services: Services, conn: aiosqlite.Connection, report_id: int, seen_version: int
) -> ReportSnapshot:
    report = await services.review.load(conn, report_id)
    if report is None:
        raise NotFound(report_id)
    if report.version != seen_version:
        raise ReportChanged(report)
    return report


async def open_case(
    services: Services, conn: aiosqlite.Connection, case_id: int, seen_version: int | None
) -> Case:
    case = await services.cases.load(conn, case_id)
    if case is None:
        raise NotFound(case_id)
    if case.merged_into is not None:
        raise IllegalTransition(
            N_("This case was merged into case C{target}."), target=case.merged_into
        )
    if seen_version is not None and case.version != seen_version:
        raise CaseChanged(case)
    return case


async def take(
    services: Services, actor_id: int, report_id: int, seen_version: int
) -> ReportSnapshot:
    """Assign the report to the acting moderator."""
    async with services.db.transaction() as conn:
        report = await _report(services, conn, report_id, seen_version)
        state = report_transition(report.state, ReportAction.TAKE)
        moved = await services.review.move(
            conn, report, state, assigned_to_key=services.audit.actor_key(actor_id)
        )
        await _record_move(services, conn, actor_id, "take", report, moved)
    logger.info("report_taken report_id=%d", report.id)
    return moved


async def verify(
    services: Services,
    actor_id: int,
    report_id: int,
    seen_version: int,
    case_id: int | None = None,
) -> Verification:
    """One moderator's verification; the report is verified once the quorum agrees.

    Alone it creates a case from the report (`detained` at its place, `disappeared`
    when the whereabouts are unknown); with `case_id` it links the report to that
    case. A release or news report always links to a case: to the one its earlier
    report belongs to, or to the one the moderator names.
    """
    quorum = services.settings.verify_quorum
    created = False
    async with services.db.transaction() as conn:
        report = await _report(services, conn, report_id, seen_version)
        report_transition(report.state, ReportAction.VERIFY)
        target = await _verification_target(services, conn, report, case_id)
        voters = services.audit.actor_keys(actor_id)
        voter = voters[0]
        if not await services.review.add_vote(conn, report.id, voters, target):
            raise IllegalTransition(
                N_("You already verified this report; a different moderator must verify it too.")
            )
        votes = await services.review.votes(conn, report.id)
        other = next((vote.case_id for vote in votes if vote.case_id != target), target)
        if other != target:
            raise _disagreement(other)
        if len(votes) < quorum:
            await services.audit.append(
                conn,
                actor_id=actor_id,
                action="verify_vote",
                target_type=REPORT,
                target_id=report.id,
                state_before=report.state.value,
                state_after=report.state.value,
                details={"votes": len(votes), "quorum": quorum, "case": target},
            )
            return Verification(report, target, False, len(votes), quorum)
        today = local_today(services)
        if target is None:
            state = initial_case_state(report.whereabouts)
            target = await services.cases.create_from_report(
                conn, report.id, state, verified_on=today, actor_key=voter
            )
            created = True
        else:
            case = await open_case(services, conn, target, None)
            await services.cases.attach_report(
                conn, case, report.id, verified_on=today, actor_key=voter
            )
        moved = await services.review.move(conn, report, ReportState.VERIFIED, case_id=target)
        await _record_move(
            services, conn, actor_id, "verify", report, moved, case=target, created=created
        )
    if created:
        await index_case(services, target)
    logger.info("report_verified report_id=%d new_case=%s", report.id, created)
    return Verification(moved, target, created, len(votes), quorum)


async def _verification_target(
    services: Services, conn: aiosqlite.Connection, report: ReportSnapshot, case_id: int | None
) -> int | None:
    if case_id is not None:
        await open_case(services, conn, case_id, None)
        return case_id
    if report.kind is ReportKind.DETENTION:
        return None
    parent = (
        await services.review.load(conn, report.parent_report_id)
        if report.parent_report_id is not None
        else None
    )
    if parent is not None and parent.case_id is not None:
        return (await open_case(services, conn, parent.case_id, None)).id
    raise IllegalTransition(
        N_(
            "A release or news report is verified by linking it to its case: "
            "/verify {report} CASE_ID."
        ),
        report=f"#{report.id}",
    )


def _disagreement(other: int | None) -> IllegalTransition:
    if other is None:
        return IllegalTransition(
            N_(
                "Another moderator verified this report as a new case; verify it the same "
                "way, or talk to them first."
            )
        )
    return IllegalTransition(
        N_(
            "Another moderator verified this report as part of case C{case}; verify it "
            "the same way, or talk to them first."
        ),
        case=other,
    )


async def needs_info(
    services: Services, actor_id: int, report_id: int, seen_version: int, question: str
) -> ReportSnapshot:
    """Ask the reporter through the follow-up thread; the report waits for the answer."""
    async with services.db.transaction() as conn:
        report = await _report(services, conn, report_id, seen_version)
        state = report_transition(report.state, ReportAction.NEEDS_INFO)
        moved = await services.review.move(conn, report, state)
        await ask_reporter(services, conn, report_id=report.id, question=question)
        await _record_move(services, conn, actor_id, "needs_info", report, moved)
    logger.info("report_needs_info report_id=%d", report.id)
    return moved


async def reject(
    services: Services,
    actor_id: int,
    report_id: int,
    seen_version: int,
    reason: str,
    note: str | None,
) -> ReportSnapshot:
    async with services.db.transaction() as conn:
        report = await _report(services, conn, report_id, seen_version)
        state = report_transition(report.state, ReportAction.REJECT)
        moved = await services.review.move(
            conn, report, state, reject_reason=reason, reject_note=note
        )
        await _record_move(services, conn, actor_id, "reject", report, moved, reason=reason)
    logger.info("report_rejected report_id=%d reason=%s", report.id, reason)
    return moved


async def mark_duplicate(
    services: Services, actor_id: int, report_id: int, seen_version: int, case_id: int
) -> ReportSnapshot:
    """The report describes a case already followed: it joins that case."""
    async with services.db.transaction() as conn:
        report = await _report(services, conn, report_id, seen_version)
        state = report_transition(report.state, ReportAction.DUPLICATE)
        case = await open_case(services, conn, case_id, None)
        await services.cases.attach_report(
            conn, case, report.id, verified_on=None, actor_key=services.audit.actor_key(actor_id)
        )
        moved = await services.review.move(conn, report, state, case_id=case.id)
        await _record_move(services, conn, actor_id, "duplicate", report, moved, case=case.id)
    logger.info("report_duplicate report_id=%d", report.id)
    return moved


async def _record_move(
    services: Services,
    conn: aiosqlite.Connection,
    actor_id: int,
    action: str,
    before: ReportSnapshot,
    after: ReportSnapshot,
    **details: Any,
) -> None:
    """Audit a report's move, and tell the reporter when its state changed.

    Verifying, rejecting and marking a duplicate always change it (decided states
    cannot be left); taking a report already in review, or asking a second
    question, does not, and the reporter hears nothing new.
    """
    await services.audit.append(
        conn,
        actor_id=actor_id,
        action=action,
        target_type=REPORT,
        target_id=before.id,
        state_before=before.state.value,
        state_after=after.state.value,
        details={key: value for key, value in details.items() if value is not None},
    )
    if after.state is not before.state:
        await notify_report_change(services, conn, before.id)


async def index_case(services: Services, case_id: int) -> None:
    """Keep the duplicate index in step with the cases, after the commit."""
    case = await services.cases.get(case_id)
    if case is not None:
        await services.duplicates.update_case(case)


async def unindex_case(services: Services, case_id: int) -> None:
    await services.duplicates.remove_case(case_id)
