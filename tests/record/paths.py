"""The two paths of one record, and what the tests read back: the public export, the
full export and `/cifras`, each through the running bot.

Every example gets fresh databases: `fresh` starts the real Application on an empty
SQLite file in its own directory, and stops it afterwards.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from services.figures_text import plain_text
from storage.roles import Role
from tests.broadcast.helpers import send_file, sent_document
from tests.harness import START_TIME, BotHarness, make_settings
from tests.record.lifecycles import Life, Move
from tests.roles import grant

AWAITING = ("⏳",)


@asynccontextmanager
async def fresh() -> AsyncIterator[BotHarness]:
    """The bot on an empty database of its own."""
    with tempfile.TemporaryDirectory(prefix="vigia-record-") as directory:
        harness = BotHarness(make_settings(Path(directory)))
        await harness.start()
        try:
            yield harness
        finally:
            await harness.stop()


def _day(on: dt.date) -> str:
    return on.strftime("%d/%m/%Y")


def command(case_id: int, move: Move) -> str:
    """The moderator's command for one move, in Spanish as the desk types it."""
    case, on = f"C{case_id}", _day(move.on)
    if move.action == "release":
        every = f" cada {move.every} días" if move.every is not None else ""
        return f"/excarcelar {case} {on} {','.join(move.conditions)}{every}"
    if move.action == "house_arrest":
        return f"/domiciliaria {case} {on}"
    if move.action == "rearrest":
        return f"/redetencion {case} {on} {move.place or ''}".rstrip()
    if move.action == "transfer":
        return f"/traslado {case} {on} {move.place}"
    if move.action == "disappeared":
        return f"/traslado {case} {on} unknown"
    if move.action == "death":
        return f"/fallecimiento {case} {on}"
    if move.action == "close":
        return f"/cerrar {case}"
    assert move.action == "correct" and move.step is not None
    return f"/corregir {case} {move.step} {on}"


async def by_commands(
    harness: BotHarness,
    lives: Sequence[Life],
    after_each: Callable[[], Awaitable[object]] | None = None,
    first_case: int = 1,
) -> list[str]:
    """Each life as the desk records it: the family's report (as the intake stores it),
    `/verificar`, then every move and correction by command, each accepted; `after_each`
    runs after the verification and after each move (the site tests build there), and
    the first life's case is number `first_case`.

    Returns when each case was verified, which an import row carries as `verified_at`.
    """
    from tests.moderation.helpers import file_report

    moderator = harness.people.moderator
    await grant(harness, moderator, Role.MODERATOR)
    verified: list[str] = []
    for number, life in enumerate(lives, start=first_case):
        filed = await file_report(
            harness,
            reporter=harness.people.family_other,
            name=life.name,
            sex=life.sex,
            age=life.age,
            affiliation=life.affiliation,
            federal_entity=life.entity,
            detaining_body=life.body,
            whereabouts=life.whereabouts,
            detained_on=life.reported_on,
            publish_consent_at=harness.clock.now() if life.consent else None,
        )
        await _accepted(harness, f"/verificar #{filed.id}", f"C{number}")
        verified.append(stamp(harness.clock.now()))
        if after_each is not None:
            await after_each()
        for move in life.moves:
            await _accepted(harness, command(number, move), f"C{number}")
            if after_each is not None:
                await after_each()
    return verified


def stamp(moment: dt.datetime) -> str:
    """A moment as the exports write it."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def _accepted(harness: BotHarness, text: str, tag: str) -> None:
    moderator = harness.people.moderator
    harness.clock.advance(dt.timedelta(seconds=1))  # a person's pace, under the flood gate
    calls = await harness.rig.send_text(moderator, text)
    answers = [
        str(call.params.get("text"))
        for call in calls
        if call.method == "sendMessage" and call.chat_id == moderator.id
    ]
    assert answers and tag in answers[0], (text, answers)


def import_file_bytes(lives: Sequence[Life], verified: Sequence[str] = ()) -> bytes:
    """The same lives as one list, the way an organisation would send it to `/importar`,
    each verified when `verified` says (by default when the harness starts)."""
    moments = list(verified) or [stamp(START_TIME)] * len(lives)
    rows = [life.import_cells(at) for life, at in zip(lives, moments, strict=True)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


async def by_import(harness: BotHarness, data: bytes, expected: int) -> str:
    """`/importar` with the file, then Confirm; every row created."""
    admin = harness.people.admin
    await harness.rig.send_text(admin, "/importar")
    await send_file(harness, admin, data)
    dry_run = harness.fake.last_text(admin.id)
    assert f"Por crear: {expected}" in dry_run and "Rechazadas: 0" in dry_run, dry_run
    await harness.rig.press_button(admin, "✅ Importar")
    done = harness.fake.last_text(admin.id)
    assert "Importación hecha" in done, done
    return done


async def exported(harness: BotHarness, scope: str = "public") -> bytes:
    """`/exportar csv public` in the admin's chat (the full archive is made on the server)."""
    if scope == "full":
        from tests.broadcast.helpers import full_export

        return await full_export(harness)
    admin = harness.people.admin
    await harness.rig.send_text(admin, "/exportar csv public")
    _, data = sent_document(harness, admin.id)
    return data


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


async def cifras(harness: BotHarness, language: str) -> str:
    """What `/cifras` (`/figures`) shows a family, as plain text, without the line of
    reports awaiting verification (reports are not case data)."""
    people = harness.people
    user = people.family_es if language == "es" else people.family_en
    calls = await harness.rig.send_text(user, "/cifras" if language == "es" else "/figures")
    answers = [call for call in calls if call.method == "sendMessage" and call.chat_id == user.id]
    text = plain_text(str(answers[0].params["text"]))
    return "\n".join(line for line in text.splitlines() if not line.startswith(AWAITING))


def differences(left: list[dict[str, str]], right: list[dict[str, str]]) -> list[str]:
    """The cells that differ between two exports, row by row, for a readable failure."""
    if len(left) != len(right):
        return [f"{len(left)} rows against {len(right)}"]
    found = []
    for number, (one, other) in enumerate(zip(left, right, strict=True), start=1):
        for column in sorted(set(one) | set(other)):
            if one.get(column) != other.get(column):
                found.append(
                    f"row {number} {column}: {one.get(column)!r} != {other.get(column)!r}"
                )
    return found


async def merge(harness: BotHarness, first: int, second: int) -> None:
    """`/fusionar` the first case into the second, as a moderator finds a duplicate."""
    await _accepted(harness, f"/fusionar C{first} C{second}", f"C{second}")
