"""Only python-telegram-bot's public API, except in one module that says why.

`handlers/conversations.py` reads and ends running conversations through PTB's private
ConversationHandler state (PTB has no public call for either). If PTB renames or
reshapes that state, the tests here fail by name instead of the feature going quiet.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import pytest
import telegram
import telegram.ext
import telegram.request
from telegram.ext import ConversationHandler

from handlers.conversations import end_conversations, in_conversation
from tests.harness import BotHarness
from tests.intake.helpers import family

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "domain", "storage", "services", "handlers", "bot", "fake_telegram", "demo", "bench", "tests",
)  # fmt: skip
ALLOWED = ROOT / "handlers" / "conversations.py"
THIS_TEST = Path(__file__).resolve()


def _sources() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def _ptb_private_names() -> set[str]:
    """Private attribute names of PTB's public classes (`_x`, not dunders)."""
    names: set[str] = set()
    for module in (telegram, telegram.ext, telegram.request):
        for exported in vars(module).values():
            if not inspect.isclass(exported) or not exported.__module__.startswith("telegram"):
                continue
            for klass in exported.__mro__:
                if not klass.__module__.startswith("telegram"):
                    continue
                slots = getattr(klass, "__slots__", ())
                for name in (*vars(klass), *((slots,) if isinstance(slots, str) else slots)):
                    if name.startswith("_") and not name.startswith("__"):
                        names.add(name)
    return names


PRIVATE = _ptb_private_names()


def _private_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("telegram"):
            if any(part.startswith("_") for part in node.module.split(".")):
                found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("telegram") and "._" in alias.name:
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in PRIVATE
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        ):
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


def test_the_private_names_are_known() -> None:
    # The scan below is only as good as this list: it must hold what it guards against.
    assert {"_conversations", "_update_state"} <= PRIVATE


@pytest.mark.parametrize("module", _sources(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_reaches_into_ptb_private_names(module: Path) -> None:
    if module in (ALLOWED, THIS_TEST):
        return
    assert _private_uses(module) == [], f"{module.relative_to(ROOT)} uses private PTB names"


def test_the_one_module_that_does_says_which() -> None:
    uses = {line.split(": ", 1)[1] for line in _private_uses(ALLOWED)}
    assert uses == {"._conversations", "._update_state"}


def test_ptb_still_keeps_conversations_where_the_module_reads_them() -> None:
    handler: ConversationHandler[Any] = ConversationHandler(
        entry_points=[], states={}, fallbacks=[]
    )
    assert isinstance(handler._conversations, dict), "PTB moved ConversationHandler's table"
    parameters = list(inspect.signature(handler._update_state).parameters)
    assert parameters[:2] == ["new_state", "key"], "PTB changed _update_state"
    handler._conversations[(1, 1)] = "state"
    handler._update_state(ConversationHandler.END, (1, 1))
    assert (1, 1) not in handler._conversations, "PTB's _update_state(END) no longer ends"


async def test_a_report_in_progress_is_seen_and_ended(harness: BotHarness) -> None:
    reporter = family(harness)
    await reporter.start_detention()
    chat_id = reporter.user.id
    assert in_conversation(harness.app, chat_id)
    assert end_conversations(harness.app, chat_id) == 1
    assert not in_conversation(harness.app, chat_id)
    await reporter.say("Ana Pérez")
    assert "wasn't expecting that" in reporter.last
