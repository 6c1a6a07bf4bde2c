"""A failing handler is logged without personal data and the user is reassured."""

from __future__ import annotations

import logging

import pytest

from tests.harness import BotHarness


async def test_failure_is_logged_by_type_and_user_is_told_nothing_was_lost(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    user = harness.people.family_es
    harness.fake.fail_next("sendMessage", error_code=400, description="Bad Request: boom")
    with caplog.at_level(logging.DEBUG):
        await harness.rig.send_text(user, "/start")
    assert "No se perdió nada" in harness.fake.last_text(user.id)
    failures = [record for record in caplog.records if "handler_failed" in record.getMessage()]
    assert failures and "BadRequest" in failures[0].getMessage()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert str(user.id) not in logged
    assert user.first_name not in logged
