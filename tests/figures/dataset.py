"""A small, hand-built set of cases whose every figure is known in advance.

Today is 12 January 2026 (the harness clock). Expected figures:
- deprived of liberty 5 (cases 1, 2, 3, 4, 7), last verified 10 Jan 2026 (case 7);
  of whom disappeared 1 (case 3, 4 Jan), under house arrest 1 (case 4, 5 Jan): house
  arrest counts with the detained and never as a release;
- releases 3 (cases 5, 6 and case 7's first release), latest 9 Jan; last 7 days 1,
  last 30 days 2; re-arrests 1 (case 7, 10 Jan);
- cases 8 and 9 are merged into 1 and 5: never counted (not as deprived, not their
  release of 9 Jan);
- deaths in custody 1 (case 10, 30 Nov 2025);
- women 2, men 3; civilians 4, active military 1; minors 1; Distrito Capital 2,
  Carabobo 1, Miranda 1, Zulia 1; SEBIN 2, CICPC 1, DGCIM 1, PNB 1.
"""

from __future__ import annotations

import datetime as dt

from domain.vocabulary import CaseEventKind, CaseState, ReportState
from storage.fixtures import FixtureCase, FixtureEvent, insert_cases, insert_reports
from tests.harness import BotHarness

D = dt.date
K = CaseEventKind
S = CaseState


def _case(
    case_id: int,
    state: CaseState,
    *,
    sex: str,
    entity: str,
    body: str,
    detained: dt.date,
    events: list[tuple[CaseEventKind, dt.date, CaseState | None, CaseState]],
    affiliation: str = "civilian",
    age: int = 30,
    merged_into: int | None = None,
    name: str = "Persona de prueba",
) -> FixtureCase:
    released = [day for kind, day, _, _ in events if kind is K.RELEASE]
    return FixtureCase(
        id=case_id,
        state=state,
        name=name,
        cedula=None,
        sex=sex,
        age=age,
        affiliation=affiliation,
        detained_on=detained,
        federal_entity=entity,
        detaining_body=body,
        released_on=released[-1] if released else None,
        merged_into=merged_into,
        events=tuple(FixtureEvent(*event) for event in events),
    )


CASES = (
    _case(1, S.DETAINED, sex="female", entity="distrito_capital", body="sebin",
          detained=D(2025, 12, 1), events=[(K.VERIFIED, D(2025, 12, 3), None, S.DETAINED)]),
    _case(2, S.DETAINED, sex="male", entity="miranda", body="pnb", age=16,
          detained=D(2025, 12, 10), events=[(K.VERIFIED, D(2025, 12, 11), None, S.DETAINED)]),
    _case(3, S.DISAPPEARED, sex="male", entity="zulia", body="dgcim",
          affiliation="military_active", detained=D(2026, 1, 2),
          events=[(K.VERIFIED, D(2026, 1, 4), None, S.DISAPPEARED)]),
    _case(4, S.HOUSE_ARREST, sex="female", entity="distrito_capital", body="sebin",
          detained=D(2025, 11, 20),
          events=[(K.VERIFIED, D(2025, 11, 21), None, S.DETAINED),
                  (K.HOUSE_ARREST, D(2026, 1, 5), S.DETAINED, S.HOUSE_ARREST)]),
    _case(5, S.RELEASED, sex="male", entity="miranda", body="gnb", detained=D(2025, 11, 1),
          events=[(K.VERIFIED, D(2025, 11, 2), None, S.DETAINED),
                  (K.RELEASE, D(2026, 1, 9), S.DETAINED, S.RELEASED)]),
    _case(6, S.RELEASED, sex="male", entity="lara", body="dgcim",
          affiliation="military_retired", detained=D(2025, 10, 1),
          events=[(K.VERIFIED, D(2025, 10, 2), None, S.DETAINED),
                  (K.RELEASE, D(2025, 12, 20), S.DETAINED, S.RELEASED)]),
    _case(7, S.DETAINED, sex="male", entity="carabobo", body="cicpc", detained=D(2025, 9, 1),
          events=[(K.VERIFIED, D(2025, 9, 2), None, S.DETAINED),
                  (K.RELEASE, D(2025, 10, 15), S.DETAINED, S.RELEASED),
                  (K.REARREST, D(2026, 1, 10), S.RELEASED, S.DETAINED)]),
    _case(8, S.CLOSED, sex="female", entity="distrito_capital", body="sebin",
          detained=D(2025, 12, 1), merged_into=1,
          events=[(K.VERIFIED, D(2025, 12, 4), None, S.DETAINED),
                  (K.MERGED, D(2025, 12, 5), S.DETAINED, S.CLOSED)]),
    _case(9, S.CLOSED, sex="male", entity="miranda", body="gnb", detained=D(2025, 11, 1),
          merged_into=5,
          events=[(K.VERIFIED, D(2025, 11, 3), None, S.DETAINED),
                  (K.RELEASE, D(2026, 1, 9), S.DETAINED, S.RELEASED),
                  (K.MERGED, D(2026, 1, 10), S.RELEASED, S.CLOSED)]),
    _case(10, S.DECEASED, sex="male", entity="zulia", body="colectivos",
          detained=D(2025, 8, 1),
          events=[(K.VERIFIED, D(2025, 8, 2), None, S.DETAINED),
                  (K.DEATH, D(2025, 11, 30), S.DETAINED, S.DECEASED)]),
)  # fmt: skip


async def seed(harness: BotHarness) -> None:
    """The cases above, and reports: two awaiting, one decided, one quarantined."""
    services = harness.services
    await insert_cases(services.db, services.cipher, CASES)
    waiting = (ReportState.RECEIVED, ReportState.NEEDS_INFO, ReportState.VERIFIED)
    await insert_reports(services.db, services.cipher, waiting)
    await insert_reports(services.db, services.cipher, [ReportState.RECEIVED], quarantined=True)
