"""Runs a demo: settings for an offline bot, then a script or the interactive prompt."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr, ValidationError

from demo.cast import Cast
from demo.session import DemoSession
from domain.key_strength import generate_key
from services.operator_language import operator_gettext
from services.setting_errors import setting_problems
from services.settings import Settings
from storage.clock import Clock, SettableClock

# Requests never leave the process; an unroutable address makes sure of it.
OFFLINE_URL = "http://127.0.0.1:9/bot"
OFFLINE_FILE_URL = "http://127.0.0.1:9/file/bot"
SCRIPT_PACE = dt.timedelta(seconds=5)
BANNER = (
    "Vigía demo: the real bot, a fake Telegram, no token. You are «family»; "
    "/demo shows the demo's own commands."
)


def script_lines(text: str) -> list[str]:
    """One input per line; `#` comments and blank lines are skipped."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            lines.append(stripped)
    return lines


STORE_NOTICE = (
    "The demo keeps its own temporary database, with a key made for this session, and "
    "deletes both when it ends. DATABASE_PATH and ENCRYPTION_KEY are not used: no "
    "deployment's data is opened."
)


def demo_settings(workdir: Path, cast: Cast) -> Settings:
    """The deployment's own settings where they make sense, overridden to stay offline.

    Never its data: the database is always `workdir/demo.db` and the key is random for
    this session, whatever DATABASE_PATH and ENCRYPTION_KEY say. Run beside a
    production `.env`, the demo would otherwise open the production database with the
    production key, as an admin of the demo's cast.
    """
    overrides: dict[str, Any] = {
        "database_path": workdir / "demo.db",
        "encryption_key": SecretStr(generate_key()),
        "encryption_old_keys": (),
        "bot_token": None,
        "webhook_url": None,
        "webhook_secret_token": None,
        "telegram_base_url": OFFLINE_URL,
        "telegram_base_file_url": OFFLINE_FILE_URL,
        "admin_ids": cast.admin_ids,
        # Moderators get new reports privately, so the whole loop fits in the terminal.
        "moderation_chat_id": None,
        "channel_id": None,
    }
    return Settings(**overrides)


async def play(session: DemoSession, lines: Iterable[str], out: TextIO) -> None:
    """Each input is printed after the prompt it was typed at, then what it caused."""
    for line in lines:
        print(f"{session.prompt()}{session.expand(line)}", file=out)
        for shown in await session.handle(line):
            print(shown, file=out)
        if session.finished:
            break


async def interact(session: DemoSession, out: TextIO) -> None:
    print(BANNER, file=out)
    print(STORE_NOTICE, file=out)
    for shown in await session.handle("/start"):
        print(shown, file=out)
    while not session.finished:
        try:
            line = await asyncio.to_thread(input, session.prompt())
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            break
        for shown in await session.handle(line):
            print(shown, file=out)
        # Messages that arrived while the person was typing (a broadcast, say).
        for shown in session.collect():
            print(shown, file=out)


async def run(script: str | None, out: TextIO, workdir: Path) -> None:
    cast = Cast.default()
    settings = demo_settings(workdir, cast)
    styled = out.isatty()
    if script is None:
        session = DemoSession(settings, cast=cast, styled=styled)
    else:
        # Time runs at a typing pace in scripts, so the flood gate sees a person, not a bot.
        clock = SettableClock(Clock().now())
        session = DemoSession(settings, cast=cast, styled=styled, clock=clock, pace=SCRIPT_PACE)
    async with session:
        if script is None:
            await interact(session, out)
        else:
            # Scripts print only their transcript; the notice goes beside it.
            print(STORE_NOTICE, file=sys.stderr)
            await play(session, script_lines(script), out)


def run_demo(script: Path | None, out: TextIO | None = None) -> int:
    """`python -m bot demo [--script FILE]`; 0 on success, 2 on bad settings or file."""
    out = out or sys.stdout
    # Library and bot logs would garble the chat; warnings still show.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    text = None
    if script is not None:
        try:
            text = script.read_text(encoding="utf-8")
        except OSError as exc:
            print(f"vigia demo: cannot read {script}: {exc.strerror}", file=sys.stderr)
            return 2
    elif out.isatty():
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401 - line editing and history for input()
    with tempfile.TemporaryDirectory(prefix="vigia-demo-") as workdir:
        try:
            asyncio.run(run(text, out, Path(workdir)))
        except ValidationError as exc:
            gettext = operator_gettext()
            for line in setting_problems(exc):
                print(f"vigia: {line.render(gettext)}", file=sys.stderr)
            return 2
    return 0
