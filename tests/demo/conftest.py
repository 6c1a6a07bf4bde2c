"""A running demo session on a temporary database, time moving at a typing pace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from demo.cast import Cast
from demo.player import SCRIPT_PACE, demo_settings
from demo.session import DemoSession
from storage.clock import SettableClock
from tests.harness import START_TIME


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[DemoSession]:
    cast = Cast.default()
    session = DemoSession(
        demo_settings(tmp_path, cast),
        cast=cast,
        clock=SettableClock(START_TIME),
        pace=SCRIPT_PACE,
    )
    async with session:
        yield session


async def type_lines(session: DemoSession, *lines: str) -> list[str]:
    """Everything the current person's screen gained over these inputs."""
    shown: list[str] = []
    for line in lines:
        shown += await session.handle(line)
    return shown


def number_of(session: DemoSession, label: str) -> str:
    """The number to type for the button `label` on the newest message with buttons."""
    message = session.chat(session.current).latest_with_buttons()
    assert message is not None, "no message with buttons"
    labels = [button.label for button in message.flat_buttons]
    return str(labels.index(label) + 1)
