"""/importar may lower a case's publish_consent, never raise it: only the family's own
action gives consent to publish again."""

from __future__ import annotations

from tests.broadcast.helpers import add_case
from tests.broadcast.test_import import confirm, csv_bytes, import_file
from tests.harness import BotHarness
from tests.safety.helpers import open_privacy, report_through_intake, verify_as_moderator
from tests.safety.test_privacy import public_names

HEADER = "person_name,cedula,state,detained_on,publish_consent"


async def test_reimporting_an_old_list_does_not_republish_a_withdrawn_name(
    harness: BotHarness,
) -> None:
    family = harness.people.family_en
    code = await report_through_intake(harness, family, name="Pedro Pérez", cedula="V-12.345.678")
    await verify_as_moderator(harness, code)
    assert await public_names(harness) == ["Pedro Pérez"]
    await open_privacy(harness, family, code)
    await harness.rig.press_button(family, "1: do not publish")
    assert await public_names(harness) == []

    # The list the organisation exported while the name was still public.
    old_list = csv_bytes(HEADER, "Pedro Pérez,V12345678,detained,2026-01-11,1")
    report = await import_file(harness, old_list)
    assert "Por actualizar: 0" in report
    assert "Fila 2: publish_consent sigue en 0" in report
    # A newer list that also records a change: the change applies, the consent does not.
    await import_file(
        harness, csv_bytes(HEADER + ",sex", "Pedro Pérez,V12345678,detained,2026-01-11,1,other")
    )
    done = await confirm(harness)
    assert "Importación hecha" in done

    assert await public_names(harness) == []
    cases = await harness.services.exports.cases(public=False)
    assert [(case.sex, case.publish_consent) for case in cases] == [("other", False)]


async def test_an_import_may_withdraw_publication(harness: BotHarness) -> None:
    await add_case(harness, person_name="Ana Gómez", cedula="V10000001", publish_consent="1")
    assert await public_names(harness) == ["Ana Gómez"]
    await import_file(harness, csv_bytes(HEADER, "Ana Gómez,V10000001,detained,2024-08-03,0"))
    await confirm(harness)
    assert await public_names(harness) == []
