"""A Telegram user id as a moderator types it in a command (/grant, /block)."""

from __future__ import annotations

# Telegram promises ids fit in 52 bits; anything larger is a typo, not a person.
MAX_USER_ID = 2**53


def parse_user_id(word: str) -> int | None:
    """The positive id `word` names, or None for anything else."""
    raw = word.strip()
    if not raw.isdigit() or not 0 < int(raw) < MAX_USER_ID:
        return None
    return int(raw)
