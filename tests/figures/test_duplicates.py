"""Duplicate suggestions: the same cédula first, then names (accents, case and word order
ignored), boosted by a nearby detention date; merged cases never suggested."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from domain.vocabulary import CaseEventKind, CaseState
from services.duplicates import REASON_CEDULA, REASON_DATE, REASON_NAME, DuplicateIndex
from storage.fixtures import (
    FixtureCase,
    FixtureEvent,
    FixtureSpec,
    generate_cases,
    insert_cases,
    load_cases,
)
from tests.harness import BotHarness

D = dt.date


def _case(
    case_id: int,
    name: str,
    detained: dt.date,
    cedula: str | None = None,
    merged_into: int | None = None,
) -> FixtureCase:
    verified = FixtureEvent(CaseEventKind.VERIFIED, detained, None, CaseState.DETAINED)
    return FixtureCase(
        id=case_id,
        state=CaseState.DETAINED,
        name=name,
        cedula=cedula,
        sex="male",
        age=30,
        affiliation="civilian",
        detained_on=detained,
        federal_entity="miranda",
        detaining_body="sebin",
        released_on=None,
        merged_into=merged_into,
        events=(verified,),
    )


KNOWN = (
    _case(1, "José Gregorio Pérez Rodríguez", D(2026, 1, 5), cedula="V12345678"),
    _case(2, "Jose Gregorio Perez Rodriguez", D(2025, 6, 1)),
    _case(3, "María Fernanda López", D(2026, 1, 6), cedula="V8765432"),
    _case(4, "Pedro Pablo Martínez", D(2026, 1, 5)),
    _case(5, "José Luis Pérez Rodríguez", D(2026, 1, 4)),
    _case(6, "José Gregorio Pérez Rodríguez", D(2026, 1, 5), merged_into=1),
)


async def _index(harness: BotHarness) -> DuplicateIndex:
    """The known cases, indexed the way the bot does it: at startup, from the database."""
    await insert_cases(harness.services.db, harness.services.cipher, KNOWN)
    await harness.restart()
    return harness.services.duplicates


async def test_the_same_cedula_comes_first_whatever_the_name(harness: BotHarness) -> None:
    index = await _index(harness)
    [first, *_] = index.suggest("Otro Nombre Distinto", "V-12.345.678", None)
    assert (first.case_id, first.score, first.reasons) == (1, 100.0, (REASON_CEDULA,))


async def test_a_cedula_match_outranks_an_identical_name(harness: BotHarness) -> None:
    index = await _index(harness)
    found = index.suggest("María Fernanda López", "V12345678", None)
    assert [item.case_id for item in found[:2]] == [1, 3]
    assert found[1].reasons == (REASON_NAME,)


async def test_names_match_whatever_the_accents_case_and_word_order(
    harness: BotHarness,
) -> None:
    index = await _index(harness)
    found = index.suggest("RODRIGUEZ perez, JOSÉ gregorio", None, None)
    assert [(item.case_id, item.score) for item in found[:2]] == [(1, 90.0), (2, 90.0)]


async def test_a_nearby_detention_date_ranks_a_case_higher(harness: BotHarness) -> None:
    index = await _index(harness)
    found = index.suggest("José Gregorio Pérez Rodríguez", None, D(2026, 1, 6))
    assert [item.case_id for item in found[:2]] == [1, 2]
    assert found[0].reasons == (REASON_NAME, REASON_DATE)
    assert found[0].score > found[1].score == 90.0
    found = index.suggest("José Gregorio Pérez Rodríguez", None, D(2025, 6, 2))
    assert [item.case_id for item in found[:2]] == [2, 1]


async def test_a_partial_name_is_suggested_only_near_the_date(harness: BotHarness) -> None:
    index = await _index(harness)
    near = index.suggest("José Pérez", None, D(2026, 1, 5))
    assert 5 in [item.case_id for item in near]
    assert 5 not in [item.case_id for item in index.suggest("José Pérez", None, None)]


async def test_at_most_three_by_default_and_unrelated_names_never(harness: BotHarness) -> None:
    index = await _index(harness)
    assert len(index.suggest("José Pérez Rodríguez", None, D(2026, 1, 5))) == 3
    assert index.suggest("Zoraida Quintero", None, D(2026, 1, 5)) == []


async def test_a_merged_case_is_never_suggested(harness: BotHarness) -> None:
    index = await _index(harness)
    found = index.suggest("José Gregorio Pérez Rodríguez", None, D(2026, 1, 5), limit=10)
    assert 6 not in [item.case_id for item in found]


async def test_cases_added_and_removed_after_startup_are_followed(harness: BotHarness) -> None:
    index = await _index(harness)
    cedula_hash = harness.services.cipher.lookup_hash("V999999", purpose="cedula")
    index.add_case(50, "Ana Karina Suárez", cedula_hash, D(2026, 1, 10))
    assert [item.case_id for item in index.suggest("Suárez Ana Karina", None, None)] == [50]
    assert index.suggest("x", "V999999", None)[0].case_id == 50
    await index.remove_case(50)
    assert index.suggest("Suárez Ana Karina", "V999999", None) == []


async def test_update_case_follows_a_stored_case_and_drops_it_once_merged(
    harness: BotHarness,
) -> None:
    index = await _index(harness)
    case = await harness.services.cases.get(4)
    assert case is not None
    renamed = dataclasses.replace(case, person_name="Pedro Pablo Martínez Salas")
    await index.update_case(renamed)
    assert index.suggest("Martinez Salas Pedro Pablo", None, None)[0].case_id == 4
    await index.update_case(dataclasses.replace(renamed, merged_into=1))
    assert 4 not in [item.case_id for item in index.suggest("Pedro Pablo Martínez", None, None)]


async def test_twenty_thousand_cases_still_find_their_own(harness: BotHarness) -> None:
    spec = FixtureSpec(cases=20_000, seed=7)
    await load_cases(harness.services.db, harness.services.cipher, spec)
    index = DuplicateIndex(harness.services.cipher)
    await index.build(harness.services.figures.case_identities())
    stored = [case for case in generate_cases(spec) if case.merged_into is None]
    assert len(index) == len(stored)
    rng = random.Random(3)
    by_name = by_cedula = 0
    sample = rng.sample(stored, 20)
    for case in sample:
        words = case.name.upper().split()
        rng.shuffle(words)
        found = index.suggest(" ".join(words), None, case.detained_on)
        by_name += case.id in [item.case_id for item in found]
        if case.cedula:
            by_cedula += index.suggest("", case.cedula, None)[0].case_id == case.id
    assert by_name >= 18
    assert by_cedula == sum(1 for case in sample if case.cedula)
