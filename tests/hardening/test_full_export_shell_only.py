"""Full exports never travel through Telegram: `/exportar ... full` explains where to
make one and sends nothing; `python -m bot export full FILE` writes it on the server,
readable by its owner only, with an audit event. The public export stays in the chat."""

from __future__ import annotations

import csv
import io
import stat

import pytest

from domain.csv_format import FULL_COLUMNS
from tests.broadcast.helpers import add_case, sent_document
from tests.harness import BotHarness
from tests.safety.backup_shell import shell


@pytest.mark.parametrize("arguments", ["csv full", "json full", "full csv"])
async def test_a_full_export_in_the_chat_sends_nothing_and_says_where_to_make_it(
    harness: BotHarness, arguments: str
) -> None:
    await add_case(harness, cedula="V-12.345.678")
    admin = harness.people.admin
    audit_before = await harness.services.audit.count()
    calls = await harness.rig.send_text(admin, f"/exportar {arguments}")
    assert not [call for call in calls if call.method == "sendDocument"]
    answer = harness.fake.last_text(admin.id)
    assert "python -m bot export full" in answer
    assert "V12345678" not in answer and "José Pérez" not in answer
    assert await harness.services.audit.count() == audit_before


async def test_the_public_export_is_still_sent_in_the_chat(harness: BotHarness) -> None:
    await add_case(harness)
    await harness.rig.send_text(harness.people.admin, "/export csv public")
    name, data = sent_document(harness, harness.people.admin.id)
    assert name.startswith("vigia-cases-public-") and b"Jos" in data


async def test_the_shell_writes_the_full_archive_for_its_owner_only(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_case(harness, cedula="V-12.345.678", municipality="Libertador")
    target = harness.settings.database_path.with_name("archive.csv")
    monkeypatch.setenv("DATABASE_PATH", str(harness.settings.database_path))
    monkeypatch.setenv("ENCRYPTION_KEY", harness.settings.encryption_key.get_secret_value())  # type: ignore[union-attr]
    assert await shell("export", "full", str(target)) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    [row] = csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig")))
    assert list(row) == list(FULL_COLUMNS)
    assert (row["cedula"], row["municipality"]) == ("V12345678", "Libertador")
    events = await harness.services.audit.events_of_type("cases")
    assert events[-1].action == "cases_exported" and events[-1].actor_key is None
    assert events[-1].details == {"scope": "full", "format": "csv", "cases": 1, "via": "shell"}
    json_target = target.with_suffix(".json")
    assert await shell("export", "full", str(json_target), "--format", "json") == 0
    assert json_target.read_bytes().startswith(b"{")
