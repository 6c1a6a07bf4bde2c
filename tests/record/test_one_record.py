"""Property: a history recorded by the moderators' commands and the same history
imported as a list give the same public export and the same figures (issue 23)."""

from __future__ import annotations

import asyncio

from hypothesis import given

from tests.record.lifecycles import Life, desk
from tests.record.paths import (
    by_commands,
    by_import,
    cifras,
    differences,
    exported,
    fresh,
    import_file_bytes,
    rows,
)


async def both_paths(lives: list[Life]) -> None:
    async with fresh() as commands:
        verified = await by_commands(commands, lives)
        by_desk = rows(await exported(commands))
        figures = {language: await cifras(commands, language) for language in ("es", "en")}
    async with fresh() as imports:
        await by_import(imports, import_file_bytes(lives, verified), len(lives))
        by_list = rows(await exported(imports))
        assert by_list == by_desk, differences(by_desk, by_list)
        for language, text in figures.items():
            assert await cifras(imports, language) == text


@given(desk())
def test_commands_and_import_keep_one_record(lives: list[Life]) -> None:
    asyncio.run(both_paths(lives))
