"""The one-time rewrite of version-1 sealed values into version 2, bound to their row.

Before migration 0014 a sealed value was bound to its column only, and carried a key
id. The first time the bot (or `rotate-key`) opens a database from before, every
sealed value is opened with a cipher that still reads version 1 and sealed again as
version 2 for its row (`storage.rotation` does the work: it is a key rotation onto the
current key). When nothing is left in the old format, `seal_format.rows_bound_at`
records it and the cipher stops reading version 1: a version-1 value copied into
another row from an older copy of the file no longer opens anywhere.

Interrupted, it resumes at the next start (values already rewritten are skipped). If
it cannot finish (a value no configured key opens), the bot keeps reading version 1
so that nothing becomes unreadable, and says so in the log at every start.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from storage.clock import Clock
from storage.crypto import DecryptionError, FieldCipher
from storage.database import Database
from storage.rotation import KeyRotation, RotationError

logger = logging.getLogger(__name__)


async def rows_are_bound(db: Database) -> bool:
    """Whether every sealed value was found in version 2 (the upgrade is done)."""
    row = await db.fetch_one("SELECT rows_bound_at FROM seal_format WHERE id = 1")
    return row is not None and row[0] is not None


async def mark_rows_bound(db: Database, clock: Clock) -> None:
    await db.execute(
        "UPDATE seal_format SET rows_bound_at = ? WHERE id = 1 AND rows_bound_at IS NULL",
        (clock.now_iso(),),
    )


async def bind_rows(
    db: Database, cipher: FieldCipher, clock: Clock, known_ids: Iterable[int] = ()
) -> bool:
    """Run the upgrade if it is not done; True when it is. Sets `cipher.legacy` to
    whether version-1 values must still be read."""
    if await rows_are_bound(db):
        cipher.legacy = False
        return True
    cipher.legacy = True
    rotation = KeyRotation(db, cipher, known_ids=known_ids)
    try:
        report = await rotation.run()
        left = await rotation.stale_values()
    except (RotationError, DecryptionError) as exc:
        logger.error("seal_upgrade_failed error=%s", type(exc).__name__)
        return False
    if left:
        logger.warning("seal_upgrade_incomplete left=%d", left)
        return False
    await mark_rows_bound(db, clock)
    cipher.legacy = False
    logger.info("seal_upgrade_done resealed=%d", report.values_resealed)
    return True
