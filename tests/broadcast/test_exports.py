"""/export csv|json public, and `python -m bot export full` on the server: the right
cases, the documented columns, spreadsheet-ready."""

from __future__ import annotations

import csv
import io
import json

from domain.csv_format import FULL_COLUMNS, PUBLIC_COLUMNS
from storage.roles import Role
from tests.broadcast.helpers import add_case, full_export, sent_document
from tests.harness import MODERATION_CHAT_ID, BotHarness
from tests.roles import grant


async def three_cases(harness: BotHarness) -> tuple[int, int, int]:
    public = await add_case(harness, cedula="V-12.345.678", municipality="Libertador")
    private = await add_case(
        harness, person_name="Luisa Rivas", publish_consent="0", cedula="E-81234567"
    )
    merged = await add_case(harness, person_name="José Pérez (duplicado)")
    async with harness.services.db.transaction() as conn:
        await conn.execute("UPDATE cases SET merged_into = ? WHERE id = ?", (public, merged))
    return public, private, merged


def read(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


async def export(harness: BotHarness, arguments: str) -> tuple[str, bytes]:
    admin = harness.people.admin
    await harness.rig.send_text(admin, f"/export {arguments}")
    return sent_document(harness, admin.id)


async def test_public_csv_has_only_consented_cases_and_public_columns(
    harness: BotHarness,
) -> None:
    public, _, _ = await three_cases(harness)
    name, data = await export(harness, "csv public")
    assert name.startswith("vigia-cases-public-") and name.endswith(".csv")
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header == ",".join(PUBLIC_COLUMNS)
    [row] = read(data)
    assert row["case_id"] == str(public)
    assert row["person_name"] == "José Pérez"
    assert row["detained_on"] == "2024-08-03"
    assert row["release_conditions"] == "court_presentation,travel_ban"
    assert "cedula" not in row and "municipality" not in row


async def test_full_csv_has_every_case_decrypted(harness: BotHarness) -> None:
    public, private, merged = await three_cases(harness)
    data = await full_export(harness)
    assert data.decode("utf-8-sig").splitlines()[0] == ",".join(FULL_COLUMNS)
    assert b"\r\n" in data
    rows = {int(row["case_id"]): row for row in read(data)}
    assert set(rows) == {public, private, merged}
    assert rows[public]["cedula"] == "V12345678"
    assert rows[public]["municipality"] == "Libertador"
    assert rows[private]["publish_consent"] == "0"
    assert rows[merged]["merged_into"] == str(public)
    events = json.loads(rows[public]["events"])
    assert [(event["kind"], event["date"]) for event in events] == [
        ("verified", "2024-08-03"),
        ("release", "2026-01-10"),
    ]
    assert rows[public]["verified_at"].endswith("Z")


async def test_json_exports_carry_the_same_columns(harness: BotHarness) -> None:
    public, _, _ = await three_cases(harness)
    name, data = await export(harness, "json public")
    assert name.endswith(".json")
    document = json.loads(data)
    assert document["scope"] == "public"
    assert document["columns"] == list(PUBLIC_COLUMNS)
    [case] = document["cases"]
    assert case["case_id"] == public
    assert case["release_conditions"] == ["court_presentation", "travel_ban"]
    data = await full_export(harness, "json")
    full = json.loads(data)
    assert len(full["cases"]) == 3
    assert list(full["cases"][0]) == list(FULL_COLUMNS)
    assert full["cases"][0]["events"][0]["kind"] == "verified"


async def test_the_court_presentation_interval_is_a_stable_last_column(
    harness: BotHarness,
) -> None:
    with_days = await add_case(harness, presentation_days="15")
    without = await add_case(harness, person_name="Luisa Rivas")
    assert FULL_COLUMNS[-1] == "presentation_days" and FULL_COLUMNS[-2] == "events"
    assert PUBLIC_COLUMNS[-1] == "presentation_days"
    _, data = await export(harness, "csv public")
    rows = {int(row["case_id"]): row for row in read(data)}
    assert (rows[with_days]["presentation_days"], rows[without]["presentation_days"]) == (
        "15",
        "",
    )
    data = await full_export(harness, "json")
    cases = {case["case_id"]: case for case in json.loads(data)["cases"]}
    assert (cases[with_days]["presentation_days"], cases[without]["presentation_days"]) == (
        15,
        None,
    )


async def test_cells_a_spreadsheet_would_run_are_neutralised(harness: BotHarness) -> None:
    await add_case(harness, person_name="=HYPERLINK(1)")
    data = await full_export(harness)
    assert read(data)[0]["person_name"] == "'=HYPERLINK(1)"


async def test_exports_are_protected_and_audited(harness: BotHarness) -> None:
    await three_cases(harness)
    audit_before = await harness.services.audit.count()
    await export(harness, "csv public")
    call = harness.fake.calls("sendDocument")[-1]
    assert call.params.get("protect_content") is True
    assert "Lista pública: 1 casos" in call.params["caption"]
    assert await harness.services.audit.count() == audit_before + 1


async def test_exports_are_for_admins_only(harness: BotHarness) -> None:
    await grant(harness, harness.people.moderator, Role.MODERATOR)
    for person in (harness.people.moderator, harness.people.stranger):
        await harness.rig.send_text(person, "/export csv full")
        assert harness.fake.last_text(person.id) == "Este comando no está disponible."
    await harness.rig.send_text(
        harness.people.admin, "/export csv full", chat_id=MODERATION_CHAT_ID
    )
    assert harness.fake.calls("sendDocument") == []


async def test_export_without_arguments_explains_itself(harness: BotHarness) -> None:
    await harness.rig.send_text(harness.people.admin, "/exportar")
    assert "Uso: <code>/exportar csv public</code>" in harness.fake.last_text(
        harness.people.admin.id
    )
