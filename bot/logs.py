"""Logging setup: event names and opaque ids only (see the privacy section of the README).

Every line the process writes through logging passes `SecretScrubber` last, so the bot
token, the encryption keys and the webhook secret never reach a log at any level, even
inside a library's exception text or a URL that carries the token.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from urllib.parse import quote

from services.settings import Settings

SECRET_MARK = "<secret>"  # noqa: S105 - the mark that replaces secrets
# Shorter fragments could match ordinary words; every secret Vigía takes is longer.
_MIN_FRAGMENT = 8


class SecretScrubber:
    """Replaces each known secret, as typed and URL-encoded, by a mark."""

    def __init__(self, secrets: Iterable[str]) -> None:
        fragments: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            fragments.update({secret, quote(secret, safe="")})
            # A bot token's part after the colon is the secret on its own.
            _, _, tail = secret.partition(":")
            if len(tail) >= _MIN_FRAGMENT:
                fragments.add(tail)
        # Longest first, so a token is replaced whole rather than leaving its id.
        self._fragments = sorted(
            (fragment for fragment in fragments if len(fragment) >= _MIN_FRAGMENT),
            key=len,
            reverse=True,
        )

    @classmethod
    def for_settings(cls, settings: Settings) -> SecretScrubber:
        secrets = [settings.bot_token, settings.encryption_key, settings.webhook_secret_token]
        secrets.extend(settings.encryption_old_keys)
        return cls(secret.get_secret_value() for secret in secrets if secret is not None)

    def __call__(self, text: str) -> str:
        for fragment in self._fragments:
            if fragment in text:
                text = text.replace(fragment, SECRET_MARK)
        return text


class _ScrubbingFormatter(logging.Formatter):
    """Secrets scrubbed from the finished line; a library's traceback only at DEBUG.

    Above DEBUG an exception logged with `exc_info` shows its type alone: the operator
    gets one line per event (a startup failure is explained by `bot.startup`), and
    the handler errors of `bot.errors` carry their own stack in the message.
    """

    def __init__(self, scrub: SecretScrubber, *, tracebacks: bool) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")
        self._scrub = scrub
        self._tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        if self._tracebacks:
            return self._scrub(super().format(record))
        kind = ""
        if record.exc_info and record.exc_info[0] is not None:
            kind = record.exc_info[0].__name__
        elif record.exc_text:
            kind = record.exc_text.rstrip().rpartition("\n")[2]
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            line = super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved
        return self._scrub(f"{line} ({kind})" if kind else line)


def configure_logging(level: str, scrub: SecretScrubber | None = None) -> None:
    """One stderr handler; its formatter scrubs secrets from each finished line."""
    handler = logging.StreamHandler(sys.stderr)
    formatter = _ScrubbingFormatter(scrub or SecretScrubber(()), tracebacks=level == "DEBUG")
    handler.setFormatter(formatter)
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL, and the URL carries the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
