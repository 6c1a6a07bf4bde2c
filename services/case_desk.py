"""The desk's actions on cases: what happened to the person, merges, and corrected dates.

Each action is one transaction that checks, writes, audits and notifies, like the
report actions of `services.desk`. Every dated step obeys the story's date rules
(`domain.story`): never in the future, never before the detention, never before the
step it follows. The import applies the same rules, so the same history is recorded
the same way whichever path it takes.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from domain.i18n import N_
from domain.story import DETENTION, check_detention_date, check_event_date
from domain.transitions import CaseAction, IllegalTransition, case_transition
from domain.vocabulary import CaseEventKind, CaseState
from services.container import Services
from services.desk import CASE, index_case, local_today, open_case, unindex_case
from services.notify import notify_case_change, notify_report_change
from storage.case_story import CaseStory
from storage.cases import Case, Change

logger = logging.getLogger(__name__)

NO_SUCH_STEP = N_("This case has no {kind} whose date could be corrected.")


@dataclass(frozen=True, slots=True)
class CaseRequest:
    """A case action as the moderator typed or pressed it."""

    action: CaseAction
    on: dt.date
    place: str | None = None
    place_other: str | None = None
    conditions: tuple[str, ...] = ()
    # Court presentation "every N days", for a release with that condition.
    presentation_days: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """A recorded case action: the case as it is now, its state before, the event."""

    case: Case
    before: CaseState
    event: CaseEventKind


@dataclass(frozen=True, slots=True)
class Correction:
    """A corrected date: which step (`DETENTION` or an event kind), from when to when."""

    case: Case
    step: str
    before: dt.date | None
    after: dt.date


async def act_on_case(
    services: Services, actor_id: int, case_id: int, seen_version: int, request: CaseRequest
) -> CaseOutcome:
    """House arrest, release, re-arrest, transfer, death in custody or closing."""
    story = CaseStory(services.clock)
    async with services.db.transaction() as conn:
        case = await open_case(services, conn, case_id, seen_version)
        move = case_transition(
            case.state, request.action, place=request.place, conditions=request.conditions
        )
        steps = await story.steps(conn, case.id)
        check_event_date(
            request.on,
            today=local_today(services),
            detained_on=case.detained_on,
            previous=steps[-1].event_date if steps else None,
        )
        change = Change(
            event_date=request.on,
            place=request.place,
            place_other=request.place_other,
            conditions=request.conditions,
            presentation_days=request.presentation_days,
            details=request.note,
        )
        moved = await services.cases.apply(
            conn, case, move, change, actor_key=services.audit.actor_key(actor_id)
        )
        details: dict[str, Any] = {"date": request.on.isoformat()}
        if request.place is not None:
            details["place"] = request.place
        if request.conditions:
            details["conditions"] = list(request.conditions)
        if request.presentation_days is not None:
            details["presentation_days"] = request.presentation_days
        await services.audit.append(
            conn,
            actor_id=actor_id,
            action=request.action.value,
            target_type=CASE,
            target_id=case.id,
            state_before=case.state.value,
            state_after=moved.state.value,
            details=details,
        )
        await notify_case_change(services, conn, case.id)
    await index_case(services, case.id)
    logger.info("case_changed case_id=%d action=%s", case.id, request.action.value)
    return CaseOutcome(moved, case.state, move.event)


async def correct_date(
    services: Services, actor_id: int, case_id: int, step: str, on: dt.date
) -> Correction:
    """Correct when a step happened: the detention, or the latest step of a kind.

    The step keeps its place in the story: not before the one it follows, not after
    the one that follows it. Correcting the latest release corrects `released_on`.
    """
    story = CaseStory(services.clock)
    today = local_today(services)
    async with services.db.transaction() as conn:
        case = await open_case(services, conn, case_id, None)
        steps = await story.steps(conn, case.id)
        if step == DETENTION:
            first = steps[0].event_date if steps else None
            check_detention_date(on, today=today, first_step=first)
            before = case.detained_on
            await story.redate_detention(conn, case.id, on)
        else:
            kind = CaseEventKind(step)
            index = max((at for at, s in enumerate(steps) if s.kind is kind), default=None)
            if index is None:
                raise IllegalTransition(NO_SUCH_STEP, kind=kind.value)
            check_event_date(
                on,
                today=today,
                detained_on=case.detained_on,
                previous=steps[index - 1].event_date if index > 0 else None,
                following=steps[index + 1].event_date if index + 1 < len(steps) else None,
            )
            before = steps[index].event_date
            await story.redate_step(conn, case.id, steps[index], on)
        await services.audit.append(
            conn,
            actor_id=actor_id,
            action="correct_date",
            target_type=CASE,
            target_id=case.id,
            state_before=case.state.value,
            state_after=case.state.value,
            details={
                "step": step,
                "from": before.isoformat() if before else None,
                "to": on.isoformat(),
            },
        )
        corrected = await services.cases.load(conn, case.id)
    await index_case(services, case.id)
    logger.info("case_date_corrected case_id=%d step=%s", case.id, step)
    return Correction(corrected or case, step, before, on)


async def merge(services: Services, actor_id: int, source_id: int, target_id: int) -> Case:
    """`source` joins `target`: its reports follow it and it is closed as merged."""
    if source_id == target_id:
        raise IllegalTransition(N_("A case cannot be merged into itself."))
    async with services.db.transaction() as conn:
        source = await open_case(services, conn, source_id, None)
        target = await open_case(services, conn, target_id, None)
        move = case_transition(source.state, CaseAction.MERGE)
        actor_key = services.audit.actor_key(actor_id)
        moved = await services.cases.merge(
            conn, source, target, move, on=local_today(services), actor_key=actor_key
        )
        moved_reports = await services.review.report_ids_of_cases(conn, [source.id])
        await services.review.relink(conn, source.id, target.id)
        for case, into in ((source, target.id), (target, None)):
            await services.audit.append(
                conn,
                actor_id=actor_id,
                action="merge",
                target_type=CASE,
                target_id=case.id,
                state_before=case.state.value,
                state_after=move.state.value if into is not None else case.state.value,
                details={"into": target.id} if into is not None else {"from": source.id},
            )
        for report_id in moved_reports:
            await notify_report_change(services, conn, report_id)
    await unindex_case(services, source.id)
    await index_case(services, target.id)
    logger.info("cases_merged source=%d target=%d", source.id, target.id)
    return moved
