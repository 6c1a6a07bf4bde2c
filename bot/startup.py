"""Why the bot could not start, in one line for the operator, and an exit code.

A supervisor (Docker, systemd) and the person reading its log both need to know at a
glance whether to fix a setting, get a new token or wait for the network:

- 2: a setting is wrong (also the database path or the webhook port);
- 3: Telegram refused the token;
- 4: the Bot API could not be reached;
- 1: anything else.

The traceback is printed only with LOG_LEVEL=DEBUG, and every line goes through the
secret scrubber first: PTB's own message for a refused token quotes the token.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from telegram.error import BadRequest, InvalidToken, NetworkError, TimedOut

from bot.logs import SecretScrubber
from domain.i18n import N_, CatalogError
from domain.operator_text import OperatorText, text
from services.operator_language import operator_gettext
from services.settings import Settings

EXIT_FAILED = 1
EXIT_SETTINGS = 2
EXIT_TOKEN = 3
EXIT_NETWORK = 4


class StartupError(Exception):
    """Raised by startup steps that already know what to tell the operator."""

    def __init__(self, code: int, line: OperatorText) -> None:
        super().__init__(str(line))
        self.code = code
        self.line = line


def run_explained(settings: Settings, run: Callable[[Settings], None]) -> int:
    """Run the bot; a failure becomes one line on stderr and its exit code."""
    scrub = SecretScrubber.for_settings(settings)
    try:
        check_database_path(settings)
        run(settings)
    except Exception as exc:
        code, line = explain(exc, settings)
        shown = line.render(operator_gettext(settings.default_language))
        print(f"vigia: {scrub(shown)}", file=sys.stderr)
        if settings.log_level == "DEBUG":
            print(scrub("".join(traceback.format_exception(exc))), file=sys.stderr, end="")
        return code
    return 0


def explain(exc: BaseException, settings: Settings) -> tuple[int, OperatorText]:
    """The exit code and the operator's line for the first cause we recognise."""
    for cause in _chain(exc):
        known = _recognise(cause, settings)
        if known is not None:
            return known
    return (
        EXIT_FAILED,
        text(
            N_("could not start ({error}); set LOG_LEVEL=DEBUG to see where"),
            error=f"{type(exc).__name__}: {exc}",
        ),
    )


def _recognise(exc: BaseException, settings: Settings) -> tuple[int, OperatorText] | None:
    host = urlsplit(settings.telegram_base_url).netloc or settings.telegram_base_url
    if isinstance(exc, StartupError):
        return exc.code, exc.line
    if isinstance(exc, InvalidToken):
        return (
            EXIT_TOKEN,
            text(
                N_(
                    "the Bot API at {host} refused BOT_TOKEN: copy it again from @BotFather "
                    "(it changes when revoked), or check TELEGRAM_BASE_URL"
                ),
                host=host,
            ),
        )
    if isinstance(exc, TimedOut):
        return (
            EXIT_NETWORK,
            text(
                N_(
                    "the Bot API at {host} did not answer in time: check the network and "
                    "TELEGRAM_BASE_URL; the bot can start once it is reachable"
                ),
                host=host,
            ),
        )
    if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
        return (
            EXIT_NETWORK,
            text(
                N_(
                    "cannot reach the Bot API at {host} ({reason}): check the network, DNS "
                    "and TELEGRAM_BASE_URL; the bot can start once it is reachable"
                ),
                host=host,
                reason=exc.message,
            ),
        )
    if isinstance(exc, BadRequest) and settings.webhook_url:
        return EXIT_SETTINGS, text(
            N_("setting WEBHOOK_URL: Telegram refused the webhook ({reason})"), reason=exc.message
        )
    if isinstance(exc, CatalogError):
        return EXIT_FAILED, text(
            N_("{problem}: run python -m bot.i18n_tools compile (or make catalogs)"), problem=exc
        )
    if isinstance(exc, OSError) and settings.webhook_url and exc.filename is None:
        return (
            EXIT_SETTINGS,
            text(
                N_("setting WEBHOOK_PORT: cannot listen on {address} ({reason})"),
                address=f"{settings.webhook_listen}:{settings.webhook_port}",
                reason=exc.strerror or exc,
            ),
        )
    return None


def check_database_path(settings: Settings) -> None:
    """Before anything else: the database's folder exists (or is made) and is writable.

    SQLite alone would say "unable to open database file" and name nothing; the WAL and
    its index are created beside the file, so the folder must be writable too.
    """
    path = settings.database_path
    if str(path) == ":memory:":
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _database_problem(path, exc.strerror or str(exc)) from exc
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise _database_problem(
            path, text(N_("its folder {folder} is not writable"), folder=path.parent)
        )
    if path.is_dir():
        raise _database_problem(path, text(N_("it is a folder")))
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise _database_problem(path, text(N_("the file is not readable and writable")))


def _database_problem(path: Path, reason: OperatorText | str) -> StartupError:
    return StartupError(
        EXIT_SETTINGS,
        text(N_("setting DATABASE_PATH: cannot use {path} ({reason})"), path=path, reason=reason),
    )


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, then what caused it or was being handled when it happened."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
