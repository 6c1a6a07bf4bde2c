"""Running `python -m bot ...` subcommands from a test."""

from __future__ import annotations

import asyncio

from bot.__main__ import main


async def shell(*args: str) -> object:
    """`python -m bot ARGS` in a thread (it runs its own event loop); its exit code."""

    def run() -> object:
        try:
            main(list(args))
        except SystemExit as exit_:
            return exit_.code
        return None

    return await asyncio.to_thread(run)
