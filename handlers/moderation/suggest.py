"""Possible duplicates of a report, from the duplicate index (`services.duplicates`).

The ranking itself is the figures area's engine; the desk only shows its top three
as buttons.
"""

from __future__ import annotations

from handlers.moderation.keyboards import Suggested
from services.container import Services
from storage.reports import Report


async def suggestions_for(services: Services, report: Report) -> tuple[Suggested, ...]:
    if not report.person_name:
        return ()
    found = services.duplicates.suggest(report.person_name, report.cedula, report.detained_on)
    return tuple(
        Suggested(item.case_id, float(item.score))
        for item in found
        if item.case_id != report.case_id
    )
